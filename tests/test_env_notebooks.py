"""Notebook metadata is canonical and survives JupyterLab (scripts/normalize_notebooks.py).

Also: the notebook runner talks to its kernels without TCP (no ipykernel warning) and writes
canonical metadata itself.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.config import NOTEBOOKS_DIR, PROJECT_ROOT

SCRIPT = PROJECT_ROOT / "scripts" / "normalize_notebooks.py"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]-*.ipynb"))


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


norm = _load(SCRIPT)


def _as_jupyterlab_saves(nb: dict) -> dict:
    """What JupyterLab writes after opening ``nb`` and autosaving, without running anything:
    the running kernel's display name and language_info (with the patch version), UI state."""
    out = copy.deepcopy(nb)
    out["metadata"]["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    out["metadata"]["language_info"] = {**norm.LANGUAGE_INFO, "version": "3.12.1"}
    out["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2}}
    out["metadata"]["vscode"] = {"interpreter": {"hash": "0" * 64}}
    for cell in out["cells"]:
        cell["metadata"]["collapsed"] = False
        cell["metadata"]["execution"] = {"iopub.execute_input": "2026-12-05T09:00:00.000Z"}
        if cell["cell_type"] == "code":
            cell["metadata"]["scrolled"] = True
    return out


def test_there_are_notebooks() -> None:
    assert len(NOTEBOOKS) >= 5


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_metadata_is_canonical(path: Path) -> None:
    """Every notebook is stored normalised: one kernelspec, no Python version, no UI state."""
    text = path.read_text(encoding="utf-8")
    nb = json.loads(text)
    assert nb["metadata"]["kernelspec"] == norm.KERNELSPEC
    assert nb["metadata"]["language_info"] == norm.LANGUAGE_INFO
    assert norm.normalize_text(text) == text, f"run: python scripts/normalize_notebooks.py {path.relative_to(PROJECT_ROOT)}"


def test_all_notebooks_share_the_metadata() -> None:
    metas = {json.dumps(json.loads(p.read_text(encoding="utf-8"))["metadata"], sort_keys=True) for p in NOTEBOOKS}
    assert len(metas) == 1


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_normalising_undoes_a_jupyterlab_save(path: Path) -> None:
    """Opening a notebook in JupyterLab and saving it changes only what the normaliser restores."""
    canonical = norm.normalize_text(path.read_text(encoding="utf-8"))
    saved = norm.dumps(_as_jupyterlab_saves(json.loads(canonical)))
    assert saved != canonical
    assert norm.normalize_text(saved) == canonical


def test_normalise_keeps_outputs_tags_and_deliberate_metadata() -> None:
    nb = {
        "cells": [
            {"cell_type": "code", "execution_count": 3, "id": "a1", "metadata": {"tags": ["parameters"], "scrolled": True},
             "outputs": [{"output_type": "display_data", "data": {"text/plain": ["x"]},
                          "metadata": {"execution": {"t": 1}, "image/png": {"width": 10}}}],
             "source": ["CORPUS = None"]},
        ],
        "metadata": {"jupytext": {"formats": "ipynb,py:percent"}, "toc": {"number_sections": True}},
        "nbformat": 4, "nbformat_minor": 5,
    }  # fmt: skip
    out = norm.normalize(nb)
    assert out["metadata"] == {"jupytext": {"formats": "ipynb,py:percent"}, "kernelspec": norm.KERNELSPEC, "language_info": norm.LANGUAGE_INFO}
    cell = out["cells"][0]
    assert cell["metadata"] == {"tags": ["parameters"]}
    assert cell["outputs"][0]["metadata"] == {"image/png": {"width": 10}}
    assert (cell["execution_count"], cell["id"], cell["source"]) == (3, "a1", ["CORPUS = None"])
    assert norm.normalize(out) == out  # idempotent


def test_check_mode_reports_and_changes_nothing(tmp_path: Path) -> None:
    nb = tmp_path / "x.ipynb"
    text = norm.dumps(_as_jupyterlab_saves(norm.normalize(json.loads(NOTEBOOKS[0].read_text(encoding="utf-8")))))
    nb.write_text(text, encoding="utf-8")
    assert norm.main(["--check", str(nb)]) == 1
    assert nb.read_text(encoding="utf-8") == text
    assert norm.main([str(nb)]) == 0
    assert norm.main(["--check", str(nb)]) == 0


def test_filter_mode_reads_stdin_and_passes_non_json_through() -> None:
    canonical = norm.normalize_text(NOTEBOOKS[0].read_text(encoding="utf-8"))
    saved = norm.dumps(_as_jupyterlab_saves(json.loads(canonical)))
    run = subprocess.run([sys.executable, str(SCRIPT), "--filter"], input=saved.encode(), capture_output=True, check=True)
    assert run.stdout.decode("utf-8") == canonical
    conflict = "<<<<<<< HEAD\n{}\n=======\n"
    run = subprocess.run([sys.executable, str(SCRIPT), "--filter"], input=conflict.encode(), capture_output=True, check=True)
    assert run.stdout.decode() == conflict


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_git_filter_hides_a_jupyterlab_save_from_git(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "scripts").mkdir(parents=True)
    (repo / "notebooks").mkdir()
    shutil.copy(SCRIPT, repo / "scripts" / SCRIPT.name)
    nb = repo / "notebooks" / "01-x.ipynb"
    canonical = norm.normalize_text(NOTEBOOKS[0].read_text(encoding="utf-8"))
    nb.write_text(canonical, encoding="utf-8")

    def git(*args: str) -> str:
        env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
               "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(tmp_path), "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"}  # fmt: skip
        return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env).stdout

    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "init")
    nb.write_text(norm.dumps(_as_jupyterlab_saves(json.loads(canonical))), encoding="utf-8")
    assert git("status", "--porcelain") == " M notebooks/01-x.ipynb\n"
    norm.install_git_filter(repo)
    # git still lists the file (its size changed) but sees no difference, and adding it
    # stages nothing: the metadata noise can no longer be committed
    assert git("diff", "--stat") == ""
    git("add", "-A")
    assert git("status", "--porcelain") == ""
    assert git("diff", "--cached", "--stat") == ""
    norm.install_git_filter(repo)  # twice is the same as once
    info = Path(git("rev-parse", "--git-path", "info/attributes").strip())
    info = info if info.is_absolute() else repo / info
    assert info.read_text(encoding="utf-8").count("filter=fazhi-notebook") == 1


def test_runner_uses_ipc_and_writes_canonical_metadata(tmp_path: Path) -> None:
    """scripts/run_notebooks.py: no TCP kernel (no ipykernel warning), canonical output."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.cells = [nbformat.v4.new_code_cell("import json\nfrom ipykernel import get_connection_info\nprint(json.loads(get_connection_info())['transport'])")]
    src = tmp_path / "in" / "t.ipynb"
    src.parent.mkdir()
    nbformat.write(nb, src)
    run = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "scripts" / "run_notebooks.py"), str(src), "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "without encryption" not in run.stderr and "TCP" not in run.stderr, run.stderr
    text = (tmp_path / "out" / "t.ipynb").read_text(encoding="utf-8")
    assert norm.normalize_text(text) == text
    out = json.loads(text)
    assert out["cells"][0]["outputs"][0]["text"] == ["ipc\n"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]  # no socket files left behind


def test_stream_chunks_are_joined_only_when_consecutive() -> None:
    """A print may reach the client in one message or two; the stored notebook is the same."""
    def stream(name: str, text: str) -> dict:
        return {"output_type": "stream", "name": name, "text": text.splitlines(True)}

    display = {"output_type": "display_data", "data": {"text/plain": ["x"]}, "metadata": {}}
    one = [stream("stdout", "a\nb\n")]
    two = [stream("stdout", "a\n"), stream("stdout", "b\n")]
    assert norm.join_streams(two) == norm.join_streams(one) == one
    kept = [stream("stdout", "a\n"), display, stream("stdout", "b\n"), stream("stderr", "w\n")]
    assert norm.join_streams(kept) == kept  # order around other outputs and other streams kept
    split_line = [stream("stdout", "par"), stream("stdout", "tial\nend")]
    assert norm.join_streams(split_line)[0]["text"] == ["partial\n", "end"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_library_deprecation_in_stored_outputs(path: Path) -> None:
    """A stored output never shows a FutureWarning, DeprecationWarning or pandas' PandasNWarning."""
    import re

    warning = re.compile(r"\b(?:\w*FutureWarning|\w*DeprecationWarning|Pandas\d+Warning)\b")
    nb = json.loads(path.read_text(encoding="utf-8"))
    shown = []
    for i, cell in enumerate(nb["cells"]):
        for output in cell.get("outputs", []):
            texts = [output.get("text", "")] + [v for k, v in output.get("data", {}).items() if k.startswith("text/")]
            texts += [output.get("evalue", "")]
            for text in texts:
                text = "".join(text) if isinstance(text, list) else str(text)
                shown += [f"cell {i}: {m.group(0)}" for m in warning.finditer(text)]
    assert not shown, shown
