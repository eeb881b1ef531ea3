"""Tests for analysis.keywords.placenames and drop_places=: a corpus's own place names leave
its term tables and word clouds, ordinary words that are also county names stay."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import keywords as kw

SEED_PLACES = ["海珠区", "海珠", "白云", "海安", "龙华区", "深圳市", "广州市", "广东"]


@pytest.mark.parametrize("word", SEED_PLACES + ["琶洲街", "江苏省", "内蒙古", "南通"])
def test_gazetteer_names_short_forms_and_county_stems_are_places(word):
    assert word in kw.place_terms()


@pytest.mark.parametrize(
    "word",
    # 资源县, 公安县, 比如县, 平安区, 东方市 exist, but jieba lists these stems as common words;
    # policy terms of the dictionaries never count as places
    ["资源", "公安", "比如", "平安", "东方", "农场", "郊区", "工业园区", "执法", "街道", "社区", "雄安新区", "粤港澳大湾区", "中国"],
)
def test_common_words_and_dictionary_terms_are_not_places(word):
    assert word not in kw.place_terms()


def test_seed_term_tables_drop_the_places_by_default(seed_corpus):
    tokens = kw.tokenize(seed_corpus, boilerplate=True)
    kept = set(kw.term_frequencies(tokens)["term"])
    everything = set(kw.term_frequencies(tokens, drop_places=False)["term"])
    dropped = everything - kept
    assert {"海珠区", "白云", "海安", "龙华区", "深圳市"} <= dropped
    assert dropped <= kw.place_terms()
    assert {"执法", "普法", "法治政府建设"} <= kept
    tfidf = kw.tfidf_top_terms(tokens, n=10)
    assert not set(tfidf["term"]) & kw.place_terms()
    assert set(kw.tfidf_top_terms(tokens, n=10, drop_places=False)["term"]) & kw.place_terms()


def test_rates_are_per_token_without_places(seed_corpus):
    tokens = kw.tokenize(seed_corpus)
    tf = kw.term_frequencies(tokens)
    n_places = int(tokens["term"].astype(str).isin(kw.place_terms()).sum())
    assert n_places > 0
    assert (tf["n_tokens"] == len(tokens) - n_places).all()
    same = kw.term_frequencies(kw.tokenize(seed_corpus, drop_places=True), drop_places=False)
    pd.testing.assert_frame_equal(tf, same)


def test_tokenize_keeps_places_unless_asked(seed_corpus):
    tokens = kw.tokenize(seed_corpus)
    assert set(tokens["term"].astype(str)) & set(SEED_PLACES)
    without = kw.tokenize(seed_corpus, drop_places=True)
    assert not set(without["term"].astype(str)) & kw.place_terms()
    # positions still count the dropped words, as for stopwords
    assert set(zip(without["doc_id"], without["position"])) <= set(zip(tokens["doc_id"], tokens["position"]))
