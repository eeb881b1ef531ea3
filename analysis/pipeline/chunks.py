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

import time
import warnings
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

import analysis
from analysis.corpus import finish_corpus, read_report
from analysis.pipeline.terms import term_counts

__all__ = [
    "CHUNKS_PER_WORKER",
    "MAX_CHUNK_SIZE",
    "MIN_CHUNK_SIZE",
    "STAGES",
    "ChunkResult",
    "ReportFiles",
    "chunk_len",
    "default_chunk_size",
    "merge_results",
    "process_chunk",
    "run_chunk",
    "split_chunks",
    "stage_functions",
]

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
    """
    fns = stage_functions()
    seconds: dict[str, float] = {}
    # CPU time of this thread: what the stage costs, whatever else runs on the machine
    # (a process-pool worker or a Dask worker thread alike).
    clock = time.thread_time

    t = clock()
    sections = fns["parse_sections"](corpus)
    seconds["sections"] = clock() - t

    t = clock()
    problems = fns["code_problems"](fns["extract_problems"](sections))
    seconds["problems"] = clock() - t

    t = clock()
    # one scan of each report gives both the stated quantities and the numbers audit
    indicators, audit = fns["extract_indicators_and_audit"](corpus, sections)
    seconds["indicators"] = clock() - t
    seconds["audit"] = 0.0  # counted under "indicators": both come from the same scan

    t = clock()
    compliance = fns["compliance"](corpus, sections, indicators=indicators)
    seconds["compliance"] = clock() - t

    t = clock()
    terms = term_counts(sections, **(tokenize_options or {}))
    seconds["terms"] = clock() - t

    tables = {
        "sections": sections,
        "problems": problems,
        "indicators": indicators,
        "audit": audit,
        "compliance": compliance,
        "terms": terms,
    }
    return tables, seconds


class ReportFiles(NamedTuple):
    """A chunk given as report files (paths as strings), read by the worker that analyses them.

    ``root`` is the folder the files' ``doc_id`` and ``path`` are relative to.
    """

    paths: tuple[str, ...]
    root: str


#: What a chunk sends back: (tables, CPU seconds per stage, warnings raised as
#: (category, message), the loader's rows when the chunk was files, else None).
ChunkResult = tuple[dict[str, pd.DataFrame], dict[str, float], list[tuple[type[Warning], str]], list[dict[str, Any]] | None]


def _read_files(files: ReportFiles) -> list[dict[str, Any]]:
    root = Path(files.root)
    return [read_report(Path(p), root) for p in files.paths]


def run_chunk(args: tuple[pd.DataFrame | ReportFiles, dict[str, Any] | None]) -> ChunkResult:
    """process_chunk in a worker; warnings are recorded and sent back to the caller.

    A chunk of files is read here first (:func:`analysis.load_corpus`'s per-file reader),
    so the texts are never shipped between processes before they are analysed; the
    loader's rows go back with the tables (duplicates are flagged over the whole corpus
    by the caller). A worker's warnings would otherwise go to its own stderr (or, in a
    forked worker that inherited a "warnings are errors" filter, fail the chunk); the
    caller re-emits them.
    """
    chunk, tokenize_options = args
    rows: list[dict[str, Any]] | None = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load_seconds = 0.0
        if isinstance(chunk, ReportFiles):
            t = time.thread_time()
            rows = _read_files(chunk)
            # a table of this chunk for the stages; the rows go back untouched (duplicates
            # are flagged by the caller over the whole corpus)
            chunk = finish_corpus([dict(row) for row in rows])
            load_seconds = time.thread_time() - t
        tables, seconds = process_chunk(chunk, tokenize_options=tokenize_options)
    seconds["load"] = load_seconds
    return tables, seconds, [(w.category, str(w.message)) for w in caught], rows


def split_chunks(corpus: pd.DataFrame | ReportFiles, size: int) -> list[Any]:
    """Consecutive chunks of at most ``size`` documents, in corpus order."""
    if isinstance(corpus, ReportFiles):
        return [ReportFiles(corpus.paths[i : i + size], corpus.root) for i in range(0, len(corpus.paths), size)]
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


def _concat(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate per-chunk tables in order, keeping the dtypes of a one-chunk run."""
    if not frames:
        return pd.DataFrame()
    nonempty = [f for f in frames if len(f)]
    if not nonempty:
        return frames[0].reset_index(drop=True)
    if len(nonempty) == 1:
        return nonempty[0].reset_index(drop=True)
    with warnings.catch_warnings():
        # pandas warns when an all-NA column of one chunk decides the result dtype; the
        # dtype is restored from the first non-empty chunk below.
        warnings.simplefilter("ignore", FutureWarning)
        out = pd.concat(nonempty, ignore_index=True)
    for col in out.columns:
        dtypes = {str(f[col].dtype) for f in nonempty if col in f.columns}
        if len(dtypes) <= 1 and str(out[col].dtype) in dtypes:
            continue
        # a chunk where the column is all NA may carry another dtype (object, float):
        # take the dtype of the first chunk that has values in it
        ref = next((f for f in nonempty if col in f.columns and f[col].notna().any()), nonempty[0])
        if out[col].dtype != ref[col].dtype:
            try:
                out[col] = out[col].astype(ref[col].dtype)
            except (TypeError, ValueError):
                pass
    return out


def merge_results(results: list[ChunkResult], *, progress: bool = False) -> tuple[dict[str, pd.DataFrame], dict[str, float]]:
    """Concatenate the chunks' tables in order; empties ``results`` to free memory early."""
    parts: dict[str, list[pd.DataFrame]] = {}
    seconds: dict[str, float] = dict.fromkeys(STAGES, 0.0)
    caught: dict[tuple[type[Warning], str], None] = {}
    for tables, secs, warns, _rows in results:
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
        merged[name] = _concat(frames)
        del frames
    return merged, seconds

