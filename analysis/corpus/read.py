"""Reading a report file: listing the corpus folder, bytes → text, HTML → text, text form.

Everything here is about getting one canonical text out of a file, whatever its encoding
or markup; what the text *says* (title, issuer, dates) is read by
:mod:`analysis.corpus.chrome` and :mod:`analysis.corpus.metadata`. Decoding handles BOMs,
UTF-8, GB18030, UTF-16 without a BOM and a declared HTML charset; HTML is parsed with lxml
(BeautifulSoup's stdlib parser as a fallback); :func:`normalize_text` gives the text form
every later table's offsets point into.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from analysis.config import corpus_dir

__all__ = [
    "REPORT_SUFFIXES", "CorpusWarning", "CorpusError", "SourceText", "normalize_text",
    "read_text", "discover_files", "find_report_files", "doc_id",
]  # fmt: skip

#: File types read as reports; anything else is listed in a :class:`CorpusWarning`.
REPORT_SUFFIXES = frozenset({".txt", ".html", ".htm"})


class CorpusWarning(UserWarning):
    """Files under the corpus folder that were not read as reports (other types)."""


class CorpusError(ValueError):
    """Raised by ``load_corpus(strict=True)`` for a file that cannot be read as a report."""


# --------------------------------------------------------------------------- text form

# Full-width ASCII forms -> ASCII (，（）：；％！？１２３ …), ideographic and no-break
# spaces -> space, zero-width characters removed. 、。“”《》—… are left as they are.
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH.update({0x3000: 0x20, 0x00A0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20})
_FULLWIDTH.update({0x200B: None, 0x200C: None, 0x200D: None, 0xFEFF: None, 0x00AD: None})

# Stray control characters other than tab/newline, e.g. "\x0b" or "\x1a" from old editors.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_CHARS = frozenset(chr(cp) for cp in range(0x80) if _CONTROL_RE.match(chr(cp)))

# The full-width table as strings ("": deleted), and patterns for a character to map and
# for one to map or delete (a text typically holds a handful of distinct ones).
_REPLACEMENT = {chr(cp): "" if to is None else chr(to) for cp, to in _FULLWIDTH.items()}
_FULLWIDTH_RE = re.compile("[" + "".join(re.escape(c) for c in sorted(_REPLACEMENT)) + "]")
_FULLWIDTH_OR_CONTROL_RE = re.compile(
    "[" + "".join(re.escape(c) for c in sorted(_REPLACEMENT.keys() | _CONTROL_CHARS)) + "]"
)


def normalize_text(raw: str) -> str:
    """Return the canonical text form used by every table of the package.

    LF line ends; each line stripped; empty lines dropped; full-width ASCII forms mapped
    to ASCII (``，（）：；％！？１２３`` -> ``,():;%!?123``); ideographic and no-break
    spaces become spaces; ``、。“”《》`` are kept.

    Examples
    --------
    >>> normalize_text("　一、主要举措（２０２３年）：\\r\\n\\r\\n  完成率９９．７％　")
    '一、主要举措(2023年):\\n完成率99.7%'
    """
    return _normalize(raw)[0]


def _normalize(raw: str) -> tuple[str, bool]:
    """:func:`normalize_text` of ``raw``, and whether ``raw`` holds a control character.

    The steps are: NFC; map :data:`_FULLWIDTH`; CR/CRLF -> LF; delete control characters
    (:data:`_CONTROL_RE`); strip lines and drop empty ones. Instead of a callback per
    character, each distinct character to map is replaced everywhere with str.replace as
    soon as a scan meets it, and the scan resumes there (nothing to map lies before it).
    Equivalent because the replacements are printable ASCII, space or nothing: never a
    character to map, a control character, "\\r" or "\\n". Control characters are
    deleted after the line ends are unified, as before (deleting one between "\\r" and
    "\\n" first would change the result); the first one met only switches the scan to
    the full-width characters. NFC neither adds nor removes control characters (no
    canonical decomposition or composition involves one), so the flag holds for ``raw``.
    """
    text = unicodedata.normalize("NFC", raw)
    has_control = False
    scan = _FULLWIDTH_OR_CONTROL_RE
    m = scan.search(text)
    while m:
        c, pos = m.group(), m.start()
        if c in _CONTROL_CHARS:
            has_control = True
            scan = _FULLWIDTH_RE
        else:
            text = text.replace(c, _REPLACEMENT[c])
        m = scan.search(text, pos)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if has_control:
        text = _CONTROL_RE.sub("", text)
    return "\n".join(filter(None, map(str.strip, text.split("\n")))), has_control


# --------------------------------------------------------------------------- decoding

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# <meta charset="gbk"> or <meta http-equiv="Content-Type" content="text/html; charset=gb2312">
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_CHINESE_LEGACY = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312"}
_BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"GIF8", b"\xff\xd8\xff")


class _DecodeError(Exception):
    pass


def _decode(data: bytes, is_html: bool) -> tuple[str, str]:
    """Decode raw bytes; return (text, encoding name). Raise _DecodeError with a reason."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(name)
            except UnicodeDecodeError as exc:
                raise _DecodeError(f"undecodable: invalid {name} after a byte-order mark ({exc.reason})") from None
            return text, name.replace("-le", "").replace("-be", "") if name.startswith("utf-16") else name
    if data.startswith(_BINARY_MAGIC):
        raise _DecodeError("binary file (PDF, Office, archive or image content), not text")
    if b"\x00" in data:
        # UTF-16 without a BOM: every other byte is NUL in mostly-ASCII text.
        for name in ("utf-16-le", "utf-16-be"):
            if len(data) % 2 == 0:
                try:
                    text = data.decode(name)
                except UnicodeDecodeError:
                    continue
                if not _CONTROL_RE.search(text.replace("\x00", "")) and "\x00" not in text:
                    return text, "utf-16"
        raise _DecodeError("binary file: contains NUL bytes")
    candidates: list[str] = []
    if is_html:
        m = _META_CHARSET_RE.search(data[:4096])
        if m:
            declared = m.group(1).decode("ascii", "replace").lower()
            candidates.append("gb18030" if declared in _CHINESE_LEGACY else declared)
    candidates.append("utf-8")
    for name in dict.fromkeys(candidates):
        try:
            return data.decode(name), name
        except UnicodeDecodeError as exc:
            # UTF-8 that only fails in its last bytes was cut inside a multi-byte character.
            if name == "utf-8" and exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
                raise _DecodeError(
                    f"truncated: file ends inside a multi-byte UTF-8 character at byte {exc.start}"
                ) from None
        except LookupError:
            continue
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
    except Exception:  # pragma: no cover - detector failure is reported as undecodable
        best = None
    if best is not None and best.encoding and best.chaos < 0.2:
        return str(best), best.encoding
    raise _DecodeError("undecodable: not valid UTF-8, GB18030, UTF-16 or a declared charset")


# --------------------------------------------------------------------------- HTML

_DROP_TAGS = ("script", "style", "noscript", "nav", "footer", "header", "iframe", "form", "select", "button", "template", "svg")
_BLOCK_TAGS = (
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
    "table", "ul", "ol", "dd", "dt", "blockquote", "pre", "td", "th",
)  # fmt: skip
# <title> suffixes naming the site: "…的报告_海珠区人民政府门户网站" / "… - 某某网"
_SITE_SUFFIX_RE = re.compile(r"\s*[_|\-–—]+\s*[^_|\-–—]*(网|网站|门户|政府|平台|首页)\s*$")
# <meta name="PubDate" content="2023-12-13 10:57"> and its CMS cousins.
_META_DATE_NAMES = ("pubdate", "publishdate", "firstpublishedtime", "articlepubdate", "publishdate", "date", "dc.date")


@dataclass
class _Html:
    text: str
    titles: list[str] = field(default_factory=list)
    meta_date: str | None = None
    truncated: bool = False
    site: str | None = None


# <?xml version="1.0" encoding="gb2312"?>: lxml refuses str input that declares an encoding.
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>")


def _html_to_text(markup: str) -> _Html:
    """Text, title candidates and date meta field of an HTML page (lxml's HTML parser).

    script/style/nav/header/footer/form … are dropped; block elements and ``<br>``
    become line breaks. Falls back to BeautifulSoup's stdlib parser if lxml fails.
    """
    lowered = markup[-2048:].lower()
    truncated = "<html" in markup[:2048].lower() and "</html>" not in lowered and "</body>" not in lowered
    try:
        import lxml.html

        doc = lxml.html.document_fromstring(_XML_DECL_RE.sub("", markup, count=1) or "<html></html>")
    except Exception:  # malformed beyond lxml's recovery: BeautifulSoup's stdlib parser
        return _html_to_text_bs4(markup, truncated)
    meta_date = None
    for meta in doc.iter("meta"):
        name = str(meta.get("name") or meta.get("property") or "").lower()
        if name in _META_DATE_NAMES and meta.get("content"):
            meta_date = str(meta.get("content"))
            break
    titles = [" ".join(h.text_content().split()) for h in doc.iter("h1")]
    title_el = doc.find(".//title")
    site = None
    if title_el is not None and title_el.text:
        titles.append(_SITE_SUFFIX_RE.sub("", title_el.text.strip()))
        site = _site_name(title_el.text)
    titles = [t for t in titles if t]
    for el in list(doc.iter(*_DROP_TAGS)):
        el.drop_tree()
    for el in doc.iter(*_BLOCK_TAGS):
        el.tail = "\n" + (el.tail or "")
        if el.tag != "br":
            el.text = "\n" + (el.text or "")
    body = doc.find("body")
    text = (body if body is not None else doc).text_content()
    return _Html(text=text, titles=titles, meta_date=meta_date, truncated=truncated, site=site)


def _html_to_text_bs4(markup: str, truncated: bool) -> _Html:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    titles: list[str] = []
    meta_date = None
    for meta in soup.find_all("meta"):
        name = str(meta.get("name") or meta.get("property") or "").lower()
        if name in _META_DATE_NAMES and meta.get("content"):
            meta_date = str(meta["content"])
            break
    for tag in soup.find_all("h1"):
        t = tag.get_text(" ", strip=True)
        if t:
            titles.append(t)
    site = None
    if soup.title and soup.title.string:
        t = _SITE_SUFFIX_RE.sub("", str(soup.title.string).strip())
        site = _site_name(str(soup.title.string))
        if t:
            titles.append(t)
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    body = soup.body or soup
    return _Html(text=body.get_text(""), titles=titles, meta_date=meta_date, truncated=truncated, site=site)


def _site_name(title: str) -> str | None:
    """The site named at the end of a page's ``<title>`` ("…的报告_某某区人民政府门户网站")."""
    m = _SITE_SUFFIX_RE.search(title.strip())
    return normalize_text(m.group(0)).strip(" _|-–—") or None if m else None


# --------------------------------------------------------------------------- one file


@dataclass
class SourceText:
    """What :func:`read_text` got out of one file.

    ``sha256`` is None when the file could not be read at all, ``encoding`` when its bytes
    could not be decoded; ``error`` says why a file gives no text (its row gets status
    ``error``). ``titles`` are an HTML page's ``<h1>`` and ``<title>`` texts, ``meta_date``
    its date ``<meta>`` field, ``site`` the site named at the end of its ``<title>``;
    ``messages`` are caveats about a file that was read.
    """

    sha256: str | None = None
    encoding: str | None = None
    text: str = ""
    titles: list[str] = field(default_factory=list)
    meta_date: str | None = None
    site: str | None = None
    messages: list[str] = field(default_factory=list)
    error: str | None = None


def read_text(path: Path) -> SourceText:
    """Read one report file into its canonical text (never raises for bad content).

    Parameters
    ----------
    path
        A ``.txt``, ``.html`` or ``.htm`` file (content starting with ``<html`` or
        ``<!DOCTYPE html`` is parsed as HTML whatever the suffix).

    Returns
    -------
    SourceText
        The text in :func:`normalize_text` form and what the page's markup said about it;
        ``error`` is set (and ``text`` empty) for a file that is unreadable, empty, binary,
        truncated inside a character or undecodable.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "a.txt"
    ...     _ = path.write_bytes("２０２３年，某某镇坚持依法行政。".encode("gb18030"))
    ...     got = read_text(path)
    >>> got.encoding, got.text, got.error
    ('gb18030', '2023年,某某镇坚持依法行政。', None)
    """
    out = SourceText()
    try:
        data = path.read_bytes()
    except OSError as exc:
        out.error = f"unreadable: {exc.strerror or exc}"
        return out
    out.sha256 = hashlib.sha256(data).hexdigest()
    if not data:
        out.error = "empty file (0 bytes)"
        return out
    is_html = path.suffix.lower() in (".html", ".htm") or data.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html"))
    try:
        raw, encoding = _decode(data, is_html)
    except _DecodeError as exc:
        out.error = str(exc)
        return out
    out.encoding = encoding
    if is_html:
        parsed = _html_to_text(raw)
        raw, out.titles, out.meta_date, out.site = parsed.text, parsed.titles, parsed.meta_date, parsed.site
        if parsed.truncated:
            out.messages.append("truncated HTML: no closing </body> or </html>")
    # The normalisation scan also tells whether raw holds any control character: only
    # then can the (whole-text) binary-content test below be true.
    text, has_control = _normalize(raw)
    if has_control and _CONTROL_RE.search(raw.replace("\x00", "")) and len(_CONTROL_RE.findall(raw)) > max(8, len(raw) // 200):
        out.error = "binary content: too many control characters for text"
        return out
    if not text:
        out.error = "no text: the file is empty or whitespace only"
        return out
    out.text = text
    return out


def doc_id(rel: str) -> str:
    """File path relative to the corpus root, without its extension (``"a/b/000_x"``).

    ``rel`` is a POSIX path from ``Path.as_posix()``; string operations give the same as
    ``Path(rel).with_suffix("").as_posix()`` (pathlib's rule for a suffix: the last
    component's final ".", neither its first nor its last character) at a fraction of
    the cost.

    Examples
    --------
    >>> doc_id("guangdong/000_report.html"), doc_id("a/.hidden"), doc_id("b/notes.")
    ('guangdong/000_report', 'a/.hidden', 'b/notes.')
    """
    name = rel.rpartition("/")[2]
    i = name.rfind(".")
    return rel[: len(rel) - len(name) + i] if 0 < i < len(name) - 1 else rel


# --------------------------------------------------------------------------- the folder


def discover_files(root: Path) -> tuple[list[Path], list[Path]]:
    """The files under ``root``: report files (:data:`REPORT_SUFFIXES`) and all others.

    Parameters
    ----------
    root
        A folder, walked recursively; hidden files and folders (name starting with ``.``)
        are skipped.

    Returns
    -------
    tuple of two lists of pathlib.Path
        Report files and other files, each sorted by their POSIX path relative to
        ``root`` (the row order of :func:`analysis.corpus.load_corpus`).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     for name in ("b/2.HTM", "a.txt", "notes.pdf", ".cache/x.txt"):
    ...         (Path(tmp) / name).parent.mkdir(parents=True, exist_ok=True)
    ...         _ = (Path(tmp) / name).write_text("x")
    ...     reports, others = discover_files(Path(tmp))
    ...     [p.relative_to(tmp).as_posix() for p in reports], [p.name for p in others]
    (['a.txt', 'b/2.HTM'], ['notes.pdf'])
    """
    reports: list[Path] = []
    others: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            p = Path(dirpath) / name
            (reports if p.suffix.lower() in REPORT_SUFFIXES else others).append(p)
    key = lambda p: p.relative_to(root).as_posix()  # noqa: E731
    return sorted(reports, key=key), sorted(others, key=key)


def find_report_files(
    path: str | os.PathLike[str] | None = None, *, stacklevel: int = 2
) -> tuple[list[Path], Path]:
    """The report files under ``path`` (or the one file) and the root their ids are relative to.

    Shared by :func:`analysis.corpus.load_corpus` and the pipeline, whose workers read the
    files themselves with :func:`analysis.corpus.read_report`.

    Parameters
    ----------
    path
        A corpus folder or a single report file. Default: ``$ANALYSIS_CORPUS`` or the
        repository's ``seeds/`` (:func:`analysis.config.corpus_dir`).
    stacklevel
        Where the :class:`CorpusWarning` points, counted from the caller of this function
        (1: that caller's line, 2: its caller's line, as for :func:`warnings.warn`).

    Returns
    -------
    tuple
        The report files in row order (see :func:`discover_files`) and the root folder
        (``path`` itself, or the folder of a single file).

    Raises
    ------
    FileNotFoundError
        When ``path`` does not exist.

    Warns
    -----
    CorpusWarning
        Naming (up to 20 of) the files of other types that are not read.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / "r.txt").write_text("2023年,某某镇…", encoding="utf-8")
    ...     files, root = find_report_files(Path(tmp) / "r.txt")
    ...     [p.name for p in files], root == Path(tmp)
    (['r.txt'], True)
    """
    root = corpus_dir(path)
    if not root.exists():
        raise FileNotFoundError(f"corpus folder not found: {root}")
    if root.is_file():
        return [root], root.parent
    files, others = discover_files(root)
    if others:
        names = ", ".join(p.relative_to(root).as_posix() for p in others[:20])
        more = f" and {len(others) - 20} more" if len(others) > 20 else ""
        warnings.warn(
            f"{len(others)} file(s) under the corpus folder are not .txt/.html/.htm and were not read: {names}{more}",
            CorpusWarning,
            stacklevel=stacklevel + 1,
        )
    return files, root
