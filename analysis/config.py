"""Paths used by the package, in one place.

Every function that reads or writes takes a path argument that defaults to one of
these, so a researcher can point the package at their own corpus. The defaults can
also be overridden with environment variables, read at call time:

``ANALYSIS_CORPUS``
    Folder of reports (default: the repository's ``seeds/``).
``ANALYSIS_FIGURES``
    Folder the notebooks write figures to (default: the repository's ``figures/``).
``ANALYSIS_CACHE``
    Per-user cache folder (jieba's prefix dictionary, the extracted CJK font face).
"""

from __future__ import annotations

import os
from pathlib import Path

#: Root of the source checkout (the folder holding ``pyproject.toml``).
PROJECT_ROOT: Path = Path(__file__).resolve().parents[1]
#: The five seed reports shipped with the repository.
SEEDS_DIR: Path = PROJECT_ROOT / "seeds"
#: Figures written by the notebooks.
FIGURES_DIR: Path = PROJECT_ROOT / "figures"
#: Notebooks, numbered ``NN-verb-object.ipynb``.
NOTEBOOKS_DIR: Path = PROJECT_ROOT / "notebooks"


def corpus_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """Return the corpus folder: ``path``, else ``$ANALYSIS_CORPUS``, else ``SEEDS_DIR``."""
    if path is not None and str(path) != "":
        return Path(path)
    env = os.environ.get("ANALYSIS_CORPUS")
    return Path(env) if env else SEEDS_DIR


def figures_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """Return the figures folder (created if missing): ``path``, ``$ANALYSIS_FIGURES`` or ``FIGURES_DIR``."""
    if path is not None and str(path) != "":
        out = Path(path)
    else:
        env = os.environ.get("ANALYSIS_FIGURES")
        out = Path(env) if env else FIGURES_DIR
    out.mkdir(parents=True, exist_ok=True)
    return out


def cache_dir() -> Path:
    """Return a per-user cache folder (created if missing).

    ``$ANALYSIS_CACHE``, else ``$XDG_CACHE_HOME/analysis-fazhi``, else
    ``~/.cache/analysis-fazhi``. Never the shared system temp folder: jieba's cache
    there is created mode 0600 and breaks every other user on the machine.
    """
    env = os.environ.get("ANALYSIS_CACHE")
    if env:
        out = Path(env)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        out = Path(base) / "analysis-fazhi"
    out.mkdir(parents=True, exist_ok=True)
    return out
