"""Report structure: heading tree, the five regulated parts, shortcoming items, compliance.

Art. 25 of the 2019 《法治政府建设与责任落实督察工作规定》 (厅字〔2019〕28号) fixes what an
annual rule-of-law government report contains: 主要举措和成效 ("measures and effects"),
存在的不足和原因 ("shortcomings and their causes"), 党政主要负责人履行推进法治建设第一责任人
职责情况 ("how the leaders discharged their duty as first responsible persons"), 下一年度
主要安排 ("plans for the next year") and 其他需要报告的情况 ("other matters"). This module
reads that outline off the text:

* :func:`parse_sections` — one row per section at every heading level, each labelled with
  its regulated ``part`` (rules in ``analysis/resources/parts.yaml``);
* :func:`extract_problems` — the shortcoming items of the ``shortcomings`` part;
* :func:`extract_cases` — sentences naming a concrete handled case (rule in
  ``analysis/resources/case_patterns.yaml``);
* :func:`compliance` — one row per report scored against art. 25 and art. 24;
* :func:`plot_part_shares` — a stacked bar chart of the parts' shares of each report.

All ``start``/``end`` offsets are positions in the corpus ``text`` column
(``text[start:end]``), as everywhere in the package.

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
inline in the paragraph of the open item ("(三)…存在以下问题:(一)…"), else a sibling list
(a new run of 一是 in the next paragraph); a new style opens a sub-list and must start at
1, after closing any open lists
of a conventionally lower rank (一、 > (一) > 1. > (1) > ① > 第一, > 一是 > 首先,: the order of
the national standard GB/T 9704-2012 §7.3.3, then the list forms of running text). An
inline enumerator never opens a top-level section. Enumerators inside “quotations”,
《titles》 or 「brackets」 are ignored. Things that merely look like numbers — "2024年" at a line start, "1310" in a
sentence, "(2021-2025年)", "1.4万", "13号之三" — are not headings.

Unnumbered part headings (``label`` sections, ``number`` ``""``): when the numbered
outline lacks a regulated part, a line that names it is read as a top-level heading —
a standalone label such as "存在的问题" or "下一步工作打算", a label with a colon opening a
paragraph ("存在的问题:一是…"), a concessive paragraph confessing shortcomings that
introduces items ("…取得积极成效,但还存在一些不足:一是…"), or, after the
shortcomings, a paragraph opening the plans ("下一步,我县将…"). The label rules are in
``analysis/resources/parts.yaml`` (``labels``, ``intro``). A report with no numbered
heading is split at standalone or colon labels only; with none either, it is one
``other`` section (and a :class:`StructureWarning`).

Section ends: a section runs to the next heading of the same or a higher level; an inline
item that is the last of its list ends with its paragraph (line). A closing signature
block (issuing bodies and a date at the very end) belongs to the last top-level section
but to none of its sub-sections.
"""

from __future__ import annotations

import bisect
import collections
import functools
import importlib.resources
import itertools
import operator
import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import yaml

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = [
    "PARTS",
    "StructureWarning",
    "parse_sections",
    "extract_problems",
    "extract_cases",
    "compliance",
    "part_shares",
    "plot_part_shares",
    "part_rules",
    "PART_LABELS",
]

#: Every value of the ``part`` column, in the order tables and figures use.
PARTS: tuple[str, ...] = ("preamble", "measures", "leadership", "shortcomings", "plans", "other")

SECTION_COLUMNS = ["doc_id", "part", "level", "number", "path", "heading", "text", "start", "end"]
PROBLEM_COLUMNS = ["doc_id", "item", "text", "body", "start", "end"]
CASE_COLUMNS = ["doc_id", "start", "end", "sentence", "verb", "entity", "entity_type"]


class StructureWarning(UserWarning):
    """A report whose structure could not be read.

    Issued (once per call, listing the ``doc_id`` values) by :func:`parse_sections` when a
    non-empty report has no recognisable heading: it is then returned as one ``other``
    section spanning the whole text, so nothing is dropped. Filter it with
    ``warnings.filterwarnings("ignore", category=StructureWarning)`` once you have
    looked at those reports.
    """


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
_HEADING_RE = re.compile(rf"(?P<lead>[\n。;:!?；：！？,，]){_INDENT}(?={_ENUMERATOR_FIRST}){_ENUMERATOR}", re.VERBOSE)
# The same at the very start of a text (or of a section), e.g. "一、主要情况".
_HEADING_AT_START_RE = re.compile(rf"{_INDENT}{_ENUMERATOR}", re.VERBOSE)
# Circled numbers, valid anywhere outside quotations, e.g. "①", "⑳".
_CIRCLED_RE = re.compile("[\u2460-\u2473]")

# The character classes of _HEADING_RE as lookup tables over the Basic Multilingual Plane
# (see _heading_matches): its lead, and what may follow the lead in a match (an indent or
# the first character of an enumerator). tests/test_structure.py checks them against the
# regex classes character by character.
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
_LINE_STYLES = {"bu", "cn"}
# Styles of running-text lists: as top-level sections their "headings" are whole sentences,
# so only a strict label (``labels`` in parts.yaml) classifies them.
_RUNNING_STYLES = {"shi", "di", "circled", "seq"}

# Punctuation and spaces between an enumerator and its text, e.g. the "," in "一是,积极".
_AFTER_MARKER = " \t\u3000\xa0,，:：、.．"
# End of a headline sentence, e.g. the "。" in "(一)加强组织领导。成立…".
_SENTENCE_END_RE = re.compile(r"[。!?;！？；\n]")
# Opening / closing quotation marks; an enumerator between them is quoted, e.g. “一是…”.
_QUOTE_PAIRS = (("“", "”"), ("《", "》"), ("「", "」"), ("『", "』"), ("‘", "’"))
_QUOTE_OPEN_RE = re.compile("[" + "".join(open_ for open_, _ in _QUOTE_PAIRS) + "]")

# A closing signature: a date line such as "2023年12月22日", "二〇二三年十二月二十二日" or
# "2024年1月".
_SIGNATURE_DATE_RE = re.compile(
    r"^[ \t\u3000]*(?:[0-9０-９]{4}|[〇○零一二三四五六七八九]{4})\s*年\s*"
    r"[0-9０-９一二三四五六七八九十]{1,3}\s*月(?:\s*[0-9０-９一二三四五六七八九十]{1,3}\s*日)?[ \t\u3000]*$"
)
# A line of a signature block: a short name without sentence punctuation, e.g.
# "中共深圳市龙华区观湖街道工作委员会", "深圳市龙华区观湖街道办事处".
_SIGNATURE_LINE_RE = re.compile(r"^[ \t\u3000]*[^\s。,，;；:：!！?？、]{2,40}[ \t\u3000]*$")
# A shortcoming sub-heading that only labels a group of items, e.g. "(一)存在的问题",
# "(二)原因分析", "主要问题".
_LABEL_RE = re.compile(
    r"^(?:存在的?|主要|具体)?(?:问题|不足|短板|差距|困难|原因)(?:和|与|及)?"
    r"(?:问题|不足|短板|差距|困难|原因)?(?:分析|表现)?$"
)
_CAUSE_LABEL_RE = re.compile(r"^(?:主要|存在的?)?原因(?:分析)?$")
# What introduces a list or paragraph of causes rather than problems, e.g. "原因:一是…",
# "究其原因,…", "产生这些问题的原因主要有:", "(二)原因分析".
_CAUSE_RE = re.compile(
    r"^(?:究其原因|分析原因|(?:其|主要|根本|深层次)?原因(?:分析|主要|是|在于|有|:|：|,|，|$)|"
    r"(?:产生|出现|造成|形成|存在)[^。;；:：]{0,12}的?(?:主要|根本|深层次)?原因)"
)
# The intro clause of a one-paragraph confession, up to where the problems begin, e.g.
# "一年来…,但也存在一些不足,主要是" / "…还存在一些问题。主要表现在:".
_INTRO_CLAUSE_RE = re.compile(
    r"[^。;；]*?(?:但|仍|还|也)(?:也|仍|还)?存在(?:着)?(?:一些|以下|不少|诸多|若干|如下|一定的?)?"
    r"(?:问题|不足|短板|差距|薄弱环节|困难)(?:和|与|及|、)?(?:问题|不足|短板|差距|薄弱环节|困难)?"
    r"(?:[。:：]|[,，]?(?:主要|具体)?(?:是|有|表现(?:在|为)|体现(?:在|为))[:：,，]?)\s*"
)
# A bullet opening an unnumbered item, e.g. "——", "●", "◆ ".
_BULLET_RE = re.compile(r"(?:—+|[-•●○■□◆◇▲△★☆※·])[ \t\u3000\xa0]*")
# The last sentence of a text, e.g. "原因:" of "二是B。原因:".
_LAST_SENTENCE_RE = re.compile(r"[^。;；!?！？]*$")
# First numbers of a list as the `number` column writes them: a new list starts there.
_FIRST_NUMBERS = frozenset({"一", "(一)", "1", "(1)", "①", "一是", "第一", "第一部分", "首先"})
# An intro paragraph before unnumbered items, e.g. "…但也存在以下薄弱环节:" or
# "…但也存在一些短板不足和困难。"
_INTRO_RE = re.compile(
    r"(?:[:：]\s*$|存在(?:以下|如下|一些|着|不少)|主要(?:表现|有|是)|具体(?:表现|如下)|"
    r"(?:但|仍|还|也)(?:也|仍|还)?存在|不足之处|差距和不足|如下|(?:表现|体现)(?:在|为)|以下(?:几个)?方面|"
    r"(?:还|仍)有(?:一定|一些|不少)?的?(?:差距|不足))"
)


# A year opening a heading or paragraph, e.g. "2024年重点工作", "在2024年".
_LEAD_YEAR_RE = re.compile(r"^\s*(?:在)?((?:19|20)\d{2})\s*年")
# A year in running text, e.g. "2023年,": not one end of a range such as "2021-2025年".
_YEAR_RE = re.compile(r"(?<![0-9\-—–~至])((?:19|20)\d{2})\s*年(?!\s*[-—–~至])")
# Text whose years are not the year covered: 《titles》 and (brackets), e.g. "(2021-2025年)".
_MASK_RE = re.compile(r"《[^《》\n]*》|[(（][^()（）\n]*[)）]")
# Longest unnumbered part label, e.g. "党政主要负责人履行推进法治建设第一责任人职责情况" (24).
_MAX_LABEL_LEN = 40
# First sentence of a paragraph, up to 。 or a colon (included), e.g. "…但还存在一些不足:".
_FIRST_SENTENCE_RE = re.compile(r"[^。!?！？:：]*[。!?！？:：]?")


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


# --------------------------------------------------------------------------- resources


@dataclass(frozen=True)
class _PartRule:
    part: str
    patterns: tuple[re.Pattern[str], ...]
    promote: tuple[re.Pattern[str], ...]
    labels: tuple[re.Pattern[str], ...]
    intro: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class _Rules:
    order: tuple[str, ...]
    rules: tuple[_PartRule, ...]
    # per part: a line that is a label, alone or before a colon, e.g. "存在的问题:一是…"
    label_lines: dict[str, re.Pattern[str]]
    # per part: a paragraph opened by an intro (searched in the line; the caller checks where)
    intro_lines: dict[str, re.Pattern[str]]


def _read_resource(name: str) -> dict[str, Any]:
    ref = importlib.resources.files("analysis") / "resources" / name
    with ref.open("r", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@functools.lru_cache(maxsize=1)
def _part_rules() -> _Rules:
    """The compiled rules of ``resources/parts.yaml`` (compiled once per process)."""
    data = _read_resource("parts.yaml")
    rules = tuple(
        _PartRule(
            part=entry["part"],
            patterns=tuple(re.compile(p) for p in entry.get("patterns", [])),
            promote=tuple(re.compile(p) for p in entry.get("promote", [])),
            labels=tuple(re.compile(p) for p in entry.get("labels", [])),
            intro=tuple(re.compile(p) for p in entry.get("intro", [])),
        )
        for entry in data["parts"]
    )
    unknown = {r.part for r in rules} - set(PARTS)
    if unknown:
        raise ValueError(f"parts.yaml names unknown parts: {sorted(unknown)}")
    space = "[ \t\u3000\xa0]*"
    label_lines = {
        r.part: re.compile(
            rf"^{space}(?P<label>{'|'.join(f'(?:{p.pattern})' for p in r.labels)}){space}(?:[:：][^\n]*)?$", re.M
        )
        for r in rules if r.labels
    }
    intro_lines = {r.part: re.compile("|".join(f"(?:{p.pattern})" for p in r.intro)) for r in rules if r.intro}
    return _Rules(order=tuple(data["order"]), rules=rules, label_lines=label_lines, intro_lines=intro_lines)


def part_rules() -> pd.DataFrame:
    """The part-classification rules as a table (one row per pattern), for citing them.

    Returns
    -------
    pandas.DataFrame
        ``part``, ``label_zh``, ``article_25`` (the regulation's wording), ``kind``
        (``pattern``: matched in top-level headings; ``promote``: opens a missing part
        from a level-2 heading; ``label``: a whole unnumbered heading line; ``intro``: a
        paragraph opening a missing part) and ``pattern`` (a Python regular expression).

    Examples
    --------
    >>> rules = part_rules()
    >>> sorted(set(rules["part"]))
    ['leadership', 'measures', 'other', 'plans', 'shortcomings']
    """
    data = _read_resource("parts.yaml")
    rows = [
        (e["part"], e.get("label_zh", ""), e.get("article_25", ""), kind, p)
        for e in data["parts"]
        for kind in ("pattern", "promote", "label", "intro")
        for p in e.get({"pattern": "patterns", "label": "labels"}.get(kind, kind), [])
    ]
    return pd.DataFrame(rows, columns=["part", "label_zh", "article_25", "kind", "pattern"])


@functools.lru_cache(maxsize=8192)  # pure; the same headings recur across reports
def _classify_heading(heading: str) -> tuple[str | None, frozenset[str]]:
    """Part of a top-level heading (earliest match wins) and every part that matched.

    >>> part, matched = _classify_heading("存在的问题及下一步打算")
    >>> part, sorted(matched)
    ('shortcomings', ['plans', 'shortcomings'])
    >>> _classify_heading("深入学习贯彻习近平法治思想")
    (None, frozenset())
    """
    best: tuple[int, int, str] | None = None
    matched: set[str] = set()
    for priority, rule in enumerate(_part_rules().rules):
        for pattern in rule.patterns:
            m = pattern.search(heading)
            if m is None:
                continue
            matched.add(rule.part)
            key = (m.start(), priority, rule.part)
            if best is None or key < best:
                best = key
    return (best[2] if best else None), frozenset(matched)


def _promoted_part(heading: str, missing: Iterable[str]) -> str | None:
    """Part a level-2 heading opens when that part has no top-level section."""
    for rule in _part_rules().rules:
        if rule.part in missing and any(p.search(heading) for p in rule.promote):
            return rule.part
    return None


# --------------------------------------------------------------------------- parsing


@dataclass(slots=True)
class _Node:
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


def _candidates(text: str) -> list[tuple[int, int, str, int, str, bool]]:
    """(start, body, style, value, number, inline) of every enumerator-like match, in
    text order. ``start`` includes the indentation of a line-start enumerator."""
    out: list[tuple[int, int, str, int, str, bool]] = []
    first = _HEADING_AT_START_RE.match(text)
    if first is not None:  # at the very start: a line start
        style, value, number = _marker(first.lastgroup, first.group(first.lastgroup))
        if value is not None:
            out.append((0, first.end(), style, value, number, False))
    units = _bmp_units(text)
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
        if value is None or (inline and _is_quoted(text, start)):
            continue
        out.append((start, m.end(), style, value, number, inline))
    if _CIRCLED_RE.search(text) is not None if units is None else _has_circled(units):
        circled = []
        for m in _CIRCLED_RE.finditer(text):
            start = m.start()
            j = start
            while j > 0 and text[j - 1] in " \t\u3000\xa0":
                j -= 1
            inline = not (j == 0 or text[j - 1] == "\n")
            if inline and _is_quoted(text, start):
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
    """``_HEADING_RE.finditer(text)``, tried only where a match can start.

    A match starts at a lead character followed by an indent or the first character of an
    enumerator (the lookahead after the indent). numpy finds those places (a few dozen in a
    report) from the code ``units``; the regex is run at each, after the previous match, as
    finditer would. The scan itself — the regex engine testing the lead class at every
    character and trying the pattern after every comma — costs more than that."""
    if units is None:
        yield from _HEADING_RE.finditer(text)
        return
    pos = 0
    for at in np.flatnonzero(_LEAD_TABLE[units[:-1]] & _AFTER_LEAD_TABLE[units[1:]]).tolist():
        if at >= pos:
            m = _HEADING_RE.match(text, at)
            if m is not None:
                yield m
                pos = m.end()


def _has_circled(units: np.ndarray) -> bool:
    """``_CIRCLED_RE.search`` found something, from the code units (one vector test)."""
    return bool(((units - np.uint16(0x2460)) <= np.uint16(0x2473 - 0x2460)).any())


def _is_quoted(text: str, pos: int) -> bool:
    """True if ``pos`` lies inside an open quotation/title on its line, e.g. “一是…”."""
    line_start = text.rfind("\n", 0, pos) + 1
    if _QUOTE_OPEN_RE.search(text, line_start, pos) is None:
        return False  # no opening mark before it on its line: none can be open
    for open_, close in _QUOTE_PAIRS:
        if text.count(open_, line_start, pos) > text.count(close, line_start, pos):
            return True
    return False


def _build_tree(
    text: str, limit: int, labels: Iterable[tuple[int, str, int]] = (),
    candidates: list[tuple[int, int, str, int, str, bool]] | None = None,
) -> list[_Node]:
    """Accept enumerators (before offset ``limit``) that continue or open a numbered
    list; assign levels and parents. ``labels`` are unnumbered part headings
    ``(start, part, heading length or -1)`` (see :func:`_find_labels`): each closes every
    open list and opens a top-level section. ``candidates``: ``_candidates(text)`` when
    already computed."""
    nodes: list[_Node] = []
    stack: list[int] = []  # indices into nodes, outermost first
    opened: list[_Node] = []  # the nodes of ``stack`` (kept alongside: fewer lookups)
    label_at = {start: (part, head_len) for start, part, head_len in labels}
    if candidates is None:
        candidates = _candidates(text)
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
            node = _Node(start, body, style, value, number, 1, inline)
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
            if len(fits) > 1 and _classify_heading(_headline(text, body, _line_end(text, start)))[0]:
                k = fits[-1]
            if k is not None:
                del stack[k:], opened[k:]
            elif value == 1:
                k = frames[0]
                same_line = text.find("\n", opened[k].start, start) < 0
                nest_cn = style == "cn" and not inline and len(frames) == 1  # one level only
                if nest_cn or (inline and same_line):
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
            if value != 1 and not (style in _LINE_STYLES and not inline):
                continue
            if inline and not stack:
                continue  # an inline list never opens a top-level section
            depth = len(stack)
            while depth and _RANK[opened[depth - 1].style] >= _RANK[style]:
                depth -= 1
            if inline and not depth:
                continue  # nor by closing the open ones: "1.主要工作\n…:(一)…"
            del stack[depth:], opened[depth:]
        node = _Node(start, body, style, value, number, len(stack) + 1, inline)
        node.parent = stack[-1] if stack else -1
        stack.append(len(nodes))
        opened.append(node)
        nodes.append(node)
    return nodes


def _signature_start(text: str) -> int:
    """Offset of a closing signature block (bodies + date on the last lines), else len(text)."""
    end = len(text.rstrip())
    lines: list[tuple[int, str]] = []
    pos = end
    while pos > 0 and len(lines) < 6:
        line_start = text.rfind("\n", 0, pos) + 1
        lines.append((line_start, text[line_start:pos]))
        pos = line_start - 1
    if not lines or not _SIGNATURE_DATE_RE.match(lines[0][1]):
        return len(text)
    sig = lines[0][0]
    for line_start, line in lines[1:5]:
        if _SIGNATURE_LINE_RE.match(line) and not _HEADING_AT_START_RE.match(line):
            sig = line_start
        else:
            break
    return sig


def _headline(text: str, body: int, end: int) -> str:
    """First sentence after an enumerator, without its closing punctuation."""
    while body < end and text[body] in _AFTER_MARKER:
        body += 1
    m = _SENTENCE_END_RE.search(text, body, end)
    return text[body : m.start() if m else end].strip()


def _line_end(text: str, pos: int) -> int:
    nl = text.find("\n", pos)
    return len(text) if nl < 0 else nl


def _assign_ends(text: str, nodes: list[_Node], sig: int) -> None:
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
                line_end = text.find("\n", node.start)  # as _line_end
                if line_end < 0:
                    line_end = size
                # keep going when the list (next sibling, not a new list restarting at 1:
                # "…;三是C。\n原因:一是…") or a sub-item continues below
                sibling = j < n and levels[j] == node.level and nodes[j].value != 1
                continues = (sibling and nodes[j].start > line_end) or (j - 1 > i and nodes[j - 1].start > line_end)
                if not continues and line_end < end:
                    end = line_end
            if sig < end:
                end = sig
        node.end = end if end > node.body else node.body


def _lead_year(heading: str) -> int | None:
    """Year a heading or paragraph starts with: "2024年重点工作" -> 2024."""
    m = _LEAD_YEAR_RE.match(heading)
    return int(m.group(1)) if m else None


def _covered_year(text: str) -> int | None:
    """First year named in the opening of a report, outside 《titles》 and (brackets),
    e.g. 2023 for "2023年,我局…", not 2021 for "《…纲要(2021-2025年)》".

    >>> _covered_year("根据《法治政府建设实施纲要(2021-2025年)》,2023年,我局推进法治建设。")
    2023
    """
    head = _MASK_RE.sub(lambda m: "#" * len(m.group()), text[:600])
    m = _YEAR_RE.search(head)
    return int(m.group(1)) if m else None


def _label_part(line: str, parts: Iterable[str]) -> tuple[str, int] | None:
    """(part, length of the label) when ``line`` is an unnumbered heading of one of
    ``parts``: the whole line (a trailing colon allowed) or its start up to a colon.

    >>> _label_part("存在的问题", ["shortcomings"]), _label_part("下一步工作打算:一是…", ["plans"])
    (('shortcomings', 5), ('plans', 7))
    >>> _label_part("存在的问题得到整改。", ["shortcomings"]) is None
    True
    """
    wanted = set(parts)
    stripped = line.strip()
    whole = stripped.rstrip(" :：")
    colon = min((i for i in (stripped.find(":"), stripped.find("：")) if i > 0), default=-1)
    heads = []
    if 0 < len(whole) <= _MAX_LABEL_LEN:
        heads.append(whole)
    if 0 < colon <= _MAX_LABEL_LEN:
        heads.append(stripped[:colon].rstrip())
    for head in heads:
        for rule in _part_rules().rules:
            if rule.part in wanted and any(p.fullmatch(head) for p in rule.labels):
                return rule.part, len(head)
    return None


def _top_parts(nodes: list[_Node]) -> set[str]:
    """Parts the outline carries: top-level parts (``other`` only when declared as such)
    and level-2 sections re-classified or promoted away from their parent's part."""
    present = set()
    for nd in nodes:
        if nd.level == 1 and (nd.part != "other" or nd.forced or _declared_other(nd.heading)):
            present.add(nd.part)
        elif nd.level == 2 and nd.part != nodes[nd.parent].part:
            present.add(nd.part)
    return present


def _find_labels(
    text: str, nodes: list[_Node], limit: int, covered: int | None
) -> list[tuple[int, str, int]]:
    """Unnumbered headings of the parts the numbered outline ``nodes`` lacks, as
    ``(start, part, heading length or -1)`` (rules: ``labels`` and ``intro`` in
    parts.yaml; -1: an intro paragraph, whose heading is its first sentence). Where no
    一、/第一部分 heads the outline (none at all, or lists of (一)/1./一是 only), the labels
    of every part; intros only in a numbered outline, never in its preamble. At most one
    heading per part, the first found."""
    rules = _part_rules()
    numbered = bool(nodes)
    if numbered:
        present = _top_parts(nodes)
        missing = [p for p in ("shortcomings", "leadership", "plans", "other") if p not in present]
        begin = text.find("\n", nodes[0].start) + 1  # never in the preamble nor on the first heading line
        flaws = [nd.start for nd in nodes if nd.part == "shortcomings"]
        if not begin:
            return []
    else:
        missing, begin, flaws = list(_REGULATED), 0, []
    # labels of every part where no 一、/第一部分 heads the outline: the numbered lists are
    # then items under unnumbered part headings ("存在问题\n(一)…\n下一步打算\n(一)…")
    strong = any(nd.level == 1 and nd.style in _LINE_STYLES for nd in nodes)
    label_parts = missing if strong else list(_REGULATED)
    intro_parts = missing if numbered else []
    if not label_parts and not intro_parts:
        return []
    # (line start, rank, part, label length or -1), rank: labels before intros, parts in rule order
    events: list[tuple[int, int, str, int]] = []
    line_starts: list[int] | None = None
    for rank, rule in enumerate(rules.rules):
        pattern = rules.label_lines.get(rule.part)
        if pattern is not None and rule.part in label_parts:
            if line_starts is None:
                line_starts = _line_starts(text)
            for m in _line_matches(pattern, text, begin if strong else 0, limit, line_starts):
                if m.end("label") - m.start("label") <= _MAX_LABEL_LEN:
                    events.append((m.start("label"), rank, rule.part, m.end("label") - m.start("label")))
        intro = rules.intro_lines.get(rule.part)
        if intro is not None and rule.part in intro_parts:
            for m in intro.finditer(text, begin, limit):
                line_start = text.rfind("\n", 0, m.start()) + 1
                events.append((line_start, len(rules.rules) + rank, rule.part, -1 - m.start()))
    events.sort()
    top_starts = {nd.start for nd in nodes if nd.level == 1}
    out: list[tuple[int, str, int]] = []
    taken = -1
    found: set[str] = set()
    for line_start, _, part, n in events:
        if part in found or line_start == taken:
            continue
        line = text[line_start : _line_end(text, line_start)]
        lead = len(line) - len(line.lstrip())
        if not line.strip() or _HEADING_AT_START_RE.match(line) or _CIRCLED_RE.match(line.lstrip()):
            continue  # a numbered line
        if n < 0:  # an intro: its match starts at -1 - n
            at = -1 - n
            if part == "shortcomings":
                if _within(nodes, line_start, ("plans", "leadership", "other")) or not _confesses(
                    text, line_start, at, limit, top_starts
                ):
                    continue
            else:  # plans: at the start of a paragraph after the shortcomings
                if at != line_start + lead or not any(f < line_start for f in flaws):
                    continue
                year = _lead_year(line)
                if year is not None and not (covered and year > covered):
                    continue
            n = -1
        elif covered and part == "measures" and (_lead_year(line) or 0) > covered:
            part = "plans"  # an unnumbered "2024年工作计划" in a report on 2023
            if part in found:
                continue
        out.append((line_start + lead, part, n))
        taken = line_start
        found.add(part)
        if part == "shortcomings":
            flaws.append(line_start)
    return sorted(out)


def _line_starts(text: str) -> list[int]:
    """Offsets of the starts of the lines of ``text`` (0 and after each line break)."""
    lines = text.split("\n")
    # line i starts after the i lines before it and their i line breaks
    return [start + i for i, start in enumerate(itertools.accumulate(map(len, lines[:-1]), initial=0))]


@functools.lru_cache(maxsize=64)
def _matches_empty(pattern: re.Pattern[str]) -> bool:
    """Whether ``pattern`` may match the empty string (True when unsure)."""
    try:
        from re import _parser as sre_parse  # private: only used to choose a fast path

        return sre_parse.parse(pattern.pattern, pattern.flags).getwidth()[0] == 0
    except Exception:  # noqa: BLE001
        return True


def _line_matches(
    pattern: re.Pattern[str], text: str, pos: int, endpos: int, line_starts: list[int]
) -> Iterable[re.Match[str]]:
    """``pattern.finditer(text, pos, endpos)`` for a pattern that can only match at a line
    start (a leading ``^`` in MULTILINE mode, as the ``label_lines`` of _part_rules): tried
    at the line starts only, instead of at every character (where ``^`` fails). Equal to
    finditer when no match is empty, which is checked (else finditer itself is used)."""
    if _matches_empty(pattern):
        yield from pattern.finditer(text, pos, endpos)
        return
    for start in line_starts[bisect.bisect_left(line_starts, pos):]:
        if start >= endpos:
            return
        if start < pos:  # inside the previous match
            continue
        m = pattern.match(text, start, endpos)
        if m is not None:
            yield m
            pos = m.end()


def _within(nodes: list[_Node], pos: int, parts: tuple[str, ...]) -> bool:
    """True if offset ``pos`` lies in a top-level section of one of ``parts``."""
    top = [nd for nd in nodes if nd.level == 1 and nd.start <= pos]
    return bool(top) and top[-1].part in parts


def _confesses(text: str, pos: int, at: int, limit: int, top_starts: set[int]) -> bool:
    """True if the paragraph at ``pos`` opens the shortcomings: the confession found at
    ``at`` (``intro`` in parts.yaml, e.g. "…但还存在一些不足:") lies in its first sentence
    and items follow (an enumerator after it or at the start of the next line, or a colon
    ending the sentence), or it is the last paragraph before a top-level heading."""
    end = _line_end(text, pos)
    m = _FIRST_SENTENCE_RE.match(text, pos, end)
    if m is None or at >= m.end():
        return False
    if _HEADING_RE.search(text, at, end) is not None or m.group().endswith((":", "：")):
        return True
    nxt = end + 1
    if nxt >= limit or nxt in top_starts:
        return True
    m = _HEADING_AT_START_RE.match(text, nxt)
    return m is not None and m.lastgroup not in ("cn", "bu")


def _assign_parts(nodes: list[_Node], covered: int | None = None) -> None:
    """Classify top-level headings (resources/parts.yaml) and let sub-sections inherit."""
    top = [i for i, nd in enumerate(nodes) if nd.level == 1]
    matched_sets: dict[int, frozenset[str]] = {}
    for i in top:
        nd = nodes[i]
        if nd.style == "label":
            part, matched = nd.forced, frozenset({nd.forced})
        elif nd.style in _RUNNING_STYLES:
            hit = _label_part(nd.heading, PARTS)
            part, matched = (hit[0], frozenset({hit[0]})) if hit else (None, frozenset())
        else:
            part, matched = _classify_heading(nd.heading)
        if covered and part not in ("shortcomings", "leadership", "other") and (_lead_year(nd.heading) or 0) > covered:
            part = "plans"  # "二、2024年重点工作" in a report on 2023
        nd.part = part or ""
        matched_sets[i] = matched
    # position rule for top-level headings no pattern matched
    seen_later_part = False
    for i in top:
        if nodes[i].part in ("shortcomings", "plans"):
            seen_later_part = True
        elif not nodes[i].part:
            nodes[i].part = "other" if seen_later_part else "measures"
    present = {nodes[i].part for i in top}
    missing = [p for p in ("shortcomings", "plans") if p not in present]
    for i, nd in enumerate(nodes):
        if nd.level == 1:
            continue
        parent = nodes[nd.parent]
        nd.part = parent.part
        if nd.level == 2:
            combined = matched_sets.get(nd.parent, frozenset())
            if len(combined) > 1:
                own, _ = _classify_heading(nd.heading)
                if own in combined:
                    nd.part = own
            elif missing and parent.part != "preamble":
                promoted = _promoted_part(nd.heading, missing)
                if promoted:
                    nd.part = promoted


def _heading_of(text: str, nodes: list[_Node], i: int) -> str:
    """Heading of node ``i``: its first sentence, cut before its first sub-item
    ("三、存在的问题:一是…" -> "存在的问题"), or the label itself; the next short line
    when the enumerator stands alone ("第一部分\n主要举措和成效")."""
    nd = nodes[i]
    if nd.head_len >= 0:
        return text[nd.start : nd.start + nd.head_len].strip()
    end = nd.end
    if i + 1 < len(nodes) and nodes[i + 1].parent == i:
        end = min(end, nodes[i + 1].start)
    line_end = -1  # the end of the heading's line within ``end``, found when needed
    if nd.style == "label":
        line_end = min(_line_end(text, nd.start), end)
        colon = min((j for j in (text.find(":", nd.start, line_end), text.find("：", nd.start, line_end)) if j >= 0),
                    default=line_end)
        end = min(end, colon)
    heading = _headline(text, nd.body, end).rstrip(" :：,，、")
    if not heading and line_end < 0:
        line_end = min(_line_end(text, nd.start), end)  # (``end`` unchanged: not a label)
    if not heading and line_end < nd.end:
        nxt = line_end + 1
        nxt_end = min(_line_end(text, nxt), nd.end)
        if nxt_end - nxt <= _MAX_LABEL_LEN and not _HEADING_AT_START_RE.match(text, nxt):
            heading = _headline(text, nxt, nxt_end).rstrip(" :：,，、")
    return heading


def _outline(
    text: str, sig: int, labels: Iterable[tuple[int, str, int]], covered: int | None,
    candidates: list[tuple[int, int, str, int, str, bool]] | None = None,
) -> list[_Node]:
    nodes = _build_tree(text, sig, labels, candidates)
    if nodes:
        _assign_ends(text, nodes, sig)
        for i, nd in enumerate(nodes):
            nd.heading = _heading_of(text, nodes, i)
            parent = nodes[nd.parent].path if nd.parent >= 0 else None
            nd.path = nd.number if parent is None else f"{parent}/{nd.number}"
        _assign_parts(nodes, covered)
    return nodes


def _sections_of(
    doc_id: str, text: str, no_heading: list[str], report_year: int | None = None
) -> list[tuple[Any, ...]]:
    if not text:
        return []
    sig = _signature_start(text)
    covered = report_year or _covered_year(text)
    candidates = _candidates(text)
    nodes = _outline(text, sig, (), covered, candidates)
    labels = _find_labels(text, nodes, sig, covered)
    if labels:
        nodes = _outline(text, sig, labels, covered, candidates)
    if not nodes:
        no_heading.append(doc_id)
        return [(doc_id, "other", 1, "", "", "", text, 0, len(text))]
    rows: list[tuple[Any, ...]] = []
    if nodes[0].start > 0:
        rows.append((doc_id, "preamble", 1, "", "", "", text[: nodes[0].start], 0, nodes[0].start))
    for nd in nodes:
        rows.append(
            (doc_id, nd.part, nd.level, nd.number, nd.path, nd.heading,
             text[nd.start : nd.end], nd.start, nd.end)
        )
    return rows


def _frame(rows: list[tuple[Any, ...]], columns: list[str], ints: Iterable[str]) -> pd.DataFrame:
    """The rows as a table: ``ints`` columns int64, the others pandas ``string``.

    Built column by column, each converted once (a frame of the tuples would first infer a
    type per column, then be cast)."""
    return _columns_frame(dict(zip(columns, zip(*rows) if rows else [()] * len(columns))), columns, ints)


def _columns_frame(values: Mapping[str, Any], columns: list[str], ints: Iterable[str]) -> pd.DataFrame:
    """As :func:`_frame`, from the values of each column (a sequence of values, or a
    column already made)."""
    ints = set(ints)
    data = {
        col: vals if not isinstance(vals, (list, tuple))
        else np.array(vals, dtype=np.int64) if col in ints
        else _string_array(vals)
        for col, vals in ((c, values[c]) for c in columns)
    }
    return pd.DataFrame(data, columns=columns)


def _string_array(values: Iterable[Any]) -> Any:
    """``pd.array(values, dtype="string")``. Values that are all ``str`` (what the callers
    pass) go straight into the Arrow array that dtype holds: pandas would first check and
    convert each value in Python, several times slower on a column of section texts."""
    try:
        return pd.array(pa.array(values, type=pa.large_string()), dtype="string")
    except (pa.ArrowException, TypeError):  # other values: pandas converts them (str(), NA)
        return pd.array(values, dtype="string")


def parse_sections(corpus: pd.DataFrame) -> pd.DataFrame:
    """Split every report into its heading tree and label each section's regulated part.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Needs ``doc_id`` and ``text`` (e.g. from :func:`analysis.load_corpus`);
        ``report_year`` is used when present (a top-level heading opening with a later
        year, "2024年重点工作" in a report on 2023, is ``plans``; without the column the
        first year of the text stands for it). Other columns are ignored and the input is
        not modified. Empty texts give no rows.

    Returns
    -------
    pandas.DataFrame
        One row per section at every heading level, in document order:

        ``doc_id``
            The report.
        ``part``
            ``preamble`` (text before the first heading), ``measures`` (主要举措和成效),
            ``leadership`` (第一责任人职责 as its own top-level part), ``shortcomings``
            (存在的不足和原因), ``plans`` (下一年度主要安排) or ``other`` (其他需要报告的情况,
            or unclassifiable). Only top-level headings are classified (rules and their
            legal source in ``analysis/resources/parts.yaml``, see :func:`part_rules`);
            sub-sections inherit, except the children of a combined heading such as
            "存在的问题及下一步打算", which are classified by their own headings, and a
            strict level-2 label such as "(五)存在的问题" when the report has no top-level
            section of that part. An unmatched top-level heading is ``measures`` before
            the first ``shortcomings``/``plans`` section and ``other`` after it. When the
            numbered outline lacks a part, an unnumbered line naming it opens a top-level
            section of that part (a label "存在的问题:", a confession "…但还存在一些不足:
            一是…", "下一步,我县将…" after the shortcomings; see the module docstring).
        ``level``
            1 for top-level sections (and the preamble), 2 for their sub-sections, …
        ``number``
            The enumerator as written, normalised to ASCII: ``一``, ``(二)``, ``3``,
            ``(4)``, ``①``, ``一是``, ``第二部分``; ``""`` for the preamble and for
            unnumbered part headings.
        ``path``
            Numbers from the top, e.g. ``二/(一)/1`` (``/一是`` under an unnumbered
            heading). Not unique when a report restarts a list under the same parent;
            ``(doc_id, start, level)`` is the key.
        ``heading``
            The heading sentence without enumerator and closing punctuation, cut before
            a list that follows on its line ("存在的问题:一是…" -> "存在的问题"); the next
            line when the enumerator stands alone ("第一部分" + "主要举措和成效").
        ``text``, ``start``, ``end``
            ``text == corpus_text[start:end]``. Top-level sections tile the report: their
            texts concatenated reproduce ``text`` exactly. A sub-section runs from its
            enumerator to the next heading of the same or a higher level (the last inline
            item of a list ends with its paragraph; a closing signature is left to the
            top-level section).

    Warns
    -----
    StructureWarning
        Once per call, listing reports that have text but no recognisable heading; each
        is returned as one ``other`` section over its whole text.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["d"], "text": [
    ...     "2023年,我街推进法治建设。\\n一、主要举措和成效\\n(一)加强领导。一是健全机制;二是压实责任。\\n"
    ...     "二、存在的问题和不足\\n一是队伍不足。\\n二是宣传单一。\\n三、下一年度工作计划\\n加强培训。"]})
    >>> s = parse_sections(corpus)
    >>> s[["part", "level", "path", "heading"]].values.tolist()[:4]
    [['preamble', 1, '', ''], ['measures', 1, '一', '主要举措和成效'], ['measures', 2, '一/(一)', '加强领导'], ['measures', 3, '一/(一)/一是', '健全机制']]
    >>> "".join(s.loc[s["level"] == 1, "text"]) == corpus["text"][0]
    True
    """
    # the output gathered by column: a report's row tuples are dropped with it, so the
    # garbage collector does not keep traversing tens of thousands of them
    values: list[list[Any]] = [[] for _ in SECTION_COLUMNS]
    no_heading: list[str] = []
    years = corpus["report_year"].tolist() if "report_year" in corpus.columns else [None] * len(corpus)
    for doc_id, text, year in zip(corpus["doc_id"].tolist(), corpus["text"].tolist(), years):
        year = None if year is None or pd.isna(year) else int(year)
        rows = _sections_of(str(doc_id), "" if pd.isna(text) else str(text), no_heading, year)
        for column, column_values in zip(values, zip(*rows)):
            column.extend(column_values)
    if no_heading:
        shown = ", ".join(no_heading[:10]) + (f" and {len(no_heading) - 10} more" if len(no_heading) > 10 else "")
        warnings.warn(
            f"{len(no_heading)} report(s) have no recognisable heading and were kept as one "
            f"'other' section: {shown}",
            StructureWarning,
            stacklevel=2,
        )
    return _columns_frame(dict(zip(SECTION_COLUMNS, values)), SECTION_COLUMNS, ints=("level", "start", "end"))


# --------------------------------------------------------------------------- problems


def _docs(
    sections: pd.DataFrame, columns: list[str], rows: Any = None, sparse: Mapping[str, Any] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Sections grouped by report (first-appearance order), each sorted by (start, level).

    ``rows``: positions of the rows to take (default all). ``sparse``: columns read only
    on some rows, column -> the positions among ``rows`` to fill (None elsewhere), which
    spares converting the rest (the long texts of sections never looked at).

    Works on plain Python lists: one pass over the table, no per-report pandas calls."""
    sparse = sparse or {}

    picked = None if rows is None else np.asarray(rows).tolist()

    def values(c: str) -> list[Any]:
        if c in sparse:  # convert only the rows needed
            at = np.flatnonzero(sparse[c])
            where = at if rows is None else np.asarray(rows)[at]
            filled: list[Any] = [None] * (len(sections) if rows is None else len(picked))  # type: ignore[arg-type]
            for i, v in zip(at.tolist(), sections[c].take(where).tolist()):
                filled[i] = v
            return filled
        full = sections[c].tolist()
        return full if picked is None else [full[i] for i in picked]

    cols = [values(c) for c in columns]
    docs: dict[str, list[dict[str, Any]]] = {}
    for vals in zip(*cols):
        rec = dict(zip(columns, vals))
        docs.setdefault(str(rec["doc_id"]), []).append(rec)
    key = operator.itemgetter("start", "level")
    for recs in docs.values():
        recs.sort(key=key)
    return docs


def _tree(records: list[dict[str, Any]]) -> tuple[list[int], list[list[int]]]:
    """Parent and children indices of one report's sections (document order)."""
    parent = [-1] * len(records)
    children: list[list[int]] = [[] for _ in records]
    stack: list[int] = []
    for i, rec in enumerate(records):
        while stack and records[stack[-1]]["level"] >= rec["level"]:
            stack.pop()
        if stack:
            parent[i] = stack[-1]
            children[stack[-1]].append(i)
        stack.append(i)
    return parent, children


def _item_span(rec: Mapping[str, Any]) -> tuple[int, int]:
    """Local (start, end) of an item's body inside its section text: enumerator and
    following punctuation skipped, trailing whitespace and separator dropped."""
    text: str = rec["text"]
    # the enumerator as written may differ from `number` ("一、", "（一）", "1．", indent)
    m = _HEADING_AT_START_RE.match(text)
    if m is not None:
        i = m.end()
    else:  # a circled number, possibly indented
        i = len(text) - len(text.lstrip(" \t\u3000\xa0")) + len(rec["number"])
    while i < len(text) and text[i] in _AFTER_MARKER:
        i += 1
    j = len(text.rstrip())
    while j > i and text[j - 1] in ";；,，、":  # the separator before the next inline item
        j -= 1
    return i, max(i, j)


def _paragraph_items(rec: Mapping[str, Any]) -> list[tuple[int, int]]:
    """Unnumbered items: the paragraphs after the heading line, minus an intro paragraph
    and a closing paragraph of causes ("究其原因,…")."""
    text: str = rec["text"]
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            spans.append((pos + lead, pos + lead + len(stripped)))
        pos += len(line) + 1
    heading = str(rec["heading"] or "")
    if spans and rec["level"] >= 1 and rec["number"]:
        spans = spans[1:]  # the heading line
    elif spans and heading:
        # an unnumbered label: "存在的问题" on its own line, or "存在的问题:" opening it
        a, b = spans[0]
        first = text[a:b]
        if first.rstrip(" :：") == heading:
            spans = spans[1:]
        elif first.startswith(heading) and first[len(heading) : len(heading) + 1] in (":", "："):
            a += len(heading) + 1
            while a < b and text[a] in _AFTER_MARKER:
                a += 1
            spans[0] = (a, b)
    if spans and (len(spans) > 1 or text[spans[0][0] : spans[0][1]].rstrip().endswith((":", "："))):
        first = text[spans[0][0] : spans[0][1]]
        if _INTRO_RE.search(first):
            spans = spans[1:]
    if len(spans) == 1:
        # one paragraph: its intro clause is not part of the item, e.g. "但也存在一些不足,
        # 主要是" of "但也存在一些不足,主要是执法力量不足。"
        a, b = spans[0]
        m = _INTRO_CLAUSE_RE.match(text, a, b)
        if m is not None and b - m.end() >= 4:
            spans = [(m.end(), b)]
    problems = [(a, b) for a, b in spans if not _CAUSE_RE.match(text[a:b])] or spans
    # a bullet is not part of the item: "——法治意识不强。"
    return [(a + len(m.group()) if (m := _BULLET_RE.match(text, a, b)) else a, b) for a, b in problems]


def _lead_in(records: list[dict[str, Any]], root: int, item: int) -> str:
    """Text that introduces an item's list: its paragraph before it, or the paragraph
    above when the item opens a line (e.g. "原因:" of "原因:一是…")."""
    text: str = records[root]["text"]
    local = records[item]["start"] - records[root]["start"]
    line_start = text.rfind("\n", 0, local) + 1
    prefix = text[line_start:local]
    if not prefix.strip() and line_start > 0:
        prefix = text[text.rfind("\n", 0, line_start - 1) + 1 : line_start]
    # only the last sentence: "一是A;二是B。原因:" -> "原因:"
    return _LAST_SENTENCE_RE.search(prefix.strip()).group()


def _problem_sections(records: list[dict[str, Any]], children: list[list[int]], root: int) -> list[int]:
    """Item sections under a shortcomings root: its children, looking through label
    sub-headings such as "(一)存在的问题" (and leaving out "(二)原因分析" lists when
    problem lists exist), and leaving out a later list introduced as causes
    ("存在的不足:一是…;二是…。\n原因:一是…")."""
    kids = [c for c in children[root] if records[c]["part"] == "shortcomings"]
    labels = [c for c in kids if children[c] and _LABEL_RE.match(records[c]["heading"])]
    if not labels:
        runs: list[list[int]] = []
        for c in kids:
            if not runs or records[c]["number"] in _FIRST_NUMBERS:
                runs.append([])
            runs[-1].append(c)
        kept = [run for i, run in enumerate(runs) if i == 0 or not _CAUSE_RE.match(_lead_in(records, root, run[0]))]
        return [c for run in kept for c in run]
    problem_labels = [c for c in labels if not _CAUSE_LABEL_RE.match(records[c]["heading"])]
    use = problem_labels or labels
    out: list[int] = []
    for c in kids:
        if c in labels:
            if c in use:
                out.extend(k for k in children[c] if records[k]["part"] == "shortcomings")
        else:
            out.append(c)
    return out


def extract_problems(sections: pd.DataFrame) -> pd.DataFrame:
    """One row per shortcoming item of each report's ``shortcomings`` part.

    Items are the sub-sections of the shortcomings part, whatever their form: (一)
    headings, 一是/二是 paragraphs, 1、 items, or items inline in one paragraph. Text
    before the first item (an intro such as "但也存在以下薄弱环节:") is not an item. Label
    sub-headings ("(一)存在的问题" with items below) are looked through; when both a
    problem list and a list of causes exist ("(二)原因分析", or a second list introduced
    by "原因:"/"究其原因,"/"产生这些问题的原因主要有:"), only the problems are items. A
    shortcomings part with no numbered sub-section gives one item per paragraph after its
    heading (or after an unnumbered label such as "存在的问题:"), the first paragraph left
    out when it is an intro, a paragraph of causes left out, a leading bullet ("——")
    dropped.

    Parameters
    ----------
    sections : pandas.DataFrame
        Output of :func:`parse_sections` (not modified).

    Returns
    -------
    pandas.DataFrame
        ``doc_id``; ``item`` (1..n within the report); ``text`` (the headline sentence,
        without enumerator and closing punctuation); ``body`` (the whole item: from the
        first character after its enumerator — and after any ``,:、`` following it — to
        its end, trailing whitespace and a trailing ``;,、`` separator dropped; it starts
        with ``text``); ``start`` and
        ``end`` with ``corpus_text[start:end] == body``.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["d"], "text": [
    ...     "一、主要举措和成效\\n加强领导。\\n二、存在的问题\\n但也存在以下不足:(一)队伍不足。人员少。(二)宣传单一。"]})
    >>> extract_problems(parse_sections(corpus))[["item", "text", "body"]].values.tolist()
    [[1, '队伍不足', '队伍不足。人员少。'], [2, '宣传单一', '宣传单一。']]
    """
    rows: list[tuple[Any, ...]] = []
    # Only top-level and shortcomings rows matter: a shortcomings section's parent is either
    # top-level or itself shortcomings (sub-sections inherit from their level-2 ancestor).
    # Only the text of shortcomings rows is read. (A missing part or level selects nothing.)
    short = (sections["part"] == "shortcomings").to_numpy(dtype=bool, na_value=False)
    top = (sections["level"] == 1).to_numpy(dtype=bool, na_value=False)
    needed = np.flatnonzero(top | short)
    docs = _docs(sections, ["doc_id", "part", "level", "number", "heading", "text", "start"], needed,
                 sparse={"text": short[needed]})
    for doc_id, records in docs.items():
        parent, children = _tree(records)
        roots = [
            i for i, rec in enumerate(records)
            if rec["part"] == "shortcomings"
            and (parent[i] < 0 or records[parent[i]]["part"] != "shortcomings")
        ]
        n = 0
        for root in roots:
            items = _problem_sections(records, children, root)
            if items:
                spans = [(records[c], _item_span(records[c])) for c in items]
            else:
                spans = [(records[root], span) for span in _paragraph_items(records[root])]
            for rec, (a, b) in spans:
                body = rec["text"][a:b]
                if not body:
                    continue
                m = _SENTENCE_END_RE.search(body)
                head = body[: m.start()] if m else body
                n += 1
                rows.append((doc_id, n, head.strip(), body, rec["start"] + a, rec["start"] + b))
    return _frame(rows, PROBLEM_COLUMNS, ints=("item", "start", "end"))


# --------------------------------------------------------------------------- cases


@dataclass(frozen=True)
class _CaseRules:
    verb: re.Pattern[str]
    party: re.Pattern[str]
    surnames: frozenset[str]
    org: re.Pattern[str]
    generic_words: tuple[str, ...]
    generic_chars: str
    address: re.Pattern[str]
    named_case: re.Pattern[str]


# A clause for the case rule: text between 。！？；!?; or line breaks, e.g. "妥善化解…10宗".
_CLAUSE_RE = re.compile(r"[^。!?;！？；\n]+")


@functools.lru_cache(maxsize=1)
def _case_rules() -> _CaseRules:
    """Compiled rules of ``resources/case_patterns.yaml`` (compiled once per process)."""
    d = _read_resource("case_patterns.yaml")
    verbs = "|".join(d["verbs"])
    suffixes = "|".join(sorted(d["org_suffixes"], key=len, reverse=True))
    return _CaseRules(
        # e.g. "化解" in "妥善化解日海智能科技股份公司劳资纠纷"
        verb=re.compile(f"(?:{verbs})"),
        # e.g. the "某" of "吴某", "蔡某某": not followed by another Chinese character other
        # than 与/和/及/等/的 (so 某些/某种 are not parties); the surname is checked before it
        party=re.compile("某某?(?:(?![\u4e00-\u9fff])|(?=[与和及等的]))"),
        surnames=frozenset(d["surnames"]),
        # the suffix of an organisation's name, e.g. "股份公司" in "日海智能科技股份公司"
        org=re.compile(f"(?:{suffixes})"),
        generic_words=tuple(sorted(d["generic_org_words"], key=len, reverse=True)),
        generic_chars=str(d["generic_org_chars"]),
        # e.g. "泰来里大街13号"
        address=re.compile(d["address"]),
        # e.g. "“12·5”系列案", "《某某》案件"
        named_case=re.compile(d["named_case"]),
    )


def _case_entity(clause: str, rules: _CaseRules) -> tuple[str, str] | None:
    """The specific entity named in a clause, as (entity, type), or None."""
    for m in rules.party.finditer(clause):
        if m.start() > 0 and clause[m.start() - 1] in rules.surnames:
            return clause[m.start() - 1 : m.end()], "anonymised_party"
    for m in rules.org.finditer(clause):
        # the name: the run of Chinese characters (at most 12) right before the suffix
        j = m.start()
        while j > 0 and m.start() - j < 12 and "\u4e00" <= clause[j - 1] <= "\u9fff":
            j -= 1
        name = clause[j : m.start()]
        if len(name) < 2 or name[-1] in rules.generic_chars or name.endswith(rules.generic_words):
            continue
        cut = [v.end() for v in rules.verb.finditer(name)]
        name = name[cut[-1] :] if cut and cut[-1] <= len(name) - 2 else name
        return name[-10:] + m.group(), "organisation"
    for m in rules.address.finditer(clause):
        # the street name: the run of Chinese characters (at most 6) before 路/街/…
        j = m.start()
        while j > 0 and m.start() - j < 6 and "\u4e00" <= clause[j - 1] <= "\u9fff":
            j -= 1
        if j == m.start():
            continue
        address = clause[j : m.end()]
        cut = [v.end() for v in rules.verb.finditer(address)]
        return (address[cut[-1] :] if cut else address), "address"
    m = rules.named_case.search(clause)
    if m:
        return m.group(), "named_case"
    return None


def extract_cases(corpus: pd.DataFrame) -> pd.DataFrame:
    """Clauses that name a concrete handled case (具体事例), with offsets.

    Rule (``analysis/resources/case_patterns.yaml``, which cites its sources): a clause —
    text between ``。！？；!?;`` or line breaks — is a concrete case when it has a handling
    verb (化解, 调处, 办结, 查处, 拆除, 达成共识 …) and names a specific matter: an
    anonymised party (吴某), an organisation with a proper name (日海智能科技股份公司, not
    物业公司), a street address with a house number (泰来里大街13号), or a quoted case name
    (“…”案). It answers 明天 (闽台关系研究 2017(6)), who found the reports 运用事例少:
    totals such as "化解矛盾纠纷966件" are not cases.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Needs ``doc_id`` and ``text`` (not modified).

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``start``, ``end`` (``text[start:end] == sentence``), ``sentence`` (the
        clause), ``verb`` (first handling verb), ``entity`` and ``entity_type``
        (``anonymised_party``, ``organisation``, ``address`` or ``named_case``).

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["d"], "text": [
    ...     "化解矛盾纠纷966件。妥善化解新园学校劳资纠纷,推动吴某与公司达成共识。"]})
    >>> extract_cases(corpus)[["sentence", "entity"]].values.tolist()
    [['妥善化解新园学校劳资纠纷,推动吴某与公司达成共识', '吴某']]
    """
    return _frame(_case_rows(corpus["doc_id"].tolist(), corpus["text"].tolist()), CASE_COLUMNS,
                  ints=("start", "end"))


def _case_rows(doc_ids: list[Any], texts: list[Any]) -> list[tuple[Any, ...]]:
    """The rows of :func:`extract_cases` (``CASE_COLUMNS``) for these reports."""
    rules = _case_rules()
    rows: list[tuple[Any, ...]] = []
    for doc_id, text in zip(doc_ids, texts):
        if pd.isna(text) or not text:
            continue
        text = str(text)
        for m in _CLAUSE_RE.finditer(text):
            clause = m.group()
            verb = rules.verb.search(clause)
            if verb is None:
                continue
            hit = _case_entity(clause, rules)
            if hit is None:
                continue
            a = m.start() + (len(clause) - len(clause.lstrip()))
            b = m.start() + len(clause.rstrip())
            rows.append((str(doc_id), a, b, text[a:b], verb.group(), hit[0], hit[1]))
    return rows


# --------------------------------------------------------------------------- compliance

_REGULATED = ("measures", "shortcomings", "leadership", "plans", "other")


@functools.lru_cache(maxsize=8192)  # pure; the same headings recur across reports
def _declared_other(heading: str) -> bool:
    rule = next(r for r in _part_rules().rules if r.part == "other")
    return any(p.search(heading) for p in rule.patterns)


def _part_segments(sections: pd.DataFrame) -> dict[str, list[tuple[int, int, str, str]]]:
    """Each report's text as consecutive ``(start, end, part, heading)`` segments: the
    top-level sections, with the level-2 sections whose part differs from their parent's
    (a promoted "(五)存在的问题", the "(二)下一步打算" of a combined heading) cut out as
    segments of their own part."""
    # plain lists of the level <= 2 rows, grouped by report and sorted by (start, level)
    # (as _docs, with tuples instead of a dict per row)
    keep = np.flatnonzero((sections["level"] <= 2).to_numpy(dtype=bool, na_value=False)).tolist()
    cols = [[col[i] for i in keep] for col in (
        sections[c].tolist() for c in ("doc_id", "start", "level", "end", "part", "heading"))]
    docs: dict[str, list[tuple[Any, ...]]] = {}
    for doc_id, record in zip(cols[0], zip(*cols[1:])):
        docs.setdefault(str(doc_id), []).append(record)
    out: dict[str, list[tuple[int, int, str, str]]] = {}
    for doc_id, records in docs.items():
        records.sort(key=operator.itemgetter(0, 1))
        segments: list[tuple[int, int, str, str]] = []
        top: tuple[Any, ...] | None = None  # (start, level, end, part, heading)
        cursor = 0
        for r in records:
            start, level, end, part, heading = r
            if level == 1:
                if top is not None and cursor < top[2]:
                    segments.append((cursor, top[2], top[3], top[4]))
                top, cursor = r, start
            elif top is not None and part != top[3] and start >= cursor:
                if cursor < start:
                    segments.append((cursor, start, top[3], top[4]))
                segments.append((start, end, part, heading))
                cursor = end
        if top is not None and cursor < top[2]:
            segments.append((cursor, top[2], top[3], top[4]))
        out[doc_id] = segments
    return out


def _structure_scores(sections: pd.DataFrame) -> dict[str, tuple[Any, ...]]:
    """Presence, order and shares of the parts per report: ``doc_id`` -> (``has_*`` in
    _REGULATED order, ``n_parts``, ``part_order``, ``in_order`` (None: no part), ``share_*``
    in PARTS order)."""
    order = {p: i for i, p in enumerate(_part_rules().order)}
    out: dict[str, tuple[Any, ...]] = {}
    for doc_id, segments in _part_segments(sections).items():
        total = sum(b - a for a, b, _, _ in segments)
        chars = dict.fromkeys(PARTS, 0)
        seq: list[str] = []
        for a, b, part, heading in segments:
            chars[part] += b - a
            if part == "preamble" or (part == "other" and not _declared_other(heading)):
                continue
            if not seq or seq[-1] != part:
                seq.append(part)
        ranks = [order[p] for p in seq]
        out[doc_id] = (
            tuple(p in seq for p in _REGULATED),
            len(set(seq)),
            ">".join(seq),
            all(a < b for a, b in zip(ranks, ranks[1:])) if seq else None,
            tuple(chars[p] / total if total else float("nan") for p in PARTS),
        )
    return out


def compliance(
    corpus: pd.DataFrame,
    sections: pd.DataFrame,
    *,
    indicators: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Score each report against the 2019 督察工作规定 and the published criticisms.

    Criteria and sources:

    * **Parts present** (``has_measures``, ``has_shortcomings``, ``has_leadership``,
      ``has_plans``, ``has_other``): art. 25 of 《法治政府建设与责任落实督察工作规定》
      (2019) lists five contents (see ``analysis/resources/parts.yaml``). A part is
      present when a top-level section carries it (:func:`parse_sections`), or a level-2
      section whose part differs from its parent's (a promoted "(五)存在的问题", the
      "(二)下一步打算" of a combined "存在的问题及下一步打算"); ``other
      counts only a section headed 其他需要报告的情况 (or similar), not an unclassifiable
      one — art. 25 (五) is "if any". ``n_parts`` counts them.
    * **Order** (``part_order``, ``in_order``): the parts as they follow each other
      (preamble and unclassifiable sections left out, repeats collapsed), and whether that
      follows art. 25's order 举措和成效 > 不足和原因 > 第一责任人 > 下一年度安排 > 其他, each
      part in one block; missing parts do not break the order. NA when no part is found.
    * **Shares** (``share_preamble`` … ``share_other``): characters of each part (the
      top-level sections, with such level-2 sections counted for their own part; see
      :func:`part_shares`) over the report's characters (they sum to 1) — the balance the
      studies discuss (a shortcomings part of a few lines).
    * **Publication** (``deadline``, ``publication``): art. 24 — reports are made public
      "每年4月1日之前": ``on_time`` if ``publish_date`` is before 1 April of
      ``report_year`` + 1, ``late`` if not, ``unknown`` without a date or year (CASS's
      yearly assessments score the same rule). Computed by
      :func:`analysis.corpus.publication_timeliness`.
    * **Figures** (``n_figures``, ``figures_per_1k``): stated quantities per 1,000
      characters, from the rows of ``indicators`` (default:
      :func:`analysis.indicators.extract_indicators` on the corpus) — how far a report
      substantiates its claims with numbers.
    * **Concrete cases** (``n_cases``, ``cases_per_1k``): clauses naming a handled case per
      1,000 characters (rule in :func:`extract_cases`), after 明天 (闽台关系研究 2017(6)),
      who found the reports 结构不统一、运用事例少、公布不及时.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Needs ``doc_id`` and ``text``; ``report_year`` and ``publish_date`` are used when
        present (else publication is ``unknown``). Not modified.
    sections : pandas.DataFrame
        Output of :func:`parse_sections` on that corpus.
    indicators : pandas.DataFrame, optional
        One row per stated quantity with a ``doc_id`` column. None computes it with
        :func:`analysis.indicators.extract_indicators`.

    Returns
    -------
    pandas.DataFrame
        One row per report of ``corpus``, in its order: ``doc_id``, ``has_*`` (five
        booleans), ``n_parts``, ``part_order``, ``in_order`` (nullable boolean),
        ``share_*`` (six floats), ``report_year``, ``publish_date``, ``deadline``,
        ``publication``, ``n_chars``, ``n_figures``, ``figures_per_1k``, ``n_cases``,
        ``cases_per_1k``.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["d"], "report_year": [2023],
    ...     "publish_date": pd.to_datetime(["2024-03-27"]), "text": [
    ...     "一、主要举措和成效\\n妥善化解新园学校劳资纠纷。\\n二、存在的不足\\n宣传单一。\\n三、下一年度安排\\n加强培训。"]})
    >>> ind = pd.DataFrame({"doc_id": ["d", "d"]})
    >>> row = compliance(corpus, parse_sections(corpus), indicators=ind).iloc[0]
    >>> row["part_order"], bool(row["in_order"]), row["publication"], int(row["n_cases"])
    ('measures>shortcomings>plans', True, 'on_time', 1)
    """
    from analysis.corpus import publication_timeliness

    if indicators is None:
        try:
            from analysis.indicators import extract_indicators
        except ImportError as exc:  # pragma: no cover - depends on the installed package
            raise ImportError(
                "compliance() needs analysis.indicators.extract_indicators to count figures; "
                "pass indicators=<a table with a doc_id column> instead."
            ) from exc
        indicators = extract_indicators(corpus, sections)

    # Every column is built as a plain array and the table once at the end (a merge and
    # a cast per column cost more than the work on a chunk of a few dozen reports).
    doc_ids = corpus["doc_id"].astype("string").to_numpy()  # object: str, or NA
    texts = corpus["text"].fillna("").astype(str).to_numpy()
    n_chars = np.array([len(t) for t in texts], dtype=np.int64)

    # each report's scores by its doc_id (as a left merge on doc_id: NA matches nothing)
    scores = _structure_scores(sections)
    found = [scores.get(d) if isinstance(d, str) else None for d in doc_ids]
    # the doc_id column as a left merge of the reports ("str", NA as NaN) with the scores
    # ("string") gives it: object, or unchanged when there are no scores
    ids = pd.DataFrame({"doc_id": doc_ids})["doc_id"]
    data: dict[str, Any] = {"doc_id": ids.astype(object) if scores else ids}
    for j, p in enumerate(_REGULATED):
        data[f"has_{p}"] = np.array([f[0][j] if f else False for f in found], dtype=bool)
    data["n_parts"] = np.array([f[1] if f else 0 for f in found], dtype=np.int64)
    data["part_order"] = pd.array([f[2] if f else "" for f in found], dtype="string")
    data["in_order"] = pd.array([f[3] if f else None for f in found], dtype="boolean")
    for j, p in enumerate(PARTS):
        data[f"share_{p}"] = np.array([f[4][j] if f else np.nan for f in found], dtype=np.float64)

    timing_in = pd.DataFrame({
        "doc_id": doc_ids,
        "report_year": corpus["report_year"].to_numpy() if "report_year" in corpus else pd.NA,
        "publish_date": pd.to_datetime(corpus["publish_date"]).to_numpy()
        if "publish_date" in corpus else pd.NaT,
    })
    timing = publication_timeliness(timing_in)
    data["report_year"] = pd.array(pd.to_numeric(timing["report_year"], errors="coerce"), dtype="Int64")
    data["publish_date"] = pd.to_datetime(timing["publish_date"]).array
    data["deadline"] = pd.to_datetime(timing["deadline"]).array
    data["publication"] = timing["timeliness"].astype("string").to_numpy()  # inferred: "str"

    data["n_chars"] = n_chars
    per_k = np.full(len(n_chars), np.nan)
    np.divide(1000.0, n_chars, out=per_k, where=n_chars > 0)
    # counts per doc_id (as value_counts mapped on the doc_id: NA counts nothing)
    fig_counts = indicators["doc_id"].astype("string").value_counts().to_dict()
    n_figures = np.array([fig_counts.get(d, 0) if isinstance(d, str) else 0 for d in doc_ids], dtype=np.int64)
    data["n_figures"] = n_figures
    data["figures_per_1k"] = n_figures * per_k
    case_counts = collections.Counter(row[0] for row in _case_rows(corpus["doc_id"].tolist(), texts.tolist()))
    n_cases = np.array([case_counts.get(d, 0) if isinstance(d, str) else 0 for d in doc_ids], dtype=np.int64)
    data["n_cases"] = n_cases
    data["cases_per_1k"] = n_cases * per_k
    return pd.DataFrame(data)


# --------------------------------------------------------------------------- figures

#: Legend labels of the parts: English with the Chinese wording of art. 25.
PART_LABELS: dict[str, str] = {
    "preamble": "preamble 开篇",
    "measures": "measures 举措和成效",
    "leadership": "leadership 第一责任人职责",
    "shortcomings": "shortcomings 不足和原因",
    "plans": "plans 下一年度安排",
    "other": "other 其他",
}
_MAX_LABELLED = 60
_PART_COLORS = {
    "preamble": "#bdbdbd",
    "measures": "#4c78a8",
    "leadership": "#72b7b2",
    "shortcomings": "#e45756",
    "plans": "#54a24b",
    "other": "#eeca3b",
}


def part_shares(sections: pd.DataFrame) -> pd.DataFrame:
    """Share of each report's characters per part, one row per report.

    The parts of the top-level sections, except that a level-2 section whose part differs
    from its parent's (a promoted "(五)存在的问题", the "(二)下一步打算" under a combined
    "存在的问题及下一步打算") counts for its own part — as in :func:`compliance`.

    Returns
    -------
    pandas.DataFrame
        Index ``doc_id`` (reports in order of appearance), one float column per part of
        :data:`PARTS`; rows sum to 1.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["d"], "text": ["一、主要成效\\nabc\\n二、存在问题\\nd"]})
    >>> part_shares(parse_sections(corpus)).round(2).values.tolist()
    [[0.0, 0.58, 0.0, 0.42, 0.0, 0.0]]
    """
    segments = _part_segments(sections)
    table = pd.DataFrame(
        [[float(sum(b - a for a, b, part, _ in segs if part == p)) for p in PARTS] for segs in segments.values()],
        index=pd.Index(list(segments), name="doc_id", dtype="string"),
        columns=list(PARTS),
        dtype="float64",
    )
    totals = table.sum(axis=1)
    table = table.div(totals.where(totals > 0), axis=0)
    table.columns.name = None
    return table


def plot_part_shares(
    sections: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    title: str | None = "Share of each report by regulated part (art. 25)",
) -> Figure:
    """Stacked horizontal bars: the share of each report's text in each regulated part.

    Parameters
    ----------
    sections : pandas.DataFrame
        Output of :func:`parse_sections`.
    labels : mapping, optional
        ``doc_id`` -> label shown on the axis (e.g. the issuer); default the ``doc_id``.
    title : str, optional
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        One bar per report (first report on top; more than 60 reports are drawn as thin
        unlabelled bars), parts in art. 25 order, legend with
        the Chinese wording of each part.
    """
    from matplotlib.figure import Figure

    from analysis.plots.fonts import use_cjk_font

    use_cjk_font()
    shares = part_shares(sections).fillna(0.0)
    n = len(shares)
    # one labelled bar per report up to `_MAX_LABELLED` reports; beyond, thin unlabelled bars
    fig = Figure(figsize=(9, min(1.6 + 0.45 * max(n, 1), 14.0)), layout="constrained")
    ax = fig.subplots()
    names = [labels.get(d, d) if labels else d for d in shares.index]
    y = list(range(n))[::-1]
    left = [0.0] * n
    edge = 0.5 if n <= _MAX_LABELLED else 0.0
    for part in PARTS:
        values = shares[part].tolist() if n else []
        ax.barh(y, values, left=left, height=0.8 if n <= _MAX_LABELLED else 1.0,
                color=_PART_COLORS[part], label=PART_LABELS[part], edgecolor="white", linewidth=edge)
        left = [a + b for a, b in zip(left, values)]
    if n <= _MAX_LABELLED:
        ax.set_yticks(y, names)
    else:
        ax.set_yticks([])
        ax.set_ylabel(f"{n} reports, in corpus order")
    ax.set_ylim(-0.6, max(n, 1) - 0.4)
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of the report's characters")
    ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:.0%}")
    if title:
        ax.set_title(title)
    fig.legend(loc="outside lower center", ncol=3, frameon=False)
    return fig
