"""Profile each pipeline stage in one process (cProfile), to find where the time goes.

Usage (from the repository root, after ``python -m analysis.bench`` has cached a corpus)::

    python benchmarks/profile_stages.py [--reports 1000] [--docs 300] [--top 12] [--stage load ...]

Runs the stages one after the other on the first ``--docs`` reports of the cached
synthetic corpus of ``--reports`` reports, printing CPU seconds and MB/s per stage
(``time.process_time``: less sensitive than wall time to other jobs on a shared machine)
and, for each stage, the functions with the largest own time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import time
import warnings
from pathlib import Path

import pandas as pd

import analysis
from analysis import pipeline
from analysis.corpus import finish_corpus, read_report  # the loader's per-file reader
from analysis.pipeline import bench

STAGES = ("load", "sections", "problems", "indicators", "audit", "compliance", "tokenize", "term_counts", "dtm")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--stage", nargs="*", default=list(STAGES), choices=STAGES)
    args = parser.parse_args()

    folder = bench.bench_corpus(args.reports)
    files = bench.report_files(folder)[: args.docs]
    mb = sum(p.stat().st_size for p in files) / 1e6
    print(f"{len(files)} files, {mb:.2f} MB from {folder}")
    warnings.simplefilter("ignore")

    # warm-up: imports, gazetteer, segmenter, codebooks (not what we measure)
    warm = finish_corpus([read_report(p, folder) for p in files[:3]])
    s = analysis.parse_sections(warm)
    analysis.code_problems(analysis.extract_problems(s))
    ind = analysis.extract_indicators(warm, s)
    analysis.audit_numbers(warm)
    analysis.compliance(warm, s, indicators=ind)
    analysis.tokenize(s)

    state: dict[str, object] = {}

    def run(stage: str) -> None:
        if stage == "load":
            rows = [read_report(p, folder) for p in files]
            state["corpus"] = finish_corpus(rows)
            return
        corpus = state["corpus"]
        if "sections" not in state:
            state["sections"] = analysis.parse_sections(corpus)
        sections = state["sections"]
        if stage == "sections":
            state["sections"] = analysis.parse_sections(corpus)
        elif stage == "problems":
            analysis.code_problems(analysis.extract_problems(sections))
        elif stage == "indicators":
            state["indicators"] = analysis.extract_indicators(corpus, sections)
        elif stage == "audit":
            analysis.audit_numbers(corpus)
        elif stage == "compliance":
            analysis.compliance(corpus, sections, indicators=state.get("indicators"))
        elif stage == "tokenize":
            state["tokens"] = analysis.tokenize(sections)
        elif stage == "term_counts":
            pipeline.term_counts(sections)
        elif stage == "dtm":
            tokens = state.get("tokens")
            if tokens is None:
                tokens = state["tokens"] = analysis.tokenize(sections)
            analysis.document_term_matrix(tokens)

    if "load" not in args.stage:
        run("load")
    summary = []
    for stage in STAGES:
        if stage not in args.stage:
            continue
        prof = cProfile.Profile()
        t = time.process_time()
        prof.enable()
        run(stage)
        prof.disable()
        cpu = time.process_time() - t
        summary.append((stage, cpu))
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(args.top)
        body = out.getvalue()
        body = body[body.find("ncalls") :] if "ncalls" in body else body
        print(f"\n==== {stage}: {cpu:.2f} CPU s ({mb / cpu if cpu else float('inf'):.1f} MB/s, profiled)\n{body}")
    print("\n==== summary (CPU seconds under cProfile; unprofiled runs are faster)")
    for stage, cpu in summary:
        print(f"   {stage:<12}{cpu:>8.2f} s {mb / cpu if cpu else float('inf'):>8.1f} MB/s")


if __name__ == "__main__":
    pd.set_option("display.width", 200)
    main()
