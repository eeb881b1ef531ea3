"""Headings: the forms recognised, the things that only look like headings, the tree."""

from __future__ import annotations

import re
import warnings

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import analysis.structure.headings as H
from analysis.checks import compliance
from analysis.structure import (
    PARTS,
    SECTION_COLUMNS,
    StructureWarning,
    extract_cases,
    extract_problems,
    parse_sections,
)

from .helpers import TEXTS, check_invariants, corpus_of, outline_of, sections_of


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
    assert outline_of(text) == expected
    check_invariants(corpus_of(text), sections_of(text))


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
    corpus = corpus_of(text)
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
    assert outline_of(text) == [(1, "一", "主要工作及成效"), (2, "(一)", "完善执法"), (1, "二", "存在的问题"), (2, "一是", "队伍不足")]


def test_inline_last_item_ends_with_its_paragraph() -> None:
    text = "一、主要情况\n(一)甲。一是A;二是B。\n后续段落不属于二是。\n(二)乙"
    s = sections_of(text).set_index("path")
    assert s.loc["一/(一)/二是", "text"] == "二是B。"
    assert s.loc["一/(一)", "text"] == "(一)甲。一是A;二是B。\n后续段落不属于二是。\n"


def test_signature_is_left_to_the_top_level_section() -> None:
    text = "一、主要安排\n一是A。\n二是B。\n中共某某街道工作委员会\n某某街道办事处\n2023年12月22日"
    s = sections_of(text).set_index("path")
    assert s.loc["一/二是", "text"] == "二是B。\n"
    assert s.loc["一", "text"] == text


def test_malformed_and_deep_numbering_never_crashes() -> None:
    deep = "一、甲\n(一)乙\n1.丙\n(1)丁\n①戊\n一是己;二是庚。\n" * 3 + "十二、跳号\n(九)乱序\n99.超长\n"
    s = sections_of(deep)
    check_invariants(corpus_of(deep), s)
    assert s["level"].max() == 7  # 一、 … 一是 (6 levels), the 2nd and 3rd 一、 nested once under the 1st
    assert s.loc[s["level"] == 1, "number"].tolist() == ["一"]
    # a sloppy sub-list restarting 一、 under a top-level section nests once, and the next
    # top-level number still continues the outer list
    text = "一、主要成效\n甲。\n二、下一年度工作计划\n一、加强学习。\n二、加强执法。\n三、其他需要报告的情况\n无。"
    assert outline_of(text) == [
        (1, "一", "主要成效"), (1, "二", "下一年度工作计划"), (2, "一", "加强学习"), (2, "二", "加强执法"),
        (1, "三", "其他需要报告的情况"),
    ]


def test_no_text_no_rows_and_na_text() -> None:
    corpus = pd.DataFrame({"doc_id": ["a", "b"], "text": ["", None]})
    s = parse_sections(corpus)
    assert list(s.columns) == SECTION_COLUMNS and s.empty


def test_warning_lists_every_report_once() -> None:
    corpus = corpus_of("只有一段话。", "一、主要情况\n正文", "另一段话。")
    with pytest.warns(StructureWarning) as record:
        parse_sections(corpus)
    assert len(record) == 1
    assert "2 report(s)" in str(record[0].message) and "d0" in str(record[0].message) and "d2" in str(record[0].message)


def test_input_not_mutated() -> None:
    corpus = corpus_of("一、主要举措和成效\n(一)甲。\n二、存在的不足\n一是乙。")
    before = corpus.copy()
    sections = parse_sections(corpus)
    s_before = sections.copy()
    extract_problems(sections)
    compliance(corpus, sections, indicators=pd.DataFrame({"doc_id": []}))
    pd.testing.assert_frame_equal(corpus, before)
    pd.testing.assert_frame_equal(sections, s_before)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(TEXTS, min_size=1, max_size=3))
def test_property_conservation_offsets(texts: list[str]) -> None:
    corpus = corpus_of(*texts)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StructureWarning)  # texts without headings, by design
        sections = parse_sections(corpus)
    nonempty = [t for t in texts if t]
    assert sections["doc_id"].nunique() == len(nonempty)
    check_invariants(corpus, sections)
    assert set(sections["part"]) <= set(PARTS)
    problems = extract_problems(sections)
    for r in problems.itertuples():
        assert texts[int(r.doc_id[1:])][r.start : r.end] == r.body
    for r in extract_cases(corpus).itertuples():
        assert texts[int(r.doc_id[1:])][r.start : r.end] == r.sentence


# --------------------------------------------------------------------------- fast paths
# The speed-ups of the headings module must give exactly what the straightforward code gives.

def _candidates_reference(text: str) -> list[tuple[int, int, str, int, str, bool]]:
    """The straightforward enumerator scan (as first written), for comparison."""
    out = []
    plain = re.compile(rf"(?P<lead>[\n。;:!?；：！？,，]){H._INDENT}{H._ENUMERATOR}", re.VERBOSE)
    first = H.HEADING_AT_START_RE.match(text)
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
            style, value, number = "seq", H._SEQ_VALUE[raw], raw
        elif kind == "pci":
            value = ord(raw) - H._PAREN_IDEO_FIRST + 1
            style, number = "paren_cn", f"({H._CN_DIGITS[value - 1]})"
        elif kind in ("ar", "par"):
            value = int(raw)
            style, number = ("arabic", str(value)) if kind == "ar" else ("paren_arabic", f"({value})")
        else:
            value = H._cn_int(raw)
            style = {"pcn": "paren_cn"}.get(kind, kind)
            number = {"cn": raw, "bu": f"第{raw}部分", "shi": f"{raw}是", "di": f"第{raw}", "pcn": f"({raw})"}[kind]
        if value is None or (inline and _is_quoted_reference(text, start)):
            continue
        out.append((start, m.end(), style, value, number, inline))
    circled = []
    for m in H.CIRCLED_RE.finditer(text):
        j = m.start()
        while j > 0 and text[j - 1] in " \t\u3000\xa0":
            j -= 1
        inline = not (j == 0 or text[j - 1] == "\n")
        if inline and _is_quoted_reference(text, m.start()):
            continue
        value = ord(m.group()) - H._CIRCLED_FIRST + 1
        circled.append((m.start() if inline else j, m.end(), "circled", value, m.group(), inline))
    return sorted(out + circled) if circled else out


def _is_quoted_reference(text: str, pos: int) -> bool:
    line_start = text.rfind("\n", 0, pos) + 1
    return any(text.count(o, line_start, pos) > text.count(c, line_start, pos) for o, c in H._QUOTE_PAIRS)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS)
def test_property_enumerator_scan_equals_reference(text: str) -> None:
    # the lookahead of _HEADING_RE, the cached markers and the quote pre-check change nothing
    assert H.heading_candidates(text) == _candidates_reference(text)
    for pos in range(len(text) + 1):
        assert H._is_quoted(text, pos) == _is_quoted_reference(text, pos)


def test_heading_lookup_tables_mirror_the_regex_classes() -> None:
    pattern = H.HEADING_RE.pattern
    lead = re.compile(pattern[len("(?P<lead>") : pattern.index(")")])
    after = re.compile(rf"[ \t\u3000\xa0]|{H._ENUMERATOR_FIRST}")
    enumerator = re.compile(H._ENUMERATOR, re.VERBOSE)
    endings = ["、", ".x", "是", "部分", ",", ")", "）", "先,", "次:", "后，"]
    for code in range(0x10000):
        c = chr(code)
        assert H._LEAD_TABLE[code] == bool(lead.fullmatch(c)), hex(code)
        assert H._AFTER_LEAD_TABLE[code] == bool(after.fullmatch(c)), hex(code)
        # the lookahead set holds every character an enumerator starts with
        if any(enumerator.match(c + e) or enumerator.match(c + "一" + e) or enumerator.match(c + "1" + e)
               for e in endings):
            assert re.fullmatch(H._ENUMERATOR_FIRST, c), hex(code)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS, picks=st.lists(st.integers(0, 400), max_size=30))
def test_property_quote_tracker_equals_reference(text: str, picks: list[int]) -> None:
    # positions mostly in increasing order (as the scan asks), sometimes going back
    positions = sorted(min(p, len(text)) for p in picks) + [min(p, len(text)) for p in picks[:3]]
    quotes = H._Quotes(text)
    assert [quotes.quoted(p) for p in positions] == [_is_quoted_reference(text, p) for p in positions]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(alphabet="ab\n", max_size=60), scan=st.integers(1, 8))
def test_property_line_lookups_equal_find(text: str, scan: int) -> None:
    saved = H._LINE_SCAN
    H._LINE_SCAN = scan  # short lines count as long: the index of line breaks is used
    try:
        for pos in range(len(text) + 1):
            nl = text.find("\n", pos)
            assert H.end_of_line(text, pos) == (len(text) if nl < 0 else nl)
            assert H.start_of_line(text, pos) == text.rfind("\n", 0, pos) + 1
    finally:
        H._LINE_SCAN = saved
