"""Figures of the structure stage: the share of each report's text in each regulated part.

Takes the sections table (:func:`analysis.structure.parse_sections`) and returns a
matplotlib figure; the Chinese font is registered first (:mod:`analysis.plots.fonts`).
matplotlib is imported inside the function (a heavy import), as in every plots module.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from analysis.plots.fonts import use_cjk_font
from analysis.structure import PART_LABELS, PARTS, part_shares

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["plot_part_shares"]

_PART_COLORS = {
    "preamble": "#bdbdbd",
    "measures": "#4c78a8",
    "leadership": "#72b7b2",
    "shortcomings": "#e45756",
    "plans": "#54a24b",
    "other": "#eeca3b",
}


#: Above this many reports, :func:`plot_part_shares` draws the distribution of the shares.
MAX_REPORTS = 40
# Groups shown in the distribution (the largest; the rest pooled as "other").
_MAX_GROUPS = 12


def plot_part_shares(
    sections: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    corpus: pd.DataFrame | None = None,
    by: str = "issuer_type",
    max_reports: int = MAX_REPORTS,
    title: str | None = None,
) -> Figure:
    """The share of each report's text in each regulated part (art. 25).

    Up to ``max_reports`` reports: stacked horizontal bars, one per report. More: the
    distribution — left, the mean share of each part per group of reports (``by``, a
    column of ``corpus``, e.g. ``issuer_type`` or ``report_year``; the largest 12
    groups, the rest pooled) and over all reports; right, the spread of each part's
    share over the reports (box: quartiles, whiskers: 5th and 95th percentiles).

    Parameters
    ----------
    sections : pandas.DataFrame
        Output of :func:`analysis.structure.parse_sections`.
    labels : mapping, optional
        ``doc_id`` -> label shown on the axis (e.g. the issuer and year); default the
        ``doc_id``.
    corpus : pandas.DataFrame, optional
        The corpus table, for the groups of the distribution (``doc_id`` and ``by``).
    by : str
        Column of ``corpus`` that groups the reports in the distribution.
    max_reports : int
        Most reports drawn one bar each.
    title : str, optional
        Figure title; by default it names the figure and its sample (the number of
        reports).

    Returns
    -------
    matplotlib.figure.Figure
        Parts in art. 25 order, legend with the Chinese wording of each part.
    """
    use_cjk_font()
    shares = part_shares(sections).fillna(0.0)
    if len(shares) > max_reports:
        return _distribution(shares, corpus, by, title)
    return _per_report(shares, labels, title)


def _per_report(shares: pd.DataFrame, labels: Mapping[str, str] | None, title: str | None) -> Figure:
    """One stacked bar per report, first report on top."""
    from matplotlib.figure import Figure

    n = len(shares)
    fig = Figure(figsize=(9, min(1.6 + 0.45 * max(n, 1), 14.0)), layout="constrained")
    ax = fig.subplots()
    names = [labels.get(d, d) if labels else d for d in shares.index]
    y = list(range(n))[::-1]
    left = [0.0] * n
    for part in PARTS:
        values = shares[part].tolist() if n else []
        ax.barh(y, values, left=left, height=0.8, color=_PART_COLORS[part], label=PART_LABELS[part],
                edgecolor="white", linewidth=0.5)
        left = [a + b for a, b in zip(left, values)]
    ax.set_yticks(y, names)
    ax.set_ylim(-0.6, max(n, 1) - 0.4)
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of the report's characters")
    ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:.0%}")
    ax.set_title(title or f"Share of each report by regulated part (art. 25), {n} report{'s' if n != 1 else ''}")
    fig.legend(loc="outside lower center", ncol=3, frameon=False)
    return fig


def _groups(shares: pd.DataFrame, corpus: pd.DataFrame | None, by: str) -> pd.Series | None:
    """The group of each report (index: doc_id), the largest groups kept, or None."""
    if corpus is None or by not in corpus.columns or "doc_id" not in corpus.columns:
        return None
    meta = corpus.drop_duplicates("doc_id").set_index(corpus.drop_duplicates("doc_id")["doc_id"].astype(str))[by]
    group = meta.reindex(shares.index.astype(str)).astype("string").fillna("unknown")
    sizes = group.value_counts()
    if len(sizes) > _MAX_GROUPS:
        kept = set(sizes.index[: _MAX_GROUPS - 1])
        group = group.where(group.isin(kept), "other groups")
    return pd.Series(group.to_numpy(), index=shares.index)


def _distribution(shares: pd.DataFrame, corpus: pd.DataFrame | None, by: str, title: str | None) -> Figure:
    """Mean shares per group of reports (left) and the spread over reports (right)."""
    from matplotlib.figure import Figure

    n = len(shares)
    group = _groups(shares, corpus, by)
    rows = [(f"all reports (n={n:,})", shares.mean())]
    if group is not None:
        sizes = group.value_counts()
        # years in their order, other groups largest first ("other groups" last)
        names = sorted(sizes.index) if by == "report_year" else list(sizes.index)  # by size, largest first
        names = [g for g in names if g != "other groups"] + [g for g in names if g == "other groups"]
        rows += [(f"{g} (n={int(sizes[g]):,})", shares[group == g].mean()) for g in names]
    fig = Figure(figsize=(12, 2.2 + 0.42 * len(rows)), layout="constrained")
    left_ax, right_ax = fig.subplots(1, 2, width_ratios=[3, 2])
    y = list(range(len(rows)))[::-1]
    left = [0.0] * len(rows)
    for part in PARTS:
        values = [float(mean[part]) for _, mean in rows]
        left_ax.barh(y, values, left=left, height=0.75, color=_PART_COLORS[part], label=PART_LABELS[part],
                     edgecolor="white", linewidth=0.5)
        left = [a + b for a, b in zip(left, values)]
    left_ax.set_yticks(y, [name for name, _ in rows])
    left_ax.set_xlim(0, 1)
    left_ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:.0%}")
    left_ax.set_xlabel("mean share of the reports' characters")
    left_ax.set_title(f"mean share per part, by {by}" if group is not None else "mean share per part", fontsize=10)
    parts = list(PARTS)[::-1]
    boxes = right_ax.boxplot([shares[p].to_numpy() for p in parts], orientation="horizontal", whis=(5, 95), showfliers=False,
                             patch_artist=True, widths=0.6, medianprops={"color": "black"})
    for patch, part in zip(boxes["boxes"], parts):
        patch.set_facecolor(_PART_COLORS[part])
    right_ax.set_yticks(range(1, len(parts) + 1), [PART_LABELS[p] for p in parts], fontsize=8)
    right_ax.set_xlim(0, 1)
    right_ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:.0%}")
    right_ax.set_xlabel("share of a report's characters")
    right_ax.set_title("spread over the reports\n(box: quartiles; whiskers: 5th to 95th percentile)", fontsize=10)
    fig.suptitle(title or f"Regulated parts (art. 25) in {n:,} reports")
    fig.legend(*left_ax.get_legend_handles_labels(), loc="outside lower center", ncol=6, frameon=False, fontsize=8)
    return fig
