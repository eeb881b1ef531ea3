"""One dtype for report identifiers in every table the package returns or writes.

Every public verb that returns a table passes it through :func:`doc_id_table`, so a
``doc_id`` column (and the pair columns ``doc_a``/``doc_b`` of the reuse table, and an
index named ``doc_id``) has the pandas ``string`` dtype (:data:`DOC_ID_DTYPE`) whatever
the pandas version: pandas 2.x would otherwise give ``object``, pandas 3 ``str``, and the
streamed tables ``string``, so that joins, ``assert_frame_equal`` and Parquet schemas
differed from table to table and from machine to machine.

The one deliberate exception is :func:`analysis.tokenize`: its token-level table (never
written by the CLI) keeps ``doc_id`` as a ``category`` whose categories are ``string``,
because a plain string column costs about 20 bytes per token there (tens of millions
of tokens on a large corpus) against 2-4 bytes for the codes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd

DOC_ID_DTYPE = "string"
DOC_ID_COLUMNS = ("doc_id", "doc_a", "doc_b")

F = TypeVar("F", bound=Callable[..., Any])


def as_doc_ids(values: Any) -> pd.Series | pd.Index:
    """``values`` (a Series or an Index) with the package's doc_id dtype.

    A categorical keeps its codes and gets ``string`` categories."""
    dtype = values.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        if _is_string(dtype.categories.dtype):
            return values
        if isinstance(values, pd.Index):
            return values.set_categories(values.categories.astype(DOC_ID_DTYPE))
        return values.cat.set_categories(values.cat.categories.astype(DOC_ID_DTYPE))
    if _is_string(dtype):
        return values
    return values.astype(DOC_ID_DTYPE)


def with_doc_id_dtype(obj: Any) -> Any:
    """``obj`` with its doc_id columns/index in :data:`DOC_ID_DTYPE`.

    Accepts a DataFrame, a tuple or a dict of DataFrames (other values pass through
    unchanged). The frame is copied only when a column has to change."""
    if isinstance(obj, pd.DataFrame):
        change = [c for c in DOC_ID_COLUMNS if c in obj.columns and not _has_dtype(obj[c])]
        index_change = obj.index.name == "doc_id" and not _has_dtype(obj.index)
        if not change and not index_change:
            return obj
        out = obj.copy(deep=False)
        for c in change:
            out[c] = as_doc_ids(out[c])
        if index_change:
            out.index = as_doc_ids(out.index)
        return out
    if isinstance(obj, tuple) and not hasattr(obj, "_fields"):
        return tuple(with_doc_id_dtype(x) for x in obj)
    if isinstance(obj, dict):
        return {k: with_doc_id_dtype(v) for k, v in obj.items()}
    return obj


def _has_dtype(values: Any) -> bool:
    dtype = values.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return _is_string(dtype.categories.dtype)
    return _is_string(dtype)


def _is_string(dtype: Any) -> bool:
    """True for pandas' ``string`` dtype (missing values are ``pd.NA``), not for ``str``."""
    return isinstance(dtype, pd.StringDtype) and dtype.na_value is pd.NA


def doc_id_table(func: F) -> F:
    """Decorator: the table(s) ``func`` returns have doc_id columns in :data:`DOC_ID_DTYPE`."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return with_doc_id_dtype(func(*args, **kwargs))

    return wrapper  # type: ignore[return-value]
