"""Follow-through: problems answered by plans, plans delivered next year."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import problems as P


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


_PLAN_ALPHABET = st.sampled_from(list("一二三是、。,;:()（）1.\n 加强执法普法队伍某街道办事处2024年月日"))


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=_PLAN_ALPHABET, max_size=120), st.integers(min_value=0, max_value=5))
def test_follow_through_never_crashes_on_arbitrary_plans(body, offset):
    text = "三、工作计划\n" + body
    sections = pd.DataFrame({"doc_id": ["a"], "part": ["plans"], "level": [1], "heading": ["工作计划"],
                             "text": [text], "start": [offset], "end": [offset + len(text)]})
    problems = pd.DataFrame({"doc_id": ["a"], "item": [1], "text": [body[:20]], "body": [body]})
    ft = P.follow_through(problems, sections)
    assert len(ft) in (0, 1)
