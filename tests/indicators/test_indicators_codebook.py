"""Tests for analysis.indicators.codebook: the codebook and the slogan lexicon."""

from __future__ import annotations

from analysis.indicators import audit_numbers, indicator_codebook, slogan_lexicon

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
