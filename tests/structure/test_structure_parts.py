"""Regulated parts: the part rules, classification of headings, part shares."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.structure import PARTS, extract_problems, part_rules, part_shares

from .helpers import FULLWIDTH, sections_of


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
    s = sections_of(f"{heading}\n正文。")
    assert s["part"].tolist() == [part]


@pytest.mark.parametrize("heading,part", PART_HEADINGS)
def test_top_level_part_rules_fullwidth(heading: str, part: str) -> None:
    s = sections_of(f"{heading}\n正文。".translate(FULLWIDTH))
    assert s["part"].tolist() == [part]


def test_unclassified_headings_follow_position() -> None:
    text = (
        "一、深入学习贯彻习近平法治思想\n(一)切实履行推进法治建设第一责任人职责。\n"
        "二、健全政府机构职能体系\n三、存在的问题\n一是甲。\n四、下一步工作计划\n五、附则说明\n"
    )
    s = sections_of(text)
    top = s[s["level"] == 1]
    assert top["part"].tolist() == ["measures", "measures", "shortcomings", "plans", "other"]
    # a level-2 leadership heading inherits: only a top-level one makes the part
    assert s.loc[s["level"] == 2, "part"].tolist() == ["measures", "shortcomings"]


def test_combined_heading_children_classified_by_their_own_headings() -> None:
    text = "一、主要成效\n甲。\n二、存在的问题及下一步打算\n(一)存在的问题\n1.队伍不足。\n(二)下一步打算\n1.加强培训。"
    s = sections_of(text)
    assert s[["path", "part"]].values.tolist() == [
        ["一", "measures"], ["二", "shortcomings"], ["二/(一)", "shortcomings"], ["二/(一)/1", "shortcomings"],
        ["二/(二)", "plans"], ["二/(二)/1", "plans"],
    ]
    p = extract_problems(s)
    assert p["text"].tolist() == ["队伍不足"]


def test_missing_part_promoted_from_level_two_label() -> None:
    text = "一、2023年工作情况\n(一)加强领导。\n(二)存在的问题\n一是队伍不足。\n二是宣传单一。\n(三)下一步工作计划\n加强培训。"
    s = sections_of(text)
    assert s[["path", "part"]].values.tolist() == [
        ["一", "measures"], ["一/(一)", "measures"], ["一/(二)", "shortcomings"], ["一/(二)/一是", "shortcomings"],
        ["一/(二)/二是", "shortcomings"], ["一/(三)", "plans"],
    ]
    assert extract_problems(s)["text"].tolist() == ["队伍不足", "宣传单一"]


def test_part_rules_cite_article_25() -> None:
    rules = part_rules()
    assert set(rules["part"]) == set(PARTS) - {"preamble"}
    wording = rules.drop_duplicates("part").set_index("part")["article_25"]
    assert "存在的不足和原因" in wording["shortcomings"]
    assert "第一责任人职责" in wording["leadership"]
    assert "主要安排" in wording["plans"]


def test_part_shares_sum_to_one(seed_sections: pd.DataFrame) -> None:
    shares = part_shares(seed_sections)
    assert list(shares.columns) == list(PARTS)
    assert shares.sum(axis=1).round(12).eq(1).all()
