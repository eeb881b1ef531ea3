"""The corpus table: one row per report file, from files to a typed DataFrame.

:func:`read_report` turns one file into one row (text from :mod:`analysis.corpus.read`,
furniture from :mod:`analysis.corpus.chrome`, metadata from
:mod:`analysis.corpus.metadata` and :mod:`analysis.corpus.places`); :func:`finish_corpus`
turns the rows into the table (duplicates flagged, dtypes fixed); :func:`load_corpus`
does both for a folder. The pipeline calls the first two itself so that its workers read
the files they analyse.
"""

from __future__ import annotations

import functools
import os
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

from analysis.corpus.chrome import publish_date, source_field, split_furniture
from analysis.corpus.metadata import find_issuer, find_title, issuer_type, report_year, subdistrict_name
from analysis.corpus.places import resolve_places
from analysis.corpus.index import CrawlerIndex, IndexEntry, IndexWarning, conflicts, resolve_index, url_date
from analysis.corpus.listing import (
    CorpusError,
    CorpusWarning,
    doc_id_for,
    doc_ids,
    list_corpus,
    relative_path,
    skipped_message,
    unread,
)
from analysis.corpus.read import MAX_BYTES, normalize_text, read_text

__all__ = ["COLUMNS", "read_report", "finish_corpus", "load_corpus"]

#: Columns of :func:`load_corpus`, in order.
COLUMNS = [
    "doc_id", "path", "sha256", "encoding", "status", "message", "title", "issuer",
    "issuer_type", "province", "city", "county", "subdistrict", "report_year",
    "publish_date", "source", "chrome", "n_chars", "text", "format", "script", "url", "index_conflicts",
]  # fmt: skip

# Columns of :func:`finish_corpus` held as pandas strings.
_STRING_COLUMNS = (
    "doc_id", "path", "sha256", "encoding", "status", "message", "title", "issuer",
    "issuer_type", "province", "city", "county", "subdistrict", "source", "chrome", "text",
    "format", "script", "url", "index_conflicts",
)  # fmt: skip


# --------------------------------------------------------------------------- one file


def _empty_row(doc_id: str, rel: str) -> dict[str, object]:
    row: dict[str, object] = dict.fromkeys(COLUMNS)
    row.update(doc_id=doc_id, path=rel, status="ok", message="", chrome="", n_chars=0, text="")
    return row


def read_report(
    path: Path,
    root: Path,
    *,
    doc_id: str | None = None,
    index: CrawlerIndex | str | os.PathLike[str] | bool | None = None,
    follow_symlinks: bool = False,
    max_bytes: int = MAX_BYTES,
) -> dict[str, object]:
    """Read one report file into one row of the corpus table (never raises for bad content).

    Parameters
    ----------
    path
        The report file (any entry :func:`analysis.corpus.list_corpus` makes a row).
    root
        The corpus folder ``path`` lies under: ``doc_id`` and ``path`` are relative to it.
    doc_id
        The row's id when the caller has computed the ids of the whole corpus
        (:func:`analysis.corpus.listing.doc_ids`); default: computed from the file's folder
        (:func:`analysis.corpus.listing.doc_id_for`), which gives the same.
    index
        The crawler's index (:mod:`analysis.corpus.index`): None finds ``index.csv`` /
        ``index.jsonl`` at ``root``; False uses none.
    follow_symlinks, max_bytes
        See :func:`analysis.corpus.read.read_bytes`.

    Returns
    -------
    dict
        One value per column of :data:`COLUMNS` (plain Python values: ``report_year`` an
        int or None, ``publish_date`` a Timestamp or None). A file that cannot be read
        gives status ``error`` with the reason in ``message``. Duplicates are not flagged
        here: :func:`finish_corpus` does that over all rows.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / "r.txt").write_text(
    ...         "某某县人民政府关于2023年度法治政府建设情况的报告\\n2023年,我县…", encoding="utf-8")
    ...     row = read_report(Path(tmp) / "r.txt", Path(tmp))
    >>> row["doc_id"], row["status"], row["issuer"], row["report_year"], row["text"]
    ('r', 'ok', '某某县人民政府', 2023, '2023年,我县…')
    """
    rel = relative_path(path, root)
    row = _empty_row(doc_id or doc_id_for(path, root), rel)
    source = read_text(path, root=root, follow_symlinks=follow_symlinks, max_bytes=max_bytes)
    crawler = resolve_index(index, root)
    entry = crawler.entry(rel) if crawler is not None else None
    row.update(sha256=source.sha256, encoding=source.encoding, format=source.format, script=source.script)
    row["url"] = source.url or (entry.url if entry else None)
    if source.error is not None:
        row.update(status="error", message=source.error)
        return row
    messages = list(source.messages)
    _fill_from_text(row, source.text, source.titles, source.meta_date, messages, entry)
    if row["status"] == "error" and source.hint:
        row["message"] = f"{row['message']}: {source.hint}"
    notes = [m for m in messages if m.startswith("note:")]
    problems = [m for m in messages if not m.startswith("note:")]
    if problems:
        row["status"] = "warning"
    row["message"] = "; ".join(problems + notes)
    return row


def _fill_from_text(
    row: dict[str, object],
    text: str,
    html_titles: list[str],
    meta_date: str | None,
    messages: list[str],
    entry: IndexEntry | None = None,
) -> None:
    lines = text.split("\n")
    first, last, title = find_title(lines, html_titles)
    # Page evidence first: the crawler index's title stands in only for a page without one.
    index_title = None
    if title is None and entry is not None and entry.title:
        index_title = normalize_text(entry.title).replace("\n", " ") or None
    chrome: list[str] = []
    if first >= 0:
        chrome.extend(line for line in lines[:first])  # everything above the title is page furniture
        after = lines[last + 1 :]
    else:
        after = lines
    body, furniture = split_furniture(after, title)
    chrome.extend(furniture)
    text_body = "\n".join(body)
    row["title"] = title or index_title
    row["chrome"] = "\n".join(chrome)
    row["text"] = text_body
    row["n_chars"] = len(text_body)
    if not text_body:
        row["status"] = "error"
        row["message"] = "no report text after removing web-page furniture"
        return
    year, year_from = report_year(title, text_body)
    if year is None and index_title:
        year, year_from = report_year(index_title, "")[0], "crawler index's title"
    row["report_year"] = year
    if year is None:
        messages.append("report year not found in the title or the opening sentence")
    source = source_field(chrome)
    issuer, issuer_from = find_issuer(title, text_body, source)
    if issuer is None and index_title:
        issuer, issuer_from = find_issuer(index_title, "")[0], "crawler index's title"
    if issuer is None and entry is not None and entry.issuer:
        issuer, issuer_from = entry.issuer, "crawler index"
    if issuer is None:
        messages.append("issuer not found in the title, signature or opening sentence")
    context = "\n".join([title or index_title or "", text_body[:600], "\n".join(lines[-6:]), source or ""])
    place = resolve_places(issuer or "", context)
    if place.county and place.county == place.city:
        # prefecture-level cities without counties (东莞市, 中山市, 嘉峪关市, 儋州市)
        place = type(place)(province=place.province, city=place.city, county="", township=place.township)
    row["issuer"] = issuer
    row["issuer_type"] = issuer_type(issuer, place.county, place.city)
    row["province"] = place.province or None
    row["city"] = place.city or None
    row["county"] = place.county or None
    row["subdistrict"] = subdistrict_name(issuer, str(row["issuer_type"]), place.township) or None
    row["publish_date"] = publish_date(chrome, meta_date)
    row["source"] = source
    if entry is not None or row["url"]:
        _apply_index(row, entry, index_title is not None, issuer_from, messages)
    if title is None:
        messages.append(
            "note: no title line; " + (f"issuer from the {issuer_from}" if issuer else "no issuer")
            + (f", year from the {year_from}" if year else "")
        )


def _apply_index(
    row: dict[str, object], entry: IndexEntry | None, title_from_index: bool, issuer_from: str, messages: list[str]
) -> None:
    """Crawler-index evidence where the page lacks a field; disagreements listed.

    Title and issuer were already taken from the index by :func:`_fill_from_text` when
    the page had none; here: the page's own values are compared with the index
    (``index_conflicts``), source and publish date filled in, and the URL's date used as
    the publish date of last resort.
    """
    used: list[str] = []
    if entry is not None:
        if title_from_index:
            used.append("title")
        page = {
            "title": None if title_from_index else row["title"],
            "issuer": None if issuer_from.startswith("crawler index") else row["issuer"],
            "source": row["source"],
            "publish_date": row["publish_date"],
        }
        found = conflicts(page, entry, row["url"] if row["url"] != entry.url else None)
        if found:
            row["index_conflicts"] = "; ".join(found)
            messages.append("note: the crawler index disagrees with the page (see index_conflicts)")
        if issuer_from.startswith("crawler index"):
            used.append("issuer")
        if row["source"] is None and entry.source:
            row["source"] = entry.source
            used.append("source")
        if row["publish_date"] is None and entry.publish_date is not None:
            row["publish_date"] = entry.publish_date
            used.append("publish_date")
        messages.extend(f"note: {p}" for p in entry.problems)
    if used:
        messages.append("note: from the crawler index: " + ", ".join(used))
    if row["publish_date"] is None:
        found_date = url_date(str(row["url"]) if row["url"] else None)
        if found_date is not None:
            row["publish_date"] = found_date
            messages.append("note: publish_date from the date in the page's URL")


# --------------------------------------------------------------------------- the table


def load_corpus(
    path: str | os.PathLike[str] | None = None,
    *,
    strict: bool = False,
    n_jobs: int = 1,
    index: CrawlerIndex | str | os.PathLike[str] | bool | None = None,
    follow_symlinks: bool = False,
    max_bytes: int = MAX_BYTES,
) -> pd.DataFrame:
    """Read every report under ``path`` into one table: metadata and clean text.

    Parameters
    ----------
    path
        Folder searched recursively (see :func:`analysis.corpus.list_corpus` for which
        entries become rows: every report format, recognised unsupported formats as
        error rows, names without an extension). Default: ``$ANALYSIS_CORPUS`` or the
        repository's ``seeds/``. A single file is accepted too.
    strict
        Raise :class:`~analysis.corpus.CorpusError` naming the first file with status ``error`` instead of
        returning its row.
    n_jobs
        Worker processes for reading and parsing (``1``: in this process; ``-1``: all cores).
        The table is the same whatever the value.
    index
        A crawler's index of the files (CSV or JSONL, see :mod:`analysis.corpus.index`):
        its values fill fields the page lacks and disagreements are listed. Default:
        ``index.csv``/``index.jsonl`` at the corpus root if there is one; ``False``: none.
    follow_symlinks
        Read symlinks (files and folders) that lead outside the corpus folder; by
        default they are error rows (files) or skipped (folders).
    max_bytes
        Files larger than this are error rows (default :data:`analysis.corpus.read.MAX_BYTES`, 64 MB).

    Returns
    -------
    pandas.DataFrame
        One row per report file, in path order, columns:

        ``doc_id``
            File path relative to the corpus root without extension (stable).
        ``path``
            File path relative to the corpus root (POSIX form).
        ``sha256``
            Hex digest of the raw bytes (provenance; duplicates share it).
        ``encoding``
            Encoding used to decode the bytes (``utf-8``, ``utf-8-sig``, ``gb18030``, ``utf-16`` …).
        ``status``
            ``ok``, ``warning`` (read, with a caveat in ``message``) or ``error`` (not read).
        ``message``
            What went wrong or what to check (a duplicate names its twin); for ``ok`` rows
            empty or a ``note:`` on where metadata came from (e.g. a file with no title).
        ``title``
            The report's title line (joined when split over two lines; from ``<h1>`` or
            ``<title>`` for HTML), or NA when the page has none.
        ``issuer``
            Issuing body, from the title ("<issuer>关于…报告"), else the signature block,
            else the opening sentence ("2020年白云湖街以…").
        ``issuer_type``
            ``provincial_government``, ``city_government``, ``district_government``
            (county level), ``department``, ``subdistrict`` (街道), ``township`` (镇/乡)
            or ``other``, from the ending of the issuer's name.
        ``province``, ``city``, ``county``
            Administrative divisions of the issuer, resolved against the shipped
            gazetteer (NBS 2023 codes) using every place name in the title, opening,
            signature and source; NA above the issuer's own level or when unknown.
        ``subdistrict``
            The 街道/镇/乡 issuing the report (NA for other issuer types).
        ``report_year``
            Year the report covers (Int64): from the title, else the opening sentence;
            never a header clock, a publication date, a range such as (2021-2025年) or a
            year inside a 《cited document》.
        ``publish_date``
            Date in the page's 发布日期/发布时间/日期 field or ``<meta name="PubDate">``
            (datetime64; NaT when absent).
        ``source``
            The page's 来源 field (NA when absent or empty).
        ``chrome``
            The lines removed as web-page furniture, newline-joined (breadcrumbs, date and
            source lines, share/font/print widgets, footers, ICP numbers, stamps such as
            文件已失效, header clocks). A closing signature block stays in ``text``.
        ``n_chars``
            Length of ``text``.
        ``text``
            The report body in canonical form (:func:`analysis.corpus.normalize_text`): every later
            offset points into it. Empty for rows with status ``error``.
        ``format``
            What the content was read as: ``text``, ``html``, ``mht``, ``docx``, ``pdf``;
            for an error row of a known unsupported type ``doc``, ``wps``, ``xls``,
            ``zip``, ``image`` …; NA when the file was not opened.
        ``script``
            ``simplified`` or ``traditional`` (then converted to simplified before any
            offset: ``text`` is the converted text); NA for error rows.
        ``url``
            The page's address: from the file itself (MHT ``Content-Location``, "saved
            from url" comment, canonical link) else the crawler index.
        ``index_conflicts``
            Where the crawler index disagrees with the page (``field: page … | index …``
            joined by ``; ``); NA when it agrees or there is no index. The page wins.

    Warns
    -----
    analysis.corpus.CorpusWarning
        Naming the entries that are not rows (other types such as README.md, hidden
        and lock files, skipped folders; :func:`analysis.corpus.list_corpus` gives all
        with their reasons).
    analysis.corpus.index.IndexWarning
        Listing the crawler index's unusable rows (unknown file, duplicate, bad date).

    Examples
    --------
    >>> corpus = load_corpus()
    >>> corpus["report_year"].tolist()
    [2024, 2023, 2023, 2020, 2023]
    >>> corpus["issuer_type"].tolist()[:2]
    ['subdistrict', 'department']
    """
    explicit = [index] if isinstance(index, (str, os.PathLike)) else []
    listing = list_corpus(path, follow_symlinks=follow_symlinks, exclude=explicit)
    if unread(listing.skipped):
        warnings.warn(skipped_message(unread(listing.skipped)), CorpusWarning, stacklevel=2)
    files, base = listing.files, listing.root
    rels = [relative_path(f, base) for f in files]
    crawler = resolve_index(index, base)
    if crawler is not None:
        crawler.check_files(rels)
        if crawler.problems:
            warnings.warn(
                f"crawler index {crawler.path}: {len(crawler.problems)} problem(s): " + "; ".join(crawler.problems),
                IndexWarning,
                stacklevel=2,
            )
    ids = doc_ids(rels)
    read = functools.partial(
        _read_with_id, root=base, index=crawler or False, follow_symlinks=follow_symlinks, max_bytes=max_bytes
    )
    jobs = [(f, ids[r]) for f, r in zip(files, rels)]
    workers = (os.cpu_count() or 1) if n_jobs == -1 else max(1, n_jobs)
    if workers > 1 and len(files) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            rows = list(pool.map(read, jobs, chunksize=max(1, len(files) // (workers * 8))))
    else:
        rows = [read(job) for job in jobs]
    if strict:
        for row in rows:
            if row["status"] == "error":
                raise CorpusError(f"{row['path']}: {row['message']}")
    return finish_corpus(rows)


def _read_with_id(job: tuple[Path, str], **kw: object) -> dict[str, object]:
    return read_report(job[0], kw.pop("root"), doc_id=job[1], **kw)  # type: ignore[arg-type]


def finish_corpus(rows: list[dict[str, object]]) -> pd.DataFrame:
    """The corpus table from rows of :func:`read_report`: duplicates flagged, dtypes fixed.

    Parameters
    ----------
    rows
        One row per report file, in the table's order (the input is not changed).

    Returns
    -------
    pandas.DataFrame
        The table :func:`load_corpus` returns for these files. A row whose raw bytes or
        clean text repeat an earlier row's gets status ``warning`` and a message naming
        its twin (``duplicate: identical bytes as a.txt``); so all rows of a corpus must be
        passed together for duplicates to be found across them.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     for name in ("a.txt", "b.txt"):
    ...         _ = (Path(tmp) / name).write_text("某某镇2023年法治政府建设情况报告\\n2023年,…", encoding="utf-8")
    ...     table = finish_corpus([read_report(Path(tmp) / n, Path(tmp)) for n in ("a.txt", "b.txt")])
    >>> table[["doc_id", "status", "message"]].values.tolist()
    [['a', 'ok', ''], ['b', 'warning', 'duplicate: identical bytes as a.txt']]
    >>> table.dtypes[["report_year", "n_chars", "issuer"]].astype(str).tolist()
    ['Int64', 'int64', 'string']
    """
    rows = [dict(row) for row in rows]
    _flag_duplicates(rows)
    return _to_frame(rows)


def _flag_duplicates(rows: list[dict[str, object]]) -> None:
    """Mark files whose raw bytes or clean text duplicate an earlier file's (status warning)."""
    seen_bytes: dict[object, str] = {}
    seen_text: dict[str, str] = {}
    for row in rows:
        if row["status"] == "error" or row["sha256"] is None:
            continue
        twin = seen_bytes.get(row["sha256"])
        kind = "identical bytes"
        if twin is None and row["text"]:
            twin = seen_text.get(str(row["text"]))
            kind = "identical report text"
        if twin is not None:
            msg = f"duplicate: {kind} as {twin}"
            row["status"] = "warning"
            row["message"] = f"{row['message']}; {msg}" if row["message"] else msg
        else:
            seen_bytes[row["sha256"]] = str(row["path"])
            if row["text"]:
                seen_text[str(row["text"])] = str(row["path"])


def _to_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=COLUMNS)
    df["report_year"] = pd.array(df["report_year"].tolist(), dtype="Int64")
    df["publish_date"] = pd.to_datetime(df["publish_date"])
    df["n_chars"] = df["n_chars"].astype("int64")
    for col in _STRING_COLUMNS:
        df[col] = df[col].astype("string")
    return df

