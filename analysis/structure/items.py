"""Items of a regulated part: the shortcoming items, and the items of the plans (or any) part.

* :func:`extract_problems` — one row per shortcoming item (存在的不足和原因), found on the
  heading tree of :func:`analysis.structure.parse_sections`;
* :func:`part_items` / :func:`plan_items` — the items of the ``plans`` part (下一年度主要安排)
  or of any other part, on the sections table alone (span containment), as
  :func:`analysis.problems.follow_through` needs them.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from analysis.structure.headings import AFTER_MARKER, HEADING_AT_START_RE, SENTENCE_END_RE, start_of_line
from analysis.structure.tables import table_from_rows
from analysis.ids import doc_id_table

__all__ = ["PROBLEM_COLUMNS", "extract_problems", "part_items", "plan_items"]

PROBLEM_COLUMNS = ["doc_id", "item", "text", "body", "start", "end"]

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


# --------------------------------------------------------------------------- shortcoming items


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
    m = HEADING_AT_START_RE.match(text)
    if m is not None:
        i = m.end()
    else:  # a circled number, possibly indented
        i = len(text) - len(text.lstrip(" \t\u3000\xa0")) + len(rec["number"])
    while i < len(text) and text[i] in AFTER_MARKER:
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
            while a < b and text[a] in AFTER_MARKER:
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
    line_start = start_of_line(text, local)
    prefix = text[line_start:local]
    if not prefix.strip() and line_start > 0:
        prefix = text[start_of_line(text, line_start - 1) : line_start]
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


@doc_id_table
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
        Output of :func:`analysis.structure.parse_sections` (not modified).

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
    >>> from analysis.structure import parse_sections
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
                m = SENTENCE_END_RE.search(body)
                head = body[: m.start()] if m else body
                n += 1
                rows.append((doc_id, n, head.strip(), body, rec["start"] + a, rec["start"] + b))
    return table_from_rows(rows, PROBLEM_COLUMNS, ints=("item", "start", "end"))


# ---------------------------------------------------------------------------
# items of any part (plans, measures): patterns

# a line that is only a date, e.g. "2023年12月22日"
_DATE_LINE = re.compile(r"^\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")
# an issuing body's name in a signature block, e.g. "深圳市龙华区观湖街道办事处"
_ORGAN_LINE = re.compile(
    r"^[^,;:!?。,;:!?()（）]{2,40}"
    r"(?:委员会|工作委员会|办事处|人民政府|政府|司法局|局|委|办公室|街道|镇|乡|司法所|中心|党委|党工委|党组)$"
)
# an enumerator opening a heading or item: "一、" "(一)" "1、" "1." "一是" "第一,"
_ENUMERATOR = re.compile(
    r"^\s*(?:[(（]\s*[一二三四五六七八九十百\d]+\s*[)）]|[一二三四五六七八九十百]+\s*[、.．]"
    r"|\d+\s*[、.．](?!\d)|[一二三四五六七八九十]+是\s*[,，:：]?|第[一二三四五六七八九十]+\s*[,，、])"
)
# an inline enumerator inside a paragraph, e.g. "...;二是加强..." or "。(二)执法..."
_INLINE_ENUM = re.compile(
    r"(?:^|(?<=[。;!?:；！？：]))\s*(?:[一二三四五六七八九十]+是|[(（][一二三四五六七八九十]+[)）])"
)


def _norm(text: object) -> str:
    """NFKC-normalised text ("" for a missing value), as the problems stage reads items."""
    if text is None or (isinstance(text, float) and np.isnan(text)) or text is pd.NA:
        return ""
    return unicodedata.normalize("NFKC", str(text))


# ---------------------------------------------------------------------------
# items of a part (plans, measures)


def _nesting(rows: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(is_leaf, has_parent) for every row, by span containment within each doc.

    Rows are sorted by (doc, start, -end); a row has a child when the next row of
    the same doc starts inside it, and a parent when an earlier row of the same
    doc ends after its start.  Vectorised: no per-report loop.
    """
    g = rows[["doc_id", "start", "end"]].assign(_neg=-rows["end"], _doc=rows["doc_id"].astype(str))
    g = g.sort_values(["_doc", "start", "_neg"], kind="stable")
    same_next = g["_doc"].shift(-1) == g["_doc"]
    child = same_next & (g["start"].shift(-1) < g["end"]) & ~(
        (g["start"].shift(-1) == g["start"]) & (g["end"].shift(-1) == g["end"])
    )
    prev_max = g.groupby("_doc", sort=False)["end"].cummax().groupby(g["_doc"], sort=False).shift(1)
    parent = (g["start"] < prev_max).fillna(False)
    return (~child).reindex(rows.index).astype(bool), parent.reindex(rows.index).astype(bool)


def _is_signature(line: str) -> bool:
    s = line.strip()
    return bool(_DATE_LINE.match(s) or _ORGAN_LINE.match(s))


def _is_heading_line(line: str, heading: str) -> bool:
    """The line is the section's own heading, e.g. "三、2024年工作计划" for heading "2024年工作计划"."""
    if not heading:
        return False
    def bare(s: str) -> str:
        return _ENUMERATOR.sub("", _norm(s).strip(), count=1).strip().rstrip("。.:;,!?")

    return bare(line) == bare(heading)


def _split_inline(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Split text[lo:hi] at inline enumerators (一是 … 二是 …) when there are two or more.

    Text before the first enumerator (an intro) is not an item.
    """
    seg = text[lo:hi]
    marks = sorted({m.end() - len(m.group(0).lstrip()) for m in _INLINE_ENUM.finditer(seg)})
    if len(marks) < 2:
        return [(lo, hi)]
    out = []
    for a, b in zip(marks, marks[1:] + [len(seg)]):
        piece = seg[a:b]
        stripped = piece.rstrip()
        if stripped.strip():
            out.append((lo + a, lo + a + len(stripped)))
    return out


def _section_items(text: str, heading: str, nested: bool) -> list[tuple[int, int]]:
    """Item spans (relative to ``text``) of one leaf section."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        lead = len(line) - len(line.lstrip())
        body = line.strip()
        if body and not _is_signature(body):
            spans.append((pos + lead, pos + lead + len(body)))
        pos += len(line) + 1
    if not spans:
        return []
    if nested:
        # a numbered sub-section: its heading and body are one item
        return [(spans[0][0], spans[-1][1])]
    if _is_heading_line(text[spans[0][0]:spans[0][1]], heading):
        spans = spans[1:]
    numbered = [bool(_ENUMERATOR.match(text[a:b])) for a, b in spans]
    groups: list[list[int]] = []
    current: list[int] | None = None
    for (a, b), is_num in zip(spans, numbered):
        if is_num:
            current = [a, b]
            groups.append(current)
        elif current is not None:
            current[1] = b  # continuation of the numbered item above
        elif not any(numbered):
            groups.append([a, b])  # unnumbered paragraphs: one item each
        # else: an intro paragraph before the first numbered item -- not an item
    out: list[tuple[int, int]] = []
    for a, b in groups:
        out.extend(_split_inline(text, a, b) if "\n" not in text[a:b] else [(a, b)])
    return out


def _empty_items(cols: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="int64" if c in ("item", "start", "end") else "str") for c in cols})


def part_items(sections: pd.DataFrame, part: str) -> pd.DataFrame:
    """The items of one regulated part (e.g. ``"plans"``, ``"measures"``).

    Items are the deepest sections of the part.  A numbered sub-section (its
    heading plus body) is one item.  A section with no sub-sections is split
    into its numbered paragraphs (一是…, 1、…, (一)…; an unnumbered paragraph
    after a numbered one continues it; an intro paragraph before the first is
    not an item), or into its paragraphs when none is numbered; a single
    paragraph holding two or more inline enumerators (…;二是…) is split at
    them.  The section's own heading line and signature-block lines (issuing
    bodies, a date) are never part of an item.

    Parameters
    ----------
    sections
        Output of ``analysis.parse_sections``: ``doc_id``, ``part``, ``text``,
        ``start``, ``end`` (``text`` is the corpus text from ``start`` to
        ``end``); ``heading`` and ``path`` are used when present.
    part
        The part label to take items from.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``item`` (1..n per report, in text order), ``path`` (of the
        section the item comes from; ``""`` when absent), ``text``, ``start``,
        ``end`` (offsets into the corpus text: ``text == corpus_text[start:end]``).

    Examples
    --------
    >>> sections = pd.DataFrame({"doc_id": ["a", "a"], "part": ["plans", "plans"],
    ...     "heading": ["下一年度工作计划", "加强队伍建设"],
    ...     "text": ["三、下一年度工作计划\\n(一)加强队伍建设\\n充实人员。", "(一)加强队伍建设\\n充实人员。"],
    ...     "start": [0, 11], "end": [27, 27]})
    >>> part_items(sections, "plans")[["item", "text", "start"]].values.tolist()
    [[1, '(一)加强队伍建设\\n充实人员。', 11]]
    """
    cols = ["doc_id", "item", "path", "text", "start", "end"]
    need = {"doc_id", "part", "text", "start", "end"}
    if not need <= set(sections.columns):
        raise KeyError(f"part_items needs section columns {sorted(need)}")
    rows = sections[sections["part"].astype(str) == part]
    if rows.empty:
        return _empty_items(cols)
    rows = rows.assign(start=rows["start"].astype("int64"), end=rows["end"].astype("int64"))
    leaf, nested = _nesting(rows)
    rows = rows[leaf].assign(_nested=nested[leaf], _doc=lambda d: d["doc_id"].astype(str))
    rows = rows.sort_values(["_doc", "start"], kind="stable")
    headings = rows["heading"].map(_norm) if "heading" in rows else pd.Series("", index=rows.index)
    paths = rows["path"].map(_norm) if "path" in rows else pd.Series("", index=rows.index)
    out: list[tuple[str, str, str, int, int]] = []
    for doc, text, start, heading, path, is_nested in zip(
        rows["_doc"], rows["text"], rows["start"], headings, paths, rows["_nested"]
    ):
        text = "" if pd.isna(text) else str(text)
        for a, b in _section_items(text, heading.strip(), bool(is_nested)):
            out.append((doc, path, text[a:b], int(start) + a, int(start) + b))
    if not out:
        return _empty_items(cols)
    frame = pd.DataFrame(out, columns=["doc_id", "path", "text", "start", "end"])
    frame = frame.sort_values(["doc_id", "start"], kind="stable").reset_index(drop=True)
    frame.insert(1, "item", frame.groupby("doc_id", sort=False).cumcount() + 1)
    return frame.astype({"doc_id": "str", "path": "str", "text": "str", "item": "int64",
                         "start": "int64", "end": "int64"})


@doc_id_table
def plan_items(sections: pd.DataFrame) -> pd.DataFrame:
    """The items of the ``plans`` part (下一年度主要安排); see :func:`part_items`.

    Examples
    --------
    >>> sections = pd.DataFrame({"doc_id": ["a"], "part": ["plans"], "level": [1],
    ...     "heading": ["下一年度工作安排"],
    ...     "text": ["四、下一年度工作安排\\n一是加强执法监督。\\n二是深化普法宣传。"], "start": [5], "end": [35]})
    >>> plan_items(sections)["text"].tolist()
    ['一是加强执法监督。', '二是深化普法宣传。']
    """
    return part_items(sections, "plans")

