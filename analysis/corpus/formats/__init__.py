"""File formats of the reading layer: what a file is, and one reader per format.

The content decides, not the name: a ``.doc`` that is really a web page (Word's "save
as web page", common on government sites) is read as one; a ``.txt`` that starts with
``<!DOCTYPE html>`` is parsed as HTML; a file without an extension is sniffed.
:func:`sniff_format` names the format; the readers live next to this file:

- :mod:`~analysis.corpus.formats.decode`: bytes → text (encodings);
- :mod:`~analysis.corpus.formats.html`: HTML → text;
- :mod:`~analysis.corpus.formats.mht`: MHT/MHTML → the page's HTML;
- :mod:`~analysis.corpus.formats.docx`: Word .docx → text (list numbering kept);
- :mod:`~analysis.corpus.formats.pdf`: PDF text layer → text.

Formats that are recognised but not read get an error row with
:data:`UNSUPPORTED_MESSAGES` (what to do with the file).
"""

from __future__ import annotations

import io
import zipfile

from analysis.corpus.formats.decode import strip_bom_head
from analysis.corpus.formats.html import looks_like_html
from analysis.corpus.formats.mht import looks_like_mht
from analysis.corpus.listing import UNSUPPORTED_SUFFIXES

__all__ = ["READ_FORMATS", "UNSUPPORTED_MESSAGES", "sniff_format", "format_note"]

#: Formats read into text (values of the ``format`` column of the corpus table).
READ_FORMATS = ("text", "html", "mht", "docx", "pdf")

_SOFFICE = "`soffice --headless --convert-to docx FILE` (LibreOffice)"
_ARCHIVE = "an archive: extract it into the corpus folder and load again (names from Chinese Windows: `unzip -O GBK FILE`)"
#: Format -> the message of its error row: what the file is and what to do with it.
UNSUPPORTED_MESSAGES = {
    "doc": f"Word 97-2003 .doc (binary): convert to .docx, e.g. {_SOFFICE}, and load again",
    "wps": f"WPS Writer .wps: save it as .docx in WPS Office or convert it, e.g. {_SOFFICE}",
    "rtf": f"RTF document: convert to .docx, e.g. {_SOFFICE}",
    "odt": f"OpenDocument text .odt: convert to .docx, e.g. {_SOFFICE}",
    "xls": "spreadsheet (.xls/.xlsx/.et): not a report text; if it holds the report, save it as PDF or .docx",
    "ppt": "presentation (.ppt/.pptx/.dps): not a report text; if it holds the report, export it to PDF",
    "ofd": "OFD document (GB/T 33190): export it to PDF with an OFD reader (e.g. 数科OFD阅读器) and load the PDF",
    "caj": "CNKI CAJ document: save it as PDF with CAJViewer and load the PDF",
    "zip": f"zip {_ARCHIVE}",
    "rar": "rar " + _ARCHIVE.replace("`unzip -O GBK FILE`", "`unrar x FILE`"),
    "7z": "7z " + _ARCHIVE.replace("`unzip -O GBK FILE`", "`7z x FILE`"),
    "gzip": "gzip " + _ARCHIVE.replace("`unzip -O GBK FILE`", "`gunzip FILE`"),
    "bzip2": "bzip2 " + _ARCHIVE.replace("`unzip -O GBK FILE`", "`bunzip2 FILE`"),
    "xz": "xz " + _ARCHIVE.replace("`unzip -O GBK FILE`", "`unxz FILE`"),
    "tar": "tar " + _ARCHIVE.replace("`unzip -O GBK FILE`", "`tar -xf FILE`"),
    "image": "image: a scan or screenshot holds no text; OCR it first (e.g. `tesseract FILE out -l chi_sim`) and load the text",
}

# Magic numbers at the start of a file -> format.
_MAGIC = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"Rar!\x1a\x07", "rar"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x89PNG\r\n\x1a\n", "image"),
    (b"GIF87a", "image"),
    (b"GIF89a", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"II*\x00", "image"),
    (b"MM\x00*", "image"),
    (b"{\\rtf", "rtf"),
)
# Suffix -> what an OLE2 compound file (Word 97, Excel 97, PowerPoint 97, WPS) is.
_OLE_BY_SUFFIX = {".xls": "xls", ".et": "xls", ".ppt": "ppt", ".dps": "ppt", ".wps": "wps", ".wpt": "wps"}
_HTML_SUFFIXES = frozenset({".html", ".htm", ".shtml", ".shtm", ".xhtml", ".xht", ".asp", ".aspx", ".jsp", ".php"})
_CONTENT_SUFFIXES = {
    "text": {".txt"}, "html": _HTML_SUFFIXES | {".txt"}, "mht": {".mht", ".mhtml"},
    "docx": {".docx", ".docm"}, "pdf": {".pdf"},
}  # fmt: skip


def _zip_format(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return "zip"
    if "word/document.xml" in names:
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xls"
    if any(n.startswith("ppt/") for n in names):
        return "ppt"
    if "OFD.xml" in names:
        return "ofd"
    if "mimetype" in names and "content.xml" in names:
        return "odt"
    return "zip"


def sniff_format(data: bytes, suffix: str) -> str:
    """The format of a file from its first bytes (its suffix only breaks ties).

    Returns one of :data:`READ_FORMATS` or a key of :data:`UNSUPPORTED_MESSAGES`.

    Examples
    --------
    >>> sniff_format(b"%PDF-1.7 ...", ".txt"), sniff_format(b"<!DOCTYPE html><html>", ".doc")
    ('pdf', 'html')
    >>> sniff_format(b"\\xd0\\xcf\\x11\\xe0\\xa1\\xb1\\x1a\\xe1...", ".doc"), sniff_format("一、主要举措".encode(), "")
    ('doc', 'text')
    >>> sniff_format(b"\\x89PNG\\r\\n\\x1a\\n...", ".jpg"), sniff_format(b"MIME-Version: 1.0\\r\\n", ".doc")
    ('image', 'mht')
    """
    suffix = suffix.lower()
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):  # a zip (empty, spanned)
        return _zip_format(data)
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return _OLE_BY_SUFFIX.get(suffix, "doc") if kind == "ole" else kind
    if data[8:12] == b"WEBP" and data.startswith(b"RIFF"):
        return "image"
    head = strip_bom_head(data)
    if looks_like_mht(head):
        return "mht"
    if looks_like_html(head) or suffix in _HTML_SUFFIXES:
        return "html"
    # content of no known kind under a name of a type that is not read (a truncated
    # scan.jpg, a damaged .doc): the name decides, so the row says what to do with it
    return UNSUPPORTED_SUFFIXES.get(suffix, "text")


def format_note(fmt: str, suffix: str) -> str | None:
    """A note when a file's content is another format than its name says (None if not).

    Examples
    --------
    >>> format_note("html", ".doc")
    'note: read as HTML although named .doc'
    >>> format_note("html", ".txt") is None, format_note("text", "") is None
    (True, True)
    """
    suffix = suffix.lower()
    if not suffix or fmt not in _CONTENT_SUFFIXES or suffix in _CONTENT_SUFFIXES[fmt]:
        return None
    if fmt == "text" and suffix in _HTML_SUFFIXES:
        return None
    return f"note: read as {fmt.upper() if fmt in ('html', 'mht', 'pdf') else fmt} although named {suffix}"
