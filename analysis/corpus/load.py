"""The corpus table: one row per report file, from files to a typed DataFrame.

:func:`read_report` turns one file into one row (text from :mod:`analysis.corpus.read`,
furniture from :mod:`analysis.corpus.chrome`, metadata from
:mod:`analysis.corpus.metadata` and :mod:`analysis.corpus.places`); :func:`finish_corpus`
turns the rows into the table (duplicates flagged, dtypes fixed); :func:`load_corpus`
does both for a folder. The pipeline calls the first two itself so that its workers read
the files they analyse.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.corpus.chrome import info_fields, page_fields, parse_date, publish_date, signed_field, source_field, split_furniture
from analysis.corpus.index import CrawlerIndex, IndexEntry, IndexWarning, conflicts, resolve_index, url_date
from analysis.corpus.issuer import find_issuer, issuer_level, issuer_type, signature_bodies, site_names
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
from analysis.corpus.metadata import clean_title, doc_type, find_doc_number, find_other_title, find_title, report_year
from analysis.corpus.places import Place, resolve_places
from analysis.corpus.read import MAX_BYTES, normalize_text, read_text
from analysis.ids import doc_id_table

__all__ = ["COLUMNS", "read_report", "finish_corpus", "load_corpus"]

#: Columns of :func:`load_corpus`, in order.
COLUMNS = [
    "doc_id", "path", "sha256", "encoding", "status", "message", "doc_type", "title", "doc_number",
    "issuer", "issuer_type", "issuer_level", "province", "city", "county", "subdistrict", "admin_code",
    "report_year", "publish_date", "signed_date", "source", "evidence", "chrome", "n_chars", "text",
    "format", "script", "url", "index_conflicts",
]  # fmt: skip

# Columns of :func:`finish_corpus` held as pandas strings.
_STRING_COLUMNS = (
    "doc_id", "path", "sha256", "encoding", "status", "message", "doc_type", "title", "doc_number",
    "issuer", "issuer_type", "issuer_level", "province", "city", "county", "subdistrict", "admin_code",
    "source", "evidence", "chrome", "text", "format", "script", "url", "index_conflicts",
)  # fmt: skip
# Evidence codes of the year's sources (see metadata.report_year), and the issuer's as
# a note on a page without a title says them.
_YEAR_CODES = {
    "title": "title", "opening sentence": "opening", "opening paragraph": "paragraph",
    "crawler index's title": "index", "": "none",
}  # fmt: skip
_ISSUER_WORDS = {
    "title": "title", "signature": "signature", "opening": "opening sentence", "source": "source field",
    "field": "info table", "header": "site header", "index": "crawler index",
}  # fmt: skip
_PLACE_CODES = {"primary": "issuer", "secondary": "page", "context": "body", "": "none"}


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
    >>> row["doc_id"], row["issuer"], row["issuer_type"], row["report_year"], row["text"]
    ('r', '某某县人民政府', 'county_government', 2023, '2023年,我县…')
    >>> row["status"], row["doc_type"], row["message"]  # a few characters are not a report
    ('warning', 'other', 'only 9 characters of text: not a report')
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
    _fill_from_text(row, source.text, source.titles, source.meta_date, messages, source.site, entry)
    if row["status"] == "error":
        row["message"] = f"{row['message']}: {source.hint}" if source.hint else row["message"]
        return row
    notes = [m for m in messages if m.startswith("note:")]
    problems = [m for m in messages if not m.startswith("note:")]
    if problems:
        row["status"] = "warning"
    row["message"] = "; ".join(problems + notes)
    return row


def _fill_from_text(
    row: dict[str, object], text: str, html_titles: list[str], meta_date: str | None, messages: list[str],
    site: str | None = None,
    entry: IndexEntry | None = None,
) -> None:
    lines = text.split("\n")
    first, last, title = find_title(lines, html_titles)
    # A notice, opinion or plan (not a report): its title is where its issuer is and
    # what the furniture stands around, but it is no report's title (``title`` stays empty).
    other_title = find_other_title(lines, html_titles) if title is None else (-1, -1, None)
    if other_title[2] is not None:
        first, last = other_title[:2]
    other = other_title[2]
    # Page evidence first: the crawler index's title stands in only for a page without one.
    index_title = None
    if title is None and entry is not None and entry.title:
        index_title = normalize_text(entry.title).replace("\n", " ") or None
    chrome: list[str] = []
    if first >= 0:
        chrome.extend(line for line in lines[:first])  # everything above the title is page furniture
        after = lines[last + 1 :]
        title_code = f"line{first + 1}"
    else:
        after = lines
        title_code = "html" if title else "none"
    if other is not None:
        title_code = "other"
    split = split_furniture(after, title or other)
    body = split.body
    chrome.extend(split.chrome)
    head = chrome[: len(chrome) - len(split.chrome) + split.n_head]
    text_body = "\n".join(body)
    found = info_fields(chrome)
    fields = page_fields(chrome, found)
    if title is None and "title" in fields:
        candidate = clean_title(fields["title"])
        if find_title([candidate], [])[2]:
            title, title_code = candidate, "field"
    if title is None and index_title:
        title_code = "index"
    row["title"] = title or index_title
    row["chrome"] = "\n".join(chrome)
    row["text"] = text_body
    row["n_chars"] = len(text_body)
    if not text_body and title is None:
        row["status"] = "error"
        row["message"] = "no report text after removing web-page furniture"
        return
    number = fields.get("doc_number")
    # above the title, the title, then the furniture between it and the report
    row["doc_number"] = find_doc_number([number] if number else []) or find_doc_number(
        lines[: last + 1] + head[first:] if first >= 0 else head
    )
    year, year_from = report_year(title, text_body)
    if year is None and index_title:
        year, year_from = report_year(index_title, "")[0], "crawler index's title"
    row["report_year"] = year
    if year is None:
        messages.append("report year not found in the title or the opening sentence")
    source = source_field(chrome, found)
    sites = site_names(head + split.chrome[split.n_head :] + ([site] if site else []))
    publisher = fields.get("publisher")
    issuer, issuer_code, note = find_issuer(title or other, body, publisher=publisher, sites=sites, source=source)
    if issuer is None and index_title:
        issuer, issuer_code, note = find_issuer(index_title, [], sites=sites)
        issuer_code = "index" if issuer else issuer_code
    if issuer is None and entry is not None and entry.issuer:
        issuer, issuer_code, note = entry.issuer, "index", None
    if note:
        messages.append(note)
    elif issuer is None:
        messages.append("issuer not found in the title, signature or opening sentence")
    if issuer is None:
        place = Place()
    else:
        secondary = " ".join(filter(None, [title or other, publisher, *sites, source]))
        context = "\n".join([title or other or "", text_body[:600], "\n".join(lines[-6:])])
        place = resolve_places(issuer, context, secondary=secondary)
    if place.county and place.county == place.city:
        # prefecture-level cities without counties (东莞市, 中山市, 嘉峪关市, 儋州市)
        place = dataclasses.replace(place, county="", township=place.township)
    kind, type_code = issuer_type(issuer, place)
    names, signed_line = signature_bodies(body)
    signed = signed_field(chrome, found)
    signed_code = "field" if signed is not None else "none"
    if signed is None and signed_line:
        signed = parse_date(signed_line)
        signed_code = "signature" if signed is not None else "none"
    date, date_code = publish_date(chrome, meta_date, head=head, fields=found)
    page_type, why = doc_type(title or other, lines, text_body)
    if why:
        messages.append(why)
    row["doc_type"] = page_type
    row["issuer"] = issuer
    row["issuer_type"] = kind
    row["issuer_level"] = issuer_level(issuer, kind, place)
    row["province"] = place.province or None
    row["city"] = place.city or None
    row["county"] = place.county or None
    row["subdistrict"] = _subdistrict(issuer, kind, place)
    row["admin_code"] = place.code or None
    row["publish_date"] = date
    row["signed_date"] = signed
    row["source"] = source
    if entry is not None or row["url"]:
        issuer_from = "crawler index" if issuer_code == "index" else issuer_code
        date_code = _apply_index(row, entry, index_title is not None, issuer_from, messages) or date_code
    row["evidence"] = (
        f"issuer={issuer_code};type={type_code};title={title_code};date={date_code};signed={signed_code}"
        f";year={_YEAR_CODES[year_from]};place={_PLACE_CODES[place.origin]}"
    )
    if title is None and other is None:  # (a notice's kind is said by doc_type's reason)
        messages.append(
            "note: no title line; " + (f"issuer from the {_ISSUER_WORDS[issuer_code]}" if issuer else "no issuer")
            + (f", year from the {year_from}" if year else "")
        )


def _apply_index(
    row: dict[str, object], entry: IndexEntry | None, title_from_index: bool, issuer_from: str, messages: list[str]
) -> str | None:
    """Crawler-index evidence where the page lacks a field; disagreements listed.

    Title and issuer were already taken from the index by :func:`_fill_from_text` when
    the page had none; here: the page's own values are compared with the index
    (``index_conflicts``), source and publish date filled in, and the URL's date used as
    the publish date of last resort. Returns the evidence code of a publish date taken
    from the index (``index``) or the URL (``url``), else None.
    """
    code = None
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
            code = "index"
        messages.extend(f"note: {p}" for p in entry.problems)
    if used:
        messages.append("note: from the crawler index: " + ", ".join(used))
    if row["publish_date"] is None:
        found_date = url_date(str(row["url"]) if row["url"] else None)
        if found_date is not None:
            row["publish_date"] = found_date
            messages.append("note: publish_date from the date in the page's URL")
            code = "url"
    return code


# A 街道/镇/乡 at the end of an issuer's name: "某某市某某街道办事处" -> 某某街道
_SUBDISTRICT_RE = re.compile(r"([\u4e00-\u9fff]{2,12}?(?:街道|镇|乡|苏木|街))(?:办事处|人民政府|党工委|工作委员会|政府)?$")


def _subdistrict(issuer: str | None, kind: str, place: Place) -> str | None:
    """The gazetteer's 街道/镇/乡 of the issuer; a name missing from the gazetteer (renamed or
    new since 2023) is taken from the issuer's name when its county is known."""
    if kind not in ("subdistrict", "township") or not issuer:
        return None
    if place.township:
        return place.township
    if not place.county:
        return None
    last = re.sub(r"^.*(?:区|县|市|旗)(?:人民政府)?(?=[\u4e00-\u9fff]{2,12}(?:街道|镇|乡|苏木|街))", "", issuer.split()[-1])
    m = _SUBDISTRICT_RE.search(last)
    return m.group(1) if m else None


# --------------------------------------------------------------------------- the table


@doc_id_table
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
        ``doc_type``
            ``annual_report``; ``interpretation`` (a 解读/图解 of a report) or ``other``
            (a 述法 report, a notice, a column index, a page of a few dozen characters):
            these get status ``warning`` with the reason.
        ``title``
            The report's own title as one line (split lines joined; bullets, labels and a
            leading document number stripped), from the page's lines, else its info table's
            标题, else ``<h1>``/``<title>``; NA when the page has none.
        ``doc_number``
            Document number near the title or in the info table (``某政发〔2024〕3号``).
        ``issuer``
            The issuing body as the report names itself: the title, else the signature,
            else the opening sentence's subject (after an addressee line and a leading
            clause); a joint subject (某某县委、县政府) gives the government; a
            self-reference (我局) or short form (区政府) is completed from the page's own
            title, info table, site header or 来源; the info table's publisher and the 来源
            field come last. NA (with a note) when nothing on the page names it.
        ``issuer_type``
            One of :data:`~analysis.corpus.ISSUER_TYPES` (``provincial_government``,
            ``city_government``, ``county_government``, ``district_government``,
            ``department``, ``subdistrict``, ``township``, ``other``), from the ending of
            the issuer's name and the level of its place.
        ``issuer_level``
            ``national``, ``province``, ``city``, ``county`` or ``township``: the level of
            the government the issuer belongs to.
        ``province``, ``city``, ``county``
            The issuer's own place, resolved against the shipped gazetteer (NBS 2023):
            names in the issuer decide, the page's other words only disambiguate; NA above
            the issuer's level or when unresolved. A province-level city is its own city.
        ``subdistrict``
            The 街道/镇/乡 issuing the report (NA for other issuer types, or when its name is
            ambiguous and the page names no county).
        ``admin_code``
            6-digit NBS code of the most specific of county, city and province.
        ``report_year``
            Year the report covers (Int64): from the title, else the opening sentence;
            never a header clock, a publication date, a range such as (2021-2025年) or a
            year inside a 《cited document》.
        ``publish_date``
            The page's publication date: a 发布日期/发布时间/更新时间/日期 field, a date
            after the 来源, an unlabelled date above the report, or ``<meta name="PubDate">``
            (datetime64; NaT when absent); never a header clock or a signing date.
        ``signed_date``
            The 成文日期 field, else the date under the closing signature (NaT when absent).
        ``source``
            The page's 来源 field (NA when absent or empty).
        ``evidence``
            Where each field came from, ``field=code`` pairs in a fixed order, e.g.
            ``issuer=opening;type=issuer;title=line2;date=chrome;signed=none;year=title;place=issuer``
            (codes in the README, "Evidence codes").
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
        warnings.warn(skipped_message(unread(listing.skipped)), CorpusWarning, stacklevel=3)  # past doc_id_table
    files, base = listing.files, listing.root
    rels = [relative_path(f, base) for f in files]
    crawler = warn_index_problems(index, base, files, stacklevel=3)
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


def warn_index_problems(
    index: CrawlerIndex | str | os.PathLike[str] | bool | None, root: Path, files: list[Path], *, stacklevel: int = 2
) -> CrawlerIndex | None:
    """The crawler index a loader was asked for, after warning of its unusable rows.

    ``index`` as :func:`load_corpus`'s; ``files`` are the corpus's report files under
    ``root``: index rows naming other files are problems too. One
    :class:`~analysis.corpus.index.IndexWarning` lists them all (``stacklevel`` as for
    :func:`warnings.warn`, counted from the caller of this function).
    """
    crawler = resolve_index(index, root)
    if crawler is not None:
        problems = crawler.check_files([relative_path(f, root) for f in files])
        if problems:
            warnings.warn(
                f"crawler index {crawler.path}: {len(problems)} problem(s): " + "; ".join(problems),
                IndexWarning,
                stacklevel=stacklevel + 1,
            )
    return crawler


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
    ...         _ = (Path(tmp) / name).write_text("某某镇2023年法治政府建设情况报告\\n2023年,某某镇" + "依法行政" * 20, encoding="utf-8")
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


#: The dtype of the date columns (``publish_date``, ``signed_date``) on every pandas version.
DATE_DTYPE = "datetime64[ns]"


def _to_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    """The table of ``rows``, each column built once in its final dtype."""
    columns: dict[str, object] = {}
    for col in COLUMNS:
        values = [row[col] for row in rows]
        if col in _STRING_COLUMNS:
            columns[col] = pd.array(values, dtype="string")
        elif col == "report_year":
            columns[col] = pd.array(values, dtype="Int64")
        elif col == "n_chars":
            columns[col] = np.asarray(values, dtype=np.int64)
        else:
            # one resolution whatever the values: pandas 3 would infer s, ms or us from
            # them, so that two chunks (or two pandas versions) gave two dtypes
            columns[col] = pd.to_datetime(pd.Series(values, dtype=object)).astype(DATE_DTYPE).to_numpy()
    return pd.DataFrame(columns, columns=list(COLUMNS))

