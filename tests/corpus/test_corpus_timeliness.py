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


def test_missing_year_is_unknown_never_a_crash() -> None:
    """Issue 12: a report whose year was not found is ``unknown``, whatever the column's dtype."""
    dates = pd.to_datetime(["2022-03-01", "2022-03-01", None])
    for years in (
        pd.array([None, 2021, None], dtype="Int64"),
        pd.array([None, None, None], dtype="Int64"),
        [None, 2021.0, float("nan")],
        [None, None, None],
    ):
        corpus = pd.DataFrame({"doc_id": ["a", "b", "c"], "report_year": years, "publish_date": dates})
        out = publication_timeliness(corpus)
        assert out.loc[0, "timeliness"] == "unknown"
        assert out.loc[2, "timeliness"] == "unknown"
        assert pd.isna(out.loc[0, "deadline"]) and pd.isna(out.loc[0, "days_to_deadline"])
        if pd.notna(years[1]):
            assert out.loc[1, "timeliness"] == "on_time"


def test_on_loaded_pages_without_a_year(tmp_path) -> None:
    from analysis.corpus import load_corpus

    (tmp_path / "a.txt").write_text("发布时间:2022-03-01\n某某镇坚持依法行政,全面推进法治政府建设。" * 3, encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert corpus["report_year"].isna().all()
    assert publication_timeliness(corpus)["timeliness"].tolist() == ["unknown"]
