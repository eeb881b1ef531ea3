"""CSV files that are safe to open in a spreadsheet.

Excel and LibreOffice run a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and, in
some versions, a tab or a carriage return) as a formula when a CSV is opened: a report
quoting ``=HYPERLINK(...)`` or a heading such as ``-一、…`` would turn into a live formula
on a researcher's machine. Following OWASP's advice on CSV injection, :func:`write_csv`
prefixes such text cells (and column names) with a single quote ``'``, which the
spreadsheet shows but does not run. Only text is changed: numbers (``-3.5``) stay
numbers, and the Parquet files written next to the CSVs keep the exact text.

Every CSV the package writes goes through :func:`write_csv` (UTF-8 with a byte-order
mark, so Excel shows Chinese; ``\\n`` line ends; a table with a carriage return inside
a cell has every cell quoted, so that no reader takes it for a line end).
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pandas as pd

__all__ = ["EXCEL_MAX_ROWS", "FORMULA_PREFIXES", "neutralise_formulas", "write_csv"]

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: Rows (header included) Excel opens in one sheet; LibreOffice has the same limit.
EXCEL_MAX_ROWS = 1_048_576


def _neutralise_text(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells and column names never start a formula.

    Text that begins with one of :data:`FORMULA_PREFIXES` gets a leading ``'``; every
    other cell, and every non-text column, is unchanged. The input is not modified.

    Examples
    --------
    >>> df = pd.DataFrame({"text": ["=1+1", "-一、总体情况", "法治", "1+1"], "n": [-1, 2, 3, 4]})
    >>> neutralise_formulas(df)["text"].tolist()
    ["'=1+1", "'-一、总体情况", '法治', '1+1']
    >>> neutralise_formulas(df)["n"].tolist()
    [-1, 2, 3, 4]
    """
    out = df.copy()
    for i in range(out.shape[1]):
        s = out.iloc[:, i]
        if isinstance(s.dtype, pd.CategoricalDtype):
            if not any(isinstance(c, str) and c.startswith(FORMULA_PREFIXES) for c in s.cat.categories):
                continue
            s = s.astype(object)  # the CSV text is the same; renamed categories could collide
        if isinstance(s.dtype, pd.StringDtype):
            mask = s.str.startswith(FORMULA_PREFIXES).fillna(False).astype(bool)
            if mask.any():
                out.isetitem(i, s.where(~mask, "'" + s))
        elif s.dtype == object:
            out.isetitem(i, s.map(_neutralise_text))
    return out.rename(columns=lambda c: _neutralise_text(c) if isinstance(c, str) else c)


def write_csv(df: pd.DataFrame, path: str | os.PathLike[str], *, header: bool = True) -> Path:
    """Write ``df`` as a spreadsheet-safe CSV (UTF-8 with BOM, no index) and return the path.

    Cells that would start a formula are neutralised (:func:`neutralise_formulas`); the
    caller decides what to do with tables longer than :data:`EXCEL_MAX_ROWS`.

    ``header=False`` writes the rows only, without the byte-order mark and the header
    line: a batch of a table written in pieces, to be appended in order after the
    header (``write_csv(df.iloc[:0], path)``). Quoting is then decided per batch (a
    batch holding a carriage return is fully quoted), which every CSV reader reads alike.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = write_csv(pd.DataFrame({"cell": ["@SUM(A1)", "普法"]}), Path(d) / "t.csv")
    ...     p.read_bytes().decode("utf-8-sig")
    "cell\\n'@SUM(A1)\\n普法\\n"
    """
    target = Path(path)
    safe = neutralise_formulas(df)
    # The csv module quotes a cell holding "\n" but not one holding a lone "\r", which
    # spreadsheets read as a line end: such a table is written with every cell quoted.
    quoting = csv.QUOTE_ALL if _has_carriage_return(safe) else csv.QUOTE_MINIMAL
    encoding = "utf-8-sig" if header else "utf-8"
    safe.to_csv(target, index=False, header=header, encoding=encoding, lineterminator="\n", quoting=quoting)
    return target


def _has_carriage_return(df: pd.DataFrame) -> bool:
    for i in range(df.shape[1]):
        s = df.iloc[:, i]
        if isinstance(s.dtype, pd.StringDtype):
            if s.str.contains("\r", regex=False).fillna(False).any():
                return True
        elif s.dtype == object or isinstance(s.dtype, pd.CategoricalDtype):
            if any(isinstance(v, str) and "\r" in v for v in s.unique()):
                return True
    return any(isinstance(c, str) and "\r" in c for c in df.columns)
