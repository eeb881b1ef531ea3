"""PDF with a text layer → text: reading order, paragraphs re-joined, page furniture dropped.

Text and character boxes come from PDFium (``pypdfium2``), which, measured on PDFs made
from the seeds with a CJK font (Noto Sans CJK, CFF outlines), returned every character in
reading order while pdfminer.six returned none of them. A PDF breaks a paragraph into
lines (and pages); this module puts it back together with the lines' geometry:

- a line that reaches the right margin continues on the next line, unless that line is
  indented (a new paragraph: official documents indent by two characters), set in
  another size, or starts a numbered heading ("二、", "(三)", "4.") right after a
  sentence ended (。;:!? and their full-width forms); a centred title that wraps goes
  on centred. Lines are joined without a space, except two Latin words;
- a short line (a heading, a paragraph's last line) ends its paragraph;
- page numbers ("- 3 -", "第3页", "3/10", "Page 3") in the first or last lines of a page
  and running headers/footers (the same first or last line on at least half of the
  pages, digits aside) are removed.

A PDF with no text layer (a scan) is an error: it needs OCR first.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass

__all__ = ["PdfError", "pdf_text", "SCANNED_PDF"]

#: The message of a PDF without a text layer.
SCANNED_PDF = "scanned PDF: no text layer (OCR it first, e.g. `ocrmypdf -l chi_sim in.pdf out.pdf`)"

# A page number line: "- 3 -", "—3—", "3", "第3页", "第 3 页 共 10 页", "共10页 第3页", "3/10", "Page 3 of 10".
_PAGE_NUMBER_RE = re.compile(
    r"^(?:[-—–－~·\s]*\d{1,4}[-—–－~·\s]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*[,，]?\s*第\s*\d{1,4}\s*页|\d{1,4}\s*/\s*\d{1,4}|(?:page|p\.)\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$",
    re.IGNORECASE,
)
# A line that ends a sentence: "…工作。" / "…如下:" / "…吗?"
_SENTENCE_END_RE = re.compile(r"[。！？!?；;：:]$")
_DIGITS_RE = re.compile(r"\d+")
# A line ending / starting with a Latin letter: "… the Rule of" + "Law …"
_LATIN_END_RE = re.compile(r"[A-Za-z]$")
_LATIN_START_RE = re.compile(r"^[A-Za-z]")
# A line that starts a heading or numbered item: "二、…", "(三)…", "（三）…", "4.…", "第五条…"
_HEADING_START_RE = re.compile(r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．](?!\d)|第[一二三四五六七八九十百\d]+[章节条部分])")


class PdfError(Exception):
    """The PDF cannot be read as text; the message says why (for the row)."""


@dataclass
class _Line:
    text: str
    left: float
    right: float
    size: float


def _page_lines(page) -> list[_Line]:  # noqa: ANN001 - a pypdfium2 page
    tp = page.get_textpage()
    try:
        text = tp.get_text_range()
        exact = tp.count_chars() == len(text)  # one index per character (no astral ones)
        lines: list[_Line] = []
        start = 0
        for raw in text.replace("\r\n", "\n").split("\n") if not exact else text.split("\r\n"):
            end = start + len(raw)
            stripped = raw.strip()
            if stripped:
                if exact:
                    first = start + (len(raw) - len(raw.lstrip()))
                    last = start + len(raw.rstrip()) - 1
                    l0, b0, _, t0 = tp.get_charbox(first, loose=True)
                    _, b1, r1, t1 = tp.get_charbox(last, loose=True)
                    lines.append(_Line(stripped, l0, r1, max(t0 - b0, t1 - b1)))
                else:
                    lines.append(_Line(stripped, 0.0, 0.0, 0.0))
            start = end + (2 if exact else 1)
        return lines
    finally:
        tp.close()


def _drop_furniture(pages: list[list[_Line]]) -> None:
    """Remove page numbers and running headers/footers (two lines deep at each end)."""
    n = len(pages)
    for position in (0, 0, -1, -1):
        keys = Counter(_DIGITS_RE.sub("#", lines[position].text) for lines in pages if lines)
        repeated = {k for k, c in keys.items() if n >= 2 and c >= 2 and c >= n / 2}
        for lines in pages:
            if lines and (_DIGITS_RE.sub("#", lines[position].text) in repeated or _PAGE_NUMBER_RE.match(lines[position].text)):
                del lines[position]


def _rejoin(lines: list[_Line]) -> list[str]:
    """Lines (pages concatenated) -> paragraphs."""
    if not lines:
        return []
    if not any(line.size for line in lines):  # no geometry: only the punctuation rule
        return _rejoin_by_punctuation([line.text for line in lines])
    unit = statistics.median(line.size for line in lines if line.size) or 1.0
    long_lines = [line for line in lines if len(line.text) >= 10] or lines
    rights = sorted(line.right for line in long_lines)
    margin_right = rights[int(0.9 * (len(rights) - 1))]
    margin_left = min(line.left for line in long_lines)
    out: list[str] = [lines[0].text]
    for prev, line in zip(lines, lines[1:]):
        indent = line.left - margin_left
        centred = indent > 0.8 * unit and abs(indent - (margin_right - line.right)) < unit
        join = (
            prev.right >= margin_right - 1.2 * unit  # the line is full: it wrapped
            and (indent <= 0.8 * unit or centred)  # the next is not indented (a centred title goes on centred)
            and abs(line.size - prev.size) <= 0.15 * max(line.size, prev.size)  # nor in another size
            and not (_SENTENCE_END_RE.search(prev.text) and _HEADING_START_RE.match(line.text))
        )
        if join:
            # A Latin word is wrapped whole (the space between two was the break); Chinese,
            # digits and punctuation are wrapped anywhere.
            sep = " " if _LATIN_END_RE.search(prev.text) and _LATIN_START_RE.match(line.text) else ""
            out[-1] += sep + line.text
        else:
            out.append(line.text)
    return out


def _rejoin_by_punctuation(texts: list[str]) -> list[str]:
    out = texts[:1]
    for text in texts[1:]:
        if _SENTENCE_END_RE.search(out[-1]) or len(out[-1]) < 15:
            out.append(text)
        else:
            out[-1] += text
    return out


def pdf_text(data: bytes) -> str:
    """The text of a PDF's text layer, one paragraph a line.

    Raises
    ------
    PdfError
        For a damaged or encrypted PDF, and for a scan without a text layer
        (:data:`SCANNED_PDF`).
    """
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise PdfError("encrypted PDF: remove the password first (e.g. `qpdf --decrypt in.pdf out.pdf`)") from None
        raise PdfError(f"damaged PDF: cannot be opened ({exc})") from None
    try:
        pages = [_page_lines(page) for page in doc]
    except Exception as exc:  # pragma: no cover - PDFium errors on a broken page
        raise PdfError(f"damaged PDF: {type(exc).__name__}: {exc}") from None
    finally:
        doc.close()
    if not any(line.text for lines in pages for line in lines):
        raise PdfError(SCANNED_PDF)
    _drop_furniture(pages)
    return "\n".join(_rejoin([line for lines in pages for line in lines]))
