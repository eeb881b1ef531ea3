#!/usr/bin/env bash
# Regenerate the lock files from pyproject.toml (one command; commit what it changes).
#
#   requirements/lock.txt   exact versions of every package, all transitive dependencies, with
#                           hashes, one resolution for every supported Python and platform. The
#                           stored notebook outputs and figures are made with it: reproduce.sh and
#                           test.sh install it.
#   requirements/floor.txt  every direct dependency at the lowest version pyproject allows
#                           (transitive ones newest), on the oldest supported Python: CI runs the
#                           unit tests on it, so the lower bounds in pyproject are tested ones.
#
# Usage:
#   bash scripts/lock.sh            after editing dependencies in pyproject.toml: pins that still
#                                   satisfy pyproject are kept, only what must change moves
#   bash scripts/lock.sh --upgrade  move every pin to the newest release pyproject allows
#                                   (then run reproduce.sh and commit lock + outputs together)
# Needs network access to the package index; installs the pinned uv into .tools/ the first time.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
UV_VERSION="0.13.9"
OLDEST="3.11"   # the oldest supported Python (pyproject's requires-python)
UPGRADE=()
case "${1:-}" in
    "") ;;
    --upgrade) UPGRADE=(--upgrade) ;;
    *) echo "usage: bash scripts/lock.sh [--upgrade]" >&2; exit 2 ;;
esac

if command -v uv >/dev/null 2>&1 && [ "$(uv --version | cut -d' ' -f2)" = "$UV_VERSION" ]; then
    UV=uv
else
    TOOLS="$ROOT/.tools/uv-$UV_VERSION"
    if [ ! -x "$TOOLS/bin/uv" ]; then
        PY="$(bash "$ROOT/scripts/find_python.sh" "${PYTHON:-python3}")"
        "$PY" -m venv "$TOOLS"
        "$TOOLS/bin/python" -m pip install --quiet "uv==$UV_VERSION" 2> >(grep -v "^WARNING: Location 'file:" >&2)
    fi
    UV="$TOOLS/bin/uv"
fi

compile() {  # $1: output file; the rest: extra uv options
    local out="$1"; shift
    "$UV" pip compile pyproject.toml --extra dev --universal --python-version "$OLDEST" \
        --generate-hashes --quiet --custom-compile-command "bash scripts/lock.sh" \
        ${UPGRADE[@]+"${UPGRADE[@]}"} "$@" -o "$out"
}
compile requirements/lock.txt
# the floors are resolved afresh every time (no pin kept): direct dependencies lowest allowed,
# the transitive ones newest, as a user who installs an old pandas today would get them
compile requirements/floor.txt --resolution lowest-direct --upgrade
echo "lock: wrote requirements/lock.txt and requirements/floor.txt" >&2
