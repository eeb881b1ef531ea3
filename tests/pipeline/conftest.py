"""Shared helpers of the pipeline tests: a small corpus folder and the command line in-process."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis.config import SEEDS_DIR


def _copy_seeds(folder: Path, n: int = 2) -> Path:
    """Copy the first ``n`` seed reports into ``folder`` (created) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(SEEDS_DIR.glob("*.txt"))[:n]:
        shutil.copyfile(path, folder / path.name)
    return folder


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative POSIX path -> bytes)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    """Two seed reports in a folder of their own."""
    return _copy_seeds(tmp_path / "corpus")


@pytest.fixture
def copy_seeds():  # noqa: ANN201
    """``copy_seeds(folder, n=2)``: copy the first ``n`` seed reports into ``folder``."""
    return _copy_seeds


@pytest.fixture
def snapshot():  # noqa: ANN201
    """``snapshot(folder)``: every file under ``folder`` as {relative path: bytes}."""
    return _snapshot
