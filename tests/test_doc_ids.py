"""One dtype for doc_id in every table, in memory and read back from a streamed run."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import analysis as a
from analysis.config import SEEDS_DIR
from analysis.ids import DOC_ID_COLUMNS, as_doc_ids, with_doc_id_dtype


def _doc_id_dtypes(frame: pd.DataFrame) -> dict[str, str]:
    found = {c: str(frame[c].dtype) for c in DOC_ID_COLUMNS if c in frame.columns}
    if frame.index.name == "doc_id":
        found["<index>"] = str(frame.index.dtype)
    return found


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    """Every public verb's table on the seeds."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c = a.load_corpus(SEEDS_DIR)
        s = a.parse_sections(c)
        p = a.extract_problems(s)
        coded = a.code_problems(p)
        tokens = a.tokenize(c)
        ind, audit = a.extract_indicators_and_audit(c, s)
        out = {
            "load_corpus": c,
            "publication_timeliness": a.publication_timeliness(c),
            "parse_sections": s,
            "extract_problems": p,
            "extract_cases": a.extract_cases(c),
            "part_shares": a.part_shares(s),
            "plan_items": a.plan_items(s),
            "compliance": a.compliance(c, s),
            "extract_indicators": a.extract_indicators(c, s),
            "audit_numbers": a.audit_numbers(c, s),
            "extract_indicators_and_audit[0]": ind,
            "extract_indicators_and_audit[1]": audit,
            "tfidf_top_terms": a.tfidf_top_terms(tokens),
            "kwic": a.kwic(c, "法治"),
            "code_problems": coded,
            "themes_long": a.themes_long(coded),
            "template_reuse": a.template_reuse(p),
            "follow_through": a.follow_through(p, s),
        }
        for name, table in a.run_pipeline(SEEDS_DIR).items():
            if isinstance(table, pd.DataFrame):
                out[f"run_pipeline[{name}]"] = table
    return out


def test_every_public_table_has_string_doc_ids(tables: dict[str, pd.DataFrame]) -> None:
    found = {name: _doc_id_dtypes(t) for name, t in tables.items()}
    assert all(found.values()), {k: v for k, v in found.items() if not v}  # each has an id column
    wrong = {name: d for name, d in found.items() if set(d.values()) != {"string"}}
    assert not wrong


def test_reuse_table_has_the_pair_columns(tables: dict[str, pd.DataFrame]) -> None:
    # the reuse table is a check of the pair columns' dtype only if it has them
    assert {"doc_a", "doc_b"} <= set(tables["template_reuse"].columns)


def test_tokens_keep_codes_with_string_categories(tables: dict[str, pd.DataFrame]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tokens = a.tokenize(tables["load_corpus"])
    assert isinstance(tokens["doc_id"].dtype, pd.CategoricalDtype)
    assert str(tokens["doc_id"].cat.categories.dtype) == "string"


def test_streamed_tables_read_back_with_string_doc_ids(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a.stream_pipeline(SEEDS_DIR, out, chunk_size=2)
        got = a.read_tables(out)
    assert got
    for name, table in got.items():
        assert set(_doc_id_dtypes(table).values()) == {"string"}, name


@pytest.mark.parametrize(
    "values",
    [
        pd.Series(["a", None], dtype=object),
        pd.Series(["a", "b"], dtype="string"),
        pd.Series(["a", "b"]).astype(str),
        pd.Series(["b", "a", "b"], dtype="category"),
        pd.Series([], dtype=object),
    ],
)
def test_as_doc_ids_gives_string_and_keeps_values(values: pd.Series) -> None:
    got = as_doc_ids(values)
    if isinstance(values.dtype, pd.CategoricalDtype):
        assert str(got.cat.categories.dtype) == "string"
        np.testing.assert_array_equal(got.cat.codes, values.cat.codes)
    else:
        assert str(got.dtype) == "string"
    assert got.astype(object).where(got.notna(), None).tolist() == values.astype(object).where(values.notna(), None).tolist()


def test_with_doc_id_dtype_leaves_other_columns_and_copies_only_on_change() -> None:
    frame = pd.DataFrame({"doc_id": pd.Series(["x"], dtype=object), "n": [1]})
    got = with_doc_id_dtype(frame)
    assert str(got["doc_id"].dtype) == "string" and str(frame["doc_id"].dtype) == "object"
    assert got["n"].dtype == np.int64
    assert with_doc_id_dtype(got) is got
    indexed = pd.DataFrame({"n": [1]}, index=pd.Index(["x"], name="doc_id", dtype=object))
    assert str(with_doc_id_dtype(indexed).index.dtype) == "string"
    pair = with_doc_id_dtype((frame, {"t": frame}, 3))
    assert str(pair[0]["doc_id"].dtype) == "string" and str(pair[1]["t"]["doc_id"].dtype) == "string" and pair[2] == 3
