"""Benchmark the pipeline and the command line on synthetic corpora of any size.

Run from the repository root::

    python -m analysis.bench --reports 5000                     # speed-up against the baseline, and the floor
    python -m analysis.bench --reports 2000 10000 --cli --no-baseline      # + the command line end to end
    python -m analysis.bench --reports 10000 100000 --cli --no-pipeline --no-baseline   # scaling of the CLI

For each size it

1. generates (or reuses) a synthetic corpus of N reports with :mod:`analysis.pipeline.synth`,
   cached under ``benchmarks/data/`` (keyed on the generator, the seed reports and the
   gazetteer, so a changed input regenerates it);
2. runs the whole pipeline in memory (:func:`analysis.pipeline.run_pipeline`: load,
   sections, problems, indicators, numbers audit, compliance, term counts) and builds the
   document-term matrix, in a fresh process, timing every stage (``--no-pipeline``
   skips it: in memory, 100,000 reports need ~27 GiB);
3. with ``--cli``, runs the command line end to end in a fresh process (``python -m
   analysis run``: tables streamed to disk, CSV, corpus-level tables, figures,
   manifest) and prints its steps, its wall time counting interpreter start-up, and
   its ratio to the in-memory analysis;
4. runs the baseline in a fresh process: a single-process pandas
   ``.apply(jieba.lcut)`` plus a per-document digits+unit regex over the same files
   (read as UTF-8, else GB18030; no HTML parsing, no metadata), and the floor: rjieba
   cutting the same files on every core and nothing else (``--no-baseline`` skips both);
5. prints seconds and MB/s per stage, wall times, the speed-up (baseline time / pipeline
   time), the pipeline's time over the floor's, and the peak memory of each run, summed
   over the process and all its child processes (sampled every 100 ms, less often on large trees so that sampling takes
   at most 3% of a core): PSS (shared
   pages split between the processes sharing them: what the tree really holds) and RSS
   (shared pages counted once per process: an upper bound).

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
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from analysis import config
from analysis.pipeline import synth
from analysis.pipeline.bench_measure import REPORT_SUFFIXES, measured, report_files

__all__ = ["bench_corpus", "main", "report_files", "run_benchmark"]



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
        if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES:
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


_GIB = 2**30


def _cli_run(folder: Path, *, n_jobs: int | None, engine: str, chunk_size: int | None, reuse: bool, out_dir: str | None) -> dict[str, Any]:
    parent = Path(out_dir) if out_dir else Path(tempfile.gettempdir())
    parent.mkdir(parents=True, exist_ok=True)
    out = parent / f"bench-cli-{folder.name}"
    try:
        return measured("cli", folder=str(folder), out=str(out), n_jobs=n_jobs, engine=engine, chunk_size=chunk_size, reuse=reuse)
    finally:
        shutil.rmtree(out, ignore_errors=True)


def run_benchmark(
    n_reports: int,
    *,
    seed: int = 0,
    n_jobs: int | None = None,
    engine: str = "pandas",
    chunk_size: int | None = None,
    baseline: bool = True,
    pipeline: bool = True,
    cli: bool = False,
    reuse: bool = True,
    out_dir: str | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Benchmark one corpus size; returns the measurements (also printed through ``log``)."""
    folder = bench_corpus(n_reports, seed=seed, data_dir=data_dir, log=log)
    files = report_files(folder)
    n_bytes = sum(p.stat().st_size for p in files)
    mb = n_bytes / 1e6
    load_before = os.getloadavg()
    pipe = measured("pipeline", folder=str(folder), n_jobs=n_jobs, engine=engine, chunk_size=chunk_size, reuse=reuse) if pipeline else None
    run = _cli_run(folder, n_jobs=n_jobs, engine=engine, chunk_size=chunk_size, reuse=reuse, out_dir=out_dir) if cli else None
    base = measured("baseline", folder=str(folder)) if baseline else None
    floor = measured("floor", folder=str(folder), n_jobs=n_jobs) if baseline else None
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
        "cli": run,
        "baseline": base,
        "floor": floor,
    }
    log("")
    log(f"== {n_reports} reports: {len(files)} files, {mb:.1f} MB ({folder})")
    log(f"   {os.cpu_count()} cores, n_jobs={n_jobs or 'all'}, engine={engine}; "
        f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after")  # fmt: skip
    if pipe is not None:
        _report_pipeline(pipe, mb, log)
    if run is not None:
        _report_cli(run, pipe, mb, result, log)
    if base is not None and pipe is not None:
        _report_baseline(base, pipe, mb, result, log)
    if floor is not None:
        fsec = floor["seconds"]
        log(f"   floor (rjieba cut only, {floor['workers']} processes) {fsec['wall']:>6.2f} s  {mb / fsec['wall']:>6.1f} MB/s")
        if pipe is not None:
            result["floor_ratio"] = pipe["seconds"]["wall"] / fsec["wall"]
            log(f"   pipeline / floor = {result['floor_ratio']:.2f}x (the rest: reading HTML and metadata, "
                "sections, indicators and the numbers audit, problems, compliance, tables)")  # fmt: skip
    return result


def _report_pipeline(pipe: dict[str, Any], mb: float, log: Callable[[str], None]) -> None:
    sec = pipe["seconds"]
    log(f"   {'stage':<26}{'seconds':>9}{'MB/s':>9}")
    for key, label in _STAGE_ROWS:
        if key in sec:
            s = sec[key]
            log(f"   {label:<26}{s:>9.2f}{(mb / s if s > 0 else float('inf')):>9.1f}")
    log("   (stages: CPU seconds summed over workers, MB/s per core)")
    log(f"   pipeline wall time        {sec['wall']:>8.2f} s  {mb / sec['wall']:>6.1f} MB/s  "
        f"peak memory {pipe['peak_pss'] / 2**20:,.0f} MiB PSS ({pipe['peak_rss'] / 2**20:,.0f} MiB RSS)")  # fmt: skip
    log(f"   status: {pipe['status']}; rows: {pipe['rows']}; dtm {pipe['dtm_shape'][0]}x{pipe['dtm_shape'][1]}, nnz {pipe['dtm_nnz']:,}")
    log(f"   + corpus-level tables      {sec['corpus_tables']:>8.2f} s  (keyness, template reuse, theme recurrence, in memory: "
        f"the analysis the command line's tables hold, {sec['wall_with_tables']:.2f} s in all)")  # fmt: skip


def _report_cli(run: dict[str, Any], pipe: dict[str, Any] | None, mb: float, result: dict[str, Any], log: Callable[[str], None]) -> None:
    sec = run["seconds"]
    e2e = run["process_wall"]
    steps = ", ".join(f"{k} {v:.1f} s" for k, v in sec.items() if k not in {"total", "wall", "cpu"})
    log(f"   command line end to end   {e2e:>8.2f} s  {mb / e2e:>6.1f} MB/s  peak memory {run['peak_pss'] / 2**20:,.0f} MiB PSS "
        f"({run['peak_rss'] / 2**20:,.0f} MiB RSS){'  OVER 4 GiB' if run['peak_pss'] > 4 * _GIB else ''}")  # fmt: skip
    log(f"     steps: {steps}; start-up {e2e - sec['wall']:.1f} s; CPU {sec['cpu']:.1f} s; output {run['output_bytes'] / 1e9:.2f} GB")
    slow = sorted(run["finish_seconds"].items(), key=lambda kv: -kv[1])[:4]
    log("     finish tasks (side by side): " + ", ".join(f"{k} {v:.1f} s" for k, v in slow))
    if pipe is not None:
        result["cli_ratio"] = e2e / pipe["seconds"]["wall_with_tables"]
        result["cli_ratio_pipeline"] = e2e / pipe["seconds"]["wall"]
        log(f"   command line / in-memory analysis = {result['cli_ratio']:.2f}x (the same tables computed in memory; "
            f"{result['cli_ratio_pipeline']:.2f}x against the pipeline and DTM alone)")


def _report_baseline(base: dict[str, Any], pipe: dict[str, Any], mb: float, result: dict[str, Any], log: Callable[[str], None]) -> None:
    sec, bsec = pipe["seconds"], base["seconds"]
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


def _host_info() -> dict[str, Any]:
    import platform

    import psutil

    return {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cores": os.cpu_count(),
        "memory_gib": psutil.virtual_memory().total / 2**30,
    }


def _scaling(results: list[dict[str, Any]], key: str, label: str) -> None:
    timed = [r for r in results if r.get(key)]
    if len(timed) < 2:
        return
    wall = "process_wall" if key == "cli" else None
    print("")
    print(f"== scaling ({label})")
    for r in timed:
        w = r[key][wall] if wall else r[key]["seconds"]["wall"]
        print(f"   {r['reports']:>7} reports {w:>9.2f} s  ({w / r['reports'] * 1000:.2f} s per 1,000 reports)  "
              f"peak {r[key]['peak_pss'] / _GIB:.2f} GiB PSS")  # fmt: skip
    for a, b in zip(timed, timed[1:]):
        wa = a[key][wall] if wall else a[key]["seconds"]["wall"]
        wb = b[key][wall] if wall else b[key]["seconds"]["wall"]
        print(f"   {b['reports']} / {a['reports']} reports: {wb / wa:.2f}x the time for {b['reports'] / a['reports']:.2f}x the reports")


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m analysis.bench --reports N [N ...] [--cli]``."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis.bench",
        description="Time the pipeline stage by stage on a synthetic corpus, the command line end to end, and compare "
        "with a single-process pandas .apply(jieba.lcut) + regex baseline and an rjieba-only floor.",
    )
    parser.add_argument("--reports", type=int, nargs="+", default=[1000], help="corpus size(s) (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument("--n-jobs", type=int, default=None, help="worker processes (default: all cores)")
    parser.add_argument("--engine", choices=["pandas", "dask"], default="pandas")
    parser.add_argument("--chunk-size", type=int, default=None, help="documents per chunk")
    parser.add_argument("--cli", action="store_true", help="also run the command line end to end (tables, figures, manifest)")
    parser.add_argument("--no-pipeline", action="store_true", help="skip the in-memory pipeline (needed at 100,000 reports)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the jieba.lcut baseline and the rjieba floor")
    parser.add_argument("--no-reuse", action="store_true", help="run the command line with --no-reuse")
    parser.add_argument("--out-dir", default=None, help="where the command line writes (default: the temporary folder)")
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
                pipeline=not args.no_pipeline,
                cli=args.cli,
                reuse=not args.no_reuse,
                out_dir=args.out_dir,
                data_dir=args.data_dir,
            )
        )
    _scaling(results, "pipeline", "in-memory pipeline wall time")
    _scaling(results, "cli", "command line end to end")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(
            json.dumps({"host": _host_info(), "runs": results}, ensure_ascii=False, indent=2, default=float) + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
