"""Writing the pipeline's tables: Parquet (exact), spreadsheet-safe CSV, Stata.

Parquet keeps every value and type. CSV is for spreadsheets: list cells are joined with
``|``, text that would start a formula is neutralised (:mod:`analysis.safe_csv`), and a
table longer than a spreadsheet opens is written as Parquet only. Stata files get
Stata-safe column names and types.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from analysis import safe_csv

__all__ = ["assemble_csv", "csv_fits", "export_table", "write_csv_fragment", "write_stata"]


def _flat(df: pd.DataFrame) -> pd.DataFrame:
    """Copy with list/tuple/array cells joined by "|" (CSV and Stata have no list type)."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object:
            sample = out[col].dropna()
            if len(sample) and sample.map(lambda v: isinstance(v, (list, tuple, set)) or hasattr(v, "tolist")).any():
                out[col] = out[col].map(
                    lambda v: "|".join(map(str, v.tolist() if hasattr(v, "tolist") else v))
                    if isinstance(v, (list, tuple, set)) or hasattr(v, "tolist")
                    else v
                )
    return out


# Words Stata reserves for itself; a column so named gets a trailing underscore (end -> end_).
_STATA_RESERVED = frozenset(
    "aggregate array boolean break byte case catch class colvector complex const continue default "
    "delegate delete do double else eltypedef end enum explicit export external float for friend "
    "function global goto if inline int local long NULL pragma protected quad rowvector short "
    "typedef typename virtual _all _N _skip _b _pi in _pred strL _coef _rc using _cons _se with _n".split()
)


def _for_stata(df: pd.DataFrame) -> pd.DataFrame:
    """Stata-safe copy: <= 32-character names, no reserved names, no nullable dtypes, no NA strings."""
    out = _flat(df)
    renames = {c: (f"{c}_" if str(c) in _STATA_RESERVED else str(c))[:32] for c in out.columns}
    out = out.rename(columns=renames)
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_bool_dtype(s):
            out[col] = s.astype("float64").astype("Int8").astype("float64")
        elif pd.api.types.is_integer_dtype(s) or pd.api.types.is_float_dtype(s):
            out[col] = s.astype("float64")
        elif pd.api.types.is_datetime64_any_dtype(s):
            out[col] = s.astype("datetime64[ns]")
        else:
            out[col] = s.astype("object").where(s.notna(), "").map(str)
    return out


def csv_fits(n_rows: int) -> bool:
    """Whether a table of ``n_rows`` rows (plus its header) opens whole in a spreadsheet.

    >>> csv_fits(1_048_575), csv_fits(1_048_576)
    (True, False)
    """
    return n_rows + 1 <= safe_csv.EXCEL_MAX_ROWS


def export_table(df: pd.DataFrame, name: str, folder: Path, *, stata: bool = False, csv: bool = True) -> list[Path]:
    """Write ``df`` as ``name.parquet`` and ``name.csv`` (UTF-8 with BOM) in ``folder``.

    The Parquet file keeps every value exactly. The CSV is spreadsheet-safe
    (:func:`analysis.safe_csv.write_csv`: text that would start a formula gets a leading
    ``'``) and is left out when the table has more rows than a spreadsheet opens
    (:func:`csv_fits`) or ``csv=False``. With ``stata=True`` also ``name.dta`` (Stata 118, Unicode).
    List cells are joined with ``|`` in CSV and Stata. Returns the paths written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{name}.parquet"]
    df.reset_index(drop=True).to_parquet(paths[0], index=False)
    if csv and csv_fits(len(df)):
        paths.append(safe_csv.write_csv(_flat(df), folder / f"{name}.csv"))
    if stata:
        paths.append(write_stata(df, folder / f"{name}.dta"))
    return paths


def write_stata(df: pd.DataFrame, path: Path) -> Path:
    """Write ``df`` as a Stata 118 (Unicode) file with Stata-safe names and types."""
    st = _for_stata(df)
    long_text = [c for c in st.columns if st[c].dtype == object and st[c].map(len).max(initial=0) > 2000]
    st.to_stata(path, write_index=False, version=118, convert_strl=long_text)
    return path


def write_csv_fragment(df: pd.DataFrame, path: Path) -> Path:
    """Write the rows of ``df`` (no byte-order mark, no header) as one piece of a table's CSV.

    The pieces of a table, written in any order by any process, become its CSV with
    :func:`assemble_csv`; each is spreadsheet-safe as :func:`export_table`'s CSV.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    return safe_csv.write_csv(_flat(df), path, header=False)


def assemble_csv(columns: pd.DataFrame, fragments: Sequence[Path], target: Path) -> Path:
    """Write ``target``: the header of ``columns`` (a table, rows unused), then the fragments in order.

    The result equals :func:`export_table`'s CSV of the concatenated table (a table
    holding a carriage return is quoted batch by batch rather than as a whole).
    """
    header = safe_csv.write_csv(_flat(columns.iloc[:0]), target)
    with open(header, "ab") as out:
        for fragment in fragments:
            with open(fragment, "rb") as fh:
                shutil.copyfileobj(fh, out, 1 << 20)
    return target
