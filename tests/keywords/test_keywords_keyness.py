"""Tests for analysis.keywords.keyness: hand-computed 2x2 tables, signs, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import keywords as kw


def _keyness_tokens(a: int, b: int, n_target: int, n_reference: int) -> pd.DataFrame:
    """Target doc "t": a x 法治 + (n_target - a) other terms; reference doc "r" likewise with b."""
    t_terms = ["法治"] * a + [f"词{i}" for i in range(n_target - a)]
    r_terms = ["法治"] * b + [f"词{i}" for i in range(n_reference - b)]
    return pd.DataFrame({"doc_id": ["t"] * n_target + ["r"] * n_reference, "term": t_terms + r_terms})


@pytest.mark.parametrize(
    ("a", "b", "n_t", "n_r", "measure", "correction", "expected"),
    [
        # a=10 of 100 target tokens, b=5 of 200 reference tokens, N=300.
        # E = 5, 10, 95, 190; no expected count < 5, so quanteda's Yates does not apply:
        # G2 = 2*(10 ln(10/5) + 5 ln(5/10) + 90 ln(90/95) + 195 ln(195/190)) = 7.3298117
        (10, 5, 100, 200, "lr", "default", 7.329811674221491),
        (10, 5, 100, 200, "lr", "none", 7.329811674221491),
        # chi2 = N (ad - bc)^2 / ((a+b)(c+d)(a+c)(b+d)) = 300 * 1500^2 / (15*285*100*200)
        (10, 5, 100, 200, "chi2", "default", 7.894736842105263),
        # a=4 of 50, b=1 of 150, N=200: E11 = 1.25 < 5 and |ad-bc| = 550 >= N/2, so the
        # Yates-corrected cells are 3.5, 1.5, 46.5, 148.5:
        (4, 1, 50, 150, "lr", "default", 4.598384656389059),
        (4, 1, 50, 150, "lr", "none", 6.87121342102375),
        # chi2 = 200 * (550 - 200*0.5)^2 / (5*195*50*150)
        (4, 1, 50, 150, "chi2", "yates", 5.538461538461538),
        # Williams: q = 1 + (N/5 + N/195 - 1)(N/50 + N/150 - 1)/(6N) = 1.14453704
        (4, 1, 50, 150, "lr", "williams", 6.003487173129722),
        # under-used in the target: negative sign
        (5, 10, 200, 100, "lr", "none", -7.329811674221491),
    ],
)
def test_keyness_matches_hand_computed(a, b, n_t, n_r, measure, correction, expected):
    table = kw.keyness(_keyness_tokens(a, b, n_t, n_r), ["t"], measure=measure, correction=correction)
    row = table.set_index("term").loc["法治"]
    stat = {"lr": "G2", "chi2": "chi2"}[measure]
    assert row[stat] == pytest.approx(expected, rel=1e-7)
    assert row["p"] == pytest.approx(__import__("scipy").stats.chi2.sf(abs(expected), 1), rel=1e-6)
    assert row["n_target"] == a and row["n_reference"] == b
    assert row["rate_target"] == pytest.approx(a / n_t * 10_000)
    assert row["pct_diff"] == pytest.approx(100 * (a / n_t - b / n_r) / (b / n_r))


def test_keyness_table_shape_and_errors():
    tokens = _keyness_tokens(10, 5, 100, 200)
    table = kw.keyness(tokens, pd.Series({"t": True, "r": False}))
    assert list(table.columns) == ["term", "G2", "p", "n_target", "n_reference", "rate_target", "rate_reference", "pct_diff"]
    assert table["G2"].is_monotonic_decreasing
    assert table.iloc[0]["term"] == "法治"
    only_target = pd.DataFrame({"doc_id": ["t", "r"], "term": ["新词", "旧词"]})
    assert kw.keyness(only_target, "t").set_index("term").loc["新词", "pct_diff"] == np.inf
    with pytest.raises(ValueError, match="all the documents"):
        kw.keyness(tokens, ["t", "r"])
    with pytest.raises(KeyError):
        kw.keyness(tokens, ["nope"])



@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False) | st.sampled_from([0.0, float("inf"), 1e-300, 3.841458820694124]), min_size=1, max_size=50))
def test_chi2_p_values_equal_scipy_stats(values):
    from scipy import stats

    from analysis.keywords.keyness import chi2_sf_1

    x = np.array(values, dtype=np.float64)
    np.testing.assert_array_equal(chi2_sf_1(x), stats.chi2.sf(x, 1))  # to the last bit
