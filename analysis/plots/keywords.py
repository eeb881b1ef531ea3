"""Figures of the keyword stage: word clouds, top terms, keyword trends, keyness.

Each function takes a table of :mod:`analysis.keywords` and returns a
``matplotlib.figure.Figure`` drawn with the package's Chinese font
(:func:`analysis.plots.fonts.use_cjk_font`). matplotlib and wordcloud are imported
inside the functions (heavy imports).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["plot_keyness", "plot_keyword_trends", "plot_top_terms", "plot_wordcloud", "plot_wordclouds"]


def _frequency_dict(frequencies: pd.DataFrame | Mapping[str, float], value: str = "n") -> dict[str, float]:
    """Frequencies ordered by value desc then term, so ties are laid out reproducibly."""
    if isinstance(frequencies, pd.DataFrame):
        items = zip(frequencies["term"].astype(str), frequencies[value].astype(float))
    else:
        items = ((str(k), float(v)) for k, v in frequencies.items())
    merged: dict[str, float] = {}
    for k, v in items:
        if v > 0:
            merged[k] = merged.get(k, 0.0) + v
    return dict(sorted(merged.items(), key=lambda kv: (-kv[1], kv[0])))


def _wordcloud_image(freqs: dict[str, float], *, max_words: int, random_state: int, width: int, height: int) -> np.ndarray:
    from wordcloud import WordCloud

    from analysis.plots.fonts import cjk_font_path

    cloud = WordCloud(
        font_path=str(cjk_font_path(simplified=True)),
        width=width,
        height=height,
        max_words=max_words,
        background_color="white",
        random_state=random_state,
        prefer_horizontal=0.9,
        colormap="viridis",
        min_font_size=8,
    )
    cloud.generate_from_frequencies(freqs)
    return cloud.to_array()


def plot_wordcloud(
    frequencies: pd.DataFrame | Mapping[str, float],
    *,
    value: str = "n",
    max_words: int = 100,
    random_state: int = 42,
    width: int = 900,
    height: int = 540,
    title: str | None = None,
) -> Figure:
    """A word cloud of term frequencies, drawn in Simplified-Chinese glyphs.

    Parameters
    ----------
    frequencies : DataFrame with ``term`` and ``value`` columns, or mapping term -> weight
        E.g. :func:`analysis.term_frequencies` output (rows of one group).
    value : str, default "n"
        Weight column.
    max_words, width, height : int
    random_state : int, default 42
        Seed of the layout and colours: the same input gives the same picture.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        The font is the SC face of Noto Sans CJK (see :mod:`analysis.plots.fonts`).
    """
    import matplotlib.pyplot as plt

    from analysis.plots.fonts import use_cjk_font

    use_cjk_font()
    freqs = _frequency_dict(frequencies, value)
    if not freqs:
        raise ValueError("no term with a positive frequency to draw")
    image = _wordcloud_image(freqs, max_words=max_words, random_state=random_state, width=width, height=height)
    fig, ax = plt.subplots(figsize=(width / 100, height / 100))
    ax.imshow(image, interpolation="bilinear")
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def plot_wordclouds(
    frequencies: pd.DataFrame,
    *,
    by: str = "doc_id",
    value: str = "n",
    titles: Mapping[Any, str] | None = None,
    ncols: int = 2,
    max_panels: int = 12,
    max_words: int = 50,
    random_state: int = 42,
    width: int = 500,
    height: int = 300,
) -> Figure:
    """One word cloud per group (report), in a grid.

    Parameters
    ----------
    frequencies : pandas.DataFrame
        :func:`analysis.term_frequencies` output with a ``by`` column.
    by : str, default "doc_id"
    value : str, default "n"
    titles : mapping group -> title, optional
        Panel titles (default: the group value).
    ncols, max_panels, max_words, random_state, width, height : int
        At most ``max_panels`` groups are drawn (the first ones in table order); the
        figure's title says how many were left out. ``width``/``height``: pixels of
        each cloud.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    from analysis.plots.fonts import use_cjk_font

    use_cjk_font()
    groups = list(pd.unique(frequencies[by]))
    shown = groups[:max_panels]
    nrows = max(1, math.ceil(len(shown) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(width / 100 * ncols, (height / 100 + 0.4) * nrows), squeeze=False)
    for ax, group in zip(axes.ravel(), shown):
        freqs = _frequency_dict(frequencies[frequencies[by] == group], value)
        if freqs:
            ax.imshow(
                _wordcloud_image(freqs, max_words=max_words, random_state=random_state, width=width, height=height),
                interpolation="bilinear",
            )
        ax.set_title(str(titles.get(group, group)) if titles else str(group), fontsize=10)
    for ax in axes.ravel():
        ax.set_axis_off()
    if len(groups) > len(shown):
        fig.suptitle(f"first {len(shown)} of {len(groups)} groups")
        fig.tight_layout(rect=(0, 0, 1, 1 - 0.35 / fig.get_figheight()))
    else:
        fig.tight_layout()
    return fig


def plot_top_terms(
    frequencies: pd.DataFrame,
    *,
    n: int = 20,
    value: str = "rate_per_10k",
    by: str | None = None,
    titles: Mapping[Any, str] | None = None,
    ncols: int = 3,
    max_panels: int = 12,
    title: str | None = None,
) -> Figure:
    """Horizontal bar chart of the top ``n`` terms, overall or one panel per group.

    Parameters
    ----------
    frequencies : pandas.DataFrame
        :func:`analysis.term_frequencies` output (``term`` and ``value`` columns, plus ``by``).
    n : int, default 20
    value : str, default "rate_per_10k"
    by : str, optional
        Group column: one panel per group (first ``max_panels`` groups).
    titles : mapping group -> panel title, optional
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    from analysis.plots.fonts import use_cjk_font

    use_cjk_font()
    groups = list(pd.unique(frequencies[by]))[:max_panels] if by else [None]
    cols = min(ncols, len(groups))
    rows = math.ceil(len(groups) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 0.22 * n * rows + 1.2), squeeze=False)
    for ax, group in zip(axes.ravel(), groups):
        sub = frequencies if group is None else frequencies[frequencies[by] == group]
        sub = sub.sort_values([value, "term"], ascending=[False, True], kind="stable").head(n)
        ax.barh(range(len(sub))[::-1], sub[value].to_numpy(), color="#4C72B0")
        ax.set_yticks(range(len(sub))[::-1], sub["term"].astype(str).tolist(), fontsize=9)
        ax.set_xlabel({"rate_per_10k": "每万词 (per 10,000 tokens)", "n": "次数 (count)"}.get(value, value))
        if group is not None:
            ax.set_title(str(titles.get(group, group)) if titles else str(group), fontsize=10)
    for ax in axes.ravel()[len(groups) :]:
        ax.set_axis_off()
    if title:
        fig.suptitle(title)
        fig.tight_layout(rect=(0, 0, 1, 1 - 0.35 / fig.get_figheight()))
    else:
        fig.tight_layout()
    return fig


def plot_keyword_trends(trends: pd.DataFrame, *, by: str = "report_year", title: str | None = None) -> Figure:
    """Line chart of :func:`analysis.keyword_trends`: rate per 10,000 tokens per group and term.

    The x axis labels carry the number of reports (``2020 (n=1)``); points resting on a
    single report are drawn hollow, so a reader does not take one report for a trend.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    from analysis.plots.fonts import use_cjk_font

    use_cjk_font()
    labels = trends.drop_duplicates(by)[[by, "label"]]
    x_of = {v: i for i, v in enumerate(labels[by].tolist())}
    fig, ax = plt.subplots(figsize=(max(6.0, 1.3 * len(x_of) + 3), 4.5))
    cmap = plt.get_cmap("tab20")
    for k, (term, sub) in enumerate(trends.groupby("term", sort=False)):
        xs = [x_of[v] for v in sub[by]]
        color = cmap(k % 20)
        ax.plot(xs, sub["rate_per_10k"], color=color, label=str(term), linewidth=1.5)
        single = sub["single_report"].to_numpy()
        rates = sub["rate_per_10k"].to_numpy()
        xs_arr = np.asarray(xs)
        ax.scatter(xs_arr[~single], rates[~single], color=color, zorder=3, s=25)
        ax.scatter(xs_arr[single], rates[single], facecolors="white", edgecolors=color, zorder=3, s=25)
    ax.set_xticks(range(len(x_of)), labels["label"].tolist())
    ax.set_ylabel("每万词 (per 10,000 tokens)")
    ax.set_xlabel(f"{by} (n = reports; hollow points: one report)")
    ax.legend(fontsize=8, ncol=2, bbox_to_anchor=(1.01, 1), loc="upper left")
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def plot_keyness(table: pd.DataFrame, *, n: int = 15, target_label: str = "target", reference_label: str = "reference") -> Figure:
    """Diverging bars of the ``n`` most over- and under-used terms (quanteda's textplot_keyness).

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`analysis.keyness` output.
    n : int, default 15
    target_label, reference_label : str
        Legend names of the two sides.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    from analysis.plots.fonts import use_cjk_font

    use_cjk_font()
    stat = next(c for c in ("G2", "chi2", "pmi") if c in table.columns)
    top = table[table[stat] > 0].head(n)
    bottom = table[table[stat] < 0].tail(n)
    shown = pd.concat([top, bottom])
    fig, ax = plt.subplots(figsize=(7, 0.25 * len(shown) + 1.5))
    ys = np.arange(len(shown))[::-1]
    colors = np.where(shown[stat].to_numpy() > 0, "#C44E52", "#8C8C8C")
    ax.barh(ys, shown[stat].to_numpy(), color=colors)
    ax.set_yticks(ys, shown["term"].astype(str).tolist(), fontsize=9)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel(f"{stat} (signed: + over-used in {target_label}, − in {reference_label})")
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(color="#C44E52", label=target_label), Patch(color="#8C8C8C", label=reference_label)], fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig
