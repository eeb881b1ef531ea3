"""Concrete cases (具体事例)."""

from __future__ import annotations

import pytest

from analysis.structure import extract_cases

from .helpers import corpus_of

# --------------------------------------------------------------------------- cases

CASES = [
    ("妥善化解日海智能科技股份公司劳资纠纷、新园学校劳资纠纷等多起重大矛盾纠纷10宗", "organisation"),
    ("积极化解琶洲村改造遗留问题,推动未回迁户吴某、蔡某与保利达成共识", "anonymised_party"),
    ("整体拆除泰来里大街13号之三历史违法建设", "address"),
    ("依法查处“12·5”系列案", "named_case"),
    ("成功调处张某某与某物流有限公司工资纠纷", "anonymised_party"),
]
NOT_CASES = [
    "2023年,观湖街道成功调处矛盾纠纷966件,行政调解68件",
    "对行政复议案件开展全流程调解",
    "督促物业公司整改消防隐患",
    "各学校开展法治教育活动",
    "某些问题得到解决",
    "海安街道聘请了江苏震阳律师事务所韩世宝律师为法律顾问",
    "各学习小组先后开展6次集中学习",
]


@pytest.mark.parametrize("clause,entity_type", CASES)
def test_concrete_cases(clause: str, entity_type: str) -> None:
    text = "前文。" + clause + "。后文"
    cases = extract_cases(corpus_of(text))
    assert cases["entity_type"].tolist() == [entity_type]
    r = cases.iloc[0]
    assert text[r["start"] : r["end"]] == r["sentence"] == clause


@pytest.mark.parametrize("clause", NOT_CASES)
def test_not_concrete_cases(clause: str) -> None:
    assert extract_cases(corpus_of(clause + "。")).empty
