#!/usr/bin/env bash
# Create a virtual environment (if missing) and install the package with its dev extra into it,
# then put it first on PATH. Sourced by scripts/test.sh and scripts/reproduce.sh; needs only a
# Python >= 3.11 with venv (and network access to the package index the first time).
#
# Settings, all optional (environment variables):
#   PYTHON=python3.12   the interpreter that builds the venv (default python3; a path, a command,
#                       or a version such as 3.12, also found among pyenv's installed versions)
#   VENV=/tmp/venv312   where the venv lives (default ./.venv)
#   DEPS=lock           what is installed: "lock" (default) the exact versions of
#                       requirements/lock.txt, checked against their hashes, the environment the
#                       stored outputs are made with; "floor" every direct dependency at its
#                       lowest allowed version (requirements/floor.txt); "latest" the newest
#                       releases pyproject.toml allows, as `pip install -e .[dev]` gives a user.
# Installs again only when pyproject.toml, the requirements file or DEPS changed since the last
# install (a stamp in the venv).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
VENV="${VENV:-$ROOT/.venv}"
DEPS="${DEPS:-lock}"
case "$DEPS" in
    lock) REQS="$ROOT/requirements/lock.txt" ;;
    floor) REQS="$ROOT/requirements/floor.txt" ;;
    latest) REQS="" ;;
    *) echo "setup: DEPS must be lock, floor or latest (got '$DEPS')" >&2; exit 2 ;;
esac

# pip's own output, less the machine-wide notes about configured local package folders that
# do not exist ("WARNING: Location 'file:///...' is ignored"): they say nothing about this project.
# setuptools' note on every editable install of a flat layout ("Editable installation. Please be
# careful with folders ... with the same name as your package") is silenced by message only.
_setup_pip() {
    PYTHONWARNINGS="ignore:Editable installation" "$VENV/bin/python" -m pip "$@" \
        2> >(grep -v "^WARNING: Location 'file:" >&2)
}

if [ ! -x "$VENV/bin/python" ]; then
    PYTHON_EXE="$(bash "$ROOT/scripts/find_python.sh" "$PYTHON")"
    # keep in step with requires-python in pyproject.toml (tests/test_env_lock.py checks)
    "$PYTHON_EXE" - <<'PYCHECK'
import sys
if sys.version_info < (3, 11):
    sys.exit(
        f"setup: fazhi-analysis needs Python >= 3.11; {sys.executable} is {sys.version.split()[0]}.\n"
        "  Python 3.10 reached its end of life in October 2026, and pandas 3, with whose string and\n"
        "  date types the tables are made, needs 3.11. Use a newer Python that is already here\n"
        "  (PYTHON=python3.12 bash scripts/test.sh), or create one with conda\n"
        "  (conda env create -f environment.yml), or open the notebooks on Binder (README)."
    )
PYCHECK
    echo "setup: creating $VENV with $("$PYTHON_EXE" -c 'import sys; print(sys.version.split()[0])')" >&2
    "$PYTHON_EXE" -m venv "$VENV"
fi

STAMP="$VENV/.fazhi-analysis-installed"
WANT="$(cat "$ROOT/pyproject.toml" ${REQS:+"$REQS"} | sha256sum | cut -d' ' -f1) $DEPS"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$WANT" ]; then
    echo "setup: installing dependencies ($DEPS) into $VENV (about a minute the first time)" >&2
    rm -f "$STAMP"
    _setup_pip install --quiet --upgrade pip
    if [ -n "$REQS" ]; then
        # exact versions, every file checked against the lock's hashes; nothing else resolved
        _setup_pip install --quiet --require-hashes --no-deps -r "$REQS"
        _setup_pip install --quiet --no-deps -e "$ROOT"
        _setup_pip check >/dev/null || { _setup_pip check >&2; exit 1; }
    else
        _setup_pip install --quiet -e "$ROOT[dev]"
    fi
    echo "$WANT" > "$STAMP"
fi
export PATH="$VENV/bin:$PATH"
export VIRTUAL_ENV="$VENV"
# MPLBACKEND is deliberately left alone: notebook kernels must use their inline backend
# (a global Agg would drop the figures from the outputs nbval compares).
