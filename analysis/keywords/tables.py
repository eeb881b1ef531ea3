"""Shared helpers of the keyword tables: group columns, category codes, report metadata.

Every keyword table (term frequencies, the document-term matrix, trends, keyness,
collocations) reads a tokens table whose ``doc_id`` and ``term`` columns are usually
categorical; these helpers turn them into integer codes without converting every row
to ``str``, and join report metadata (``report_year``, ``issuer_type`` …) on ``doc_id``.

Two kinds of input are accepted wherever a verb counts terms:

* a **token table** (:func:`analysis.tokenize`): one row per token, each weighs 1;
* a **term-count table** (the command line's ``terms`` table,
  :func:`analysis.pipeline.count_terms`, :func:`analysis.pipeline.read_terms`):
  ``doc_id``, ``term``, an integer ``n`` (optional ``part``), each row weighs ``n``.

A table is a count table when it has an integer column ``n`` (:func:`is_count_table`);
:func:`token_weights` gives each row's weight.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np
import pandas as pd

__all__ = [
    "as_columns",
    "category_codes",
    "doc_categories",
    "doc_positions",
    "drop_terms",
    "is_count_table",
    "join_metadata",
    "plain_text_columns",
    "positive_counts",
    "token_weights",
]


def is_count_table(table: pd.DataFrame) -> bool:
    """True when ``table`` is a term-count table: it has an integer column ``n``.

    A token table (:func:`analysis.tokenize`) has none; the ``terms`` table of the
    command line (``doc_id``, ``part``, ``term``, ``n``) has one.

    Examples
    --------
    >>> is_count_table(pd.DataFrame({"doc_id": ["a"], "term": ["执法"], "n": [3]}))
    True
    >>> is_count_table(pd.DataFrame({"doc_id": ["a"], "term": ["执法"]}))
    False
    """
    return "n" in table.columns and pd.api.types.is_integer_dtype(table["n"].dtype) and not pd.api.types.is_bool_dtype(table["n"].dtype)


def positive_counts(table: pd.DataFrame) -> pd.DataFrame:
    """A count table without its rows of ``n <= 0`` (they hold no token); a token table unchanged.

    Examples
    --------
    >>> positive_counts(pd.DataFrame({"doc_id": ["a", "b"], "term": ["执法", "普法"], "n": [2, 0]}))["doc_id"].tolist()
    ['a']
    """
    if not is_count_table(table):
        return table
    n = table["n"].to_numpy(dtype=np.int64, na_value=0)
    return table if (n > 0).all() else table[n > 0]


def plain_text_columns(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """``frame`` with its text ``columns`` (categorical, object or str) as pandas' ``string`` dtype.

    Group columns taken from a token table (categoricals) and from a count table
    (``string``) then come out alike. Other columns, and columns of numbers, are left
    as they are. Not modified in place.

    Examples
    --------
    >>> f = pd.DataFrame({"part": pd.Categorical(["plans", None]), "y": [1, 2]})
    >>> plain_text_columns(f, ["part", "y"]).dtypes.astype(str).tolist()
    ['string', 'int64']
    """
    out = frame
    for col in columns:
        values = out[col]
        dtype = values.dtype
        if isinstance(dtype, pd.CategoricalDtype):
            if not (pd.api.types.is_object_dtype(dtype.categories.dtype) or pd.api.types.is_string_dtype(dtype.categories.dtype)):
                continue
        elif not (pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)):
            continue
        if isinstance(dtype, pd.StringDtype) and dtype.na_value is pd.NA:
            continue
        if pd.api.types.is_object_dtype(dtype) and not all(isinstance(v, str) for v in values.dropna().tolist()):
            continue  # not a text column (e.g. mixed objects)
        if out is frame:
            out = frame.copy()
        out[col] = pd.array(np.asarray(values.astype(object).where(values.notna(), None), dtype=object), dtype="string")
    return out


def token_weights(table: pd.DataFrame) -> np.ndarray | None:
    """The number of tokens each row stands for: ``n`` of a count table (int64), None for tokens (1 each).

    Examples
    --------
    >>> token_weights(pd.DataFrame({"term": ["执法"], "n": [3]})).tolist(), token_weights(pd.DataFrame({"term": ["执法"]}))
    ([3], None)
    """
    if not is_count_table(table):
        return None
    return table["n"].to_numpy(dtype=np.int64, na_value=0)


def as_columns(by: str | Sequence[str] | None) -> list[str]:
    """A ``by=`` option as a list of column names (None: no column).

    Examples
    --------
    >>> as_columns("report_year"), as_columns(None), as_columns(("doc_id", "part"))
    (['report_year'], [], ['doc_id', 'part'])
    """
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return list(by)


def category_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes and their (string) uniques, without converting every row to str.

    Categorical columns (as :func:`analysis.tokenize` returns) use their codes; others
    are factorized. Uniques are sorted for object columns, kept in category order otherwise.

    Examples
    --------
    >>> codes, uniques = category_codes(pd.Series(["普法", "执法", "普法"]))
    >>> codes.tolist(), uniques.tolist()
    ([1, 0, 1], ['执法', '普法'])
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        uniques = np.asarray([str(c) for c in values.cat.categories], dtype=object)
        return codes.astype(np.int64), uniques
    codes, uniques = pd.factorize(values.astype(object), sort=True)
    return codes.astype(np.int64), np.asarray([str(u) for u in uniques], dtype=object)


def doc_positions(tokens_doc: pd.Series, doc_ids: Sequence[str]) -> np.ndarray:
    """Position of each token's document in ``doc_ids`` (-1 when absent).

    Examples
    --------
    >>> doc_positions(pd.Series(["b", "a", "x"]), ["a", "b"]).tolist()
    [1, 0, -1]
    """
    codes, uniques = category_codes(tokens_doc)
    where = pd.Index(np.asarray(doc_ids, dtype=object)).get_indexer(uniques)
    out = np.where(codes >= 0, where[np.maximum(codes, 0)] if len(where) else -1, -1)
    return out.astype(np.int64)


def join_metadata(tokens: pd.DataFrame, by: list[str], corpus: pd.DataFrame | None) -> pd.DataFrame:
    """``tokens`` (doc_id, term + by columns), with ``by`` columns joined from ``corpus``.

    Columns of ``by`` already in ``tokens`` are taken from there; the others are looked
    up in ``corpus`` by ``doc_id`` (NA for a document ``corpus`` lacks). A count table
    keeps its ``n`` column (last). Raises ``KeyError`` naming the columns found in
    neither.
    """
    need = [c for c in by if c not in tokens.columns]
    weight = ["n"] if is_count_table(tokens) and "n" not in by else []
    frame = tokens[["doc_id", "term"] + [c for c in by if c in tokens.columns and c not in ("doc_id", "term")] + weight]
    if need:
        if corpus is None:
            raise KeyError(f"columns {need} are not in tokens: pass corpus= to join them on doc_id")
        missing = [c for c in need if c not in corpus.columns]
        if missing:
            raise KeyError(f"columns {missing} are neither in tokens nor in corpus")
        meta = corpus[["doc_id"] + need].drop_duplicates("doc_id")
        codes = doc_positions(tokens["doc_id"], [str(d) for d in meta["doc_id"]])
        frame = frame.copy()
        for col in need:
            values = meta[col].reset_index(drop=True)
            frame[col] = values.reindex(codes).to_numpy() if len(values) else pd.NA
            if (codes < 0).any():
                frame.loc[codes < 0, col] = pd.NA
    return frame


def doc_categories(tokens: pd.DataFrame) -> np.ndarray:
    """The documents of ``tokens``: its ``doc_id`` categories, else first-seen order."""
    doc = tokens["doc_id"]
    if isinstance(doc.dtype, pd.CategoricalDtype):
        return np.asarray(doc.cat.categories.astype(str), dtype=object)
    return np.asarray(pd.unique(doc.astype(str).to_numpy()), dtype=object)


def drop_terms(tokens: pd.DataFrame, words: Collection[str]) -> pd.DataFrame:
    """``tokens`` without the rows whose ``term`` is one of ``words`` (the same table if none is).

    Categories of a categorical ``term`` column are kept (unused ones too), so codes do
    not move. Not modified in place.

    Examples
    --------
    >>> toks = pd.DataFrame({"doc_id": ["a", "a", "b"], "term": ["海珠区", "执法", "普法"]})
    >>> drop_terms(toks, {"海珠区"})["term"].tolist()
    ['执法', '普法']
    """
    codes, vocabulary = category_codes(tokens["term"])
    unwanted = np.fromiter((v in words for v in vocabulary), dtype=bool, count=len(vocabulary))
    if not unwanted.any():
        return tokens
    hit = np.zeros(len(codes), dtype=bool)
    known = codes >= 0
    hit[known] = unwanted[codes[known]]
    return tokens[~hit]
