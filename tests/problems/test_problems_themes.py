"""The codebook, coding items by theme, themes_long, theme_matrix."""

from __future__ import annotations

import unicodedata
import warnings
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import problems as P

from .helpers import CODED, META, items_of

REQUIRED_THEMES = [
    "staffing", "enforcement", "publicity", "study_awareness", "innovation", "coordination", "oversight",
    "legality_review", "normative_filing", "informatization", "public_legal_services", "workload_backlog",
    "collective_assets",
]


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
    coded = P.code_problems(items_of([head], [example]))
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
    coded = P.code_problems(items_of([headline], [headline + "。" + body]))
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
    coded = P.code_problems(items_of([headline], [headline + "。" + body]))
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
    items = items_of([row[0] for row in CODING_TABLE], [row[0] + "。" + row[1] for row in CODING_TABLE])
    pd.testing.assert_frame_equal(P.code_problems(items), P.code_problems(items))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=80), min_size=1, max_size=4))
def test_code_problems_never_crashes_and_hits_are_quoted_from_the_text(texts):
    coded = P.code_problems(items_of(texts, texts))
    ids = set(P.load_codebook()["theme"]) | {P.UNCODED}
    for text, themes, matched in zip(texts, coded["themes"], coded["matched"]):
        assert set(themes.split("|")) <= ids
        norm = unicodedata.normalize("NFKC", text)
        for part in filter(None, matched.split("; ")):
            for hit in part.split(":", 1)[1].strip("「」").split("」「"):
                assert hit in norm


def test_custom_codebook_mapping_and_bad_regex():
    spec = {"themes": [{"id": "flood", "label_zh": "防汛", "label_en": "Floods", "keywords": ["防汛"]}]}
    coded = P.code_problems(items_of(["防汛工作压力大", "普法形式单一"]), codebook=spec)
    assert coded["themes"].tolist() == ["flood", "uncoded"]
    with pytest.raises(ValueError, match="flood"):
        P.code_problems(items_of(["x"]), codebook={"themes": [{"id": "flood", "patterns": ["(防汛"]}]})
    with pytest.raises(ValueError, match="duplicate"):
        P.load_codebook({"themes": [{"id": "a", "keywords": ["x"]}, {"id": "a", "keywords": ["y"]}]})


def test_codebook_from_yaml_path(tmp_path):
    path = tmp_path / "cb.yaml"
    path.write_text("themes:\n  - id: flood\n    label_zh: 防汛\n    headline: ['防汛']\n", encoding="utf-8")
    assert P.code_problems(items_of(["防汛任务重"]), codebook=path)["themes"].tolist() == ["flood"]
    assert P.load_codebook(path)["theme"].tolist() == ["flood"]


def test_themes_long_one_row_per_theme_and_uncoded_kept():
    coded = pd.DataFrame({"doc_id": ["a", "a"], "item": [1, 2], "themes": ["staffing|publicity", "uncoded"],
                          "start": [0, 9], "end": [5, 12]})
    long = P.themes_long(coded)
    assert long[["item", "theme"]].values.tolist() == [[1, "staffing"], [1, "publicity"], [2, "uncoded"]]
    assert long.loc[0, "label_zh"] == "人员力量与法律专业能力"
    assert list(long.columns) == ["doc_id", "item", "theme", "label_zh", "label_en", "start", "end"]


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


def test_empty_inputs_give_empty_tables_with_their_columns():
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
