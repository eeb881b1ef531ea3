"""Tests of analysis.problems: theme codebook, recurrence, persistence, reuse, follow-through, kappa."""

from __future__ import annotations

import re
import unicodedata
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import problems as P

FIXTURES = Path(__file__).parent / "fixtures"
TWO_YEAR = FIXTURES / "problems_two_year"

REQUIRED_THEMES = [
    "staffing", "enforcement", "publicity", "study_awareness", "innovation", "coordination", "oversight",
    "legality_review", "normative_filing", "informatization", "public_legal_services", "workload_backlog",
    "collective_assets",
]


def _items(texts: list[str], bodies: list[str] | None = None, doc: str = "d") -> pd.DataFrame:
    frame = pd.DataFrame({"doc_id": doc, "item": range(1, len(texts) + 1), "text": texts})
    if bodies is not None:
        frame["body"] = bodies
    return frame


# --------------------------------------------------------------------------- codebook


def test_codebook_has_the_required_themes_with_labels_definitions_and_examples():
    cb = P.load_codebook()
    assert cb["theme"].is_unique
    assert set(REQUIRED_THEMES) <= set(cb["theme"])
    for col in ("label_zh", "label_en", "definition", "example", "example_source"):
        assert (cb[col].str.len() > 0).all(), col
    assert (cb["n_rules"] > 0).all()
    assert P.UNCODED not in set(cb["theme"])


@pytest.mark.parametrize("theme", P.load_codebook()["theme"].tolist())
def test_each_codebook_example_is_coded_with_its_own_theme(theme):
    cb = P.load_codebook().set_index("theme")
    example = cb.loc[theme, "example"]
    head, _, body = example.partition("。")
    coded = P.code_problems(_items([head], [example]))
    assert theme in coded.loc[0, "themes"].split("|")


# (headline, body, expected themes exactly, in codebook order)
CODING_TABLE = [
    # the seed reports' items (headline; body abridged)
    ("法治政府建设队伍人才不足", "街道参与法治建设的人员不全都具备专业的法律知识储备。", "staffing"),
    ("干部队伍人手不足在一定程度上影响工作质效", "工作人员长期超负荷工作,依然不能实现“当年案件当年办结”。",
     "staffing|workload_backlog"),
    ("执法专业化水平有待进一步提高", "执法队伍中具有法学专业背景的骨干人才不够。", "staffing|enforcement"),
    ("行政执法水平有待提升", "执法程序的严谨性、执法文书的规范性等需进一步加强。", "enforcement"),
    ("人民群众普法宣传活动形式单一", "宣传活动对群众吸引力小,普法氛围不够浓烈。", "publicity"),
    ("宣传法治政府建设的手段还不够充分", "形式和内容可能显得单一,未能充分利用新媒体。", "publicity"),
    ("在学习宣传贯彻习近平法治思想方面还存在差距", "领导干部法治素养和法治理念还有所欠缺。", "study_awareness"),
    ("学习法治政府建设的力度还不够深入", "对行政人员的法治教育培训有限,缺乏系统性的培训。", "study_awareness"),
    ("法治建设与条线业务工作有待进一步融合", "未能有效整合资源,创新意识不够强,特色亮点还不够突出。",
     "innovation|coordination"),
    ("行政执法监督协调机制有待进一步完善", "执法监督形式较为单一,刚性不强,且基本为执法事后监督。",
     "enforcement|oversight"),
    ("重大行政决策合法性审查需进一步加强", "合法性审查配套制度仍需进一步完善。", "legality_review"),
    ("规范性文件备案工作有待加强", "存在应报备文件未报、漏报的风险。", "normative_filing"),
    ("社会治理创新工作还需进一步加强", "“综治中心+网格化+信息化”建设还需继续深化。", "innovation|informatization"),
    ("民主监督工作仍需要进一步推进", "集体经济组织“三资”管理工作比较薄弱。", "oversight|collective_assets"),
    ("各类公共法律服务资源需要进一步融合", "法律援助、人民调解、公证服务、法治宣传等资源整合,但衔接不够紧密。",
     "coordination|public_legal_services"),
    # wording of other reports
    ("法治宣传教育的针对性和实效性还不够强", "普法形式较为单一。", "publicity"),
    ("部分领导干部运用法治思维和法治方式解决问题的能力有待提升", "", "study_awareness"),
    ("基层执法力量薄弱", "执法人员数量不足,专业素质参差不齐。", "staffing|enforcement"),
    ("重大行政决策程序执行不够严格", "公众参与度不高。", "legality_review"),
    ("信息化建设相对滞后", "执法办案平台、数据共享机制尚未建立。", "informatization"),
    ("行政复议案件数量逐年攀升", "案多人少矛盾突出。", "staffing|workload_backlog|dispute_resolution"),
    ("村集体“三资”管理不够规范", "", "collective_assets"),
    ("法治建设第一责任人职责落实还不够到位", "个别单位主要负责人重视不够。", "responsibility"),
    ("部门之间协调配合不够顺畅", "信息共享不足。", "coordination"),
    ("政务公开工作有待加强", "政策解读不够及时。", "transparency"),
    ("矛盾纠纷多元化解机制作用发挥不够充分", "", "dispute_resolution"),
    ("法律顾问作用发挥不够充分", "", "legality_review"),
    ("普法责任制落实不够到位", "谁执法谁普法工作开展不平衡。", "publicity"),
    ("全民守法氛围不够浓厚", "群众法治意识有待提高。", "publicity"),
    ("个别部门依法行政意识不强", "存在重业务轻法治现象。", "study_awareness"),
    ("行政执法与刑事司法衔接不够顺畅", "", "enforcement|coordination"),
    ("规范性文件合法性审核机制还需完善", "", "legality_review|normative_filing"),
    ("法治督察发现的问题整改还不够彻底", "", "oversight"),
    ("法治队伍建设仍需加强", "基层法制审核人员配备不足,专职法制审核人员缺乏。", "staffing|legality_review"),
    ("行政执法规范化建设仍需加强", "执法程序不够规范,执法文书制作不够严谨,行政处罚自由裁量权行使不够规范。", "enforcement"),
    ("法治宣传教育覆盖面不够广", "农村地区、外来务工人员等群体的普法宣传还存在薄弱环节。", "publicity"),
    ("领导干部学法用法制度落实不够到位", "个别领导干部学法流于形式。", "study_awareness"),
    ("对法治政府建设的重要性认识不足", "存在“重发展、轻法治”的思想。", "study_awareness"),
    ("行政机关负责人出庭应诉比例不高", "", "dispute_resolution"),
    ("公职律师和法律顾问作用发挥不够充分", "参与重大决策的深度不够。", "legality_review"),
    ("基层公共法律服务平台作用发挥不充分", "群众知晓率不高。", "public_legal_services"),
    ("智慧法治建设相对滞后", "信息化手段运用不够充分,部门间数据壁垒尚未完全打通。", "informatization"),
    ("部分部门对法治政府建设重视程度不够", "工作推进力度不一。", "responsibility"),
    # full-width punctuation and digits (raw pages): same codes
    ("普法宣传形式较为单一，针对性和实效性不强", "（部分群众参与度低）", "publicity"),
    ("执法人员数量不足，２０２３年仅有３名", "", "staffing|enforcement"),
    # no theme: kept as uncoded
    ("法治工作经费保障不足", "", "uncoded"),
    ("法治政府建设推进不平衡", "部分村(社区)法治建设相对薄弱。", "uncoded"),
]


@pytest.mark.parametrize(("headline", "body", "expected"), CODING_TABLE)
def test_code_problems_table(headline, body, expected):
    coded = P.code_problems(_items([headline], [headline + "。" + body]))
    assert coded.loc[0, "themes"] == expected, coded.loc[0, "matched"]
    assert coded.loc[0, "n_themes"] == (0 if expected == "uncoded" else len(expected.split("|")))


@pytest.mark.parametrize(
    ("headline", "body", "absent"),
    [
        # "学习宣传贯彻" is studying, not publicity
        ("在学习宣传贯彻习近平法治思想方面还存在差距", "", "publicity"),
        # publicity named in passing among legal-service resources
        ("各类公共法律服务资源需要进一步融合", "法律援助、公证服务、法治宣传等资源已整合。", "publicity"),
        # "学习…常态化" is not a study deficit
        ("执法专业化水平有待进一步提高", "执法人员对法律法规的学习虽已进入常态化,但尚未完全掌握。", "study_awareness"),
        # a passing "任务重" is not a workload problem
        ("学习的力度还不够深入", "有些人员工作任务重,轻视学习。", "workload_backlog"),
        # "监督协调" is not coordination
        ("行政执法监督协调机制有待进一步完善", "", "coordination"),
        # innovating publicity forms is publicity, not innovation
        ("宣传手段还不够充分", "缺乏创新宣传方式。", "innovation"),
    ],
)
def test_code_problems_does_not_fire_on_passing_mentions(headline, body, absent):
    coded = P.code_problems(_items([headline], [headline + "。" + body]))
    assert absent not in coded.loc[0, "themes"].split("|"), coded.loc[0, "matched"]


def test_code_problems_keeps_rows_index_and_input_and_audits_hits():
    problems = pd.DataFrame(
        {"doc_id": ["a", "a", "b"], "item": [1, 2, 1], "text": ["法治队伍人员力量不足", "天气晴朗", "普法形式单一"],
         "body": ["法治队伍人员力量不足。", "天气晴朗。", "普法形式单一,吸引力不强。"]},
        index=[10, 11, 12],
    )
    before = problems.copy()
    coded = P.code_problems(problems)
    pd.testing.assert_frame_equal(problems, before)
    assert list(coded.index) == [10, 11, 12]
    assert coded["themes"].tolist() == ["staffing", "uncoded", "publicity"]
    assert coded.loc[11, "matched"] == ""
    assert coded.loc[10, "matched"].startswith("staffing:「")
    # headline column only: works without a body
    assert P.code_problems(problems.drop(columns="body"))["themes"].tolist() == ["staffing", "uncoded", "publicity"]


def test_code_problems_is_deterministic():
    items = _items([row[0] for row in CODING_TABLE], [row[0] + "。" + row[1] for row in CODING_TABLE])
    pd.testing.assert_frame_equal(P.code_problems(items), P.code_problems(items))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=80), min_size=1, max_size=4))
def test_code_problems_never_crashes_and_hits_are_quoted_from_the_text(texts):
    coded = P.code_problems(_items(texts, texts))
    ids = set(P.load_codebook()["theme"]) | {P.UNCODED}
    for text, themes, matched in zip(texts, coded["themes"], coded["matched"]):
        assert set(themes.split("|")) <= ids
        norm = unicodedata.normalize("NFKC", text)
        for part in filter(None, matched.split("; ")):
            for hit in part.split(":", 1)[1].strip("「」").split("」「"):
                assert hit in norm


def test_custom_codebook_mapping_and_bad_regex():
    spec = {"themes": [{"id": "flood", "label_zh": "防汛", "label_en": "Floods", "keywords": ["防汛"]}]}
    coded = P.code_problems(_items(["防汛工作压力大", "普法形式单一"]), codebook=spec)
    assert coded["themes"].tolist() == ["flood", "uncoded"]
    with pytest.raises(ValueError, match="flood"):
        P.code_problems(_items(["x"]), codebook={"themes": [{"id": "flood", "patterns": ["(防汛"]}]})
    with pytest.raises(ValueError, match="duplicate"):
        P.load_codebook({"themes": [{"id": "a", "keywords": ["x"]}, {"id": "a", "keywords": ["y"]}]})


def test_codebook_from_yaml_path(tmp_path):
    path = tmp_path / "cb.yaml"
    path.write_text("themes:\n  - id: flood\n    label_zh: 防汛\n    headline: ['防汛']\n", encoding="utf-8")
    assert P.code_problems(_items(["防汛任务重"]), codebook=path)["themes"].tolist() == ["flood"]
    assert P.load_codebook(path)["theme"].tolist() == ["flood"]


def test_themes_long_one_row_per_theme_and_uncoded_kept():
    coded = pd.DataFrame({"doc_id": ["a", "a"], "item": [1, 2], "themes": ["staffing|publicity", "uncoded"],
                          "start": [0, 9], "end": [5, 12]})
    long = P.themes_long(coded)
    assert long[["item", "theme"]].values.tolist() == [[1, "staffing"], [1, "publicity"], [2, "uncoded"]]
    assert long.loc[0, "label_zh"] == "人员力量与法律专业能力"
    assert list(long.columns) == ["doc_id", "item", "theme", "label_zh", "label_en", "start", "end"]


# --------------------------------------------------------------------------- recurrence


CODED = pd.DataFrame(
    {
        "doc_id": ["a", "a", "b", "b", "c"],
        "item": [1, 2, 1, 2, 1],
        "themes": ["staffing|enforcement", "staffing", "enforcement", "uncoded", "publicity"],
    }
)
META = pd.DataFrame(
    {
        "doc_id": ["a", "b", "c", "e", "z"],
        "report_year": pd.array([2022, 2023, 2023, 2023, 2023], dtype="Int64"),
        "issuer_type": ["township", "township", "department", "department", "department"],
        "status": ["ok", "ok", "ok", "ok", "error"],
        "text": ["", "", "", "", ""],
    }
)


def test_theme_matrix_counts_items_reports_and_shares():
    m = P.theme_matrix(CODED)
    assert list(m.columns) == ["a", "b", "c"]
    assert m.loc["staffing"].tolist() == [2, 0, 0]
    assert m.loc["uncoded"].tolist() == [0, 1, 0]
    assert m.index[-1] == "uncoded" and m.index[0] == "staffing"
    # with the corpus: report e (no problems) is an all-zero column, the error file is left out
    m = P.theme_matrix(CODED, corpus=META)
    assert list(m.columns) == ["a", "b", "c", "e"]
    assert int(m["e"].sum()) == 0
    share = P.theme_matrix(CODED, corpus=META, by="report_year", value="share")
    assert list(share.columns) == ["2022", "2023"]
    assert share.loc["enforcement", "2023"] == pytest.approx(1 / 3, abs=1e-4)
    reports = P.theme_matrix(CODED, corpus=META, by="issuer_type", value="reports")
    assert reports.loc["staffing", "township"] == 1
    with pytest.raises(ValueError):
        P.theme_matrix(CODED, value="percent")
    with pytest.raises(KeyError):
        P.theme_matrix(CODED, by="province")


def test_theme_recurrence_counts_across_reports_and_years():
    rec = P.theme_recurrence(CODED, corpus=META)
    first = rec.iloc[0]
    assert (first["theme"], first["n_reports"], first["n_items"], first["years"]) == ("enforcement", 2, 2, "2022|2023")
    assert first["share_reports"] == pytest.approx(0.5)  # 2 of the 4 readable reports
    staffing = rec.set_index("theme").loc["staffing"]
    assert (staffing["n_items"], staffing["n_reports"], staffing["n_years"]) == (2, 1, 1)
    assert rec["theme"].iloc[-1] == "uncoded"
    assert {"a", "b", "c", "e"} <= set(rec.columns)
    assert P.theme_recurrence(CODED)["years"].iloc[0] == ""


def test_plot_theme_heatmap_draws_chinese_labels_without_missing_glyphs():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a "Glyph … missing" warning fails the test
        fig = P.plot_theme_heatmap(CODED, corpus=META.assign(issuer=["甲街道", "乙街道", "丙局", "丁镇", "戊"]))
        fig.canvas.draw()
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "人员力量与法律专业能力" in labels
    assert any("甲街道" in t.get_text() for t in ax.get_xticklabels())
    plt.close(fig)
    fig = P.plot_theme_heatmap(CODED, corpus=META, by="report_year", value="share", label="en", drop_empty=True)
    assert "Uncoded" in [t.get_text() for t in fig.axes[0].get_yticklabels()]
    plt.close(fig)
    fig = P.plot_theme_heatmap(CODED, max_groups=2)
    assert len(fig.axes[0].get_xticklabels()) == 2 and "2 of 3" in fig.axes[0].get_title()
    plt.close(fig)


# --------------------------------------------------------------------------- two-year fixture


@pytest.fixture(scope="module")
def two_year() -> dict[str, pd.DataFrame]:
    """The two-year issuer through the package's own loader and structure parser."""
    from analysis import load_corpus
    from analysis.structure import extract_problems, parse_sections

    corpus = load_corpus(TWO_YEAR)
    sections = parse_sections(corpus)
    problems = extract_problems(sections)
    return {"corpus": corpus, "sections": sections, "problems": problems, "coded": P.code_problems(problems)}


def test_two_year_fixture_is_read_as_one_issuer_with_two_years(two_year):
    corpus = two_year["corpus"]
    assert corpus["issuer"].nunique() == 1
    assert sorted(corpus["report_year"].tolist()) == [2022, 2023]
    assert two_year["coded"]["themes"].tolist() == [
        "staffing", "publicity", "normative_filing", "staffing", "enforcement"
    ]


def test_theme_persistence_on_two_year_fixture(two_year):
    pers = P.theme_persistence(two_year["coded"], two_year["corpus"])
    table = {r.theme: (r.in_from, r.in_to, r.recurs) for r in pers.itertuples()}
    assert table == {
        "staffing": (True, True, True),
        "enforcement": (False, True, False),
        "publicity": (True, False, False),
        "normative_filing": (True, False, False),
    }
    assert list(pers["theme"]) == ["staffing", "enforcement", "publicity", "normative_filing"]  # codebook order
    row = pers.iloc[0]
    assert (row.year_from, row.year_to, row.consecutive) == (2022, 2023, True)
    assert row.docs_from == "beijingjie_2022" and row.docs_to == "beijingjie_2023"


def test_theme_persistence_gap_years_and_single_year_issuers():
    corpus = pd.DataFrame({"doc_id": ["a", "b", "c"], "issuer": ["X", "X", "Y"], "report_year": [2020, 2023, 2023]})
    coded = pd.DataFrame({"doc_id": ["a", "b", "c"], "themes": ["staffing", "staffing", "staffing"]})
    pers = P.theme_persistence(coded, corpus)
    assert len(pers) == 1
    assert (pers.loc[0, "consecutive"], pers.loc[0, "recurs"]) == (False, False)
    empty = P.theme_persistence(coded, corpus[corpus["issuer"] == "Y"])
    assert empty.empty and "recurs" in empty.columns
    # a report with no items in year 2 still counts: the theme disappears
    coded2 = pd.DataFrame({"doc_id": ["a"], "themes": ["staffing"]})
    corpus2 = pd.DataFrame({"doc_id": ["a", "b"], "issuer": ["X", "X"], "report_year": [2022, 2023]})
    pers2 = P.theme_persistence(coded2, corpus2)
    assert pers2[["in_from", "in_to"]].values.tolist() == [[True, False]]


def test_follow_through_year_on_year_plans_against_next_measures(two_year):
    ft = P.follow_through(two_year["problems"], two_year["sections"], corpus=two_year["corpus"])
    plans = ft[ft["kind"] == "plan_measure"]
    assert plans["doc_id"].unique().tolist() == ["beijingjie_2022"]
    assert plans["target_doc_id"].unique().tolist() == ["beijingjie_2023"]
    # plan (一) 加强法治队伍建设 -> measure (一) 充实法治工作力量; plan (二) -> measure (二)
    assert plans["target_item"].tolist() == [1, 2]
    assert plans["followed"].all()
    # the 2022 plans answer staffing and publicity, not the filing problem
    prob22 = ft[(ft["kind"] == "problem_plan") & (ft["doc_id"] == "beijingjie_2022")]
    assert prob22["followed"].tolist() == [True, True, False]
    assert prob22["target_item"].tolist()[:2] == [1, 2]


# --------------------------------------------------------------------------- plan items and follow-through


PLAN_SECTIONS_TEXT = (
    "三、下一年度工作计划\n"
    "2024年,我街将继续推进法治建设,重点抓好以下工作:\n"
    "一是进一步规范规范性文件备案审查工作,做到有件必备。\n"
    "二是深化矛盾纠纷多元化解,加强人民调解员培训。\n"
    "某某街道办事处\n"
    "2023年12月22日"
)


def _hand_report() -> tuple[str, pd.DataFrame, pd.DataFrame]:
    """A hand-made report: two problems; the plan answers the first only."""
    problems_part = (
        "二、存在的不足\n"
        "(一)规范性文件备案工作有待加强。个别文件印发后未及时报备。\n"
        "(二)信息化建设相对滞后。执法办案平台尚未建立。\n"
    )
    text = "2023年,我街推进法治政府建设。\n" + problems_part + PLAN_SECTIONS_TEXT
    p0 = text.index("(一)")
    p1 = text.index("(二)")
    p_end = text.index("三、")
    problems = pd.DataFrame(
        {
            "doc_id": "r",
            "item": [1, 2],
            "text": ["规范性文件备案工作有待加强", "信息化建设相对滞后"],
            "body": [text[p0 + 3:p1].rstrip(), text[p1 + 3:p_end].rstrip()],
            "start": [p0 + 3, p1 + 3],
            "end": [p0 + 3 + len(text[p0 + 3:p1].rstrip()), p1 + 3 + len(text[p1 + 3:p_end].rstrip())],
        }
    )
    s = text.index("三、")
    sections = pd.DataFrame(
        {"doc_id": "r", "part": ["plans"], "level": [1], "number": ["三"], "path": ["三"],
         "heading": ["下一年度工作计划"], "text": [text[s:]], "start": [s], "end": [len(text)]}
    )
    return text, problems, sections


def test_follow_through_on_a_report_whose_plan_answers_one_of_two_problems():
    text, problems, sections = _hand_report()
    before = problems.copy()
    ft = P.follow_through(problems, sections)
    pd.testing.assert_frame_equal(problems, before)
    assert ft["kind"].tolist() == ["problem_plan", "problem_plan"]
    answered, missed = ft.iloc[0], ft.iloc[1]
    assert answered["followed"] and answered["target_item"] == 1
    assert answered["shared_themes"] == "normative_filing"
    assert answered["score"] >= P.FOLLOW_THRESHOLD and answered["basis"] == "themes+text"
    assert text[answered["target_start"]:answered["target_end"]] == answered["target_text"]
    assert answered["target_text"].startswith("一是进一步规范规范性文件备案审查工作")
    assert not missed["followed"] and missed["basis"] == "none"
    assert missed["score"] < P.FOLLOW_THRESHOLD
    # the same report through the package's structure parser gives the same verdicts
    from analysis.structure import extract_problems, parse_sections

    corpus = pd.DataFrame({"doc_id": ["r"], "text": [text]})
    secs = parse_sections(corpus)
    ft2 = P.follow_through(extract_problems(secs), secs)
    assert ft2["followed"].tolist() == [True, False]


def test_follow_through_without_plans_flags_every_problem():
    _, problems, sections = _hand_report()
    ft = P.follow_through(problems, sections.assign(part="other"))
    assert not ft["followed"].any()
    assert ft["target_text"].isna().all() and (ft["score"] == 0).all()


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
    items = P.plan_items(sections)
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
    items = P.plan_items(sections)
    assert items["text"].tolist() == ["(一)加强队伍建设。充实人员。", "(二)深化普法。"]
    assert items["path"].tolist() == ["三/(一)", "三/(二)"]
    assert P.plan_items(sections.assign(part="measures")).empty
    assert list(P.plan_items(sections.assign(part="measures")).columns) == ["doc_id", "item", "path", "text",
                                                                             "start", "end"]


# --------------------------------------------------------------------------- template reuse


ORIGINAL = ("人民群众普法宣传活动形式单一。普法宣传活动形式、内容等创新力度不足,与人民群众日益增长的精神文化需求"
            "产生一定差距,宣传活动对群众吸引力小,普法氛围不够浓烈。")
LIGHT_EDIT = ("普法宣传活动形式单一。普法宣传活动形式、内容等创新力度不足,宣传活动对群众吸引力小,普法氛围不够浓烈,"
              "与群众日益增长的需求产生一定差距。")
INDEPENDENT_SAME_TOPIC = ("宣传法治政府建设的手段还不够充分。街道机关在向社区居民传达法治政府理念时,宣传力度还不够充足,"
                          "形式和内容可能显得单一,导致社区居民对法治政府建设的知晓率和认知度不高。")
OTHER_TOPIC = "规范性文件备案工作有待加强。存在应报备文件未报、漏报的风险。"


def test_template_reuse_finds_copies_across_reports_only():
    items = pd.DataFrame(
        {"doc_id": ["a", "b", "c", "d", "a"], "item": [1, 1, 1, 1, 2],
         "text": [ORIGINAL, LIGHT_EDIT, INDEPENDENT_SAME_TOPIC, OTHER_TOPIC, ORIGINAL],
         "start": [0, 0, 0, 0, 100], "end": [10, 10, 10, 10, 110]}
    )
    pairs = P.template_reuse(items)
    assert list(pairs.columns) == ["doc_a", "item_a", "text_a", "doc_b", "item_b", "text_b", "score",
                                   "start_a", "end_a", "start_b", "end_b"]
    # the same-report duplicate (a/1, a/2) is not a pair; both copies pair with b
    assert pairs[["doc_a", "item_a", "doc_b", "item_b"]].values.tolist() == [["a", 1, "b", 1], ["b", 1, "a", 2]]
    assert pairs["score"].iloc[0] >= 0.6
    assert (pairs["score"] <= 1.0).all()


@pytest.mark.parametrize(
    ("a", "b", "low", "high"),
    [
        (ORIGINAL, ORIGINAL.replace("2023", "2024"), 0.999, 1.0),  # verbatim copy
        (ORIGINAL, LIGHT_EDIT, 0.6, 0.99),  # a few words moved or dropped
        (ORIGINAL, INDEPENDENT_SAME_TOPIC, 0.0, 0.3),  # same topic, written independently
        (ORIGINAL, OTHER_TOPIC, 0.0, 0.1),  # another topic
        ("普法宣传形式单一，针对性不强（２０２３年）。", "普法宣传形式单一,针对性不强(2019年)。", 0.999, 1.0),  # full-width, years
    ],
)
def test_template_reuse_score_ranges_behind_the_threshold(a, b, low, high):
    items = pd.DataFrame({"doc_id": ["x", "y", "z"], "text": [a, b, OTHER_TOPIC + "另有说明。"]})
    pairs = P.template_reuse(items, threshold=1e-9)
    got = pairs[(pairs["doc_a"] == "x") & (pairs["doc_b"] == "y")]["score"]
    score = float(got.iloc[0]) if len(got) else 0.0
    assert low <= score <= high


def test_template_reuse_blocks_equal_one_dense_product(monkeypatch):
    rng = np.random.default_rng(0)
    phrases = ["普法宣传形式单一", "执法人员力量不足", "规范性文件备案不及时", "信息化建设滞后", "监督刚性不强",
               "合法性审查不到位", "学习不够深入", "统筹协调不够"]
    texts = ["。".join(rng.choice(phrases, size=3)) + "。" for _ in range(40)]
    items = pd.DataFrame({"doc_id": [f"d{i % 13}" for i in range(40)], "item": range(40), "text": texts})
    whole = P.template_reuse(items, threshold=0.3)
    monkeypatch.setattr(P, "_block_size", lambda n, budget=0: 3)
    blocked = P.template_reuse(items, threshold=0.3)
    pd.testing.assert_frame_equal(whole, blocked)
    assert len(whole) > 0


def test_template_reuse_edge_cases():
    one_doc = pd.DataFrame({"doc_id": ["a", "a"], "text": [ORIGINAL, ORIGINAL]})
    assert P.template_reuse(one_doc).empty
    short = pd.DataFrame({"doc_id": ["a", "b"], "text": ["不足", "不足"]})
    assert P.template_reuse(short).empty
    with pytest.raises(ValueError):
        P.template_reuse(one_doc, threshold=0)
    # plan items: no body column, path as id
    plans = pd.DataFrame({"doc_id": ["a", "b"], "path": ["三/(一)", "四/1"], "text": [ORIGINAL, ORIGINAL]})
    assert P.template_reuse(plans)[["item_a", "item_b"]].values.tolist() == [["三/(一)", "四/1"]]


# --------------------------------------------------------------------------- reliability


def test_export_for_coding_writes_bom_csv_blind_by_default(tmp_path, two_year):
    path = tmp_path / "out" / "coding.csv"
    table = P.export_for_coding(two_year["coded"], path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "法治工作人员力量不足" in raw.decode("utf-8-sig")
    assert "machine_themes" not in table.columns and "matched" not in table.columns
    ids = P.load_codebook()["theme"].tolist()
    assert list(table.columns) == ["doc_id", "item", "start", "end", "text", "body"] + ids + ["note"]
    back = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert back.shape == table.shape
    open_table = P.export_for_coding(two_year["coded"], tmp_path / "open.csv", blind=False)
    assert open_table["machine_themes"].tolist() == two_year["coded"]["themes"].tolist()
    # a coder who agrees with the machine everywhere: kappa 1 where defined
    filled = back.copy()
    for i, themes in enumerate(two_year["coded"]["themes"]):
        for t in themes.split("|"):
            filled.loc[i, t] = "1"
    agree = P.coding_agreement(two_year["coded"], filled).set_index("theme")
    assert agree.loc["overall", "kappa"] == 1.0
    assert agree.loc["staffing", "kappa"] == 1.0


def test_coding_agreement_against_the_manual_coding_fixture(two_year):
    agree = P.coding_agreement(two_year["coded"], FIXTURES / "manual_coding.csv").set_index("theme")
    for theme in ("staffing", "publicity", "normative_filing", "enforcement"):
        assert agree.loc[theme, "kappa"] == 1.0
    # the coder added innovation to one item: observed 4/5 = expected 4/5 -> kappa 0
    assert agree.loc["innovation", ["machine_yes", "manual_yes", "agreement", "kappa"]].tolist() == [0, 1, 0.8, 0.0]
    assert np.isnan(agree.loc["oversight", "kappa"])  # both coders never use it: undefined
    # pooled over every item x theme decision, by hand
    k = len(P.load_codebook())
    n = 5 * k
    p_o = (n - 1) / n
    p_e = (5 / n) * (6 / n) + ((n - 5) / n) * ((n - 6) / n)
    assert agree.loc["overall", "kappa"] == pytest.approx((p_o - p_e) / (1 - p_e), abs=1e-4)
    assert agree.loc["overall", "n_items"] == 5


def test_coding_agreement_hand_computed_kappa_and_long_format():
    coded = pd.DataFrame({"doc_id": list("abcdef"), "item": 1,
                          "themes": ["staffing", "staffing", "uncoded", "publicity", "uncoded", "uncoded"]})
    manual = pd.DataFrame({"doc_id": list("abcdef"), "item": ["1", "1", "1", "1", "1", "1.0"],
                           "themes": ["staffing", "", "", "publicity", "", "staffing、innovation"]})
    agree = P.coding_agreement(coded, manual).set_index("theme")
    # staffing: machine 110000, manual 100001 -> p_o = 4/6, p_e = 20/36, kappa = 0.25
    assert agree.loc["staffing", "kappa"] == pytest.approx(0.25)
    assert agree.loc["staffing", ["machine_yes", "manual_yes", "both_yes"]].tolist() == [2, 2, 1]
    assert agree.loc["publicity", "kappa"] == 1.0
    with pytest.raises(ValueError, match="not in the codebook"):
        P.coding_agreement(coded, manual.assign(themes="flood"))
    with pytest.raises(KeyError):
        P.coding_agreement(coded, manual.drop(columns="themes"))


# --------------------------------------------------------------------------- the seed reports


def test_seed_recurrence_matches_a_careful_coder(seed_corpus):
    from analysis.structure import extract_problems, parse_sections

    coded = P.code_problems(extract_problems(parse_sections(seed_corpus)))
    assert (coded["themes"] != "").all()
    rec = P.theme_recurrence(coded, corpus=seed_corpus).set_index("theme")
    assert rec.loc["staffing", "n_reports"] == 3
    assert rec.loc["enforcement", "n_reports"] == 3
    assert rec.loc["publicity", "n_reports"] == 2
    assert rec.loc["study_awareness", "n_reports"] == 2
    assert rec.loc["uncoded", "n_items"] == 0


def test_template_reuse_top_k_bounds_the_output_of_a_widely_copied_template():
    items = pd.DataFrame({"doc_id": [f"d{i}" for i in range(30)], "text": [ORIGINAL] * 30})
    assert len(P.template_reuse(items, top_k=None)) == 30 * 29 // 2
    bounded = P.template_reuse(items, top_k=3)
    assert 0 < len(bounded) <= 30 * 3
    clusters = P.template_clusters(items, top_k=3)
    assert clusters["template"].nunique() == 1 and clusters["template_reports"].iloc[0] == 30


def test_template_clusters_groups_copies_and_leaves_others_alone():
    items = pd.DataFrame({"doc_id": ["a", "b", "c", "d"], "item": 1,
                          "text": [ORIGINAL, LIGHT_EDIT, OTHER_TOPIC, "不足"]}, index=[5, 6, 7, 8])
    out = P.template_clusters(items)
    assert list(out.index) == [5, 6, 7, 8]
    assert out["template"].tolist() == [1, 1, 2, 0]
    assert out["template_reports"].tolist() == [2, 2, 1, 0]
    assert out["template_items"].tolist() == [2, 2, 1, 0]


def test_empty_inputs_give_empty_tables_with_their_columns():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    empty = pd.DataFrame({c: pd.Series(dtype="int64" if c in ("item", "start", "end") else "str")
                          for c in ("doc_id", "item", "text", "body", "start", "end")})
    coded = P.code_problems(empty)
    assert list(coded.columns)[-3:] == ["themes", "n_themes", "matched"] and coded.empty
    corpus = pd.DataFrame({"doc_id": ["a"], "issuer": ["X"], "report_year": [2023], "text": ["x"]})
    assert P.theme_recurrence(coded, corpus=corpus)["n_reports"].sum() == 0
    assert P.theme_persistence(coded, corpus).empty
    assert P.template_reuse(coded).empty
    sections = empty[["doc_id", "text", "start", "end"]].assign(part=pd.Series(dtype="str"))
    assert P.follow_through(coded, sections, corpus=corpus).empty
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plt.close(P.plot_theme_heatmap(coded))


_PLAN_ALPHABET = st.sampled_from(list("一二三是、。,;:()（）1.\n 加强执法普法队伍某街道办事处2024年月日"))


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=_PLAN_ALPHABET, max_size=120), st.integers(min_value=0, max_value=5))
def test_plan_items_offsets_point_at_their_text_on_arbitrary_input(body, offset):
    text = "三、工作计划\n" + body
    full = "x" * offset + text
    sections = pd.DataFrame({"doc_id": ["a"], "part": ["plans"], "level": [1], "heading": ["工作计划"],
                             "text": [text], "start": [offset], "end": [offset + len(text)]})
    items = P.plan_items(sections)
    for t, s, e in zip(items["text"], items["start"], items["end"]):
        assert full[s:e] == t and t.strip() == t and t
    problems = pd.DataFrame({"doc_id": ["a"], "item": [1], "text": [body[:20]], "body": [body]})
    ft = P.follow_through(problems, sections)
    assert len(ft) in (0, 1)


# --------------------------------------------------------------------------- fast coder
# code_problems codes with P._Matcher (a literal pre-filter in front of the theme
# regexes); it must give exactly what the plain coder P._code_one gives.


def _codebook_pieces() -> list[str]:
    """Words and rule fragments of the packaged codebook, to build texts that fire rules."""
    import yaml as _yaml

    spec = _yaml.safe_load(P._read_codebook_text(None))
    pieces: list[str] = []
    for theme in spec["themes"]:
        pieces += [str(k) for k in theme.get("keywords") or []]
        pieces += [s for s in re.split(r"[。,;:!?]", str(theme.get("example", ""))) if s]
    pieces += spec["macros"]["deficit"].strip("(?:)").split("|")
    return pieces


_CODE_PIECES = st.sampled_from(_codebook_pieces() + ["。", ",", ";", "\n", "的", "不", "法治", "执法", "人员", "1",
                                                      "（", "）", "：", " ", "存在", "问题"])
_CODE_TEXT = st.lists(_CODE_PIECES, max_size=12).map("".join) | st.text(max_size=40)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_CODE_TEXT, _CODE_TEXT), min_size=1, max_size=5))
def test_property_fast_coder_equals_plain_coder(pairs):
    themes = P._themes(None)
    heads = [P._norm(h) for h, _ in pairs]
    # the full text as _statement builds it, and texts that do not start with the headline
    fulls = [P._norm(h + "\n" + b) if i % 2 else P._norm(b) for i, (h, b) in enumerate(pairs)]
    expected = [P._code_one(themes, h, f) for h, f in zip(heads, fulls)]
    assert P._matcher(themes).code_all(heads, fulls) == expected


IRREGULAR_CODEBOOK = {
    "macros": {"w": "[^,;:!?。\\n]"},
    "themes": [
        # backreference: the field is never reduced (group numbers would shift)
        {"id": "backref", "patterns": ["(问题)还是\\1", "整改不到位"]},
        # a rule that may match the empty string, and a case-insensitive one
        {"id": "empty", "patterns": ["(?:空白)*", "ABC", "(?i:xyz)"], "keywords": ["空白问题"]},
        # lookbehinds first, alternations, optional parts
        {"id": "look", "headline": ["(?<!谁)执法(?!平台)|标准化"],
         "patterns": ["(?<!群众)(?:法治|依法)(?:意识|观念){w}{0,4}(?:不足|不强)", "(?:缺乏|缺少)(?:专业)?人才",
                      "a{2,3}b", "[甲乙]丙"]},
    ],
}


@pytest.mark.parametrize("texts", [
    ["问题还是问题", "整改不到位", "空白问题", "", "abc ABC xYz", "谁执法平台执法", "群众法治意识不强",
     "法治意识淡薄不足", "缺乏专业人才", "aab aaab", "甲丙乙丙", "标准化执法"],
])
def test_fast_coder_on_irregular_rules(texts):
    themes = P._themes(IRREGULAR_CODEBOOK)
    matcher = P._Matcher(themes)
    assert not matcher.fields[1].reducible  # the backreference
    assert matcher.fields[3].alone is None  # the rule matching the empty string
    full = [t + "\n" + t[::-1] for t in texts]
    assert matcher.code_all(texts, full) == [P._code_one(themes, h, f) for h, f in zip(texts, full)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["ab", "b", "a+b", "(?<=a)b", "ba", "b{2}", "abc|b", "c(?!a)"]), min_size=1,
                max_size=4, unique=True),
       st.text(alphabet="abc\n", max_size=30))
def test_property_alternation_of_rules_alone_equals_finditer(rules, text):
    combined = re.compile("|".join(f"(?:{r})" for r in rules))
    expected = [m.group(0) for m in combined.finditer(text)]
    assert P._alternation_hits([re.compile(r) for r in rules], text) == expected


def test_rule_needs_examples():
    needs = P._rule_needs("专业(?:人才|人员)[^。]{0,8}(?:不足|不够)")
    assert needs == frozenset({frozenset({"专业人才", "专业人员"}), frozenset({"不足", "不够"})})
    assert P._rule_needs("(?:程序|流程)(?:的)?[^。]{0,4}(?:不规范|不严谨)") == frozenset(
        {frozenset({"程序", "流程"}), frozenset({"不规范", "不严谨"})})
    assert P._rule_needs("(?<!谁)执法(?!平台)|标准化") == frozenset({frozenset({"执法", "标准化"})})
    assert P._rule_needs("(?:a)?b") is None  # one-character strings filter nothing
    assert P._rule_needs("x*") is None
    assert P._rule_needs("(?i:ab)cd") == frozenset({frozenset({"cd"})})
    assert P._rule_needs("(?i)abcd") is None
