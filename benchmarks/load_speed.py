"""Loader speed of several git revisions on the same corpus, in one command.

Each revision is checked out into a temporary worktree; ``load_corpus(corpus, n_jobs=1)``
runs in a fresh interpreter per revision and repetition (after a warm-up load of the
seeds: imports and the gazetteer index), the revisions alternating so that a change of
machine load hits them alike. Reported: best CPU seconds of N, MB/s, and each
revision's ratio to the first one. Used for "loading .txt/.html is not slower after the
new readers" (issue 14)::

    python benchmarks/load_speed.py --reports 2000 --rev f2a2450 --rev 4b7bb72 --rev HEAD

Without ``--corpus`` a synthetic corpus (``analysis.pipeline.synth``: .txt and HTML pages
in UTF-8/GB18030/GBK) is generated or reused under ``benchmarks/data/``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CODE = r"""
import sys, time, warnings
warnings.simplefilter("ignore")
from analysis.corpus import load_corpus
load_corpus(sys.argv[2])
t = time.process_time()
df = load_corpus(sys.argv[1])
print(len(df), time.process_time() - t, int(df["n_chars"].sum()))
"""


def _corpus(args: argparse.Namespace) -> Path:
    if args.corpus:
        return Path(args.corpus)
    sys.path.insert(0, str(ROOT))
    from analysis.pipeline import synth

    folder = ROOT / "benchmarks" / "data" / f"synth-{args.reports}-seed{args.seed}"
    if not (folder / ".synth-key").exists():
        synth.generate_corpus(folder, args.reports, seed=args.seed)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rev", action="append", required=True, help="a git revision (give two or more)")
    parser.add_argument("--corpus", help="a corpus folder (default: a synthetic one)")
    parser.add_argument("--reports", type=int, default=2000, help="size of the synthetic corpus")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    corpus = _corpus(args)
    mb = sum(p.stat().st_size for p in corpus.rglob("*") if p.is_file() and not p.name.startswith(".")) / 1e6
    seeds = ROOT / "seeds"
    with tempfile.TemporaryDirectory() as tmp:
        trees: dict[str, Path] = {}
        try:
            for rev in args.rev:
                tree = Path(tmp) / f"rev{len(trees)}"
                subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-f", str(tree), rev],
                               check=True, capture_output=True)
                trees[rev] = tree
            runs: dict[str, list[tuple[int, float, int]]] = {rev: [] for rev in trees}
            for _ in range(args.repeat):
                for rev, tree in trees.items():
                    env = {**os.environ, "PYTHONPATH": str(tree)}
                    out = subprocess.run([sys.executable, "-c", _CODE, str(corpus), str(seeds)], cwd=tree, env=env,
                                         capture_output=True, text=True, check=True).stdout.split()
                    runs[rev].append((int(out[0]), float(out[1]), int(out[2])))
        finally:
            for tree in trees.values():
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], capture_output=True)
    best = {rev: min(r[1] for r in rs) for rev, rs in runs.items()}
    first = best[args.rev[0]]
    print(f"corpus {corpus} ({mb:.1f} MB), load_corpus(n_jobs=1), best CPU of {args.repeat}, "
          f"load average {os.getloadavg()[0]:.2f}")
    print(f"{'revision':<12}{'rows':>7}{'chars':>13}{'CPU s':>8}{'MB/s':>8}{'ratio':>8}")
    for rev, rs in runs.items():
        print(f"{rev:<12}{rs[0][0]:>7}{rs[0][2]:>13,}{best[rev]:>8.2f}{mb / best[rev]:>8.1f}{best[rev] / first:>7.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
