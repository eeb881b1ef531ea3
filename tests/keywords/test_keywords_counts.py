"""The keyword verbs take a term-count table (the command line's ``terms``) as they take tokens.

A count table (``doc_id``, ``term``, integer ``n``, optional ``part``) stands for its
tokens: every verb must give exactly the table the tokens give (assert_frame_equal),
bootstrap intervals of keyword trends included.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from analysis import keywords as kw
from analysis.keywords.tables import is_count_table, token_weights
from analysis.pipeline import count_terms

# a small vocabulary with words several concepts and watch-list entries match
VOCAB = ["法治", "法治政府", "法治建设", "依法治区", "执法", "行政执法", "普法", "调解", "数字化", "智慧城管", "海珠区", "制度"]
CONCEPTS = {"法治": ["法治*", "*依法治*"], "执法": "*执法*", "数字": ["数字化*", "智慧*"], "无": "不存在*"}
WATCH = {"执法": ["执法"], "数字/智慧": ["数字化", "智慧"], "法治": ["法治"]}


def _tokens(rows: list[tuple[int, int, int]], *, categorical: bool) -> pd.DataFrame:
    """A token table from (doc, part, term) index triples; doc_id categories sorted, as tokenize's on load_corpus."""
    docs = [f"d{d}" for d, _, _ in rows]
    parts = [["preamble", "measures", "plans"][p] for _, p, _ in rows]
    terms = [VOCAB[t] for _, _, t in rows]
    frame = pd.DataFrame({"doc_id": docs, "part": parts, "position": np.arange(len(rows), dtype=np.int32), "term": terms})
    if categorical:
        frame["doc_id"] = pd.Categorical(docs, categories=sorted(set(docs)))
        frame["part"] = pd.Categorical(parts, categories=["preamble", "measures", "plans"])
        frame["term"] = pd.Categorical(terms, categories=sorted(set(terms)))
    return frame.sort_values("doc_id", kind="stable").reset_index(drop=True)


def _meta(tokens: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    docs = sorted({str(d) for d in tokens["doc_id"]})
    return pd.DataFrame({"doc_id": docs, "report_year": [years[i % len(years)] for i in range(len(docs))]})


token_rows = st.lists(
    st.tuples(st.integers(0, 5), st.integers(0, 2), st.integers(0, len(VOCAB) - 1)), min_size=1, max_size=80
)


def _pair(rows: list[tuple[int, int, int]], categorical: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    tokens = _tokens(rows, categorical=categorical)
    return tokens, count_terms(tokens)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=token_rows, categorical=st.booleans(), drop_places=st.booleans())
def test_term_frequencies_equal_on_counts(rows, categorical, drop_places) -> None:
    """Any tokens -> term frequencies of their counts equal theirs, overall, by doc, part, year, concepts."""
    tokens, counts = _pair(rows, categorical)
    meta = _meta(tokens, [2021, 2022, 2023])
    for options in (
        {},
        {"by": "doc_id"},
        {"by": "part"},
        {"by": ["doc_id", "part"]},
        {"by": "report_year", "corpus": meta},
        {"by": "report_year", "corpus": meta, "concepts": CONCEPTS},
        {"concepts": CONCEPTS},
    ):
        expected = kw.term_frequencies(tokens, drop_places=drop_places, **options)
        assert_frame_equal(kw.term_frequencies(counts, drop_places=drop_places, **options), expected)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=token_rows, categorical=st.booleans(), years=st.lists(st.sampled_from([2020, 2021, 2023]), min_size=1, max_size=3))
def test_keyword_trends_equal_on_counts(rows, categorical, years) -> None:
    """Any tokens -> keyword trends of their counts equal theirs, bootstrap intervals included."""
    tokens, counts = _pair(rows, categorical)
    meta = _meta(tokens, years)
    for terms, match in ((WATCH, "exact"), (WATCH, "contains"), (CONCEPTS, "glob")):
        expected = kw.keyword_trends(tokens, terms, corpus=meta, match=match, n_boot=200, seed=3)
        got = kw.keyword_trends(counts, terms, corpus=meta, match=match, n_boot=200, seed=3)
        assert_frame_equal(got, expected)
        assert got.attrs == expected.attrs


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=token_rows, categorical=st.booleans(), sublinear=st.booleans())
def test_tfidf_and_concepts_equal_on_counts(rows, categorical, sublinear) -> None:
    """Any tokens -> TF-IDF top terms, concept matches and the document-term matrix of their counts equal theirs."""
    tokens, counts = _pair(rows, categorical)
    meta = _meta(tokens, [2020, 2023])
    assert_frame_equal(kw.tfidf_top_terms(counts, n=4, sublinear_tf=sublinear), kw.tfidf_top_terms(tokens, n=4, sublinear_tf=sublinear))
    assert_frame_equal(
        kw.tfidf_top_terms(counts, by="report_year", corpus=meta), kw.tfidf_top_terms(tokens, by="report_year", corpus=meta)
    )
    assert_frame_equal(kw.concept_matches(counts, CONCEPTS), kw.concept_matches(tokens, CONCEPTS))
    m_tok, v_tok, d_tok = kw.document_term_matrix(tokens, min_count=2)
    m_cnt, v_cnt, d_cnt = kw.document_term_matrix(counts, min_count=2)
    assert v_cnt.tolist() == v_tok.tolist() and d_cnt.tolist() == d_tok.tolist()
    assert (m_cnt != m_tok).nnz == 0 and m_cnt.dtype == m_tok.dtype


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=token_rows, categorical=st.booleans(), data=st.data())
def test_keyness_equal_on_counts(rows, categorical, data) -> None:
    """Any tokens and target -> keyness of their counts equals theirs (terms and concepts, every measure)."""
    tokens, counts = _pair(rows, categorical)
    docs = sorted({str(d) for d in tokens["doc_id"]})
    if len(docs) < 2:
        return
    target = data.draw(st.lists(st.sampled_from(docs), min_size=1, max_size=len(docs) - 1, unique=True))
    measure = data.draw(st.sampled_from(["lr", "chi2", "pmi"]))
    for concepts in (None, CONCEPTS):
        try:
            expected = kw.keyness(tokens, target, measure=measure, concepts=concepts)
        except ValueError as exc:  # e.g. no concept found on one side
            with pytest.raises(ValueError, match=str(exc)[:30]):
                kw.keyness(counts, target, measure=measure, concepts=concepts)
            continue
        got = kw.keyness(counts, target, measure=measure, concepts=concepts)
        assert_frame_equal(got, expected)
        assert got.attrs == expected.attrs


# ------------------------------------------------------------------------------ unit tests


def test_count_table_is_recognised_by_integer_n(tiny_tokens) -> None:
    """Tokens have no n; a count table has an integer n; a float or text n is not a count table."""
    counts = count_terms(tiny_tokens)
    assert not is_count_table(tiny_tokens) and is_count_table(counts)
    assert token_weights(tiny_tokens) is None and token_weights(counts).tolist() == [2, 1, 1, 1, 1]
    assert not is_count_table(counts.assign(n=counts["n"].astype(float)))
    assert not is_count_table(counts.assign(n=counts["n"].astype(str)))
    assert is_count_table(counts.assign(n=counts["n"].astype("Int32")))


def test_counts_weigh_n(tiny_tokens, tiny_meta) -> None:
    """Hand-made counts: 执法 3 in a, 1 in b -> n 4, docfreq 2, rate over 7 tokens."""
    counts = pd.DataFrame({"doc_id": ["a", "a", "b"], "term": ["执法", "普法", "执法"], "n": [3, 4, 1]})
    tf = kw.term_frequencies(counts)
    assert tf[["term", "n", "docfreq", "n_docs", "n_tokens"]].values.tolist() == [["执法", 4, 2, 2, 8], ["普法", 4, 1, 2, 8]]
    assert tf["rate_per_10k"].tolist() == [5000.0, 5000.0]
    trends = kw.keyword_trends(counts, ["执法"], corpus=tiny_meta, ci=None)
    assert trends[["report_year", "n", "n_tokens", "n_reports"]].values.tolist() == [[2020, 3, 7, 1], [2023, 1, 1, 1]]


def test_rows_with_zero_count_hold_no_token() -> None:
    """A row with n = 0 (e.g. a filtered table) counts neither as a token nor for docfreq or n_docs."""
    counts = pd.DataFrame({"doc_id": ["a", "b", "b"], "term": ["执法", "执法", "普法"], "n": [2, 0, 1]})
    tf = kw.term_frequencies(counts)
    assert tf[["term", "n", "docfreq", "n_docs"]].values.tolist() == [["执法", 2, 1, 2], ["普法", 1, 1, 2]]
    alone = kw.term_frequencies(counts[counts["term"] == "执法"])
    assert alone[["term", "n", "docfreq", "n_docs"]].values.tolist() == [["执法", 2, 1, 1]]


def test_doc_id_keys_come_out_as_string(tiny_tokens) -> None:
    """Group columns of the tokens are plain text (string) whatever the input: categorical, object, string."""
    categorical = tiny_tokens.assign(doc_id=pd.Categorical(tiny_tokens["doc_id"]))
    for table in (tiny_tokens, categorical, count_terms(tiny_tokens)):
        assert str(kw.term_frequencies(table, by="doc_id")["doc_id"].dtype) == "string"


def test_collocations_refuse_counts(tiny_tokens) -> None:
    """Collocations need the order of the tokens: a count table is refused with a message saying so."""
    with pytest.raises(KeyError, match="order"):
        kw.collocations(count_terms(tiny_tokens))


def test_trend_units_do_not_depend_on_category_order(tiny_tokens, tiny_meta) -> None:
    """Bootstrap intervals are the same whatever the order of doc_id's categories."""
    meta = tiny_meta.assign(report_year=2023)
    forward = tiny_tokens.assign(doc_id=pd.Categorical(tiny_tokens["doc_id"], categories=["a", "b", "c"]))
    backward = tiny_tokens.assign(doc_id=pd.Categorical(tiny_tokens["doc_id"], categories=["c", "b", "a"]))
    assert_frame_equal(
        kw.keyword_trends(backward, ["执法"], corpus=meta, n_boot=300), kw.keyword_trends(forward, ["执法"], corpus=meta, n_boot=300)
    )
