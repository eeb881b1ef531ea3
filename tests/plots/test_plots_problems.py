"""The theme heatmap."""

from __future__ import annotations

import warnings

import matplotlib
import pandas as pd

matplotlib.use("Agg")

from analysis import problems as P  # noqa: E402
from analysis.plots.problems import plot_theme_heatmap  # noqa: E402

from problems.helpers import CODED, META  # noqa: E402 - tests/problems (tests/ is on sys.path)


def test_plot_theme_heatmap_draws_chinese_labels_without_missing_glyphs():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a "Glyph … missing" warning fails the test
        fig = plot_theme_heatmap(CODED, corpus=META.assign(issuer=["甲街道", "乙街道", "丙局", "丁镇", "戊"]))
        fig.canvas.draw()
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "人员力量与法律专业能力" in labels
    assert any("甲街道" in t.get_text() for t in ax.get_xticklabels())
    plt.close(fig)
    fig = plot_theme_heatmap(CODED, corpus=META, by="report_year", value="share", label="en", drop_empty=True)
    assert "Uncoded" in [t.get_text() for t in fig.axes[0].get_yticklabels()]
    plt.close(fig)
    fig = plot_theme_heatmap(CODED, max_groups=2)
    assert len(fig.axes[0].get_xticklabels()) == 2 and "2 of 3" in fig.axes[0].get_title()
    plt.close(fig)


def test_heatmap_of_no_items_draws_an_empty_figure():
    import matplotlib.pyplot as plt

    empty = pd.DataFrame({c: pd.Series(dtype="int64" if c in ("item", "start", "end") else "str")
                          for c in ("doc_id", "item", "text", "body", "start", "end")})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plt.close(plot_theme_heatmap(P.code_problems(empty)))


def test_heatmap_title_states_the_sample_and_the_rule_for_the_groups_shown():
    import matplotlib.pyplot as plt

    fig = plot_theme_heatmap(CODED, corpus=META, max_groups=2, labels={"a": "甲街道 2022"})
    title = fig.axes[0].get_title()
    # 4 readable reports (the error row left out), 5 items; a (3 codes) and b (1, before c by name) kept
    assert "4 reports, 5 items" in title and "2 of 4 reports shown: those with the most theme codes" in title
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["甲街道 2022", "b"]
    plt.close(fig)
