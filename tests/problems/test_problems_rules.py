"""What a codebook rule needs: the reader of rules behind the fast coder."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import analysis.problems.rules as RU


def test_rule_needs_examples():
    needs = RU.rule_needs("专业(?:人才|人员)[^。]{0,8}(?:不足|不够)")
    assert needs == frozenset({frozenset({"专业人才", "专业人员"}), frozenset({"不足", "不够"})})
    assert RU.rule_needs("(?:程序|流程)(?:的)?[^。]{0,4}(?:不规范|不严谨)") == frozenset(
        {frozenset({"程序", "流程"}), frozenset({"不规范", "不严谨"})})
    assert RU.rule_needs("(?<!谁)执法(?!平台)|标准化") == frozenset({frozenset({"执法", "标准化"})})
    assert RU.rule_needs("(?:a)?b") is None  # one-character strings filter nothing
    assert RU.rule_needs("x*") is None
    assert RU.rule_needs("(?i:ab)cd") == frozenset({frozenset({"cd"})})
    assert RU.rule_needs("(?i)abcd") is None


# Whatever the reader says a rule needs must hold for every match: checked on random rules
# and texts.


_ATOMS = st.sampled_from(["a", "b", "甲", "乙", "ab", "甲乙", "[ab]", "[^a]", "[a-c]", ".", r"\d", r"\-", r"\n",
                          "(?:a|b)", "(?:甲乙|乙甲)", "(ab|ba)", "(?P<g>甲)", "(?=a)", "(?!b)", "(?<=a)", "(?<!甲)",
                          "^", "$", r"\b", "(?i:ab)", "(?>ab|a)", "(?#note)", "{", "{w}", r"\{", "[]a]", "[a-]"])
_QUANTS = st.sampled_from(["", "", "", "?", "*", "+", "{2}", "{0,2}", "{1,}", "{,2}", "??", "+?", "*+"])
_RULES = st.lists(st.tuples(_ATOMS, _QUANTS), min_size=1, max_size=6).map(
    lambda parts: "".join(a + (q if a not in ("^", "$", r"\b", "(?=a)", "(?!b)", "(?<=a)", "(?<!甲)", "(?#note)")
                               and not a.endswith("{") else "") for a, q in parts))
_RULE_TEXT = st.text(alphabet="ab甲乙c-{}\n1w", max_size=40)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_RULES, min_size=1, max_size=3).map("|".join), _RULE_TEXT)
def test_property_what_a_rule_needs_is_in_every_match(rule, text):
    try:
        pattern = re.compile(rule)
    except re.error:
        return  # not a regex: the codebook rejects it before the reader sees it
    try:
        seq, ignorecase = RU.read_rule(rule)
        needs = RU.rule_needs(rule)
    except RU.Unsupported:
        return  # such a field is run whole
    exact = RU.exact_strings(seq)
    width = RU.min_width(seq)
    for start in range(len(text) + 1):
        m = pattern.match(text, start)
        if m is None:
            continue
        found = m.group()
        assert len(found) >= width
        if exact is not None and not ignorecase:
            assert found in exact
        for need in needs or ():
            assert any(s in found for s in need), (rule, found, need)


@pytest.mark.parametrize("rule", [r"(问题)还是\1", "(?P=x)", r"\N{BULLET}", "(?x) a b", r"\0"])
def test_reader_refuses_what_it_does_not_model(rule):
    with pytest.raises((RU.Unsupported, re.error)):
        RU.read_rule(rule)


def test_reader_takes_keywords_as_the_codebook_escapes_them():
    import unicodedata

    for word in ["A-B 法治", "1+1", "(一)", "[x]", "a.b", "#3 ~&"]:
        rule = re.escape(unicodedata.normalize("NFKC", word))
        assert RU.rule_needs(rule) == frozenset({frozenset({unicodedata.normalize("NFKC", word)})})
