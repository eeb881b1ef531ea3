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

_MAX_LABELLED = 60
_PART_COLORS = {
    "preamble": "#bdbdbd",
    "measures": "#4c78a8",
    "leadership": "#72b7b2",
    "shortcomings": "#e45756",
    "plans": "#54a24b",
    "other": "#eeca3b",
}


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
        Output of :func:`analysis.structure.parse_sections`.
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
