"""Where a result was made: Python, platform, the versions that shape the tables, the commit.

:func:`environment_info` returns one JSON-ready dictionary that the CLI writes into
``manifest.json`` beside the tables, so that a reader of the tables can tell which
environment made them (and rebuild it from ``requirements/lock.txt``).

It only reads: interpreter and platform facts, installed distributions' metadata, and the
repository's ``.git`` files (read directly, so no ``git`` program is needed and nothing is
run). It never imports the libraries it reports on.
"""

from __future__ import annotations

import importlib.metadata
import os
import platform
import re
from pathlib import Path

from analysis import __version__
from analysis.config import PROJECT_ROOT

#: The distribution name on the package index (the import name is ``analysis``).
DISTRIBUTION = "fazhi-analysis"

#: Distributions whose version can change a table or a figure, and why.
RESULT_DEPENDENCIES: dict[str, str] = {
    "pandas": "every table: dtypes, grouping, sorting, CSV and Stata writing",
    "numpy": "numeric columns, random draws in the synthetic corpus",
    "scipy": "sparse document-term matrices, statistics",
    "scikit-learn": "TF-IDF, clustering of shortcoming templates",
    "pyarrow": "Parquet files and the storage of text columns",
    "jieba": "word segmentation (dictionary and algorithm)",
    "rjieba": "word segmentation where it agrees with jieba",
    "beautifulsoup4": "text extracted from HTML pages",
    "lxml": "HTML parsing under beautifulsoup4",
    "charset-normalizer": "encoding detection of unusual files",
    "opencc": "traditional-script reports converted to simplified before analysis",
    "pypdfium2": "text extracted from PDF reports",
    "pyyaml": "codebooks and rules read from YAML",
    "matplotlib": "figures",
    "wordcloud": "word-cloud figures",
    "pillow": "PNG encoding of figures and word clouds",
    "fonttools": "the CJK font face drawn in figures",
    "noto-cjk-sans-otc": "the CJK font drawn in figures",
    "dask": "the Dask engine (same tables, other execution)",
    "distributed": "the Dask engine (same tables, other execution)",
}

#: Runtime dependencies that cannot change a result, and why (tests check that every
#: dependency of the distribution is in exactly one of the two maps).
OTHER_DEPENDENCIES: dict[str, str] = {
    "tqdm": "progress bars",
    "psutil": "memory measurement in the benchmark",
    "jupyterlab": "reading and editing the notebooks",
    "ipykernel": "the notebooks' kernel",
    "nbconvert": "rendering notebooks to HTML",
}

NOT_A_CHECKOUT = "not a git checkout"

# A commit id: 40 (SHA-1) or 64 (SHA-256) hex digits, e.g. 1efaa1a4c3...
_SHA_RE = re.compile(r"^(?:[0-9a-f]{40}|[0-9a-f]{64})$")


def environment_info(*, root: str | os.PathLike[str] | None = None) -> dict[str, object]:
    """Describe the environment that makes this process's results, as a JSON-ready dict.

    Parameters
    ----------
    root
        Folder whose ``.git`` names the commit (default: the checkout this package was
        imported from, :data:`analysis.config.PROJECT_ROOT`). Only ``root/.git`` itself is
        looked at, never a parent folder: an installed package inside some other
        repository is "not a git checkout".

    Returns
    -------
    dict
        ``python`` (version, e.g. ``"3.11.7"``), ``python_implementation``, ``platform``
        (``platform.platform()``), ``machine``, ``package`` (``"fazhi-analysis"``),
        ``package_version``, ``dependencies`` (distribution name -> installed version, or
        None when missing, for every name in :data:`RESULT_DEPENDENCIES`, sorted) and
        ``git_commit`` (the checked-out commit id, or ``"not a git checkout"``).

    Examples
    --------
    >>> import platform
    >>> info = environment_info()
    >>> info["python"] == platform.python_version(), info["package"]
    (True, 'fazhi-analysis')
    >>> "pandas" in info["dependencies"]
    True
    """
    return {
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "package": DISTRIBUTION,
        "package_version": __version__,
        "dependencies": {name: installed_version(name) for name in sorted(RESULT_DEPENDENCIES)},
        "git_commit": git_commit(PROJECT_ROOT if root is None else Path(root)),
    }


def installed_version(name: str) -> str | None:
    """The installed version of distribution ``name``, or None when it is not installed.

    >>> installed_version("a-distribution-that-does-not-exist") is None
    True
    """
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def git_commit(root: Path) -> str:
    """The commit checked out in ``root`` (``root/.git`` read directly), else ``"not a git checkout"``.

    Handles a ``.git`` folder, a ``.git`` file (worktrees, submodules), a detached HEAD,
    loose and packed refs. A repository whose branch has no commit yet gives ``"no commit"``.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     git_commit(Path(d))
    'not a git checkout'
    """
    gitdir = _gitdir(Path(root))
    if gitdir is None:
        return NOT_A_CHECKOUT
    common = gitdir
    commondir = gitdir / "commondir"
    if commondir.is_file():
        common = (gitdir / commondir.read_text(encoding="utf-8").strip()).resolve()
    try:
        head = (gitdir / "HEAD").read_text(encoding="utf-8").strip()
    except OSError:
        return NOT_A_CHECKOUT
    for _ in range(5):  # a symbolic ref may point at another symbolic ref
        if not head.startswith("ref:"):
            break
        head = _resolve_ref(head[4:].strip(), gitdir, common) or ""
    return head if _SHA_RE.match(head) else "no commit"


def _gitdir(root: Path) -> Path | None:
    """The git folder of ``root``: ``root/.git``, or where a ``.git`` file points."""
    dotgit = root / ".git"
    if dotgit.is_dir():
        return dotgit
    if dotgit.is_file():
        text = dotgit.read_text(encoding="utf-8").strip()
        if text.startswith("gitdir:"):
            target = Path(text[len("gitdir:") :].strip())
            target = target if target.is_absolute() else (root / target)
            return target.resolve() if target.is_dir() else None
    return None


def _resolve_ref(ref: str, gitdir: Path, common: Path) -> str | None:
    """The content of ``ref`` (a commit id or ``ref: ...``) from loose or packed refs."""
    for base in (gitdir, common):
        loose = base / ref
        if loose.is_file():
            return loose.read_text(encoding="utf-8").strip()
    packed = common / "packed-refs"
    if packed.is_file():
        for line in packed.read_text(encoding="utf-8").splitlines():
            sha, _, name = line.partition(" ")
            if name == ref and not line.startswith(("#", "^")):
                return sha
    return None
