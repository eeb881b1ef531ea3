"""Every stated quantity of a report as one typed row: :func:`extract_indicators`.

Each report is scanned once (:func:`scan_reports`): its numerals are found and classed
(:mod:`.quantities`), each quantity gets what it counts (:mod:`.subjects`), its kind
(:mod:`.kinds`), its canonical indicator (:mod:`.codebook`) and the part of the report
holding it (from the sections table). The numbers audit (:mod:`.audit`) is built from the
same scan.

Examples
--------
>>> import pandas as pd
>>> corpus = pd.DataFrame({"doc_id": ["a"], "text": ["今年开展普法宣传120余次,发放宣传资料1.4万余份。"]})
>>> rows = extract_indicators(corpus)
>>> for r in rows[["subject", "value", "unit", "base_value", "base_unit", "qualifier"]].values.tolist():
...     print(r)
['开展普法宣传', 120.0, '次', 120.0, '次', 'more_than']
['发放宣传资料', 1.4, '万份', 14000.0, '份', 'more_than']
"""

from __future__ import annotations

import bisect
import functools
import operator
import re
from decimal import Decimal
from typing import Callable, Iterable, Iterator, NamedTuple

import numpy as np
import pandas as pd

from analysis.indicators.clauses import token_sentences
from analysis.indicators.codebook import classify_indicator
from analysis.indicators.kinds import plan_words_end, quantity_kind
from analysis.indicators.lists import share_lists
from analysis.indicators.quantities import Token, tokenize_numbers
from analysis.indicators.subjects import Quantity, attach_subjects, clean_pre
from analysis.numbers import normalize_width, units
from analysis.corpus.script import detect_script, simplified_chars
from analysis.ids import doc_id_table

__all__ = ["INDICATOR_COLUMNS", "ReportScan", "scan_reports", "rows_to_frame", "extract_indicators"]

#: Columns of :func:`extract_indicators`, in order.
INDICATOR_COLUMNS = [
    "doc_id", "part", "sentence", "quote", "subject", "value", "unit", "base_value",
    "base_unit", "qualifier", "kind", "indicator", "start", "end",
    "category", "value_max", "base_value_max",
]  # fmt: skip

# --------------------------------------------------------------------------- sections


class _PartLookup:
    """Deepest section containing an offset, per document (bisect per level)."""

    def __init__(self, sections: pd.DataFrame | None) -> None:
        self._by_doc: dict[str, list[tuple[list[int], list[int], list[object]]]] = {}
        if sections is None or len(sections) == 0:
            return
        need = {"doc_id", "part", "start", "end"}
        missing = need - set(sections.columns)
        if missing:
            raise ValueError(f"sections lacks columns {sorted(missing)}")
        levels = sections["level"] if "level" in sections.columns else pd.Series(1, index=sections.index)
        doc_ids = sections["doc_id"].astype(str).tolist()
        parts = sections["part"].to_numpy(dtype=object).tolist()
        level_of = pd.to_numeric(levels, errors="coerce").fillna(1).astype(int).tolist()
        starts = sections["start"].astype(int).tolist()
        ends = sections["end"].astype(int).tolist()
        # Plain lists instead of a pandas sort and a groupby per document and level (which
        # cost ~1 ms per report). Rows of a document, in input order; a missing doc_id (NaN
        # after astype(str)) is dropped, as groupby drops it.
        rows_of: dict[str, list[int]] = {}
        for k, doc_id in enumerate(doc_ids):
            if isinstance(doc_id, str):
                rows_of.setdefault(doc_id, []).append(k)
        for doc_id, rows in rows_of.items():
            # a stable sort by (level, start), as sort_values(kind="stable") did; then one
            # (starts, ends, parts) per level, deepest level first
            rows.sort(key=lambda k: (level_of[k], starts[k]))
            per_level: dict[int, tuple[list[int], list[int], list[object]]] = {}
            for k in rows:
                lv = per_level.get(level_of[k])
                if lv is None:
                    lv = per_level[level_of[k]] = ([], [], [])
                lv[0].append(starts[k])
                lv[1].append(ends[k])
                lv[2].append(parts[k])
            self._by_doc[doc_id] = [per_level[lv] for lv in sorted(per_level, reverse=True)]

    def levels(self, doc_id: str) -> list[tuple[list[int], list[int], list[object]]]:
        """(starts, ends, parts) of each level of the document's sections, deepest first."""
        return self._by_doc.get(doc_id, [])

    def part(self, doc_id: str, pos: int) -> object:
        return _part_at(self.levels(doc_id), pos)


def _part_at(levels: list[tuple[list[int], list[int], list[object]]], pos: int) -> object:
    """Part of the deepest section holding ``pos`` (see :meth:`_PartLookup.levels`), or NA."""
    for starts, ends, parts in levels:
        i = bisect.bisect_right(starts, pos) - 1
        if i >= 0 and pos < ends[i]:  # (the common case, as the loop below at j = i)
            p = parts[i]
            if isinstance(p, str) and p:
                return p
            continue
        # sections of one level may overlap when a parser nests oddly: look back a little
        for j in range(i - 1, max(-1, i - 3), -1):
            if starts[j] <= pos < ends[j]:
                p = parts[j]
                if isinstance(p, str) and p:
                    return p
                break
    return pd.NA



# --------------------------------------------------------------------------- rows


_NAN = float("nan")
_ONE = Decimal(1)


def _quantity_row(
    doc_id: str, raw: str, t: str, q: Quantity, part: object, sentence: tuple[int, int, str], plan_end: int
) -> tuple[object, ...]:
    """One row of :func:`extract_indicators`, values in the order of ``INDICATOR_COLUMNS``.

    ``sentence``: bounds and raw text of the token's sentence (see :func:`.clauses.token_sentences`);
    ``plan_end``: :func:`.kinds.plan_words_end` of that sentence.
    """
    tok = q.tok
    unit_written, base_unit, mult = units(tok.mag, tok.unit)
    value = tok.value if tok.value is not None else Decimal(0)
    vmax = tok.value_max
    ss, se, sentence_raw = sentence
    kind = quantity_kind(  # (by position: one call per number)
        t, q.clause_start, tok.qstart, tok.end, part, ss, tok.qualifier, tok.unit, q.subject, plan_end
    )
    # (normalize_width returns the text itself when nothing needs mapping)
    indicator, category = classify_indicator(q.subject, base_unit, sentence_raw if t is raw else t[ss:se])
    fvalue = float(value)
    return (
        doc_id,
        part,
        sentence_raw,
        raw[q.q_start : q.q_end],
        q.subject,
        fvalue,
        unit_written,
        fvalue if mult == _ONE else float(value * mult),
        base_unit,
        tok.qualifier,
        kind,
        indicator,
        q.q_start,
        q.q_end,
        category,
        float(vmax) if vmax is not None else _NAN,
        float(vmax * mult) if vmax is not None else _NAN,
    )


class ReportScan(NamedTuple):
    """One report as the scan saw it: its numeral tokens (text order), its quantity rows
    (tuples in the order of ``INDICATOR_COLUMNS``), each token's sentence (start, end,
    text) and each token's quantity row (None for a token that is no quantity)."""

    doc_id: str
    text: str
    tokens: list[Token]
    rows: list[tuple[object, ...]]
    sentences: list[tuple[int, int, str]]
    row_of_token: list[tuple[object, ...] | None]


def _analyse(
    doc_id: str, raw: str, lookup: _PartLookup, clean: Callable[[str], tuple[int, str]] = clean_pre
) -> ReportScan:
    """The scan of one report."""
    t = normalize_width(raw)
    toks = tokenize_numbers(t)
    sentences = token_sentences(t, raw, toks)
    levels = lookup.levels(doc_id)
    rows = []
    row_of_tok: list[tuple[object, ...] | None] = [None] * len(toks)
    plan_ends: dict[int, int] = {}  # sentence start -> plan_words_end (one search per sentence)
    for q in share_lists(t, attach_subjects(t, toks, clean)):
        sentence = sentences[q.k]
        plan_end = plan_ends.get(sentence[0])
        if plan_end is None:
            plan_end = plan_ends[sentence[0]] = plan_words_end(t, sentence[0], sentence[1])
        row = _quantity_row(doc_id, raw, t, q, _part_at(levels, q.q_start), sentence, plan_end)
        rows.append(row)
        if row_of_tok[q.k] is None:  # (a value shared by a list: the audit gives its first row)
            row_of_tok[q.k] = row
    return ReportScan(doc_id, raw, toks, rows, sentences, row_of_tok)


def scan_reports(corpus: pd.DataFrame | str, sections: pd.DataFrame | None = None) -> Iterator[ReportScan]:
    """Scan each non-empty report of ``corpus`` once, in corpus order.

    ``corpus`` and ``sections`` as in :func:`extract_indicators`. Raises ``ValueError``
    when either lacks a column it needs.
    """
    lookup = _PartLookup(sections)
    # The text before a number is often the same phrase (其中, 办结率, 、…) and trimming it
    # is a pure function of that text: remember results within this call (bounded).
    clean = functools.lru_cache(maxsize=1 << 16)(clean_pre)
    for doc_id, raw in _docs(corpus):
        if raw:
            yield _analyse(doc_id, raw, lookup, clean)


def _docs(corpus: pd.DataFrame | str) -> Iterable[tuple[str, str]]:
    if isinstance(corpus, str):
        yield "doc", _simplified(corpus)
        return
    missing = {"doc_id", "text"} - set(corpus.columns)
    if missing:
        raise ValueError(f"corpus lacks columns {sorted(missing)}")
    # the loader's table says its script (and holds simplified text); a table built by
    # hand may hold traditional text, which the simplified-only rules would half read
    loaded = "script" in corpus.columns
    for doc_id, text in zip(corpus["doc_id"].tolist(), corpus["text"].tolist()):
        yield str(doc_id), (_valid(text) if loaded else _simplified(text)) if isinstance(text, str) else ""


# Lone surrogates (never in decoded files, possible in a hand-built string) cannot be
# stored in pandas' string columns; each becomes U+FFFD, one character for one.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _valid(text: str) -> str:
    return _SURROGATE_RE.sub("\ufffd", text)


def _simplified(text: str) -> str:
    """A text not read by the loader: traditional script converted character for
    character (offsets and quotes stay those of the text as given, in simplified form)."""
    text = _valid(text)
    return simplified_chars(text) if detect_script(text) == "traditional" else text


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=_DTYPES.get(c, "str")) for c in columns})


_DTYPES = {
    "value": "float64", "base_value": "float64", "value_max": "float64", "base_value_max": "float64",
    "start": "int64", "end": "int64",
}  # fmt: skip


def rows_to_frame(rows: list[tuple[object, ...]], columns: list[str]) -> pd.DataFrame:
    """The table of ``rows`` (tuples in the order of ``columns``): the numeric columns of
    both tables (value, start …) as int64/float64, the others as ``str``.

    Each column is built once from its values: numbers straight into numpy arrays, the text
    columns (always ``str`` values) straight into ``str`` arrays; only ``part``, which may
    hold NA, goes through pandas' inference and ``astype("str")``.
    """
    if not rows:
        return _empty(columns)
    data: dict[str, object] = {}
    for k, c in enumerate(columns):
        values = list(map(operator.itemgetter(k), rows))  # (cheaper than transposing with zip(*rows))
        dt = _DTYPES.get(c)
        if dt:
            data[c] = np.fromiter(values, dtype=dt, count=len(values))
        elif c == "part":
            data[c] = pd.Series(values).astype("str")
        else:
            data[c] = _str_array(values)
    return pd.DataFrame(data, columns=columns)


def _str_array(values: list[str]) -> object:
    """``pd.array(values, dtype="str")`` for a list of ``str`` (no NA).

    When pandas stores "str" in pyarrow, the arrow array is built first: the same array,
    without pandas' per-element check and copy (twice as fast on long columns).
    """
    pa = _pyarrow_for_str()
    if pa is None:
        return pd.array(values, dtype="str")
    return pd.array(pa.array(values, type=pa.large_string()), dtype="str")


@functools.lru_cache(maxsize=1)
def _pyarrow_for_str() -> object | None:
    """pyarrow when pandas' "str" dtype is stored in large_string arrow arrays, else None."""
    try:
        import pyarrow as pa  # noqa: PLC0415 (optional: pandas' own choice)
    except ImportError:  # pragma: no cover
        return None
    probe = pd.array(["x"], dtype="str")
    if getattr(probe.dtype, "storage", None) != "pyarrow" or getattr(probe, "_pa_array", None) is None:
        return None  # pragma: no cover
    return pa if probe._pa_array.type == pa.large_string() else None


@doc_id_table
def extract_indicators(corpus: pd.DataFrame | str, sections: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every stated quantity in each report, with what it counts, typed and classified.

    Parameters
    ----------
    corpus
        A table with at least ``doc_id`` and ``text`` (e.g. from
        :func:`analysis.load_corpus`), or one report as a string (``doc_id`` "doc").
        Full-width forms (，（）％１２３) are read as their ASCII forms; offsets refer to
        ``text`` as given. The input is never modified.
    sections
        Optional output of :func:`analysis.parse_sections` (``doc_id``, ``part``,
        ``level``, ``start``, ``end``): gives each quantity the ``part`` of the deepest
        section holding it, and makes quantities in the ``plans`` part targets.

    Returns
    -------
    pandas.DataFrame
        One row per quantity, in document and text order:

        - ``doc_id``; ``part`` (regulated part of the report, NA without ``sections``);
        - ``sentence`` (the sentence holding it), ``quote`` (the exact span: subject +
          number + unit; ``text[start:end] == quote``), ``start``, ``end``;
        - ``subject``: what is counted (立案, 作出行政处罚决定, 发放宣传资料 …);
        - ``value`` and ``unit`` as written (1.4 and 万份 for 1.4万余份; 8 and 成 for
          逾八成); ``base_value`` and ``base_unit`` with 万/亿 multiplied out and 成 -> %,
          平方 -> 平方米, 个月 -> 月 (14000 份; 80 %);
        - ``qualifier``: ``more_than`` (余 逾 超过 多 以上), ``nearly`` (近), ``about``
          (约 左右), ``at_least`` (不少于 至少), ``at_most`` (不超过 以内) or "";
        - ``kind``: ``result``, ``target`` (目标, 力争, 确保 …, or the plans part) or
          ``per_capita`` (每位…, 每个社区…, 人均);
        - ``indicator`` and its ``category`` (area of 《法治政府建设实施纲要(2021-2025年)》)
          from ``resources/indicators.csv``; ``other`` when no rule matches;
        - ``value_max``, ``base_value_max``: upper bound of a range (3-5次), else NaN.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"doc_id": ["x"], "text": ["全区逾八成行政争议实现案结事了;化解成功率99.7%。"]})
    >>> extract_indicators(c)[["value", "unit", "base_value", "base_unit", "qualifier", "indicator"]].values.tolist()
    [[8.0, '成', 80.0, '%', 'more_than', 'other_rate'], [99.7, '%', 99.7, '%', '', 'mediation_success_rate']]
    """
    rows: list[tuple[object, ...]] = []
    for scan in scan_reports(corpus, sections):
        rows.extend(scan.rows)
    return rows_to_frame(rows, INDICATOR_COLUMNS)
