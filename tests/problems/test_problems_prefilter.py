"""The fast coder: it must give exactly what the plain coder gives."""

from __future__ import annotations

import re
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import analysis.problems.prefilter as F
from analysis.problems.codebook import codebook_themes, normalize, read_codebook_text


# --------------------------------------------------------------------------- fast coder
# code_problems codes with F._Matcher (a literal pre-filter in front of the theme
# regexes); it must give exactly what the plain coder F._code_one gives.


def _codebook_pieces() -> list[str]:
    """Words and rule fragments of the packaged codebook, to build texts that fire rules."""
    import yaml as _yaml

    spec = _yaml.safe_load(read_codebook_text(None))
    pieces: list[str] = []
    for theme in spec["themes"]:
        pieces += [str(k) for k in theme.get("keywords") or []]
        pieces += [s for s in re.split(r"[。,;:!?]", str(theme.get("example", ""))) if s]
    pieces += spec["macros"]["deficit"].strip("(?:)").split("|")
    return pieces


_CODE_PIECES = st.sampled_from(_codebook_pieces() + ["。", ",", ";", "\n", "的", "不", "法治", "执法", "人员", "1",
                                                      "（", "）", "：", " ", "存在", "问题"])
_CODE_TEXT = st.lists(_CODE_PIECES, max_size=12).map("".join) | st.text(max_size=40)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_CODE_TEXT, _CODE_TEXT), min_size=1, max_size=5))
def test_property_fast_coder_equals_plain_coder(pairs):
    themes = codebook_themes(None)
    heads = [normalize(h) for h, _ in pairs]
    # the full text as _statement builds it, and texts that do not start with the headline
    fulls = [normalize(h + "\n" + b) if i % 2 else normalize(b) for i, (h, b) in enumerate(pairs)]
    expected = [F._code_one(themes, h, f) for h, f in zip(heads, fulls)]
    assert F.matcher(themes).code_all(heads, fulls) == expected


IRREGULAR_CODEBOOK = {
    "macros": {"w": "[^,;:!?。\\n]"},
    "themes": [
        # backreference: the field is never reduced (group numbers would shift)
        {"id": "backref", "patterns": ["(问题)还是\\1", "整改不到位"]},
        # a rule that may match the empty string, and a case-insensitive one
        {"id": "empty", "patterns": ["(?:空白)*", "ABC", "(?i:xyz)"], "keywords": ["空白问题"]},
        # lookbehinds first, alternations, optional parts
        {"id": "look", "headline": ["(?<!谁)执法(?!平台)|标准化"],
         "patterns": ["(?<!群众)(?:法治|依法)(?:意识|观念){w}{0,4}(?:不足|不强)", "(?:缺乏|缺少)(?:专业)?人才",
                      "a{2,3}b", "[甲乙]丙"]},
    ],
}


@pytest.mark.parametrize("texts", [
    ["问题还是问题", "整改不到位", "空白问题", "", "abc ABC xYz", "谁执法平台执法", "群众法治意识不强",
     "法治意识淡薄不足", "缺乏专业人才", "aab aaab", "甲丙乙丙", "标准化执法"],
])
def test_fast_coder_on_irregular_rules(texts):
    themes = codebook_themes(IRREGULAR_CODEBOOK)
    matcher = F._Matcher(themes)
    assert not matcher.fields[1].reducible  # the backreference
    assert matcher.fields[3].alone is None  # the rule matching the empty string
    full = [t + "\n" + t[::-1] for t in texts]
    assert matcher.code_all(texts, full) == [F._code_one(themes, h, f) for h, f in zip(texts, full)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["ab", "b", "a+b", "(?<=a)b", "ba", "b{2}", "abc|b", "c(?!a)"]), min_size=1,
                max_size=4, unique=True),
       st.text(alphabet="abc\n", max_size=30))
def test_property_alternation_of_rules_alone_equals_finditer(rules, text):
    combined = re.compile("|".join(f"(?:{r})" for r in rules))
    expected = [m.group(0) for m in combined.finditer(text)]
    assert F._alternation_hits([re.compile(r) for r in rules], text) == expected
