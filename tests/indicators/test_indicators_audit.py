"""Tests for analysis.indicators.audit: every numeral classed, every digit run covered once."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

from analysis.indicators import (
    AUDIT_CLASSES,
    AUDIT_COLUMNS,
    audit_numbers,
    extract_indicators,
    extract_indicators_and_audit,
)
from analysis.indicators.quantities import CLASS_OF_GROUP
from analysis.numbers import normalize_width

from .helpers import TEXT, assert_coverage, frame, to_full_width

# --------------------------------------------------------------------------- exclusions

# (text, [(match, class), ...]) for the audit; none of these may become a quantity
EXCLUSION_CASES = [
    ("2024年,琶洲街道全面贯彻落实党的二十大和二十届三中全会精神。",
     [("2024年", "year"), ("二十大", "other"), ("二十届三中全会", "other")]),
    ("全面贯彻党的十九大和十九届二中、三中、四中全会精神。",
     [("十九大", "other"), ("十九届二中、三中、四中全会", "other")]),
    ("根据《法治政府建设实施纲要(2021-2025年)》等文件要求。",
     [("《法治政府建设实施纲要(2021-2025年)》", "law_or_plan_name")]),
    ("紧密围绕省委“1310”具体部署和市委“1312”思路举措。", [("“1310”", "slogan"), ("“1312”", "slogan")]),
    ("落实一岗双责和三重一大,严格落实行政执法三项制度,增强四个意识,做到两个维护。",
     [("一岗双责", "slogan"), ("三重一大", "slogan"), ("三项制度", "slogan"), ("四个意识", "slogan"), ("两个维护", "slogan")]),
    ("打造“一站式”商事调解服务,其中1家实行一案双罚。", [("“一站式”", "slogan"), ("一案双罚", "slogan")]),
    ("结合30-24机制,在“3+3”类基础上,构建“1+23”法律援助联络网络。",
     [("30-24", "slogan"), ("“3+3”", "slogan"), ("“1+23”", "slogan")]),
    ("深入开展“八五”普法,迎接八五普法验收,深化一社区一法律顾问工作。",
     [("“八五”", "slogan"), ("八五", "law_or_plan_name"), ("一社区一法律顾问", "slogan")]),
    ("推进治本攻坚三年行动,开展打假百日攻坚行动。", [("三年行动", "law_or_plan_name"), ("百日攻坚", "law_or_plan_name")]),
    ("依据穗府办〔2023〕5号文件,拨打12348公共法律服务热线或“12345”热线。",
     [("〔2023〕5号", "other"), ("12348", "other"), ("“12345”", "other")]),
    ("粤ICP备05083207号-1网站标识码:4401050003", [("05083207号-1", "other"), ("4401050003", "other")]),
    ("发扬“枫桥经验”60周年的精神,整体拆除泰来里大街13号之三历史违法建设。",
     [("60周年", "other"), ("13号之三", "other")]),
    ("发布日期:2023-12-13 10:57:35,自2023年3月成立以来,8月正式实施,今年三月初至六月。",
     [("2023-12-13 10:57:35", "date"), ("2023年3月", "date"), ("8月", "date"), ("三月初", "date"), ("六月", "date")]),
    ("一、主要举措\n(一)加强领导。一是强化部署;二是狠抓落实。\n1.加强组织领导\n2、健全制度",
     [("一、", "heading"), ("(一)", "heading"), ("一是", "heading"), ("二是", "heading"), ("1.", "heading"),
      ("2、", "heading")]),
    ("24小时不间断排查化解不稳定因素,继续打造第二批示范点。", [("24小时", "other"), ("第二批", "other")]),
    ("进一步完善制度,统一一个标准,一次性告知,是一项长期的工作,一起查处。", []),
    ("5G基站建设,近3年来,三年以来。", [("5G", "other"), ("3年", "other"), ("三年", "other")]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), EXCLUSION_CASES, ids=[f"x{i:02d}" for i in range(len(EXCLUSION_CASES))])
def test_exclusions(text: str, expected: list[tuple[str, str]]) -> None:
    audit = audit_numbers(frame(text))
    quantities = audit[audit["class"].isin(["indicator", "target", "per_capita"])]
    got = [(m, c) for m, c in zip(audit["match"], audit["class"]) if c not in ("indicator", "target", "per_capita")]
    assert got == expected
    # only real quantities (here: 1家, 5号文件 is not one) may be extracted
    assert set(quantities["match"]) <= {"1家"}


@pytest.mark.parametrize(("text", "expected"), EXCLUSION_CASES, ids=[f"x{i:02d}" for i in range(len(EXCLUSION_CASES))])
def test_exclusions_full_width(text: str, expected: list[tuple[str, str]]) -> None:
    audit = audit_numbers(frame(to_full_width(text)))
    got = [(normalize_width(m), c) for m, c in zip(audit["match"], audit["class"])]
    assert [g for g in got if g[1] not in ("indicator", "target", "per_capita")] == expected


def test_seed_audit_covers_every_digit_run(seed_corpus: pd.DataFrame) -> None:
    audit = audit_numbers(seed_corpus)
    assert list(audit.columns) == AUDIT_COLUMNS
    assert set(audit["class"]) <= set(AUDIT_CLASSES)
    for doc_id, text in zip(seed_corpus["doc_id"], seed_corpus["text"]):
        a = audit[audit["doc_id"] == doc_id]
        assert_coverage(text, a)


def test_one_pass_equals_two_calls(seed_corpus: pd.DataFrame) -> None:
    quantities, audit = extract_indicators_and_audit(seed_corpus)
    pd.testing.assert_frame_equal(quantities, extract_indicators(seed_corpus))
    pd.testing.assert_frame_equal(audit, audit_numbers(seed_corpus))


@given(TEXT)
def test_property_audit_covers_every_digit_run(text: str) -> None:
    assert_coverage(text, audit_numbers(frame(text)))



def test_every_class_is_an_audit_class() -> None:
    assert {cls for cls, _ in CLASS_OF_GROUP.values()} <= set(AUDIT_CLASSES)
