"""Items of a part: shortcoming items (extract_problems) and plan items (plan_items, part_items)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.structure import PROBLEM_COLUMNS, extract_problems, parse_sections, plan_items

from .helpers import FULLWIDTH, corpus_of, sections_of

# --------------------------------------------------------------------------- problems

PROBLEM_FORMS = [
    # (shortcomings part text, expected headlines)
    ("三、存在的问题\n(一)审查需加强。\n配套制度仍需完善。\n(二)备案有待加强。\n存在漏报风险。", ["审查需加强", "备案有待加强"]),
    ("二、存在问题\n一年来取得一定成效,但也存在一些短板不足。\n一是学习不够。正文。\n二是人手不足。正文。", ["学习不够", "人手不足"]),
    ("三、存在不足和原因\n1、学习力度不够。正文。\n2、宣传手段不足。正文。\n3、标准不够完善。", ["学习力度不够", "宣传手段不足", "标准不够完善"]),
    ("三、存在的问题和不足\n工作取得成效。\n但也存在以下薄弱环节:(一)融合不够。正文。(二)水平不高。正文。(三)机制不全。正文。", ["融合不够", "水平不高", "机制不全"]),
    ("三、存在的问题和不足\n但存在以下问题：一是融合不够；二是水平不高；三是机制不全。", ["融合不够", "水平不高", "机制不全"]),
    ("三、存在的不足\n虽然取得成效,但仍存在以下不足:\n法治宣传形式单一。\n执法人员素质不高。", ["法治宣传形式单一", "执法人员素质不高"]),
    ("三、存在的不足\n法治宣传形式单一,覆盖面不广。", ["法治宣传形式单一,覆盖面不广"]),
    # one paragraph: its intro clause is not the item
    ("三、存在的不足\n一年来取得一定成效,但也存在一些不足,主要是执法力量不足,宣传形式单一。", ["执法力量不足,宣传形式单一"]),
    ("三、存在的不足\n但也存在一些不足。执法力量不足,宣传形式单一。", ["执法力量不足,宣传形式单一"]),
    ("三、存在的不足\n主要表现在:\n——法治宣传形式单一;\n——执法人员素质不高。", ["法治宣传形式单一", "执法人员素质不高"]),
    ("三、存在的不足\n对照上级要求,我局工作还有一定差距,主要体现在以下几个方面。\n宣传形式单一。\n执法水平不高。", ["宣传形式单一", "执法水平不高"]),
    ("三、存在的问题和原因\n(一)存在的问题\n1.队伍不足。\n2.宣传单一。\n(二)原因分析\n1.投入不够。", ["队伍不足", "宣传单一"]),
    ("三、存在的问题\n①队伍不足;②宣传单一。", ["队伍不足", "宣传单一"]),
    # the heading and its list on one line
    ("三、存在的问题:一是融合不够;二是水平不高。", ["融合不够", "水平不高"]),
    ("三、存在的主要问题\n第一,学习不够;第二,人手不足。", ["学习不够", "人手不足"]),
    ("三、存在的问题\n(1)学习不够;\n(2)人手不足。", ["学习不够", "人手不足"]),
    (
        "三、存在问题\n一年来虽然取得一定成绩,但也存在一些不足。首先,法治宣传形式单一;其次,执法力量不足;最后,考核机制不健全。",
        ["法治宣传形式单一", "执法力量不足", "考核机制不健全"],
    ),
    # a list of causes after the problems is not items
    ("三、存在的不足和原因\n存在的不足:一是队伍不足;二是宣传单一。\n原因:一是投入不够;二是重视不够。", ["队伍不足", "宣传单一"]),
    ("三、存在的不足和原因\n一是队伍不足;二是宣传单一。究其原因,一是投入不够;二是重视不够。", ["队伍不足", "宣传单一"]),
    ("三、存在的不足和原因\n1.队伍不足。\n2.宣传单一。\n产生这些问题的原因主要有:\n1.投入不够。", ["队伍不足", "宣传单一"]),
    # unnumbered paragraphs, a closing paragraph of causes left out
    ("三、存在的不足\n法治宣传形式单一。\n执法人员素质不高。\n究其原因,主要是投入不足。", ["法治宣传形式单一", "执法人员素质不高"]),
    # only causes: they are what the part holds
    ("三、原因分析\n原因:一是投入不够;二是重视不够。", ["投入不够", "重视不够"]),
]


@pytest.mark.parametrize("part_text,expected", PROBLEM_FORMS)
def test_problem_forms(part_text: str, expected: list[str]) -> None:
    text = "一、主要举措和成效\n做了很多工作。\n" + part_text + "\n四、下一年度工作计划\n一是加强培训。"
    for variant in (text, text.translate(FULLWIDTH)):
        corpus = corpus_of(variant)
        problems = extract_problems(parse_sections(corpus))
        assert problems["text"].str.translate(FULLWIDTH).tolist() == [e.translate(FULLWIDTH) for e in expected]
        assert problems["item"].tolist() == list(range(1, len(expected) + 1))
        for r in problems.itertuples():
            assert variant[r.start : r.end] == r.body
            assert r.body.startswith(r.text) and r.body == r.body.strip()


def test_no_shortcomings_part_no_problems() -> None:
    problems = extract_problems(sections_of("一、主要举措和成效\n(一)加强领导。\n二、下一步工作计划\n一是培训。"))
    assert list(problems.columns) == PROBLEM_COLUMNS and problems.empty


PLAN_SECTIONS_TEXT = (
    "三、下一年度工作计划\n"
    "2024年,我街将继续推进法治建设,重点抓好以下工作:\n"
    "一是进一步规范规范性文件备案审查工作,做到有件必备。\n"
    "二是深化矛盾纠纷多元化解,加强人民调解员培训。\n"
    "某某街道办事处\n"
    "2023年12月22日"
)


@pytest.mark.parametrize(
    ("texts", "nested", "expected"),
    [
        # paragraphs numbered 一是…; intro and signature dropped
        ([PLAN_SECTIONS_TEXT], [False],
         ["一是进一步规范规范性文件备案审查工作,做到有件必备。", "二是深化矛盾纠纷多元化解,加强人民调解员培训。"]),
        # (一) heading lines followed by a body paragraph: heading + body is one item
        (["三、工作安排\n(一)完善决策程序\n落实合法性审查。\n(二)加强队伍建设\n充实人员。"], [False],
         ["(一)完善决策程序\n落实合法性审查。", "(二)加强队伍建设\n充实人员。"]),
        # inline enumerators inside one paragraph; full-width punctuation
        (["四、下一步打算\n下一步，我局将：一是加强执法监督；二是深化普法宣传；三是推进信息化。"], [False],
         ["一是加强执法监督;", "二是深化普法宣传;", "三是推进信息化。"]),
        # unnumbered paragraphs: one item each
        (["三、明年计划\n加强执法。\n深化普法。"], [False], ["加强执法。", "深化普法。"]),
    ],
)
def test_plan_items_forms(texts, nested, expected):
    rows = []
    offset = 7
    for t in texts:
        heading = t.split("\n", 1)[0].split("、", 1)[1]
        rows.append({"doc_id": "a", "part": "plans", "level": 1, "heading": heading, "text": t,
                     "start": offset, "end": offset + len(t)})
    sections = pd.DataFrame(rows)
    items = plan_items(sections)
    got = [t.replace("；", ";") for t in items["text"]]
    assert got == [e.replace("；", ";") for e in expected]
    full = "x" * offset + texts[0]
    for t, s, e in zip(items["text"], items["start"], items["end"]):
        assert full[s:e] == t
    assert items["item"].tolist() == list(range(1, len(expected) + 1))


def test_plan_items_takes_the_deepest_sections():
    text = "三、工作计划\n(一)加强队伍建设。充实人员。\n(二)深化普法。\n某街道办事处\n2024年1月2日"
    a = text.index("(一)")
    b = text.index("(二)")
    e2 = text.index("\n某街道")
    sections = pd.DataFrame(
        {"doc_id": "a", "part": "plans", "level": [1, 2, 2], "path": ["三", "三/(一)", "三/(二)"],
         "heading": ["工作计划", "加强队伍建设", "深化普法"],
         "text": [text, text[a:b], text[b:e2]], "start": [0, a, b], "end": [len(text), b, e2]}
    )
    items = plan_items(sections)
    assert items["text"].tolist() == ["(一)加强队伍建设。充实人员。", "(二)深化普法。"]
    assert items["path"].tolist() == ["三/(一)", "三/(二)"]
    assert plan_items(sections.assign(part="measures")).empty
    assert list(plan_items(sections.assign(part="measures")).columns) == ["doc_id", "item", "path", "text",
                                                                             "start", "end"]


_PLAN_ALPHABET = st.sampled_from(list("一二三是、。,;:()（）1.\n 加强执法普法队伍某街道办事处2024年月日"))


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=_PLAN_ALPHABET, max_size=120), st.integers(min_value=0, max_value=5))
def test_plan_items_offsets_point_at_their_text_on_arbitrary_input(body, offset):
    text = "三、工作计划\n" + body
    full = "x" * offset + text
    sections = pd.DataFrame({"doc_id": ["a"], "part": ["plans"], "level": [1], "heading": ["工作计划"],
                             "text": [text], "start": [offset], "end": [offset + len(text)]})
    items = plan_items(sections)
    for t, s, e in zip(items["text"], items["start"], items["end"]):
        assert full[s:e] == t and t.strip() == t and t
