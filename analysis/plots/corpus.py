"""Figures of the corpus table (:func:`analysis.corpus.load_corpus`).

matplotlib is heavy: it is imported inside each drawing function, not with this module.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["MAX_BARS", "plot_report_lengths"]

#: Above this many reports, :func:`plot_report_lengths` draws a histogram instead of bars.
MAX_BARS = 40


def plot_report_lengths(corpus: pd.DataFrame):
    """Report lengths (characters of ``text``): one labelled bar per report, or a histogram.

    Bars are labelled with the issuer (Chinese) and report year; with more than
    :data:`MAX_BARS` readable reports a histogram of lengths is drawn instead. Returns the
    Figure.
    """
    import matplotlib.pyplot as plt

    from analysis.plots.fonts import use_cjk_font

    use_cjk_font()
    ok = corpus[corpus["status"] != "error"]
    if len(ok) > MAX_BARS:
        fig, ax = plt.subplots(figsize=(8, 4))
        ax.hist(ok["n_chars"].to_numpy(), bins=30, color="#4c72b0")
        ax.set_xlabel("characters of report text (after removing web-page furniture)")
        ax.set_ylabel("reports")
        ax.set_title(f"Report lengths ({len(ok):,} reports)")
        fig.tight_layout()
        return fig
    labels = [
        f"{(i if isinstance(i, str) else d)} ({y if pd.notna(y) else '?'})"
        for i, d, y in zip(ok["issuer"].fillna(ok["doc_id"]), ok["doc_id"], ok["report_year"])
    ]
    fig, ax = plt.subplots(figsize=(8, 0.45 * max(len(ok), 3) + 1))
    ax.barh(range(len(ok)), ok["n_chars"].to_numpy(), color="#4c72b0")
    ax.set_yticks(range(len(ok)), labels)
    ax.invert_yaxis()
    ax.set_xlabel("characters of report text (after removing web-page furniture)")
    ax.set_title("Report lengths")
    for i, n in enumerate(ok["n_chars"]):
        ax.text(n, i, f" {n:,}", va="center", fontsize=8)
    fig.tight_layout()
    return fig
