"""Tests for analysis.indicators.kinds: results, targets and per-unit rules."""

from __future__ import annotations

import re
from typing import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.indicators.kinds import (
    _NOT_FUNDS,
    _PLAN_VERB,
    _TARGET_OPEN_FIRST,
    _TARGET_OPEN_RE,
    _TARGET_POST_RE,
    _TARGET_PRE_RE,
    _TARGET_SENT_RE,
    PER_UNIT_RE,
    quantity_kind,
)

from .helpers import fast_text, pattern_words

_FAST_TEXT = fast_text(pattern_words(PER_UNIT_RE, _TARGET_PRE_RE, _TARGET_SENT_RE, _TARGET_OPEN_RE, _TARGET_POST_RE))


def _kind(text: str, number: str, part: object = None) -> str:
    s = text.index(number)
    return quantity_kind(text, clause_start=0, number_start=s, number_end=s + len(number), part=part, sentence_start=0)


@pytest.mark.parametrize(
    ("text", "number", "part", "kind"),
    [
        ("今年立案80宗。", "80宗", None, "result"),
        ("今年立案80宗。", "80宗", "plans", "target"),
        ("每位执法人员接受培训15学时。", "15学时", "plans", "per_capita"),
        ("确保办结率达到98%。", "98%", None, "target"),
        ("下一步,将新建调解室20个。", "20个", None, "target"),
        ("争取上级资金2.3亿元。", "2.3亿元", None, "result"),
    ],
)
def test_quantity_kind(text: str, number: str, part: object, kind: str) -> None:
    assert _kind(text, number, part) == kind


def _implies_no_match(skip: Callable[[str], bool], find: Callable[[str], object]) -> Callable[[str], None]:
    def check(s: str) -> None:
        assert not skip(s) or find(s) is None

    return check


# name: (pattern whose matches generate text, check of the fast path on any text)
_PRECHECKS: dict[str, tuple[re.Pattern[str], Callable[[str], None]]] = {
    "per_unit": (PER_UNIT_RE, _implies_no_match(lambda s: "每" not in s and "均" not in s, PER_UNIT_RE.search)),
    "target_open": (_TARGET_OPEN_RE, _implies_no_match(lambda s: s[:1] not in _TARGET_OPEN_FIRST, _TARGET_OPEN_RE.match)),
    # ^ never matches a search that starts after 0 (why quantity_kind skips _TARGET_POST_RE)
    "target_post": (_TARGET_POST_RE, lambda s: all(
        _TARGET_POST_RE.search(s, pos, pos + 16) is None for pos in range(1, len(s) + 1))),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(_PRECHECKS))
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_fast_pattern_prechecks_only_skip_failures(name: str, data: st.DataObject) -> None:
    rx, check = _PRECHECKS[name]
    check(data.draw(st.one_of(_FAST_TEXT, st.from_regex(rx, fullmatch=name == "target_open"))))


# _TARGET_PRE_RE as first written (look-behinds before 要): the rewritten one must agree
_TARGET_PRE_AS_WRITTEN = re.compile(
    rf"目标|力争|争取{_NOT_FUNDS}|确保|(?<!符合|按照|根据|达到|满足|工作|有关|相关|上级|规定|文件)(?<!按)要求(?!的)|预计"
    rf"|拟(?!定|稿)|将要|指标|任务是|必须|应当|计划{_PLAN_VERB}|有望"
)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(_FAST_TEXT, st.from_regex(_TARGET_PRE_AS_WRITTEN), st.from_regex("(?:符合|按照|根据|达到|满足|工作|有关|相关|上级|规定|文件|按|的|)要求的?")))
def test_fast_target_pattern_equals_as_written(s: str) -> None:
    for pos in range(len(s) + 1):
        a, b = _TARGET_PRE_RE.search(s, pos), _TARGET_PRE_AS_WRITTEN.search(s, pos)
        assert (a and a.span()) == (b and b.span())


@pytest.mark.parametrize(
    "before", ["", "x", "的", "按", "不按", "按照", "符合", "根据", "达到", "满足", "工作", "有关", "相关", "上级", "规定", "文件"]
)
@pytest.mark.parametrize("after", ["", "的", "了"])
def test_fast_target_pattern_around_yaoqiu(before: str, after: str) -> None:
    s = before + "要求" + after
    for pos in range(len(s) + 1):
        a, b = _TARGET_PRE_RE.search(s, pos), _TARGET_PRE_AS_WRITTEN.search(s, pos)
        assert (a and a.span()) == (b and b.span())
