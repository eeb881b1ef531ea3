"""Give every notebook the same, version-free metadata, so that opening one changes nothing.

JupyterLab rewrites a notebook's metadata from the running kernel when it saves (autosave
included): the kernel's display name and ``language_info.version`` with the patch release
("3.11.7"). Left alone, merely opening a notebook makes ``git status`` dirty, and notebooks
run on different machines disagree. This script puts back one canonical form:

* notebook metadata: ``kernelspec`` and ``language_info`` exactly as :data:`KERNELSPEC` and
  :data:`LANGUAGE_INFO` (no Python version); of the other keys only those in
  :data:`KEEP_NOTEBOOK_KEYS` (deliberate settings such as a jupytext pairing) are kept, UI
  and editor state (``widgets``, ``vscode``, ``toc`` ...) is dropped;
* cell metadata: only :data:`KEEP_CELL_KEYS` (``tags``: papermill's ``parameters``, nbval's
  markers); execution timings, scroll and collapse state are dropped;
* output metadata: execution timings dropped;
* consecutive stream outputs of one name (stdout, stderr) joined into one, as JupyterLab
  stores them: how many chunks a cell's printing arrives in depends on timing.

Output contents, sources and cell ids are never changed. The file is written the way nbformat and
JupyterLab write it (sorted keys, one-space indent, UTF-8, final newline), so a notebook that
is already normal is left byte-identical. Only the standard library is needed, so the script
also runs as a git clean filter before any virtual environment exists.

Usage::

    python scripts/normalize_notebooks.py                # every notebooks/*.ipynb, in place
    python scripts/normalize_notebooks.py a.ipynb b.ipynb
    python scripts/normalize_notebooks.py --check        # exit 1 and list those not normal
    python scripts/normalize_notebooks.py --filter < in.ipynb > out.ipynb   # stdin -> stdout
    python scripts/normalize_notebooks.py --install-git-filter   # git diff/add see normal notebooks
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"

#: The kernel every notebook runs in: ipykernel's own spec, as JupyterLab writes it.
KERNELSPEC: dict[str, str] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
#: ipykernel's language_info without ``version`` (the one field that differs per machine).
LANGUAGE_INFO: dict[str, Any] = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
}
#: Notebook-level metadata kept besides kernelspec and language_info: deliberate settings.
KEEP_NOTEBOOK_KEYS = frozenset({"jupytext", "title", "authors"})
#: Cell-level metadata kept: tags (papermill's ``parameters``, nbval's ``nbval-*`` markers).
KEEP_CELL_KEYS = frozenset({"tags"})
#: Output-level metadata dropped: per-run timings.
DROP_OUTPUT_KEYS = frozenset({"execution", "ExecuteTime"})

GIT_FILTER = "fazhi-notebook"


def normalize(nb: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of the notebook ``nb`` (parsed JSON) with canonical metadata.

    >>> nb = {"metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"},
    ...                    "language_info": {"name": "python", "version": "3.11.7"},
    ...                    "widgets": {}},
    ...       "cells": [{"cell_type": "code", "metadata": {"tags": ["parameters"], "scrolled": True,
    ...                  "execution": {"iopub.status.busy": "2026"}}, "outputs": [], "source": ""}],
    ...       "nbformat": 4, "nbformat_minor": 5}
    >>> out = normalize(nb)
    >>> out["metadata"]["kernelspec"]["display_name"], "version" in out["metadata"]["language_info"]
    ('Python 3 (ipykernel)', False)
    >>> sorted(out["metadata"]), out["cells"][0]["metadata"]
    (['kernelspec', 'language_info'], {'tags': ['parameters']})
    >>> nb["metadata"]["language_info"]["version"]   # the input is not modified
    '3.11.7'
    """
    out = json.loads(json.dumps(nb))  # deep copy; the input stays as it was
    meta = {k: v for k, v in out.get("metadata", {}).items() if k in KEEP_NOTEBOOK_KEYS}
    meta["kernelspec"] = dict(KERNELSPEC)
    meta["language_info"] = json.loads(json.dumps(LANGUAGE_INFO))
    out["metadata"] = meta
    for cell in out.get("cells", []):
        cell["metadata"] = {k: v for k, v in cell.get("metadata", {}).items() if k in KEEP_CELL_KEYS}
        if "outputs" in cell:
            cell["outputs"] = join_streams(cell["outputs"])
        for output in cell.get("outputs", []):
            if "metadata" in output:
                output["metadata"] = {k: v for k, v in output["metadata"].items() if k not in DROP_OUTPUT_KEYS}
    return out


def join_streams(outputs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Join consecutive stream outputs of the same name; text stored as nbformat does (lines).

    >>> out = join_streams([{"output_type": "stream", "name": "stdout", "text": ["a\\n", "b"]},
    ...                     {"output_type": "stream", "name": "stdout", "text": "c\\n"},
    ...                     {"output_type": "stream", "name": "stderr", "text": ["w\\n"]}])
    >>> [(o["name"], o["text"]) for o in out]
    [('stdout', ['a\\n', 'bc\\n']), ('stderr', ['w\\n'])]
    """
    joined: list[dict[str, Any]] = []
    for output in outputs:
        prev = joined[-1] if joined else None
        if (
            output.get("output_type") == "stream"
            and prev is not None
            and prev.get("output_type") == "stream"
            and prev.get("name") == output.get("name")
        ):
            text = _text(prev.get("text", "")) + _text(output.get("text", ""))
            prev["text"] = text.splitlines(True)
        else:
            joined.append(output)
    return joined


def _text(text: str | list[str]) -> str:
    return text if isinstance(text, str) else "".join(text)


def dumps(nb: dict[str, Any]) -> str:
    """Serialise a notebook as nbformat (and JupyterLab) write it: sorted, indent 1, final newline."""
    return json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False, separators=(",", ": ")) + "\n"


def normalize_text(text: str) -> str:
    """The canonical text of the notebook ``text`` (JSON)."""
    return dumps(normalize(json.loads(text)))


def normalize_file(path: Path, *, check: bool = False) -> bool:
    """Normalise ``path`` in place (or only compare, with ``check``); True if it was not normal."""
    text = path.read_text(encoding="utf-8")
    new = normalize_text(text)
    if new == text:
        return False
    if not check:
        path.write_text(new, encoding="utf-8")
    return True


def install_git_filter(root: Path = ROOT) -> None:
    """Make git see notebooks through :func:`normalize_text` in this clone (like nbstripout --install).

    Sets ``filter.fazhi-notebook.clean`` in the clone's own git config and maps
    ``notebooks/*.ipynb`` to it in ``.git/info/attributes`` (not committed). After that a
    notebook that JupyterLab merely re-saved shows no difference in ``git diff`` and
    ``git add`` stages nothing for it (``git status`` lists it until then, because its size
    changed); running this script without options restores the file itself.
    """
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout.strip()

    git("config", f"filter.{GIT_FILTER}.clean", "python3 scripts/normalize_notebooks.py --filter")
    git("config", f"filter.{GIT_FILTER}.smudge", "cat")
    info = Path(git("rev-parse", "--git-path", "info/attributes"))
    if not info.is_absolute():
        info = root / info
    line = f"notebooks/*.ipynb filter={GIT_FILTER}"
    lines = info.read_text(encoding="utf-8").splitlines() if info.exists() else []
    if line not in lines:
        info.parent.mkdir(parents=True, exist_ok=True)
        info.write_text("\n".join([*lines, line]) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="change nothing; exit 1 if a notebook is not normal")
    mode.add_argument("--filter", action="store_true", help="read a notebook on stdin, write it normalised to stdout")
    mode.add_argument("--install-git-filter", action="store_true", help="normalise notebooks as git reads them (this clone)")
    args = parser.parse_args(argv)
    if args.filter:
        text = sys.stdin.buffer.read().decode("utf-8")
        try:
            sys.stdout.buffer.write(normalize_text(text).encode("utf-8"))
        except json.JSONDecodeError:  # not a notebook (e.g. a merge conflict): pass it through
            sys.stdout.buffer.write(text.encode("utf-8"))
        return 0
    if args.install_git_filter:
        install_git_filter()
        print(f"git filter {GIT_FILTER!r} installed for notebooks/*.ipynb in this clone")
        return 0
    paths = args.notebooks or sorted(NOTEBOOKS.glob("*.ipynb"))
    changed = [p for p in paths if normalize_file(p, check=args.check)]
    for p in changed:
        shown = p.resolve().relative_to(ROOT) if p.resolve().is_relative_to(ROOT) else p
        print(f"{'not normalised' if args.check else 'normalised'}: {shown}")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
