"""Every notebook runs to the end on any folder: empty, undecodable, year-less, heading-less files, one report."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analysis.config import NOTEBOOKS_DIR, PROJECT_ROOT

from .conftest import MESSY_FILES, build_messy_corpus, run_notebook

FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "messy_corpus"
NOTEBOOKS = sorted(p.name for p in NOTEBOOKS_DIR.glob("[0-9][0-9]-*.ipynb"))


def test_fixture_folder_is_what_the_helper_builds(tmp_path: Path) -> None:
    built = build_messy_corpus(tmp_path / "messy")
    on_disk = {p.name: p.read_bytes() for p in FIXTURE.iterdir()}
    assert on_disk == {p.name: p.read_bytes() for p in built.iterdir()} == MESSY_FILES


def _failure(stderr: str) -> str:
    """The failing cell's exception, from nbclient's CellExecutionError text."""
    plain = re.sub(r"\x1b\[[0-9;]*m", "", stderr)  # IPython colours its tracebacks
    lines = [ln for ln in plain.splitlines() if ln.strip()]
    errors = [ln for ln in lines if re.match(r"^\w+(Error|Exception|Warning)\b", ln)]
    return (errors[-1] if errors else "\n".join(lines[-5:]))[:500]


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["messy", "single"])
@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_notebook_runs_on_any_folder(notebook: str, variant: str, tmp_path: Path) -> None:
    """User points the notebooks at a messy folder (or one report) -> each runs to the end."""
    corpus = build_messy_corpus(tmp_path / "corpus", single=variant == "single")
    proc = run_notebook(notebook, tmp_path / "executed", ANALYSIS_CORPUS=str(corpus), ANALYSIS_FIGURES=str(tmp_path / "figures"))
    assert proc.returncode == 0, f"{notebook} on the {variant} folder: {_failure(proc.stderr)}"
    assert (tmp_path / "executed" / notebook).exists()
