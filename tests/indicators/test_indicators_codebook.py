"""Tests for analysis.indicators.codebook: the codebook and the slogan lexicon."""

from __future__ import annotations

from analysis.indicators import audit_numbers, extract_indicators, indicator_codebook, slogan_lexicon

from .helpers import frame


def test_codebook_and_lexicon_are_well_formed() -> None:
    book = indicator_codebook()
    # an id may have a second rule only when that rule is limited by a context pattern
    repeated = book[book["id"].duplicated(keep="first")]
    assert (repeated["context_pattern"] != "").all()
    assert {"id", "label_zh", "label_en", "category", "subject_pattern", "example"} <= set(book.columns)
    assert set(book["category"]) <= {
        "functions", "rules", "decisions", "enforcement", "emergencies", "disputes", "oversight", "digital",
        "leadership", "other",
    }  # fmt: skip
    lex = slogan_lexicon()
    assert lex["slogan"].is_unique and (lex["origin"].str.len() > 0).all()
    # every lexicon entry is recognised as a slogan (or plan name), never as a quantity
    for slogan in lex["slogan"]:
        audit = audit_numbers(frame(f"落实{slogan}工作。"))
        assert not audit["class"].isin(["indicator", "target", "per_capita"]).any(), slogan


def test_economic_statistics_stay_other() -> None:
    """Issue 16, class 6: a quantity of a work report outside the rule of law is never forced
    into a rule-of-law indicator."""
    text = (
        "全年实现地区生产总值862亿元,接待境外来访团组9批,新增学位4,200个,"
        "新建改建农村公路310公里,村集体经济收入增加1.2亿元,游客接待量达到1,500万人次。"
    )
    got = extract_indicators(frame(text))
    assert len(got) == 6 and set(got["indicator"]) <= {"other", "other_rate"}, got[["subject", "indicator"]]
    # rule-of-law quantities keep their indicators
    kept = extract_indicators(frame("受理信访事项120件,接待群众来访86批次,立案38宗。"))
    assert "other" not in set(kept["indicator"])
