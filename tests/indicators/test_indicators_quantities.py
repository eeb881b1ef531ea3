"""Tests for analysis.indicators.quantities: the numeral spans and their fast paths."""

from __future__ import annotations

import functools
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.indicators.quantities import (
    _CN_START,
    _ALT_FIRST,
    _ALT_SRC,
    _SHORT_RUN_RE,
    _TRIGGER_RE,
    CLASS_OF_GROUP,
    QUANTITY_GROUPS,
    TRIGGER_CHARS,
    Token,
    _alternatives,
    _first_chars,
    _implicit_cn_quantity,
    _lexicon_re,
    _master_by_char,
    _quantity_or_bare_master,
    _token_from_match,
    tokenize_numbers,
)
from analysis.indicators import extract_indicators
from analysis.indicators.codebook import slogan_words
from analysis.numbers import normalize_width

from .helpers import as_read, fast_text, frame, pattern_words

_FAST_TEXT = fast_text(pattern_words(*_ALT_SRC))
# a small lexicon for generating text (the real one is long)
_SOME_SLOGANS = "一岗双责|三会一课"


@functools.lru_cache(maxsize=1)
def _full_master() -> re.Pattern[str]:
    """Every alternative in one pattern, the lexicon compiled in: the reference the
    per-character patterns must agree with at every trigger."""
    lexicon = _lexicon_re(slogan_words())
    return re.compile("|".join(src.replace("{LEXICON}", lexicon) for _, src in _alternatives()), re.MULTILINE)


def _tokens_reference(t: str) -> list[Token]:
    """The tokeniser without its fast paths: the whole pattern at every trigger character."""
    master = _full_master()
    out: list[Token] = []
    pos = 0
    while True:
        m = _TRIGGER_RE.search(t, pos)
        if m is None:
            return out
        i = m.start()
        mm = master.match(t, i)
        if mm is None or mm.end() == i:
            implicit = _implicit_cn_quantity(t, i) if t[i] in _CN_START else None
            if implicit is not None:
                out.append(implicit)
                pos = implicit.end
            else:
                pos = i + 1
            continue
        group = mm.lastgroup or ""
        if group not in CLASS_OF_GROUP and group not in QUANTITY_GROUPS:
            group = next(g for g in QUANTITY_GROUPS if mm.group(g) is not None)
        tok = _token_from_match(t, mm, group)
        pos = mm.end()
        if tok is not None:
            out.append(tok)
            if tok.group == "qimplicit":  # (a number whose unit is in the subject: 人数12,680)
                pos = tok.end


def _same_match(a: re.Match[str] | None, b: re.Match[str] | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    named = set(a.re.groupindex) & set(b.re.groupindex)
    return (
        a.span() == b.span()
        and a.lastgroup == b.lastgroup
        and all(a.group(g) == b.group(g) for g in named)
        and all(b.group(g) is None for g in set(b.re.groupindex) - named)
    )


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_FAST_TEXT)
def test_fast_tokens_equal_reference(text: str) -> None:
    t = normalize_width(as_read(text))
    assert tokenize_numbers(t) == _tokens_reference(t)


# text holding a match of some master alternative (with what may stand around it)
_ALTERNATIVE_TEXT = st.one_of(
    [st.from_regex(src.replace("{LEXICON}", _SOME_SLOGANS)) for _, src in _alternatives()]
)


@settings(max_examples=600, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(_FAST_TEXT, _ALTERNATIVE_TEXT))
def test_fast_masters_match_as_the_full_master(text: str) -> None:
    # at every trigger, not only where the tokeniser looks
    t = normalize_width(as_read(text))
    full, by_char, short = _full_master(), _master_by_char(), _quantity_or_bare_master()
    for m in _TRIGGER_RE.finditer(t):
        i = m.start()
        want = full.match(t, i)
        assert _same_match(by_char[t[i]].match(t, i), want)
        if t[i] in "0123456789":  # the short-number pattern: where it applies, as the full one
            quick = short.match(t, i)
            assert (quick is None) == (_SHORT_RUN_RE.match(t, i) is None)
            assert quick is None or _same_match(quick, want)


@functools.cache
def _alternative_strategy(name: str) -> tuple[re.Pattern[str], st.SearchStrategy[str]]:
    """The compiled alternative and a strategy of texts holding its matches, built once
    (building a regex strategy parses the pattern: per example it dominated the run)."""
    rx = re.compile(dict(_alternatives())[name].replace("{LEXICON}", _SOME_SLOGANS), re.MULTILINE)
    # the property is about where matches start: a bounded prefix tests it as well
    return rx, st.one_of(st.from_regex(rx).map(lambda s: s[:300]), _FAST_TEXT)


@pytest.mark.parametrize("name", sorted(_ALT_FIRST))
@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_first_characters_written_next_to_the_alternatives(name: str, data: st.DataObject) -> None:
    """Every match of an alternative that starts at a trigger character starts at one of the
    characters written for it in _ALT_FIRST (so no alternative is left out of a pattern)."""
    rx, strategy = _alternative_strategy(name)
    first = _first_chars(name, _SOME_SLOGANS.split("|"))
    text = data.draw(strategy)
    for i, c in enumerate(text):
        if c in TRIGGER_CHARS and c not in first:
            assert rx.match(text, i) is None, (name, text[i:])


def test_first_characters_of_some_alternatives() -> None:
    words = slogan_words()
    first = {name: _first_chars(name, words) for name, _ in _alternatives()}
    assert first["book"] == {"《"} and first["pct"] == {"百"} and first["hours"] == {"2", "7"}
    assert set("0123456789") <= first["qar"]
    assert first["lexicon"] == {w[0] for w in words} & set(TRIGGER_CHARS)
    assert set().union(*first.values()) <= set(TRIGGER_CHARS)


# --------------------------------------------------------------------------- issue 16 classes 3, 4, 6


def _quantities(text: str) -> list[tuple[str, float, str]]:
    got = extract_indicators(frame(text))
    return [(s, v, u) for s, v, u in got[["subject", "value", "unit"]].itertuples(index=False)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # N级 as the scope of an action is no count; a tier structure that was built is
        ("在省、市两级同步推行证明事项告知承诺制。", []),
        ("区、镇、村三级联动排查安全隐患。", []),
        ("全县两级法院受理民事案件3,420件。", [("受理民事案件", 3420, "件")]),
        ("实现县乡村三级全覆盖。", []),
        ("建成县、乡、村三级矛盾纠纷调处网络。", [("建成县、乡、村矛盾纠纷调处网络", 3, "级")]),
        ("依托两级综治中心开展调解。", [("综治中心开展调解", 2, "级")]),
        # counted slogans and names are no counts
        ("用好两个积极性。", []),
        ("坚守三条底线。", []),
        ("落实三个区分开来要求。", []),
        ("恪守五项基本原则。", []),
        ("完成五年目标。", []),
        # years framing a statement, and streaks
        ("今后五年要持续用力。", []),
        ("二十多年来,我市坚持依法行政。", []),
        ("连续四年获评优秀。", []),
        # units: 大类/小类, 轮次, 对, 千瓦时; magnitudes before a unit in the subject
        ("清理权力事项7大类58小类。", [("清理权力事项", 7, "大类"), ("清理权力事项", 58, "小类")]),
        ("开展交叉检查3轮次。", [("开展交叉检查", 3, "轮次")]),
        ("新结对友好社区5对。", [("新结对友好社区", 5, "对")]),
        ("节约用电12.5万千瓦时。", [("节约用电", 12.5, "万千瓦时")]),
        ("参加普法考试人数达到3,615,合格人数3,580。", [("参加普法考试人数", 3615, "人"), ("合格人数", 3580, "人")]),
        ("普法公众号粉丝人数突破2.6万。", [("普法公众号粉丝人数", 2.6, "万人")]),
        ("门户网站访问量达到58万。", [("门户网站访问量", 58, "万")]),
        # decimals and digit groups as pages print them
        ("案卷合格率为百分之九十七點五。", [("案卷合格率", 97.5, "%")]),
        ("办理审批事项 23 460 件。", [("办理审批事项", 23460, "件")]),
    ],
)  # fmt: skip
def test_scope_slogans_and_units(text: str, expected: list[tuple[str, float, str]]) -> None:
    got = _quantities(text)
    assert [(s, u) for s, _, u in got] == [(s, u) for s, _, u in expected]
    assert [v for _, v, _ in got] == pytest.approx([v for _, v, _ in expected])
