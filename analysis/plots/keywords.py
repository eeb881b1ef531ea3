"""Figures of the keyword stage: word clouds, top terms, keyword trends, keyness.

Each function takes a table of :mod:`analysis.keywords` and returns a
``matplotlib.figure.Figure`` drawn with the package's Chinese font
(:func:`analysis.plots.fonts.use_cjk_font`). Reports are named by
:func:`analysis.plots.labels.report_labels` wherever a figure names them, and each
figure's title or caption states the sample it rests on. matplotlib and wordcloud are
imported inside the functions (heavy imports).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from analysis.keywords import place_terms
from analysis.plots.labels import report_labels

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["plot_keyness", "plot_keyword_trends", "plot_top_terms", "plot_wordcloud", "plot_wordclouds"]

MAX_WIDTH = 12.0
"""Widest figure drawn here, in inches, whatever the number of years or groups."""


def _frequency_dict(
    frequencies: pd.DataFrame | Mapping[str, float], value: str = "n", *, drop_places: bool = False
) -> dict[str, float]:
    """Frequencies ordered by value desc then term, so ties are laid out reproducibly."""
    if isinstance(frequencies, pd.DataFrame):
        items = zip(frequencies["term"].astype(str), frequencies[value].astype(float))
    else:
        items = ((str(k), float(v)) for k, v in frequencies.items())
    places = place_terms() if drop_places else frozenset()
    merged: dict[str, float] = {}
    for k, v in items:
        if v > 0 and k not in places:
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
    drop_places: bool = True,
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
        Say which reports the cloud rests on (e.g. ``"All reports (n=5)"``).
    drop_places : bool, default True
        Leave out place names of the gazetteer (:func:`analysis.keywords.place_terms`),
        so that the corpus's own district and street names do not fill the cloud.

    Returns
    -------
    matplotlib.figure.Figure
        The font is the SC face of Noto Sans CJK (see :mod:`analysis.plots.fonts`).
    """
    import matplotlib.pyplot as plt

    from analysis.plots.fonts import use_cjk_font

    use_cjk_font()
    freqs = _frequency_dict(frequencies, value, drop_places=drop_places)
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
    corpus: pd.DataFrame | None = None,
    ncols: int = 2,
    max_panels: int = 12,
    max_words: int = 50,
    random_state: int = 42,
    width: int = 500,
    height: int = 300,
    drop_places: bool = True,
    title: str | None = None,
) -> Figure:
    """One word cloud per group (report), in a grid.

    Parameters
    ----------
    frequencies : pandas.DataFrame
        :func:`analysis.term_frequencies` output with a ``by`` column.
    by : str, default "doc_id"
    value : str, default "n"
    titles : mapping group -> title, optional
        Panel titles (default: the report's label when ``by="doc_id"`` and ``corpus``
        is given, else the group value).
    corpus : pandas.DataFrame, optional
        Report metadata for the panel titles (:func:`analysis.plots.labels.report_labels`).
    ncols, max_panels, max_words, random_state, width, height : int
        At most ``max_panels`` groups are drawn (the first ones in table order); the
        figure's title then says so. ``width``/``height``: pixels of each cloud; the
        figure is at most :data:`MAX_WIDTH` inches wide.
    drop_places : bool, default True
        As :func:`plot_wordcloud`.
    title : str, optional
        The figure's title (say which reports it rests on); a line naming the groups
        left out is added when there are more than ``max_panels``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    from analysis.plots.fonts import use_cjk_font

    use_cjk_font()
    titles = _panel_titles(titles, by, corpus)
    groups = list(pd.unique(frequencies[by]))
    shown = groups[:max_panels]
    nrows = max(1, math.ceil(len(shown) / ncols))
    if len(groups) > len(shown):
        note = f"{len(shown)} of {len(groups)} {by} groups shown: the first {len(shown)} in table order"
        title = f"{title}\n{note}" if title else note
    title_height = 0.35 * (title.count("\n") + 1) if title else 0.0
    scale = min(1.0, MAX_WIDTH / (width / 100 * ncols))
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(width / 100 * ncols * scale, (height / 100 * scale + 0.6) * nrows + title_height), squeeze=False
    )
    for ax, group in zip(axes.ravel(), shown):
        freqs = _frequency_dict(frequencies[frequencies[by] == group], value, drop_places=drop_places)
        if freqs:
            ax.imshow(
                _wordcloud_image(freqs, max_words=max_words, random_state=random_state, width=width, height=height),
                interpolation="bilinear",
            )
        ax.set_title(str(titles.get(group, group)) if titles else str(group), fontsize=10)
    for ax in axes.ravel():
        ax.set_axis_off()
    if title:
        fig.suptitle(title)
        fig.tight_layout(rect=(0, 0, 1, 1 - title_height / fig.get_figheight()))
    else:
        fig.tight_layout()
    return fig


def _panel_titles(titles: Mapping[Any, str] | None, by: str | None, corpus: pd.DataFrame | None) -> Mapping[Any, str] | None:
    """Titles given, else report labels for ``by="doc_id"`` panels when the corpus is known."""
    if titles is None and by == "doc_id" and corpus is not None:
        return report_labels(corpus).to_dict()
    return titles


def plot_top_terms(
    frequencies: pd.DataFrame,
    *,
    n: int = 20,
    value: str = "rate_per_10k",
    by: str | None = None,
    titles: Mapping[Any, str] | None = None,
    corpus: pd.DataFrame | None = None,
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
        Default: the report's label when ``by="doc_id"`` and ``corpus`` is given.
    corpus : pandas.DataFrame, optional
        Report metadata for the panel titles (:func:`analysis.plots.labels.report_labels`).
    title : str, optional
        The figure's title; say which reports it rests on. When groups are left out
        (more than ``max_panels``) a line saying which is added.

    Returns
    -------
    matplotlib.figure.Figure
        At most :data:`MAX_WIDTH` inches wide.
    """
    import matplotlib.pyplot as plt

    from analysis.plots.fonts import use_cjk_font

    use_cjk_font()
    titles = _panel_titles(titles, by, corpus)
    all_groups = list(pd.unique(frequencies[by])) if by else [None]
    groups = all_groups[:max_panels]
    if len(all_groups) > len(groups):
        note = f"{len(groups)} of {len(all_groups)} {by} groups shown: the first {len(groups)} in table order"
        title = f"{title}\n{note}" if title else note
    cols = min(ncols, len(groups))
    rows = math.ceil(len(groups) / cols)
    height = rows * max(0.22 * n + 0.6, 1.6) + 0.6 + (0.35 * (title.count("\n") + 1) if title else 0.0)
    fig, axes = plt.subplots(rows, cols, figsize=(min(4.2 * cols, MAX_WIDTH), height), squeeze=False)
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
        fig.tight_layout(rect=(0, 0, 1, 1 - 0.35 * (title.count("\n") + 1) / fig.get_figheight()))
    else:
        fig.tight_layout()
    return fig


def _runs(xs: np.ndarray, step: float) -> list[np.ndarray]:
    """Indices of ``xs`` (sorted) split where the next value is more than ``step`` away."""
    if not len(xs):
        return []
    breaks = np.flatnonzero(np.diff(xs) > step * 1.5) + 1
    return np.split(np.arange(len(xs)), breaks)


def plot_keyword_trends(
    trends: pd.DataFrame,
    *,
    by: str = "report_year",
    title: str | None = None,
    max_width: float = MAX_WIDTH,
) -> Figure:
    """Rates of :func:`analysis.keyword_trends` per year, with intervals and the reports behind them.

    With a numeric ``by`` (years) the x axis is numeric: a missing year is a visible gap
    (lines break there and the gap is shaded), however long the series. Below the rates,
    a strip of bars shows the number of reports per year. Points resting on one report
    are hollow; vertical bars are the bootstrap intervals of ``keyword_trends(ci=...)``
    where the table has them. The figure is at most ``max_width`` inches wide whatever the
    number of years. A non-numeric ``by`` (e.g. ``issuer_type``) gets one labelled
    position per group.

    Parameters
    ----------
    trends : pandas.DataFrame
        :func:`analysis.keyword_trends` output.
    by : str, default "report_year"
    title : str, optional
        First line of the title; a second line always states the sample (reports,
        years, gaps) and how to read the marks.
    max_width : float, default 12
        Widest figure, in inches.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes: rates (top) and reports per group (bottom).
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    from analysis.plots.fonts import use_cjk_font

    use_cjk_font()
    groups = trends.drop_duplicates(by)[[by, "n_reports", "label"]]
    numeric = pd.api.types.is_numeric_dtype(trends[by]) and not pd.api.types.is_bool_dtype(trends[by])
    missing = int(groups.loc[groups[by].isna(), "n_reports"].sum()) if numeric else 0
    if numeric:
        groups = groups[groups[by].notna()]
        x_of = {v: float(v) for v in groups[by]}
        xs_all = np.sort(np.asarray(list(x_of.values()), dtype=float))
        step = float(np.min(np.diff(xs_all))) if len(xs_all) > 1 else 1.0
        span = (xs_all[-1] - xs_all[0]) / step + 1 if len(xs_all) else 1
        width = min(max_width, max(6.5, 0.16 * span + 5.0))
    else:
        x_of = {v: float(i) for i, v in enumerate(groups[by].tolist())}
        step = 1.0
        width = min(max_width, max(6.5, 0.6 * len(x_of) + 5.0))
    fig, (ax, ax_n) = plt.subplots(
        2, 1, figsize=(width, 5.6), sharex=True, gridspec_kw={"height_ratios": [4, 1]}, layout="constrained"
    )
    cmap = plt.get_cmap("tab10" if trends["term"].nunique() <= 10 else "tab20")
    has_ci = {"ci_low", "ci_high"} <= set(trends.columns)
    for k, (term, sub) in enumerate(trends.groupby("term", sort=False)):
        sub = sub[sub[by].isin(list(x_of))]
        sub = sub.assign(_x=sub[by].map(x_of).astype(float)).sort_values("_x")
        xs = sub["_x"].to_numpy()
        rates = sub["rate_per_10k"].to_numpy(dtype=float)
        single = sub["single_report"].to_numpy(dtype=bool)
        color = cmap(k % cmap.N)
        for run in _runs(xs, step) if numeric else [np.arange(len(xs))]:
            ax.plot(xs[run], rates[run], color=color, linewidth=1.4, label=str(term) if run[0] == 0 else None)
        if has_ci:
            low = sub["ci_low"].to_numpy(dtype=float)
            high = sub["ci_high"].to_numpy(dtype=float)
            ok = np.isfinite(low) & np.isfinite(high)
            ax.vlines(xs[ok], low[ok], high[ok], color=color, linewidth=1.0, alpha=0.45)
        ax.scatter(xs[~single], rates[~single], color=color, zorder=3, s=18)
        ax.scatter(xs[single], rates[single], facecolors="white", edgecolors=color, zorder=3, s=22, linewidths=1.2)
    xs_groups = np.asarray([x_of[v] for v in groups[by]], dtype=float)
    ax_n.bar(xs_groups, groups["n_reports"].to_numpy(), width=0.8 * step, color="#8C8C8C")
    if numeric and len(xs_all) > 1:
        for run in _runs(xs_all, step)[:-1]:
            gap_start, gap_end = xs_all[run[-1]] + step / 2, xs_all[run[-1] + 1] - step / 2
            for a in (ax, ax_n):
                a.axvspan(gap_start, gap_end, color="#EEEEEE", zorder=0, linewidth=0)
        ax_n.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=min(12, int(span) + 1)))
    elif not numeric:
        ax_n.set_xticks(list(x_of.values()), [str(v) for v in x_of], rotation=45 if len(x_of) > 8 else 0, ha="right" if len(x_of) > 8 else "center")
    ax.set_ylabel("每万词 (per 10,000 tokens)")
    ax_n.set_ylabel("reports", fontsize=8)
    ax_n.set_xlabel(by)
    ax.legend(fontsize=8, ncol=1, bbox_to_anchor=(1.01, 1), loc="upper left", frameon=False)
    fig.suptitle(_trends_caption(trends, groups, by, numeric, has_ci, missing, title), fontsize=10)
    return fig


def _trends_caption(
    trends: pd.DataFrame, groups: pd.DataFrame, by: str, numeric: bool, has_ci: bool, missing: int, title: str | None
) -> str:
    n_reports = int(groups["n_reports"].sum())
    if numeric and len(groups):
        values = groups[by].astype(float)
        lo, hi = int(values.min()), int(values.max())
        gaps = int(hi - lo + 1 - len(groups)) if values.apply(float.is_integer).all() else 0
        sample = f"{n_reports:,} reports, {len(groups)} {by} values {lo}–{hi}" + (f", {gaps} missing (shaded)" if gaps else "")
    else:
        sample = f"{n_reports:,} reports in {len(groups)} {by} groups"
    if missing:
        sample += f"; {missing:,} reports without {by} not shown"
    level = trends.attrs.get("ci")
    marks = "hollow: one report" + (f"; bars: {level:.0%} bootstrap interval" if has_ci and level else "; bars: interval" if has_ci else "")
    first = title or "Keyword trends"
    return f"{first}\n{sample} ({marks})"


def plot_keyness(
    table: pd.DataFrame,
    *,
    n: int = 15,
    target_label: str = "target",
    reference_label: str = "reference",
    n_target: int | None = None,
    n_reference: int | None = None,
    title: str | None = None,
) -> Figure:
    """Diverging bars of the ``n`` most over- and under-used terms (quanteda's textplot_keyness).

    The title names both groups with their number of reports (``2023 (n=3) vs other
    years (n=2)``), read from the table's ``attrs`` (set by :func:`analysis.keyness`)
    unless given.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`analysis.keyness` output.
    n : int, default 15
    target_label, reference_label : str
        Names of the two sides (legend and title).
    n_target, n_reference : int, optional
        Reports on each side (default: ``table.attrs``).
    title : str, optional
        A first title line above the comparison.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    from analysis.plots.fonts import use_cjk_font

    use_cjk_font()
    stat = next(c for c in ("G2", "chi2", "pmi") if c in table.columns)
    top = table[table[stat] > 0].head(n)
    bottom = table[table[stat] < 0].tail(n)
    shown = pd.concat([top, bottom])
    fig, ax = plt.subplots(figsize=(7.5, 0.25 * len(shown) + 1.9))
    ys = np.arange(len(shown))[::-1]
    colors = np.where(shown[stat].to_numpy() > 0, "#C44E52", "#8C8C8C")
    ax.barh(ys, shown[stat].to_numpy(), color=colors)
    ax.set_yticks(ys, shown["term"].astype(str).tolist(), fontsize=9)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel(f"{stat} (signed: + over-used in {target_label}, − in {reference_label})")
    ax.legend(handles=[Patch(color="#C44E52", label=target_label), Patch(color="#8C8C8C", label=reference_label)], fontsize=8, loc="lower right")
    _keyness_title(ax, table, target_label, reference_label, n_target, n_reference, title)
    fig.tight_layout()
    return fig


def _keyness_title(
    ax: Axes,
    table: pd.DataFrame,
    target_label: str,
    reference_label: str,
    n_target: int | None,
    n_reference: int | None,
    title: str | None,
) -> None:
    n_target = table.attrs.get("n_target_docs") if n_target is None else n_target
    n_reference = table.attrs.get("n_reference_docs") if n_reference is None else n_reference

    def side(label: str, k: int | None) -> str:
        return label if k is None else f"{label} (n={k})"

    line = f"Keyness: {side(target_label, n_target)} vs {side(reference_label, n_reference)}"
    ax.set_title(f"{title}\n{line}" if title else line, fontsize=10)
