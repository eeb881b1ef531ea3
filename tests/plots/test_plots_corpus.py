"""Figure of the corpus table: bars for a few reports, a histogram for many."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

import analysis  # noqa: E402
from analysis.plots import MAX_BARS, plot_report_lengths  # noqa: E402


def test_bars_labelled_with_issuer_and_year(seed_corpus: pd.DataFrame) -> None:
    fig = plot_report_lengths(seed_corpus)
    try:
        ax = fig.axes[0]
        labels = [t.get_text() for t in ax.get_yticklabels()]
        assert len(ax.patches) == len(seed_corpus)
        assert labels[3] == "白云湖街 (2020)"
    finally:
        plt.close(fig)


def test_histogram_above_max_bars() -> None:
    many = pd.DataFrame({
        "doc_id": [f"d{i}" for i in range(MAX_BARS + 1)], "status": "ok", "issuer": None,
        "report_year": pd.array([None] * (MAX_BARS + 1), dtype="Int64"), "n_chars": range(MAX_BARS + 1),
    })
    fig = plot_report_lengths(many)
    try:
        assert f"{MAX_BARS + 1:,} reports" in fig.axes[0].get_title()
    finally:
        plt.close(fig)


def test_old_name_still_works() -> None:
    assert analysis.plot_report_lengths is plot_report_lengths
