"""Tests for analysis.keywords.terms: tokenize, term rule, frequencies, matrix, TF-IDF."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import sparse

from analysis import keywords as kw


def _corpus(*texts: str) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": list(texts)})


@pytest.mark.parametrize(
    ("text", "dropped", "kept"),
    [
        ("2023年,全年开展普法宣传120余次", ["2023", "120", "余次", "年"], ["普法宣传"]),
        ("化解成功率99.7%，挽回损失1012.36万元", ["99.7", "%", "1012.36", "万元"], ["化解成功率"]),
        ("第三，组织１２３场讲座", ["第三", "１２３", "，"], ["组织", "讲座"]),
        ("二十场次活动、三个清楚", ["二十"], ["活动", "清楚"]),
        ("学习党的二十大和十九届四中全会精神", [], ["二十大", "十九届四中全会"]),
        ("涉及金额7965万元、3亿元", ["7965", "万元", "亿元"], ["涉及", "金额"]),
        ("办结率100%(12345热线)", ["100%", "("], ["办结率", "12345热线"]),
    ],
)
def test_numbers_punctuation_single_characters_are_not_terms(text, dropped, kept):
    terms = kw.tokenize(_corpus(text))["term"].astype(str).tolist()
    assert not set(dropped) & set(terms)
    assert set(kept) <= set(terms)
    assert all(len(t) >= 2 for t in terms)


def test_drop_numbers_false_keeps_numbers():
    # (decimals fall apart in segmentation: 210.61 -> 210 . 61; read quantities with
    # analysis.extract_indicators, not with tokens)
    terms = kw.tokenize(_corpus("全年立案80宗,罚款2106元"), drop_numbers=False)["term"].astype(str).tolist()
    assert "80" in terms and "2106" in terms


@pytest.mark.parametrize(
    ("options", "absent", "present"),
    [
        ({}, ["的", "以及", "一是"], ["加强", "推进", "进一步", "工作"]),
        ({"boilerplate": True}, ["的", "以及", "加强", "推进", "进一步", "工作", "全面", "深入", "落实"], ["执法", "普法"]),
        ({"stopwords": False}, [], ["以及", "进一步"]),
        ({"stopwords": ["执法"]}, ["执法"], ["以及"]),
    ],
)
def test_stopwords_removed(options, absent, present):
    text = "一是进一步加强执法工作以及普法工作,全面深入推进落实"
    terms = set(kw.tokenize(_corpus(text), **options)["term"].astype(str))
    assert not set(absent) & terms
    assert set(present) <= terms


def test_tokens_table_columns_dtypes_and_offsets(seed_corpus):
    tokens = kw.tokenize(seed_corpus)
    assert list(tokens.columns) == ["doc_id", "part", "position", "term", "pos", "start", "end"]
    for col in ["doc_id", "part", "term", "pos"]:
        assert isinstance(tokens[col].dtype, pd.CategoricalDtype), col
    for col in ["position", "start", "end"]:
        assert tokens[col].dtype == np.int32, col
    assert tokens["part"].isna().all()  # the corpus has no part
    texts = dict(zip(seed_corpus["doc_id"], seed_corpus["text"]))
    assert all(texts[d][s:e] == t for d, s, e, t in zip(tokens["doc_id"], tokens["start"], tokens["end"], tokens["term"]))
    assert list(tokens["doc_id"].cat.categories) == seed_corpus["doc_id"].tolist()
    # document order, positions increasing within each document
    assert (tokens.groupby("doc_id", observed=True)["position"].apply(lambda p: p.is_monotonic_increasing)).all()


def test_tokenizing_together_equals_tokenizing_one_by_one(seed_corpus):
    together = kw.tokenize(seed_corpus)
    cols = ["doc_id", "position", "term", "pos", "start", "end"]
    alone = pd.concat([kw.tokenize(seed_corpus.iloc[[i]]) for i in range(len(seed_corpus))])
    a = together[cols].astype({"doc_id": str, "term": str, "pos": str}).reset_index(drop=True)
    b = alone[cols].astype({"doc_id": str, "term": str, "pos": str}).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)


def test_input_not_mutated(seed_corpus):
    before = seed_corpus.copy()
    kw.tokenize(seed_corpus, boilerplate=True)
    pd.testing.assert_frame_equal(seed_corpus, before)


def test_sections_give_the_corpus_tokens_with_parts():
    text = "2023年,我街深入学习习近平法治思想。\n一、主要举措\n(一)加强行政执法。\n二、存在的不足\n执法人员不足。"
    first = text.index("一、")
    sub = text.index("(一)")
    second = text.index("二、")
    sections = pd.DataFrame(
        {
            "doc_id": ["r"] * 4,
            "part": ["preamble", "measures", "measures", "shortcomings"],
            "level": [1, 1, 2, 1],
            "text": [text[:first], text[first:second], text[sub:second], text[second:]],
            "start": [0, first, sub, second],
            "end": [first, second, second, len(text)],
        }
    )
    by_section = kw.tokenize(sections)
    whole = kw.tokenize(pd.DataFrame({"doc_id": ["r"], "text": [text]}))
    cols = ["position", "term", "start", "end"]
    pd.testing.assert_frame_equal(by_section[cols].astype({"term": str}), whole[cols].astype({"term": str}))
    assert all(text[s:e] == t for s, e, t in zip(by_section["start"], by_section["end"], by_section["term"]))
    parts = dict(zip(by_section["term"].astype(str), by_section["part"].astype(str)))
    assert parts["习近平法治思想"] == "preamble"
    assert parts["行政执法"] == "measures"
    assert parts["执法人员"] == "shortcomings"


def test_empty_and_missing_texts():
    corpus = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": ["", None, "执法 ,。"]})
    tokens = kw.tokenize(corpus)
    assert tokens["term"].astype(str).tolist() == ["执法"]
    assert list(tokens["doc_id"].cat.categories) == ["a", "b", "c"]
    assert len(kw.tokenize(corpus.iloc[:0])) == 0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(alphabet=st.sampled_from(list("法治政府建设执法普法的一是，,。\n 　１2%（）(习近平思想双随机、一公开A")), max_size=60), min_size=1, max_size=4))
def test_arbitrary_text_never_crashes_and_offsets_hold(texts):
    corpus = _corpus(*texts)
    tokens = kw.tokenize(corpus)
    lookup = dict(zip(corpus["doc_id"], corpus["text"]))
    for d, s, e, t in zip(tokens["doc_id"], tokens["start"], tokens["end"], tokens["term"]):
        assert lookup[d][s:e] == t
    for text in texts:
        assert "".join(kw.get_segmenter().cut(text)) == text


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=80))
def test_any_unicode_never_crashes(text):
    kw.tokenize(_corpus(text))
    kw.kwic(_corpus(text), "法治")


# ----------------------------------------------------------------------------------------
# term tables
# ----------------------------------------------------------------------------------------


def test_term_frequencies_overall(tiny_tokens):
    tf = kw.term_frequencies(tiny_tokens)
    assert tf["term"].tolist() == ["执法", "普法", "调解"]
    assert tf["n"].tolist() == [3, 2, 1]
    assert tf["docfreq"].tolist() == [2, 2, 1]
    assert tf["rate_per_10k"].tolist() == pytest.approx([5000.0, 3333.333333, 1666.666667])
    assert (tf["n_tokens"] == 6).all() and (tf["n_docs"] == 3).all()


def test_term_frequencies_by_metadata(tiny_tokens, tiny_meta):
    tf = kw.term_frequencies(tiny_tokens, by="report_year", corpus=tiny_meta)
    got = {(y, t): (n, r, df) for y, t, n, r, df in zip(tf["report_year"], tf["term"], tf["n"], tf["rate_per_10k"], tf["docfreq"])}
    assert got[(2020, "执法")] == (2, pytest.approx(2 / 3 * 10_000), 1)
    assert got[(2023, "普法")] == (1, pytest.approx(1 / 3 * 10_000), 1)
    assert tf["report_year"].tolist() == sorted(tf["report_year"].tolist())
    with pytest.raises(KeyError, match="corpus"):
        kw.term_frequencies(tiny_tokens, by="report_year")


def test_document_term_matrix_is_sparse_and_counts(tiny_tokens):
    tokens = tiny_tokens.assign(doc_id=pd.Categorical(tiny_tokens["doc_id"], categories=["a", "b", "c", "empty"]))
    m, vocab, docs = kw.document_term_matrix(tokens)
    assert sparse.issparse(m) and m.format == "csr"
    assert docs.tolist() == ["a", "b", "c", "empty"]
    assert vocab.tolist() == sorted(vocab.tolist())
    dense = pd.DataFrame(m.toarray(), index=docs, columns=vocab)
    assert dense.loc["a", "执法"] == 2 and dense.loc["b", "调解"] == 1 and dense.loc["empty"].sum() == 0
    assert m.sum() == len(tiny_tokens)
    m2, vocab2, _ = kw.document_term_matrix(tiny_tokens, min_count=2)
    assert vocab2.tolist() == ["执法", "普法"]


def test_tfidf_top_terms_per_document(tiny_tokens, tiny_meta):
    top = kw.tfidf_top_terms(tiny_tokens, n=1)
    assert top["doc_id"].tolist() == ["a", "b", "c"]
    assert top["term"].tolist() == ["执法", "调解", "普法"]
    assert (top["rank"] == 1).all()
    by_year = kw.tfidf_top_terms(tiny_tokens, by="report_year", corpus=tiny_meta, n=2)
    assert set(by_year["report_year"]) == {2020, 2023}

