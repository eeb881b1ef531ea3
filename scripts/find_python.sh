#!/usr/bin/env bash
# Print the path of a working Python interpreter named by $1 (default: python3).
# $1 may be a path, a command on PATH (python3.12), or a version (3.12): a pythonX.Y that
# does not run (e.g. a pyenv shim for a version that is not the active one) is looked up
# among pyenv's installed versions. Exits 1 with a message when none is found.
set -euo pipefail
want="${1:-python3}"
case "$want" in [0-9]*) want="python$want" ;; esac
if cmd="$(command -v "$want" 2>/dev/null)" && exe="$("$cmd" -c "import sys; print(sys.executable)" 2>/dev/null)"; then
    echo "$exe"
    exit 0
fi
version="${want##*python}"   # python3.12 -> 3.12
if [[ "$version" =~ ^[0-9]+\.[0-9]+$ ]] && command -v pyenv >/dev/null 2>&1; then
    for bin in "$(pyenv root)/versions/$version".*/bin/"python$version"; do
        if [ -x "$bin" ] && "$bin" -c "import sys" >/dev/null 2>&1; then
            echo "$bin"
            exit 0
        fi
    done
fi
echo "find_python: no working '$1' (not on PATH, not installed with pyenv)" >&2
exit 1
