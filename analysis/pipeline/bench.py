"""Benchmark the pipeline against the field's ten-line baseline on a synthetic corpus.

Run from the repository root::

    python -m analysis.bench --reports 5000            # one size
    python -m analysis.bench --reports 1000 5000 10000 # several, with the scaling ratio

For each size it

1. generates (or reuses) a synthetic corpus of N reports with :mod:`analysis.pipeline.synth`,
   cached under ``benchmarks/data/`` (keyed on the generator, the seed reports and the
   gazetteer, so a changed input regenerates it);
2. runs the whole pipeline (:func:`analysis.pipeline.run_pipeline`: load, sections,
   problems, indicators, numbers audit, compliance, tokenize and term counts) and builds
   the document-term matrix, in a fresh process, timing every stage;
3. runs the baseline in a fresh process: a single-process pandas
   ``.apply(jieba.lcut)`` plus a per-document digits+unit regex over the same files
   (read as UTF-8, else GB18030; no HTML parsing, no metadata);
4. prints seconds and MB/s per stage, the pipeline's and the baseline's wall time, the
   speed-up (baseline time / pipeline time) and the peak memory of each run, summed
   over the process and all its child processes (sampled every 100 ms): PSS
   (shared pages split between the processes sharing them: what the tree really holds)
   and RSS (shared pages counted once per process: an upper bound).

Stage seconds are CPU seconds summed over workers (so MB/s is per core); ``pipeline``
and ``baseline`` are wall-clock times. Both clocks start after start-up (imports and
dictionary loading: the baseline's ``jieba.initialize()``, the pipeline's
:func:`analysis.pipeline.warm_up`); start-up is measured and printed apart, with the
speed-up counting it. The machine's load average is printed too: timings on a shared
machine vary.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.resources
import json
import multiprocessing
import os
import re
import shutil
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from analysis import config
from analysis.pipeline import synth

__all__ = ["bench_corpus", "main", "report_files", "run_benchmark"]

# Digits with a unit, what a ten-line script greps for, e.g. "217宗", "1.4万余份", "99.7%".
_BASELINE_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:万|亿)?余?(?:元|人次|人|件|宗|次|场|份|个|家|条|户|起|项|篇|%)")
_REPORT_SUFFIXES = (".txt", ".html", ".htm")


# --------------------------------------------------------------------------- the corpus


def default_data_dir() -> Path:
    """``benchmarks/data/`` in a source checkout, else a ``bench`` folder in the user cache."""
    bench = config.PROJECT_ROOT / "benchmarks"
    return bench / "data" if bench.is_dir() else config.cache_dir() / "bench"


def _synth_key(n_reports: int, seed: int) -> str:
    h = hashlib.sha256(f"{n_reports}:{seed}".encode())
    for source in sorted(Path(synth.__file__).parent.glob("*.py")):  # the generator's code
        h.update(source.read_bytes())
    gazetteer = importlib.resources.files("analysis") / "resources" / "gazetteer.csv"
    if gazetteer.is_file():
        h.update(gazetteer.read_bytes())
    for p in sorted(config.SEEDS_DIR.rglob("*")):
        if p.is_file() and p.suffix.lower() in _REPORT_SUFFIXES:
            h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()


def bench_corpus(n_reports: int, *, seed: int = 0, data_dir: str | os.PathLike[str] | None = None, log: Callable[[str], None] = print) -> Path:
    """Folder holding the synthetic corpus of ``n_reports`` reports (generated if needed).

    The folder is ``<data_dir>/synth-<N>-seed<S>``; a hidden ``.synth-key`` file records
    the inputs it was generated from and a hidden ``.manifest.csv`` its manifest (hidden
    files are not read as reports).
    """
    root = Path(data_dir) if data_dir is not None else default_data_dir()
    folder = root / f"synth-{n_reports}-seed{seed}"
    key = _synth_key(n_reports, seed)
    key_file = folder / ".synth-key"
    if key_file.exists() and key_file.read_text(encoding="utf-8").strip() == key:
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    log(f"generating {n_reports} synthetic reports in {folder} ...")
    t = time.perf_counter()
    manifest = synth.generate_corpus(folder, n_reports, seed=seed)
    manifest.to_csv(folder / ".manifest.csv", index=False, encoding="utf-8")
    key_file.write_text(key + "\n", encoding="utf-8")
    log(f"  generated in {time.perf_counter() - t:.1f} s")
    return folder


def report_files(folder: Path) -> list[Path]:
    """The report files the benchmark times (hidden files and folders left out), sorted."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in _REPORT_SUFFIXES and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


# --------------------------------------------------------------------------- measured runs


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
        result = _JOBS[job](**kwargs)
        conn.send(("ok", result))
    except BaseException as exc:  # report any failure to the parent, then exit
        import traceback

        conn.send(("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"))
    finally:
        conn.close()


def _measured(job: str, **kwargs: Any) -> dict[str, Any]:
    """Run a job in a fresh (spawned) process; return its result plus peak tree RSS."""
    import psutil

    ctx = multiprocessing.get_context("spawn")
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
            if tick % 10 == 0:  # listing descendants walks /proc: once a second is enough
                procs = _tree(ps) or procs
            tick += 1
            rss, pss = _tree_memory(procs)
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            stop.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        status, payload = parent_conn.recv()
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
    return payload


def _cpu_seconds() -> float:
    """User+system CPU seconds of this process and of its children that have ended."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _pipeline_job(folder: str, n_jobs: int | None, engine: str, chunk_size: int | None) -> dict[str, Any]:
    t_start = time.perf_counter()
    from analysis.pipeline.engines import run_pipeline_timed, warm_up
    from analysis.pipeline.terms import terms_matrix

    # Start-up outside the clock, as the baseline's jieba.initialize(): imports, the
    # segmenter with its user dictionary, the gazetteer index, codebooks. Reported apart.
    warm_up()
    startup = time.perf_counter() - t_start
    cpu0 = _cpu_seconds()
    t0 = time.perf_counter()
    tables, seconds = run_pipeline_timed(folder, n_jobs=n_jobs, engine=engine, chunk_size=chunk_size)
    t = time.perf_counter()
    matrix, docs, vocab = terms_matrix(tables["terms"], doc_ids=tables["corpus"]["doc_id"].tolist())
    seconds["dtm"] = time.perf_counter() - t
    seconds["wall"] = time.perf_counter() - t0
    seconds["cpu"] = _cpu_seconds() - cpu0  # every process of the run (pools have ended)
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
    cpu0 = _cpu_seconds()
    t0 = time.perf_counter()
    df = pd.DataFrame({"path": files})
    df["text"] = df["path"].apply(_read_naive)
    t1 = time.perf_counter()
    df["tokens"] = df["text"].apply(jieba.lcut)
    t2 = time.perf_counter()
    df["numbers"] = df["text"].apply(_BASELINE_NUMBER.findall)
    t3 = time.perf_counter()
    return {
        "seconds": {"read": t1 - t0, "jieba.lcut": t2 - t1, "regex": t3 - t2, "wall": t3 - t0, "cpu": _cpu_seconds() - cpu0, "startup": startup},
        "tokens": int(df["tokens"].map(len).sum()),
        "numbers": int(df["numbers"].map(len).sum()),
    }


_JOBS: dict[str, Callable[..., dict[str, Any]]] = {"pipeline": _pipeline_job, "baseline": _baseline_job}


# --------------------------------------------------------------------------- reporting

# Stages shown, in pipeline order: (key in the timings, label).
_STAGE_ROWS = (
    ("load", "load (read + parse)"),
    ("sections", "sections"),
    ("problems", "problems (extract+code)"),
    ("indicators", "indicators"),
    ("audit", "numbers audit"),
    ("compliance", "compliance"),
    ("tokenize", "tokenize"),
    ("terms", "term counts"),
    ("dtm", "document-term matrix"),
)


def run_benchmark(
    n_reports: int,
    *,
    seed: int = 0,
    n_jobs: int | None = None,
    engine: str = "pandas",
    chunk_size: int | None = None,
    baseline: bool = True,
    data_dir: str | os.PathLike[str] | None = None,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Benchmark one corpus size; returns the measurements (also printed through ``log``)."""
    folder = bench_corpus(n_reports, seed=seed, data_dir=data_dir, log=log)
    files = report_files(folder)
    n_bytes = sum(p.stat().st_size for p in files)
    mb = n_bytes / 1e6
    load_before = os.getloadavg()
    pipe = _measured("pipeline", folder=str(folder), n_jobs=n_jobs, engine=engine, chunk_size=chunk_size)
    base = _measured("baseline", folder=str(folder)) if baseline else None
    load_after = os.getloadavg()
    result: dict[str, Any] = {
        "reports": n_reports,
        "files": len(files),
        "megabytes": mb,
        "cores": os.cpu_count(),
        "n_jobs": n_jobs,
        "engine": engine,
        "loadavg_before": load_before,
        "loadavg_after": load_after,
        "pipeline": pipe,
        "baseline": base,
    }
    sec = pipe["seconds"]
    log("")
    log(f"== {n_reports} reports: {len(files)} files, {mb:.1f} MB ({folder})")
    log(f"   {os.cpu_count()} cores, n_jobs={n_jobs or 'all'}, engine={engine}; "
        f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after")  # fmt: skip
    log(f"   {'stage':<26}{'seconds':>9}{'MB/s':>9}")
    for key, label in _STAGE_ROWS:
        if key in sec:
            s = sec[key]
            log(f"   {label:<26}{s:>9.2f}{(mb / s if s > 0 else float('inf')):>9.1f}")
    log("   (stages: CPU seconds summed over workers, MB/s per core)")
    log(f"   pipeline wall time        {sec['wall']:>8.2f} s  {mb / sec['wall']:>6.1f} MB/s  "
        f"peak memory {pipe['peak_pss'] / 2**20:,.0f} MiB PSS ({pipe['peak_rss'] / 2**20:,.0f} MiB RSS)")  # fmt: skip
    log(f"   status: {pipe['status']}; rows: {pipe['rows']}; dtm {pipe['dtm_shape'][0]}x{pipe['dtm_shape'][1]}, nnz {pipe['dtm_nnz']:,}")
    if base is not None:
        bsec = base["seconds"]
        log(f"   baseline wall time        {bsec['wall']:>8.2f} s  {mb / bsec['wall']:>6.1f} MB/s  "
            f"peak memory {base['peak_pss'] / 2**20:,.0f} MiB PSS  "
            f"(read {bsec['read']:.2f} s, jieba.lcut {bsec['jieba.lcut']:.2f} s, regex {bsec['regex']:.2f} s)")  # fmt: skip
        ratio = bsec["wall"] / sec["wall"]
        result["speedup"] = ratio
        result["cpu_ratio"] = bsec["cpu"] / sec["cpu"] if sec["cpu"] else float("nan")
        log(f"   speed-up: baseline / pipeline = {ratio:.2f}x (wall time)")
        with_startup = (bsec["wall"] + bsec["startup"]) / (sec["wall"] + sec["startup"])
        result["speedup_with_startup"] = with_startup
        log(f"   start-up before the clock (imports, dictionaries): pipeline {sec['startup']:.2f} s, "
            f"baseline {bsec['startup']:.2f} s; speed-up counting it: {with_startup:.2f}x")
        log(f"   CPU time: pipeline {sec['cpu']:.1f} s over all its processes, baseline {bsec['cpu']:.1f} s; "
            f"baseline / pipeline = {result['cpu_ratio']:.2f}x (less sensitive than wall time to other jobs on the machine)")  # fmt: skip
    return result


def _host_info() -> dict[str, Any]:
    import platform

    import psutil

    return {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cores": os.cpu_count(),
        "memory_gib": psutil.virtual_memory().total / 2**30,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m analysis.bench --reports N [N ...]``."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis.bench",
        description="Time the pipeline stage by stage on a synthetic corpus and compare it with a "
        "single-process pandas .apply(jieba.lcut) + regex baseline.",
    )
    parser.add_argument("--reports", type=int, nargs="+", default=[1000], help="corpus size(s) (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument("--n-jobs", type=int, default=None, help="worker processes (default: all cores)")
    parser.add_argument("--engine", choices=["pandas", "dask"], default="pandas")
    parser.add_argument("--chunk-size", type=int, default=None, help="documents per chunk")
    parser.add_argument("--no-baseline", action="store_true", help="skip the jieba.lcut baseline")
    parser.add_argument("--data-dir", default=None, help="where synthetic corpora are cached (default benchmarks/data/)")
    parser.add_argument("--json", default=None, help="also write the measurements to this JSON file")
    args = parser.parse_args(argv)
    if any(n < 1 for n in args.reports):
        parser.error("--reports must be >= 1")
    results = []
    for n in args.reports:
        results.append(
            run_benchmark(
                n,
                seed=args.seed,
                n_jobs=args.n_jobs,
                engine=args.engine,
                chunk_size=args.chunk_size,
                baseline=not args.no_baseline,
                data_dir=args.data_dir,
            )
        )
    if len(results) > 1:
        print("")
        print("== scaling (pipeline wall time)")
        for r in results:
            w = r["pipeline"]["seconds"]["wall"]
            per = w / r["reports"] * 1000
            print(f"   {r['reports']:>6} reports {w:>8.2f} s  ({per:.2f} s per 1,000 reports)")
        for a, b in zip(results, results[1:]):
            ratio = b["pipeline"]["seconds"]["wall"] / a["pipeline"]["seconds"]["wall"]
            print(f"   {b['reports']} / {a['reports']} reports: {ratio:.2f}x the time for {b['reports'] / a['reports']:.2f}x the reports")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(
            json.dumps({"host": _host_info(), "runs": results}, ensure_ascii=False, indent=2, default=float) + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
