"""Tests for analysis.keywords.trends: watch-list rates per year with the reports behind them."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import keywords as kw


def test_keyword_trends_carry_n_per_year(tiny_tokens, tiny_meta):
    trends = kw.keyword_trends(tiny_tokens, {"执法": ["执法"], "普法/调解": ["普法", "调解"], "疫情": ["疫情"]}, corpus=tiny_meta)
    assert len(trends) == 2 * 3  # every year x term, zeros included
    row = trends.set_index(["report_year", "term"])
    assert row.loc[(2020, "执法"), "n"] == 2
    assert row.loc[(2020, "执法"), "rate_per_10k"] == pytest.approx(2 / 3 * 10_000)
    assert row.loc[(2023, "普法/调解"), "n"] == 2
    assert row.loc[(2023, "疫情"), "n"] == 0
    assert row.loc[(2020, "执法"), "n_reports"] == 1 and bool(row.loc[(2020, "执法"), "single_report"])
    assert row.loc[(2023, "执法"), "n_reports"] == 2 and not bool(row.loc[(2023, "执法"), "single_report"])
    assert row.loc[(2020, "执法"), "label"] == "2020 (n=1)"
    assert row.loc[(2023, "普法/调解"), "n_reports_with_term"] == 2


def test_keyword_trends_contains_match():
    tokens = pd.DataFrame({"doc_id": ["a", "a", "b"], "term": ["智慧城管", "数字化", "智慧"]})
    meta = pd.DataFrame({"doc_id": ["a", "b"], "report_year": [2020, 2021]})
    exact = kw.keyword_trends(tokens, {"智慧": ["智慧"]}, corpus=meta)
    contains = kw.keyword_trends(tokens, {"智慧": ["智慧"]}, corpus=meta, match="contains")
    assert exact["n"].tolist() == [0, 1]
    assert contains["n"].tolist() == [1, 1]

