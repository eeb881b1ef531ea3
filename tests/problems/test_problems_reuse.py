"""Template reuse: near-duplicate statements across reports."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


# --------------------------------------------------------------------------- candidates
# Only candidate pairs (prefix filtering) are scored; the result must be the exhaustive one.

_WORDS = ["普法宣传", "形式单一", "执法力量", "不足", "规范性文件", "备案", "有待加强", "法治", "工作", "队伍建设",
          "信息化", "滞后", "监督", "刚性不强", "年度", "街道", "2023年", "。", ",", "一是", "合法性审查"]


# a statement of the words above with at least one n-gram (not punctuation alone, which no
# vectoriser can read)
_TEXT = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=12).map("".join).filter(lambda t: R.ngram_text(t) != "")


def _matrix(texts: list[str]):
    return R.ngram_vectorizer((2, 4)).fit_transform(texts).tocsr()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    texts=st.lists(_TEXT, min_size=2, max_size=40),
    docs=st.lists(st.integers(0, 5), min_size=40, max_size=40),
    threshold=st.sampled_from([0.05, 0.2, 0.4, 0.6, 0.9, 1.0]),
    top_k=st.sampled_from([None, 1, 3, 10]),
)
def test_property_candidate_pairs_equal_the_exhaustive_product(texts, docs, threshold, top_k):
    X = _matrix(texts)
    doc_ids = np.array([str(d) for d in docs[: len(texts)]])
    fast = R._similar_pairs(X, doc_ids, threshold=threshold, top_k=top_k)
    full = R._similar_pairs(X, doc_ids, threshold=threshold, top_k=top_k, exhaustive=True)
    for got, want in zip(fast, full):
        np.testing.assert_array_equal(got, want)  # the same pairs, scores equal to the last bit


def test_prefixes_hold_a_shared_feature_of_every_pair_at_the_threshold():
    texts = [ORIGINAL, LIGHT_EDIT, INDEPENDENT_SAME_TOPIC, OTHER_TOPIC, ORIGINAL[:30], LIGHT_EDIT[10:]]
    X = _matrix(texts)
    P, order = R._prefixes(X, 0.4)
    shared = (P @ P.T).toarray() > 0
    scores = (X @ X.T).toarray()
    assert (shared | (scores < 0.4)).all()
    assert sorted(order.tolist()) == list(range(len(texts)))
    assert P.nnz < X.nnz  # the most frequent n-grams are left out


def test_sampled_pairs_on_a_large_corpus_are_true_pairs_with_exact_scores():
    rng = np.random.default_rng(1)
    texts = ["".join(rng.choice(_WORDS, size=8)) for _ in range(300)]
    texts += [ORIGINAL] * 40 + [LIGHT_EDIT] * 40  # a template copied into many reports
    X = _matrix(texts)
    docs = np.array([f"d{i}" for i in range(len(texts))])
    a, b, s = R._similar_pairs(X, docs, threshold=0.4, top_k=3, max_exact=50)  # sampled
    exact = (X @ X.T).toarray()
    assert a.size and (a < b).all() and (s >= 0.4 - 1e-12).all()
    np.testing.assert_allclose(s, exact[a, b], rtol=0, atol=1e-12)
    # every row keeps at most top_k partners of its own (a pair may be another row's choice)
    copies = set(range(300, 380))
    assert {int(x) for x in np.concatenate([a, b])} >= copies  # each copy found copies
    # deterministic
    again = R._similar_pairs(X, docs, threshold=0.4, top_k=3, max_exact=50)
    for x, y in zip((a, b, s), again):
        np.testing.assert_array_equal(x, y)


def test_template_reuse_exact_and_sampled_agree_on_copies():
    items = pd.DataFrame({"doc_id": [f"d{i}" for i in range(60)], "item": 1,
                          "text": [ORIGINAL, LIGHT_EDIT, OTHER_TOPIC] * 20})
    exact = P.template_clusters(items, max_exact=None)
    sampled = P.template_clusters(items, max_exact=10)
    pd.testing.assert_frame_equal(exact, sampled)


# --------------------------------------------------------------------------- distinct statements
# Copies of a statement are compared once; the result must be the one of comparing every item.

_POOL = _TEXT


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pool=st.lists(_POOL, min_size=1, max_size=8),
    picks=st.lists(st.integers(0, 7), min_size=2, max_size=60),
    docs=st.lists(st.integers(0, 9), min_size=60, max_size=60),
    threshold=st.sampled_from([0.05, 0.2, 0.4, 0.6, 0.9, 1.0]),
    top_k=st.sampled_from([1, 2, 3, 10]),
)
def test_property_distinct_statements_give_the_pairs_of_every_item(pool, picks, docs, threshold, top_k):
    texts = [pool[i % len(pool)] for i in picks]
    X = _matrix(texts)
    Xd, rows = R.distinct_tfidf(texts, (2, 4))
    expanded = Xd[rows]
    assert Xd.shape[0] == len({R.ngram_text(t) for t in texts})
    np.testing.assert_array_equal(expanded.indptr, X.indptr)
    np.testing.assert_array_equal(expanded.indices, X.indices)
    np.testing.assert_array_equal(expanded.data, X.data)  # the same vectors to the last bit
    doc_ids = np.array([f"d{d}" for d in docs[: len(texts)]])
    full = R._similar_pairs(X, doc_ids, threshold=threshold, top_k=top_k, exhaustive=True)
    # by statement when the distinct statements are at most half the items, else item by item
    got = R._similar_pairs(Xd, doc_ids, threshold=threshold, top_k=top_k, rows=rows, max_exact=None)
    for a, b in zip(got, full):
        np.testing.assert_array_equal(a, b)


def test_template_reuse_by_distinct_statement_equals_item_by_item(monkeypatch):
    rng = np.random.default_rng(3)
    pool = [ORIGINAL, LIGHT_EDIT, INDEPENDENT_SAME_TOPIC, OTHER_TOPIC] + [
        "".join(rng.choice(_WORDS, size=9)) for _ in range(6)]
    texts = [pool[i] for i in rng.integers(0, len(pool), size=400)]
    texts = [t.replace("2023", str(2019 + i % 5)) for i, t in enumerate(texts)]  # years differ, templates not
    items = pd.DataFrame({"doc_id": [f"r{i // 4}" for i in range(400)], "item": [i % 4 + 1 for i in range(400)],
                          "text": texts})
    by_statement = P.template_reuse(items)
    clusters = P.template_clusters(items)
    monkeypatch.setattr(R, "_DISTINCT_SHARE", 0.0)  # compare item by item
    pd.testing.assert_frame_equal(by_statement, P.template_reuse(items))
    pd.testing.assert_frame_equal(clusters, P.template_clusters(items))
    assert len(by_statement) > 300


def test_variants_of_a_copied_template_search_only_above_their_raised_threshold():
    texts = [ORIGINAL] * 30 + [LIGHT_EDIT, LIGHT_EDIT[:-3], INDEPENDENT_SAME_TOPIC, OTHER_TOPIC]
    docs = np.array([f"d{i}" for i in range(len(texts))])
    Xd, rows = R.distinct_tfidf(texts, (2, 4))
    saturated = np.bincount(rows) - 1 >= 3  # top_k 3, one item per report
    raised = R._raised_thresholds(Xd, np.flatnonzero(~saturated), np.flatnonzero(saturated),
                                  np.bincount(rows), 0.4, 3 + 1)
    assert (raised[rows[30:32]] > 0.4).all()  # the light edits: their best partners are the copies
    assert raised[rows[33]] == 0.4  # another topic keeps the threshold
    full = R._similar_pairs(_matrix(texts), docs, threshold=0.4, top_k=3, exhaustive=True)
    got = R._similar_pairs(Xd, docs, threshold=0.4, top_k=3, rows=rows, max_exact=None)
    for a, b in zip(got, full):
        np.testing.assert_array_equal(a, b)


# Above max_exact distinct statements, the statements (not the items) are sampled: time and
# memory grow with the distinct statements (20,567 at 100,000 synthetic reports, against
# 348,892 items).


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pool=st.lists(_POOL, min_size=2, max_size=8),
    picks=st.lists(st.integers(0, 7), min_size=4, max_size=60),
    docs=st.lists(st.integers(0, 9), min_size=60, max_size=60),
    threshold=st.sampled_from([0.2, 0.4, 0.9]),
    top_k=st.sampled_from([1, 3, 10]),
)
def test_property_sampled_statements_give_true_pairs_with_exact_scores(pool, picks, docs, threshold, top_k):
    texts = [pool[i % len(pool)] for i in picks]
    Xd, rows = R.distinct_tfidf(texts, (2, 4))
    doc_ids = np.array([f"d{d}" for d in docs[: len(texts)]])
    a, b, s = R._similar_pairs(Xd, doc_ids, threshold=threshold, top_k=top_k, rows=rows, max_exact=0)
    X = Xd[rows]
    exact = (X @ X.T).toarray()
    assert (a < b).all() and (doc_ids[a] != doc_ids[b]).all() and (s >= threshold - 1e-12).all()
    np.testing.assert_allclose(s, exact[a, b], rtol=0, atol=1e-12)
    assert a.size <= top_k * len(texts)
    keys = a * len(texts) + b
    assert np.unique(keys).size == keys.size  # each pair once
    again = R._similar_pairs(Xd, doc_ids, threshold=threshold, top_k=top_k, rows=rows, max_exact=0)
    for x, y in zip((a, b, s), again):
        np.testing.assert_array_equal(x, y)


def test_sampled_statements_find_the_copies_of_a_template():
    rng = np.random.default_rng(5)
    pool = [ORIGINAL, LIGHT_EDIT, OTHER_TOPIC] + ["".join(rng.choice(_WORDS, size=9)) for _ in range(40)]
    texts = [ORIGINAL] * 30 + [LIGHT_EDIT] * 20 + pool[2:] * 2
    items = pd.DataFrame({"doc_id": [f"r{i}" for i in range(len(texts))], "item": 1, "text": texts})
    exact = P.template_reuse(items, max_exact=None)
    sampled = P.template_reuse(items, max_exact=5)
    assert list(sampled.columns) == list(exact.columns) and (sampled.dtypes == exact.dtypes).all()
    # every copy of the template keeps top_k (10) partners scoring 1: other copies
    copies = sampled[(sampled["text_a"] == ORIGINAL) & (sampled["text_b"] == ORIGINAL)]
    per_item = pd.concat([copies["doc_a"], copies["doc_b"]]).value_counts()
    assert len(per_item) == 30 and (per_item >= 10).all() and (copies["score"] == 1.0).all()
    # pairs found by sampling are pairs of the exact table, with its scores
    key = ["doc_a", "item_a", "doc_b", "item_b"]
    merged = sampled.merge(exact, on=key, suffixes=("", "_exact"), how="left")
    assert merged["score_exact"].notna().all()
    np.testing.assert_array_equal(merged["score"], merged["score_exact"])


def test_reuse_rows_in_batches_equal_the_table():
    rng = np.random.default_rng(3)
    pool = [ORIGINAL, LIGHT_EDIT, INDEPENDENT_SAME_TOPIC, OTHER_TOPIC]
    texts = [pool[i] for i in rng.integers(0, len(pool), size=80)]
    items = pd.DataFrame({"doc_id": [f"r{i // 2}" for i in range(80)], "item": [i % 2 + 1 for i in range(80)],
                          "text": texts, "start": range(80), "end": range(1, 81)})
    whole = P.template_reuse(items)
    pairs = R.reuse_pairs(items)
    assert len(pairs) == len(whole) > 50
    batches = [pairs.rows(lo, lo + 17) for lo in range(0, len(pairs), 17)]
    pd.testing.assert_frame_equal(pd.concat(batches, ignore_index=True), whole)
    empty = R.reuse_pairs(items.iloc[:1])
    pd.testing.assert_frame_equal(empty.rows(0, 0), P.template_reuse(items.iloc[:1]))


def test_prefixes_in_blocks_of_rows_give_the_same_pairs(monkeypatch):
    rng = np.random.default_rng(7)
    texts = ["".join(rng.choice(_WORDS, size=8)) for _ in range(60)] + [ORIGINAL, LIGHT_EDIT, ORIGINAL[:30]] * 5
    X = _matrix(texts)
    docs = np.array([f"d{i % 23}" for i in range(len(texts))])
    whole = R._similar_pairs(X, docs, threshold=0.4, top_k=3)
    P_whole, order_whole = R._prefixes(X, 0.4)
    monkeypatch.setattr(R, "_PREFIX_BLOCK", 50)  # a few rows per block
    P_blocks, order_blocks = R._prefixes(X, 0.4)
    assert (P_whole != P_blocks).nnz == 0
    np.testing.assert_array_equal(order_whole, order_blocks)
    for a, b in zip(R._similar_pairs(X, docs, threshold=0.4, top_k=3), whole):
        np.testing.assert_array_equal(a, b)
