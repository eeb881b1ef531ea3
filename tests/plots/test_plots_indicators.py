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
