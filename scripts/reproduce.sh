#!/usr/bin/env bash
# Reproduce the analysis: execute every notebook in order (fresh kernel each), store the
# outputs, write figures/, and render the executed notebooks to HTML in site/ with an index.
# Always in the locked environment (requirements/lock.txt, exact versions checked against their
# hashes), so that on the seed corpus the stored notebooks, figures and pages come out
# byte-identical: `git status` stays clean. Notebook metadata is normalised
# (scripts/normalize_notebooks.py).
# Usage: bash scripts/reproduce.sh            (ANALYSIS_CORPUS=/your/folder to use your corpus)
#        PYTHON=python3.12 VENV=/tmp/v312 bash scripts/reproduce.sh   (another Python / venv)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ "${DEPS:-lock}" != "lock" ]; then
    echo "reproduce: uses the lock only (DEPS=${DEPS} ignored)" >&2
fi
DEPS=lock
source "$ROOT/scripts/setup_env.sh"
cd "$ROOT"
python scripts/run_notebooks.py --html site
if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    changed="$(git -C "$ROOT" status --porcelain -- notebooks figures site | wc -l)"
    echo "reproduce: $changed file(s) under notebooks/, figures/, site/ differ from the last commit" >&2
fi
