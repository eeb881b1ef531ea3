"""Tests for analysis.keywords.context: keyword in context and collocations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import keywords as kw


def _corpus(*texts: str) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": list(texts)})


@pytest.mark.parametrize(
    ("text", "pattern", "options", "expected"),
    [
        ("坚持和发展新时代枫桥经验,化解矛盾", "枫桥经验", {"window": 4}, [("展新时代", "枫桥经验", ",化解矛")]),
        ("坚持和发展新时代“枫桥经验”，化解矛盾", "枫桥经验", {"window": 3}, [("时代“", "枫桥经验", "”，化")]),
        ("上一行\n践行枫桥经验\n下一行", "枫桥经验", {"window": 10}, [("践行", "枫桥经验", "")]),
        ("普法120余次,普法宣传", "普法", {"window": 2}, [("", "普法", "12"), ("次,", "普法", "宣传")]),
        ("数字化城管和智慧城管", r"数字化|智慧", {"regex": True, "window": 1}, [("", "数字化", "城"), ("和", "智慧", "城")]),
        ("数字化城管和智慧城管", ["智慧", "数字化"], {"window": 1}, [("", "数字化", "城"), ("和", "智慧", "城")]),
    ],
)
def test_kwic(text, pattern, options, expected):
    table = kw.kwic(_corpus(text), pattern, **options)
    assert list(table.columns) == ["doc_id", "start", "end", "left", "keyword", "right"]
    assert list(zip(table["left"], table["keyword"], table["right"])) == expected
    assert all(text[s:e] == k for s, e, k in zip(table["start"], table["end"], table["keyword"]))


def test_kwic_offsets_refer_to_report_text_for_sections():
    text = "前言。\n一、执法工作\n加强执法"
    sections = pd.DataFrame({"doc_id": ["r", "r"], "text": [text[:4], text[4:]], "start": [0, 4]})
    table = kw.kwic(sections, "执法")
    assert all(text[s:e] == "执法" for s, e in zip(table["start"], table["end"]))
    assert len(table) == 2


def test_collocations_need_adjacency():
    tokens = pd.DataFrame(
        {
            "doc_id": ["a"] * 8 + ["b"] * 2,
            "position": [0, 1, 2, 3, 5, 6, 8, 10, 0, 1],
            "term": ["法律", "援助", "法律", "援助", "法律", "援助", "法律", "援助", "法律", "援助"],
        }
    )
    table = kw.collocations(tokens, min_count=1)
    row = table.set_index("collocation").loc["法律援助"]
    assert row["n"] == 4  # (0,1), (2,3), (5,6) in a and (0,1) in b; 8 -> 10 is not adjacent
    assert row["term1"] == "法律" and row["term2"] == "援助"
    assert np.isfinite(row["pmi"]) and row["G2"] > 0


def test_collocations_on_seeds_find_known_pairs(seed_corpus):
    table = kw.collocations(kw.tokenize(seed_corpus), min_count=3)
    assert len(table) > 10
    assert table["G2"].is_monotonic_decreasing

