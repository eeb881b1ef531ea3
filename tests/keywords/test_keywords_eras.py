"""Keyword trends over a long, gappy series: a generated corpus of 47 years whose vocabulary
changes by era (tests/keywords/conftest.py::era_corpus); the tables must show the shifts
built into it, with the reports behind each year and intervals from resampling them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import keywords as kw

from .conftest import ERA_YEARS, SINGLE_YEARS

RULE_OF_LAW = {"法治": ["法治*", "*依法治*"]}


@pytest.fixture(scope="module")
def era_tokens(eras):
    return kw.tokenize(eras)


def _mean_rate(trends: pd.DataFrame, first: int, last: int, term: str) -> float:
    rows = trends[(trends["report_year"] >= first) & (trends["report_year"] <= last) & (trends["term"] == term)]
    return float((rows["n"].sum()) / rows["n_tokens"].sum() * 10_000)


def test_policy_terms_of_each_era_are_single_tokens(era_tokens):
    terms = set(era_tokens["term"].astype(str))
    for term in ["四个现代化", "有计划的商品经济", "社会主义市场经济体制", "科学发展观", "社会主义和谐社会",
                 "生态文明", "一带一路", "高质量发展", "中国式现代化", "全面依法治国", "法治政府建设"]:
        assert term in terms, term


def test_concept_trend_reproduces_the_built_in_shift_while_exact_matching_looks_flat(eras, era_tokens):
    concept = kw.keyword_trends(era_tokens, RULE_OF_LAW, corpus=eras, match="glob")
    exact = kw.keyword_trends(era_tokens, ["法治"], corpus=eras)
    # nothing of the family before 1992; 依法治国 from 1992; the whole family from 2013
    assert _mean_rate(concept, 1978, 1991, "法治") == 0
    before, after = _mean_rate(concept, 2003, 2012, "法治"), _mean_rate(concept, 2013, 2024, "法治")
    assert after > 2.2 * before > 0
    # the word 法治 alone: the same two uses per report in both periods
    flat_before, flat_after = _mean_rate(exact, 2003, 2012, "法治"), _mean_rate(exact, 2013, 2024, "法治")
    assert 0.8 < flat_after / flat_before < 1.25
    # the concept counts exactly the tokens its patterns match
    matched = kw.concept_matches(era_tokens, RULE_OF_LAW)
    assert set(matched["term"]) == {"法治", "依法治国", "全面依法治国", "法治政府建设", "法治建设", "法治政府", "法治中国", "法治社会建设"}
    assert matched["n"].sum() == concept["n"].sum()


@pytest.mark.parametrize(
    ("term", "first_year"),
    [("生态文明", 2007), ("高质量发展", 2017), ("中国式现代化", 2022), ("社会主义市场经济体制", 1992)],
)
def test_terms_appear_in_their_era_only(eras, era_tokens, term, first_year):
    trends = kw.keyword_trends(era_tokens, [term], corpus=eras, ci=None)
    years_with = trends.loc[trends["n"] > 0, "report_year"]
    assert years_with.min() == first_year
    assert (trends.loc[trends["report_year"] >= first_year, "n_reports_with_term"] == trends.loc[trends["report_year"] >= first_year, "n_reports"]).all() or term == "社会主义市场经济体制"


def test_text_matching_counts_strings_whatever_the_segmentation(eras, era_tokens):
    text = kw.keyword_trends(era_tokens, ["法治"], corpus=eras, match="text", ci=None)
    expected = eras.assign(n=eras["text"].str.count("法治")).groupby("report_year")["n"].sum()
    got = text.set_index("report_year")["n"]
    pd.testing.assert_series_equal(got, expected.loc[got.index], check_names=False)
    tokens_glob = kw.keyword_trends(era_tokens, {"法治": ["*法治*"]}, corpus=eras, match="glob", ci=None)
    assert (text["n"].to_numpy() >= tokens_glob["n"].to_numpy()).all()  # 依法治国 holds the string 法治


def test_trend_rows_carry_the_reports_and_gaps_stay_gaps(eras, era_tokens):
    trends = kw.keyword_trends(era_tokens, RULE_OF_LAW, corpus=eras, match="glob")
    assert trends["report_year"].tolist() == ERA_YEARS  # missing years have no row
    per_year = eras.groupby("report_year").size()
    assert trends.set_index("report_year")["n_reports"].equals(per_year.loc[ERA_YEARS].rename("n_reports"))
    assert set(trends.loc[trends["single_report"], "report_year"]) == SINGLE_YEARS


def test_bootstrap_intervals_are_seeded_and_resample_reports_within_years(eras, era_tokens):
    a = kw.keyword_trends(era_tokens, RULE_OF_LAW, corpus=eras, match="glob", seed=3)
    b = kw.keyword_trends(era_tokens, RULE_OF_LAW, corpus=eras, match="glob", seed=3)
    pd.testing.assert_frame_equal(a, b)
    single = a["single_report"]
    assert a.loc[single, ["ci_low", "ci_high"]].isna().all().all()
    multi = a[~single & (a["n"] > 0)]
    assert multi[["ci_low", "ci_high"]].notna().all().all()
    assert (multi["ci_low"] <= multi["ci_high"]).all()
    # the interval spans the reports' own rates: within [min, max] of the year's reports
    per_doc = kw.keyword_trends(era_tokens, RULE_OF_LAW, corpus=eras.assign(report_year=eras["doc_id"]), match="glob", ci=None)
    doc_rate = per_doc.set_index("report_year")["rate_per_10k"]
    for year, row in multi.set_index("report_year").iterrows():
        rates = doc_rate[eras.loc[eras["report_year"] == year, "doc_id"]]
        assert rates.min() - 1e-9 <= row["ci_low"] and row["ci_high"] <= rates.max() + 1e-9
    wide = kw.keyword_trends(era_tokens, RULE_OF_LAW, corpus=eras, match="glob", ci=0.99)
    narrow = kw.keyword_trends(era_tokens, RULE_OF_LAW, corpus=eras, match="glob", ci=0.5)
    ok = ~single & (a["n"] > 0)
    assert ((wide["ci_high"] - wide["ci_low"])[ok] >= (narrow["ci_high"] - narrow["ci_low"])[ok] - 1e-9).all()


def test_concept_term_frequencies_and_keyness(eras, era_tokens):
    concepts = {"法治": ["法治*", "*依法治*"], "改革": ["*改革*"], "现代化": ["*现代化*"], "从未出现": ["量子*"]}
    tf = kw.term_frequencies(era_tokens, by="report_year", corpus=eras, concepts=concepts)
    assert set(tf["term"]) == set(concepts)
    assert len(tf) == len(ERA_YEARS) * len(concepts)  # zeros included
    assert (tf.loc[tf["term"] == "从未出现", "n"] == 0).all()
    glob = kw.keyword_trends(era_tokens, concepts, corpus=eras, match="glob", ci=None)
    merged = tf.merge(glob, on=["report_year", "term"], suffixes=("", "_trend"))
    assert (merged["n"] == merged["n_trend"]).all()
    assert np.allclose(merged["rate_per_10k"], merged["rate_per_10k_trend"])
    recent = eras.loc[eras["report_year"] >= 2013, "doc_id"]
    key = kw.keyness(era_tokens, recent, concepts=concepts)
    assert key.iloc[0]["term"] == "法治" and key.iloc[0]["G2"] > 10
    assert "从未出现" not in set(key["term"])
    assert key.attrs["n_target_docs"] == len(recent)
    assert key.attrs["n_reference_docs"] == len(eras) - len(recent)
    assert key.attrs["n_target_tokens"] + key.attrs["n_reference_tokens"] == len(era_tokens)


def test_interval_of_a_year_with_many_reports_depends_on_the_seed_and_covers_the_rate():
    rng = np.random.default_rng(0)
    rows = []
    for d in range(30):  # 30 reports of one year, 50-150 tokens each, a varying share of 法治
        n = int(rng.integers(50, 151))
        hits = int(rng.binomial(n, rng.uniform(0.01, 0.1)))
        rows += [(f"d{d}", "法治")] * hits + [(f"d{d}", "其他")] * (n - hits)
    tokens = pd.DataFrame(rows, columns=["doc_id", "term"])
    meta = pd.DataFrame({"doc_id": [f"d{d}" for d in range(30)], "report_year": 2020})
    a = kw.keyword_trends(tokens, ["法治"], corpus=meta, seed=1).iloc[0]
    b = kw.keyword_trends(tokens, ["法治"], corpus=meta, seed=2).iloc[0]
    assert a["ci_low"] != b["ci_low"] and abs(a["ci_low"] - b["ci_low"]) < 0.1 * a["rate_per_10k"]
    assert a["ci_low"] < a["rate_per_10k"] < a["ci_high"]


# ----------------------------------------------------------------------------------------
# the figure of the long series (drawn by analysis.plots.keywords from these tables)
# ----------------------------------------------------------------------------------------


def _trend_figure(trends):
    import matplotlib

    matplotlib.use("Agg")
    from analysis.plots.keywords import plot_keyword_trends

    return plot_keyword_trends(trends, title="法治 concept")


def test_trend_figure_is_bounded_numeric_and_shows_the_gaps(eras, era_tokens):
    import matplotlib.pyplot as plt

    trends = kw.keyword_trends(era_tokens, {**RULE_OF_LAW, "生态文明": ["生态文明*"]}, corpus=eras, match="glob")
    fig = _trend_figure(trends)
    try:
        assert fig.get_figwidth() <= 12
        ax, ax_n = fig.axes[:2]
        lo, hi = ax.get_xlim()
        assert lo < 1978 and hi > 2024  # a numeric year axis
        years = set(ERA_YEARS)
        for line in ax.get_lines():  # no line is drawn across a missing year
            xs = np.asarray(line.get_xdata(), dtype=float)
            assert set(xs) <= years
            assert all(set(range(int(a), int(b) + 1)) <= years for a, b in zip(xs[:-1], xs[1:]))
        assert len(ax.get_lines()) == 2 * 4  # two series, each broken at the three gaps
        def is_shade(p):
            return p.get_facecolor()[:3] == pytest.approx((0.933, 0.933, 0.933), abs=0.01)

        assert len([p for p in ax.patches if is_shade(p)]) == 3
        shaded = [p for p in ax_n.patches if is_shade(p)]
        assert len(shaded) == 3
        bars = [round(p.get_x() + p.get_width() / 2) for p in ax_n.patches if p not in shaded and p.get_width() < 1]
        assert sorted(bars) == ERA_YEARS  # one bar of reports per year with reports
        caption = fig._suptitle.get_text()
        assert f"{len(eras)} reports" in caption and "1978–2024" in caption and "7 missing" in caption
        assert "hollow: one report" in caption and "95% bootstrap interval" in caption
    finally:
        plt.close(fig)


def test_trend_figure_width_stays_bounded_for_seventy_years():
    import matplotlib.pyplot as plt

    years = list(range(1954, 2025))
    rows = [(y, "法治", y % 7, 1000, 1, y % 3 == 0) for y in years]
    trends = pd.DataFrame(rows, columns=["report_year", "term", "n", "n_tokens", "n_reports", "single_report"])
    trends = trends.assign(rate_per_10k=trends["n"] / trends["n_tokens"] * 10_000, n_reports_with_term=1, label="")
    fig = _trend_figure(trends)
    try:
        assert 6 <= fig.get_figwidth() <= 12
        fig.canvas.draw()
        labels = [t.get_text() for t in fig.axes[1].get_xticklabels() if t.get_text()]
        assert 4 <= len(labels) <= 14  # readable ticks, not 71 labels
    finally:
        plt.close(fig)
