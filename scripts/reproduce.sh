#!/usr/bin/env bash
# Reproduce the analysis: execute every notebook in order (fresh kernel each), store the
# outputs, write figures/, and render the executed notebooks to HTML in site/ with an index.
# Usage: bash scripts/reproduce.sh            (ANALYSIS_CORPUS=/your/folder to use your corpus)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup_env.sh"
cd "$ROOT"
python scripts/run_notebooks.py --html site
