"""Headings: find the enumerators of a report and build its heading tree.

Annual rule-of-law reports number their outline in many ways. This module finds the
enumerators in a text (:func:`heading_candidates`), keeps those that continue or open a
numbered list (:func:`build_tree`) and sets where each section ends
(:func:`assign_ends`). Which regulated part each section belongs to, and the table,
are made by :mod:`analysis.structure.sections`.

Heading forms recognised (at a line start, or inline after a clause boundary
``。；：！？`` — the ``一是`` and ``第一,`` forms also after a comma):

=================  ====================  =========================  ====================
style              examples              ``number`` column          where
=================  ====================  =========================  ====================
``bu``             第一部分 第二部分       第一部分                   line start only
``cn``             一、 二． 三.           一                         line start only
``paren_cn``       (一) （二） ㈢          (一)                       line start / inline
``arabic``         1. 1、 1． １、         1                          line start / inline
``paren_arabic``   (1) （２）              (1)                        line start / inline
``circled``        ① ②                   ①                          anywhere (not quoted)
``di``             第一, 第二：           第一                       line start / inline
``shi``            一是 二是，             一是                       line start / inline
``seq``            首先, 其次, 最后,       首先                       line start / inline
=================  ====================  =========================  ====================

The tree is built with a stack of numbering styles, so it follows the document rather
than fixed levels (in one report 1、 sits under (一), in another directly under 三、): a
heading whose style is open on the stack continues that list when it has the next number
(a line-start 一、 or (一) may skip up to two numbers, as typos do); a 1 of an open style
starts a new list — a sub-list when it is a line-start 一、 (a sloppy "四、…安排\n一、…") or
inline in the paragraph of the open item ("(三)…存在以下问题:(一)…"; once: a restart
inside such a sub-list starts a sibling of it, so that lists run together on one long
line do not nest without end), else a sibling list (a new run of 一是 in the next
paragraph); a new style opens a sub-list and must start at 1, after closing any open lists
of a conventionally lower rank (一、 > (一) > 1. > (1) > ① > 第一, > 一是 > 首先,: the order of
the national standard GB/T 9704-2012 §7.3.3, then the list forms of running text). An
inline enumerator never opens a top-level section. Enumerators inside “quotations”,
《titles》 or 「brackets」 are ignored. Things that merely look like numbers — "2024年" at a
line start, "1310" in a sentence, "(2021-2025年)", "1.4万", "13号之三" — are not headings.

Time is linear in the length of a text, also when it is one long line (a scraped page
whose line breaks were lost): quotation marks are tracked in one pass (:class:`_Quotes`)
and line ends are looked up (:func:`end_of_line`, :func:`start_of_line`).

Section ends: a section runs to the next heading of the same or a higher level; an inline
item that is the last of its list ends with its paragraph (line). A closing signature
block (issuing bodies and a date at the very end, :func:`signature_start`) belongs to the
last top-level section but to none of its sub-sections.

The names below are public for the other modules of :mod:`analysis.structure` (sections,
items); :mod:`analysis.structure` itself exports only the table-level verbs.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from analysis.structure.parts import classify_heading

__all__ = [
    "AFTER_MARKER",
    "CIRCLED_RE",
    "HEADING_AT_START_RE",
    "HEADING_RE",
    "LINE_STYLES",
    "RUNNING_STYLES",
    "SENTENCE_END_RE",
    "Node",
    "assign_ends",
    "build_tree",
    "end_of_line",
    "start_of_line",
    "heading_candidates",
    "headline_at",
    "signature_start",
]

# --------------------------------------------------------------------------- patterns

_CN_DIGITS = "一二三四五六七八九十"
_CN_VALUE = {c: i for i, c in enumerate("零一二三四五六七八九", start=0)}
_CIRCLED_FIRST = 0x2460  # ①
_PAREN_IDEO_FIRST = 0x3220  # ㈠

# The enumerators themselves. Examples matched: "一、", "一、2024年度…", "(二)", "（三）", "㈣",
# "1.", "2、", "3．", "１、", "(1)", "（２）", "一是", "十二是", "第一,", "第二部分", "首先,". Not matched: "2024年", "1.4万",
# "第一责任人"
# ("." followed by a digit), "3、4月", "3、4季度" (、 before a date part), "(2021-2025年)", "(一审".
_ENUMERATOR = rf"""
    (?:
        (?P<cn>[{_CN_DIGITS}]{{1,3}})(?:、|[.．](?![0-9０-９]))
      | [(（](?P<pcn>[{_CN_DIGITS}]{{1,3}})[)）]
      | (?P<pci>[\u3220-\u3229])
      | (?P<ar>[0-9０-９]{{1,2}})(?:、(?![0-9０-９]{{1,2}}[月日号季年级、.．])|[.．](?![0-9０-９]))
      | [(（](?P<par>[0-9０-９]{{1,2}})[)）]
      | (?P<shi>[{_CN_DIGITS}]{{1,3}})是
      | 第(?P<bu>[{_CN_DIGITS}]{{1,3}})部分
      | 第(?P<di>[{_CN_DIGITS}]{{1,3}})(?=[,，、:：])
      | (?P<seq>首先|其次|再次|最后)(?=[,，:：])
    )
"""
_INDENT = "(?P<ind>[ \t\u3000\xa0]*)"
# Every character an enumerator of _ENUMERATOR can start with. Checked as a lookahead before
# the alternation, it only saves time: most clause boundaries (every "，") are followed by
# none of them, and one class test rejects them before the nine alternatives are tried.
_ENUMERATOR_FIRST = rf"[{_CN_DIGITS}(（\u3220-\u32290-9０-９第首其再最]"
# An enumerator after a line break or a clause boundary (the boundary character is part of
# the match, which lets the regex engine scan for it quickly), e.g. "\n  一、", "。一是",
# "：（一）", "，二是". Not matched: "13号之三", "省委“1310”" (no boundary before them).
HEADING_RE = re.compile(rf"(?P<lead>[\n。;:!?；：！？,，]){_INDENT}(?={_ENUMERATOR_FIRST}){_ENUMERATOR}", re.VERBOSE)
# The same at the very start of a text (or of a section), e.g. "一、主要情况".
HEADING_AT_START_RE = re.compile(rf"{_INDENT}{_ENUMERATOR}", re.VERBOSE)
# Circled numbers, valid anywhere outside quotations, e.g. "①", "⑳".
CIRCLED_RE = re.compile("[\u2460-\u2473]")

# The character classes of HEADING_RE as lookup tables over the Basic Multilingual Plane
# (see _heading_matches): its lead, and what may follow the lead in a match (an indent or
# the first character of an enumerator), written out next to the patterns they mirror;
# tests/structure/test_structure_headings.py checks them against the regex classes
# character by character.
_LEAD_CHARS = "\n。;:!?；：！？,，"
_ENUMERATOR_FIRST_CHARS = (
    _CN_DIGITS + "(（" + "".join(map(chr, range(0x3220, 0x322A))) + "0123456789"
    + "".join(map(chr, range(0xFF10, 0xFF1A))) + "第首其再最"
)
_LEAD_TABLE = np.zeros(0x10000, dtype=bool)
_LEAD_TABLE[[ord(c) for c in _LEAD_CHARS]] = True
_AFTER_LEAD_TABLE = np.zeros(0x10000, dtype=bool)
_AFTER_LEAD_TABLE[[ord(c) for c in " \t\u3000\xa0" + _ENUMERATOR_FIRST_CHARS]] = True

# Conventional rank of each numbering style (GB/T 9704-2012 §7.3.3: 一、 → (一) → 1. → (1)),
# then ① and 一是, which reports use for the lowest, often inline, lists.
# 第一部分 ranks above 一、; an unnumbered part label ranks with 一、 (it closes every list).
_RANK = {"bu": -1, "label": 0, "cn": 0, "paren_cn": 1, "arabic": 2, "paren_arabic": 3, "circled": 4, "di": 5, "shi": 6,
         "seq": 7}
# 首先, 其次, 再次 and 最后 (0: the next number of an open list)
_SEQ_VALUE = {"首先": 1, "其次": 2, "再次": 3, "最后": 0}
# Styles that may skip numbers at a line start (typos such as 一、二、四、).
_STRONG = {"bu", "cn", "paren_cn"}
# Styles that head a line only and may continue a list at any number (a report may lack a part).
LINE_STYLES = {"bu", "cn"}
# Styles of running-text lists: as top-level sections their "headings" are whole sentences,
# so only a strict label (``labels`` in parts.yaml) classifies them.
RUNNING_STYLES = {"shi", "di", "circled", "seq"}

# Punctuation and spaces between an enumerator and its text, e.g. the "," in "一是,积极".
AFTER_MARKER = " \t\u3000\xa0,，:：、.．"
# End of a headline sentence, e.g. the "。" in "(一)加强组织领导。成立…".
SENTENCE_END_RE = re.compile(r"[。!?;！？；\n]")
# Opening / closing quotation marks; an enumerator between them is quoted, e.g. “一是…”.
_QUOTE_PAIRS = (("“", "”"), ("《", "》"), ("「", "」"), ("『", "』"), ("‘", "’"))
_QUOTE_OPEN_RE = re.compile("[" + "".join(open_ for open_, _ in _QUOTE_PAIRS) + "]")
# Any quotation mark, opening or closing, e.g. the “ or ” of “一是”.
_QUOTE_ANY_RE = re.compile("[" + "".join(open_ + close for open_, close in _QUOTE_PAIRS) + "]")

# Lines are scanned for their ends up to this many characters; beyond, an index of the
# text's line breaks (built once per text) is searched, so that a report written on one
# long line costs time linear in its length, not in its length times its headings.
_LINE_SCAN = 4096

# A closing signature: a date line such as "2023年12月22日", "二〇二三年十二月二十二日" or
# "2024年1月".
_SIGNATURE_DATE_RE = re.compile(
    r"^[ \t\u3000]*(?:[0-9０-９]{4}|[〇○零一二三四五六七八九]{4})\s*年\s*"
    r"[0-9０-９一二三四五六七八九十]{1,3}\s*月(?:\s*[0-9０-９一二三四五六七八九十]{1,3}\s*日)?[ \t\u3000]*$"
)
# A line of a signature block: a short name without sentence punctuation, e.g.
# "中共深圳市龙华区观湖街道工作委员会", "深圳市龙华区观湖街道办事处".
_SIGNATURE_LINE_RE = re.compile(r"^[ \t\u3000]*[^\s。,，;；:：!！?？、]{2,40}[ \t\u3000]*$")


def _cn_int(s: str) -> int | None:
    """Value of a small Chinese numeral (一 … 九十九), or None if it is not one.

    >>> [_cn_int(s) for s in ["一", "十", "十二", "二十", "二十三", "一二"]]
    [1, 10, 12, 20, 23, None]
    """
    if len(s) == 1:
        return 10 if s == "十" else _CN_VALUE.get(s)
    if len(s) == 2:
        if s[0] == "十":
            return 10 + _CN_VALUE[s[1]] if s[1] in _CN_VALUE and s[1] != "零" else None
        if s[1] == "十":
            return 10 * _CN_VALUE[s[0]] if s[0] in _CN_VALUE and s[0] not in "零一" else None
        return None
    if len(s) == 3 and s[1] == "十" and s[0] in _CN_VALUE and s[2] in _CN_VALUE:
        if s[0] in "零一" or s[2] == "零":
            return None
        return 10 * _CN_VALUE[s[0]] + _CN_VALUE[s[2]]
    return None


# --------------------------------------------------------------------------- parsing


@dataclass(slots=True)
class Node:
    """One heading of the tree: where its enumerator starts (``start``, with the indent of
    a line-start one) and ends (``body``), its numbering ``style``, ``value`` and
    ``number`` as written, its ``level`` (1: top) and ``parent`` (index into the node
    list, -1 for a top-level one); ``end``, ``heading``, ``part`` and ``path`` are filled
    in by the later steps."""

    start: int
    body: int  # first character after the enumerator
    style: str
    value: int
    number: str
    level: int
    inline: bool
    end: int = 0
    heading: str = ""
    part: str = "other"
    parent: int = -1
    path: str = ""
    forced: str = ""  # the part of an unnumbered label heading
    head_len: int = -1  # length of a label heading ("存在的问题" of "存在的问题:一是…"), -1: a sentence


@functools.lru_cache(maxsize=4096)
def _marker(kind: str, raw: str) -> tuple[str, int | None, str]:
    """(style, value, number) of an enumerator matched as group ``kind`` of _ENUMERATOR
    with the text ``raw``, e.g. ("paren_cn", 2, "(二)") for ("pcn", "二"); value None when
    ``raw`` is no number. Cached: the same few markers recur in every report."""
    if kind in ("cn", "bu", "shi", "di", "pcn"):
        number = {"cn": "{}", "bu": "第{}部分", "shi": "{}是", "di": "第{}", "pcn": "({})"}[kind].format(raw)
        return ("paren_cn" if kind == "pcn" else kind), _cn_int(raw), number
    if kind == "seq":
        return "seq", _SEQ_VALUE[raw], raw
    if kind == "pci":
        value = ord(raw) - _PAREN_IDEO_FIRST + 1
        return "paren_cn", value, f"({_CN_DIGITS[value - 1]})"
    value = int(raw)
    if kind == "ar":
        return "arabic", value, str(value)
    return "paren_arabic", value, f"({value})"  # par


# Enumerator kinds that head a line only (a "一、" inline is not a heading).
_LINE_ONLY_KINDS = frozenset({"cn", "bu"})
# Enumerator kinds that may follow a comma: "…问题,一是…".
_AFTER_COMMA_KINDS = frozenset({"shi", "di", "seq"})


def heading_candidates(text: str) -> list[tuple[int, int, str, int, str, bool]]:
    """(start, body, style, value, number, inline) of every enumerator-like match, in
    text order. ``start`` includes the indentation of a line-start enumerator."""
    out: list[tuple[int, int, str, int, str, bool]] = []
    first = HEADING_AT_START_RE.match(text)
    if first is not None:  # at the very start: a line start
        style, value, number = _marker(first.lastgroup, first.group(first.lastgroup))
        if value is not None:
            out.append((0, first.end(), style, value, number, False))
    units = _bmp_units(text)
    quotes = _Quotes(text)
    for m in _heading_matches(text, units):
        kind = m.lastgroup
        lead = m.group("lead")
        inline = lead != "\n"
        if inline:
            if kind in _LINE_ONLY_KINDS:
                continue  # 一、 and 第一部分 only head a line
            if lead in ",，" and kind not in _AFTER_COMMA_KINDS:
                continue  # only 一是 and 第一 follow a comma: "…问题,一是…"
            start = m.end("ind")
        else:
            start = m.start() + 1
        style, value, number = _marker(kind, m.group(kind))
        if value is None or (inline and quotes.quoted(start)):
            continue
        out.append((start, m.end(), style, value, number, inline))
    if CIRCLED_RE.search(text) is not None if units is None else _has_circled(units):
        circled = []
        quotes = _Quotes(text)
        for m in CIRCLED_RE.finditer(text):
            start = m.start()
            j = start
            while j > 0 and text[j - 1] in " \t\u3000\xa0":
                j -= 1
            inline = not (j == 0 or text[j - 1] == "\n")
            if inline and quotes.quoted(start):
                continue
            value = ord(m.group()) - _CIRCLED_FIRST + 1
            circled.append((start if inline else j, m.end(), "circled", value, m.group(), inline))
        if circled:
            out = sorted(out + circled)
    return out


def _bmp_units(text: str) -> np.ndarray | None:
    """The characters of ``text`` as UTF-16 code units, one per character (None when a
    character lies beyond the Basic Multilingual Plane, so positions would not agree)."""
    units = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype="<u2")
    return units if len(units) == len(text) else None


def _heading_matches(text: str, units: np.ndarray | None) -> Iterable[re.Match[str]]:
    """``HEADING_RE.finditer(text)``, tried only where a match can start.

    A match starts at a lead character followed by an indent or the first character of an
    enumerator (the lookahead after the indent). numpy finds those places (a few dozen in a
    report) from the code ``units``; the regex is run at each, after the previous match, as
    finditer would. The scan itself — the regex engine testing the lead class at every
    character and trying the pattern after every comma — costs more than that."""
    if units is None:
        yield from HEADING_RE.finditer(text)
        return
    pos = 0
    for at in np.flatnonzero(_LEAD_TABLE[units[:-1]] & _AFTER_LEAD_TABLE[units[1:]]).tolist():
        if at >= pos:
            m = HEADING_RE.match(text, at)
            if m is not None:
                yield m
                pos = m.end()


def _has_circled(units: np.ndarray) -> bool:
    """``CIRCLED_RE.search`` found something, from the code units (one vector test)."""
    return bool(((units - np.uint16(0x2460)) <= np.uint16(0x2473 - 0x2460)).any())


def _is_quoted(text: str, pos: int) -> bool:
    """True if ``pos`` lies inside an open quotation/title on its line, e.g. “一是…”.
    (One position; :class:`_Quotes` answers for many in a row.)"""
    line_start = start_of_line(text, pos)
    if _QUOTE_OPEN_RE.search(text, line_start, pos) is None:
        return False  # no opening mark before it on its line: none can be open
    for open_, close in _QUOTE_PAIRS:
        if text.count(open_, line_start, pos) > text.count(close, line_start, pos):
            return True
    return False


class _Quotes:
    """:func:`_is_quoted` for positions asked in increasing order, in one pass over the
    text: the marks of each pair opened and not closed since the start of the line are
    carried from one position to the next (asking for an earlier position starts over
    from its line). On a report written as one long line, asking at every heading costs
    the length of the text, not that length per heading."""

    __slots__ = ("depth", "pos", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0  # the depths below hold for text[line start : pos]
        self.depth = [0] * len(_QUOTE_PAIRS)

    def quoted(self, pos: int) -> bool:
        text = self.text
        if pos < self.pos:
            self.pos, self.depth = start_of_line(text, pos), [0] * len(_QUOTE_PAIRS)
        start = self.pos
        nl = text.rfind("\n", start, pos)
        if nl >= 0:  # a new line: nothing is open at its start
            start, self.depth = nl + 1, [0] * len(_QUOTE_PAIRS)
        if _QUOTE_ANY_RE.search(text, start, pos) is not None:
            for k, (open_, close) in enumerate(_QUOTE_PAIRS):
                self.depth[k] += text.count(open_, start, pos) - text.count(close, start, pos)
        self.pos = pos
        return any(d > 0 for d in self.depth)


def build_tree(
    text: str, limit: int, labels: Iterable[tuple[int, str, int]] = (),
    candidates: list[tuple[int, int, str, int, str, bool]] | None = None,
) -> list[Node]:
    """Accept enumerators (before offset ``limit``) that continue or open a numbered
    list; assign levels and parents. ``labels`` are unnumbered part headings
    ``(start, part, heading length or -1)`` (see :func:`_find_labels`): each closes every
    open list and opens a top-level section. ``candidates``: ``heading_candidates(text)`` when
    already computed."""
    nodes: list[Node] = []
    stack: list[int] = []  # indices into nodes, outermost first
    opened: list[Node] = []  # the nodes of ``stack`` (kept alongside: fewer lookups)
    label_at = {start: (part, head_len) for start, part, head_len in labels}
    if candidates is None:
        candidates = heading_candidates(text)
    if label_at:
        candidates = sorted(
            candidates + [(start, start, "label", 0, "", False) for start in label_at], key=lambda c: c[0]
        )
    for start, body, style, value, number, inline in candidates:
        if start >= limit:
            break
        if style == "label":
            stack.clear()
            opened.clear()
            node = Node(start, body, style, value, number, 1, inline)
            node.forced, node.head_len = label_at[start]
            stack.append(len(nodes))
            opened.append(node)
            nodes.append(node)
            continue
        frames = [i for i in range(len(opened) - 1, -1, -1) if opened[i].style == style]
        if value == 0:  # 最后: closes an open 首先/其次 list
            if not frames:
                continue
            value = opened[frames[0]].value + 1
        if frames:
            # the next number of an open list of this style: the deepest such list, unless
            # a nested 一、 list and the outer one both fit and the heading names a part
            # ("三、其他需要报告的情况" after "二、…计划\n一、…\n二、…")
            fits = [i for i in frames if value == opened[i].value + 1]
            k = fits[0] if fits else None
            if len(fits) > 1 and classify_heading(headline_at(text, body, end_of_line(text, start)))[0]:
                k = fits[-1]
            if k is not None:
                del stack[k:], opened[k:]
            elif value == 1:
                k = frames[0]
                same_line = end_of_line(text, opened[k].start) >= start
                nest_cn = style == "cn" and not inline and len(frames) == 1  # one level only
                # (not inside a list that is itself such a sub-list: on one long line, restart
                # after restart would nest ever deeper, each level spanning the rest of the line)
                again = k > 0 and opened[k - 1].style == style
                if nest_cn or (inline and same_line and not again):
                    # a list restarting inside an item is its sub-list: "四、…安排\n一、…\n二、…"
                    # or "(三)…存在以下问题:(一)…(二)…"
                    del stack[k + 1 :], opened[k + 1 :]
                elif inline and k == 0:
                    # an inline list never opens a top-level section: "五是…\n存在的问题:一是…"
                    continue
                else:
                    del stack[k:], opened[k:]  # a new list after the first one, e.g. in the next paragraph
            else:
                k = frames[0]
                prev = opened[k].value
                if inline or style not in _STRONG or not prev + 1 < value <= prev + 3:
                    continue
                del stack[k:], opened[k:]  # a typo skipping a number: "一、二、四、"
        else:
            if value != 1 and not (style in LINE_STYLES and not inline):
                continue
            if inline and not stack:
                continue  # an inline list never opens a top-level section
            depth = len(stack)
            while depth and _RANK[opened[depth - 1].style] >= _RANK[style]:
                depth -= 1
            if inline and not depth:
                continue  # nor by closing the open ones: "1.主要工作\n…:(一)…"
            del stack[depth:], opened[depth:]
        node = Node(start, body, style, value, number, len(stack) + 1, inline)
        node.parent = stack[-1] if stack else -1
        stack.append(len(nodes))
        opened.append(node)
        nodes.append(node)
    return nodes


def signature_start(text: str) -> int:
    """Offset of a closing signature block (bodies + date on the last lines), else len(text)."""
    end = len(text.rstrip())
    lines: list[tuple[int, str]] = []
    pos = end
    while pos > 0 and len(lines) < 6:
        line_start = start_of_line(text, pos)
        lines.append((line_start, text[line_start:pos]))
        pos = line_start - 1
    if not lines or not _SIGNATURE_DATE_RE.match(lines[0][1]):
        return len(text)
    sig = lines[0][0]
    for line_start, line in lines[1:5]:
        if _SIGNATURE_LINE_RE.match(line) and not HEADING_AT_START_RE.match(line):
            sig = line_start
        else:
            break
    return sig


def headline_at(text: str, body: int, end: int) -> str:
    """First sentence after an enumerator, without its closing punctuation."""
    while body < end and text[body] in AFTER_MARKER:
        body += 1
    m = SENTENCE_END_RE.search(text, body, end)
    return text[body : m.start() if m else end].strip()


# The line breaks of the last text asked about, as (text, offsets): kept for the text
# object itself (an equal text elsewhere would be compared character by character).
_last_breaks: tuple[str, list[int]] = ("", [])


def _line_breaks(text: str) -> list[int]:
    """Offsets of the line breaks of a text, in order (those of the last text are kept:
    a report's lines are looked up many times while it is parsed)."""
    global _last_breaks
    entry = _last_breaks  # one read: another thread may replace it, never half of it
    if entry[0] is not text:
        entry = (text, [m.start() for m in re.finditer("\n", text)])
        _last_breaks = entry
    return entry[1]


def end_of_line(text: str, pos: int) -> int:
    """Offset of the line break ending the line at ``pos`` (``len(text)`` on the last line).

    >>> end_of_line("ab\\ncd", 1), end_of_line("ab\\ncd", 3)
    (2, 5)
    """
    nl = text.find("\n", pos, pos + _LINE_SCAN)
    if nl >= 0:
        return nl
    if pos + _LINE_SCAN >= len(text):
        return len(text)
    breaks = _line_breaks(text)  # a long line: look its end up
    i = bisect.bisect_left(breaks, pos)
    return breaks[i] if i < len(breaks) else len(text)


def start_of_line(text: str, pos: int) -> int:
    """Offset of the start of the line holding ``pos`` (after the line break before it).

    >>> start_of_line("ab\\ncd", 4), start_of_line("ab\\ncd", 1)
    (3, 0)
    """
    nl = text.rfind("\n", max(0, pos - _LINE_SCAN), pos)
    if nl >= 0:
        return nl + 1
    if pos <= _LINE_SCAN:
        return 0
    breaks = _line_breaks(text)  # a long line: look its start up
    i = bisect.bisect_left(breaks, pos)
    return breaks[i - 1] + 1 if i else 0


def assign_ends(text: str, nodes: list[Node], sig: int) -> None:
    """Set each node's end: the next heading of the same or a higher level, or its line
    (last inline item of a list), never into the closing signature (offset ``sig``)."""
    n = len(nodes)
    levels = [nd.level for nd in nodes]
    # next heading at a level <= node level, via a stack over the nodes in reverse
    nxt = [n] * n
    pending: list[int] = []
    for i in range(n - 1, -1, -1):
        level = levels[i]
        while pending and levels[pending[-1]] > level:
            pending.pop()
        if pending:
            nxt[i] = pending[-1]
        pending.append(i)
    size = len(text)
    for i, node in enumerate(nodes):
        j = nxt[i]
        end = nodes[j].start if j < n else size
        if node.parent >= 0:
            end = min(end, nodes[node.parent].end)
            if node.inline:
                line_end = end_of_line(text, node.start)
                # keep going when the list (next sibling, not a new list restarting at 1:
                # "…;三是C。\n原因:一是…") or a sub-item continues below
                sibling = j < n and levels[j] == node.level and nodes[j].value != 1
                continues = (sibling and nodes[j].start > line_end) or (j - 1 > i and nodes[j - 1].start > line_end)
                if not continues and line_end < end:
                    end = line_end
            if sig < end:
                end = sig
        node.end = end if end > node.body else node.body
