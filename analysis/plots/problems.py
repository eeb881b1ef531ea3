"""Figures of the problems stage: themes (rows) by report or group of reports (columns).

Takes the coded items (:func:`analysis.problems.code_problems`) and returns a matplotlib
figure; the Chinese font is registered first (:mod:`analysis.plots.fonts`). matplotlib
is imported inside the function (a heavy import), as in every plots module.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from analysis.plots.fonts import use_cjk_font
from analysis.problems import theme_matrix
from analysis.problems.codebook import codebook_themes, normalize, theme_labels
from analysis.problems.themes import report_table

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["plot_theme_heatmap"]


def _group_labels(
    groups: list[str], reports: pd.DataFrame, by: str, labels: Mapping[str, str] | None = None
) -> list[str]:
    """Column labels: ``labels[doc_id]`` or "issuer year" for reports, "value (n=k)" for
    groups of reports."""
    if by != "doc_id":
        if by not in reports.columns:
            return groups
        sizes = reports.dropna(subset=[by]).groupby(reports[by].dropna().astype(str)).size()
        return [f"{g} (n={int(sizes.get(g, 0))})" for g in groups]
    if labels is not None:
        return [str(labels.get(g, g)) for g in groups]
    if not {"issuer", "report_year"} <= set(reports.columns):
        return groups
    meta = reports.set_index(reports["doc_id"].astype(str))
    out = []
    for g in groups:
        if g not in meta.index:
            out.append(g)
            continue
        issuer = normalize(meta.at[g, "issuer"]) or g
        year = meta.at[g, "report_year"]
        short = issuer if len(issuer) <= 12 else "…" + issuer[-11:]
        out.append(f"{short} {'' if pd.isna(year) else int(year)}".strip())
    return out


def plot_theme_heatmap(
    coded: pd.DataFrame,
    *,
    corpus: pd.DataFrame | None = None,
    by: str = "doc_id",
    value: str = "items",
    label: str = "zh",
    max_groups: int = 40,
    drop_empty: bool = False,
    labels: Mapping[str, str] | None = None,
    codebook: str | os.PathLike[str] | Mapping[str, Any] | None = None,
) -> Figure:
    """Heatmap of themes (rows) by report or group (columns).

    Parameters
    ----------
    coded, corpus, by, value, codebook
        As in :func:`analysis.problems.theme_matrix`.  With ``by="doc_id"``,
        columns are labelled by ``labels`` or, with a corpus holding ``issuer``
        and ``report_year``, "issuer year".
    label
        ``"zh"`` (Chinese theme labels, default), ``"en"`` or ``"id"``.
    max_groups
        At most this many columns: the groups with the most theme codes (an item
        coded with two themes counts twice; ties by name), in their own order.  The title states
        the rule and how many groups there are.  For large corpora group by
        ``report_year`` or ``issuer_type`` instead.
    drop_empty
        Drop themes with no item anywhere.
    labels
        ``doc_id`` -> column label for ``by="doc_id"`` (one label per report
        shared by every figure, e.g. ``analysis.plots`` report labels).

    The title states the sample: the number of reports (those of ``corpus``
    when given, without error rows) and of items.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    use_cjk_font()
    themes = codebook_themes(codebook)
    names = theme_labels(themes)
    matrix = theme_matrix(coded, corpus=corpus, by=by, value=value, codebook=codebook)
    if drop_empty:
        matrix = matrix[matrix.fillna(0).sum(axis=1) > 0]
    n_all = matrix.shape[1]
    if n_all > max_groups:  # the groups with the most theme codes
        items = theme_matrix(coded, corpus=corpus, by=by, value="items", codebook=codebook)
        totals = items.drop(index="uncoded", errors="ignore").sum(axis=0)
        keep = sorted(matrix.columns, key=lambda c: (-totals.get(c, 0), c))[:max_groups]
        matrix = matrix[sorted(keep)]
    reports = report_table(coded, corpus)
    xlabels = _group_labels([str(c) for c in matrix.columns], reports, by, labels)
    key = {"zh": 0, "en": 1}.get(label)
    ylabels = [names[t][key] if key is not None else t for t in matrix.index]
    data = matrix.to_numpy(dtype=float)
    if data.shape[1] == 0:
        fig, ax = plt.subplots(figsize=(4, 2))
        ax.set_axis_off()
        ax.text(0.5, 0.5, "no reports to show", ha="center", va="center")
        return fig
    width = min(2.0 + 0.75 * max(1, matrix.shape[1]), 24.0)
    height = 1.2 + 0.38 * max(1, matrix.shape[0])
    fig, ax = plt.subplots(figsize=(width, height))
    if value == "share":
        vmax = 1.0
    else:
        vmax = float(np.nanmax(data)) if data.size and np.nanmax(data) > 0 else 1.0
    im = ax.imshow(np.nan_to_num(data), aspect="auto", cmap="Blues", vmin=0, vmax=vmax)
    upright = matrix.shape[1] <= 8 and max((len(x) for x in xlabels), default=0) <= 10
    ax.set_xticks(range(matrix.shape[1]), labels=xlabels, rotation=0 if upright else 50,
                  ha="center" if upright else "right", rotation_mode="anchor", fontsize=8)
    ax.set_yticks(range(matrix.shape[0]), labels=ylabels, fontsize=9)
    for i in range(data.shape[0]):
        for j in range(data.shape[1]):
            v = data[i, j]
            if v and not np.isnan(v):
                text = f"{v:.0%}" if value == "share" else f"{int(v)}"
                ax.text(j, i, text, ha="center", va="center", fontsize=7,
                        color="white" if v > 0.6 * vmax else "black")
    what = {"items": "items coded", "reports": "reports", "share": "share of reports"}[value]
    title = f"Shortcoming themes by {'report' if by == 'doc_id' else by} ({what})"
    sample = f"{reports['doc_id'].nunique():,} reports, {len(coded):,} items"
    if n_all > max_groups:
        unit = "reports" if by == "doc_id" else f"{by} groups"
        sample += f"; {max_groups} of {n_all:,} {unit} shown: those with the most theme codes"
    ax.set_title(f"{title}\n{sample}", fontsize=10)
    bar = fig.colorbar(im, ax=ax, fraction=0.03, pad=0.02)
    if value != "share":
        from matplotlib.ticker import MaxNLocator

        bar.locator = MaxNLocator(integer=True)
        bar.update_ticks()
    fig.tight_layout()
    return fig
