"""Save every public table of the package on a corpus, or compare against a saved snapshot.

The safety net for refactors and speed work: run ``save`` before a change and ``compare``
after every step; each table is checked with ``pandas.testing.assert_frame_equal``
(values, dtypes, column and row order). Each stage is fed the *saved* output of the stage
before it, so one stage can be checked while another is being rewritten.

Usage::

    python scripts/snapshot_tables.py save    /tmp/ref --corpus seeds
    python scripts/snapshot_tables.py save    /tmp/ref-synth --synth 1000
    python scripts/snapshot_tables.py compare /tmp/ref [--only sections,problems]

Snapshots are pickles of DataFrames (exact dtypes): they are scratch files for one
machine, never committed.
"""

from __future__ import annotations

import argparse
import pickle
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pandas.testing as pdt

WATCH = ["法治", "依法行政", "行政执法", "普法", "复议"]


def _stages() -> dict[str, Callable[[dict[str, pd.DataFrame]], pd.DataFrame]]:
    """name -> function of the saved tables (each reads only saved inputs)."""
    import analysis

    def first_year(t: dict[str, pd.DataFrame]) -> list[str]:
        c = t["corpus"]
        years = c["report_year"].dropna()
        if years.empty:
            return list(c["doc_id"][:1])
        return list(c.loc[c["report_year"] == years.max(), "doc_id"])

    return {
        "sections": lambda t: analysis.parse_sections(t["corpus"]),
        "problems": lambda t: analysis.extract_problems(t["sections"]),
        "coded": lambda t: analysis.code_problems(t["problems"]),
        "compliance": lambda t: analysis.compliance(t["corpus"], t["sections"]),
        "timeliness": lambda t: analysis.publication_timeliness(t["corpus"]),
        "indicators": lambda t: analysis.extract_indicators(t["corpus"], t["sections"]),
        "indicators_nosec": lambda t: analysis.extract_indicators(t["corpus"]),
        "audit": lambda t: analysis.audit_numbers(t["corpus"], t["sections"]),
        "compliance_ind": lambda t: analysis.compliance(t["corpus"], t["sections"], indicators=t["indicators"]),
        "cases": lambda t: analysis.extract_cases(t["corpus"]),
        "tokens": lambda t: analysis.tokenize(t["sections"]),
        "tokens_corpus": lambda t: analysis.tokenize(t["corpus"], boilerplate=True),
        "term_freq": lambda t: analysis.term_frequencies(t["tokens"]),
        "term_freq_year": lambda t: analysis.term_frequencies(t["tokens"], by="report_year", corpus=t["corpus"]),
        "tfidf": lambda t: analysis.tfidf_top_terms(t["tokens"]),
        "trends": lambda t: analysis.keyword_trends(t["tokens"], WATCH, corpus=t["corpus"]),
        "trends_contains": lambda t: analysis.keyword_trends(t["tokens"], WATCH, corpus=t["corpus"], match="contains"),
        "keyness": lambda t: analysis.keyness(t["tokens"], first_year(t)),
        "kwic": lambda t: analysis.kwic(t["corpus"], "法治"),
        "collocations": lambda t: analysis.collocations(t["tokens"]),
        "themes_long": lambda t: analysis.themes_long(t["coded"]),
        "plan_items": lambda t: analysis.plan_items(t["sections"]),
        "recurrence": lambda t: analysis.theme_recurrence(t["coded"], corpus=t["corpus"], by="issuer"),
        "persistence": lambda t: analysis.theme_persistence(t["coded"], t["corpus"]),
        "reuse": lambda t: analysis.template_reuse(t["coded"]),
        "clusters": lambda t: analysis.template_clusters(t["coded"]),
        "follow": lambda t: analysis.follow_through(t["coded"], t["sections"], corpus=t["corpus"]),
    }


def _pipeline(corpus_path: str) -> dict[str, pd.DataFrame]:
    import analysis

    out = analysis.run_pipeline(corpus_path, n_jobs=2)
    return {f"pipeline_{k}": v for k, v in out.items()}


def _corpus_path(args: argparse.Namespace) -> str:
    if args.synth:
        from analysis.pipeline import synth

        folder = Path(tempfile.gettempdir()) / f"snapshot-synth-{args.synth}"
        if not folder.exists():
            synth.generate_corpus(folder, args.synth, seed=0)
        return str(folder)
    if args.corpus in (None, "seeds"):
        from analysis import config

        return str(config.SEEDS_DIR)
    return args.corpus


def save(folder: Path, args: argparse.Namespace) -> None:
    import warnings

    import analysis

    folder.mkdir(parents=True, exist_ok=True)
    path = _corpus_path(args)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tables = {"corpus": analysis.load_corpus(path)}
        for name, fn in _stages().items():
            tables[name] = fn(tables)
        if not args.no_pipeline:
            tables.update(_pipeline(path))
    (folder / "corpus_path.txt").write_text(path, encoding="utf-8")
    for name, df in tables.items():
        with open(folder / f"{name}.pkl", "wb") as fh:
            pickle.dump(df, fh)
    print(f"saved {len(tables)} tables from {path} to {folder}")


def compare(folder: Path, args: argparse.Namespace) -> int:
    import warnings

    import analysis

    saved = {p.stem: pd.read_pickle(p) for p in sorted(folder.glob("*.pkl"))}
    path = (folder / "corpus_path.txt").read_text(encoding="utf-8")
    only = set(args.only.split(",")) if args.only else None
    jobs: dict[str, Callable[[], pd.DataFrame]] = {"corpus": lambda: analysis.load_corpus(path)}
    jobs.update({name: (lambda fn=fn: fn(saved)) for name, fn in _stages().items()})
    bad = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, job in jobs.items():
            if only and name not in only:
                continue
            try:
                got = job()
                pdt.assert_frame_equal(got, saved[name], check_exact=True)
                print(f"  identical  {name}  {saved[name].shape}")
            except Exception as exc:  # report every stage, not just the first
                bad += 1
                print(f"  DIFFERENT  {name}: {type(exc).__name__}: {str(exc)[:600]}")
                if args.verbose:
                    traceback.print_exc()
        if not args.no_pipeline and (not only or "pipeline" in only):
            try:
                got_all = _pipeline(path)
                for name, got in got_all.items():
                    pdt.assert_frame_equal(got, saved[name], check_exact=True)
                print(f"  identical  pipeline ({len(got_all)} tables)")
            except Exception as exc:
                bad += 1
                print(f"  DIFFERENT  pipeline: {type(exc).__name__}: {str(exc)[:600]}")
    print("all identical" if not bad else f"{bad} table(s) differ")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("action", choices=["save", "compare"])
    p.add_argument("folder", type=Path)
    p.add_argument("--corpus", default=None, help="corpus folder (default: the seeds)")
    p.add_argument("--synth", type=int, default=0, help="use N synthetic reports instead")
    p.add_argument("--only", default=None, help="comma-separated table names (compare)")
    p.add_argument("--no-pipeline", action="store_true", help="skip run_pipeline")
    p.add_argument("-v", "--verbose", action="store_true")
    args = p.parse_args(argv)
    if args.action == "save":
        save(args.folder, args)
        return 0
    return compare(args.folder, args)


if __name__ == "__main__":
    sys.exit(main())
