"""Metadata read from the report's own words: title, year, issuer, issuer type, places."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.corpus import CorpusWarning, load_corpus


def _load(path: Path) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CorpusWarning)
        return load_corpus(path)


TITLES = [
    # title line, opening, expected (issuer, issuer_type, year, province, city, county)
    ("广东省人民政府关于2022年法治政府建设情况的报告", "2022年,全省…", ("广东省人民政府", "provincial_government", 2022, "广东省", None, None)),
    ("南通市人民政府关于2021年度法治政府建设工作情况的报告", "2021年,我市…", ("南通市人民政府", "city_government", 2021, "江苏省", "南通市", None)),
    ("海安市人民政府2022年度法治政府建设情况报告", "2022年,我市…", ("海安市人民政府", "county_government", 2022, "江苏省", "南通市", "海安市")),
    ("海口市龙华区人民政府关于2023年法治政府建设年度报告", "2023年…", ("海口市龙华区人民政府", "district_government", 2023, "海南省", "海口市", "龙华区")),
    ("北京市朝阳区司法局2021年法治政府建设年度情况报告", "2021年…", ("北京市朝阳区司法局", "department", 2021, "北京市", "北京市", "朝阳区")),
    ("长春市朝阳区人民政府关于二〇二一年度法治政府建设情况的报告", "…", ("长春市朝阳区人民政府", "district_government", 2021, "吉林省", "长春市", "朝阳区")),
    ("溧阳市社渚镇2022年法治政府建设工作报告", "2022年,社渚镇…", ("溧阳市社渚镇", "township", 2022, "江苏省", "常州市", "溧阳市")),
]


@pytest.mark.parametrize("title,opening,expected", TITLES)
def test_metadata_of_other_titles(title: str, opening: str, expected: tuple, tmp_path: Path) -> None:
    text = f"{title}\n{opening}根据《法治政府建设实施纲要(2021-2025年)》要求,现将情况报告如下。\n一、主要举措和成效\n略。"
    (tmp_path / "r.txt").write_text(text, encoding="utf-8")
    row = _load(tmp_path).iloc[0]
    got = (row["issuer"], row["issuer_type"], row["report_year"], row["province"], row["city"], row["county"])
    got = tuple(None if pd.isna(v) else v for v in got)
    assert got == expected


def test_year_never_from_clock_range_or_cited_title(tmp_path: Path) -> None:
    page = (
        "今天是:2019年10月31日 星期四\n发布时间:2021-03-30\n"
        "根据《法治政府建设实施纲要(2021-2025年)》,2020年,某某县坚持…\n一、主要举措\n"
    )
    (tmp_path / "a.txt").write_text(page, encoding="utf-8")
    row = _load(tmp_path).iloc[0]
    assert row["report_year"] == 2020
    assert str(row["publish_date"].date()) == "2021-03-30"


def test_split_and_repeated_title(tmp_path: Path) -> None:
    page = (
        "首页 > 政务公开\n广州市天河区人民政府关于\n2023年度法治政府建设情况的报告\n"
        "广州市天河区人民政府关于2023年度法治政府建设情况的报告\n2023年,天河区坚持…\n"
    )
    (tmp_path / "a.txt").write_text(page, encoding="utf-8")
    row = _load(tmp_path).iloc[0]
    assert row["title"] == "广州市天河区人民政府关于2023年度法治政府建设情况的报告"
    assert row["text"] == "2023年,天河区坚持…"
    assert row["issuer_type"] == "district_government"
    assert row["county"] == "天河区"


@pytest.mark.parametrize(
    "first_line",
    ["现将2023年法治政府建设情况报告如下:", "一、2023年度法治政府建设情况报告", "(一)关于法治政府建设的报告制度"],
)
def test_report_mentions_are_not_titles(first_line: str, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"{first_line}\n2023年,某某镇坚持…", encoding="utf-8")
    row = _load(tmp_path).iloc[0]
    assert pd.isna(row["title"])
    assert row["text"].startswith(first_line)


def test_info_disclosure_page(tmp_path: Path) -> None:
    """An information-disclosure page: metadata table, 成文日期 before 发布日期, 【】 fields."""
    page = (
        "索引号:11440105007502345X/2024-00012\n主题分类:法治政府\n发文机关:某某区人民政府\n"
        "成文日期:2024-03-20\n标题:某某区人民政府关于2023年度法治政府建设情况的报告\n发文字号:\n"
        "【发布日期:2024-03-28】【来源:区司法局】【字体:大 中 小】\n"
        "中共广州市海珠区委全面依法治区委员会办公室\n关于2023年度法治政府建设情况的报告\n"
        "2023年,全区坚持…\n本文来源于某某网,转载请注明出处\n"
    )
    (tmp_path / "a.txt").write_text(page, encoding="utf-8")
    row = _load(tmp_path).iloc[0]
    assert row["title"] == "中共广州市海珠区委全面依法治区委员会办公室关于2023年度法治政府建设情况的报告"
    assert row["issuer_type"] == "department"
    assert row["county"] == "海珠区"
    assert str(row["publish_date"].date()) == "2024-03-28"
    assert row["text"] == "2023年,全区坚持…"


def test_date_after_title_is_not_the_year_covered(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "某某县人民政府关于法治政府建设情况的报告(2024年3月)\n2023年,我县…", encoding="utf-8"
    )
    assert _load(tmp_path).iloc[0]["report_year"] == 2023


def test_body_line_mentioning_the_report_is_not_a_title(tmp_path: Path) -> None:
    text = "2023年,某某镇坚持依法行政,全面推进法治政府建设。\n一、主要举措\n按时公开法治政府建设年度报告\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    row = _load(tmp_path).iloc[0]
    assert pd.isna(row["title"])
    assert row["text"] == text.strip()


@pytest.mark.parametrize(
    "title,expected",
    [
        ("东莞市人民政府关于2023年度法治政府建设情况的报告", ("city_government", "广东省", "东莞市", None)),
        ("嘉峪关市人民政府2022年法治政府建设年度报告", ("city_government", "甘肃省", "嘉峪关市", None)),
        ("喀什地区行政公署关于2022年度法治政府建设情况的报告", ("city_government", "新疆维吾尔自治区", "喀什地区", None)),
        ("巴彦淖尔市交通运输局2023年法治政府建设年度报告", ("department", "内蒙古自治区", "巴彦淖尔市", None)),
    ],
)
def test_prefecture_units_and_generic_names(title: str, expected: tuple, tmp_path: Path) -> None:
    # the opening mentions 街道 and 镇: generic words, never evidence for a place named so
    (tmp_path / "a.txt").write_text(f"{title}\n2023年,全市各街道、镇坚持…", encoding="utf-8")
    row = _load(tmp_path).iloc[0]
    got = tuple(None if pd.isna(row[c]) else row[c] for c in ("issuer_type", "province", "city", "county"))
    assert got == expected



# Pieces of column-index lines and of report prose: dates at either end, digits of other
# scripts (Unicode Nd), brackets, Chinese.
_INDEX_PIECES = st.sampled_from(
    [*"0123456789٣２()（）-/. ", "报告", "总结", "情况", "某县", "年", "依法行政。", "2023-03-05", "1999/1/2", "２０２３", "(2024.4.1)"]
)


@settings(max_examples=300, deadline=None)
@given(line=st.lists(_INDEX_PIECES, max_size=12).map("".join))
def test_index_line_prefilter_agrees_with_the_pattern(line: str) -> None:
    from analysis.corpus.metadata import _INDEX_LINE_RE, _index_line

    assert _index_line(line) == bool(_INDEX_LINE_RE.search(line))
