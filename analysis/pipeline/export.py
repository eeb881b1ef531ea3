"""Writing the pipeline's tables: Parquet (exact), spreadsheet-safe CSV, Stata.

Parquet keeps every value and type. CSV is for spreadsheets: list cells are joined with
``|``, text that would start a formula is neutralised (:mod:`analysis.safe_csv`), and a
table longer than a spreadsheet opens is written as Parquet only. Stata files get
Stata-safe column names and types.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from typing import Any
from pathlib import Path

import pandas as pd

from analysis import safe_csv

__all__ = ["assemble_csv", "csv_fits", "csv_rows", "export_table", "write_csv_fragment", "write_stata"]


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
    :func:`assemble_csv`; each is spreadsheet-safe, byte for byte what
    :func:`analysis.safe_csv.write_csv` writes for those rows (``header=False``). The
    text is neutralised by :func:`analysis.safe_csv.neutralise_formulas`; the cells are
    formatted and joined in Arrow (:func:`csv_rows`), about ten times faster than the
    csv module, and by :func:`analysis.safe_csv.write_csv` itself for what Arrow cannot
    format the same way (a carriage return in a cell, mixed objects).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    flat = _flat(df)
    data = csv_rows(safe_csv.neutralise_formulas(flat))
    if data is None:
        return safe_csv.write_csv(flat, path, header=False)
    path.write_bytes(data)
    return path


# A cell the csv module quotes (QUOTE_MINIMAL, "\n" line ends): it holds a comma, a double
# quote or a line feed, e.g. '依法行政,依规办事' or '“……”' is not, '说"好"' is.
_NEEDS_QUOTES = r'[,"\n]'


def _text_cells(values: pd.Series) -> Any:
    """Arrow strings of a text column (missing -> empty), quoted as the csv module quotes; None if not all text."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(values.dtype, pd.StringDtype):
        array = pa.array(values)
    elif values.dtype == object:
        present = values.dropna()
        if not all(isinstance(v, str) for v in present.tolist()):
            return None
        array = pa.array(values.where(values.notna(), None).tolist(), type=pa.large_string())
    else:
        return None
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    array = array.cast(pa.large_string())
    if array.null_count:
        array = array.fill_null("")
    data = array.buffers()[2]
    raw = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, dtype=np.uint8)
    if (raw == 13).any():  # a carriage return (a scan of the bytes, cheaper than a string kernel)
        return None  # write_csv quotes every cell of such a table
    quote = pc.match_substring_regex(array, _NEEDS_QUOTES)
    if pc.any(quote).as_py():
        doubled = pc.replace_substring(array, '"', '""') if (raw == 34).any() else array  # 34: '"'
        mark = pa.scalar('"', pa.large_string())
        quoted = pc.binary_join_element_wise(mark, doubled, mark, pa.scalar("", pa.large_string()))
        array = pc.if_else(quote, quoted, array)
    return array


def _cells(values: pd.Series) -> Any:
    """Arrow strings of one column as pandas' CSV writer prints them; None when unsure."""
    import numpy as np
    import pyarrow as pa

    dtype = values.dtype
    if isinstance(dtype, pd.StringDtype) or dtype == object:
        return _text_cells(values)
    if isinstance(dtype, np.dtype) and dtype.kind in "iu":
        # numpy text -> string -> large_string: older pyarrow cannot convert numpy text to large_string directly
        return pa.array(values.to_numpy().astype(str), type=pa.string()).cast(pa.large_string())
    if isinstance(dtype, np.dtype) and dtype.kind == "f":
        raw = values.to_numpy()
        text = raw.astype(str).astype(object)  # numpy's shortest repr, as pandas writes floats
        text[np.isnan(raw)] = ""
        return pa.array(text, type=pa.large_string())
    if isinstance(dtype, np.dtype) and dtype.kind == "b":
        return pa.array(np.where(values.to_numpy(), "True", "False"), type=pa.string()).cast(pa.large_string())
    if isinstance(dtype, (pd.Int64Dtype, pd.BooleanDtype, pd.Float64Dtype)) or (
        isinstance(dtype, pd.api.extensions.ExtensionDtype) and getattr(dtype, "kind", "") in "iub"
        and not isinstance(dtype, pd.CategoricalDtype)
    ):
        return pa.array(["" if pd.isna(v) else str(v) for v in values.astype(object)], type=pa.large_string())
    if isinstance(dtype, np.dtype) and dtype.kind == "M" or isinstance(dtype, pd.DatetimeTZDtype):
        # dates print as pandas prints them (date only when every time is midnight)
        # (a second column keeps an empty row from being written as "")
        frame = pd.DataFrame({"t": values.to_numpy() if isinstance(dtype, np.dtype) else values.array, "x": 0})
        lines = frame.to_csv(index=False, header=False, lineterminator="\n").split("\n")[:-1]
        return pa.array([line[:-2] for line in lines], type=pa.large_string())
    return None


def csv_rows(df: pd.DataFrame) -> bytes | None:
    """The CSV rows (no header) of a table whose text is already neutralised, or None.

    Byte for byte what pandas' ``to_csv(index=False, header=False, lineterminator="\\n")``
    writes, built column-wise in Arrow. ``None`` when a column is of a type this does not
    format (categorical, mixed objects), when a cell holds a carriage return, or when the
    table has fewer than two columns: write those with :func:`analysis.safe_csv.write_csv`.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if df.shape[1] < 2:
        return None
    if not len(df):
        return b""
    columns = []
    for i in range(df.shape[1]):
        cells = _cells(df.iloc[:, i])
        if cells is None:
            return None
        columns.append(cells)
    newline = pa.scalar("\n", pa.large_string())
    columns[-1] = pc.binary_join_element_wise(columns[-1], newline, pa.scalar("", pa.large_string()))
    rows = pc.binary_join_element_wise(*columns, pa.scalar(",", pa.large_string()))
    if isinstance(rows, pa.ChunkedArray):
        rows = rows.combine_chunks()
    offsets = rows.buffers()[1]
    import numpy as np

    bounds = np.frombuffer(offsets, dtype=np.int64)[rows.offset : rows.offset + len(rows) + 1]
    return rows.buffers()[2].to_pybytes()[int(bounds[0]) : int(bounds[-1])]


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
