"""Run every stage on a corpus, in parallel over documents, on one machine or on Dask.

Every stage after loading works one document at a time, so the corpus is cut into
chunks of whole documents (in corpus order), each chunk goes through all the stages in
one worker (:mod:`analysis.pipeline.chunks`), and the per-chunk tables are concatenated
back in document order. The result is the same table whatever the number of workers or
the engine:

- ``engine="pandas"``: a process pool on this machine (``n_jobs`` processes, default all
  cores; ``n_jobs=1`` runs in this process).
- ``engine="dask"``: the same chunk function mapped over a ``dask.bag`` with one
  partition per chunk, on a ``distributed`` cluster: give the scheduler's address
  (``scheduler="tcp://10.0.0.5:8786"``) or a ``distributed.Client``; without one a local
  cluster of ``n_jobs`` worker processes is started for the call and closed after.

Tokens are reduced to term counts per document and part inside the workers
(:mod:`analysis.pipeline.terms`). dask, distributed and tqdm are imported inside the
functions that use them (heavy, and only needed for those options).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any

import pandas as pd

import analysis
from analysis.corpus import finish_corpus, find_report_files
from analysis.corpus import places
from analysis.pipeline.chunks import (
    STAGES,
    ChunkResult,
    Failure,
    ReportFiles,
    StageError,
    chunk_len,
    default_chunk_size,
    failure_message,
    mark_failures,
    merge_results,
    process_chunk,
    run_chunk,
    run_chunk_shared,
    split_chunks,
)
from analysis.pipeline import transport
from analysis.pipeline.terms import empty_terms
from analysis.ids import doc_id_table

__all__ = ["TABLES", "StageFailureWarning", "exit_with_parent", "map_chunks", "n_workers", "run_pipeline", "run_pipeline_timed", "warm_up"]

#: Tables returned by :func:`run_pipeline`, in order.
TABLES = ("corpus", "sections", "problems", "indicators", "audit", "compliance", "terms")


def n_workers(n_jobs: int | None) -> int:
    """Worker processes for ``n_jobs`` (``None`` or 0: all cores; -1: all cores, -2: all but one)."""
    cores = os.cpu_count() or 1
    if n_jobs is None or n_jobs == 0:
        return cores
    if n_jobs < 0:
        return max(1, cores + 1 + n_jobs)  # -1: all cores, -2: all but one
    return n_jobs


def _progress(results: Iterable[ChunkResult], *, enabled: bool, sizes: Sequence[int]) -> Iterator[ChunkResult]:
    """Yield chunk results, advancing a bar by the documents of each chunk."""
    if not enabled:
        yield from results
        return
    from tqdm.auto import tqdm

    with tqdm(total=sum(sizes), desc="analyse", unit="doc") as bar:
        for result, size in zip(results, sizes):
            yield result
            bar.update(size)


# A small report exercising every stage (headings, numbers, shortcomings, plans), run
# once in the parent before forking workers so they inherit loaded modules and caches.
_WARM_UP_TEXT = (
    "2023年,某街道深入学习贯彻习近平法治思想,现将有关情况报告如下:\n"
    "一、主要举措和成效\n(一)加强组织领导。全年召开专题会议12次,开展普法宣传120余场次,"
    "发放宣传资料1.4万余份,调解成功率99.7%。\n"
    "二、存在的不足和原因\n一是法治队伍人员力量不足。\n二是普法宣传形式单一。\n"
    "三、2024年工作计划\n(一)加强执法队伍建设,组织培训不少于3次。"
)


def _warm_up(tokenize_options: dict[str, Any] | None) -> None:
    """Import every stage and build its caches (segmenter, codebooks, patterns) here."""
    corpus = pd.DataFrame({"doc_id": ["warm-up"], "text": [_WARM_UP_TEXT]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            process_chunk(corpus, tokenize_options=tokenize_options)
        except StageError:
            pass  # a broken stage shows on the reports themselves (status error), not here


def exit_with_parent() -> None:
    """In a pool worker: end this process when the process that started it is gone.

    A pool's workers wait for work on a pipe they also hold open themselves, so they
    would wait forever after their parent was killed (SIGKILL), keeping its output pipes
    open. A daemon thread checks twice a second that the worker's parent is still the
    one it started with: a dead parent's children are handed to another process at once,
    even before the dead parent is reaped (with "forkserver", the fork server, which
    exits with the main process).
    """
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _pool_context() -> tuple[Any, bool]:
    """(multiprocessing context, whether workers inherit this process's state).

    ``fork`` where it is safe (POSIX, this process has one thread): workers start at once
    and share the parent's loaded segmenter and tables copy-on-write. With other threads
    running (a notebook's, a Dask client's) forking can deadlock: ``forkserver`` then, or
    the platform's default (``spawn`` on Windows and macOS).
    """
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork"), True
    if "forkserver" in methods:
        return multiprocessing.get_context("forkserver"), False
    return None, False


@contextlib.contextmanager
def _forking_quietly() -> Iterator[None]:
    """Silence Python 3.12's warning that forking a process with several OS threads may deadlock.

    :func:`_pool_context` forks only when this process runs one Python thread; the other OS
    threads it then counts are native pools (OpenBLAS, Arrow, jemalloc) that reinitialise in
    the child, so the warning (a DeprecationWarning, an error under pytest) does not apply.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message=r"This process \(pid=\d+\) is multi-threaded, use of fork\(\)", category=DeprecationWarning
        )
        yield


def _run_pandas(chunks: list[Any], workers: int, tokenize_options: dict[str, Any] | None, progress: bool) -> list[ChunkResult]:
    tasks = [(c, tokenize_options) for c in chunks]
    sizes = [chunk_len(c) for c in chunks]
    if workers <= 1 or len(chunks) <= 1:
        return list(_progress(map(run_chunk, tasks), enabled=progress, sizes=sizes))
    context, inherits = _pool_context()
    if inherits:
        _warm_up(tokenize_options)
    before = set(multiprocessing.active_children())
    with transport.shared_folder() as folder:
        pool = ProcessPoolExecutor(
            max_workers=min(workers, len(chunks)), mp_context=context, initializer=exit_with_parent
        )
        try:
            # The tables come back through shared memory, not the result pipe (see
            # analysis.pipeline.transport). map() yields results in submission order: the
            # output order is the corpus order.
            shared = [(c, tokenize_options, folder, f"{i:06d}") for i, (c, _) in enumerate(tasks)]
            with _forking_quietly():
                results = pool.map(run_chunk_shared, shared)  # workers are forked here, before any bar thread
            done = [
                (transport.receive_tables(tables), *rest)
                for tables, *rest in _progress(results, enabled=progress, sizes=sizes)
            ]
        except BaseException:
            # Interrupted (Ctrl-C, SIGTERM turned into an exception) or a worker died: stop
            # now rather than wait for the queued chunks.
            _stop_pool(pool, before)
            raise
        pool.shutdown()
    return done  # type: ignore[return-value]


def _stop_pool(pool: ProcessPoolExecutor, before: set[Any]) -> None:
    """Cancel the queued tasks and end this pool's workers (those not in ``before``) now."""
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in set(multiprocessing.active_children()) - before:
        worker.kill()


def _run_dask(chunks: list[Any], workers: int, scheduler: Any, tokenize_options: dict[str, Any] | None, progress: bool) -> list[ChunkResult]:
    import dask.bag as db

    scattered: list[Any] = []
    client, own_client, own_cluster = _dask_client(workers, scheduler)
    try:
        tasks = [[(c, tokenize_options)] for c in chunks]  # one partition per chunk
        if hasattr(client, "scatter"):
            # Send the documents to the workers once, outside the task graph (a graph
            # holding the texts of thousands of reports is slow to ship and warned about).
            # Keep the futures referenced until the results are back, or the scheduler
            # releases the data ("lost dependencies").
            scattered = client.scatter(tasks, hash=False)
            bag = db.from_delayed(scattered)
        else:
            bag = db.from_sequence([t for part in tasks for t in part], npartitions=len(tasks))
        bag = bag.map(run_chunk)
        if progress:
            from distributed import progress as dask_progress

            futures = client.compute(bag.to_delayed())
            dask_progress(futures)
            results = [r for part in client.gather(futures) for r in part]
        else:
            results = bag.compute(scheduler=client)
        return list(results)
    finally:
        del scattered
        if own_client is not None:
            own_client.close()
        if own_cluster is not None:
            own_cluster.close()


def _dask_client(workers: int, scheduler: Any) -> tuple[Any, Any, Any]:
    """(client, client to close, cluster to close) for ``scheduler`` (see :func:`run_pipeline`)."""
    from distributed import Client, LocalCluster

    if scheduler is None:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
        return client, client, cluster
    if isinstance(scheduler, str):
        client = Client(scheduler)
        return client, client, None
    return scheduler, None, None  # a distributed.Client


def map_chunks(
    fn: Callable[[Any], Any],
    tasks: Iterable[Any],
    *,
    n_tasks: int,
    engine: str = "pandas",
    n_jobs: int | None = None,
    scheduler: Any = None,
    tokenize_options: dict[str, Any] | None = None,
    window: int | None = None,
) -> Iterator[Any]:
    """Run ``fn`` on every task on a process pool or a Dask cluster; yield results as they finish.

    The streaming counterpart of :func:`run_pipeline`'s engines: results come back in
    the order they finish (a task carries its own chunk number), and at most ``window``
    tasks (default: two per worker, at least 2) are in flight, so the tasks can be made
    lazily (e.g. files read in this process just before they are sent) and results
    never pile up. ``n_tasks`` is how many ``tasks`` yields (for the pool's size).

    ``engine="pandas"``: a process pool of ``n_jobs`` workers (forked with the stages
    already loaded where that is safe; ``n_jobs=1`` runs in this process).
    ``engine="dask"``: ``client.submit`` per task on the cluster of ``scheduler`` (an
    address, a ``distributed.Client``, or ``None`` for a local cluster of ``n_jobs``
    worker processes started for this call). An interruption or an error stops the
    workers this call started.
    """
    if engine not in {"pandas", "dask"}:
        raise ValueError(f"engine must be 'pandas' or 'dask', got {engine!r}")
    workers = n_workers(n_jobs)
    window = max(2, window or 2 * workers)
    if engine == "dask":
        yield from _map_dask(fn, tasks, workers, scheduler, window)
        return
    if workers <= 1 or n_tasks <= 1:
        for task in tasks:
            yield fn(task)
        return
    context, inherits = _pool_context()
    if inherits:
        warm_up(tokenize_options)
    before = set(multiprocessing.active_children())
    pool = ProcessPoolExecutor(
        max_workers=min(workers, n_tasks), mp_context=context, initializer=exit_with_parent
    )
    try:
        it = iter(tasks)
        pending: set[Future[Any]] = set()

        def refill() -> None:
            while len(pending) < window:
                task = next(it, _DONE)
                if task is _DONE:
                    return
                with _forking_quietly():  # a worker may be forked at a submit
                    pending.add(pool.submit(fn, task))

        refill()
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                pending.discard(future)
                yield future.result()
            refill()
    except BaseException:
        # Interrupted (Ctrl-C, SIGTERM turned into an exception), a worker died, or the
        # caller stopped reading: end only this pool's workers, now.
        _stop_pool(pool, before)
        raise
    pool.shutdown()


_DONE = object()


def _map_dask(fn: Callable[[Any], Any], tasks: Iterable[Any], workers: int, scheduler: Any, window: int) -> Iterator[Any]:
    from distributed import as_completed

    client, own_client, own_cluster = _dask_client(workers, scheduler)
    try:
        it = iter(tasks)
        running = as_completed()

        def submit() -> bool:
            task = next(it, _DONE)
            if task is _DONE:
                return False
            # the task's data goes to a worker once, outside the task graph (a graph
            # holding the texts of hundreds of reports is slow to ship and warned about)
            data = client.scatter([task], hash=False)[0]
            running.add(client.submit(fn, data, pure=False))
            return True

        for _ in range(window):
            if not submit():
                break
        for future in running:
            result = future.result()
            future.release()
            yield result
            submit()
    finally:
        if own_client is not None:
            own_client.close()
        if own_cluster is not None:
            own_cluster.close()


# --------------------------------------------------------------------------- public


def _report_files(corpus: Any) -> ReportFiles:
    """The report files :func:`analysis.load_corpus` would read, with its warning."""
    files, root = find_report_files(corpus, stacklevel=5)  # -> the caller of run_pipeline (past doc_id_table)
    return ReportFiles(tuple(str(p) for p in files), str(root))


def _corpus_from_rows(results: list[ChunkResult]) -> pd.DataFrame:
    """The corpus table from the loader rows of each chunk (as :func:`analysis.load_corpus`)."""
    rows = [row for result in results for row in (result[3] or [])]
    return finish_corpus(rows)  # duplicates over the whole corpus: a twin may sit in another chunk


def _warm_up_loader() -> None:
    # Build the gazetteer index once here; forked workers inherit it.
    places.resolve_places("")


def warm_up(tokenize_options: dict[str, Any] | None = None) -> None:
    """Load everything the pipeline needs (modules, segmenter, gazetteer, codebooks) now.

    :func:`run_pipeline` does this itself before starting workers; call it first only to
    keep start-up out of a timing (as :mod:`analysis.bench` does, like its baseline's
    ``jieba.initialize()``), or to pay the cost before a notebook's first run.
    """
    _warm_up_loader()
    _warm_up(tokenize_options)


def run_pipeline_timed(
    corpus: Any = None,
    *,
    n_jobs: int | None = None,
    engine: str = "pandas",
    scheduler: Any = None,
    progress: bool = False,
    chunk_size: int | None = None,
    tokenize_options: dict[str, Any] | None = None,
) -> tuple[dict[str, pd.DataFrame], dict[str, float]]:
    """:func:`run_pipeline`, also returning seconds per stage.

    The stage seconds (:data:`STAGES`) are CPU seconds summed over workers: ``load`` is
    reading and parsing the files, done by the workers that analyse them (with
    ``engine="dask"`` the files are read in this process and ``load`` is its wall-clock
    time; 0 for a table already loaded). ``prepare`` (listing the files, loading the
    gazetteer), ``analyse`` (the parallel part), ``assemble`` and ``total`` are
    wall-clock seconds.
    """
    if engine not in {"pandas", "dask"}:
        raise ValueError(f"engine must be 'pandas' or 'dask', got {engine!r}")
    if chunk_size is not None and chunk_size < 1:
        raise ValueError(f"chunk_size must be >= 1, got {chunk_size}")
    workers = n_workers(n_jobs)
    clock = time.perf_counter
    t0 = clock()
    table: pd.DataFrame | None = None
    source: pd.DataFrame | ReportFiles
    if isinstance(corpus, pd.DataFrame):
        source = table = corpus
    elif engine == "pandas":
        # Files are read by the workers that analyse them (see _chunk_task).
        source = _report_files(corpus)
        if workers > 1:
            _warm_up_loader()
    else:
        # Dask workers may run on other machines without access to the files: read them
        # here and ship the texts.
        _warm_up_loader()
        source = table = _load_in_client(corpus, workers)
    t_load = clock() - t0
    n_docs = chunk_len(source)
    size = chunk_size or default_chunk_size(n_docs, workers)
    chunks = split_chunks(source, size) or [source]
    t1 = clock()
    if engine == "pandas":
        results = _run_pandas(chunks, workers, tokenize_options, progress)
    else:
        results = _run_dask(chunks, workers, scheduler, tokenize_options, progress)
    t_analyse = clock() - t1
    t2 = clock()
    failures = [f for result in results for f in result[4]]
    if table is None:
        table = _corpus_from_rows(results)  # failed reports are error rows already
    elif failures:
        table = mark_failures(table, failures)
    tables, seconds = merge_results(results, progress=progress)
    out = {"corpus": table.reset_index(drop=True)}
    for name in TABLES[1:]:
        out[name] = tables.get(name, pd.DataFrame())
    if "terms" in out and out["terms"].empty and not len(out["terms"].columns):
        out["terms"] = empty_terms()
    if engine == "dask" and not isinstance(corpus, pd.DataFrame):
        seconds["load"] = t_load  # read in this process (wall seconds), not by the workers
    seconds.update(prepare=t_load, analyse=t_analyse, assemble=clock() - t2, total=clock() - t0)
    if failures:
        doc = failures[0][0]
        warnings.warn(
            f"{len(failures)} report(s) could not be analysed and have status 'error'; their message "
            f"names the stage (first: {doc}: {failure_message(failures[0])})",
            StageFailureWarning,
            stacklevel=4,
        )
    return out, seconds


class StageFailureWarning(UserWarning):
    """Some reports could not be analysed by a stage (they have status ``error``)."""


def _load_in_client(corpus: Any, workers: int) -> pd.DataFrame:
    return analysis.load_corpus(corpus, n_jobs=workers)


@doc_id_table
def run_pipeline(
    corpus: Any = None,
    *,
    n_jobs: int | None = None,
    engine: str = "pandas",
    scheduler: Any = None,
    progress: bool = False,
    chunk_size: int | None = None,
    tokenize_options: dict[str, Any] | None = None,
) -> dict[str, pd.DataFrame]:
    """Run every stage on a corpus and return all the tables.

    Parameters
    ----------
    corpus
        A folder of reports (loaded with :func:`analysis.load_corpus`), ``None`` for the
        default corpus (``$ANALYSIS_CORPUS`` or the seeds), or a table already loaded.
    n_jobs
        Worker processes (default ``None``: all cores; ``1``: run in this process;
        ``-1``: all cores, ``-2``: all but one). Used for loading too.
    engine
        ``"pandas"`` (a process pool on this machine) or ``"dask"`` (a ``dask.bag`` over
        chunks of documents on a distributed cluster).
    scheduler
        ``engine="dask"`` only: a scheduler address (``"tcp://host:8786"``) or a
        ``distributed.Client``. ``None`` starts a local cluster of ``n_jobs`` workers for
        this call.
    progress
        Show a progress bar (tqdm) while documents are analysed.
    chunk_size
        Documents per chunk (default: :func:`default_chunk_size`). Tables do not depend on
        it.
    tokenize_options
        Keyword arguments passed to :func:`analysis.tokenize`.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``corpus`` (the loaded table), ``sections``, ``problems`` (shortcoming items
        coded with themes), ``indicators``, ``audit`` (every numeral classified),
        ``compliance`` and ``terms`` (``doc_id``, ``part``, ``term``, ``n``: term counts
        per document and part; see :func:`count_terms`), each in corpus document order.
        The tables are identical whatever ``n_jobs``, ``engine`` and ``chunk_size``.

    Warns
    -----
    StageFailureWarning
        When a stage raised on some reports. The run goes on: those reports get status
        ``error`` in ``corpus`` with the stage and the exception class in ``message``
        (e.g. ``analysis failed in stage indicators: InvalidOperation: …``) and have no
        rows in the other tables; every other report is analysed.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["d"], "text": [
    ...     "2023年,某街道推进法治建设。\\n一、主要举措和成效\\n开展普法宣传12场。\\n"
    ...     "二、存在的不足\\n一是队伍力量不足。\\n三、下一年度工作计划\\n加强培训。"]})
    >>> tables = run_pipeline(corpus, n_jobs=1)
    >>> sorted(tables)
    ['audit', 'compliance', 'corpus', 'indicators', 'problems', 'sections', 'terms']
    >>> tables["problems"][["text", "themes"]].values.tolist()
    [['队伍力量不足', 'staffing']]
    >>> tables["indicators"][["subject", "value", "unit"]].values.tolist()
    [['开展普法宣传', 12.0, '场']]
    """
    tables, _ = run_pipeline_timed(
        corpus,
        n_jobs=n_jobs,
        engine=engine,
        scheduler=scheduler,
        progress=progress,
        chunk_size=chunk_size,
        tokenize_options=tokenize_options,
    )
    return tables
