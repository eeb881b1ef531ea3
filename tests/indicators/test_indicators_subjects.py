"""Tests for analysis.indicators.subjects: trimming the text around a number, fast paths."""

from __future__ import annotations

import re
from typing import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.indicators.subjects import (
    _FROM_TO_RE,
    _LEAD_CONNECTOR_RE,
    _LEAD_RES,
    _LINK_ONLY_FIRST,
    _LINK_ONLY_RE,
    _PER_HEAD_VERB_RE,
    _RATE_END_RE,
    _RATE_END_WIDTH,
    _REACH_RE,
    _TRAIL_RE,
    _TRAIL_WIDTH,
    _lead_can_start,
    _tail_start,
    clean_pre,
)

from .helpers import fast_text, pattern_words

_LEADS = (_LEAD_CONNECTOR_RE, *_LEAD_RES)
_FAST_TEXT = fast_text(
    pattern_words(_TRAIL_RE, _RATE_END_RE, *_LEADS, _FROM_TO_RE, _REACH_RE, _PER_HEAD_VERB_RE, _LINK_ONLY_RE)
)


@pytest.mark.parametrize(
    ("pre", "expected"),
    [
        ("我街共对各类违法行为立案", (10, "立案")),
        ("涉及处罚金额总计达到", (0, "涉及处罚金额")),
        ("截至目前,", (5, "")),
        ("全年共", (2, "")),
        ("每位执法人员每季度接受", (9, "接受")),
    ],
)
def test_clean_pre(pre: str, expected: tuple[int, str]) -> None:
    assert clean_pre(pre) == expected


def _same_tail_search(rx: re.Pattern[str], width: int) -> Callable[[str], None]:
    def check(s: str) -> None:  # a search from a window at the end finds what one from 0 finds
        a, b = rx.search(s), rx.search(s, _tail_start(len(s), width))
        assert (a and a.span()) == (b and b.span())
        for m in rx.finditer(s):  # and the width written next to the pattern bounds its matches
            assert m.end() - m.start() <= width

    return check


def _lead_check(k: int) -> Callable[[str], None]:
    rx = _LEADS[k]

    def check(s: str) -> None:  # a pattern said not to start with s's first character fails
        assert _lead_can_start(s[:1])[k] or rx.match(s) is None

    return check


def _implies_no_match(skip: Callable[[str], bool], find: Callable[[str], object]) -> Callable[[str], None]:
    def check(s: str) -> None:
        assert not skip(s) or find(s) is None

    return check


# name: (pattern whose matches generate text, check of the fast path on any text)
_PRECHECKS: dict[str, tuple[re.Pattern[str], Callable[[str], None]]] = {
    "trail": (_TRAIL_RE, _same_tail_search(_TRAIL_RE, _TRAIL_WIDTH)),
    "rate_end": (_RATE_END_RE, _same_tail_search(_RATE_END_RE, _RATE_END_WIDTH)),
    **{f"lead_{k}": (rx, _lead_check(k)) for k, rx in enumerate(_LEADS)},
    "from_to": (_FROM_TO_RE, _implies_no_match(lambda s: s[-1:] not in ("到", "至", "\n"), _FROM_TO_RE.match)),
    "reach": (_REACH_RE, _implies_no_match(lambda s: s[-1:] not in ("求", "准", "标", "的", "\n"), _REACH_RE.match)),
    "per_head_verb": (_PER_HEAD_VERB_RE, _implies_no_match(lambda s: "均" not in s, _PER_HEAD_VERB_RE.search)),
    "link_only": (_LINK_ONLY_RE, _implies_no_match(lambda s: s[:1] not in _LINK_ONLY_FIRST, _LINK_ONLY_RE.match)),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(_PRECHECKS))
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_fast_pattern_prechecks_only_skip_failures(name: str, data: st.DataObject) -> None:
    rx, check = _PRECHECKS[name]
    # (match() patterns: a match at the start, i.e. of the whole text)
    fullmatch = name.startswith("lead_") or name in ("from_to", "reach", "link_only")
    check(data.draw(st.one_of(_FAST_TEXT, st.from_regex(rx, fullmatch=fullmatch))))


def test_lead_first_characters_are_written_for_each_pattern() -> None:
    assert len(_lead_can_start("x")) == len(_LEADS)
    assert _lead_can_start("") == (False,) * len(_LEADS)
