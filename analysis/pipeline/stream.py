"""Stream the pipeline to disk: each chunk's tables are written as soon as it is analysed.

:func:`stream_pipeline` runs the chunks of :mod:`analysis.pipeline.chunks` on a process
pool or a Dask cluster (:func:`analysis.pipeline.engines.map_chunks`) and writes every
chunk's tables as a partition of a Parquet dataset per table (``out/terms/part-00042.parquet``,
:mod:`analysis.pipeline.dataset`), plus, on request, the pieces of each table's CSV.
Memory stays flat whatever the corpus size: what the run keeps is one small row of
metadata per report (for the corpus table, whose duplicates are flagged over the whole
corpus at the end) and the small per-chunk aggregates the corpus-level steps need
(:func:`analysis.pipeline.corpus_steps.chunk_aggregates`). Reading the dataset back with
:func:`analysis.pipeline.read_table` gives the tables of :func:`analysis.run_pipeline`,
identical, whatever the chunk size and engine.

Who writes the partitions (``write_on``):

- ``"workers"`` (default): each worker reads its chunk's files, analyses them and writes
  the partitions itself; only a summary (row counts, seconds, the loader's metadata)
  travels back. The workers must see the corpus and the output folder: one machine,
  or a cluster with a shared file system.
- ``"client"``: this process reads the files chunk by chunk and sends the texts; the
  workers return the tables and this process writes them. For a cluster without a
  shared file system; every table then crosses the network once.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from analysis.corpus import find_report_files, finish_corpus, warn_index_problems
from analysis.corpus.read import MAX_BYTES
from analysis.pipeline import corpus_steps
from analysis.pipeline.chunks import (
    STAGES,
    WARNINGS_LOCK,
    Failure,
    ReportFiles,
    analyse_chunk,
    chunk_len,
    default_chunk_size,
    failure_message,
    mark_failures,
    mark_row_failures,
    read_files,
    split_chunks,
)
from analysis.pipeline.dataset import partition_name, read_part, write_partition
from analysis.pipeline.engines import StageFailureWarning, map_chunks, n_workers
from analysis.pipeline.terms import empty_terms
from analysis.pipeline.export import assemble_csv, csv_fits, export_table, write_csv_fragment
from analysis.ids import doc_id_table

__all__ = ["CORPUS_TABLE", "STREAM_TABLES", "StreamResult", "stream_chunk", "stream_pipeline"]

#: Tables written chunk by chunk (a partitioned dataset each), in order.
STREAM_TABLES = ("texts", "sections", "problems", "indicators", "audit", "compliance", "terms")
#: The corpus table (metadata, no text): written once, at the end (one file).
CORPUS_TABLE = "corpus"
# Where the CSV pieces wait to be assembled (inside the output folder, removed at the end).
_PIECES = ".csv-pieces"
# A chunk skips its CSV piece of a table whose estimated length is over this many times
# a spreadsheet's rows (the table will be Parquet only); a wrong guess costs only time.
_CSV_SKIP_FACTOR = 1.0


class StreamTask(NamedTuple):
    """One chunk to analyse and write (what a worker receives)."""

    index: int
    chunk: pd.DataFrame | ReportFiles
    tokenize_options: dict[str, Any] | None
    #: where to write the partitions; None: return the tables instead
    tables_dir: str | None
    #: where to write the CSV pieces; None: no CSV
    csv_dir: str | None
    #: documents in the whole corpus (to skip CSV pieces of tables that will be too long)
    corpus_docs: int


class ChunkSummary(NamedTuple):
    """What a worker sends back for one chunk."""

    index: int
    n_docs: int
    rows: dict[str, int]
    csv: dict[str, bool]
    seconds: dict[str, float]
    warnings: list[tuple[type[Warning], str]]
    #: the loader's rows (files), text replaced by its digest; None for a table chunk
    corpus_rows: list[dict[str, Any]] | None
    failures: list[Failure]
    aggregates: dict[str, pd.DataFrame]
    #: the chunk's tables when the client writes them (``write_on="client"``), else None
    tables: dict[str, pd.DataFrame] | None
    columns: dict[str, pd.DataFrame]


def _digest(text: object) -> object:
    """A stand-in for a text that compares equal exactly when the texts do (empty stays empty)."""
    if not isinstance(text, str) or not text:
        return text
    return "sha256:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _texts(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[[c for c in ("doc_id", "sha256", "text") if c in frame.columns]]


def _csv_piece(folder: str, name: str, index: int) -> Path:
    return Path(folder) / name / partition_name(index).replace(".parquet", ".csv")


def write_chunk_tables(
    tables: dict[str, pd.DataFrame], index: int, tables_dir: str, csv_dir: str | None, corpus_docs: int, n_docs: int
) -> dict[str, bool]:
    """Write one chunk's tables as partition ``index`` (and their CSV pieces); returns which pieces were written."""
    written: dict[str, bool] = {}
    for name in STREAM_TABLES:
        df = tables[name]
        write_partition(df, tables_dir, name, index)
        if csv_dir is None:
            continue
        estimate = len(df) / max(n_docs, 1) * corpus_docs
        if not csv_fits(int(estimate / _CSV_SKIP_FACTOR)):
            written[name] = False  # the table will be longer than a spreadsheet: Parquet only
            continue
        write_csv_fragment(df, _csv_piece(csv_dir, name, index))
        written[name] = True
    return written


def stream_chunk(task: StreamTask) -> ChunkSummary:
    """Analyse one chunk and write (or return) its tables: the unit of work of a streaming run."""
    with WARNINGS_LOCK, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        (tables, seconds, warns, rows, failures), frame = analyse_chunk(task.chunk, task.tokenize_options)
        tables = {**tables, "texts": _texts(frame)}
        for name in STREAM_TABLES:  # every report of the chunk failed: no stage made a table
            if name not in tables:
                tables[name] = empty_terms() if name == "terms" else pd.DataFrame()
        clock = time.thread_time
        t = clock()
        aggregates = corpus_steps.chunk_aggregates(tables, frame)
        seconds["aggregate"] = clock() - t
        n_docs = chunk_len(task.chunk)
        csv: dict[str, bool] = {}
        out_tables: dict[str, pd.DataFrame] | None = tables
        if task.tables_dir is not None:
            t = clock()
            csv = write_chunk_tables(tables, task.index, task.tables_dir, task.csv_dir, task.corpus_docs, n_docs)
            seconds["write"] = clock() - t
            out_tables = None
        slim = [{**row, "text": _digest(row.get("text"))} for row in rows] if rows is not None else None
    caught_all = warns + [(w.category, str(w.message)) for w in caught]
    return ChunkSummary(
        index=task.index,
        n_docs=n_docs,
        rows={name: int(len(tables[name])) for name in STREAM_TABLES},
        csv=csv,
        seconds=seconds,
        warnings=caught_all,
        corpus_rows=slim,
        failures=failures,
        aggregates=aggregates,
        tables=out_tables,
        columns={name: tables[name].iloc[:0] for name in STREAM_TABLES},
    )


@dataclass
class StreamResult:
    """What :func:`stream_pipeline` wrote and kept."""

    #: the tables folder
    folder: Path
    #: the corpus table without its text (the texts are in the ``texts`` table)
    corpus: pd.DataFrame
    #: rows per table
    rows: dict[str, int]
    #: files per table, relative to ``folder`` (Parquet partitions, then the CSV)
    files: dict[str, list[str]]
    #: one line per table written as Parquet only, and similar remarks
    notes: list[str]
    #: seconds per stage: CPU seconds summed over chunks for the chunk stages
    #: (:data:`analysis.pipeline.STAGES`, ``aggregate``, ``write``), wall seconds for
    #: ``prepare``, ``analyse``, ``corpus``, ``csv`` and ``total``
    seconds: dict[str, float]
    #: term counts per report year (:func:`analysis.pipeline.corpus_steps.combine_term_year`)
    term_year: pd.DataFrame
    #: each report's share of text per part, with its report year
    part_shares: pd.DataFrame = field(default_factory=pd.DataFrame)


def _check_folder(folder: Path) -> None:
    taken = [n for n in (*STREAM_TABLES, CORPUS_TABLE) if (folder / n).exists() or (folder / f"{n}.parquet").exists()]
    if taken:
        raise FileExistsError(f"{folder} already holds tables ({', '.join(taken)}): give an empty or new folder")


@doc_id_table
def stream_pipeline(
    corpus: Any,
    out_dir: str | os.PathLike[str],
    *,
    n_jobs: int | None = None,
    engine: str = "pandas",
    scheduler: Any = None,
    chunk_size: int | None = None,
    tokenize_options: dict[str, Any] | None = None,
    csv: bool = False,
    write_on: str = "workers",
    progress: bool = False,
    log: Callable[[str], None] | None = None,
    index: str | os.PathLike[str] | bool | None = None,
    follow_symlinks: bool = False,
    max_bytes: int = MAX_BYTES,
) -> StreamResult:
    """Run every stage on a corpus and write the tables to ``out_dir`` chunk by chunk.

    Parameters
    ----------
    corpus
        A folder of reports, a single report file, ``None`` for the default corpus, or a
        corpus table already loaded (as :func:`analysis.run_pipeline`).
    out_dir
        Folder to write the tables into (created; must not hold tables already):
        ``out_dir/NAME/part-NNNNN.parquet`` for :data:`STREAM_TABLES`, and
        ``out_dir/corpus.parquet``.
    n_jobs, engine, scheduler, chunk_size, tokenize_options
        As :func:`analysis.run_pipeline`.
    csv
        Also write ``out_dir/NAME.csv`` for every table that fits in a spreadsheet
        (spreadsheet-safe, :func:`analysis.pipeline.export.export_table`'s format); the
        pieces are written by the workers, in parallel, and joined at the end.
    write_on
        ``"workers"`` or ``"client"``: who writes the partitions (see the module's notes).
    progress
        Show a progress bar over the reports.
    log
        Called with one line per finished step (e.g. ``print``).
    index, follow_symlinks, max_bytes
        How the files are read, as :func:`analysis.load_corpus` (``index``: None finds
        ``index.csv``/``index.jsonl`` at the corpus root, False uses none, a path names
        the crawler's index; it is read once per worker). Ignored when ``corpus`` is a
        table.

    Returns
    -------
    StreamResult
        The corpus table (without text), rows and files per table, seconds per stage,
        and the per-chunk aggregates the corpus-level steps use. Read the tables with
        :func:`analysis.pipeline.read_table`.

    Warns
    -----
    StageFailureWarning
        As :func:`analysis.run_pipeline`.

    Examples
    --------
    >>> import tempfile
    >>> from analysis.pipeline import read_table
    >>> corpus = pd.DataFrame({"doc_id": ["d"], "text": ["一、主要举措和成效\\n开展普法宣传12场。"]})
    >>> with tempfile.TemporaryDirectory() as out:
    ...     result = stream_pipeline(corpus, out, n_jobs=1)
    ...     read_table(out, "indicators")[["subject", "value", "unit"]].values.tolist()
    [['开展普法宣传', 12.0, '场']]
    """
    if engine not in {"pandas", "dask"}:
        raise ValueError(f"engine must be 'pandas' or 'dask', got {engine!r}")
    if write_on not in {"workers", "client"}:
        raise ValueError(f"write_on must be 'workers' or 'client', got {write_on!r}")
    if chunk_size is not None and chunk_size < 1:
        raise ValueError(f"chunk_size must be >= 1, got {chunk_size}")
    say = log or (lambda line: None)
    clock = time.perf_counter
    t0 = clock()
    folder = Path(out_dir)
    _check_folder(folder)
    folder.mkdir(parents=True, exist_ok=True)
    folder = folder.resolve()  # workers may run elsewhere (another working folder)
    csv_dir = str(folder / _PIECES) if csv else None

    table: pd.DataFrame | None = corpus if isinstance(corpus, pd.DataFrame) else None
    if table is not None:
        source: pd.DataFrame | ReportFiles = table
    else:
        if index not in (None, False) and not isinstance(index, (str, os.PathLike)):
            raise TypeError(f"index must be None, False or a path, not {type(index).__name__}")
        explicit = [index] if isinstance(index, (str, os.PathLike)) else []
        files, root = find_report_files(corpus, stacklevel=3, follow_symlinks=follow_symlinks, exclude=explicit)
        index_file = str(Path(index).resolve()) if explicit else index
        warn_index_problems(index_file, root, files, stacklevel=3)
        source = ReportFiles(
            tuple(str(p) for p in files), str(root), index=index_file, follow_symlinks=follow_symlinks, max_bytes=max_bytes
        )
    n_docs = chunk_len(source)
    size = chunk_size or default_chunk_size(n_docs, n_workers(n_jobs))
    chunks = split_chunks(source, size) or [source]
    client_reads = table is None and engine == "dask" and write_on == "client"
    client_rows: dict[int, list[dict[str, Any]]] = {}

    def tasks() -> Iterator[StreamTask]:
        for i, chunk in enumerate(chunks):
            if client_reads:  # this process reads the files; the texts travel to the workers
                rows = read_files(chunk)
                client_rows[i] = rows
                chunk = finish_corpus([dict(r) for r in rows])
            yield StreamTask(
                i, chunk, tokenize_options, str(folder) if write_on == "workers" else None, csv_dir, n_docs
            )

    seconds: dict[str, float] = dict.fromkeys((*STAGES, "aggregate", "write"), 0.0)
    seconds["prepare"] = clock() - t0
    rows_per: dict[str, int] = dict.fromkeys(STREAM_TABLES, 0)
    non_empty: dict[str, list[int]] = {name: [] for name in STREAM_TABLES}
    csv_done: dict[str, set[int]] = {name: set() for name in STREAM_TABLES}
    columns: dict[str, dict[int, pd.DataFrame]] = {name: {} for name in STREAM_TABLES}
    caught: dict[int, list[tuple[type[Warning], str]]] = {}
    corpus_rows: dict[int, list[dict[str, Any]]] = {}
    failures: list[Failure] = []
    term_year: list[pd.DataFrame] = []
    shares: list[pd.DataFrame] = []
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=n_docs, desc="analyse", unit="doc")
    t1 = clock()
    try:
        for summary in map_chunks(
            stream_chunk, tasks(), n_tasks=len(chunks), engine=engine, n_jobs=n_jobs, scheduler=scheduler, tokenize_options=tokenize_options
        ):
            i = summary.index
            if summary.tables is not None:  # the client writes
                t = time.thread_time()
                written = write_chunk_tables(summary.tables, i, str(folder), csv_dir, n_docs, summary.n_docs)
                seconds["write"] += time.thread_time() - t
            else:
                written = summary.csv
            for name, n in summary.rows.items():
                rows_per[name] += n
                if n:
                    non_empty[name].append(i)
                columns[name][i] = summary.columns[name]
            for name, ok in written.items():
                if ok:
                    csv_done[name].add(i)
            for k, v in summary.seconds.items():
                seconds[k] = seconds.get(k, 0.0) + v
            caught[i] = summary.warnings
            if summary.corpus_rows is not None:
                corpus_rows[i] = summary.corpus_rows
            elif i in client_rows:
                rows = [{**r, "text": _digest(r.get("text"))} for r in client_rows.pop(i)]
                mark_row_failures(rows, summary.failures)
                corpus_rows[i] = rows
            failures.extend(summary.failures)
            term_year.append(summary.aggregates["term_year"])
            if len(term_year) >= 32:  # keep the running sum small
                term_year = [corpus_steps.combine_term_year(term_year)]
            if "part_shares" in summary.aggregates:
                shares.append((i, summary.aggregates["part_shares"]))
            if bar is not None:
                bar.update(summary.n_docs)
    finally:
        if bar is not None:
            bar.close()
    seconds["analyse"] = clock() - t1
    say(f"analyse: {n_docs:,} reports in {len(chunks)} chunks, {seconds['analyse']:.1f} s")

    # the corpus table: duplicates flagged over the whole corpus
    t2 = clock()
    if table is None:
        ordered = [row for i in sorted(corpus_rows) for row in corpus_rows[i]]
        full = finish_corpus(ordered)
    else:
        full = mark_failures(table, failures) if failures else table
    slim = full.drop(columns=["text"], errors="ignore").reset_index(drop=True)
    del full
    files: dict[str, list[str]] = {CORPUS_TABLE: [p.name for p in export_table(slim, CORPUS_TABLE, folder, csv=csv)]}
    seconds["corpus"] = clock() - t2
    say(f"corpus table: {len(slim):,} rows, {seconds['corpus']:.1f} s")

    # partitions: drop the empty ones of tables that have rows (a reader then never meets
    # a partition whose columns have no type), keep one for a table with no rows at all
    for name in STREAM_TABLES:
        keep = non_empty[name] or [0]
        for i in range(len(chunks)):
            if i not in keep:
                (folder / name / partition_name(i)).unlink(missing_ok=True)
        files[name] = [f"{name}/{partition_name(i)}" for i in sorted(keep)]
    rows_per[CORPUS_TABLE] = len(slim)

    notes: list[str] = []
    t3 = clock()
    if csv:
        from analysis import safe_csv

        for name in STREAM_TABLES:
            if not csv_fits(rows_per[name]):
                notes.append(
                    f"{name} has {rows_per[name]:,} rows, more than a spreadsheet opens ({safe_csv.EXCEL_MAX_ROWS:,} rows): "
                    f"written as Parquet only (tables/{name}/)"
                )
                continue
            keep = sorted(non_empty[name])
            for i in keep:
                if i not in csv_done[name]:  # the chunk guessed the table too long: write its piece now
                    write_csv_fragment(read_part(folder / name / partition_name(i)), _csv_piece(csv_dir, name, i))
            header = columns[name][min(keep or [0])]  # the columns of the first partition kept
            assemble_csv(header, [_csv_piece(csv_dir, name, i) for i in keep], folder / f"{name}.csv")
            files[name].append(f"{name}.csv")
        shutil.rmtree(folder / _PIECES, ignore_errors=True)
    seconds["csv"] = clock() - t3
    if csv:
        say(f"csv: {sum(1 for f in files.values() if any(x.endswith('.csv') for x in f))} tables, {seconds['csv']:.1f} s")

    seen: dict[tuple[type[Warning], str], None] = {}
    for i in sorted(caught):
        seen.update(dict.fromkeys(caught[i]))
    for category, message in seen:  # once each, in corpus order
        warnings.warn(message, category, stacklevel=3)  # the caller, past doc_id_table
    if failures:
        doc = failures[0][0]
        warnings.warn(
            f"{len(failures)} report(s) could not be analysed and have status 'error'; their message "
            f"names the stage (first: {doc}: {failure_message(failures[0])})",
            StageFailureWarning,
            stacklevel=3,
        )
    part_shares = pd.concat([s for _, s in sorted(shares, key=lambda x: x[0])], ignore_index=True) if shares else pd.DataFrame()
    seconds["total"] = clock() - t0
    return StreamResult(
        folder=folder,
        corpus=slim,
        rows=rows_per,
        files=files,
        notes=notes,
        seconds=seconds,
        term_year=corpus_steps.combine_term_year(term_year),
        part_shares=part_shares,
    )
