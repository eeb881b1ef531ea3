"""Tests for analysis.plots.indicators: the figures of the indicator stage."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.indicators import audit_numbers, extract_indicators, summary
from analysis.plots import indicators as plots


@pytest.fixture(scope="module")
def agg() -> None:
    import matplotlib

    matplotlib.use("Agg")


def test_figures_group_large_corpora_by_year(agg: None, monkeypatch: pytest.MonkeyPatch) -> None:
    import matplotlib.pyplot as plt

    corpus = pd.DataFrame(
        {"doc_id": [f"r{i}" for i in range(6)], "issuer": ["某街道"] * 6, "report_year": [2022, 2022, 2023, 2023, 2023, None],
         "text": ["立案8宗,发放宣传资料1万份。"] * 6}
    )  # fmt: skip
    monkeypatch.setattr(summary, "MAX_REPORTS_SHOWN", 3)
    mapping, order, grouped = plots._groups(corpus, "issuer")
    assert grouped and order == ["2022 (n=2)", "2023 (n=3)", "year unknown (n=1)"]
    got = extract_indicators(corpus)
    for fig in (plots.plot_indicator_density(got, corpus), plots.plot_indicator_categories(got, corpus),
                plots.plot_audit_classes(audit_numbers(corpus), corpus)):  # fmt: skip
        fig.canvas.draw()
        labels = [t.get_text() for t in fig.axes[0].get_yticklabels() + fig.axes[0].get_xticklabels()]
        assert "2023 (n=3)" in labels
        plt.close(fig)


def test_figures(agg: None, seed_corpus: pd.DataFrame) -> None:
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    seed_rows = extract_indicators(seed_corpus)
    audit = audit_numbers(seed_corpus)
    for fig in (
        plots.plot_indicator_density(seed_rows, seed_corpus),
        plots.plot_indicator_categories(seed_rows, seed_corpus),
        plots.plot_audit_classes(audit, seed_corpus),
    ):
        assert isinstance(fig, Figure)
        fig.canvas.draw()  # a missing CJK glyph raises here (warnings are errors)
        plt.close(fig)


def test_old_names_still_work() -> None:
    import analysis
    import analysis.indicators

    for name in ("plot_indicator_density", "plot_indicator_categories", "plot_audit_classes"):
        assert getattr(analysis, name) is getattr(plots, name)
        assert getattr(analysis.indicators, name) is getattr(plots, name)


@pytest.mark.parametrize("max_shown", [3, 100])
def test_figures_from_counts_equal_figures_from_rows(agg: None, tmp_path, monkeypatch: pytest.MonkeyPatch, max_shown: int) -> None:
    """The command line draws the audit, density and category figures from counts per report read
    partition by partition (analysis.pipeline.figures._counts): the same bars and cells."""
    import matplotlib.pyplot as plt
    import numpy as np

    from analysis.pipeline.dataset import write_partition
    from analysis.pipeline.figures import _counts

    texts = ["2023年立案8宗,发放宣传资料1万份,调解纠纷36件,行政复议纠错率为5%。", "开展培训3期,培训120人次。", "一、主要举措\n受理12件。"]
    corpus = pd.DataFrame({"doc_id": [f"r{i}" for i in range(6)], "issuer": ["某街道"] * 6,
                           "report_year": [2022, 2022, 2023, 2023, 2023, None], "text": texts * 2})  # fmt: skip
    monkeypatch.setattr(summary, "MAX_REPORTS_SHOWN", max_shown)
    audit, indicators = audit_numbers(corpus), extract_indicators(corpus)
    for name, table in (("audit", audit), ("indicators", indicators)):  # two partitions each
        write_partition(table.iloc[: len(table) // 2], tmp_path, name, 0)
        write_partition(table.iloc[len(table) // 2 :], tmp_path, name, 1)
    counts = _counts(tmp_path, "audit", "class")
    assert counts["n"].sum() == len(audit) and len(counts) < len(audit)

    def bars(fig):  # (left, width) of every bar and the image of a heatmap
        ax = fig.axes[0]
        out = [(p.get_x(), p.get_width(), p.get_y()) for p in ax.patches]
        out += [np.asarray(im.get_array()).tolist() for im in ax.images]
        out += [t.get_text() for t in ax.texts + ax.get_yticklabels() + ax.get_xticklabels()]
        plt.close(fig)
        return out

    assert bars(plots.plot_audit_classes(counts, corpus)) == bars(plots.plot_audit_classes(audit, corpus))
    assert bars(plots.plot_indicator_density(_counts(tmp_path, "indicators", "kind"), corpus)) == bars(
        plots.plot_indicator_density(indicators, corpus)
    )
    assert bars(plots.plot_indicator_categories(_counts(tmp_path, "indicators", "category"), corpus)) == bars(
        plots.plot_indicator_categories(indicators, corpus)
    )
