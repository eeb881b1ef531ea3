"""Shared helpers of the keyword tables: group columns, category codes, report metadata.

Every keyword table (term frequencies, the document-term matrix, trends, keyness,
collocations) reads a tokens table whose ``doc_id`` and ``term`` columns are usually
categorical; these helpers turn them into integer codes without converting every row
to ``str``, and join report metadata (``report_year``, ``issuer_type`` …) on ``doc_id``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np
import pandas as pd

__all__ = ["as_columns", "category_codes", "doc_categories", "doc_positions", "drop_terms", "join_metadata"]


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
    up in ``corpus`` by ``doc_id`` (NA for a document ``corpus`` lacks). Raises
    ``KeyError`` naming the columns found in neither.
    """
    need = [c for c in by if c not in tokens.columns]
    frame = tokens[["doc_id", "term"] + [c for c in by if c in tokens.columns and c not in ("doc_id", "term")]]
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
