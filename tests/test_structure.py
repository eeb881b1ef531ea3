"""Report structure: heading forms, non-headings, parts, shortcoming items, compliance."""

from __future__ import annotations

import io
import re
import warnings
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.structure import (
    PARTS,
    PROBLEM_COLUMNS,
    SECTION_COLUMNS,
    StructureWarning,
    compliance,
    extract_cases,
    extract_problems,
    parse_sections,
    part_rules,
    part_shares,
    plot_part_shares,
)

_FULLWIDTH = str.maketrans({",": "，", "(": "（", ")": "）", ":": "：", ";": "；", "%": "％", "!": "！", "?": "？"})


def _corpus(*texts: str) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": list(texts)})


def _sections(text: str) -> pd.DataFrame:
    return parse_sections(_corpus(text))


def _outline(text: str) -> list[tuple[int, str, str]]:
    s = _sections(text)
    s = s[s["part"] != "preamble"]
    return [(int(r.level), r.number, r.heading) for r in s.itertuples()]


def _check_invariants(corpus: pd.DataFrame, sections: pd.DataFrame) -> None:
    """Conservation, valid offsets, text == slice, children inside their parent."""
    texts = dict(zip(corpus["doc_id"], corpus["text"]))
    for doc_id, doc in sections.groupby("doc_id", sort=False):
        text = texts[doc_id]
        top = doc[doc["level"] == 1]
        assert "".join(top["text"]) == text
        stack: list[tuple[int, int, int]] = []
        for r in doc.itertuples():
            assert 0 <= r.start <= r.end <= len(text)
            assert text[r.start : r.end] == r.text
            while stack and stack[-1][0] >= r.level:
                stack.pop()
            if stack:
                assert stack[-1][0] == r.level - 1
                assert stack[-1][1] <= r.start and r.end <= stack[-1][2]
            else:
                assert r.level == 1
            stack.append((r.level, r.start, r.end))


# --------------------------------------------------------------------------- heading forms

HEADING_FORMS = [
    # (text, [(level, number, heading), ...]) -- forms seen in real reports
    ("一、主要举措和成效\n正文。", [(1, "一", "主要举措和成效")]),
    ("一、2024年度法治政府建设主要工作及成效\n正文。", [(1, "一", "2024年度法治政府建设主要工作及成效")]),
    ("一.主要情况\n正文。\n二．存在问题\n正文。", [(1, "一", "主要情况"), (1, "二", "存在问题")]),
    ("  一、主要情况\n\u3000\u3000二、存在问题", [(1, "一", "主要情况"), (1, "二", "存在问题")]),
    (
        "一、主要情况\n(一)加强领导。正文\n（二）完善制度。正文",
        [(1, "一", "主要情况"), (2, "(一)", "加强领导"), (2, "(二)", "完善制度")],
    ),
    ("一、主要情况\n㈠加强领导\n㈡完善制度", [(1, "一", "主要情况"), (2, "(一)", "加强领导"), (2, "(二)", "完善制度")]),
    (
        "(一)加强依法行政\n1.加强组织领导。正文\n2、健全行政决策机制。正文\n3．严格管理规范性文件。",
        [(1, "(一)", "加强依法行政"), (2, "1", "加强组织领导"), (2, "2", "健全行政决策机制"), (2, "3", "严格管理规范性文件")],
    ),
    ("一、主要情况\n１、加强领导\n２、完善制度", [(1, "一", "主要情况"), (2, "1", "加强领导"), (2, "2", "完善制度")]),
    ("一、主要情况\n(1)加强领导\n（2）完善制度", [(1, "一", "主要情况"), (2, "(1)", "加强领导"), (2, "(2)", "完善制度")]),
    (
        "一、主要情况\n主要有:①健全机制;②压实责任。",
        [(1, "一", "主要情况"), (2, "①", "健全机制"), (2, "②", "压实责任")],
    ),
    (
        "二、存在问题\n一是学习不够深入。正文。\n二是人手不足。正文。",
        [(1, "二", "存在问题"), (2, "一是", "学习不够深入"), (2, "二是", "人手不足")],
    ),
    (
        "一、主要情况\n(一)优化执法方式。一是,积极探索融合模式。二是,纵深推进定格化管理。",
        [(1, "一", "主要情况"), (2, "(一)", "优化执法方式"), (3, "一是", "积极探索融合模式"), (3, "二是", "纵深推进定格化管理")],
    ),
    (
        "三、存在的问题和不足\n但也存在以下薄弱环节:(一)融合不够。正文。(二)水平不高。正文。(三)机制不全。正文。",
        [(1, "三", "存在的问题和不足"), (2, "(一)", "融合不够"), (2, "(二)", "水平不高"), (2, "(三)", "机制不全")],
    ),
    (
        "一、主要情况\n存在以下问题：（一）融合不够。（二）水平不高。",
        [(1, "一", "主要情况"), (2, "(一)", "融合不够"), (2, "(二)", "水平不高")],
    ),
    (
        "一、主要情况\n(一)加强领导\n1.建立机制。一是健全制度;二是压实责任。\n2.完善体系\n(二)严格执法",
        [
            (1, "一", "主要情况"), (2, "(一)", "加强领导"), (3, "1", "建立机制"), (4, "一是", "健全制度"),
            (4, "二是", "压实责任"), (3, "2", "完善体系"), (2, "(二)", "严格执法"),
        ],
    ),
    (
        "一、主要情况\n存在以下问题:第一,学习不够;第二，人手不足。",
        [(1, "一", "主要情况"), (2, "第一", "学习不够"), (2, "第二", "人手不足")],
    ),
    # 1、 directly under 三、 (no (一) level in between), as in the Haian report
    ("三、存在不足和原因\n1、学习不够深入。\n2、宣传不够充分。", [(1, "三", "存在不足和原因"), (2, "1", "学习不够深入"), (2, "2", "宣传不够充分")]),
    # a typo skipping a number at a line start still makes a heading
    ("一、甲\n二、乙\n四、丁", [(1, "一", "甲"), (1, "二", "乙"), (1, "四", "丁")]),
    # a list restarting under the same parent
    ("一、甲\n一是A;二是B。\n中间段落。一是C;二是D。", [(1, "一", "甲"), (2, "一是", "A"), (2, "二是", "B"), (2, "一是", "C"), (2, "二是", "D")]),
]


@pytest.mark.parametrize("text,expected", HEADING_FORMS)
def test_heading_forms(text: str, expected: list[tuple[int, str, str]]) -> None:
    assert _outline(text) == expected
    _check_invariants(_corpus(text), _sections(text))


NON_HEADINGS = [
    "2024年,琶洲街道在区委、区政府的正确领导下推进法治建设。",
    "2024年\n琶洲街道推进法治建设。",
    "紧密围绕省委“1310”具体部署和市委“1312”思路举措。",
    "根据《法治政府建设实施纲要(2021-2025年)》等文件要求。",
    "(2021-2025年)期间的目标。",
    "整体拆除泰来里大街13号之三历史违法建设。",
    "会议强调:“一是要提高认识;二是要压实责任。”",
    "学习《关于一是二是的若干规定》。",
    "发放宣传资料1.4万余份。\n1.4万余份资料已发放。",
    "3、4月份开展专项行动。\n3、4季度完成验收。",
    "法院共结案一审案件62件。(一审案件共胜诉61件、败诉1件)",
    "唯一是指标。统一是原则。",
    "第一责任人职责落实到位。\n第二十次全会精神。",
    "二、只有第二部分而没有第一部分的内联文字吗?不是行首。",
    "我们的做法:一是健全制度;二是压实责任。",
    "(二)从二开始的列表不成立。\n(三)同上。",
    "首先要提高认识。最后一公里打通了。",
    "会议结束。最后,大家合影留念。其次是。",
]


@pytest.mark.parametrize("text", NON_HEADINGS)
def test_non_headings_give_one_other_section(text: str) -> None:
    corpus = _corpus(text)
    if text.startswith("二、"):
        # a line-start 二、 IS a heading (a report may lack its first part);
        # the inline look-alikes after it are not
        assert list(parse_sections(corpus)["number"]) == ["二"]
        return
    with pytest.warns(StructureWarning, match="no recognisable heading"):
        s = parse_sections(corpus)
    assert s[["part", "level", "start", "end"]].values.tolist() == [["other", 1, 0, len(text)]]


def test_quoted_and_number_lookalikes_inside_a_report() -> None:
    text = (
        "2024年,我街紧密围绕省委“1310”具体部署。\n一、主要工作及成效\n"
        "(一)完善执法。整体拆除泰来里大街13号之三历史违法建设。领导强调“一是要学;二是要用”。\n"
        "2024年全年立案80宗。\n二、存在的问题\n一是队伍不足。"
    )
    assert _outline(text) == [(1, "一", "主要工作及成效"), (2, "(一)", "完善执法"), (1, "二", "存在的问题"), (2, "一是", "队伍不足")]


def test_inline_last_item_ends_with_its_paragraph() -> None:
    text = "一、主要情况\n(一)甲。一是A;二是B。\n后续段落不属于二是。\n(二)乙"
    s = _sections(text).set_index("path")
    assert s.loc["一/(一)/二是", "text"] == "二是B。"
    assert s.loc["一/(一)", "text"] == "(一)甲。一是A;二是B。\n后续段落不属于二是。\n"


def test_signature_is_left_to_the_top_level_section() -> None:
    text = "一、主要安排\n一是A。\n二是B。\n中共某某街道工作委员会\n某某街道办事处\n2023年12月22日"
    s = _sections(text).set_index("path")
    assert s.loc["一/二是", "text"] == "二是B。\n"
    assert s.loc["一", "text"] == text


def test_malformed_and_deep_numbering_never_crashes() -> None:
    deep = "一、甲\n(一)乙\n1.丙\n(1)丁\n①戊\n一是己;二是庚。\n" * 3 + "十二、跳号\n(九)乱序\n99.超长\n"
    s = _sections(deep)
    _check_invariants(_corpus(deep), s)
    assert s["level"].max() == 7  # 一、 … 一是 (6 levels), the 2nd and 3rd 一、 nested once under the 1st
    assert s.loc[s["level"] == 1, "number"].tolist() == ["一"]
    # a sloppy sub-list restarting 一、 under a top-level section nests once, and the next
    # top-level number still continues the outer list
    text = "一、主要成效\n甲。\n二、下一年度工作计划\n一、加强学习。\n二、加强执法。\n三、其他需要报告的情况\n无。"
    assert _outline(text) == [
        (1, "一", "主要成效"), (1, "二", "下一年度工作计划"), (2, "一", "加强学习"), (2, "二", "加强执法"),
        (1, "三", "其他需要报告的情况"),
    ]


def test_no_text_no_rows_and_na_text() -> None:
    corpus = pd.DataFrame({"doc_id": ["a", "b"], "text": ["", None]})
    s = parse_sections(corpus)
    assert list(s.columns) == SECTION_COLUMNS and s.empty


def test_warning_lists_every_report_once() -> None:
    corpus = _corpus("只有一段话。", "一、主要情况\n正文", "另一段话。")
    with pytest.warns(StructureWarning) as record:
        parse_sections(corpus)
    assert len(record) == 1
    assert "2 report(s)" in str(record[0].message) and "d0" in str(record[0].message) and "d2" in str(record[0].message)


def test_input_not_mutated() -> None:
    corpus = _corpus("一、主要举措和成效\n(一)甲。\n二、存在的不足\n一是乙。")
    before = corpus.copy()
    sections = parse_sections(corpus)
    s_before = sections.copy()
    extract_problems(sections)
    compliance(corpus, sections, indicators=pd.DataFrame({"doc_id": []}))
    pd.testing.assert_frame_equal(corpus, before)
    pd.testing.assert_frame_equal(sections, s_before)


# --------------------------------------------------------------------------- parts

PART_HEADINGS = [
    ("一、2024年度法治政府建设主要工作及成效", "measures"),
    ("一、主要情况", "measures"),
    ("一、本年度推进法治政府建设的主要举措和成效", "measures"),
    ("一、2023年法治政府建设工作开展情况", "measures"),
    ("二、主要负责人履行推进法治建设第一责任人职责情况", "leadership"),
    ("二、党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况", "leadership"),
    ("二、存在的问题和不足", "shortcomings"),
    ("二、存在问题", "shortcomings"),
    ("三、存在不足和原因", "shortcomings"),
    ("三、存在的困难和问题", "shortcomings"),
    ("三、薄弱环节", "shortcomings"),
    ("三、2025年法治政府建设工作计划", "plans"),
    ("三、下年度法治政府建设的工作安排", "plans"),
    ("四、下一年度推进法治政府建设的主要安排", "plans"),
    ("四、2024年推进法治政府建设的主要安排", "plans"),
    ("四、下一步工作打算", "plans"),
    ("四、下步打算", "plans"),
    ("四、今后努力方向", "plans"),
    ("四、整改措施", "plans"),
    ("三、问题和建议", "shortcomings"),
    ("三、问题及下一步打算", "shortcomings"),
    ("三、存在问题及整改措施", "shortcomings"),
    ("三、面临的困难和挑战", "shortcomings"),
    ("三、需要改进的问题", "shortcomings"),
    ("三、工作中存在的问题", "shortcomings"),
    ("三、差距和不足", "shortcomings"),
    ("二、履行推进法治建设第一责任人职责情况", "leadership"),
    ("一、工作开展情况", "measures"),
    ("五、其他需要说明的问题", "other"),
    ("第五部分 其他需要报告的情况", "other"),
    ("五、其他需要报告的情况", "other"),
    # thematic chapters of the review that promise to fix weaknesses are not confessions
    ("六、加强法治队伍建设,补齐短板", "measures"),
    ("三、聚焦薄弱环节,缩小差距", "measures"),
    ("四、着力解决群众反映存在的问题", "measures"),
    ("四、抓好巡察反馈存在问题整改", "measures"),
]


@pytest.mark.parametrize("heading,part", PART_HEADINGS)
def test_top_level_part_rules(heading: str, part: str) -> None:
    s = _sections(f"{heading}\n正文。")
    assert s["part"].tolist() == [part]


@pytest.mark.parametrize("heading,part", PART_HEADINGS)
def test_top_level_part_rules_fullwidth(heading: str, part: str) -> None:
    s = _sections(f"{heading}\n正文。".translate(_FULLWIDTH))
    assert s["part"].tolist() == [part]


def test_unclassified_headings_follow_position() -> None:
    text = (
        "一、深入学习贯彻习近平法治思想\n(一)切实履行推进法治建设第一责任人职责。\n"
        "二、健全政府机构职能体系\n三、存在的问题\n一是甲。\n四、下一步工作计划\n五、附则说明\n"
    )
    s = _sections(text)
    top = s[s["level"] == 1]
    assert top["part"].tolist() == ["measures", "measures", "shortcomings", "plans", "other"]
    # a level-2 leadership heading inherits: only a top-level one makes the part
    assert s.loc[s["level"] == 2, "part"].tolist() == ["measures", "shortcomings"]


def test_combined_heading_children_classified_by_their_own_headings() -> None:
    text = "一、主要成效\n甲。\n二、存在的问题及下一步打算\n(一)存在的问题\n1.队伍不足。\n(二)下一步打算\n1.加强培训。"
    s = _sections(text)
    assert s[["path", "part"]].values.tolist() == [
        ["一", "measures"], ["二", "shortcomings"], ["二/(一)", "shortcomings"], ["二/(一)/1", "shortcomings"],
        ["二/(二)", "plans"], ["二/(二)/1", "plans"],
    ]
    p = extract_problems(s)
    assert p["text"].tolist() == ["队伍不足"]


def test_missing_part_promoted_from_level_two_label() -> None:
    text = "一、2023年工作情况\n(一)加强领导。\n(二)存在的问题\n一是队伍不足。\n二是宣传单一。\n(三)下一步工作计划\n加强培训。"
    s = _sections(text)
    assert s[["path", "part"]].values.tolist() == [
        ["一", "measures"], ["一/(一)", "measures"], ["一/(二)", "shortcomings"], ["一/(二)/一是", "shortcomings"],
        ["一/(二)/二是", "shortcomings"], ["一/(三)", "plans"],
    ]
    assert extract_problems(s)["text"].tolist() == ["队伍不足", "宣传单一"]


# Unnumbered part headings: (text, report_year, [(part, number, heading) of the top-level sections])
LABEL_FORMS = [
    # labelled paragraphs after a numbered review
    (
        "一、主要工作\n(一)健全制度。\n存在的问题:一是队伍不足;二是宣传单一。\n下一步工作打算:一是加强培训。",
        None,
        [("measures", "一", "主要工作"), ("shortcomings", "", "存在的问题"), ("plans", "", "下一步工作打算")],
    ),
    # a concessive paragraph after thematic chapters
    (
        "一、依法全面履职\n甲。\n二、严格规范执法\n乙。\n一年来取得一定成效,但也存在一些不足:一是队伍不足;二是宣传单一。\n"
        "三、2024年工作安排\n丙。",
        2023,
        [("measures", "一", "依法全面履职"), ("measures", "二", "严格规范执法"),
         ("shortcomings", "", "一年来取得一定成效,但也存在一些不足"), ("plans", "三", "2024年工作安排")],
    ),
    # the same in full-width form
    (
        "一、依法全面履职\n甲。\n同时，我们也清醒地看到，还存在一些差距和不足，主要是：\n１．队伍不足；\n２．宣传单一。\n"
        "二、下一步打算\n丙。",
        None,
        [("measures", "一", "依法全面履职"), ("shortcomings", "", "同时，我们也清醒地看到，还存在一些差距和不足，主要是"),
         ("plans", "二", "下一步打算")],
    ),
    # standalone labels and no numbered heading at all
    (
        "2022年,我镇推进法治建设。\n主要做法\n健全制度。\n存在问题\n队伍不足。\n下步打算\n加强培训。",
        None,
        [("preamble", "", ""), ("measures", "", "主要做法"), ("shortcomings", "", "存在问题"), ("plans", "", "下步打算")],
    ),
    # a combined heading whose plans are an unnumbered paragraph
    (
        "一、主要成效\n甲。\n二、存在的问题和下一步打算\n但也存在一些问题:一是队伍不足;二是宣传单一。\n"
        "下一步,我局将:一是加强培训;二是创新宣传。",
        None,
        [("measures", "一", "主要成效"), ("shortcomings", "二", "存在的问题和下一步打算"), ("plans", "", "下一步,我局将")],
    ),
    # 第一部分 headings, the heading text on the next line
    (
        "第一部分\n主要举措和成效\n一、健全制度\n甲。\n第二部分\n存在的问题\n一、队伍不足。\n第三部分 2024年工作计划\n一、加强培训。",
        2023,
        [("measures", "第一部分", "主要举措和成效"), ("shortcomings", "第二部分", "存在的问题"),
         ("plans", "第三部分", "2024年工作计划")],
    ),
    # a year after the covered one makes the plans, from report_year or the text's first year
    (
        "一、2023年工作情况\n甲。\n二、存在问题\n乙。\n三、2024年重点工作\n丙。",
        2023,
        [("measures", "一", "2023年工作情况"), ("shortcomings", "二", "存在问题"), ("plans", "三", "2024年重点工作")],
    ),
    (
        "2023年,我局推进法治建设。\n一、主要举措\n甲。\n二、2024年主要举措\n丙。",
        None,
        [("preamble", "", ""), ("measures", "一", "主要举措"), ("plans", "二", "2024年主要举措")],
    ),
    # a department listing its work as top-level 一是…: sentences are classified by labels only
    (
        "一是加强队伍建设,解决人手不足问题。\n二是深化普法。\n存在的问题:执法力量不足。",
        None,
        [("measures", "一是", "加强队伍建设,解决人手不足问题"), ("measures", "二是", "深化普法"),
         ("shortcomings", "", "存在的问题")],
    ),
    # unnumbered part headings over (一) lists: the lists are items, the labels the outline
    (
        "2023年,我局推进法治建设。\n主要工作\n(一)加强组织领导。\n(二)深化普法。\n存在问题\n(一)执法力量不足。\n"
        "(二)宣传形式单一。\n下一步打算\n(一)加强培训。",
        None,
        [("preamble", "", ""), ("measures", "", "主要工作"), ("shortcomings", "", "存在问题"), ("plans", "", "下一步打算")],
    ),
    # a heading with its list on the same line: the heading stops before the first item
    (
        "一、主要工作\n甲。\n二、存在的不足:一是队伍不足;二是宣传单一。",
        None,
        [("measures", "一", "主要工作"), ("shortcomings", "二", "存在的不足")],
    ),
]
# Texts whose numbered outline stays as it is: no label is read into them.
NOT_LABELS = [
    # "存在的问题" inside a sentence, and a confession when the report has its shortcomings part
    "一、主要工作\n对检查中存在的问题,督促整改到位。\n存在的问题得到有效解决。\n二、存在的不足\n甲。\n三、下一步计划\n乙。",
    "一、主要工作\n甲。\n但仍存在一些不足:一是A。\n二、存在的不足\n乙。\n三、下一步计划\n丙。",
    # a confession opening the plans is not a shortcomings part
    "一、主要工作\n甲。\n二、2024年工作计划\n2023年取得一定成效,但仍存在一些不足。\n(一)加强学习。\n(二)严格执法。",
    # a plans-like paragraph before any shortcomings is part of the review
    "一、主要工作\n(一)健全制度。\n下一步,我局将继续健全制度。\n(二)严格执法。",
]


@pytest.mark.parametrize("text,year,expected", LABEL_FORMS)
def test_unnumbered_part_headings(text: str, year: int | None, expected: list[tuple[str, str, str]]) -> None:
    corpus = _corpus(text) if year is None else _corpus(text).assign(report_year=pd.array([year], dtype="Int64"))
    s = parse_sections(corpus)
    _check_invariants(corpus, s)
    top = s[s["level"] == 1]
    assert list(zip(top["part"], top["number"], top["heading"])) == expected


@pytest.mark.parametrize("text", NOT_LABELS)
def test_no_label_read_into_an_outline(text: str) -> None:
    top = _sections(text)
    top = top[top["level"] == 1]
    assert "" not in set(top["number"])


def test_no_heading_narrative_keeps_its_warning() -> None:
    text = "2020年,我镇推进法治建设。\n全年开展宣传8次。\n但也存在一些不足:一是宣传单一;二是人手不足。\n2021年,我镇将继续努力。"
    with pytest.warns(StructureWarning):
        s = _sections(text)
    assert s["part"].tolist() == ["other"]


def test_promoted_parts_count_in_compliance_and_shares() -> None:
    corpus = _corpus("一、2023年工作情况\n(一)健全制度。\n(二)存在的问题\n一是队伍不足。\n(三)下一步工作计划\n加强培训。")
    s = parse_sections(corpus)
    assert s.loc[s["level"] == 1, "part"].tolist() == ["measures"]
    t = compliance(corpus, s, indicators=pd.DataFrame({"doc_id": []})).iloc[0]
    assert t["part_order"] == "measures>shortcomings>plans" and t["in_order"]
    assert t["has_shortcomings"] and t["has_plans"] and t["n_parts"] == 3
    shares = part_shares(s).iloc[0]
    assert shares["shortcomings"] == pytest.approx(len("(二)存在的问题\n一是队伍不足。\n") / len(corpus["text"][0]))
    assert shares.sum() == pytest.approx(1.0)
    assert t["share_shortcomings"] == pytest.approx(shares["shortcomings"])


def test_part_rules_cite_article_25() -> None:
    rules = part_rules()
    assert set(rules["part"]) == set(PARTS) - {"preamble"}
    wording = rules.drop_duplicates("part").set_index("part")["article_25"]
    assert "存在的不足和原因" in wording["shortcomings"]
    assert "第一责任人职责" in wording["leadership"]
    assert "主要安排" in wording["plans"]


# --------------------------------------------------------------------------- seeds

SEED_PARTS = {
    "000_d8e34bf18eeaca77": ["preamble", "measures", "shortcomings", "plans"],
    "001_21f1fb0ed6b4f7e5": ["preamble", "measures", "shortcomings", "plans"],
    "002_8c55e457dd30f097": ["preamble", "measures", "leadership", "shortcomings", "plans"],
    "003_f7a1c094b05759ad": ["preamble", "measures", "shortcomings", "plans"],
    "004_22aef431846bda15": ["preamble", "measures", "measures", "shortcomings", "plans"],
}

# Shortcoming items read off the seeds by hand: (doc_id, number as written, headline).
SEED_PROBLEMS = [
    ("000_d8e34bf18eeaca77", "(一)", "法治工作流程标准化管理程度较低"),
    ("000_d8e34bf18eeaca77", "(二)", "法治政府建设队伍人才不足"),
    ("000_d8e34bf18eeaca77", "(三)", "行政执法水平有待提升"),
    ("000_d8e34bf18eeaca77", "(四)", "人民群众普法宣传活动形式单一"),
    ("001_21f1fb0ed6b4f7e5", "一是", "在学习宣传贯彻习近平法治思想及上级关于法治建设工作部署方面还存在差距"),
    ("001_21f1fb0ed6b4f7e5", "二是", "运用法治思维和法治方式深化改革、推动发展、化解矛盾、维护稳定的能力还有待加强"),
    ("001_21f1fb0ed6b4f7e5", "三是", "干部队伍人手不足在一定程度上影响工作质效"),
    ("001_21f1fb0ed6b4f7e5", "四是", "各类公共法律服务资源需要进一步融合"),
    ("002_8c55e457dd30f097", "1", "学习法治政府建设的力度还不够深入"),
    ("002_8c55e457dd30f097", "2", "宣传法治政府建设的手段还不够充分"),
    ("002_8c55e457dd30f097", "3", "规范法治政府建设的标准还不够完善"),
    ("003_f7a1c094b05759ad", "(一)", "重大行政决策合法性审查需进一步加强"),
    ("003_f7a1c094b05759ad", "(二)", "规范性文件备案工作有待加强"),
    ("003_f7a1c094b05759ad", "(三)", "社会治理创新工作还需进一步加强"),
    ("003_f7a1c094b05759ad", "(四)", "民主监督工作仍需要进一步推进"),
    ("004_22aef431846bda15", "(一)", "法治建设与条线业务工作有待进一步融合"),
    ("004_22aef431846bda15", "(二)", "执法专业化水平有待进一步提高"),
    ("004_22aef431846bda15", "(三)", "行政执法监督协调机制有待进一步完善"),
]


@pytest.fixture(scope="module")
def seed_sections(seed_corpus: pd.DataFrame) -> pd.DataFrame:
    return parse_sections(seed_corpus)


def test_seed_invariants(seed_corpus: pd.DataFrame, seed_sections: pd.DataFrame) -> None:
    assert list(seed_sections.columns) == SECTION_COLUMNS
    _check_invariants(seed_corpus, seed_sections)


@pytest.mark.parametrize("doc_id,parts", SEED_PARTS.items())
def test_seed_top_level_parts(seed_sections: pd.DataFrame, doc_id: str, parts: list[str]) -> None:
    doc = seed_sections[seed_sections["doc_id"] == doc_id]
    assert doc.loc[doc["level"] == 1, "part"].tolist() == parts
    # sub-sections inherit their top-level part
    top_part = dict(zip(doc.loc[doc["level"] == 1, "path"], doc.loc[doc["level"] == 1, "part"]))
    sub = doc[doc["level"] > 1]
    assert (sub["path"].str.split("/").str[0].map(top_part) == sub["part"]).all()


def test_seed_level2_leadership_heading_stays_measures(seed_sections: pd.DataFrame) -> None:
    doc = seed_sections[seed_sections["doc_id"] == "000_d8e34bf18eeaca77"].set_index("path")
    assert doc.loc["一/(一)", "heading"] == "党政主要负责人严格履行推进法治建设第一责任人职责"
    assert doc.loc["一/(一)", "part"] == "measures"
    guanhu = seed_sections[seed_sections["doc_id"] == "004_22aef431846bda15"].set_index("path")
    assert guanhu.loc["一", "heading"].startswith("深入学习贯彻党的二十大精神")
    assert guanhu.loc["一", "part"] == "measures"


def test_seed_problems(seed_corpus: pd.DataFrame, seed_sections: pd.DataFrame) -> None:
    problems = extract_problems(seed_sections)
    assert list(problems.columns) == PROBLEM_COLUMNS
    assert list(zip(problems["doc_id"], problems["text"])) == [(d, t) for d, _, t in SEED_PROBLEMS]
    counts = problems.groupby("doc_id", sort=False)["item"].max().tolist()
    assert counts == [4, 4, 3, 4, 3]
    texts = dict(zip(seed_corpus["doc_id"], seed_corpus["text"]))
    for r in problems.itertuples():
        assert texts[r.doc_id][r.start : r.end] == r.body
        assert r.body.startswith(r.text)
    # the enumerator, as written in the report, is just before the body
    for r, (_, number, _) in zip(problems.itertuples(), SEED_PROBLEMS):
        assert texts[r.doc_id][: r.start].rstrip(",:、 ").endswith(number)


def test_seed_guanhu_intro_is_not_an_item(seed_sections: pd.DataFrame) -> None:
    problems = extract_problems(seed_sections)
    guanhu = problems[problems["doc_id"] == "004_22aef431846bda15"]
    assert not guanhu["body"].str.contains("聚焦2022年行政执法领域").any()
    assert guanhu["body"].iloc[-1].endswith("很难发现和纠正不规范执法行为。")


def test_seed_fullwidth_variant_same_structure(seed_corpus: pd.DataFrame, seed_sections: pd.DataFrame) -> None:
    wide = seed_corpus.assign(text=seed_corpus["text"].str.translate(_FULLWIDTH))
    s = parse_sections(wide)
    cols = ["doc_id", "part", "level", "number", "path", "start", "end"]
    pd.testing.assert_frame_equal(s[cols], seed_sections[cols])
    p1, p2 = extract_problems(seed_sections), extract_problems(s)
    pd.testing.assert_frame_equal(p1[["doc_id", "item", "start", "end"]], p2[["doc_id", "item", "start", "end"]])


def test_seed_compliance(seed_corpus: pd.DataFrame, seed_sections: pd.DataFrame) -> None:
    indicators = pd.DataFrame({"doc_id": ["000_d8e34bf18eeaca77"] * 30 + ["003_f7a1c094b05759ad"] * 7})
    table = compliance(seed_corpus, seed_sections, indicators=indicators).set_index("doc_id")
    assert table.loc["002_8c55e457dd30f097", "part_order"] == "measures>leadership>shortcomings>plans"
    assert not table.loc["002_8c55e457dd30f097", "in_order"]  # art. 25 puts 不足 before 第一责任人
    assert table.loc["000_d8e34bf18eeaca77", "in_order"]
    assert table["has_leadership"].tolist() == [False, False, True, False, False]
    assert table["has_shortcomings"].all() and table["has_plans"].all() and not table["has_other"].any()
    assert table["publication"].tolist() == ["unknown", "on_time", "on_time", "unknown", "on_time"]
    assert table.loc["000_d8e34bf18eeaca77", "n_figures"] == 30
    assert table.loc["000_d8e34bf18eeaca77", "figures_per_1k"] == pytest.approx(30_000 / len(seed_corpus["text"][0]))
    assert table["n_cases"].tolist() == [2, 0, 0, 0, 1]
    shares = table[[f"share_{p}" for p in PARTS]].sum(axis=1)
    assert shares.round(12).eq(1).all()


COUNTY_REPORT = """2022年，某某县人民政府坚持以习近平新时代中国特色社会主义思想为指导，现将有关情况报告如下：
一、2022年法治政府建设主要举措和成效
（一）深入学习贯彻习近平法治思想。县政府常务会议专题学习12次。
（二）依法全面履行政府职能。1.深化“放管服”改革。取消行政许可事项3项。2.优化法治化营商环境。开展专项检查5次。
二、党政主要负责人履行推进法治建设第一责任人职责情况
县长认真履行第一责任人职责，主持召开专题会议4次。
三、存在的不足和原因
虽然我县法治政府建设取得了一定成效，但对照上级要求和人民群众期待，还存在一些差距：一是行政执法人员素质有待提高；二是基层法治力量薄弱；三是普法宣传针对性不强。究其原因，主要是重视程度不够。
四、2023年法治政府建设工作安排
（一）持续深化学习。（二）加强执法监督。
五、其他需要报告的情况
无。
某某县人民政府
2023年3月20日"""


def test_unseen_county_report() -> None:
    """A county report in raw full-width form with all five parts and inline items."""
    corpus = pd.DataFrame({"doc_id": ["x"], "text": [COUNTY_REPORT], "report_year": [2022],
                           "publish_date": pd.to_datetime(["2023-03-28"])})
    s = parse_sections(corpus)
    _check_invariants(corpus, s)
    assert s[["path", "part"]].values.tolist() == [
        ["", "preamble"], ["一", "measures"], ["一/(一)", "measures"], ["一/(二)", "measures"],
        ["一/(二)/1", "measures"], ["一/(二)/2", "measures"], ["二", "leadership"], ["三", "shortcomings"],
        ["三/一是", "shortcomings"], ["三/二是", "shortcomings"], ["三/三是", "shortcomings"], ["四", "plans"],
        ["四/(一)", "plans"], ["四/(二)", "plans"], ["五", "other"],
    ]
    # the signature stays in the last top-level section only
    assert s.iloc[-1]["text"].endswith("2023年3月20日")
    p = extract_problems(s)
    assert p["body"].tolist() == ["行政执法人员素质有待提高", "基层法治力量薄弱", "普法宣传针对性不强。究其原因，主要是重视程度不够。"]
    t = compliance(corpus, s, indicators=pd.DataFrame({"doc_id": ["x"] * 4})).iloc[0]
    assert t["part_order"] == "measures>leadership>shortcomings>plans>other"
    assert t["n_parts"] == 5 and not t["in_order"] and t["publication"] == "on_time"


# --------------------------------------------------------------------------- unseen reports

UNSEEN_DIR = Path(__file__).parent / "fixtures" / "unseen_structure"
UNSEEN = yaml.safe_load((UNSEEN_DIR / "expected.yaml").read_text(encoding="utf-8"))
# An enumerator as the normalised text writes it, e.g. "一是", "(二)", "3.", "1、", "第二,", "一、".
_ENUM = r"(?:[一二三四五六七八九十]+[是、.]|[(][一二三四五六七八九十0-9]+[)]|[0-9]+[.、]|第[一二三四五六七八九十]+(?:部分)?)"
_ENUM_BEFORE_RE = re.compile(_ENUM + r"[,:、 ]?$")
_ENUM_AT_START_RE = re.compile(_ENUM)


@pytest.fixture(scope="module")
def unseen() -> dict[str, pd.DataFrame]:
    """The hand-written reports of tests/fixtures/unseen_structure, parsed once."""
    from analysis import load_corpus
    from analysis.corpus import CorpusWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CorpusWarning)  # expected.yaml is not a report
        corpus = load_corpus(UNSEEN_DIR)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always", StructureWarning)
        sections = parse_sections(corpus)
    warned = " ".join(str(w.message) for w in record if issubclass(w.category, StructureWarning))
    wide = corpus.assign(text=corpus["text"].str.translate(_FULLWIDTH))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StructureWarning)
        wide_sections = parse_sections(wide)
    return {
        "corpus": corpus,
        "sections": sections,
        "problems": extract_problems(sections),
        "compliance": compliance(corpus, sections, indicators=pd.DataFrame({"doc_id": []})).set_index("doc_id"),
        "warned": pd.DataFrame({"message": [warned]}),
        "wide_sections": wide_sections,
        "wide_problems": extract_problems(wide_sections),
    }


def test_unseen_fixture_is_complete(unseen: dict[str, pd.DataFrame]) -> None:
    corpus = unseen["corpus"]
    assert sorted(corpus["doc_id"]) == sorted(UNSEEN)
    assert (corpus["status"] == "ok").all()
    assert len(UNSEEN) >= 12


@pytest.mark.parametrize("doc_id", sorted(UNSEEN))
def test_unseen_reports(unseen: dict[str, pd.DataFrame], doc_id: str) -> None:
    expected = UNSEEN[doc_id]
    corpus = unseen["corpus"][unseen["corpus"]["doc_id"] == doc_id]
    text = corpus["text"].iloc[0]
    sections = unseen["sections"][unseen["sections"]["doc_id"] == doc_id]
    _check_invariants(corpus, sections)
    assert sections.loc[sections["level"] == 1, "part"].tolist() == expected["parts"]
    assert (doc_id in unseen["warned"]["message"].iloc[0]) == bool(expected.get("warns", False))

    problems = unseen["problems"][unseen["problems"]["doc_id"] == doc_id]
    assert problems["text"].tolist() == expected["problems"]
    assert problems["item"].tolist() == list(range(1, len(expected["problems"]) + 1))
    for r in problems.itertuples():
        assert text[r.start : r.end] == r.body and r.body == r.body.strip()
        assert r.body.startswith(r.text)
        # the headline has no enumerator, and one (or a paragraph break) stands just before
        # the body: an intro sentence is never an item
        assert not _ENUM_AT_START_RE.match(r.text)
        assert _ENUM_BEFORE_RE.search(text[max(0, r.start - 6) : r.start]) or text[r.start - 1] == "\n"

    assert unseen["compliance"].loc[doc_id, "part_order"] == expected["part_order"]

    # the same report with full-width punctuation has the same outline and items
    wide = unseen["wide_sections"][unseen["wide_sections"]["doc_id"] == doc_id]
    cols = ["part", "level", "number", "start", "end"]
    pd.testing.assert_frame_equal(wide[cols].reset_index(drop=True), sections[cols].reset_index(drop=True))
    wide_problems = unseen["wide_problems"][unseen["wide_problems"]["doc_id"] == doc_id]
    assert wide_problems["start"].tolist() == problems["start"].tolist()


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
    for variant in (text, text.translate(_FULLWIDTH)):
        corpus = _corpus(variant)
        problems = extract_problems(parse_sections(corpus))
        assert problems["text"].str.translate(_FULLWIDTH).tolist() == [e.translate(_FULLWIDTH) for e in expected]
        assert problems["item"].tolist() == list(range(1, len(expected) + 1))
        for r in problems.itertuples():
            assert variant[r.start : r.end] == r.body
            assert r.body.startswith(r.text) and r.body == r.body.strip()


def test_no_shortcomings_part_no_problems() -> None:
    problems = extract_problems(_sections("一、主要举措和成效\n(一)加强领导。\n二、下一步工作计划\n一是培训。"))
    assert list(problems.columns) == PROBLEM_COLUMNS and problems.empty


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
    cases = extract_cases(_corpus(text))
    assert cases["entity_type"].tolist() == [entity_type]
    r = cases.iloc[0]
    assert text[r["start"] : r["end"]] == r["sentence"] == clause


@pytest.mark.parametrize("clause", NOT_CASES)
def test_not_concrete_cases(clause: str) -> None:
    assert extract_cases(_corpus(clause + "。")).empty


# --------------------------------------------------------------------------- compliance

def test_compliance_criteria() -> None:
    corpus = pd.DataFrame({
        "doc_id": ["a", "b", "c", "d"],
        "report_year": pd.array([2023, 2023, None, 2022], dtype="Int64"),
        "publish_date": pd.to_datetime(["2024-03-31", "2024-04-01", "2024-01-01", None]),
        "text": [
            "一、主要举措和成效\n妥善化解新园学校劳资纠纷。\n二、存在的不足\n甲。\n三、第一责任人职责履行情况\n乙。\n"
            "四、下一年度安排\n丙。\n五、其他需要报告的情况\n无。",
            "一、主要举措和成效\n甲。\n二、下一年度安排\n乙。\n三、存在的不足\n丙。",
            "没有任何标题的一段文字。",
            "",
        ],
    })
    with pytest.warns(StructureWarning):
        sections = parse_sections(corpus)
    indicators = pd.DataFrame({"doc_id": ["a", "a", "b", "zzz"]})
    t = compliance(corpus, sections, indicators=indicators).set_index("doc_id")
    assert t.loc["a", "part_order"] == "measures>shortcomings>leadership>plans>other"
    assert t.loc["a", "in_order"] and t.loc["a", "n_parts"] == 5 and t.loc["a", "has_other"]
    assert t.loc["b", "part_order"] == "measures>plans>shortcomings" and not t.loc["b", "in_order"]
    assert pd.isna(t.loc["c", "in_order"]) and t.loc["c", "n_parts"] == 0 and not t.loc["c", "has_other"]
    assert pd.isna(t.loc["d", "in_order"]) and t.loc["d", "n_chars"] == 0
    assert t["publication"].tolist() == ["on_time", "late", "unknown", "unknown"]
    assert t.loc["a", "deadline"] == pd.Timestamp("2024-04-01")
    assert t["n_figures"].tolist() == [2, 1, 0, 0]
    assert t.loc["a", "n_cases"] == 1
    assert t.loc["a", "cases_per_1k"] == pytest.approx(1000 / len(corpus["text"][0]))
    assert pd.isna(t.loc["d", "figures_per_1k"])


def test_compliance_without_metadata_columns() -> None:
    corpus = _corpus("一、主要举措和成效\n甲。\n二、存在的不足\n乙。")
    t = compliance(corpus, parse_sections(corpus), indicators=pd.DataFrame({"doc_id": []}))
    assert t["publication"].tolist() == ["unknown"]
    assert t["n_figures"].tolist() == [0]


def test_compliance_default_indicators(seed_corpus: pd.DataFrame, seed_sections: pd.DataFrame) -> None:
    indicators_module = pytest.importorskip("analysis.indicators")
    expected = indicators_module.extract_indicators(seed_corpus, seed_sections)
    t = compliance(seed_corpus, seed_sections)
    assert t["n_figures"].sum() == len(expected)


# --------------------------------------------------------------------------- figure

def test_part_shares_and_figure(seed_sections: pd.DataFrame) -> None:
    import matplotlib

    matplotlib.use("Agg")
    shares = part_shares(seed_sections)
    assert list(shares.columns) == list(PARTS)
    assert shares.sum(axis=1).round(12).eq(1).all()
    fig = plot_part_shares(seed_sections, labels={"004_22aef431846bda15": "观湖街道"})
    ax = fig.axes[0]
    assert len(ax.patches) == len(PARTS) * 5
    assert "观湖街道" in [t.get_text() for t in ax.get_yticklabels()]
    # warnings are errors: a missing CJK glyph would fail here
    fig.savefig(io.BytesIO(), format="png")


# --------------------------------------------------------------------------- properties

_ALPHABET = st.sampled_from(list("一二三四五十是、.．()（）0123456789①②㈠\n\n 。;:,，“”《》甲乙存在的问题不足下一年度计划其他第一责任人"))
_PIECES = st.sampled_from([
    "一、", "二、", "三、", "(一)", "（二）", "(三)", "1.", "2、", "3．", "(1)", "①", "②", "一是", "二是,", "三是",
    "\n", "\n", "。", ";", ":", "“", "”", "《", "》", "2024年", "1.4万", "(2021-2025年)", "主要举措和成效",
    "存在的问题", "原因分析", "下一年度工作计划", "第一责任人职责", "其他需要报告的情况", "妥善化解", "吴某",
    "新园学校", "中共某某街道工作委员会", "2023年12月22日", "甲乙丙", " ",
    "存在的问题:", "存在问题", "下一步工作打算", "首先,", "其次,", "最后,", "下一步,我局将", "但还存在一些不足:", "第一部分", "第二部分 ",
    "原因:", "究其原因,", "2025年重点工作", "一年来的主要工作",
])
_TEXT = (
    st.lists(_PIECES, max_size=60).map("".join)
    | st.text(alphabet=_ALPHABET, max_size=300)
    | st.text(max_size=200)
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(_TEXT, min_size=1, max_size=3))
def test_property_conservation_offsets(texts: list[str]) -> None:
    corpus = _corpus(*texts)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StructureWarning)  # texts without headings, by design
        sections = parse_sections(corpus)
    nonempty = [t for t in texts if t]
    assert sections["doc_id"].nunique() == len(nonempty)
    _check_invariants(corpus, sections)
    assert set(sections["part"]) <= set(PARTS)
    problems = extract_problems(sections)
    for r in problems.itertuples():
        assert texts[int(r.doc_id[1:])][r.start : r.end] == r.body
    for r in extract_cases(corpus).itertuples():
        assert texts[int(r.doc_id[1:])][r.start : r.end] == r.sentence


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(_TEXT, min_size=1, max_size=3))
def test_property_compliance_never_crashes(texts: list[str]) -> None:
    corpus = _corpus(*texts)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StructureWarning)
        sections = parse_sections(corpus)
    table = compliance(corpus, sections, indicators=pd.DataFrame({"doc_id": []}))
    assert table["doc_id"].tolist() == corpus["doc_id"].tolist()
    shares = table[[f"share_{p}" for p in PARTS]].sum(axis=1)
    assert ((shares.round(9) == 1) | (table["n_chars"] == 0)).all()


# --------------------------------------------------------------------------- fast paths
# The speed-ups of the module must give exactly what the straightforward code gives.

import analysis.structure as S  # noqa: E402 - private helpers under test


def _candidates_reference(text: str) -> list[tuple[int, int, str, int, str, bool]]:
    """The straightforward enumerator scan (as first written), for comparison."""
    out = []
    plain = re.compile(rf"(?P<lead>[\n。;:!?；：！？,，]){S._INDENT}{S._ENUMERATOR}", re.VERBOSE)
    first = S._HEADING_AT_START_RE.match(text)
    matches = ([first] if first else []) + list(plain.finditer(text))
    for m in matches:
        kind = m.lastgroup
        lead = m.group("lead") if m.re is plain else "\n"
        inline = lead != "\n"
        start = m.end("ind") if inline else (m.start() + 1 if m.re is plain else 0)
        if kind in ("cn", "bu") and inline:
            continue
        if kind not in ("cn", "bu", "shi", "di", "seq") and lead in ",，":
            continue
        raw = m.group(kind)
        if kind == "seq":
            style, value, number = "seq", S._SEQ_VALUE[raw], raw
        elif kind == "pci":
            value = ord(raw) - S._PAREN_IDEO_FIRST + 1
            style, number = "paren_cn", f"({S._CN_DIGITS[value - 1]})"
        elif kind in ("ar", "par"):
            value = int(raw)
            style, number = ("arabic", str(value)) if kind == "ar" else ("paren_arabic", f"({value})")
        else:
            value = S._cn_int(raw)
            style = {"pcn": "paren_cn"}.get(kind, kind)
            number = {"cn": raw, "bu": f"第{raw}部分", "shi": f"{raw}是", "di": f"第{raw}", "pcn": f"({raw})"}[kind]
        if value is None or (inline and _is_quoted_reference(text, start)):
            continue
        out.append((start, m.end(), style, value, number, inline))
    circled = []
    for m in S._CIRCLED_RE.finditer(text):
        j = m.start()
        while j > 0 and text[j - 1] in " \t\u3000\xa0":
            j -= 1
        inline = not (j == 0 or text[j - 1] == "\n")
        if inline and _is_quoted_reference(text, m.start()):
            continue
        value = ord(m.group()) - S._CIRCLED_FIRST + 1
        circled.append((m.start() if inline else j, m.end(), "circled", value, m.group(), inline))
    return sorted(out + circled) if circled else out


def _is_quoted_reference(text: str, pos: int) -> bool:
    line_start = text.rfind("\n", 0, pos) + 1
    return any(text.count(o, line_start, pos) > text.count(c, line_start, pos) for o, c in S._QUOTE_PAIRS)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_TEXT)
def test_property_enumerator_scan_equals_reference(text: str) -> None:
    # the lookahead of _HEADING_RE, the cached markers and the quote pre-check change nothing
    assert S._candidates(text) == _candidates_reference(text)
    for pos in range(len(text) + 1):
        assert S._is_quoted(text, pos) == _is_quoted_reference(text, pos)


_LABEL_TEXT = st.lists(
    st.sampled_from(["存在的问题", "存在问题", "下一步工作打算", "下一年度工作计划", "其他需要报告的情况",
                     "主要负责人履行推进法治建设第一责任人职责情况", "主要举措和成效", "一年来的主要工作",
                     ":", "：", "一是", "\n", "\n", " ", "\u3000", "。", "x", "2024年度"]),
    max_size=30,
).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_LABEL_TEXT | _TEXT, cut=st.tuples(st.integers(0, 400), st.integers(0, 400)))
def test_property_label_lines_at_line_starts_equal_finditer(text: str, cut: tuple[int, int]) -> None:
    pos, endpos = min(cut[0], len(text)), min(max(cut), len(text))
    starts = S._line_starts(text)
    assert starts == [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    for pattern in S._part_rules().label_lines.values():
        expected = [m.span("label") for m in pattern.finditer(text, pos, endpos)]
        assert [m.span("label") for m in S._line_matches(pattern, text, pos, endpos, starts)] == expected
    # a pattern that may match empty falls back on finditer
    empty = re.compile(r"^x*", re.M)
    assert [m.span() for m in S._line_matches(empty, text, pos, endpos, starts)] == [
        m.span() for m in empty.finditer(text, pos, endpos)]


@pytest.mark.parametrize("values", [("a", "b"), (), ("a", None), (1, "a"), (float("nan"), "x"), ("x", pd.NA)])
def test_string_columns_convert_as_pandas(values: tuple) -> None:
    fast = pd.Series(S._string_array(values))
    pd.testing.assert_series_equal(fast, pd.Series(pd.array(values, dtype="string")))


def _compliance_reference(corpus: pd.DataFrame, sections: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """compliance() as first written: a merge, then a cast per column."""
    from analysis.corpus import publication_timeliness

    base = pd.DataFrame({"doc_id": corpus["doc_id"].astype("string").to_numpy()})
    texts = corpus["text"].fillna("").astype(str).to_numpy()
    n_chars = pd.Series([len(t) for t in texts], dtype="int64")
    rows = [
        {"doc_id": doc_id, **{f"has_{p}": v for p, v in zip(S._REGULATED, has)}, "n_parts": n_parts,
         "part_order": order, "in_order": in_order, **{f"share_{p}": v for p, v in zip(PARTS, shares)}}
        for doc_id, (has, n_parts, order, in_order, shares) in S._structure_scores(sections).items()
    ]
    scores = pd.DataFrame(rows)
    if scores.empty:
        scores = pd.DataFrame(columns=["doc_id"])
    scores["doc_id"] = scores["doc_id"].astype("string")
    out = base.merge(scores, on="doc_id", how="left")
    for p in S._REGULATED:
        out[f"has_{p}"] = out.get(f"has_{p}", pd.Series(index=out.index, dtype=object)).fillna(False).astype(bool)
    out["n_parts"] = out.get("n_parts", pd.Series(index=out.index, dtype=float)).fillna(0).astype("int64")
    out["part_order"] = out.get("part_order", pd.Series(index=out.index, dtype=object)).fillna("").astype("string")
    out["in_order"] = pd.array(
        [None if pd.isna(v) else bool(v) for v in out.get("in_order", pd.Series([None] * len(out)))],
        dtype="boolean",
    )
    for p in PARTS:
        col = f"share_{p}"
        out[col] = pd.to_numeric(out.get(col, pd.Series(index=out.index, dtype=float)), errors="coerce").astype("float64")
    timing = publication_timeliness(pd.DataFrame({
        "doc_id": base["doc_id"],
        "report_year": corpus["report_year"].to_numpy() if "report_year" in corpus else pd.NA,
        "publish_date": pd.to_datetime(corpus["publish_date"]).to_numpy() if "publish_date" in corpus else pd.NaT,
    }))
    out["report_year"] = pd.array(pd.to_numeric(timing["report_year"], errors="coerce"), dtype="Int64")
    out["publish_date"] = pd.to_datetime(timing["publish_date"])
    out["deadline"] = pd.to_datetime(timing["deadline"])
    out["publication"] = timing["timeliness"].astype("string").to_numpy()
    out["n_chars"] = n_chars.to_numpy()
    per_k = 1000.0 / n_chars.where(n_chars > 0)
    fig_counts = indicators["doc_id"].astype("string").value_counts()
    out["n_figures"] = out["doc_id"].map(fig_counts).fillna(0).astype("int64")
    out["figures_per_1k"] = (out["n_figures"] * per_k.to_numpy()).astype("float64")
    case_counts = extract_cases(corpus)["doc_id"].value_counts()
    out["n_cases"] = out["doc_id"].map(case_counts).fillna(0).astype("int64")
    out["cases_per_1k"] = (out["n_cases"] * per_k.to_numpy()).astype("float64")
    return out


_REPORT = (
    "2023年,我街推进法治建设。\n一、主要举措和成效\n(一)加强领导。妥善化解吴某纠纷。\n"
    "二、存在的问题和不足\n一是队伍不足。\n三、下一年度工作计划\n加强培训。\n四、其他需要报告的情况\n无。"
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    texts=st.lists(_TEXT | st.just(_REPORT), min_size=0, max_size=4),
    ids=st.lists(st.sampled_from(["a", "b", "c", None]), min_size=4, max_size=4),
    years=st.lists(st.sampled_from([2022, 2023, None]), min_size=4, max_size=4),
    drop_sections=st.booleans(),
    figures=st.lists(st.sampled_from(["a", "b", "z", None]), max_size=6),
)
def test_property_compliance_equals_merge_reference(texts, ids, years, drop_sections, figures) -> None:
    n = len(texts)
    corpus = pd.DataFrame({
        "doc_id": pd.array(ids[:n], dtype="string"),  # duplicates and NA included
        "report_year": pd.array(years[:n], dtype="Int64"),
        "publish_date": pd.to_datetime(["2024-03-01", None, "2024-05-01", "2023-01-01"][:n]),
        "text": pd.array(texts, dtype="string"),
    })
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StructureWarning)
        sections = parse_sections(corpus.dropna(subset=["doc_id"]).drop_duplicates("doc_id"))
    if drop_sections:
        sections = sections.iloc[0:0]
    indicators = pd.DataFrame({"doc_id": pd.array(figures, dtype="string")})
    pd.testing.assert_frame_equal(
        compliance(corpus, sections, indicators=indicators), _compliance_reference(corpus, sections, indicators)
    )


def test_heading_lookup_tables_mirror_the_regex_classes() -> None:
    pattern = S._HEADING_RE.pattern
    lead = re.compile(pattern[len("(?P<lead>") : pattern.index(")")])
    after = re.compile(rf"[ \t\u3000\xa0]|{S._ENUMERATOR_FIRST}")
    enumerator = re.compile(S._ENUMERATOR, re.VERBOSE)
    endings = ["、", ".x", "是", "部分", ",", ")", "）", "先,", "次:", "后，"]
    for code in range(0x10000):
        c = chr(code)
        assert S._LEAD_TABLE[code] == bool(lead.fullmatch(c)), hex(code)
        assert S._AFTER_LEAD_TABLE[code] == bool(after.fullmatch(c)), hex(code)
        # the lookahead set holds every character an enumerator starts with
        if any(enumerator.match(c + e) or enumerator.match(c + "一" + e) or enumerator.match(c + "1" + e)
               for e in endings):
            assert re.fullmatch(S._ENUMERATOR_FIRST, c), hex(code)
