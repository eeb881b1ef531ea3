"""Tests for analysis.indicators.kinds: results, targets and per-unit rules."""

from __future__ import annotations

import functools

import re
from typing import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.indicators import extract_indicators
from analysis.indicators.kinds import (
    _FUTURE_JIANG,
    _TARGET_OPEN_FIRST,
    _TARGET_OPEN_RE,
    _TARGET_POST_RE,
    _TARGET_PRE_RE,
    _TARGET_SENT_RE,
    PER_UNIT_RE,
    quantity_kind,
)

from .helpers import fast_text, frame, pattern_words

_FAST_TEXT = fast_text(pattern_words(PER_UNIT_RE, _TARGET_PRE_RE, _TARGET_SENT_RE, _TARGET_OPEN_RE, _TARGET_POST_RE))


def _kind(text: str, number: str, part: object = None, unit: str = "", qualifier: str = "") -> str:
    s = text.index(number)
    return quantity_kind(
        text, clause_start=0, number_start=s, number_end=s + len(number), part=part, sentence_start=0,
        qualifier=qualifier, unit=unit,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("text", "number", "part", "kind"),
    [
        ("今年立案80宗。", "80宗", None, "result"),
        ("今年立案80宗。", "80宗", "plans", "target"),
        ("每位执法人员接受培训15学时。", "15学时", "plans", "target"),  # a planned rule is a target
        ("确保办结率达到98%。", "98%", None, "target"),
        ("下一步,将新建调解室20个。", "20个", None, "target"),
        ("争取上级资金2.3亿元。", "2.3亿元", None, "result"),
        ("向上争取项目资金860万元。", "860万元", None, "result"),
        ("力争办结率达到98%。", "98%", None, "target"),
    ],
)
def test_quantity_kind(text: str, number: str, part: object, kind: str) -> None:
    assert _kind(text, number, part) == kind


# issue 16, class 1: each rule with wording of its own (whole sentences through the parser)
@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        # 目标, 指标, 要求 inside a noun phrase or a framing: results
        ("全年完成省里下达的改革目标任务14项。", ["result"]),
        # a plan's modal, a time word, then the verb: a target
        ("县司法局计划年内新建村级调解室8个。", ["target"]),
        ("全年完成年度计划项目12个。", ["result"]),
        # 均 before an allocation to each holder, as 各; 平均 is an average
        ("全县9个乡镇均设立1个矛盾调处中心。", ["result", "per_capita"]),
        ("结案率、回访率均达到100%。", ["result", "result"]),
        ("年度绩效考核指标由36项缩减为20项。", ["result", "result"]),
        ("按照市里统一部署要求,归集政务数据1.2万条。", ["result"]),
        ("镇司法所按上级要求排查矛盾纠纷57起。", ["result"]),
        # averages of what was done, and money per period: results
        ("平均每个村每季度开展普法活动3场。", ["result"]),
        ("区法律援助中心日均接待来访群众45人次。", ["result"]),
        ("县财政每年拨付调解员补贴经费18万元。", ["result"]),
        ("五年来,税收收入年均增长7.5%。", ["result"]),
        # norms, allocations and per-head ratios: per_capita
        ("每名网格员每月走访农户不少于20户。", ["per_capita"]),
        ("各社区配备专职调解员不少于2名。", ["per_capita"]),
        ("全市律师人均办理法律援助案件3.2件。", ["per_capita"]),
        ("每万人拥有律师数达到4.1名。", ["per_capita"]),
        ("每人每年补贴交通费600元。", ["per_capita"]),
        # plans: targets (the plan wins over a per-unit rule)
        ("明年拟新建法治文化公园2个。", ["target"]),
        ("2025年,全区将实现公共法律服务站点覆盖率100%。", ["target"]),
        ("今后三年,力争每个村培育法律明白人不少于4名。", ["target"]),
        ("要求在三个工作日内完成答复。", ["target"]),
        # 将 as 把 is no plan
        ("市政府将9项重大项目纳入督查。", ["result"]),
        # the value of a goal, written after the number
        ("调解成功率达到了方案要求超过30%的工作目标。", ["target"]),
        ("网办率、好评率“双100%”目标全面实现。", ["result", "result"]),
        ("县里确定的15项重点指标全部完成。", ["result"]),
    ],
)
def test_kinds_of_issue_16(text: str, kinds: list[str]) -> None:
    assert extract_indicators(frame(text))["kind"].tolist() == kinds


def _implies_no_match(skip: Callable[[str], bool], find: Callable[[str], object]) -> Callable[[str], None]:
    def check(s: str) -> None:
        assert not skip(s) or find(s) is None

    return check


# name: (pattern whose matches generate text, check of the fast path on any text)
_PRECHECKS: dict[str, tuple[re.Pattern[str], Callable[[str], None]]] = {
    "per_unit": (PER_UNIT_RE, _implies_no_match(lambda s: "每" not in s and "均" not in s, PER_UNIT_RE.search)),
    "target_open": (_TARGET_OPEN_RE, _implies_no_match(
        lambda s: not (s[:1] in _TARGET_OPEN_FIRST or s[:1].isspace()), _TARGET_OPEN_RE.match)),
    # quantity_kind tries _TARGET_POST_RE only where the text after the number starts with 的
    "target_post": (_TARGET_POST_RE, _implies_no_match(lambda s: not s.startswith("的"), _TARGET_POST_RE.match)),
}  # fmt: skip


@functools.cache
def _precheck_texts(name: str) -> st.SearchStrategy[str]:
    """Texts for a pattern's precheck, the strategy built once (parsing the pattern per
    example dominated the run)."""
    return st.one_of(_FAST_TEXT, st.from_regex(_PRECHECKS[name][0], fullmatch=name != "per_unit"))


@pytest.mark.parametrize("name", sorted(_PRECHECKS))
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_fast_pattern_prechecks_only_skip_failures(name: str, data: st.DataObject) -> None:
    check = _PRECHECKS[name][1]
    check(data.draw(_precheck_texts(name)))


# _FUTURE_JIANG as first written (the look-behind before 将): the rewritten one must agree
_FUTURE_AS_WRITTEN = re.compile(_FUTURE_JIANG.replace("将(?<![已并均即]将)", "(?<![已并均即])将", 1))


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(_FAST_TEXT, st.from_regex(_FUTURE_AS_WRITTEN), st.from_regex("[已并均即x]?将(?:要|推动|实现|新建|12)")))
def test_fast_future_pattern_equals_as_written(s: str) -> None:
    rewritten = re.compile(_FUTURE_JIANG)
    for pos in range(len(s) + 1):
        a, b = rewritten.search(s, pos), _FUTURE_AS_WRITTEN.search(s, pos)
        assert (a and a.span()) == (b and b.span())
