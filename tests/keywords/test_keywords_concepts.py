"""Tests for analysis.keywords.concepts: glob patterns, concept lookup, checks."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import keywords as kw


@pytest.mark.parametrize(
    ("patterns", "token", "matches"),
    [
        (["法治*"], "法治", True),
        (["法治*"], "法治政府建设", True),
        (["法治*"], "全面依法治国", False),
        (["*依法治*"], "全面依法治国", True),
        (["数字?府"], "数字政府", True),
        (["数字?府"], "数字化政府", False),
        (["a.b"], "axb", False),  # regex characters are literal
        (["(法治)"], "(法治)", True),
        (["互联网+*"], "互联网+政务服务", True),
    ],
)
def test_glob_pattern(patterns, token, matches):
    assert (kw.glob_pattern(patterns).fullmatch(token) is not None) is matches


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=8), st.text(max_size=8))
def test_a_pattern_without_wildcards_matches_only_itself(word, other):
    word = word.replace("*", "").replace("?", "") or "x"
    pattern = kw.glob_pattern([word])
    assert pattern.fullmatch(word)
    assert (pattern.fullmatch(other) is not None) == (other == word)


def test_tokens_lookup_counts_a_token_once_per_concept():
    tokens = pd.DataFrame({"doc_id": ["a", "a", "b"], "position": [0, 1, 0], "term": ["数字政府", "法治政府", "执法"]})
    concepts = {"政府": ["*政府", "数字*"], "数字": "数字*", "法": "*法*"}
    looked = kw.tokens_lookup(tokens, concepts)
    assert looked[["doc_id", "position", "term"]].astype(str).values.tolist() == [
        ["a", "0", "政府"], ["a", "0", "数字"], ["a", "1", "政府"], ["a", "1", "法"], ["b", "0", "法"],
    ]
    assert list(looked["term"].cat.categories) == ["政府", "数字", "法"]
    pd.testing.assert_frame_equal(tokens, pd.DataFrame({"doc_id": ["a", "a", "b"], "position": [0, 1, 0], "term": ["数字政府", "法治政府", "执法"]}))


@pytest.mark.parametrize("concepts", [{}, ["法治*"], {"法治": []}, {"法治": [""]}])
def test_bad_dictionaries_are_refused(concepts):
    with pytest.raises((TypeError, ValueError)):
        kw.concept_dictionary(concepts)


def test_concepts_on_the_seeds(seed_corpus):
    tokens = kw.tokenize(seed_corpus)
    concepts = {"法治": ["法治*", "*依法治*"], "数字政府": ["数字政府", "智慧*", "一网通办"]}
    tf = kw.term_frequencies(tokens, concepts=concepts)
    matches = kw.concept_matches(tokens, concepts)
    for label in concepts:
        assert tf.set_index("term").loc[label, "n"] == matches.loc[matches["concept"] == label, "n"].sum()
    assert tf.set_index("term").loc["法治", "n"] > 3 * (tokens["term"] == "法治").sum()
