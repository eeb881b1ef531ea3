"""Typed tables from Python rows."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.structure.tables import string_array


@pytest.mark.parametrize("values", [("a", "b"), (), ("a", None), (1, "a"), (float("nan"), "x"), ("x", pd.NA)])
def test_string_columns_convert_as_pandas(values: tuple) -> None:
    fast = pd.Series(string_array(values))
    pd.testing.assert_series_equal(fast, pd.Series(pd.array(values, dtype="string")))
