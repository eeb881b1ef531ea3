#!/usr/bin/env bash
# Create ./.venv (if missing) and install the package with its dev extra into it.
# Sourced by scripts/test.sh and scripts/reproduce.sh; needs only Python >= 3.10 with venv.
# Re-installs only when pyproject.toml changed since the last install (stamp in .venv/).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
VENV="$ROOT/.venv"
if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Python >= 3.10 is required")'
    echo "setup: creating $VENV" >&2
    "$PYTHON" -m venv "$VENV"
fi
STAMP="$VENV/.analysis-installed"
WANT="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$WANT" ]; then
    echo "setup: installing the package and its dependencies into .venv (a few minutes the first time)" >&2
    "$VENV/bin/python" -m pip install --quiet --upgrade pip >&2
    "$VENV/bin/python" -m pip install --quiet -e "$ROOT[dev]" >&2
    echo "$WANT" > "$STAMP"
fi
export PATH="$VENV/bin:$PATH"
# MPLBACKEND is deliberately left alone: notebook kernels must use their inline backend
# (a global Agg would drop the figures from the outputs nbval compares).
