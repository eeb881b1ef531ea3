"""Tests for analysis.indicators.lists: values shared by listed subjects, changes that continue."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.indicators import audit_numbers, extract_indicators

from .helpers import assert_coverage, frame


def _rows(text: str) -> list[tuple[str, float, str, str]]:
    got = extract_indicators(frame(text))
    return [(s, v, u, k) for s, v, u, k in got[["subject", "value", "unit", "kind"]].itertuples(index=False)]


# issue 16, class 2 (one value shared by a list) and the changes of class 6, in wording of our own
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 均 / 都: one row per listed subject
        ("复议案件审结率、纠错率均为100%。", [("复议案件审结率", 100, "%", "result"), ("纠错率", 100, "%", "result")]),
        ("公示率和备案率都达到99%。", [("公示率", 99, "%", "result"), ("备案率", 99, "%", "result")]),
        ("结案率、回访率均较上年提高3个百分点。",
         [("结案率较上年提高", 3, "个百分点", "result"), ("回访率较上年提高", 3, "个百分点", "result")]),
        # two bodies joined by 和/与 (not the same last character) are two items
        ("县法院与县检察院各选派干警2名。",
         [("县法院选派干警", 2, "名", "per_capita"), ("县检察院选派干警", 2, "名", "per_capita")]),
        ("调解和解率均达到35%。", [("调解和解率", 35, "%", "result")]),
        # a counted value: “三个100%”, 两个“100%”, “双100%”
        ("受理率、办结率、回复率达到“三个100%”。",
         [("受理率", 100, "%", "result"), ("办结率", 100, "%", "result"), ("回复率", 100, "%", "result")]),
        ("参考率、通过率实现两个“100%”。", [("参考率", 100, "%", "result"), ("通过率", 100, "%", "result")]),
        ("参考率、通过率两个“100%”全部实现。", [("参考率", 100, "%", "result"), ("通过率", 100, "%", "result")]),
        ("立案率、结案率实现“双100%”。", [("立案率", 100, "%", "result"), ("结案率", 100, "%", "result")]),
        # 分别: paired in order
        ("合格率、优秀率分别为96%和41%。", [("合格率", 96, "%", "result"), ("优秀率", 41, "%", "result")]),
        ("纠错率、调撤率较上年分别提高1.5个和2.4个百分点。",
         [("纠错率较上年提高", 1.5, "个百分点", "result"), ("调撤率较上年提高", 2.4, "个百分点", "result")]),
        # 各: each object of the verb; each holder (an allocation)
        ("聘请特约监督员、义务监督员各10名。", [("聘请特约监督员", 10, "名", "result"), ("义务监督员", 10, "名", "result")]),
        ("区税务局、区医保局各抽调业务骨干3名。",
         [("区税务局抽调业务骨干", 3, "名", "per_capita"), ("区医保局抽调业务骨干", 3, "名", "per_capita")]),
        ("全区6个街道各配备1名公职律师。", [("全区街道", 6, "个", "result"), ("配备公职律师", 1, "名", "per_capita")]),
        # no distributive word: one quantity of several verbs
        ("排查、化解矛盾纠纷312件。", [("排查、化解矛盾纠纷", 312, "件", "result")]),
        # a change continues the quantity before it (what changed is its subject)
        ("全年办理公证事项3,150件,同比增长6.8%。",
         [("办理公证事项", 3150, "件", "result"), ("办理公证事项同比增长", 6.8, "%", "result")]),
        ("受理复议申请212件,审结198件,同比分别增长5%和7%。",
         [("受理复议申请", 212, "件", "result"), ("审结", 198, "件", "result"),
          ("受理复议申请同比增长", 5, "%", "result"), ("审结同比增长", 7, "%", "result")]),
        ("农村居民人均可支配收入21,600元,增长6.5%。",
         [("农村居民人均可支配收入", 21600, "元", "per_capita"), ("农村居民人均可支配收入增长", 6.5, "%", "per_capita")]),
    ],
)  # fmt: skip
def test_shared_values(text: str, expected: list[tuple[str, float, str, str]]) -> None:
    got = _rows(text)
    assert [(s, u, k) for s, _, u, k in got] == [(s, u, k) for s, _, u, k in expected]
    assert [v for _, v, _, _ in got] == pytest.approx([v for _, v, _, _ in expected])
    audit = audit_numbers(frame(text))
    assert_coverage(text, audit)  # one audit row per numeral, however many rows share it


# The property: for a sentence "<subjects><number><unit>" with a random list of subjects,
# every listed subject gets its row and the offsets point at the quote.
_STEMS = ["办结", "满意", "回访", "公示", "备案", "审查", "知晓", "参与", "覆盖", "合格", "履约", "调处", "纠错", "答复"]
_SUBJECTS = st.lists(st.sampled_from(_STEMS), min_size=2, max_size=6, unique=True).map(lambda xs: [x + "率" for x in xs])
_NUMBER = st.one_of(st.integers(0, 100).map(str), st.decimals(0, 100, places=1).map(str))


def _join(items: list[str], last: str) -> str:
    return "、".join(items[:-1]) + last + items[-1]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    _SUBJECTS,
    st.sampled_from(["、", "和", "及", "与"]),
    st.sampled_from(["均达到", "均为", "均保持", "都达到", "均达", "均实现"]),
    _NUMBER,
    st.sampled_from(["%", "个百分点", "‰"]),
    st.sampled_from(["", "全年", "目前,", "今年以来,"]),
)
def test_property_every_listed_subject_gets_its_row(
    subjects: list[str], last: str, verb: str, number: str, unit: str, lead: str
) -> None:
    text = f"{lead}{_join(subjects, last)}{verb}{number}{unit}。"
    got = extract_indicators(frame(text))
    assert got["subject"].tolist() == subjects
    assert (got["value"] == float(number)).all() and (got["unit"] == unit).all()
    for r in got.itertuples():
        assert text[r.start : r.end] == r.quote


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_SUBJECTS, st.sampled_from(["、", "和"]), st.data())
def test_property_listed_subjects_pair_with_their_values(subjects: list[str], last: str, data: st.DataObject) -> None:
    numbers = [data.draw(_NUMBER) for _ in subjects]
    text = f"{_join(subjects, last)}分别为{_join([n + '%' for n in numbers], data.draw(st.sampled_from(['、', '和'])))}。"
    got = extract_indicators(frame(text))
    assert got["subject"].tolist() == subjects
    assert got["value"].tolist() == [float(n) for n in numbers]
    for r in got.itertuples():
        assert text[r.start : r.end] == r.quote
