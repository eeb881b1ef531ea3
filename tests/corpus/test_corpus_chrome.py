"""Web-page furniture: recognised lines, footers, the publication date and the 来源 field."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.corpus.chrome import is_chrome, publish_date, source_field, split_furniture


def test_chrome_never_in_text(seed_corpus: pd.DataFrame) -> None:
    furniture = ["您当前所在的位置", "发布日期", "分享到", "浏览量", "访问总数", "ICP备", "公网安备", "网站标识码", "文件已失效", "字体", "累计次数"]
    for text in seed_corpus["text"]:
        for word in furniture:
            assert word not in text
    haizhu = seed_corpus.set_index("doc_id").loc["001_21f1fb0ed6b4f7e5"]
    assert "粤ICP备05083207号-1" in haizhu["chrome"]
    assert haizhu["source"] == "海珠区司法局"


@pytest.mark.parametrize(
    "line,expected",
    [
        ("当前位置:首页>信息公开>法治政府建设", True),
        ("[打印本页] [关闭窗口]", True),
        ("浏览次数:128", True),
        ("2021年3月5日 星期五 农历正月廿二", True),  # a header clock without 今天是
        ("京ICP备05003827号-2", True),
        ("二、2024年工作打算", False),
        ("2023年,全县坚持以习近平法治思想为指导。", False),
        ("来源" + "依法行政" * 40, False),  # longer than any furniture line
    ],
)
def test_is_chrome(line: str, expected: bool) -> None:
    assert is_chrome(line) is expected


def test_split_furniture_keeps_the_signature_and_drops_the_footer() -> None:
    lines = [
        "某某县人民政府关于2022年度法治政府建设情况的报告",  # the title repeated under itself
        "【字体:大 中 小】",
        "2022年,我县坚持…",
        "某某县人民政府",
        "2023年3月20日",
        "相关链接",
        "主办:某某县人民政府办公室",
    ]
    body, chrome, n_head = split_furniture(lines, "某某县人民政府关于2022年度法治政府建设情况的报告")
    assert body == ["2022年,我县坚持…", "某某县人民政府", "2023年3月20日"]
    assert chrome == [lines[0], lines[1], "相关链接", "主办:某某县人民政府办公室"]
    assert n_head == 2


def test_publish_date_prefers_the_publication_field() -> None:
    chrome = ["今天是:2022年1月5日 星期三", "日期:2021-12-30", "发布时间:2022/01/04 09:30"]
    assert publish_date(chrome) == (pd.Timestamp("2022-01-04"), "chrome")
    assert publish_date(["成文日期:2021-12-28"]) == (None, "none")
    assert publish_date(["发布日期:2021-02-30"]) == (None, "none")  # not a date
    assert publish_date([], "2021-12-31T08:00:00") == (pd.Timestamp("2021-12-31"), "meta")


def test_source_field() -> None:
    assert source_field(["信息来源:县司法局  浏览次数:12"]) == "县司法局"
    assert source_field(["来源:", "来源:县政府办"]) is None  # the first field, even empty
    assert source_field(["发布日期:2023-01-01"]) is None


# Pieces of furniture lines and of prose: labels, brackets, dates, clocks, Latin in both
# cases (the site-chrome pattern ignores case, the others do not).
_CHROME_PIECES = st.sampled_from(
    [
        "发布日期", "来源", "信息来源", ":", ":", " ", "【", "】", "[", "]", "|", "-", "•", "首页", ">",
        "2023-12-13", "2024年3月5日", "10:57", "星期四", "今天是", "字体", "大 中 小", "打印", "ICP", "icp",
        "Copyright", "ENGLISH", "索引号", "发文机关", "生成时间", "修改日期", "标题", "某某县司法局", "依法行政。",
        "2023年,某某镇", "x" * 30,
    ]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(line=st.lists(_CHROME_PIECES, max_size=10).map("".join))
def test_is_chrome_is_the_alternation_of_its_patterns(line: str) -> None:
    from analysis.corpus import chrome

    reference = len(line) <= chrome.MAX_CHROME_LEN and bool(
        chrome._CHROME_LINE_RE.match(line)
        or chrome._FIELD_ROW_RE.match(line)
        or chrome._DATED_LINE_RE.match(line)
        or chrome._LABELLED_DATE_RE.match(line)
        or (len(line) <= 60 and chrome._CLOCK_LINE_RE.match(line))
    )
    assert is_chrome(line) == reference
