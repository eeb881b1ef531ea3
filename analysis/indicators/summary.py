"""Tables over the indicator rows for reading and comparing reports.

:func:`indicator_density` (quantities per 1,000 characters of each report) and
:func:`compare_indicators` (canonical indicators side by side across reports).
"""

from __future__ import annotations

import pandas as pd

__all__ = ["MAX_REPORTS_SHOWN", "compare_indicators", "crosstab_rows", "indicator_density"]

#: Above this many reports, a table or figure with one column per report becomes
#: unreadable: the notebooks and :mod:`analysis.plots.indicators` then show one column per
#: report year (or a distribution across reports) instead.
MAX_REPORTS_SHOWN = 30


def crosstab_rows(index: pd.Series, columns: pd.Series, table: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``table`` counted by (``index``, ``columns``); a table with an ``n`` column
    holds counts already (one row per document and value: what a large corpus is reduced to
    before drawing)."""
    if "n" not in table.columns:
        return pd.crosstab(index, columns)
    return pd.crosstab(index, columns, values=table["n"].to_numpy(), aggfunc="sum").fillna(0)


def indicator_density(indicators: pd.DataFrame, corpus: pd.DataFrame) -> pd.DataFrame:
    """Quantities stated per 1,000 characters of each report.

    Parameters
    ----------
    indicators
        Output of :func:`analysis.indicators.extract_indicators`, or its counts per report
        and kind (``doc_id``, ``kind``, ``n``).
    corpus
        The corpus table (``doc_id``, ``text``; ``n_chars`` is used when present).

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``n_chars``, ``n_quantities``, ``n_result``, ``n_target``,
        ``n_per_capita``, ``per_1000_chars`` — one row per report, in corpus order,
        reports without quantities included with zeros.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"doc_id": ["a"], "text": ["立案80宗。" * 10]})
    >>> from analysis.indicators import extract_indicators
    >>> indicator_density(extract_indicators(c), c)[["n_quantities", "per_1000_chars"]].values.tolist()
    [[10.0, 166.67]]
    """
    if "n_chars" in corpus.columns:
        n_chars = pd.to_numeric(corpus["n_chars"], errors="coerce").fillna(0).astype(int)
    else:
        n_chars = corpus["text"].fillna("").str.len().astype(int)
    base = pd.DataFrame({"doc_id": corpus["doc_id"].astype(str).to_numpy(), "n_chars": n_chars.to_numpy()})
    kinds = ["result", "target", "per_capita"]
    if len(indicators):
        counts = crosstab_rows(indicators["doc_id"].astype(str), indicators["kind"].astype(str), indicators)
    else:
        counts = pd.DataFrame()
    counts = counts.reindex(columns=kinds, fill_value=0)
    out = base.merge(counts, left_on="doc_id", right_index=True, how="left").fillna(
        {k: 0 for k in kinds}
    )
    for k in kinds:
        out[k] = out[k].astype(int)
    out = out.rename(columns={k: f"n_{k}" for k in kinds})
    out.insert(2, "n_quantities", out[[f"n_{k}" for k in kinds]].sum(axis=1).astype(float))
    denom = out["n_chars"].where(out["n_chars"] > 0)
    out["per_1000_chars"] = (out["n_quantities"] / denom * 1000).round(2)
    return out.reset_index(drop=True)


def compare_indicators(
    indicators: pd.DataFrame, *, kinds: tuple[str, ...] = ("result",), min_reports: int = 1, summary: bool = False
) -> pd.DataFrame:
    """Canonical indicators side by side across reports (base units, summed per report).

    Only rows of the given ``kinds`` are used (targets and per-person rules are not
    results), rows of indicator ``other`` are left out, and each cell sums the
    ``base_value`` of rows sharing an indicator and a base unit in one report. Sums of
    counts stated with different subjects are approximate; read the rows before citing.

    Parameters
    ----------
    indicators
        Output of :func:`analysis.indicators.extract_indicators`.
    kinds
        Kinds of quantity kept (default: results only).
    min_reports
        Keep indicator/unit pairs stated in at least this many reports.
    summary
        Instead of one column per report (unreadable for hundreds of reports), give the
        distribution across the reports that state the indicator: ``median``, ``min``,
        ``max`` of the per-report sums.

    Returns
    -------
    pandas.DataFrame
        Index (``indicator``, ``base_unit``); one column per ``doc_id`` with the summed
        base values (NaN where the report states none), or with ``summary=True`` the
        columns ``median``, ``min``, ``max``; then ``n_reports`` and ``n_rows``.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"doc_id": ["a", "b"], "text": ["立案80宗。", "立案3宗,立案2宗。"]})
    >>> from analysis.indicators import extract_indicators
    >>> compare_indicators(extract_indicators(c)).reset_index().values.tolist()
    [['enforcement_cases_filed', '宗', 80.0, 5.0, 2, 3]]
    """
    rows = indicators[indicators["kind"].isin(list(kinds)) & (indicators["indicator"] != "other")]
    rates = rows["base_unit"].isin(["%", "‰"])
    rows = rows[~rates]
    if rows.empty:
        return pd.DataFrame(columns=["n_reports", "n_rows"]).rename_axis(["indicator", "base_unit"][:1])
    docs = list(dict.fromkeys(indicators["doc_id"].astype(str)))
    table = rows.pivot_table(
        index=["indicator", "base_unit"], columns="doc_id", values="base_value", aggfunc="sum", observed=True
    )
    table = table.reindex(columns=docs)
    table["n_reports"] = table[docs].notna().sum(axis=1)
    table["n_rows"] = rows.groupby(["indicator", "base_unit"]).size().reindex(table.index).astype(int)
    table = table[table["n_reports"] >= min_reports]
    table = table.sort_values(["n_reports", "n_rows"], ascending=False, kind="stable")
    table.columns.name = None
    if summary:
        values = table[docs]
        table = pd.DataFrame(
            {"median": values.median(axis=1), "min": values.min(axis=1), "max": values.max(axis=1),
             "n_reports": table["n_reports"], "n_rows": table["n_rows"]}
        )  # fmt: skip
    return table
