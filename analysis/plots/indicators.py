"""Figures of the indicator stage: quantity density, 纲要 areas, the numbers audit.

Each function takes the tables of :mod:`analysis.indicators` and the corpus and returns
a ``matplotlib.figure.Figure``. With more than
:data:`analysis.indicators.MAX_REPORTS_SHOWN` reports, one bar (or column) per report
year instead of one per report. matplotlib is imported inside the functions (it is
heavy), so importing this module does not load it.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import pandas as pd
>>> from analysis.indicators import extract_indicators
>>> corpus = pd.DataFrame({"doc_id": ["a"], "issuer": ["某街道"], "text": ["立案80宗。"]})
>>> fig = plot_indicator_density(extract_indicators(corpus), corpus)
>>> fig.axes[0].get_title()
'Stated quantities per 1,000 characters of report text (1 report)'
>>> import matplotlib.pyplot as plt
>>> plt.close(fig)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis.indicators import AUDIT_CLASSES, indicator_density, summary
from analysis.plots.fonts import use_cjk_font

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["plot_indicator_density", "plot_indicator_categories", "plot_audit_classes"]


def _groups(corpus: pd.DataFrame, label: str) -> tuple[dict[str, str], list[str], bool]:
    """Map each doc_id to its figure label: the report itself, or its report year when the
    corpus has more than :data:`analysis.indicators.MAX_REPORTS_SHOWN` reports. Returns (mapping, order, grouped)."""
    docs = [str(d) for d in corpus["doc_id"]]
    if len(docs) <= summary.MAX_REPORTS_SHOWN:
        labels = _labels(corpus, label)
        return labels, [labels[d] for d in dict.fromkeys(docs)], False
    if "report_year" in corpus.columns:
        years = pd.to_numeric(corpus["report_year"], errors="coerce")
        keys = ["year unknown" if pd.isna(y) else str(int(y)) for y in years]
    else:
        keys = ["all reports"] * len(docs)
    sizes = pd.Series(keys).value_counts()
    named = {k: f"{k} (n={sizes[k]})" for k in sizes.index}
    mapping = {d: named[k] for d, k in zip(docs, keys)}
    order = [named[k] for k in sorted(sizes.index, key=lambda k: (k == "year unknown", k))]
    return mapping, order, True


def _n_reports(corpus: pd.DataFrame) -> str:
    """The sample a figure shows, for its title: ``1 report``, ``5,000 reports``."""
    n = int(corpus["doc_id"].nunique())
    return f"{n:,} report" + ("" if n == 1 else "s")


def plot_indicator_density(indicators: pd.DataFrame, corpus: pd.DataFrame, *, label: str = "issuer") -> Figure:
    """Bar chart: quantities stated per 1,000 characters of each report, by kind.

    With more than :data:`analysis.indicators.MAX_REPORTS_SHOWN` reports, one bar per report year (quantities
    per 1,000 characters of all the year's reports together).

    Parameters
    ----------
    indicators
        Output of :func:`analysis.extract_indicators`.
    corpus
        The corpus table; ``label`` names the column used for bar labels (falls back to
        ``doc_id``), and ``report_year`` is appended when present.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt


    use_cjk_font()
    dens = indicator_density(indicators, corpus)
    mapping, order, grouped = _groups(corpus, label)
    dens["group"] = dens["doc_id"].map(mapping)
    kinds = ("result", "target", "per_capita")
    agg = dens.groupby("group", sort=False)[["n_chars", "n_quantities"] + [f"n_{k}" for k in kinds]].sum()
    agg = agg.reindex(order).fillna(0)
    denom = agg["n_chars"].where(agg["n_chars"] > 0)
    fig, ax = plt.subplots(figsize=(8, 0.45 * max(3, len(agg)) + 1.2))
    left = pd.Series(0.0, index=agg.index)
    colors = {"result": "#4C72B0", "target": "#DD8452", "per_capita": "#55A868"}
    for kind in kinds:
        vals = (agg[f"n_{kind}"] / denom * 1000).fillna(0.0)
        ax.barh(range(len(agg)), vals, left=left, color=colors[kind], label=kind)
        left = left + vals
    for i, (v, n) in enumerate(zip(left, agg["n_quantities"])):
        ax.text(v + 0.05, i, f"{v:.1f} ({int(n)})", va="center", fontsize=8)
    ax.set_yticks(range(len(agg)), list(agg.index), fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("quantities per 1,000 characters (count in brackets)")
    title = f"Stated quantities per 1,000 characters of report text ({_n_reports(corpus)}"
    ax.set_title(title + (", by report year)" if grouped else ")"))
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    ax.set_xlim(0, max(1.0, float(left.max()) * 1.25))
    fig.tight_layout()
    return fig


def plot_indicator_categories(indicators: pd.DataFrame, corpus: pd.DataFrame, *, label: str = "issuer") -> Figure:
    """Heatmap: stated quantities per 纲要 area (category) and report.

    With more than :data:`analysis.indicators.MAX_REPORTS_SHOWN` reports, one column per report year, and the
    cells give quantities per report of that year. ``indicators`` holds one row per quantity
    (``doc_id``, ``category``) or their counts (with ``n``: quantities of the category in
    the report).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt


    use_cjk_font()
    order = ["functions", "rules", "decisions", "enforcement", "emergencies", "disputes",
             "oversight", "digital", "leadership", "other"]  # fmt: skip
    mapping, columns, grouped = _groups(corpus, label)
    if len(indicators):
        groups = indicators["doc_id"].astype(str).map(mapping)
        counts = summary.crosstab_rows(indicators["category"].astype(str), groups, indicators)
    else:
        counts = pd.DataFrame()
    counts = counts.reindex(index=order, columns=columns, fill_value=0).fillna(0).astype(float)
    if grouped:
        sizes = pd.Series(mapping).value_counts().reindex(columns)
        counts = counts / sizes.to_numpy()
    fig, ax = plt.subplots(figsize=(1.3 * max(3, len(columns)) + 3, 5))
    arr = counts.to_numpy()
    im = ax.imshow(arr, cmap="Blues", aspect="auto")
    ax.set_xticks(range(len(columns)), columns, rotation=30, ha="right", fontsize=8)
    zh = {"functions": "政府职能", "rules": "依法行政制度", "decisions": "行政决策", "enforcement": "行政执法",
          "emergencies": "突发事件应对", "disputes": "矛盾纠纷化解", "oversight": "制约监督",
          "digital": "科技保障", "leadership": "党的领导·推进机制", "other": "其他"}  # fmt: skip
    ax.set_yticks(range(len(order)), [f"{zh[c]} ({c})" for c in order], fontsize=8)
    vmax = arr.max() if arr.size else 0
    for (i, j), v in np.ndenumerate(arr):
        if v:
            text = f"{v:.1f}" if grouped else str(int(v))
            ax.text(j, i, text, ha="center", va="center", fontsize=8, color="white" if v > vmax / 2 else "black")
    ax.set_title(
        "Stated quantities by area of 《法治政府建设实施纲要(2021-2025年)》"
        + f"\n({_n_reports(corpus)}" + (", by report year)" if grouped else ")")
    )
    fig.colorbar(im, ax=ax, shrink=0.7, label="quantities per report" if grouped else "quantities")
    fig.tight_layout()
    return fig


def plot_audit_classes(audit: pd.DataFrame, corpus: pd.DataFrame, *, label: str = "issuer") -> Figure:
    """Stacked bars: numeral occurrences per report by audit class.

    With more than :data:`analysis.indicators.MAX_REPORTS_SHOWN` reports, one bar per report year giving
    occurrences per report of that year. ``audit`` is the numbers audit (``doc_id``,
    ``class``) or its counts (``doc_id``, ``class``, ``n``: occurrences of the class in the
    report), the same figure from far fewer rows.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt


    use_cjk_font()
    mapping, rows, grouped = _groups(corpus, label)
    if len(audit):
        counts = summary.crosstab_rows(audit["doc_id"].astype(str).map(mapping), audit["class"].astype(str), audit)
    else:
        counts = pd.DataFrame()
    counts = counts.reindex(index=rows, columns=AUDIT_CLASSES, fill_value=0).fillna(0).astype(float)
    if grouped:
        sizes = pd.Series(mapping).value_counts().reindex(rows)
        counts = counts.div(sizes.to_numpy(), axis=0)
    fig, ax = plt.subplots(figsize=(8, 0.45 * max(3, len(rows)) + 1.5))
    left = pd.Series(0.0, index=counts.index)
    cmap = plt.get_cmap("tab10")
    for i, cls in enumerate(AUDIT_CLASSES):
        ax.barh(range(len(rows)), counts[cls], left=left, color=cmap(i), label=cls)
        left = left + counts[cls]
    ax.set_yticks(range(len(rows)), rows, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("numeral occurrences per report" if grouped else "numeral occurrences")
    ax.set_title(f"Numbers audit: what every numeral in the text was classed as\n({_n_reports(corpus)})")
    ax.legend(ncols=3, fontsize=7, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.18))
    fig.tight_layout()
    return fig


def _labels(corpus: pd.DataFrame, label: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for _, row in corpus.iterrows():
        doc = str(row["doc_id"])
        name = row.get(label) if label in corpus.columns else None
        text = str(name)[-14:] if isinstance(name, str) and name else doc
        year = row.get("report_year") if "report_year" in corpus.columns else None
        if year is not None and not pd.isna(year):
            text = f"{text} {int(year)}"
        # two reports with the same label (same issuer and year) stay apart
        while text in out.values():
            text = f"{text} ·"
        out[doc] = text
    return out
