"""Measured runs of the benchmark: each job in a fresh process, with its peak memory.

:func:`measured` starts a job of :data:`JOBS` in a spawned process and samples the
memory of that process and all its descendants (every 100 ms, or less often on large
trees so that sampling takes at most 3% of a core): PSS (proportional set
size: pages shared between forked workers split between them, what the machine really
spends) and RSS (shared pages counted in every process: an upper bound). The jobs:

- ``pipeline``: :func:`analysis.pipeline.run_pipeline_timed` (in memory) and the
  document-term matrix, after :func:`analysis.pipeline.warm_up`;
- ``baseline``: a single-process ``pandas .apply(jieba.lcut)`` plus a digits+unit regex;
- ``cli``: the command line end to end (tables, CSV, figures, manifest);
- ``floor``: rjieba cutting the same files on every core, nothing else.

psutil, jieba, rjieba and the stages are imported inside the jobs (each runs in its own
process).
"""

from __future__ import annotations

import multiprocessing
import os
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from analysis import config

__all__ = ["JOBS", "REPORT_SUFFIXES", "cpu_seconds", "measured", "report_files"]

# Digits with a unit, what a ten-line script greps for, e.g. "217宗", "1.4万余份", "99.7%".
_BASELINE_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:万|亿)?余?(?:元|人次|人|件|宗|次|场|份|个|家|条|户|起|项|篇|%)")
#: File types the benchmark reads as reports.
REPORT_SUFFIXES = (".txt", ".html", ".htm")


def report_files(folder: Path) -> list[Path]:
    """The report files the benchmark times (hidden files and folders left out), sorted."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )




#: Shortest wait between two memory samples, in seconds.
SAMPLE_INTERVAL = 0.1
#: Largest share of one core the memory sampler may take (it waits longer on large trees).
SAMPLER_DUTY = 0.03


def _pss(pid: int) -> int | None:
    """Proportional set size of a process in bytes, from /proc/PID/smaps_rollup (Linux).

    One small kernel-summed file per process: cheap enough to read every few dozen
    milliseconds (psutil's ``memory_full_info`` parses the whole ``smaps`` instead, which
    costs a core's worth of CPU on a large process and would slow the run it measures).
    """
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _tree(proc: Any) -> list[Any]:
    """The process and all its descendants (psutil.Process objects)."""
    import psutil

    try:
        return [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return []


def _tree_memory(procs: list[Any]) -> tuple[int, int]:
    """(RSS, PSS) summed over ``procs``, in bytes.

    RSS counts pages shared between a parent and its forked workers once per process;
    PSS (proportional set size, Linux) splits them, so its sum is the memory the whole
    tree really holds. Where PSS is unavailable it is reported as the RSS.
    """
    import psutil

    rss = pss = 0
    for p in procs:
        try:
            r = p.memory_info().rss
        except psutil.Error:
            continue
        rss += r
        share = _pss(p.pid)
        pss += r if share is None else share
    return rss, pss


def _kill_tree(proc: Any) -> None:
    import psutil

    try:
        procs = [*proc.children(recursive=True), proc]
    except psutil.Error:
        return
    for p in procs:
        try:
            p.kill()
        except psutil.Error:
            continue


def _child_main(conn: Any, job: str, kwargs: dict[str, Any]) -> None:
    try:
        result = JOBS[job](**kwargs)
        conn.send(("ok", result))
    except BaseException as exc:  # report any failure to the parent, then exit
        import traceback

        conn.send(("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"))
    finally:
        conn.close()


def measured(job: str, **kwargs: Any) -> dict[str, Any]:
    """Run job ``job`` of :data:`JOBS` in a fresh (spawned) process.

    Returns its result plus ``peak_pss`` and ``peak_rss`` (bytes, summed over the process
    and all its descendants, sampled every 100 ms or, on large trees, as often as 3% of a
    core allows) and ``process_wall``: seconds from
    starting the process to its result, interpreter start-up and imports included (what
    a user waits for when running a command).
    """
    import psutil

    ctx = multiprocessing.get_context("spawn")
    started = time.perf_counter()
    parent_conn, child_conn = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child_main, args=(child_conn, job, kwargs))
    proc.start()
    child_conn.close()
    ps = psutil.Process(proc.pid)
    peak_rss = peak_pss = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak_rss, peak_pss
        procs: list[Any] = []
        tick = 0
        while not stop.is_set():
            spent = time.thread_time()
            if tick % 10 == 0:  # listing descendants walks /proc: every tenth sample is enough
                procs = _tree(ps) or procs
            tick += 1
            rss, pss = _tree_memory(procs)
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            # Reading PSS makes the kernel walk every page table of the tree (~15 ms per GiB
            # mapped): sampling every 100 ms would take a fifth of a core from the run it
            # measures (on 2 cores, from the pipeline's workers, not from the one-process
            # baseline). Wait long enough that the sampler takes at most SAMPLER_DUTY of a core.
            spent = time.thread_time() - spent
            stop.wait(max(SAMPLE_INTERVAL, spent / SAMPLER_DUTY))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        status, payload = parent_conn.recv()
        wall = time.perf_counter() - started
    except EOFError:
        status, payload = "error", f"the {job} process died (exit code {proc.exitcode})"
    except BaseException:  # Ctrl-C: take the measured process and its workers down too
        _kill_tree(ps)
        raise
    finally:
        stop.set()
        sampler.join()
    proc.join()
    if status != "ok":
        raise RuntimeError(f"{job} run failed: {payload}")
    payload["peak_rss"] = peak_rss
    payload["peak_pss"] = peak_pss
    payload["process_wall"] = wall
    return payload


def cpu_seconds() -> float:
    """User+system CPU seconds of this process and of its children that have ended."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _pipeline_job(folder: str, n_jobs: int | None, engine: str, chunk_size: int | None, reuse: bool = True) -> dict[str, Any]:
    t_start = time.perf_counter()
    from analysis.pipeline.engines import run_pipeline_timed, warm_up
    from analysis.pipeline.terms import terms_matrix

    # Start-up outside the clock, as the baseline's jieba.initialize(): imports, the
    # segmenter with its user dictionary, the gazetteer index, codebooks. Reported apart.
    warm_up()
    startup = time.perf_counter() - t_start
    cpu0 = cpu_seconds()
    t0 = time.perf_counter()
    tables, seconds = run_pipeline_timed(folder, n_jobs=n_jobs, engine=engine, chunk_size=chunk_size)
    t = time.perf_counter()
    matrix, docs, vocab = terms_matrix(tables["terms"], doc_ids=tables["corpus"]["doc_id"].tolist())
    seconds["dtm"] = time.perf_counter() - t
    seconds["wall"] = time.perf_counter() - t0
    seconds["cpu"] = cpu_seconds() - cpu0  # every process of the run (pools have ended)
    # The corpus-level tables the command line writes too, computed in memory (one process):
    # keyness of the latest year, template reuse, theme recurrence by year.
    import analysis
    from analysis.pipeline.corpus_steps import REUSE_COLUMNS, latest_year_keyness, term_year_counts

    t = time.perf_counter()
    corpus = tables["corpus"]
    ok = corpus[corpus["status"] != "error"]
    latest_year_keyness(term_year_counts(tables["terms"], corpus))
    problems = tables["problems"]
    if len(problems):  # (a corpus without shortcoming items has neither table)
        if reuse:
            analysis.template_reuse(problems[[c for c in REUSE_COLUMNS if c in problems.columns]])
        analysis.theme_recurrence(problems[["doc_id", "item", "themes"]], corpus=ok, by="report_year")
    seconds["corpus_tables"] = time.perf_counter() - t
    seconds["wall_with_tables"] = seconds["wall"] + seconds["corpus_tables"]
    seconds["startup"] = startup
    corpus = tables["corpus"]
    return {
        "seconds": seconds,
        "rows": {name: int(len(df)) for name, df in tables.items()},
        "status": {str(k): int(v) for k, v in corpus["status"].value_counts().items()},
        "dtm_shape": [int(matrix.shape[0]), int(matrix.shape[1])],
        "dtm_nnz": int(matrix.nnz),
    }


def _read_naive(path: str) -> str:
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def _baseline_job(folder: str) -> dict[str, Any]:
    import logging

    import jieba
    import pandas as pd

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.tmp_dir = str(config.cache_dir())
    t_start = time.perf_counter()
    jieba.initialize()  # dictionary load outside the timing, reported apart
    startup = time.perf_counter() - t_start
    files = [str(p) for p in report_files(Path(folder))]
    cpu0 = cpu_seconds()
    t0 = time.perf_counter()
    df = pd.DataFrame({"path": files})
    df["text"] = df["path"].apply(_read_naive)
    t1 = time.perf_counter()
    df["tokens"] = df["text"].apply(jieba.lcut)
    t2 = time.perf_counter()
    df["numbers"] = df["text"].apply(_BASELINE_NUMBER.findall)
    t3 = time.perf_counter()
    return {
        "seconds": {"read": t1 - t0, "jieba.lcut": t2 - t1, "regex": t3 - t2, "wall": t3 - t0, "cpu": cpu_seconds() - cpu0, "startup": startup},
        "tokens": int(df["tokens"].map(len).sum()),
        "numbers": int(df["numbers"].map(len).sum()),
    }


def _cli_job(folder: str, out: str, n_jobs: int | None, engine: str, chunk_size: int | None, reuse: bool) -> dict[str, Any]:
    """The command line end to end (``python -m analysis run``), as a user runs it."""
    import io
    import json

    from analysis.pipeline import cli

    t0 = time.perf_counter()
    cpu0 = cpu_seconds()
    printed = io.StringIO()
    args = ["run", "--corpus", folder, "--out", out, "--overwrite", "--no-progress", "--engine", engine]
    args += ["--n-jobs", str(n_jobs)] if n_jobs is not None else []
    args += ["--chunk-size", str(chunk_size)] if chunk_size is not None else []
    args += [] if reuse else ["--no-reuse"]
    import contextlib

    with contextlib.redirect_stdout(printed):
        code = cli.main(args)
    wall = time.perf_counter() - t0
    if code != 0:
        raise RuntimeError(f"the command line exited with {code}: {printed.getvalue()[-2000:]}")
    manifest = json.loads((Path(out) / "manifest.json").read_text(encoding="utf-8"))
    output_bytes = sum(p.stat().st_size for p in Path(out).rglob("*") if p.is_file())
    return {
        "seconds": {**manifest["seconds"], "wall": wall, "cpu": cpu_seconds() - cpu0},
        "finish_seconds": manifest.get("finish_seconds", {}),
        "chunk_seconds": manifest.get("chunk_seconds", {}),
        "rows": {name: entry["rows"] for name, entry in manifest["tables"].items()},
        "counts": manifest["counts"],
        "output_bytes": output_bytes,
        "summary": printed.getvalue(),
    }


def _floor_init() -> None:
    import rjieba

    global _FLOOR_SEGMENTER
    _FLOOR_SEGMENTER = rjieba.Jieba()
    _FLOOR_SEGMENTER.cut("法治政府建设", False)


_FLOOR_SEGMENTER: Any = None


def _floor_cut(paths: list[str]) -> int:
    return sum(len(_FLOOR_SEGMENTER.cut(_read_naive(p), False)) for p in paths)


def _floor_job(folder: str, n_jobs: int | None) -> dict[str, Any]:
    """The floor: rjieba (its own dictionary, HMM off) cutting the same files on every core.

    Each worker reads and cuts its share of the files; the clock starts once every
    worker has loaded the dictionary. Nothing else is done: no HTML, no metadata, no
    tables. What the pipeline spends above this is the price of everything it extracts.
    """
    workers = n_jobs or os.cpu_count() or 1
    files = [str(p) for p in report_files(Path(folder))]
    shares = [files[i::workers * 8] for i in range(workers * 8)]
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with ctx.Pool(workers, initializer=_floor_init) as pool:
        pool.map(_floor_cut, [[] for _ in range(workers)])  # every worker has its dictionary
        cpu0 = cpu_seconds()
        t0 = time.perf_counter()
        tokens = sum(pool.map(_floor_cut, shares))
        wall = time.perf_counter() - t0
    return {"seconds": {"wall": wall, "cpu": cpu_seconds() - cpu0}, "tokens": tokens, "workers": workers}


#: Jobs :func:`measured` can run, by name.
JOBS: dict[str, Callable[..., dict[str, Any]]] = {
    "pipeline": _pipeline_job,
    "baseline": _baseline_job,
    "cli": _cli_job,
    "floor": _floor_job,
}


