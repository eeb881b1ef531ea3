"""The unit of work of every engine: one chunk of documents through every stage.

A chunk is either rows of a corpus table or a list of report files (read by the worker
that analyses them, so texts never travel between processes before they are analysed).
:func:`run_chunk` runs :func:`process_chunk` on it and sends back the tables, the CPU
seconds per stage, the warnings raised and, for files, the loader's rows;
:func:`merge_results` concatenates the chunks' tables in corpus order.

The stage functions are looked up through :mod:`analysis`'s public names when a chunk
runs (:func:`stage_functions`), so importing this module does not load the stages.
"""

from __future__ import annotations

import threading
import time
import warnings
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

import analysis
from analysis.corpus import finish_corpus, read_report
from analysis.corpus.read import MAX_BYTES
from analysis.pipeline.dataset import concat_tables
from analysis.pipeline.terms import term_counts

__all__ = [
    "CHUNKS_PER_WORKER",
    "MAX_CHUNK_SIZE",
    "MIN_CHUNK_SIZE",
    "STAGES",
    "WARNINGS_LOCK",
    "ChunkResult",
    "Failure",
    "ReportFiles",
    "StageError",
    "analyse_chunk",
    "chunk_len",
    "default_chunk_size",
    "failure_message",
    "mark_failures",
    "mark_row_failures",
    "read_files",
    "merge_results",
    "process_chunk",
    "run_chunk",
    "run_chunk_shared",
    "split_chunks",
    "stage_functions",
]

#: Held while a chunk records its warnings. ``warnings.catch_warnings`` swaps
#: process-wide state and restores it on exit: two threads of one process (Dask workers
#: with several threads) leaving their blocks out of order would leave a dead recorder in
#: place and lose every later warning of the process. Chunks in threads of one process
#: therefore run one at a time (processes are unaffected).
WARNINGS_LOCK = threading.RLock()
#: Stages timed inside each chunk (CPU seconds; see :func:`analysis.pipeline.run_pipeline_timed`).
STAGES = ("load", "sections", "problems", "indicators", "audit", "compliance", "terms")
#: Chunks per worker when the chunk size is not given (see :func:`default_chunk_size`).
CHUNKS_PER_WORKER = 8
#: Bounds of the default chunk size, in documents.
MIN_CHUNK_SIZE, MAX_CHUNK_SIZE = 10, 500


def stage_functions() -> dict[str, Callable[..., Any]]:
    """The public stage functions a chunk goes through, by name."""
    return {
        "parse_sections": analysis.parse_sections,
        "extract_problems": analysis.extract_problems,
        "code_problems": analysis.code_problems,
        "extract_indicators_and_audit": analysis.extract_indicators_and_audit,
        "compliance": analysis.compliance,
    }


def process_chunk(corpus: pd.DataFrame, *, tokenize_options: dict[str, Any] | None = None) -> tuple[dict[str, pd.DataFrame], dict[str, float]]:
    """Run every per-document stage on some rows of a corpus table.

    This is the unit of work of both engines; it is public so a lab can call it from
    its own scheduler. It never mutates ``corpus``.

    Parameters
    ----------
    corpus
        Rows of :func:`analysis.load_corpus`'s table (at least ``doc_id`` and ``text``
        and what the stages read).
    tokenize_options
        Keyword arguments for :func:`analysis.tokenize`.

    Returns
    -------
    tables : dict of str to pandas.DataFrame
        ``sections``, ``problems`` (coded, with themes), ``indicators``, ``audit``,
        ``compliance``, ``terms`` (:func:`term_counts` of the sections).
    seconds : dict of str to float
        CPU seconds spent in each stage (:data:`STAGES` after ``load``; ``time.thread_time``).

    Raises
    ------
    StageError
        When a stage raises: its name, and the exception it raised (also ``__cause__``).
    """
    fns = stage_functions()
    seconds: dict[str, float] = {}
    # CPU time of this thread: what the stage costs, whatever else runs on the machine
    # (a process-pool worker or a Dask worker thread alike).
    clock = time.thread_time
    options = tokenize_options or {}

    def stage(name: str, fn: Callable[[], Any]) -> Any:
        t = clock()
        try:
            result = fn()
        except Exception as exc:
            raise StageError(name, exc) from exc
        seconds[name] = clock() - t
        return result

    sections = stage("sections", lambda: fns["parse_sections"](corpus))
    problems = stage("problems", lambda: fns["code_problems"](fns["extract_problems"](sections)))
    # one scan of each report gives both the stated quantities and the numbers audit
    indicators, audit = stage("indicators", lambda: fns["extract_indicators_and_audit"](corpus, sections))
    seconds["audit"] = 0.0  # counted under "indicators": both come from the same scan
    compliance = stage("compliance", lambda: fns["compliance"](corpus, sections, indicators=indicators))
    terms = stage("terms", lambda: term_counts(sections, **options))
    tables = {
        "sections": sections,
        "problems": problems,
        "indicators": indicators,
        "audit": audit,
        "compliance": compliance,
        "terms": terms,
    }
    return tables, seconds


class StageError(Exception):
    """A stage raised on a chunk: ``stage`` names it, ``error`` is the exception raised."""

    def __init__(self, stage: str, error: BaseException) -> None:
        super().__init__(stage, error)
        self.stage = stage
        self.error = error

    def __str__(self) -> str:
        return f"stage {self.stage} raised {type(self.error).__name__}: {self.error}"


#: One report a stage could not analyse: (doc_id, stage, exception class, exception text).
Failure = tuple[str, str, str, str]


def failure_message(failure: Failure) -> str:
    """The ``message`` of a report a stage could not analyse.

    >>> failure_message(("a/b", "indicators", "InvalidOperation", "[<class 'decimal.DivisionImpossible'>]"))
    "analysis failed in stage indicators: InvalidOperation: [<class 'decimal.DivisionImpossible'>]"
    """
    _doc, stage, cls, text = failure
    text = " ".join(text.split())
    if len(text) > 200:
        text = text[:199] + "…"
    return f"analysis failed in stage {stage}: {cls}" + (f": {text}" if text else "")


def _by_report(corpus: pd.DataFrame, tokenize_options: dict[str, Any] | None) -> tuple[dict[str, pd.DataFrame], dict[str, float], list[Failure]]:
    """Run the stages report by report: the tables of those that pass, and the failures.

    Used when a stage raised on a chunk, to find the report(s) it cannot analyse; the
    tables of the others equal those of the whole chunk (stages work per document).
    """
    per_report: list[dict[str, pd.DataFrame]] = []
    seconds: dict[str, float] = {}
    failures: list[Failure] = []
    for i in range(len(corpus)):
        one = corpus.iloc[i : i + 1]
        try:
            tables, secs = process_chunk(one, tokenize_options=tokenize_options)
        except StageError as exc:
            failures.append((str(one["doc_id"].iloc[0]), exc.stage, type(exc.error).__name__, str(exc.error)))
            continue
        per_report.append(tables)
        for k, v in secs.items():
            seconds[k] = seconds.get(k, 0.0) + v
    names = per_report[0] if per_report else {}
    return {name: concat_tables([t[name] for t in per_report]) for name in names}, seconds, failures


class ReportFiles(NamedTuple):
    """A chunk given as report files (paths as strings), read by the worker that analyses them.

    ``root`` is the folder the files' ``doc_id`` and ``path`` are relative to; the other
    fields are :func:`analysis.load_corpus`'s reading options (``index``: None finds
    ``index.csv``/``index.jsonl`` at ``root``, False uses none, a path names the file).
    """

    paths: tuple[str, ...]
    root: str
    index: str | bool | None = None
    follow_symlinks: bool = False
    max_bytes: int = MAX_BYTES


#: What a chunk sends back: (tables, CPU seconds per stage, warnings raised as
#: (category, message), the loader's rows when the chunk was files, else None, the
#: reports a stage could not analyse).
ChunkResult = tuple[
    dict[str, pd.DataFrame], dict[str, float], list[tuple[type[Warning], str]], list[dict[str, Any]] | None, list[Failure]
]


def read_files(files: ReportFiles) -> list[dict[str, Any]]:
    """The loader's rows of a chunk of files, read with the chunk's reading options."""
    root = Path(files.root)
    options = {"index": files.index, "follow_symlinks": files.follow_symlinks, "max_bytes": files.max_bytes}
    return [read_report(Path(p), root, **options) for p in files.paths]


def run_chunk(args: tuple[pd.DataFrame | ReportFiles, dict[str, Any] | None]) -> ChunkResult:
    """process_chunk in a worker; warnings are recorded and sent back to the caller.

    ``args`` is ``(chunk, tokenize_options)``; see :func:`analyse_chunk`.
    """
    return analyse_chunk(*args)[0]


def run_chunk_shared(args: tuple[pd.DataFrame | ReportFiles, dict[str, Any] | None, str | None, str]) -> ChunkResult:
    """:func:`run_chunk` in a pool worker, its tables written to shared memory.

    ``args`` is ``(chunk, tokenize_options, folder, tag)``: the tables go to ``folder``
    (:func:`analysis.pipeline.transport.send_tables`; ``None``: pickled with the result);
    the parent gets them back with :func:`analysis.pipeline.transport.receive_tables`.
    """
    from analysis.pipeline.transport import send_tables

    chunk, tokenize_options, folder, tag = args
    tables, *rest = analyse_chunk(chunk, tokenize_options)[0]
    return (send_tables(tables, folder, tag), *rest)  # type: ignore[return-value]


def analyse_chunk(chunk: pd.DataFrame | ReportFiles, tokenize_options: dict[str, Any] | None) -> tuple[ChunkResult, pd.DataFrame]:
    """Read a chunk if it is files, run :func:`process_chunk`, and catch what goes wrong.

    When a stage raises, the chunk is analysed again report by report: the reports a
    stage cannot analyse come back as failures (and, for files, as rows with status
    ``error`` naming the stage and the exception class); the others are analysed.

    A chunk of files is read here first (:func:`analysis.load_corpus`'s per-file reader),
    so the texts are never shipped between processes before they are analysed; the
    loader's rows go back with the tables (duplicates are flagged over the whole corpus
    by the caller). A worker's warnings would otherwise go to its own stderr (or, in a
    forked worker that inherited a "warnings are errors" filter, fail the chunk); the
    caller re-emits them.

    Returns the :data:`ChunkResult` and the chunk as a corpus table (the rows given, or
    the files read: duplicates flagged within the chunk only).
    """
    rows: list[dict[str, Any]] | None = None
    with WARNINGS_LOCK, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load_seconds = 0.0
        if isinstance(chunk, ReportFiles):
            t = time.thread_time()
            rows = read_files(chunk)
            # a table of this chunk for the stages; the rows go back untouched (duplicates
            # are flagged by the caller over the whole corpus)
            chunk = finish_corpus([dict(row) for row in rows])
            load_seconds = time.thread_time() - t
        failures: list[Failure] = []
        try:
            tables, seconds = process_chunk(chunk, tokenize_options=tokenize_options)
        except StageError:
            # a stage cannot analyse some report: find it, analyse the others
            tables, seconds, failures = _by_report(chunk, tokenize_options)
    if rows is not None and failures:
        mark_row_failures(rows, failures)
    seconds["load"] = load_seconds
    return (tables, seconds, [(w.category, str(w.message)) for w in caught], rows, failures), chunk


def mark_failures(table: pd.DataFrame, failures: list[Failure]) -> pd.DataFrame:
    """A copy of a corpus table with the failed reports' status ``error`` and message set (:func:`failure_message`)."""
    out = table.copy()
    messages = {f[0]: failure_message(f) for f in failures}
    hit = out["doc_id"].astype(str).isin(messages)
    if "status" in out.columns:
        out.loc[hit, "status"] = "error"
    else:
        out["status"] = pd.array(["error" if h else "ok" for h in hit], dtype="string")
    old = out["message"] if "message" in out.columns else pd.Series("", index=out.index, dtype="string")
    new = [
        (f"{m}; {messages[d]}" if isinstance(m, str) and m else messages[d]) if h else m
        for d, m, h in zip(out["doc_id"].astype(str), old.tolist(), hit)
    ]
    out["message"] = pd.array(new, dtype=old.dtype if "message" in out.columns else "string")
    return out


def mark_row_failures(rows: list[dict[str, Any]], failures: list[Failure]) -> None:
    """Set status ``error`` and the failure message on the loader rows of failed reports (in place)."""
    failed = {f[0]: f for f in failures}
    for row in rows:
        failure = failed.get(str(row["doc_id"]))
        if failure is not None:
            message = failure_message(failure)
            row["status"] = "error"
            row["message"] = f"{row['message']}; {message}" if row["message"] else message


def split_chunks(corpus: pd.DataFrame | ReportFiles, size: int) -> list[Any]:
    """Consecutive chunks of at most ``size`` documents, in corpus order."""
    if isinstance(corpus, ReportFiles):
        return [corpus._replace(paths=corpus.paths[i : i + size]) for i in range(0, len(corpus.paths), size)]
    return [corpus.iloc[i : i + size] for i in range(0, len(corpus), size)]


def chunk_len(chunk: pd.DataFrame | ReportFiles) -> int:
    """Documents in a chunk."""
    return len(chunk.paths) if isinstance(chunk, ReportFiles) else len(chunk)


def default_chunk_size(n_docs: int, workers: int) -> int:
    """Documents per chunk when none is given: about eight chunks per worker.

    Each call of a stage has a fixed cost (building its tables), so few large chunks are
    cheaper than many small ones; eight per worker keep the last chunks short enough
    that no worker idles long at the end. Bounded by :data:`MIN_CHUNK_SIZE` and
    :data:`MAX_CHUNK_SIZE` (the tables of one chunk stay a few dozen MB).

    >>> default_chunk_size(5000, 2), default_chunk_size(100, 2), default_chunk_size(100_000, 8)
    (313, 10, 500)
    """
    per_chunk = -(-n_docs // max(1, workers * CHUNKS_PER_WORKER))
    return max(MIN_CHUNK_SIZE, min(MAX_CHUNK_SIZE, per_chunk))


# --------------------------------------------------------------------------- assembling


def merge_results(results: list[ChunkResult], *, progress: bool = False) -> tuple[dict[str, pd.DataFrame], dict[str, float]]:
    """Concatenate the chunks' tables in order; empties ``results`` to free memory early."""
    parts: dict[str, list[pd.DataFrame]] = {}
    seconds: dict[str, float] = dict.fromkeys(STAGES, 0.0)
    caught: dict[tuple[type[Warning], str], None] = {}
    for tables, secs, warns, _rows, _failures in results:
        for name, df in tables.items():
            parts.setdefault(name, []).append(df)
        for k, v in secs.items():
            seconds[k] = seconds.get(k, 0.0) + v
        caught.update(dict.fromkeys(warns))
    results.clear()
    for category, message in caught:  # once each, in the order the chunks raised them
        warnings.warn(message, category, stacklevel=3)
    names: Iterable[str] = list(parts)
    if progress:
        from tqdm.auto import tqdm

        names = tqdm(names, desc="assemble", unit="table")
    merged: dict[str, pd.DataFrame] = {}
    for name in names:
        frames = parts.pop(name)  # the chunks of a table are freed once it is built
        merged[name] = concat_tables(frames)
        del frames
    return merged, seconds

