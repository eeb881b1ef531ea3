"""Checks against art. 24-25: parts present, order, shares, publication, figures, cases."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.checks import compliance
from analysis.structure import (
    PARTS,
    REGULATED_PARTS,
    StructureWarning,
    extract_cases,
    parse_sections,
    part_profiles,
    part_shares,
)

from structure.helpers import TEXTS, corpus_of  # tests/structure (pytest puts tests/ on sys.path)


@pytest.fixture(scope="module")
def seed_sections(seed_corpus: pd.DataFrame) -> pd.DataFrame:
    return parse_sections(seed_corpus)


def test_promoted_parts_count_in_compliance_and_shares() -> None:
    corpus = corpus_of("一、2023年工作情况\n(一)健全制度。\n(二)存在的问题\n一是队伍不足。\n(三)下一步工作计划\n加强培训。")
    s = parse_sections(corpus)
    assert s.loc[s["level"] == 1, "part"].tolist() == ["measures"]
    t = compliance(corpus, s, indicators=pd.DataFrame({"doc_id": []})).iloc[0]
    assert t["part_order"] == "measures>shortcomings>plans" and t["in_order"]
    assert t["has_shortcomings"] and t["has_plans"] and t["n_parts"] == 3
    shares = part_shares(s).iloc[0]
    assert shares["shortcomings"] == pytest.approx(len("(二)存在的问题\n一是队伍不足。\n") / len(corpus["text"][0]))
    assert shares.sum() == pytest.approx(1.0)
    assert t["share_shortcomings"] == pytest.approx(shares["shortcomings"])


def test_seed_compliance(seed_corpus: pd.DataFrame, seed_sections: pd.DataFrame) -> None:
    indicators = pd.DataFrame({"doc_id": ["000_d8e34bf18eeaca77"] * 30 + ["003_f7a1c094b05759ad"] * 7})
    table = compliance(seed_corpus, seed_sections, indicators=indicators).set_index("doc_id")
    assert table.loc["002_8c55e457dd30f097", "part_order"] == "measures>leadership>shortcomings>plans"
    assert not table.loc["002_8c55e457dd30f097", "in_order"]  # art. 25 puts 不足 before 第一责任人
    assert table.loc["000_d8e34bf18eeaca77", "in_order"]
    assert table["has_leadership"].tolist() == [False, False, True, False, False]
    assert table["has_shortcomings"].all() and table["has_plans"].all() and not table["has_other"].any()
    assert table["publication"].tolist() == ["unknown", "on_time", "on_time", "unknown", "on_time"]
    assert table.loc["000_d8e34bf18eeaca77", "n_figures"] == 30
    assert table.loc["000_d8e34bf18eeaca77", "figures_per_1k"] == pytest.approx(30_000 / len(seed_corpus["text"][0]))
    assert table["n_cases"].tolist() == [2, 0, 0, 0, 1]
    shares = table[[f"share_{p}" for p in PARTS]].sum(axis=1)
    assert shares.round(12).eq(1).all()


# --------------------------------------------------------------------------- compliance

def test_compliance_criteria() -> None:
    corpus = pd.DataFrame({
        "doc_id": ["a", "b", "c", "d"],
        "report_year": pd.array([2023, 2023, None, 2022], dtype="Int64"),
        "publish_date": pd.to_datetime(["2024-03-31", "2024-04-01", "2024-01-01", None]),
        "text": [
            "一、主要举措和成效\n妥善化解新园学校劳资纠纷。\n二、存在的不足\n甲。\n三、第一责任人职责履行情况\n乙。\n"
            "四、下一年度安排\n丙。\n五、其他需要报告的情况\n无。",
            "一、主要举措和成效\n甲。\n二、下一年度安排\n乙。\n三、存在的不足\n丙。",
            "没有任何标题的一段文字。",
            "",
        ],
    })
    with pytest.warns(StructureWarning):
        sections = parse_sections(corpus)
    indicators = pd.DataFrame({"doc_id": ["a", "a", "b", "zzz"]})
    t = compliance(corpus, sections, indicators=indicators).set_index("doc_id")
    assert t.loc["a", "part_order"] == "measures>shortcomings>leadership>plans>other"
    assert t.loc["a", "in_order"] and t.loc["a", "n_parts"] == 5 and t.loc["a", "has_other"]
    assert t.loc["b", "part_order"] == "measures>plans>shortcomings" and not t.loc["b", "in_order"]
    assert pd.isna(t.loc["c", "in_order"]) and t.loc["c", "n_parts"] == 0 and not t.loc["c", "has_other"]
    assert pd.isna(t.loc["d", "in_order"]) and t.loc["d", "n_chars"] == 0
    assert t["publication"].tolist() == ["on_time", "late", "unknown", "unknown"]
    assert t.loc["a", "deadline"] == pd.Timestamp("2024-04-01")
    assert t["n_figures"].tolist() == [2, 1, 0, 0]
    assert t.loc["a", "n_cases"] == 1
    assert t.loc["a", "cases_per_1k"] == pytest.approx(1000 / len(corpus["text"][0]))
    assert pd.isna(t.loc["d", "figures_per_1k"])


def test_compliance_without_metadata_columns() -> None:
    corpus = corpus_of("一、主要举措和成效\n甲。\n二、存在的不足\n乙。")
    t = compliance(corpus, parse_sections(corpus), indicators=pd.DataFrame({"doc_id": []}))
    assert t["publication"].tolist() == ["unknown"]
    assert t["n_figures"].tolist() == [0]


def test_compliance_default_indicators(seed_corpus: pd.DataFrame, seed_sections: pd.DataFrame) -> None:
    indicators_module = pytest.importorskip("analysis.indicators")
    expected = indicators_module.extract_indicators(seed_corpus, seed_sections)
    t = compliance(seed_corpus, seed_sections)
    assert t["n_figures"].sum() == len(expected)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(TEXTS, min_size=1, max_size=3))
def test_property_compliance_never_crashes(texts: list[str]) -> None:
    corpus = corpus_of(*texts)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StructureWarning)
        sections = parse_sections(corpus)
    table = compliance(corpus, sections, indicators=pd.DataFrame({"doc_id": []}))
    assert table["doc_id"].tolist() == corpus["doc_id"].tolist()
    shares = table[[f"share_{p}" for p in PARTS]].sum(axis=1)
    assert ((shares.round(9) == 1) | (table["n_chars"] == 0)).all()


def _compliance_reference(corpus: pd.DataFrame, sections: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """compliance() as first written: a merge, then a cast per column."""
    from analysis.corpus import publication_timeliness

    base = pd.DataFrame({"doc_id": corpus["doc_id"].astype("string").to_numpy()})
    texts = corpus["text"].fillna("").astype(str).to_numpy()
    n_chars = pd.Series([len(t) for t in texts], dtype="int64")
    rows = [
        {"doc_id": doc_id, **{f"has_{p}": v for p, v in zip(REGULATED_PARTS, has)}, "n_parts": n_parts,
         "part_order": order, "in_order": in_order, **{f"share_{p}": v for p, v in zip(PARTS, shares)}}
        for doc_id, (has, n_parts, order, in_order, shares) in part_profiles(sections).items()
    ]
    scores = pd.DataFrame(rows)
    if scores.empty:
        scores = pd.DataFrame(columns=["doc_id"])
    scores["doc_id"] = scores["doc_id"].astype("string")
    out = base.merge(scores, on="doc_id", how="left")
    for p in REGULATED_PARTS:
        out[f"has_{p}"] = out.get(f"has_{p}", pd.Series(index=out.index, dtype=object)).fillna(False).astype(bool)
    out["n_parts"] = out.get("n_parts", pd.Series(index=out.index, dtype=float)).fillna(0).astype("int64")
    out["part_order"] = out.get("part_order", pd.Series(index=out.index, dtype=object)).fillna("").astype("string")
    out["in_order"] = pd.array(
        [None if pd.isna(v) else bool(v) for v in out.get("in_order", pd.Series([None] * len(out)))],
        dtype="boolean",
    )
    for p in PARTS:
        col = f"share_{p}"
        out[col] = pd.to_numeric(out.get(col, pd.Series(index=out.index, dtype=float)), errors="coerce").astype("float64")
    timing = publication_timeliness(pd.DataFrame({
        "doc_id": base["doc_id"],
        "report_year": corpus["report_year"].to_numpy() if "report_year" in corpus else pd.NA,
        "publish_date": pd.to_datetime(corpus["publish_date"]).to_numpy() if "publish_date" in corpus else pd.NaT,
    }))
    out["report_year"] = pd.array(pd.to_numeric(timing["report_year"], errors="coerce"), dtype="Int64")
    out["publish_date"] = pd.to_datetime(timing["publish_date"])
    out["deadline"] = pd.to_datetime(timing["deadline"])
    out["publication"] = timing["timeliness"].astype("string").to_numpy()
    out["n_chars"] = n_chars.to_numpy()
    per_k = 1000.0 / n_chars.where(n_chars > 0)
    fig_counts = indicators["doc_id"].astype("string").value_counts()
    out["n_figures"] = out["doc_id"].map(fig_counts).fillna(0).astype("int64")
    out["figures_per_1k"] = (out["n_figures"] * per_k.to_numpy()).astype("float64")
    case_counts = extract_cases(corpus)["doc_id"].value_counts()
    out["n_cases"] = out["doc_id"].map(case_counts).fillna(0).astype("int64")
    out["cases_per_1k"] = (out["n_cases"] * per_k.to_numpy()).astype("float64")
    out["doc_id"] = out["doc_id"].astype("string")  # the package's one doc_id dtype (analysis.ids)
    return out


_REPORT = (
    "2023年,我街推进法治建设。\n一、主要举措和成效\n(一)加强领导。妥善化解吴某纠纷。\n"
    "二、存在的问题和不足\n一是队伍不足。\n三、下一年度工作计划\n加强培训。\n四、其他需要报告的情况\n无。"
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    texts=st.lists(TEXTS | st.just(_REPORT), min_size=0, max_size=4),
    ids=st.lists(st.sampled_from(["a", "b", "c", None]), min_size=4, max_size=4),
    years=st.lists(st.sampled_from([2022, 2023, None]), min_size=4, max_size=4),
    drop_sections=st.booleans(),
    figures=st.lists(st.sampled_from(["a", "b", "z", None]), max_size=6),
)
def test_property_compliance_equals_merge_reference(texts, ids, years, drop_sections, figures) -> None:
    n = len(texts)
    corpus = pd.DataFrame({
        "doc_id": pd.array(ids[:n], dtype="string"),  # duplicates and NA included
        "report_year": pd.array(years[:n], dtype="Int64"),
        "publish_date": pd.to_datetime(["2024-03-01", None, "2024-05-01", "2023-01-01"][:n]),
        "text": pd.array(texts, dtype="string"),
    })
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StructureWarning)
        sections = parse_sections(corpus.dropna(subset=["doc_id"]).drop_duplicates("doc_id"))
    if drop_sections:
        sections = sections.iloc[0:0]
    indicators = pd.DataFrame({"doc_id": pd.array(figures, dtype="string")})
    pd.testing.assert_frame_equal(
        compliance(corpus, sections, indicators=indicators), _compliance_reference(corpus, sections, indicators)
    )
