"""Helpers shared by the structure tests: small corpora, the tree invariants, text strategies."""

from __future__ import annotations

import pandas as pd
from hypothesis import strategies as st

from analysis.structure import parse_sections

FULLWIDTH = str.maketrans({",": "，", "(": "（", ")": "）", ":": "：", ";": "；", "%": "％", "!": "！", "?": "？"})


def corpus_of(*texts: str) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": list(texts)})


def sections_of(text: str) -> pd.DataFrame:
    return parse_sections(corpus_of(text))


def outline_of(text: str) -> list[tuple[int, str, str]]:
    s = sections_of(text)
    s = s[s["part"] != "preamble"]
    return [(int(r.level), r.number, r.heading) for r in s.itertuples()]


def check_invariants(corpus: pd.DataFrame, sections: pd.DataFrame) -> None:
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


ALPHABET = st.sampled_from(list("一二三四五十是、.．()（）0123456789①②㈠\n\n 。;:,，“”《》甲乙存在的问题不足下一年度计划其他第一责任人"))
PIECES = st.sampled_from([
    "一、", "二、", "三、", "(一)", "（二）", "(三)", "1.", "2、", "3．", "(1)", "①", "②", "一是", "二是,", "三是",
    "\n", "\n", "。", ";", ":", "“", "”", "《", "》", "2024年", "1.4万", "(2021-2025年)", "主要举措和成效",
    "存在的问题", "原因分析", "下一年度工作计划", "第一责任人职责", "其他需要报告的情况", "妥善化解", "吴某",
    "新园学校", "中共某某街道工作委员会", "2023年12月22日", "甲乙丙", " ",
    "存在的问题:", "存在问题", "下一步工作打算", "首先,", "其次,", "最后,", "下一步,我局将", "但还存在一些不足:", "第一部分", "第二部分 ",
    "原因:", "究其原因,", "2025年重点工作", "一年来的主要工作",
])
TEXTS = (
    st.lists(PIECES, max_size=60).map("".join)
    | st.text(alphabet=ALPHABET, max_size=300)
    | st.text(max_size=200)
)
