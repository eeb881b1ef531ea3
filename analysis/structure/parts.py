"""Regulated parts: the five contents of art. 25 and how headings are classified.

Art. 25 of the 2019 《法治政府建设与责任落实督察工作规定》 (厅字〔2019〕28号) fixes what an
annual rule-of-law government report contains: 主要举措和成效 ("measures and effects"),
存在的不足和原因 ("shortcomings and their causes"), 党政主要负责人履行推进法治建设第一责任人
职责情况 ("how the leaders discharged their duty as first responsible persons"), 下一年度
主要安排 ("plans for the next year") and 其他需要报告的情况 ("other matters").

* the rules (``analysis/resources/parts.yaml``): :func:`part_rules` (a table, for citing
  them) and :func:`part_rule_set` (compiled), :func:`classify_heading`,
  :func:`promoted_part`, :func:`label_part`, :func:`declared_other`;
* per report, from the sections table: :func:`part_shares` (characters per part) and
  :func:`part_profiles` (parts present, their order, their shares — what
  :func:`analysis.checks.compliance` scores).
"""

from __future__ import annotations

import functools
import importlib.resources
import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import yaml
from analysis.ids import doc_id_table

__all__ = [
    "MAX_LABEL_LEN",
    "PARTS",
    "PART_LABELS",
    "REGULATED_PARTS",
    "PartProfile",
    "PartRule",
    "PartRules",
    "classify_heading",
    "declared_other",
    "label_part",
    "part_profiles",
    "part_rule_set",
    "part_rules",
    "part_shares",
    "promoted_part",
    "read_resource",
]

#: Every value of the ``part`` column, in the order tables and figures use.
PARTS: tuple[str, ...] = ("preamble", "measures", "leadership", "shortcomings", "plans", "other")
#: The regulated parts of art. 25 (every part but ``preamble``), in the order of the
#: ``has_*`` columns of :func:`analysis.checks.compliance`.
REGULATED_PARTS: tuple[str, ...] = ("measures", "shortcomings", "leadership", "plans", "other")

#: Legend labels of the parts: English with the Chinese wording of art. 25.
PART_LABELS: dict[str, str] = {
    "preamble": "preamble 开篇",
    "measures": "measures 举措和成效",
    "leadership": "leadership 第一责任人职责",
    "shortcomings": "shortcomings 不足和原因",
    "plans": "plans 下一年度安排",
    "other": "other 其他",
}

# Longest unnumbered part label, e.g. "党政主要负责人履行推进法治建设第一责任人职责情况" (24).
MAX_LABEL_LEN = 40


@dataclass(frozen=True)
class PartRule:
    """The compiled rules of one part in ``parts.yaml`` (see :func:`part_rules` for their kinds)."""

    part: str
    patterns: tuple[re.Pattern[str], ...]
    promote: tuple[re.Pattern[str], ...]
    labels: tuple[re.Pattern[str], ...]
    intro: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class PartRules:
    """Every part's rules (in file order), art. 25's order of the parts, and the patterns
    that find unnumbered part headings in a text."""

    order: tuple[str, ...]
    rules: tuple[PartRule, ...]
    # per part: a line that is a label, alone or before a colon, e.g. "存在的问题:一是…"; a
    # match starts at a line start and is never empty (see part_rule_set)
    label_lines: dict[str, re.Pattern[str]]
    # per part: a paragraph opened by an intro (searched in the line; the caller checks where)
    intro_lines: dict[str, re.Pattern[str]]


def read_resource(name: str) -> dict[str, Any]:
    """A YAML file of ``analysis/resources`` (e.g. ``"parts.yaml"``), parsed."""
    ref = importlib.resources.files("analysis") / "resources" / name
    with ref.open("r", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@functools.lru_cache(maxsize=1)
def part_rule_set() -> PartRules:
    """The compiled rules of ``resources/parts.yaml`` (compiled once per process)."""
    data = read_resource("parts.yaml")
    rules = tuple(
        PartRule(
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
    # "^(?=[^\n])": a match starts at a line start and takes at least one character of the
    # line (so it is never empty, which lets sections.py try these patterns at line
    # starts only), e.g. "存在的问题:一是…" or "  下一步工作打算"
    label_lines = {
        r.part: re.compile(
            rf"^(?=[^\n]){space}(?P<label>{'|'.join(f'(?:{p.pattern})' for p in r.labels)}){space}(?:[:：][^\n]*)?$", re.M
        )
        for r in rules if r.labels
    }
    intro_lines = {r.part: re.compile("|".join(f"(?:{p.pattern})" for p in r.intro)) for r in rules if r.intro}
    return PartRules(order=tuple(data["order"]), rules=rules, label_lines=label_lines, intro_lines=intro_lines)


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
    data = read_resource("parts.yaml")
    rows = [
        (e["part"], e.get("label_zh", ""), e.get("article_25", ""), kind, p)
        for e in data["parts"]
        for kind in ("pattern", "promote", "label", "intro")
        for p in e.get({"pattern": "patterns", "label": "labels"}.get(kind, kind), [])
    ]
    return pd.DataFrame(rows, columns=["part", "label_zh", "article_25", "kind", "pattern"])


@functools.lru_cache(maxsize=8192)  # pure; the same headings recur across reports
def classify_heading(heading: str) -> tuple[str | None, frozenset[str]]:
    """Part of a top-level heading (earliest match wins) and every part that matched.

    >>> part, matched = classify_heading("存在的问题及下一步打算")
    >>> part, sorted(matched)
    ('shortcomings', ['plans', 'shortcomings'])
    >>> classify_heading("深入学习贯彻习近平法治思想")
    (None, frozenset())
    """
    best: tuple[int, int, str] | None = None
    matched: set[str] = set()
    for priority, rule in enumerate(part_rule_set().rules):
        for pattern in rule.patterns:
            m = pattern.search(heading)
            if m is None:
                continue
            matched.add(rule.part)
            key = (m.start(), priority, rule.part)
            if best is None or key < best:
                best = key
    return (best[2] if best else None), frozenset(matched)


def promoted_part(heading: str, missing: Iterable[str]) -> str | None:
    """Part a level-2 heading opens when that part has no top-level section."""
    for rule in part_rule_set().rules:
        if rule.part in missing and any(p.search(heading) for p in rule.promote):
            return rule.part
    return None


def label_part(line: str, parts: Iterable[str]) -> tuple[str, int] | None:
    """(part, length of the label) when ``line`` is an unnumbered heading of one of
    ``parts``: the whole line (a trailing colon allowed) or its start up to a colon.

    >>> label_part("存在的问题", ["shortcomings"]), label_part("下一步工作打算:一是…", ["plans"])
    (('shortcomings', 5), ('plans', 7))
    >>> label_part("存在的问题得到整改。", ["shortcomings"]) is None
    True
    """
    wanted = set(parts)
    stripped = line.strip()
    whole = stripped.rstrip(" :：")
    colon = min((i for i in (stripped.find(":"), stripped.find("：")) if i > 0), default=-1)
    heads = []
    if 0 < len(whole) <= MAX_LABEL_LEN:
        heads.append(whole)
    if 0 < colon <= MAX_LABEL_LEN:
        heads.append(stripped[:colon].rstrip())
    for head in heads:
        for rule in part_rule_set().rules:
            if rule.part in wanted and any(p.fullmatch(head) for p in rule.labels):
                return rule.part, len(head)
    return None


@functools.lru_cache(maxsize=8192)  # pure; the same headings recur across reports
def declared_other(heading: str) -> bool:
    """True if a heading names the ``other`` part itself (其他需要报告的情况), rather than
    being unclassifiable.

    >>> declared_other("其他需要报告的情况"), declared_other("深入学习贯彻习近平法治思想")
    (True, False)
    """
    rule = next(r for r in part_rule_set().rules if r.part == "other")
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


class PartProfile(NamedTuple):
    """The parts of one report, as :func:`part_profiles` finds them."""

    #: whether each part of :data:`REGULATED_PARTS` is present, in that order
    present: tuple[bool, ...]
    #: how many regulated parts are present
    n_parts: int
    #: the parts as they follow each other, e.g. ``"measures>shortcomings>plans"``
    part_order: str
    #: whether that follows art. 25's order (None when no part is present)
    in_order: bool | None
    #: each part's share of the report's characters, in :data:`PARTS` order
    shares: tuple[float, ...]


def part_profiles(sections: pd.DataFrame) -> dict[str, PartProfile]:
    """Presence, order and shares of the regulated parts, per report.

    The parts are those of the top-level sections, with the level-2 sections whose part
    differs from their parent's counted for their own part (see :func:`part_shares`). The
    preamble and unclassifiable ``other`` sections (not headed 其他需要报告的情况) are no
    part; repeats of a part are collapsed in ``part_order``.

    Parameters
    ----------
    sections : pandas.DataFrame
        Output of :func:`analysis.structure.parse_sections` (not modified).

    Returns
    -------
    dict
        ``doc_id`` -> :class:`PartProfile`, reports in order of appearance.

    Examples
    --------
    >>> from analysis.structure import parse_sections
    >>> corpus = pd.DataFrame({"doc_id": ["d"], "text": ["一、主要成效\\nabc\\n二、存在问题\\nd"]})
    >>> p = part_profiles(parse_sections(corpus))["d"]
    >>> p.part_order, p.in_order, p.n_parts
    ('measures>shortcomings', True, 2)
    """
    order = {p: i for i, p in enumerate(part_rule_set().order)}
    out: dict[str, PartProfile] = {}
    for doc_id, segments in _part_segments(sections).items():
        total = sum(b - a for a, b, _, _ in segments)
        chars = dict.fromkeys(PARTS, 0)
        seq: list[str] = []
        for a, b, part, heading in segments:
            chars[part] += b - a
            if part == "preamble" or (part == "other" and not declared_other(heading)):
                continue
            if not seq or seq[-1] != part:
                seq.append(part)
        ranks = [order[p] for p in seq]
        out[doc_id] = PartProfile(
            tuple(p in seq for p in REGULATED_PARTS),
            len(set(seq)),
            ">".join(seq),
            all(a < b for a, b in zip(ranks, ranks[1:])) if seq else None,
            tuple(chars[p] / total if total else float("nan") for p in PARTS),
        )
    return out


@doc_id_table
def part_shares(sections: pd.DataFrame) -> pd.DataFrame:
    """Share of each report's characters per part, one row per report.

    The parts of the top-level sections, except that a level-2 section whose part differs
    from its parent's (a promoted "(五)存在的问题", the "(二)下一步打算" under a combined
    "存在的问题及下一步打算") counts for its own part — as in :func:`part_profiles`.

    Parameters
    ----------
    sections : pandas.DataFrame
        Output of :func:`analysis.structure.parse_sections` (not modified).

    Returns
    -------
    pandas.DataFrame
        Index ``doc_id`` (reports in order of appearance), one float column per part of
        :data:`PARTS`; rows sum to 1.

    Examples
    --------
    >>> from analysis.structure import parse_sections
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
