"""Listing a corpus folder: which entries become rows, which are skipped, and their ids.

Every entry under the corpus folder ends up in exactly one of two places:

- a **row** of the corpus table (:attr:`CorpusListing.files`): a file named like a
  report (:data:`REPORT_SUFFIXES`), a document type the loader recognises but cannot
  read (:data:`UNSUPPORTED_SUFFIXES`, which get an error row saying what to do), or a
  name without an extension (its content decides). Whatever such an entry is — a FIFO,
  a socket, a broken symlink, a symlink leading outside the folder — it is a row, and
  the reader (:func:`analysis.corpus.read.read_text`) turns it into an error row if it
  cannot be read;
- the **skipped** list (:attr:`CorpusListing.skipped`), each with its reason: hidden
  files and folders, editor lock files (``~$x.docx``), other file types (``.md``,
  ``.csv`` …), the crawler's index, folders that cannot be listed, and symlinked folders
  that are not followed.

Paths are shown in a readable, reversible form (:func:`display_path`): a file name that
is not valid UTF-8 (GBK bytes from a zip made on Chinese Windows) has its undecodable
bytes written ``\\xb1``, so every table and export can hold it.
"""

from __future__ import annotations

import os
import re
import time
import warnings
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from analysis.config import corpus_dir

__all__ = [
    "REPORT_SUFFIXES", "UNSUPPORTED_SUFFIXES", "INDEX_NAMES", "CorpusWarning", "CorpusError",
    "INDEX_REASON", "SkippedEntry", "CorpusListing", "list_corpus", "discover_files", "find_report_files",
    "unread", "skipped_message",
    "display_path", "os_path", "relative_path", "doc_id", "doc_ids", "doc_id_for", "is_inside",
]  # fmt: skip

#: File types read as reports (case-insensitive): plain text, web pages (also as saved
#: by crawlers under the server's script suffix), saved web archives, Word and PDF.
REPORT_SUFFIXES = frozenset({
    ".txt", ".html", ".htm", ".shtml", ".shtm", ".xhtml", ".xht", ".asp", ".aspx", ".jsp",
    ".php", ".mht", ".mhtml", ".docx", ".docm", ".pdf",
})  # fmt: skip

#: Document types that are recognised but not read: each gets an error row whose
#: message says how to convert it (suffix -> format name used in that message).
UNSUPPORTED_SUFFIXES = {
    ".doc": "doc", ".dot": "doc", ".wps": "wps", ".wpt": "wps", ".rtf": "rtf", ".odt": "odt",
    ".xls": "xls", ".xlsx": "xls", ".xlsm": "xls", ".et": "xls", ".ods": "xls",
    ".ppt": "ppt", ".pptx": "ppt", ".dps": "ppt", ".odp": "ppt", ".ofd": "ofd", ".caj": "caj",
    ".zip": "zip", ".rar": "rar", ".7z": "7z", ".gz": "gzip", ".tgz": "gzip", ".tar": "tar",
    ".bz2": "bzip2", ".xz": "xz", ".jpg": "image", ".jpeg": "image", ".png": "image",
    ".gif": "image", ".bmp": "image", ".tif": "image", ".tiff": "image", ".webp": "image",
    ".heic": "image",
}  # fmt: skip

#: Names of a crawler's index auto-discovered at the corpus root (never a row).
INDEX_NAMES = ("index.csv", "index.jsonl")
#: The reason :func:`list_corpus` gives for a crawler index (read, but as metadata).
INDEX_REASON = "crawler index (read as metadata, not as a report)"


class CorpusWarning(UserWarning):
    """Entries under the corpus folder that were not read (listed with the reason)."""


class CorpusError(ValueError):
    """Raised by ``load_corpus(strict=True)`` for a file that cannot be read as a report."""


# --------------------------------------------------------------------------- paths

# A byte that was not UTF-8, as os.fsdecode keeps it: U+DC80..U+DCFF ("\udcb1" for 0xB1).
_SURROGATE_RE = re.compile("[\udc80-\udcff]")
# The escapes display_path writes: "\\\\" (a backslash) or "\\xb1" (the byte 0xB1).
_ESCAPE_RE = re.compile(r"\\(\\|x[0-9a-f]{2})")


def display_path(rel: str) -> str:
    """The readable, reversible form of a path as the OS gives it.

    Bytes that are not UTF-8 (held by Python as lone surrogates) are written ``\\xNN``
    and a backslash as ``\\\\``; everything else is unchanged. :func:`os_path` reverses
    it. The result is always valid UTF-8, so CSV, Parquet and Stata writers accept it.

    Examples
    --------
    >>> name = b"\\xb1\\xa8\\xb8\\xe6.txt".decode("utf-8", "surrogateescape")  # GBK "报告"
    >>> display_path("2023/" + name)
    '2023/\\\\xb1\\\\xa8\\\\xb8\\\\xe6.txt'
    >>> os_path(display_path(name)) == name, display_path("报告.txt")
    (True, '报告.txt')
    """
    if "\\" not in rel:
        try:
            rel.encode("utf-8")
            return rel
        except UnicodeEncodeError:
            pass
    return _SURROGATE_RE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", rel.replace("\\", "\\\\"))


def os_path(shown: str) -> str:
    """The path :func:`display_path` was given (undecodable bytes as surrogates again)."""
    return _ESCAPE_RE.sub(lambda m: "\\" if m.group(1) == "\\" else chr(0xDC00 + int(m.group(1)[1:], 16)), shown)


def relative_path(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` in POSIX form, as :func:`display_path` shows it."""
    full, base = str(path), str(root)
    if os.sep == "/" and full.startswith(base) and full[len(base) : len(base) + 1] == "/" and "/." not in full[len(base) :]:
        return display_path(full[len(base) + 1 :])  # what relative_to gives, without pathlib's parsing
    return display_path(path.relative_to(root).as_posix())


def is_inside(target: str, folder: str) -> bool:
    """Whether the real path ``target`` lies in the real path ``folder`` (or is it)."""
    return target == folder or target.startswith(folder.rstrip(os.sep) + os.sep)


# --------------------------------------------------------------------------- doc ids


def doc_id(rel: str) -> str:
    """File path relative to the corpus root, without its extension (``"a/b/000_x"``).

    The id of a file whose folder holds no other entry with the same id; see
    :func:`doc_ids` for the rule that keeps ids unique. ``rel`` is a POSIX path; string
    operations give the same as ``Path(rel).with_suffix("").as_posix()`` (pathlib's rule
    for a suffix: the last component's final ".", neither its first nor its last
    character) at a fraction of the cost.

    Examples
    --------
    >>> doc_id("guangdong/000_report.html"), doc_id("a/.hidden"), doc_id("b/notes.")
    ('guangdong/000_report', 'a/.hidden', 'b/notes.')
    """
    name = rel.rpartition("/")[2]
    i = name.rfind(".")
    return rel[: len(rel) - len(name) + i] if 0 < i < len(name) - 1 else rel


def doc_ids(rels: Iterable[str]) -> dict[str, str]:
    """Unique document ids for the row entries of a corpus: relative path -> id.

    The id is the path without its extension (:func:`doc_id`), unless another entry of
    the same folder would get the same id (``r.txt``, ``r.TXT``, ``r.html``; or ``r``
    beside ``r.txt``): then it is the whole relative path. Unique by construction: ids
    differ across folders (the folder is their prefix) and, within a folder, a stem is
    kept only when no other entry has it as stem or as name.

    Examples
    --------
    >>> doc_ids(["a/r.txt", "a/r.TXT", "a/r.html", "a/s.txt", "b/r.txt"])
    {'a/r.txt': 'a/r.txt', 'a/r.TXT': 'a/r.TXT', 'a/r.html': 'a/r.html', 'a/s.txt': 'a/s', 'b/r.txt': 'b/r'}
    """
    rels = list(dict.fromkeys(rels))
    stems = {rel: doc_id(rel) for rel in rels}
    counts = Counter(stems.values())
    names = set(rels)
    return {rel: stem if counts[stem] == 1 and (stem == rel or stem not in names) else rel for rel, stem in stems.items()}


# folder -> (inode, mtime_ns, when listed, {name: id}); see _folder_ids.
_FOLDER_IDS: dict[str, tuple[int, int, int, dict[str, str]]] = {}
# A folder listed within this many nanoseconds of its last change may change again
# within the same mtime tick: its listing is not reused ("racy" timestamps).
_RACY_NS = 2_000_000_000


def _folder_ids(folder: str) -> dict[str, str] | None:
    """:func:`doc_ids` over the row entries of ``folder`` by name (None: not listable).

    Cached per folder while its modification time is unchanged and was already old
    when the folder was listed.
    """
    try:
        st = os.stat(folder)
    except OSError:
        return None
    cached = _FOLDER_IDS.get(folder)
    if cached is not None and cached[:2] == (st.st_ino, st.st_mtime_ns) and cached[2] - st.st_mtime_ns > _RACY_NS:
        return cached[3]
    try:
        with os.scandir(folder) as it:
            names = sorted(display_path(e.name) for e in it if _row_kind(e.name) is None and not _is_dir(e))
    except OSError:
        return None
    ids = doc_ids(names)
    if len(_FOLDER_IDS) > 1024:
        _FOLDER_IDS.clear()
    _FOLDER_IDS[folder] = (st.st_ino, st.st_mtime_ns, time.time_ns(), ids)
    return ids


def doc_id_for(path: Path, root: Path) -> str:
    """The id :func:`doc_ids` gives ``path`` among the row entries of its folder.

    Used by :func:`analysis.corpus.read_report`, which reads one file at a time: each
    folder is listed once while it does not change.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     for name in ("r.txt", "r.html", "s.txt", "r.md"):
    ...         _ = (Path(tmp) / name).write_text("x")
    ...     [doc_id_for(Path(tmp) / n, Path(tmp)) for n in ("r.txt", "r.html", "s.txt")]
    ['r.txt', 'r.html', 's']
    """
    rel = relative_path(path, root)
    name = rel.rpartition("/")[2]
    ids = _folder_ids(os.path.dirname(path) or ".")
    if ids is None:
        return doc_id(rel)
    own = ids.get(name)
    if own is None:  # not a row entry by its name (or gone): among the others all the same
        own = doc_ids([*ids, name])[name]
    return rel[: len(rel) - len(name)] + own


# --------------------------------------------------------------------------- the folder


@dataclass(frozen=True)
class SkippedEntry:
    """An entry under the corpus folder that is not a row: its path and why.

    ``path`` is relative to the corpus folder in :func:`display_path` form; a folder's
    path ends with ``/``.
    """

    path: str
    reason: str


@dataclass
class CorpusListing:
    """What :func:`list_corpus` found: the files that become rows, and everything else."""

    root: Path
    files: list[Path] = field(default_factory=list)
    skipped: list[SkippedEntry] = field(default_factory=list)


def _row_kind(name: str) -> str | None:
    """None when an entry named ``name`` becomes a row, else the reason it is skipped."""
    if name.startswith("."):
        return "hidden"
    if name.startswith("~$") or (name.startswith("~WRL") and name.lower().endswith(".tmp")):
        return "editor lock or temporary file (Word/WPS)"
    i = name.rfind(".")
    if i <= 0 or i == len(name) - 1:
        return None  # no extension: the content decides
    suffix = name[i:].lower()
    if suffix in REPORT_SUFFIXES or suffix in UNSUPPORTED_SUFFIXES:
        return None
    return f"not a report format ({suffix})"


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def list_corpus(
    path: str | os.PathLike[str] | None = None,
    *,
    follow_symlinks: bool = False,
    exclude: Iterable[str | os.PathLike[str]] = (),
) -> CorpusListing:
    """Every entry under a corpus folder: the files that become rows, and the rest.

    Parameters
    ----------
    path
        A corpus folder (walked recursively) or a single file. Default:
        ``$ANALYSIS_CORPUS`` or the repository's ``seeds/``.
    follow_symlinks
        Walk symlinked folders that lead outside the corpus folder (a loop is never
        walked twice). By default they are skipped with a reason; a symlinked folder
        whose target lies inside the corpus is skipped too, as its files are read
        where they are. Symlinked *files* are rows either way (the reader decides).
    exclude
        Files that are not rows (e.g. an explicit crawler index inside the folder).

    Returns
    -------
    CorpusListing
        ``files`` in row order (sorted by relative POSIX path), ``skipped`` the same way.

    Raises
    ------
    FileNotFoundError
        When ``path`` does not exist.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     for name in ("b/2.HTM", "a.txt", "notes.md", "~$a.docx", ".cache/x.txt", "scan.jpg"):
    ...         (Path(tmp) / name).parent.mkdir(parents=True, exist_ok=True)
    ...         _ = (Path(tmp) / name).write_text("x")
    ...     found = list_corpus(tmp)
    >>> [p.relative_to(found.root).as_posix() for p in found.files]
    ['a.txt', 'b/2.HTM', 'scan.jpg']
    >>> [(s.path, s.reason) for s in found.skipped]  # doctest: +NORMALIZE_WHITESPACE
    [('.cache/', 'hidden folder (not searched)'), ('notes.md', 'not a report format (.md)'),
     ('~$a.docx', 'editor lock or temporary file (Word/WPS)')]
    """
    root = corpus_dir(path)
    if not os.path.lexists(root):
        raise FileNotFoundError(f"corpus folder not found: {root}")
    if not root.is_dir():
        return CorpusListing(root=root.parent, files=[root])
    listing = CorpusListing(root=root)
    real_root = os.path.realpath(root)
    excluded = {os.path.realpath(p) for p in exclude}
    visited = {real_root}
    keyed: list[tuple[str, Path]] = []
    _walk(str(root), "", real_root, follow_symlinks, excluded, visited, listing, keyed)
    listing.files = [path for _, path in sorted(keyed, key=lambda kp: kp[0])]
    listing.skipped.sort(key=lambda s: s.path)
    return listing


def _walk(
    folder: str,
    prefix: str,
    real_root: str,
    follow: bool,
    excluded: set[str],
    visited: set[str],
    out: CorpusListing,
    files: list[tuple[str, Path]],
) -> None:
    """Walk ``folder`` (at ``prefix`` under the root): rows into ``files`` keyed by their
    shown path, skipped entries into ``out.skipped``."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        out.skipped.append(SkippedEntry(display_path(prefix) or "./", f"folder cannot be listed: {exc.strerror or exc}"))
        return
    for e in entries:
        rel = prefix + e.name
        shown = display_path(rel)
        if _is_dir(e):
            if e.name.startswith("."):
                out.skipped.append(SkippedEntry(shown + "/", "hidden folder (not searched)"))
                continue
            real = os.path.realpath(e.path)
            if e.is_symlink():
                reason = _symlinked_folder_reason(real, real_root, follow, visited)
                if reason:
                    out.skipped.append(SkippedEntry(shown + "/", reason))
                    continue
            elif real in visited:
                out.skipped.append(SkippedEntry(shown + "/", "folder already walked (a mount or link loop)"))
                continue
            visited.add(real)
            _walk(e.path, rel + "/", real_root, follow, excluded, visited, out, files)
            continue
        reason = _row_kind(e.name)
        if (not prefix and e.name in INDEX_NAMES) or (excluded and os.path.realpath(e.path) in excluded):
            reason = INDEX_REASON
        if reason is None:
            files.append((shown, Path(e.path)))
        else:
            out.skipped.append(SkippedEntry(shown, reason if reason != "hidden" else "hidden file"))


def _symlinked_folder_reason(real: str, real_root: str, follow: bool, visited: set[str]) -> str | None:
    """Why a symlinked folder (real path ``real``) is not walked; None: walk it."""
    if is_inside(real, real_root):
        rel = Path(os.path.relpath(real, real_root))
        if not any(part.startswith(".") for part in rel.parts):
            return f"symlinked folder: its target {display_path(rel.as_posix())}/ is read where it is"
    elif is_inside(real_root, real):
        return f"symlinked folder leads to a folder that holds the corpus ({display_path(real)}): a loop"
    elif not follow:
        return f"symlinked folder leads outside the corpus folder (to {display_path(real)}); pass follow_symlinks=True to read it"
    if real in visited:
        return f"symlinked folder already walked (a loop back to {display_path(real)})"
    return None


def discover_files(root: Path) -> tuple[list[Path], list[Path]]:
    """The files under ``root`` that become rows, and the files that are not read.

    Parameters
    ----------
    root
        A folder, walked recursively (see :func:`list_corpus`).

    Returns
    -------
    tuple of two lists of pathlib.Path
        Row files (the row order of :func:`analysis.corpus.load_corpus`) and the other
        files, hidden and lock files included (skipped folders are not expanded; use
        :func:`list_corpus` for every skipped entry with its reason).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     for name in ("b/2.HTM", "a.txt", "notes.md", ".cache/x.txt"):
    ...         (Path(tmp) / name).parent.mkdir(parents=True, exist_ok=True)
    ...         _ = (Path(tmp) / name).write_text("x")
    ...     reports, others = discover_files(Path(tmp))
    ...     [p.relative_to(tmp).as_posix() for p in reports], [p.name for p in others]
    (['a.txt', 'b/2.HTM'], ['notes.md'])
    """
    found = list_corpus(root)
    others = [found.root / os_path(s.path) for s in found.skipped if not s.path.endswith("/")]
    return found.files, others


def unread(skipped: list[SkippedEntry]) -> list[SkippedEntry]:
    """The skipped entries that were not read at all (a crawler index is read as metadata)."""
    return [s for s in skipped if s.reason != INDEX_REASON]


def skipped_message(skipped: list[SkippedEntry], *, limit: int = 20) -> str:
    """One line naming the skipped entries (the first ``limit``) for a :class:`CorpusWarning`."""
    names = ", ".join(s.path for s in skipped[:limit])
    more = f" and {len(skipped) - limit} more" if len(skipped) > limit else ""
    return (
        f"{len(skipped)} file(s) under the corpus folder were not read (other types, hidden, "
        f"lock files; list_corpus(path).skipped gives each reason): {names}{more}"
    )


def find_report_files(
    path: str | os.PathLike[str] | None = None,
    *,
    stacklevel: int = 2,
    follow_symlinks: bool = False,
    exclude: Iterable[str | os.PathLike[str]] = (),
) -> tuple[list[Path], Path]:
    """The files under ``path`` that become rows (or the one file) and their root.

    Shared by :func:`analysis.corpus.load_corpus` and the pipeline, whose workers read
    the files themselves with :func:`analysis.corpus.read_report`.

    Parameters
    ----------
    path
        A corpus folder or a single file. Default: ``$ANALYSIS_CORPUS`` or the
        repository's ``seeds/`` (:func:`analysis.config.corpus_dir`).
    stacklevel
        Where the :class:`CorpusWarning` points, counted from the caller of this function
        (1: that caller's line, 2: its caller's line, as for :func:`warnings.warn`).
    follow_symlinks, exclude
        See :func:`list_corpus` (``exclude``: e.g. a crawler index given explicitly).

    Returns
    -------
    tuple
        The row files in row order and the root folder (``path`` itself, or the folder
        of a single file).

    Raises
    ------
    FileNotFoundError
        When ``path`` does not exist.

    Warns
    -----
    CorpusWarning
        Naming (up to 20 of) the entries that are not read; :func:`list_corpus` gives
        all of them with their reasons.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / "r.txt").write_text("2023年,某某镇…", encoding="utf-8")
    ...     files, root = find_report_files(Path(tmp) / "r.txt")
    ...     [p.name for p in files], root == Path(tmp)
    (['r.txt'], True)
    """
    found = list_corpus(path, follow_symlinks=follow_symlinks, exclude=exclude)
    if unread(found.skipped):
        warnings.warn(skipped_message(unread(found.skipped)), CorpusWarning, stacklevel=stacklevel + 1)
    return found.files, found.root
