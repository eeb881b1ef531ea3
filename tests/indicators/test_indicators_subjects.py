"""Tests for analysis.indicators.subjects: trimming the text around a number, fast paths."""

from __future__ import annotations

import functools

import re
from typing import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.indicators import extract_indicators
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

from .helpers import fast_text, frame, pattern_words

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
    "from_to": (_FROM_TO_RE, _implies_no_match(lambda s: s[-1:] not in ("到", "至", "为", "\n"), _FROM_TO_RE.match)),
    "reach": (_REACH_RE, _implies_no_match(lambda s: s[-1:] not in ("求", "准", "标", "的", "\n"), _REACH_RE.match)),
    "per_head_verb": (_PER_HEAD_VERB_RE, _implies_no_match(lambda s: "均" not in s, _PER_HEAD_VERB_RE.search)),
    "link_only": (_LINK_ONLY_RE, _implies_no_match(lambda s: s[:1] not in _LINK_ONLY_FIRST, _LINK_ONLY_RE.match)),
}  # fmt: skip


@functools.cache
def _precheck_texts(name: str) -> st.SearchStrategy[str]:
    """Texts for a pattern's precheck, the strategy built once (parsing the pattern per
    example dominated the run)."""
    # (match() patterns: a match at the start, i.e. of the whole text)
    fullmatch = name.startswith("lead_") or name in ("from_to", "reach", "link_only")
    return st.one_of(_FAST_TEXT, st.from_regex(_PRECHECKS[name][0], fullmatch=fullmatch))


@pytest.mark.parametrize("name", sorted(_PRECHECKS))
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_fast_pattern_prechecks_only_skip_failures(name: str, data: st.DataObject) -> None:
    check = _PRECHECKS[name][1]
    check(data.draw(_precheck_texts(name)))


def test_lead_first_characters_are_written_for_each_pattern() -> None:
    assert len(_lead_can_start("x")) == len(_LEADS)
    assert _lead_can_start("") == (False,) * len(_LEADS)


# --------------------------------------------------------------------------- issue 16 class 5 and subjects


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a quantity closes its clause, punctuation or not: the words after it name the next one
        ("走访群众430户收集意见建议52条", [("走访群众", 430, "户"), ("收集意见建议", 52, "条")]),
        ("办理公证1,208件出具法律意见书61份", [("办理公证", 1208, "件"), ("出具法律意见书", 61, "份")]),
        ("组织考试2场参考人员680人次通过率96%", [("组织考试", 2, "场"), ("参考人员", 680, "人次"), ("通过率", 96, "%")]),
        ("受理5件审结5件", [("受理", 5, "件"), ("审结", 5, "件")]),
        # (but inside a preposition's object the noun after the number belongs to it)
        ("五里镇针对辖区46个网格组建巡查队伍46支", [("辖区网格", 46, "个"), ("组建巡查队伍", 46, "支")]),
        # after a verb the noun of a classifier is its object, also in a list
        ("新建3个调解室、12个法律服务点。", [("新建调解室", 3, "个"), ("新建法律服务点", 12, "个")]),
        # a label and a colon: the label names what is counted
        ("办结:64件\n按期办结率:98.4%", [("办结", 64, "件"), ("按期办结率", 98.4, "%")]),
        # a change to a new level: both values belong to what changed
        ("审批时限由20个工作日压减至5个工作日。", [("审批时限", 20, "个工作日"), ("审批时限", 5, "个工作日")]),
        ("考核事项由60项调整为42项。", [("考核事项", 60, "项"), ("考核事项", 42, "项")]),
        # actors, framings, plans and averages before the counted activity
        ("区公证处按照年度计划办理涉企公证216件。", [("办理涉企公证", 216, "件")]),
        ("县信访局月均接待群众来访85批次。", [("接待群众来访", 85, "批次")]),
        ("拟于年内修订规范性文件4件。", [("修订规范性文件", 4, "件")]),
        ("各乡镇配备法制审核员不少于2名。", [("配备法制审核员", 2, "名")]),
        ("乡村振兴服务中心日均办件量340件。", [("乡村振兴服务中心日均办件量", 340, "件")]),
        ("政务公众号全年阅读量达到9.4万次。", [("政务公众号阅读量", 9.4, "万次")]),
    ],
)  # fmt: skip
def test_subjects_of_issue_16(text: str, expected: list[tuple[str, float, str]]) -> None:
    got = extract_indicators(frame(text))
    assert [(s, u) for s, u in got[["subject", "unit"]].itertuples(index=False)] == [(s, u) for s, _, u in expected]
    assert got["value"].tolist() == pytest.approx([v for _, v, _ in expected])
