"""Small token and metadata tables shared by the keyword table tests."""

from __future__ import annotations

import pandas as pd
import pytest


@pytest.fixture
def tiny_tokens() -> pd.DataFrame:
    """Six tokens of three documents: a (2020), b and c (2023)."""
    return pd.DataFrame(
        {
            "doc_id": ["a", "a", "a", "b", "b", "c"],
            "position": [0, 1, 3, 0, 1, 0],
            "term": ["执法", "普法", "执法", "执法", "调解", "普法"],
        }
    )


@pytest.fixture
def tiny_meta() -> pd.DataFrame:
    """Report metadata of :func:`tiny_tokens`' documents."""
    return pd.DataFrame(
        {"doc_id": ["a", "b", "c"], "report_year": [2020, 2023, 2023], "issuer_type": ["subdistrict", "department", "subdistrict"]}
    )


# ----------------------------------------------------------------------------------------
# a generated corpus over 47 years whose vocabulary changes by era
# ----------------------------------------------------------------------------------------

# Years with reports: 1978-2024 except three gaps (1984-1987, 1999, 2008-2009).
ERA_YEARS = [y for y in range(1978, 2025) if not (1984 <= y <= 1987 or y == 1999 or 2008 <= y <= 2009)]
# Years resting on a single report; every other year has two or three.
SINGLE_YEARS = {1978, 1990, 2003, 2015}

# (first year, last year, sentences each report of the era repeats once per report)
ERAS = [
    (1978, 1991, ["实现四个现代化,推进社会主义现代化建设。", "发展有计划的商品经济,深化经济体制改革。", "落实计划生育基本国策,扶持乡镇企业。"]),
    (1992, 2002, ["建立社会主义市场经济体制,建立现代企业制度。", "坚持依法治国,实施西部大开发。"]),
    (2003, 2012, ["坚持科学发展观,构建社会主义和谐社会。", "坚持依法治国,抓好节能减排。", "推进社会主义新农村建设。"]),
    (2013, 2024, [
        "全面深化改革,推进全面依法治国。", "推进法治政府建设,加强法治建设,建设法治政府。",
        "建设法治中国,推进法治社会建设。", "共建一带一路,推进生态文明建设。",
    ]),
]
# Sentences of part of an era (first year, last year, sentence).
LATER = [
    (2007, 2024, "建设生态文明,保护绿水青山。"),
    (2017, 2024, "推动高质量发展。"),
    (2022, 2024, "以中国式现代化推进中华民族伟大复兴。"),
]
# Every report after 1997 writes 法治 exactly twice as a word of its own: with exact token
# matching "法治" looks flat, while its family (法治政府, 全面依法治国 …) grows by era.
FLAT = "坚持法治,厉行法治。"
FILLER = [
    "加强组织领导,完善工作机制。", "召开专题会议,研究部署重点任务。", "开展调查研究,听取群众意见。",
    "加强队伍建设,提高干部素质。", "完善考核办法,压实工作责任。", "做好宣传引导,营造良好氛围。",
]


def era_corpus(seed: int = 7) -> pd.DataFrame:
    """A few dozen reports, 1978-2024 with gaps, vocabulary varying by era (see ERAS).

    Columns as :func:`analysis.load_corpus` gives those the keyword stage reads:
    ``doc_id``, ``text``, ``report_year``, ``issuer``. Each report has 20-40 filler
    sentences around its era's sentences, so rates differ between reports of a year.
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    rows = []
    for year in ERA_YEARS:
        n = 1 if year in SINGLE_YEARS else 2 + (year % 2)
        for k in range(n):
            sentences = list(rng.choice(FILLER, size=int(rng.integers(20, 41))))
            for first, last, era in ERAS:
                if first <= year <= last:
                    sentences += era
            sentences += [s for first, last, s in LATER if first <= year <= last]
            if year >= 1998:
                sentences.append(FLAT)
            rng.shuffle(sentences)
            rows.append((f"r{year}-{k}", "".join(sentences), year, f"某某市人民政府{k}"))
    return pd.DataFrame(rows, columns=["doc_id", "text", "report_year", "issuer"])


@pytest.fixture(scope="session")
def eras() -> pd.DataFrame:
    return era_corpus()
