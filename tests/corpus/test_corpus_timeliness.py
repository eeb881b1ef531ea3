"""Publication timeliness (art. 24: made public before 1 April of the following year)."""

from __future__ import annotations

import pandas as pd

from analysis.corpus import publication_timeliness


def test_deadline_is_exclusive_and_unknown_without_a_date() -> None:
    corpus = pd.DataFrame({
        "doc_id": ["a", "b", "c"],
        "report_year": pd.array([2021, 2021, 2021], dtype="Int64"),
        "publish_date": pd.to_datetime(["2022-03-31", "2022-04-01", None]),
    })
    out = publication_timeliness(corpus)
    assert out["timeliness"].tolist() == ["on_time", "late", "unknown"]
    assert out["days_to_deadline"].tolist()[:2] == [1, 0]
    assert list(out.columns) == ["doc_id", "report_year", "publish_date", "deadline", "days_to_deadline", "timeliness"]


def test_empty_table() -> None:
    empty = pd.DataFrame({"doc_id": [], "report_year": pd.array([], dtype="Int64"),
                          "publish_date": pd.to_datetime([])})
    assert publication_timeliness(empty).empty
