"""The sections table: unnumbered part headings, the seeds, unseen reports, the label fast path."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import analysis.structure.parts as PT
import analysis.structure.sections as SC
from analysis.checks import compliance
from analysis.structure import (
    PROBLEM_COLUMNS,
    SECTION_COLUMNS,
    StructureWarning,
    extract_problems,
    parse_sections,
)

from .helpers import FULLWIDTH, TEXTS, check_invariants, corpus_of, sections_of


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
    corpus = corpus_of(text) if year is None else corpus_of(text).assign(report_year=pd.array([year], dtype="Int64"))
    s = parse_sections(corpus)
    check_invariants(corpus, s)
    top = s[s["level"] == 1]
    assert list(zip(top["part"], top["number"], top["heading"])) == expected


@pytest.mark.parametrize("text", NOT_LABELS)
def test_no_label_read_into_an_outline(text: str) -> None:
    top = sections_of(text)
    top = top[top["level"] == 1]
    assert "" not in set(top["number"])


def test_no_heading_narrative_keeps_its_warning() -> None:
    text = "2020年,我镇推进法治建设。\n全年开展宣传8次。\n但也存在一些不足:一是宣传单一;二是人手不足。\n2021年,我镇将继续努力。"
    with pytest.warns(StructureWarning):
        s = sections_of(text)
    assert s["part"].tolist() == ["other"]


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


def test_seed_invariants(seed_corpus: pd.DataFrame, seed_sections: pd.DataFrame) -> None:
    assert list(seed_sections.columns) == SECTION_COLUMNS
    check_invariants(seed_corpus, seed_sections)


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
    wide = seed_corpus.assign(text=seed_corpus["text"].str.translate(FULLWIDTH))
    s = parse_sections(wide)
    cols = ["doc_id", "part", "level", "number", "path", "start", "end"]
    pd.testing.assert_frame_equal(s[cols], seed_sections[cols])
    p1, p2 = extract_problems(seed_sections), extract_problems(s)
    pd.testing.assert_frame_equal(p1[["doc_id", "item", "start", "end"]], p2[["doc_id", "item", "start", "end"]])


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
    check_invariants(corpus, s)
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

UNSEEN_DIR = Path(__file__).parents[1] / "fixtures" / "unseen_structure"
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
    wide = corpus.assign(text=corpus["text"].str.translate(FULLWIDTH))
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
    check_invariants(corpus, sections)
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


_LABEL_TEXT = st.lists(
    st.sampled_from(["存在的问题", "存在问题", "下一步工作打算", "下一年度工作计划", "其他需要报告的情况",
                     "主要负责人履行推进法治建设第一责任人职责情况", "主要举措和成效", "一年来的主要工作",
                     ":", "：", "一是", "\n", "\n", " ", "\u3000", "。", "x", "2024年度"]),
    max_size=30,
).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_LABEL_TEXT | TEXTS, cut=st.tuples(st.integers(0, 400), st.integers(0, 400)))
def test_property_label_lines_at_line_starts_equal_finditer(text: str, cut: tuple[int, int]) -> None:
    pos, endpos = min(cut[0], len(text)), min(max(cut), len(text))
    starts = SC._line_starts(text)
    assert starts == [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    for pattern in PT.part_rule_set().label_lines.values():
        expected = [(m.span(), m.span("label")) for m in pattern.finditer(text, pos, endpos)]
        assert all(whole[0] < whole[1] for whole, _ in expected)  # never empty, as _line_matches needs
        assert [(m.span(), m.span("label")) for m in SC._line_matches(pattern, text, pos, endpos, starts)] == expected


def test_label_lines_never_match_an_empty_line() -> None:
    for pattern in PT.part_rule_set().label_lines.values():
        for text in ("", "\n", "\n\n", "  \n"):
            assert all(m.end() > m.start() for m in pattern.finditer(text))
