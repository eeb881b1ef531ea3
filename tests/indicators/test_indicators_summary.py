"""Tests for analysis.indicators.summary: density per report, indicators across reports."""

from __future__ import annotations

import pandas as pd

from analysis.indicators import compare_indicators, extract_indicators, indicator_density


def test_density_and_comparison() -> None:
    corpus = pd.DataFrame({"doc_id": ["a", "b"], "text": ["立案80宗,罚款2万元。", "立案3宗,立案2宗,力争立案10宗。"]})
    got = extract_indicators(corpus)
    dens = indicator_density(got, corpus)
    assert dens["n_quantities"].tolist() == [2, 3]
    assert dens["n_target"].tolist() == [0, 1]
    table = compare_indicators(got)
    assert table.loc[("enforcement_cases_filed", "宗"), "a"] == 80
    assert table.loc[("enforcement_cases_filed", "宗"), "b"] == 5  # the target is left out
    assert table.loc[("fines_amount", "元"), "a"] == 20000
    summary = compare_indicators(got, summary=True)
    assert summary.loc[("enforcement_cases_filed", "宗")].tolist() == [42.5, 5, 80, 2, 3]
