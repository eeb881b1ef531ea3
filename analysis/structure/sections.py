"""The sections table: each report's heading tree, every section labelled with its part.

:func:`parse_sections` builds the numbered outline (:mod:`analysis.structure.headings`),
adds the unnumbered part headings the outline lacks, and classifies the top-level
headings into the regulated parts (:mod:`analysis.structure.parts`).

Unnumbered part headings (``label`` sections, ``number`` ``""``): when the numbered
outline lacks a regulated part, a line that names it is read as a top-level heading —
a standalone label such as "存在的问题" or "下一步工作打算", a label with a colon opening a
paragraph ("存在的问题:一是…"), a concessive paragraph confessing shortcomings that
introduces items ("…取得积极成效,但还存在一些不足:一是…"), or, after the
shortcomings, a paragraph opening the plans ("下一步,我县将…"). The label rules are in
``analysis/resources/parts.yaml`` (``labels``, ``intro``). A report with no numbered
heading is split at standalone or colon labels only; with none either, it is one
``other`` section (and a :class:`StructureWarning`).

All ``start``/``end`` offsets are positions in the corpus ``text`` column
(``text[start:end]``), as everywhere in the package.
"""

from __future__ import annotations

import bisect
import itertools
import re
import warnings
from collections.abc import Iterable
from typing import Any

import pandas as pd

from analysis.structure.headings import (
    CIRCLED_RE,
    HEADING_AT_START_RE,
    HEADING_RE,
    LINE_STYLES,
    RUNNING_STYLES,
    Node,
    assign_ends,
    build_tree,
    end_of_line,
    heading_candidates,
    headline_at,
    signature_start,
    start_of_line,
)
from analysis.structure.parts import (
    MAX_LABEL_LEN,
    PARTS,
    REGULATED_PARTS,
    classify_heading,
    declared_other,
    label_part,
    part_rule_set,
    promoted_part,
)
from analysis.structure.tables import table_from_columns
from analysis.ids import doc_id_table

__all__ = ["SECTION_COLUMNS", "StructureWarning", "parse_sections"]

SECTION_COLUMNS = ["doc_id", "part", "level", "number", "path", "heading", "text", "start", "end"]


class StructureWarning(UserWarning):
    """A report whose structure could not be read.

    Issued (once per call, listing the ``doc_id`` values) by :func:`parse_sections` when a
    non-empty report has no recognisable heading: it is then returned as one ``other``
    section spanning the whole text, so nothing is dropped. Filter it with
    ``warnings.filterwarnings("ignore", category=StructureWarning)`` once you have
    looked at those reports.
    """


# A year opening a heading or paragraph, e.g. "2024年重点工作", "在2024年".
_LEAD_YEAR_RE = re.compile(r"\s*(?:在)?((?:19|20)\d{2})\s*年")
# The whitespace opening a line, e.g. the "  " of "  存在的问题" (what str.strip strips).
_LEAD_SPACE_RE = re.compile(r"\s*")
# A year in running text, e.g. "2023年,": not one end of a range such as "2021-2025年".
_YEAR_RE = re.compile(r"(?<![0-9\-—–~至])((?:19|20)\d{2})\s*年(?!\s*[-—–~至])")
# Text whose years are not the year covered: 《titles》 and (brackets), e.g. "(2021-2025年)".
_MASK_RE = re.compile(r"《[^《》\n]*》|[(（][^()（）\n]*[)）]")
# First sentence of a paragraph, up to 。 or a colon (included), e.g. "…但还存在一些不足:".
_FIRST_SENTENCE_RE = re.compile(r"[^。!?！？:：]*[。!?！？:：]?")


def _lead_year(heading: str, start: int = 0, end: int | None = None) -> int | None:
    """Year a heading or paragraph starts with: "2024年重点工作" -> 2024 (the paragraph
    ``heading[start:end]`` when given, read in place)."""
    m = _LEAD_YEAR_RE.match(heading, start, len(heading) if end is None else end)
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


def _top_parts(nodes: list[Node]) -> set[str]:
    """Parts the outline carries: top-level parts (``other`` only when declared as such)
    and level-2 sections re-classified or promoted away from their parent's part."""
    present = set()
    for nd in nodes:
        if nd.level == 1 and (nd.part != "other" or nd.forced or declared_other(nd.heading)):
            present.add(nd.part)
        elif nd.level == 2 and nd.part != nodes[nd.parent].part:
            present.add(nd.part)
    return present


def _find_labels(
    text: str, nodes: list[Node], limit: int, covered: int | None
) -> list[tuple[int, str, int]]:
    """Unnumbered headings of the parts the numbered outline ``nodes`` lacks, as
    ``(start, part, heading length or -1)`` (rules: ``labels`` and ``intro`` in
    parts.yaml; -1: an intro paragraph, whose heading is its first sentence). Where no
    一、/第一部分 heads the outline (none at all, or lists of (一)/1./一是 only), the labels
    of every part; intros only in a numbered outline, never in its preamble. At most one
    heading per part, the first found."""
    rules = part_rule_set()
    numbered = bool(nodes)
    if numbered:
        present = _top_parts(nodes)
        missing = [p for p in ("shortcomings", "leadership", "plans", "other") if p not in present]
        begin = end_of_line(text, nodes[0].start) + 1  # never in the preamble nor on the first heading line
        flaws = [nd.start for nd in nodes if nd.part == "shortcomings"]
        if begin > len(text):
            return []
    else:
        missing, begin, flaws = list(REGULATED_PARTS), 0, []
    # labels of every part where no 一、/第一部分 heads the outline: the numbered lists are
    # then items under unnumbered part headings ("存在问题\n(一)…\n下一步打算\n(一)…")
    strong = any(nd.level == 1 and nd.style in LINE_STYLES for nd in nodes)
    label_parts = missing if strong else list(REGULATED_PARTS)
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
                if m.end("label") - m.start("label") <= MAX_LABEL_LEN:
                    events.append((m.start("label"), rank, rule.part, m.end("label") - m.start("label")))
        intro = rules.intro_lines.get(rule.part)
        if intro is not None and rule.part in intro_parts:
            for m in intro.finditer(text, begin, limit):
                line_start = start_of_line(text, m.start())
                events.append((line_start, len(rules.rules) + rank, rule.part, -1 - m.start()))
    events.sort()
    top = [nd for nd in nodes if nd.level == 1]
    top_starts = [nd.start for nd in top]
    top_set = set(top_starts)
    out: list[tuple[int, str, int]] = []
    taken = -1
    found: set[str] = set()
    for line_start, _, part, n in events:
        if part in found or line_start == taken:
            continue
        # the line is read in place (a copy of it per event would cost its length each time)
        line_end = end_of_line(text, line_start)
        body = _LEAD_SPACE_RE.match(text, line_start, line_end).end()  # type: ignore[union-attr]
        lead = body - line_start
        if body == line_end or HEADING_AT_START_RE.match(text, line_start, line_end) or CIRCLED_RE.match(
            text, body, line_end
        ):
            continue  # an empty or a numbered line
        if n < 0:  # an intro: its match starts at -1 - n
            at = -1 - n
            if part == "shortcomings":
                if _within(top, top_starts, line_start, ("plans", "leadership", "other")) or not _confesses(
                    text, line_start, at, limit, top_set
                ):
                    continue
            else:  # plans: at the start of a paragraph after the shortcomings
                if at != line_start + lead or not any(f < line_start for f in flaws):
                    continue
                year = _lead_year(text, line_start, line_end)
                if year is not None and not (covered and year > covered):
                    continue
            n = -1
        elif covered and part == "measures" and (_lead_year(text, line_start, line_end) or 0) > covered:
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


def _line_matches(
    pattern: re.Pattern[str], text: str, pos: int, endpos: int, line_starts: list[int]
) -> Iterable[re.Match[str]]:
    """``pattern.finditer(text, pos, endpos)`` for a pattern that matches only at a line
    start and never matches the empty string (the ``label_lines`` of
    :func:`~analysis.structure.parts.part_rule_set`, built so): tried at the line starts
    only, instead of at every character (where ``^`` fails). With no empty match, finditer
    goes on from the end of each match, as this does."""
    for start in line_starts[bisect.bisect_left(line_starts, pos):]:
        if start >= endpos:
            return
        if start < pos:  # inside the previous match
            continue
        m = pattern.match(text, start, endpos)
        if m is not None:
            yield m
            pos = m.end()


def _within(top: list[Node], starts: list[int], pos: int, parts: tuple[str, ...]) -> bool:
    """True if offset ``pos`` lies in a top-level section of one of ``parts`` (``top``: the
    top-level nodes in text order, ``starts`` their starts)."""
    i = bisect.bisect_right(starts, pos)
    return bool(i) and top[i - 1].part in parts


def _confesses(text: str, pos: int, at: int, limit: int, top_starts: set[int]) -> bool:
    """True if the paragraph at ``pos`` opens the shortcomings: the confession found at
    ``at`` (``intro`` in parts.yaml, e.g. "…但还存在一些不足:") lies in its first sentence
    and items follow (an enumerator after it or at the start of the next line, or a colon
    ending the sentence), or it is the last paragraph before a top-level heading."""
    end = end_of_line(text, pos)
    m = _FIRST_SENTENCE_RE.match(text, pos, end)
    if m is None or at >= m.end():
        return False
    if HEADING_RE.search(text, at, end) is not None or m.group().endswith((":", "：")):
        return True
    nxt = end + 1
    if nxt >= limit or nxt in top_starts:
        return True
    m = HEADING_AT_START_RE.match(text, nxt)
    return m is not None and m.lastgroup not in ("cn", "bu")


def _assign_parts(nodes: list[Node], covered: int | None = None) -> None:
    """Classify top-level headings (resources/parts.yaml) and let sub-sections inherit."""
    top = [i for i, nd in enumerate(nodes) if nd.level == 1]
    matched_sets: dict[int, frozenset[str]] = {}
    for i in top:
        nd = nodes[i]
        if nd.style == "label":
            part, matched = nd.forced, frozenset({nd.forced})
        elif nd.style in RUNNING_STYLES:
            hit = label_part(nd.heading, PARTS)
            part, matched = (hit[0], frozenset({hit[0]})) if hit else (None, frozenset())
        else:
            part, matched = classify_heading(nd.heading)
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
                own, _ = classify_heading(nd.heading)
                if own in combined:
                    nd.part = own
            elif missing and parent.part != "preamble":
                promoted = promoted_part(nd.heading, missing)
                if promoted:
                    nd.part = promoted


def _heading_of(text: str, nodes: list[Node], i: int) -> str:
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
        line_end = min(end_of_line(text, nd.start), end)
        colon = min((j for j in (text.find(":", nd.start, line_end), text.find("：", nd.start, line_end)) if j >= 0),
                    default=line_end)
        end = min(end, colon)
    heading = headline_at(text, nd.body, end).rstrip(" :：,，、")
    if not heading and line_end < 0:
        line_end = min(end_of_line(text, nd.start), end)  # (``end`` unchanged: not a label)
    if not heading and line_end < nd.end:
        nxt = line_end + 1
        nxt_end = min(end_of_line(text, nxt), nd.end)
        if nxt_end - nxt <= MAX_LABEL_LEN and not HEADING_AT_START_RE.match(text, nxt):
            heading = headline_at(text, nxt, nxt_end).rstrip(" :：,，、")
    return heading


def _outline(
    text: str, sig: int, labels: Iterable[tuple[int, str, int]], covered: int | None,
    candidates: list[tuple[int, int, str, int, str, bool]] | None = None,
) -> list[Node]:
    nodes = build_tree(text, sig, labels, candidates)
    if nodes:
        assign_ends(text, nodes, sig)
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
    sig = signature_start(text)
    covered = report_year or _covered_year(text)
    candidates = heading_candidates(text)
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


@doc_id_table
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
            stacklevel=3,  # the caller, past doc_id_table
        )
    return table_from_columns(dict(zip(SECTION_COLUMNS, values)), SECTION_COLUMNS, ints=("level", "start", "end"))
