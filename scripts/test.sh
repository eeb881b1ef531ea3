#!/usr/bin/env bash
# The whole test suite: unit, property and doctests (pytest) plus every notebook (nbval), in the
# locked environment (requirements/lock.txt) that the stored notebook outputs were made with.
# Usage: bash scripts/test.sh [extra pytest args]
#   NOTEBOOKS=0 bash scripts/test.sh            unit, property and doctests only
#   PYTHON=python3.12 VENV=/tmp/v312 bash scripts/test.sh    another Python, another venv
#   DEPS=floor|latest bash scripts/test.sh      lowest allowed / newest versions (setup_env.sh)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup_env.sh"
cd "$ROOT"
ARGS=(-p no:cacheprovider)
PATHS=(tests analysis)
if [ "${NOTEBOOKS:-1}" != "0" ]; then
    ARGS+=(--nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg)
    PATHS+=(notebooks)
fi
echo "test: $(python -c 'import sys; print(sys.version.split()[0])') in $VENV, DEPS=${DEPS}, notebooks: $([ "${NOTEBOOKS:-1}" != "0" ] && echo yes || echo no)" >&2
status=0
python -m pytest "${ARGS[@]}" "${PATHS[@]}" "$@" || status=$?
if [ "$status" -eq 5 ]; then
    echo "test: pytest collected no tests; that is a failure here" >&2
    exit 1
fi
exit "$status"
