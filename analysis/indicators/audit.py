"""The numbers audit: every numeral of a report with the class it was given.

:func:`audit_numbers` lists each numeral occurrence — quantities with their kind, and
every number that is no quantity with the reason (year, date, heading, slogan, name of a
law or plan, hotline …) — so that a reader can check that nothing was dropped silently:
every Arabic digit run of the text is covered by exactly one row.
:func:`extract_indicators_and_audit` gives both tables from one scan.
"""

from __future__ import annotations

import pandas as pd

from analysis.indicators.extract import INDICATOR_COLUMNS, ReportScan, rows_to_frame, scan_reports
from analysis.ids import doc_id_table

__all__ = ["AUDIT_COLUMNS", "AUDIT_CLASSES", "audit_numbers", "extract_indicators_and_audit"]

#: Columns of :func:`audit_numbers`, in order.
AUDIT_COLUMNS = ["doc_id", "start", "end", "match", "class", "reason", "sentence"]
#: Every value of the audit ``class`` column.
AUDIT_CLASSES = [
    "indicator", "target", "per_capita", "year", "date", "heading", "slogan",
    "law_or_plan_name", "other",
]  # fmt: skip
# Positions of kind and indicator in a quantity row
_KIND_COL = INDICATOR_COLUMNS.index("kind")
_INDICATOR_COL = INDICATOR_COLUMNS.index("indicator")


@doc_id_table
def audit_numbers(corpus: pd.DataFrame | str, sections: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every numeral occurrence in each report with the class it was given.

    Arabic digit runs and Chinese-numeral quantities (三个环节, 两级), plus the Chinese
    numerals of headings (一、, (一), 一是), dates, party congresses and slogans. Every
    Arabic digit run of ``text`` is covered by exactly one row, so a reader can check
    that no number was dropped silently.

    Parameters
    ----------
    corpus
        A table with ``doc_id`` and ``text``, or one report as a string.
    sections
        Optional :func:`analysis.parse_sections` output (makes plans-part quantities
        ``target``, as in :func:`extract_indicators`).

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``start``, ``end``, ``match`` (``text[start:end]``), ``class`` (one of
        ``AUDIT_CLASSES``: indicator, target, per_capita, year, date, heading, slogan,
        law_or_plan_name, other), ``reason`` (why, e.g. "hotline or phone number",
        "party congress or plenum", "number without a unit"; for quantities their
        indicator id), ``sentence``.

    Examples
    --------
    >>> audit_numbers("2023年共立案80宗,办理“12345”热线工单。")[["match", "class"]].values.tolist()
    [['2023年', 'year'], ['80宗', 'indicator'], ['“12345”', 'other']]
    """
    rows: list[tuple[object, ...]] = []
    for scan in scan_reports(corpus, sections):
        rows.extend(_audit_rows(scan))
    return rows_to_frame(rows, AUDIT_COLUMNS)


def _audit_rows(scan: ReportScan) -> list[tuple[object, ...]]:
    """Rows of :func:`audit_numbers` (tuples in the order of ``AUDIT_COLUMNS``) of one
    scanned report."""
    doc_id, raw = scan.doc_id, scan.text
    rows: list[tuple[object, ...]] = []
    append = rows.append
    for tok, sentence, q in zip(scan.tokens, scan.sentences, scan.row_of_token):
        start, end = tok.start, tok.end
        cls, reason = tok.cls, tok.reason
        if q is not None:
            start = tok.qstart
            kind = q[_KIND_COL]
            cls = "indicator" if kind == "result" else kind
            reason = q[_INDICATOR_COL]
        append((doc_id, start, end, raw[start:end], cls, reason, sentence[2]))
    return rows


@doc_id_table
def extract_indicators_and_audit(
    corpus: pd.DataFrame | str, sections: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`extract_indicators` and :func:`audit_numbers` in one pass over the text.

    The same tables as the two functions called one after the other, for half the time
    (each report is scanned once). Use it in pipelines over large corpora.

    Returns
    -------
    (indicators, audit) : tuple of pandas.DataFrame
        Columns as documented in :func:`extract_indicators` and :func:`audit_numbers`.

    Examples
    --------
    >>> quantities, audit = extract_indicators_and_audit("2023年立案80宗。")
    >>> len(quantities), audit["class"].tolist()
    (1, ['year', 'indicator'])
    """
    qrows: list[tuple[object, ...]] = []
    arows: list[tuple[object, ...]] = []
    for scan in scan_reports(corpus, sections):
        qrows.extend(scan.rows)
        arows.extend(_audit_rows(scan))
    return rows_to_frame(qrows, INDICATOR_COLUMNS), rows_to_frame(arows, AUDIT_COLUMNS)
