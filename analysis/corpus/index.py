"""The crawler's index: what a scraper recorded about each file (URL, title, date …).

A crawler usually writes a table beside the pages it saved: one row per file, with the
page's address and what the listing page said about it. ``load_corpus`` reads it as
*evidence*: a value is used only where the page itself lacks the field, a disagreement
with the page is listed (column ``index_conflicts``), never resolved silently, and a
bad row is reported without stopping the load or dropping a report.

File format (CSV with a header row, or JSON Lines with one object per line), found as
``index.csv``/``index.jsonl`` at the corpus root or given explicitly:

========================  =====================================================
column                    meaning
========================  =====================================================
``file`` (required)       path of the saved file relative to the corpus folder
``url``                   the page's address (kept in the ``url`` column; a date
                          in it, ``…/202503/t20250328_….html``, is the publish
                          date of last resort)
``title``                 the page's title as the listing showed it
``publish_date``          publication date (``2025-03-28``, ``2025/3/28``,
                          ``2025年3月28日``, ``20250328``; a time is ignored)
``source``                the publishing site or office (来源)
``issuer``                the body that issued the report
========================  =====================================================

Other columns are ignored. CSV files may be UTF-8 (with or without BOM) or GB18030.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.corpus.formats.decode import DecodeFailure, decode_bytes
from analysis.corpus.listing import INDEX_NAMES, CorpusWarning
from analysis.corpus.script import to_simplified

__all__ = [
    "INDEX_COLUMNS", "IndexWarning", "IndexEntry", "CrawlerIndex", "find_index", "read_index", "corpus_index",
    "resolve_index", "parse_date", "url_date", "conflicts",
]  # fmt: skip

#: Columns of a crawler index that are read (``file`` is required).
INDEX_COLUMNS = ("file", "url", "title", "publish_date", "source", "issuer")

# 2025-03-28 / 2025/3/28 / 2025.03.28 / 2025年3月28日 (a time after it is ignored)
_DATE_RE = re.compile(r"^\s*((?:19|20)\d{2})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?(?:[\sT].*)?$")
# 20250328
_COMPACT_DATE_RE = re.compile(r"^\s*((?:19|20)\d{2})(\d{2})(\d{2})\s*$")
# Dates in URLs: …/202503/t20250328_123456.html, …/2025/03/28/…, …/20250328/…
_URL_DATE_RES = (
    re.compile(r"/t((?:19|20)\d{2})(\d{2})(\d{2})_"),
    re.compile(r"/((?:19|20)\d{2})/(\d{2})/(\d{2})/"),
    re.compile(r"/((?:19|20)\d{2})(\d{2})(\d{2})/"),
)


class IndexWarning(CorpusWarning):
    """Rows of the crawler's index that could not be used (listed in the message)."""


def _date(y: str, m: str, d: str) -> pd.Timestamp | None:
    try:
        return pd.Timestamp(year=int(y), month=int(m), day=int(d))
    except ValueError:
        return None


def parse_date(value: str) -> pd.Timestamp | None:
    """A date as crawlers write it (None when it is not one).

    Examples
    --------
    >>> parse_date("2025-03-28 10:57"), parse_date("2025年3月28日"), parse_date("20250328")
    (Timestamp('2025-03-28 00:00:00'), Timestamp('2025-03-28 00:00:00'), Timestamp('2025-03-28 00:00:00'))
    >>> parse_date("2025-13-45") is None, parse_date("last week") is None
    (True, True)
    """
    m = _DATE_RE.match(value) or _COMPACT_DATE_RE.match(value)
    return _date(*m.groups()) if m else None


def url_date(url: str | None) -> pd.Timestamp | None:
    """The date a government CMS writes into a page's address (None when there is none).

    Examples
    --------
    >>> url_date("http://www.example.gov.cn/zwgk/202503/t20250328_123456.html")
    Timestamp('2025-03-28 00:00:00')
    >>> url_date("http://www.example.gov.cn/art/2024/3/5/art_1.html") is None
    True
    """
    if not url:
        return None
    for rx in _URL_DATE_RES:
        m = rx.search(url)
        if m:
            found = _date(*m.groups())
            if found is not None:
                return found
    return None


@dataclass(frozen=True)
class IndexEntry:
    """One file's row of the index: its values (None when absent) and what was wrong."""

    file: str
    row: int
    url: str | None = None
    title: str | None = None
    publish_date: pd.Timestamp | None = None
    source: str | None = None
    issuer: str | None = None
    problems: tuple[str, ...] = ()


@dataclass
class CrawlerIndex:
    """A crawler's index: entries by file (relative POSIX path) and the problems found.

    ``problems`` lists what could not be used, one line each (rows without a file,
    duplicate files, unparsable dates); :meth:`check_files` adds the files that are not
    in a given corpus. An entry's own problems are also in its ``problems``. The object
    is not changed after :func:`read_index` (it is shared by the loader's cache).
    """

    path: Path | None
    entries: dict[str, IndexEntry] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def entry(self, rel: str) -> IndexEntry | None:
        """The entry of the file at ``rel`` (relative POSIX path), if any."""
        return self.entries.get(rel)

    def check_files(self, rels: list[str]) -> list[str]:
        """:attr:`problems` plus one line per entry whose file is not among ``rels``."""
        have = set(rels)
        return self.problems + [
            f"index row {e.row}: file {e.file!r} is not a report file of the corpus"
            for e in self.entries.values()
            if e.file not in have
        ]


def find_index(root: Path) -> Path | None:
    """``index.csv`` or ``index.jsonl`` at the corpus root (None when there is neither)."""
    for name in INDEX_NAMES:
        path = root / name
        if path.is_file():
            return path
    return None


def _rows(path: Path) -> tuple[list[dict[str, object]], list[str]]:
    """The index's rows as dicts (keys lower-cased) and problems reading it."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [], [f"index {path.name}: unreadable ({exc.strerror or exc})"]
    try:
        text = decode_bytes(data).text if data else ""
    except DecodeFailure as exc:
        return [], [f"index {path.name}: {exc}"]
    problems: list[str] = []
    rows: list[dict[str, object]] = []
    if path.suffix.lower() in (".jsonl", ".json", ".ndjson"):
        for i, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"index row {i}: not JSON ({exc.msg})")
                rows.append({})
                continue
            if not isinstance(obj, dict):
                problems.append(f"index row {i}: not a JSON object")
                obj = {}
            rows.append({str(k).strip().lower(): v for k, v in obj.items()})
    else:
        reader = csv.DictReader(io.StringIO(text))
        try:
            for raw in reader:
                rows.append({str(k).strip().lower(): v for k, v in raw.items() if k is not None})
        except csv.Error as exc:
            problems.append(f"index {path.name}: CSV error at line {reader.line_num} ({exc})")
    return rows, problems


def _clean(value: object) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = " ".join(str(value).split())
    return text or None


def _simplified(value: str | None) -> str | None:
    """A short index value in simplified script (converted when it holds a character
    outside GB2312, the simplified set: too short for detect_script's shares)."""
    if not value:
        return value
    try:
        value.encode("gb2312")
        return value
    except UnicodeEncodeError:
        return to_simplified(value)


def read_index(path: str | os.PathLike[str]) -> CrawlerIndex:
    """Read a crawler index (CSV or JSONL); never raises for bad content.

    Returns
    -------
    CrawlerIndex
        One entry per file (the first row of a file listed twice); problems listed.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / "index.csv").write_text(
    ...         "file,url,publish_date\\n"
    ...         "a.html,http://x.gov.cn/202403/t20240328_1.html,2024-03-28\\n"
    ...         "b.html,,sometime\\n"
    ...         "a.html,,2024-01-01\\n", encoding="utf-8")
    ...     index = read_index(Path(tmp) / "index.csv")
    >>> sorted(index.entries), index.entries["a.html"].publish_date
    (['a.html', 'b.html'], Timestamp('2024-03-28 00:00:00'))
    >>> index.problems  # doctest: +NORMALIZE_WHITESPACE
    ["index row 2: publish_date 'sometime' is not a date (ignored)",
     "index row 3: file 'a.html' listed again (first listed in row 1; this row ignored)"]
    """
    path = Path(path)
    index = CrawlerIndex(path=path)
    rows, index.problems = _rows(path)
    if rows and not any("file" in row for row in rows):
        columns = sorted({k for row in rows for k in row})
        index.problems.append(f"index {path.name}: no 'file' column (columns: {', '.join(columns)}); index not used")
        return index
    for i, row in enumerate(rows, start=1):
        if not row:
            continue
        file = _clean(row.get("file"))
        if file is None:
            index.problems.append(f"index row {i}: no file named (row ignored)")
            continue
        file = file.replace("\\", "/").removeprefix("./")
        if file in index.entries:
            index.problems.append(
                f"index row {i}: file {file!r} listed again (first listed in row {index.entries[file].row}; this row ignored)"
            )
            continue
        problems: list[str] = []
        raw_date = _clean(row.get("publish_date"))
        date = parse_date(raw_date) if raw_date else None
        if raw_date and date is None:
            problems.append(f"index row {i}: publish_date {raw_date!r} is not a date (ignored)")
        index.problems.extend(problems)
        index.entries[file] = IndexEntry(
            file=file,
            row=i,
            url=_clean(row.get("url")),
            title=_simplified(_clean(row.get("title"))),
            publish_date=date,
            source=_simplified(_clean(row.get("source"))),
            issuer=_simplified(_clean(row.get("issuer"))),
            problems=tuple(problems),
        )
    return index


# (path, size, mtime) -> index, so that each worker reads an auto-discovered index once.
_CACHE: dict[tuple[str, int, int], CrawlerIndex] = {}


def corpus_index(root: Path) -> CrawlerIndex | None:
    """The auto-discovered index of the corpus at ``root`` (read once while unchanged)."""
    path = find_index(root)
    if path is None:
        return None
    return _cached_index(path)


def _cached_index(path: Path) -> CrawlerIndex:
    """:func:`read_index` of ``path``, read once per process while the file is unchanged."""
    try:
        st = path.stat()
    except OSError:
        return read_index(path)  # read_index says what is wrong with it
    key = (str(path), st.st_size, st.st_mtime_ns)
    if key not in _CACHE:
        if len(_CACHE) > 16:
            _CACHE.clear()
        _CACHE[key] = read_index(path)
    return _CACHE[key]


def resolve_index(index: object, root: Path) -> CrawlerIndex | None:
    """The index a caller asked for: None → auto-discovered at ``root``, False → none,
    a path → read from it, a :class:`CrawlerIndex` → itself."""
    if index is None:
        return corpus_index(root)
    if index is False:
        return None
    if isinstance(index, CrawlerIndex):
        return index
    if isinstance(index, (str, os.PathLike)):
        return _cached_index(Path(index))
    raise TypeError(f"index must be None, False, a path or a CrawlerIndex, not {type(index).__name__}")


# --------------------------------------------------------------------------- page vs index


def _same_text(a: str, b: str) -> bool:
    """Equal after removing spaces, or one contains the other (a title cut or suffixed)."""
    a, b = "".join(a.split()), "".join(b.split())
    return a == b or a in b or b in a


def conflicts(page: dict[str, object], entry: IndexEntry, page_url: str | None) -> list[str]:
    """Fields on which the page and the index disagree, one ``field: page … | index …`` each.

    ``page`` holds the values read from the page itself (``title``, ``issuer``,
    ``source``, ``publish_date``); only fields both have are compared.

    Examples
    --------
    >>> entry = IndexEntry(file="a.html", row=1, title="某县2023年法治政府建设年度报告", publish_date=pd.Timestamp("2024-03-27"))
    >>> conflicts({"title": "某县2023年法治政府建设年度报告", "publish_date": pd.Timestamp("2024-03-28")}, entry, None)
    ['publish_date: page 2024-03-28 | index 2024-03-27']
    """
    out: list[str] = []
    for name in ("title", "issuer", "source"):
        mine, theirs = page.get(name), getattr(entry, name)
        if mine and theirs and not _same_text(str(mine), theirs):
            out.append(f"{name}: page {mine!r} | index {theirs!r}")
    mine_date = page.get("publish_date")
    if mine_date is not None and entry.publish_date is not None and pd.Timestamp(mine_date) != entry.publish_date:
        out.append(f"publish_date: page {pd.Timestamp(mine_date).date()} | index {entry.publish_date.date()}")
    if page_url and entry.url and page_url.rstrip("/").split("://")[-1] != entry.url.rstrip("/").split("://")[-1]:
        out.append(f"url: page {page_url!r} | index {entry.url!r}")
    return out
