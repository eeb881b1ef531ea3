"""read_terms: the terms dataset in little memory, and the keyword verbs on it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from pandas.testing import assert_frame_equal

from analysis import keywords as kw
from analysis.pipeline import count_terms, read_table
from analysis.pipeline.dataset import read_terms, write_partition

TOKENS = pd.DataFrame(
    {
        "doc_id": ["a", "a", "a", "a", "b", "b", "c"],
        "part": ["preamble", "measures", "measures", "plans", "measures", "plans", "plans"],
        "term": ["执法", "执法", "普法", "执法", "调解", "执法", "普法"],
    }
)


def _write(folder: Path) -> None:
    counts = count_terms(TOKENS)
    write_partition(counts[counts["doc_id"] != "c"], folder, "terms", 0)
    write_partition(counts[counts["doc_id"] == "c"], folder, "terms", 1)


def test_read_terms_sums_parts_into_categoricals(tmp_path: Path) -> None:
    """Partitions of (doc, part, term) counts -> one row per doc and term, categorical text, int64 n."""
    _write(tmp_path)
    terms = read_terms(tmp_path)
    assert [str(t) for t in terms.dtypes] == ["category", "category", "int64"]
    assert list(terms["doc_id"].cat.categories) == ["a", "b", "c"]
    assert str(terms["doc_id"].cat.categories.dtype) == "string"
    assert terms.astype({"doc_id": str, "term": str}).values.tolist() == [
        ["a", "执法", 3], ["a", "普法", 1], ["b", "调解", 1], ["b", "执法", 1], ["c", "普法", 1],
    ]


def test_read_terms_with_parts_is_the_table(tmp_path: Path) -> None:
    """parts=True keeps every row of the table; filters apply before summing."""
    _write(tmp_path)
    with_parts = read_terms(tmp_path, parts=True)
    assert_frame_equal(with_parts.astype({"doc_id": "string", "part": "string", "term": "string"}), read_table(tmp_path, "terms"))
    plans = read_terms(tmp_path, filters=[("part", "==", "plans")])
    assert plans.astype({"doc_id": str, "term": str}).values.tolist() == [["a", "执法", 1], ["b", "执法", 1], ["c", "普法", 1]]


def test_keyword_verbs_on_read_terms_equal_tokens(tmp_path: Path) -> None:
    """The verbs give on read_terms(...) what they give on the tokens the table counts."""
    _write(tmp_path)
    terms = read_terms(tmp_path)
    tokens = TOKENS.assign(doc_id=pd.Categorical(TOKENS["doc_id"]), term=pd.Categorical(TOKENS["term"]))
    meta = pd.DataFrame({"doc_id": ["a", "b", "c"], "report_year": [2022, 2023, 2023]})
    assert_frame_equal(kw.term_frequencies(terms), kw.term_frequencies(tokens))
    assert_frame_equal(kw.term_frequencies(terms, by="doc_id"), kw.term_frequencies(tokens, by="doc_id"))
    assert_frame_equal(kw.tfidf_top_terms(terms), kw.tfidf_top_terms(tokens))
    assert_frame_equal(kw.keyness(terms, ["a"]), kw.keyness(tokens, ["a"]))
    assert_frame_equal(
        kw.keyword_trends(terms, ["执法", "普法"], corpus=meta, n_boot=100),
        kw.keyword_trends(tokens, ["执法", "普法"], corpus=meta, n_boot=100),
    )


def test_read_terms_of_an_empty_table(tmp_path: Path) -> None:
    write_partition(count_terms(TOKENS.iloc[:0]), tmp_path, "terms", 0)
    terms = read_terms(tmp_path)
    assert terms.empty and list(terms.columns) == ["doc_id", "term", "n"]
