"""Tables of the structure stage built fast from Python rows (typed columns, Arrow strings)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

__all__ = ["string_array", "table_from_columns", "table_from_rows"]


def table_from_rows(rows: list[tuple[Any, ...]], columns: list[str], ints: Iterable[str]) -> pd.DataFrame:
    """The rows as a table: ``ints`` columns int64, the others pandas ``string``.

    Built column by column, each converted once (a frame of the tuples would first infer a
    type per column, then be cast)."""
    return table_from_columns(dict(zip(columns, zip(*rows) if rows else [()] * len(columns))), columns, ints)


def table_from_columns(values: Mapping[str, Any], columns: list[str], ints: Iterable[str]) -> pd.DataFrame:
    """As :func:`table_from_rows`, from the values of each column (a sequence of values, or a
    column already made)."""
    ints = set(ints)
    data = {
        col: vals if not isinstance(vals, (list, tuple))
        else np.array(vals, dtype=np.int64) if col in ints
        else string_array(vals)
        for col, vals in ((c, values[c]) for c in columns)
    }
    return pd.DataFrame(data, columns=columns)


def string_array(values: Iterable[Any]) -> Any:
    """``pd.array(values, dtype="string")``. Values that are all ``str`` (what the callers
    pass) go straight into the Arrow array that dtype holds: pandas would first check and
    convert each value in Python, several times slower on a column of section texts."""
    try:
        return pd.array(pa.array(values, type=pa.large_string()), dtype="string")
    except (pa.ArrowException, TypeError):  # other values: pandas converts them (str(), NA)
        return pd.array(values, dtype="string")
