"""Reading one report file: safe opening, format, text, script, and the canonical text form.

Everything here is about getting one canonical text out of a file, whatever its format,
encoding or script; what the text *says* (title, issuer, dates) is read by
:mod:`analysis.corpus.chrome` and :mod:`analysis.corpus.metadata`. :func:`read_text`
opens only regular files, and at most :data:`MAX_BYTES` of them; the format is sniffed
from the content (:mod:`analysis.corpus.formats`), each format has its reader,
traditional script is converted (:mod:`analysis.corpus.script`), and
:func:`normalize_text` gives the text form every later table's offsets point into.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from analysis.corpus.formats import UNSUPPORTED_MESSAGES, format_note, sniff_format
from analysis.corpus.formats.decode import DecodeFailure, chinese_share, decode_bytes, sample
from analysis.corpus.formats.docx import DocxError, docx_text
from analysis.corpus.formats.html import html_to_text
from analysis.corpus.formats.mht import mht_page
from analysis.corpus.formats.pdf import PdfError, pdf_text
from analysis.corpus.listing import display_path, is_inside
from analysis.corpus.script import convert_script, to_simplified

__all__ = ["MAX_BYTES", "FileRefused", "SourceText", "normalize_text", "read_bytes", "read_text"]

#: Files larger than this (bytes) are not read: an error row says so. Real reports are
#: well below 1 MB as text and a few tens of MB as scanned PDF; the limit keeps a stray
#: disk image or video from filling memory. ``load_corpus(max_bytes=...)`` changes it.
MAX_BYTES = 64 * 1024 * 1024

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
_FFFD = "\ufffd"


@functools.cache
def _scan_re(control: bool, fffd: bool) -> re.Pattern[str]:
    """A character to map, or (when asked) a control character or U+FFFD to note."""
    chars = set(_REPLACEMENT) | (_CONTROL_CHARS if control else set()) | ({_FFFD} if fffd else set())
    return re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]")


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
    """:func:`normalize_text` of ``raw``, and whether ``raw`` holds a control character."""
    text, has_control, _ = _normalize_flags(raw)
    return text, has_control


def _normalize_flags(raw: str) -> tuple[str, bool, bool]:
    """:func:`normalize_text` of ``raw``, whether ``raw`` holds a control character, and
    whether it holds the replacement character U+FFFD (then so does the text).

    The steps are: NFC; map :data:`_FULLWIDTH`; CR/CRLF -> LF; delete control characters
    (:data:`_CONTROL_RE`); strip lines and drop empty ones. Instead of a callback per
    character, each distinct character to map is replaced everywhere with str.replace as
    soon as a scan meets it, and the scan resumes there (nothing to map lies before it).
    Equivalent because the replacements are printable ASCII, space or nothing: never a
    character to map, a control character, "\\r" or "\\n". Control characters are
    deleted after the line ends are unified, as before (deleting one between "\\r" and
    "\\n" first would change the result); the first one met only drops control
    characters from the scan, and so does the first U+FFFD for U+FFFD (the same scan
    tells the caller, without a pass of its own, whether to count them). NFC neither
    adds nor removes control characters or U+FFFD (no canonical decomposition or
    composition involves one), so the flags hold for ``raw``.
    """
    text = unicodedata.normalize("NFC", raw)
    has_control = has_fffd = False
    scan = _scan_re(True, True)
    m = scan.search(text)
    while m:
        c, pos = m.group(), m.start()
        if c in _CONTROL_CHARS:
            has_control = True
            scan = _scan_re(False, not has_fffd)
        elif c == _FFFD:
            has_fffd = True
            scan = _scan_re(not has_control, False)
        else:
            text = text.replace(c, _REPLACEMENT[c])
        m = scan.search(text, pos)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if has_control:
        text = _CONTROL_RE.sub("", text)
    return "\n".join(filter(None, map(str.strip, text.split("\n")))), has_control, has_fffd


# --------------------------------------------------------------------------- opening

# <meta charset="gbk"> or <meta http-equiv="Content-Type" content="text/html; charset=gb2312">
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a folder"),
)  # fmt: skip


class FileRefused(Exception):
    """A file that is not opened or read; the message says why (for the error row)."""


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_bytes(
    path: Path, *, root: Path | None = None, follow_symlinks: bool = False, max_bytes: int = MAX_BYTES
) -> bytes:
    """The bytes of a regular file, refusing anything else (never blocks, never reads forever).

    Parameters
    ----------
    path
        The file.
    root
        The corpus folder: a symlink whose target lies outside it is refused unless
        ``follow_symlinks``. None: no such check.
    follow_symlinks
        Read symlinks that lead outside ``root``.
    max_bytes
        Refuse a larger file (checked before and while reading).

    Raises
    ------
    FileRefused
        For a missing or unreadable file, a FIFO, socket, device or folder (or a symlink
        to one), a broken symlink, a symlink leading outside ``root``, a file over
        ``max_bytes``.
    """
    try:
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode):
            target = os.path.realpath(path)
            if root is not None and not follow_symlinks and not is_inside(target, os.path.realpath(root)):
                raise FileRefused(
                    f"symlink leads outside the corpus folder (to {display_path(target)}): not followed "
                    "(pass follow_symlinks=True to read it)"
                )
            try:
                st = os.stat(path)
            except FileNotFoundError:
                raise FileRefused(f"broken symlink: its target {display_path(os.readlink(path))} does not exist") from None
        if not stat.S_ISREG(st.st_mode):
            raise FileRefused(f"not a regular file ({_kind(st.st_mode)}): not opened")
        if st.st_size > max_bytes:
            raise FileRefused(_too_large(st.st_size, max_bytes))
        # O_NONBLOCK: should the file have been swapped for a FIFO since, open() returns at once.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise FileRefused(f"unreadable: {exc.strerror or exc}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise FileRefused(f"not a regular file ({_kind(mode)}): not opened")
        want = min(st.st_size, max_bytes) + 1
        chunks = [os.read(fd, want)]
        size = len(chunks[0])
        # A read of a regular file returns less than asked only at its end (or past the
        # system's cap for one read): a full one means the file grew since it was
        # measured. Read on, up to the limit, in either case.
        while chunks[-1] and (len(chunks[-1]) == want or size < st.st_size) and size <= max_bytes:
            want = min(1 << 20, max_bytes + 1 - size)  # os.read allocates what it is asked
            chunks.append(os.read(fd, want))
            size += len(chunks[-1])
    except OSError as exc:
        raise FileRefused(f"unreadable: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if size > max_bytes:
        raise FileRefused(_too_large(size, max_bytes))
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _too_large(size: int, max_bytes: int) -> str:
    return f"too large: {size:,} bytes, over the limit of {max_bytes:,} (raise it with load_corpus(max_bytes=...) or the command line's --max-mb)"


# --------------------------------------------------------------------------- one file

# A text is "not Chinese" below this share of wide (CJK) characters among its letters
# (Chinese reports: > 0.9; a report with an English appendix: ~0.5; mojibake: < 0.2).
_MIN_CHINESE_SHARE = 0.3
# A page with fewer wide characters than this and a reason to look elsewhere (iframe,
# JavaScript) is an error row saying where its text is.
_EMPTY_PAGE = 50


@dataclass
class SourceText:
    """What :func:`read_text` got out of one file.

    ``sha256`` is None when the file could not be read at all; ``encoding`` when its
    bytes were not decoded as text (an error, or a .docx/.pdf); ``format`` is what the
    content was read as (``text``, ``html``, ``mht``, ``docx``, ``pdf``) or the format of
    an unsupported file (``doc``, ``zip``, ``image`` …); ``script`` is ``simplified`` or
    ``traditional`` (converted). ``error`` says why a file gives no text (its row gets
    status ``error``). ``titles`` are an HTML page's ``<h1>`` and ``<title>`` texts,
    ``meta_date`` its date ``<meta>`` field, ``site`` the site named at the end of its
    ``<title>``, ``url`` the page's own address (MHT
    ``Content-Location``, "saved from url" comment, canonical link); ``messages`` are
    caveats about a file that was read (``note: …`` for information only).
    """

    sha256: str | None = None
    encoding: str | None = None
    text: str = ""
    titles: list[str] = field(default_factory=list)
    meta_date: str | None = None
    site: str | None = None
    messages: list[str] = field(default_factory=list)
    error: str | None = None
    format: str | None = None
    script: str | None = None
    url: str | None = None
    hint: str | None = None


def _html(out: SourceText, markup: str) -> str:
    parsed = html_to_text(markup)
    out.titles, out.meta_date, out.url, out.hint = parsed.titles, parsed.meta_date, parsed.url or out.url, parsed.hint
    out.site = (normalize_text(parsed.site).strip(" _|-–—") or None) if parsed.site else None
    if parsed.truncated:
        out.messages.append("truncated HTML: no closing </body> or </html>")
    return parsed.text


def _extract(out: SourceText, data: bytes) -> str:
    """The raw text of ``data`` in format ``out.format`` (fills the other fields of ``out``)."""
    if out.format == "pdf":
        return pdf_text(data)
    if out.format == "docx":
        return docx_text(data)
    declared = None
    if out.format == "mht":
        part = mht_page(data)
        if part is None:
            raise DecodeFailure("MHT file without an HTML or text part")
        data, declared, out.url = part.data, part.charset, part.url
        if not data:
            raise DecodeFailure("no text: the MHT file's page is empty")
        is_html = part.subtype == "html"
    else:
        is_html = out.format == "html"
        if is_html:
            m = _META_CHARSET_RE.search(data[:4096])
            declared = m.group(1).decode("ascii", "replace") if m else None
    decoded = decode_bytes(data, declared=declared)
    out.encoding = decoded.encoding
    out.messages.extend(decoded.notes)
    return _html(out, decoded.text) if is_html else decoded.text


def read_text(
    path: Path, *, root: Path | None = None, follow_symlinks: bool = False, max_bytes: int = MAX_BYTES
) -> SourceText:
    """Read one report file into its canonical text (never raises for bad content).

    Parameters
    ----------
    path
        A report file of any supported format (see :mod:`analysis.corpus.formats`).
    root, follow_symlinks, max_bytes
        See :func:`read_bytes`.

    Returns
    -------
    SourceText
        The text in :func:`normalize_text` form (in simplified script) and what the
        file said about it; ``error`` is set (and ``text`` empty) for a file that is not
        a regular file, too large, unreadable, empty, of an unsupported format, damaged,
        truncated inside a character, undecodable or not Chinese.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "a.txt"
    ...     _ = path.write_bytes("２０２３年，某某镇坚持依法行政。".encode("gb18030"))
    ...     got = read_text(path)
    >>> got.encoding, got.text, got.error, got.format, got.script
    ('gb18030', '2023年,某某镇坚持依法行政。', None, 'text', 'simplified')
    """
    out = SourceText()
    try:
        data = read_bytes(path, root=root, follow_symlinks=follow_symlinks, max_bytes=max_bytes)
    except FileRefused as exc:
        out.error = str(exc)
        return out
    out.sha256 = hashlib.sha256(data).hexdigest()
    if not data:
        out.error = "empty file (0 bytes)"
        return out
    suffix = path.suffix
    out.format = sniff_format(data, suffix)
    if out.format in UNSUPPORTED_MESSAGES:
        out.error = UNSUPPORTED_MESSAGES[out.format]
        return out
    try:
        raw = _extract(out, data)
    except (DecodeFailure, DocxError, PdfError) as exc:
        out.error = str(exc)
        return out
    note = format_note(out.format, suffix)
    if note:
        out.messages.append(note)
    # The normalisation scan also tells whether raw holds any control character: only
    # then can the (whole-text) binary-content test below be true.
    text, has_control, has_fffd = _normalize_flags(raw)
    if has_control and _CONTROL_RE.search(raw.replace("\x00", "")) and len(_CONTROL_RE.findall(raw)) > max(8, len(raw) // 200):
        out.error = "binary content: too many control characters for text"
        return out
    out.error = _implausible(text, out, has_fffd)
    if out.error:
        return out
    if not text:
        out.error = "no text: the file is empty or whitespace only"
        return out
    converted, out.script = convert_script(text)
    if out.script == "traditional":
        text = normalize_text(converted)
        out.titles = [to_simplified(t) for t in out.titles]
        out.messages.append("note: traditional script converted to simplified (OpenCC tw2s, hk2s)")
    out.text = text
    return out


def _implausible(text: str, out: SourceText, has_fffd: bool = True) -> str | None:
    """Why the (normalised) text is not a report's text (None when it may be one).

    ``has_fffd`` False: the caller knows that ``text`` holds no U+FFFD (no count needed).
    """
    n_wide, share = chinese_share(text)
    if out.hint is not None:
        if n_wide < _EMPTY_PAGE:
            return f"no report text on the page: {out.hint}"
        out.messages.append(f"little text on the page: {out.hint}")
        return None
    if not text:
        return None  # "no text", said by the caller
    bad = text.count(_FFFD) if has_fffd else 0
    if bad and sample(text).count("\ufffd") >= n_wide:
        return f"undecodable: {bad} replacement characters (U+FFFD) in the text, more than Chinese ones"
    if share < _MIN_CHINESE_SHARE:
        how = f"decoded as {out.encoding}" if out.encoding else f"read as {out.format}"
        return f"undecodable: not Chinese text ({how}, {share:.0%} of its letters are Chinese characters)"
    if bad:
        out.messages.append(f"{bad} replacement character(s) U+FFFD in the text: characters lost before the file was saved")
    return None
