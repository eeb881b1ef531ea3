"""Word .docx → text: paragraphs in order, tables as rows, list numbering kept.

A report's headings "一、…", "(一)…", "1.…" often live in Word's automatic list
numbering rather than in the text: the paragraph holds "主要举措" and ``numbering.xml``
says "level 0 of list 3, counted 一、二、三 (chineseCounting), written ``%1、``". The
heading tree needs those labels, so this reader computes them (counters per list, deeper
levels restarting, ``lvlText`` with ``%1``…``%9``, the number formats Chinese documents
use) — which neither python-docx (drops numbering) nor docx2python (no Chinese formats:
it warns and writes a bullet) does. It reads the package with :mod:`zipfile` and lxml
only. Headers, footers, footnotes, comments and deleted (tracked) text are left out;
text boxes are kept once (the fallback copy Word also stores is skipped).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

__all__ = ["DocxError", "docx_text", "format_number"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_MAX_XML = 200_000_000  # bytes of XML inflated from one part: a zip bomb is an error


class DocxError(Exception):
    """The file is not a readable .docx; the message says why (for the row)."""


# --------------------------------------------------------------------------- numbers

_CN_DIGITS = "零一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _chinese(n: int, digits: str = _CN_DIGITS, units: str = "十百千万") -> str:
    """一, 十, 十一, 二十, 一百零五 … (Chinese counting, up to 99,999)."""
    if n <= 0 or n >= 100_000:
        return str(n)
    out = ""
    zero = False
    for power, unit in ((10_000, units[3]), (1_000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        d, n = divmod(n, power)
        if d:
            if zero:
                out += digits[0]
            out += digits[d] + unit
            zero = False
        elif out:
            zero = True
    if out.startswith(digits[1] + units[0]) and len(out) <= 3 and digits is _CN_DIGITS:
        out = out[1:]  # 十一, not 一十一
    return out


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def _letter(n: int) -> str:
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


_FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: "".join(chr(ord(c) + 0xFEE0) for c in str(n)),
    "decimalHalfWidth": str,
    "decimalEnclosedCircle": lambda n: _CIRCLED[n - 1] if 0 < n <= 20 else str(n),
    "decimalEnclosedCircleChinese": lambda n: _CIRCLED[n - 1] if 0 < n <= 20 else str(n),
    "decimalEnclosedParen": lambda n: f"({n})",
    "decimalEnclosedFullstop": lambda n: f"{n}.",
    "upperRoman": _roman,
    "lowerRoman": lambda n: _roman(n).lower(),
    "upperLetter": _letter,
    "lowerLetter": lambda n: _letter(n).lower(),
    "chineseCounting": _chinese,
    "chineseCountingThousand": _chinese,
    "taiwaneseCounting": _chinese,
    "taiwaneseCountingThousand": _chinese,
    "japaneseCounting": _chinese,
    "ideographDigital": lambda n: "".join("〇一二三四五六七八九"[int(c)] for c in str(n)),
    "taiwaneseDigital": lambda n: "".join("〇一二三四五六七八九"[int(c)] for c in str(n)),
    "chineseLegalSimplified": lambda n: _chinese(n, _CN_LEGAL, "拾佰仟万"),
    "ideographLegalTraditional": lambda n: _chinese(n, _CN_LEGAL, "拾佰仟萬"),
    "ideographTraditional": lambda n: _TIANGAN[(n - 1) % 10],
    "ideographZodiac": lambda n: _DIZHI[(n - 1) % 12],
    "ordinal": lambda n: f"{n}.",
    "cardinalText": str,
    "ordinalText": str,
    "none": lambda n: "",
}


def format_number(n: int, fmt: str) -> str:
    """A list number in one of Word's number formats (``w:numFmt``).

    Examples
    --------
    >>> [format_number(n, "chineseCounting") for n in (1, 10, 11, 20, 105)]
    ['一', '十', '十一', '二十', '一百零五']
    >>> format_number(3, "decimalEnclosedCircle"), format_number(2, "ideographTraditional"), format_number(4, "upperRoman")
    ('③', '乙', 'IV')
    """
    return _FORMATS.get(fmt, str)(n)


# --------------------------------------------------------------------------- numbering


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    restart: int | None = None  # w:lvlRestart: restart after this level (1-based), 0: never
    legal: bool = False  # w:isLgl: show every level's number as decimal
    suffix: str = "tab"


@dataclass
class _Numbering:
    """numbering.xml: num id -> (abstract id, levels with overrides applied)."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)
    abstract_of: dict[str, str] = field(default_factory=dict)
    start_override: dict[tuple[str, int], int] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)
    seen_num: set[tuple[str, int]] = field(default_factory=set)

    def label(self, num_id: str, ilvl: int) -> str:
        """The label of the next paragraph of list ``num_id`` at level ``ilvl``."""
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        key = self.abstract_of.get(num_id, num_id)
        counts = self.counters.setdefault(key, {})
        lvl = levels[ilvl]
        if (num_id, ilvl) not in self.seen_num and (num_id, ilvl) in self.start_override:
            counts[ilvl] = self.start_override[(num_id, ilvl)] - 1
        self.seen_num.add((num_id, ilvl))
        counts[ilvl] = counts.get(ilvl, levels[ilvl].start - 1) + 1
        for deeper in list(counts):
            if deeper > ilvl:
                restart = levels[deeper].restart if deeper in levels else None
                if restart is None or (restart != 0 and restart - 1 <= ilvl):
                    del counts[deeper]
        if lvl.fmt == "bullet":
            return ""

        def number(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            other = levels.get(k, _Level())
            n = counts.get(k, other.start)
            return format_number(n, "decimal" if lvl.legal and k != ilvl else other.fmt)

        label = re.sub(r"%([1-9])", number, lvl.text)
        if label and lvl.suffix != "nothing" and not re.search(r"[、.．)）:：\s]$", label):
            label += " "
        return label


def _attr(el, name: str) -> str | None:  # noqa: ANN001 - an lxml element
    child = el.find(_W + name) if el is not None else None
    return None if child is None else child.get(_W + "val")


def _read_numbering(xml: bytes | None, styles: dict[str, tuple[str | None, int | None]]) -> _Numbering:
    out = _Numbering()
    if not xml:
        return out
    from lxml import etree

    root = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, huge_tree=True))
    abstracts: dict[str, dict[int, _Level]] = {}
    links: dict[str, str] = {}
    for ab in root.iter(_W + "abstractNum"):
        levels: dict[int, _Level] = {}
        for lvl in ab.iter(_W + "lvl"):
            levels[int(lvl.get(_W + "ilvl") or 0)] = _parse_level(lvl)
        aid = str(ab.get(_W + "abstractNumId"))
        abstracts[aid] = levels
        link = _attr(ab, "numStyleLink")
        if link:
            links[aid] = link
    for num in root.iter(_W + "num"):
        nid = str(num.get(_W + "numId"))
        aid = _attr(num, "abstractNumId") or ""
        if aid in links and styles.get(links[aid], (None, None))[0]:
            # the list is defined by a numbering style pointing at another num
            other = next((n for n in root.iter(_W + "num") if n.get(_W + "numId") == styles[links[aid]][0]), None)
            aid = (_attr(other, "abstractNumId") or aid) if other is not None else aid
        levels = dict(abstracts.get(aid, {}))
        for ov in num.iter(_W + "lvlOverride"):
            ilvl = int(ov.get(_W + "ilvl") or 0)
            start = _attr(ov, "startOverride")
            if start is not None and start.lstrip("-").isdigit():
                out.start_override[(nid, ilvl)] = int(start)
            lvl_el = ov.find(_W + "lvl")
            if lvl_el is not None:
                levels[ilvl] = _parse_level(lvl_el)
        out.levels[nid] = levels
        out.abstract_of[nid] = aid
    return out


def _parse_level(lvl) -> _Level:  # noqa: ANN001 - an lxml element
    text_el = lvl.find(_W + "lvlText")
    start = _attr(lvl, "start")
    restart = _attr(lvl, "lvlRestart")
    return _Level(
        fmt=_attr(lvl, "numFmt") or "decimal",
        text=(text_el.get(_W + "val") or "") if text_el is not None else "",
        start=int(start) if start and start.lstrip("-").isdigit() else 1,
        restart=int(restart) if restart and restart.isdigit() else None,
        legal=lvl.find(_W + "isLgl") is not None and _attr(lvl, "isLgl") not in ("0", "false"),
        suffix=_attr(lvl, "suff") or "tab",
    )


def _read_styles(xml: bytes | None) -> dict[str, tuple[str | None, int | None]]:
    """Paragraph style id -> (numId, ilvl) it gives, following ``basedOn``."""
    if not xml:
        return {}
    from lxml import etree

    root = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, huge_tree=True))
    own: dict[str, tuple[str | None, int | None]] = {}
    based: dict[str, str] = {}
    for st in root.iter(_W + "style"):
        sid = str(st.get(_W + "styleId"))
        ppr = st.find(_W + "pPr")
        num = ppr.find(_W + "numPr") if ppr is not None else None
        if num is not None:
            ilvl = _attr(num, "ilvl")
            own[sid] = (_attr(num, "numId"), int(ilvl) if ilvl and ilvl.isdigit() else None)
        parent = _attr(st, "basedOn")
        if parent:
            based[sid] = parent
    out: dict[str, tuple[str | None, int | None]] = {}
    for sid in {*own, *based}:
        cur, hops = sid, 0
        while cur not in own and cur in based and hops < 20:
            cur, hops = based[cur], hops + 1
        if cur in own:
            out[sid] = own[cur]
    return out


# --------------------------------------------------------------------------- text


def _paragraph_text(p) -> str:  # noqa: ANN001 - an lxml element
    parts: list[str] = []
    for el in p.iter(_W + "t", _W + "tab", _W + "br", _W + "cr", _W + "noBreakHyphen", _W + "sym"):
        if next(el.iterancestors(_MC_FALLBACK), None) is not None:
            continue  # Word's fallback copy of a text box already read from its choice
        tag = el.tag[len(_W) :]
        if tag == "t":
            parts.append(el.text or "")
        elif tag == "tab":
            parts.append(" ")
        elif tag in ("br", "cr"):
            parts.append("\n")
        elif tag == "noBreakHyphen":
            parts.append("-")
    return "".join(parts)


def _blocks(parent) -> Iterator:  # noqa: ANN001 - lxml elements
    """Paragraphs and tables of a body in order (content controls opened)."""
    for child in parent:
        tag = child.tag
        if tag in (_W + "p", _W + "tbl"):
            yield child
        elif tag in (_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "smartTag", _W + "ins"):
            yield from _blocks(child.find(_W + "sdtContent") if tag == _W + "sdt" else child)


def _numbered(p, styles: dict[str, tuple[str | None, int | None]], numbering: _Numbering) -> str:  # noqa: ANN001
    ppr = p.find(_W + "pPr")
    if ppr is None:
        return ""
    num_id: str | None = None
    ilvl: int | None = None
    num = ppr.find(_W + "numPr")
    if num is not None:
        num_id = _attr(num, "numId")
        lvl = _attr(num, "ilvl")
        ilvl = int(lvl) if lvl and lvl.isdigit() else None
    style = _attr(ppr, "pStyle")
    if style and style in styles:
        s_num, s_lvl = styles[style]
        num_id = num_id or s_num
        ilvl = ilvl if ilvl is not None else s_lvl
    if not num_id or num_id == "0":
        return ""
    return numbering.label(num_id, ilvl or 0)


def _lines(body, styles, numbering: _Numbering) -> Iterator[str]:  # noqa: ANN001
    for block in _blocks(body):
        if block.tag == _W + "p":
            text = _paragraph_text(block)
            if text.strip():
                yield _numbered(block, styles, numbering) + text
        else:
            for row in block.findall(_W + "tr"):
                cells = []
                for cell in row.findall(_W + "tc"):
                    cells.append(" ".join(t for t in (_paragraph_text(p).strip() for p in cell.iter(_W + "p")) if t))
                line = " ".join(c for c in cells if c)
                if line:
                    yield line


def _part(zf: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    if info.file_size > _MAX_XML:
        raise DocxError(f"damaged or hostile .docx: {name} inflates to {info.file_size:,} bytes")
    return zf.read(info)


def docx_text(data: bytes) -> str:
    """The text of a .docx file, one paragraph (or table row) a line.

    Raises
    ------
    DocxError
        When the file is not a zip with ``word/document.xml`` or its XML is broken.
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DocxError(f"damaged .docx: not a readable zip archive ({exc})") from None
    try:
        with zf:
            document = _part(zf, "word/document.xml")
            if document is None:
                raise DocxError("not a Word document: the .docx has no word/document.xml")
            styles = _read_styles(_part(zf, "word/styles.xml"))
            numbering = _read_numbering(_part(zf, "word/numbering.xml"), styles)
            from lxml import etree

            root = etree.fromstring(document, parser=etree.XMLParser(resolve_entities=False, huge_tree=True))
    except DocxError:
        raise
    except Exception as exc:  # zlib errors, XML syntax errors, CRC errors …
        raise DocxError(f"damaged .docx: {type(exc).__name__}: {exc}") from None
    body = root.find(_W + "body")
    if body is None:
        return ""
    return "\n".join(_lines(body, styles, numbering))
