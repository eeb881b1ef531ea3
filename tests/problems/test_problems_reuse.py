"""Template reuse: near-duplicate statements across reports."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import analysis.problems.reuse as R
from analysis import problems as P



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
    monkeypatch.setattr(R, "_block_size", lambda n, budget=0: 3)
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
