"""Tables on disk: a partitioned Parquet dataset per table, and the loader notebooks use.

The command line (and :func:`analysis.pipeline.stream_pipeline`) writes each chunk's
tables as it finishes, one Parquet file per chunk and table::

    out/tables/indicators/part-00000.parquet
    out/tables/indicators/part-00001.parquet   # the next chunk of reports, in corpus order
    ...
    out/tables/corpus.parquet                  # tables of the whole corpus: one file

Partition numbers follow the corpus order, so reading the partitions in name order gives
the table of an in-memory run. :func:`read_table` does exactly that and gives back the
very table :func:`analysis.run_pipeline` returns (values, dtypes, order), reading only
the ``columns`` asked for and only the rows passing ``filters`` (pyarrow's filter
syntax), partition by partition. :func:`read_tables` loads several. Any Parquet reader
reads the folders too (``pandas.read_parquet("out/tables/terms")``, DuckDB's
``read_parquet('out/tables/terms/*.parquet')``, ``pyarrow.dataset``), with Arrow's
types rather than the exact pandas dtypes.

In a notebook, after ``python -m analysis run --corpus DIR --out out``::

    import os
    from analysis.pipeline import read_corpus, read_table, read_tables

    os.environ["ANALYSIS_TABLES"] = "out/tables"     # or set it before starting Jupyter
    tables = read_tables(names=["corpus", "problems"])      # path from $ANALYSIS_TABLES
    corpus = read_corpus()              # as load_corpus returns it (text column included)
    terms = read_table(None, "terms", columns=["doc_id", "term", "n"],
                       filters=[("doc_id", "in", ["a", "b"])])

The ``terms`` table is the big one: about 660 rows per report (66 million at 100,000
reports), several GB as pandas string columns. :func:`read_terms` reads it compactly
(``doc_id`` and ``term`` as categoricals from Arrow dictionaries, counts summed over
parts partition by partition: about 16 bytes a row), and every keyword verb of
:mod:`analysis.keywords` takes that count table where it takes tokens::

    terms = read_terms()                                  # doc_id, term, n
    analysis.term_frequencies(terms)                      # as on analysis.tokenize(...)

For smaller pieces still, aggregate partition by partition with :func:`iter_table`
(e.g. term counts per report year), or filter (``filters=[("doc_id", "in", ids)]``).

Only pandas and pyarrow are imported here (cheap for a notebook).
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from analysis.corpus import COLUMNS as CORPUS_COLUMNS
from analysis.ids import doc_id_table

__all__ = [
    "TABLES_ENV",
    "concat_tables",
    "iter_table",
    "iter_texts",
    "partition_name",
    "read_corpus",
    "read_part",
    "read_table",
    "read_tables",
    "read_terms",
    "table_files",
    "table_names",
    "tables_dir",
    "write_partition",
]

#: Environment variable naming a folder of tables (``out/tables``) for notebooks.
TABLES_ENV = "ANALYSIS_TABLES"

# A partition file, e.g. "part-00042.parquet" (five digits or more).
_PARTITION = re.compile(r"^part-(\d{5,})\.parquet$")


def partition_name(index: int) -> str:
    """File name of partition ``index`` of a table.

    >>> partition_name(42)
    'part-00042.parquet'
    """
    return f"part-{index:05d}.parquet"


def write_partition(df: pd.DataFrame, folder: str | os.PathLike[str], name: str, index: int) -> Path:
    """Write ``df`` as partition ``index`` of table ``name`` under ``folder``; return the path.

    The file is written under a temporary name and renamed, so a partition file is
    always complete.
    """
    target = Path(folder) / name / partition_name(index)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    df.reset_index(drop=True).to_parquet(tmp, index=False)
    os.replace(tmp, target)
    return target


def tables_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """The folder holding the tables: ``path``, its ``tables/`` sub-folder, or ``$ANALYSIS_TABLES``.

    ``path`` may be the command line's output folder (the one holding ``manifest.json``)
    or its ``tables/`` folder.

    Raises
    ------
    FileNotFoundError
        When no folder is given and ``$ANALYSIS_TABLES`` is not set, or the folder is
        missing.
    """
    if path is None:
        env = os.environ.get(TABLES_ENV, "").strip()
        if not env:
            raise FileNotFoundError(f"no tables folder given and ${TABLES_ENV} is not set")
        path = env
    folder = Path(path).expanduser()
    if (folder / "tables").is_dir() and (folder / "manifest.json").is_file():
        folder = folder / "tables"
    if not folder.is_dir():
        raise FileNotFoundError(f"tables folder not found: {folder}")
    return folder


def table_files(path: str | os.PathLike[str] | None, name: str) -> list[Path]:
    """The Parquet files of table ``name``: its partitions in order, or its one file.

    Raises
    ------
    FileNotFoundError
        When the folder holds no table of that name.
    """
    folder = tables_dir(path)
    parts = folder / name
    if parts.is_dir():
        found = sorted((p for p in parts.iterdir() if _PARTITION.match(p.name)), key=lambda p: int(_PARTITION.match(p.name)[1]))
        if found:
            return found
    single = folder / f"{name}.parquet"
    if single.is_file():
        return [single]
    raise FileNotFoundError(f"no table {name!r} in {folder} (tables: {', '.join(table_names(folder)) or 'none'})")


def table_names(path: str | os.PathLike[str] | None = None) -> list[str]:
    """Names of the tables in a folder (partitioned or single-file), sorted."""
    folder = tables_dir(path)
    names = {p.stem for p in folder.glob("*.parquet")}
    names |= {p.name for p in folder.iterdir() if p.is_dir() and any(_PARTITION.match(q.name) for q in p.iterdir())}
    return sorted(names)


def read_part(file: str | os.PathLike[str], columns: Sequence[str] | None = None, filters: Any = None) -> pd.DataFrame:
    """One Parquet file of a table (a partition), with the dtypes it was written with."""
    meta = pq.read_schema(file).pandas_metadata or {}
    df = pd.read_parquet(file, columns=list(columns) if columns is not None else None, filters=filters)
    # pandas reads every text column as "str"; a column that was plain ``object`` when
    # written (e.g. compliance's doc_id) becomes object again, as in memory.
    wanted = {c.get("name"): c.get("numpy_type") for c in meta.get("columns", [])}
    for col in df.columns:
        if wanted.get(col) == "object" and isinstance(df[col].dtype, pd.StringDtype):
            df[col] = df[col].astype(object)
    return df


def iter_table(
    path: str | os.PathLike[str] | None,
    name: str,
    *,
    columns: Sequence[str] | None = None,
    filters: Any = None,
) -> Iterator[pd.DataFrame]:
    """Table ``name`` partition by partition (one chunk of reports at a time), in order.

    For tables too large to hold at once: aggregate each piece, then combine.
    """
    for file in table_files(path, name):
        yield read_part(file, columns, filters)


def iter_texts(path: str | os.PathLike[str] | None = None) -> Iterator[tuple[str, str]]:
    """``(doc_id, text)`` of every report of a tables folder, one partition in memory at a time.

    The ``texts`` table holds the clean text of every report (as ``load_corpus``'s
    ``text``); a search over all of them (keyword in context, counting a string) need
    not hold them all. Reports in corpus order; a missing text is ``""``.
    """
    for part in iter_table(path, "texts", columns=["doc_id", "text"]):
        texts = part["text"].fillna("").astype(str).tolist()
        yield from zip(part["doc_id"].astype(str).tolist(), texts)


@doc_id_table
def read_table(
    path: str | os.PathLike[str] | None,
    name: str,
    *,
    columns: Sequence[str] | None = None,
    filters: Any = None,
) -> pd.DataFrame:
    """One table of a tables folder, as :func:`analysis.run_pipeline` returns it.

    Parameters
    ----------
    path
        The command line's output folder, its ``tables/`` folder, or ``None`` for
        ``$ANALYSIS_TABLES``.
    name
        Table name (``corpus``, ``sections``, ``terms`` …; see :func:`table_names`).
    columns
        Read only these columns (much less memory on large tables).
    filters
        Rows to keep, in pyarrow's syntax: ``[("doc_id", "in", ids)]``,
        ``[("part", "==", "shortcomings"), ("n", ">=", 5)]``.

    Returns
    -------
    pandas.DataFrame
        The partitions concatenated in corpus order, with the dtypes of the in-memory
        tables.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = write_partition(pd.DataFrame({"doc_id": ["a"], "n": [1]}), d, "t", 0)
    ...     _ = write_partition(pd.DataFrame({"doc_id": ["b"], "n": [2]}), d, "t", 1)
    ...     read_table(d, "t", filters=[("n", ">", 1)]).values.tolist()
    [['b', 2]]
    """
    return concat_tables(list(iter_table(path, name, columns=columns, filters=filters)))


@doc_id_table
def read_tables(
    path: str | os.PathLike[str] | None = None,
    names: Iterable[str] | None = None,
    *,
    columns: dict[str, Sequence[str]] | None = None,
) -> dict[str, pd.DataFrame]:
    """Several tables of a tables folder (default: all of them), by name.

    ``path`` as in :func:`read_table` (``None``: ``$ANALYSIS_TABLES``); ``columns``
    maps a table name to the columns to read from it. The ``texts`` and ``terms``
    tables of a large corpus are big: name the tables you need.
    """
    folder = tables_dir(path)
    wanted = list(names) if names is not None else table_names(folder)
    columns = columns or {}
    return {name: read_table(folder, name, columns=columns.get(name)) for name in wanted}


@doc_id_table
def read_corpus(
    path: str | os.PathLike[str] | None = None, *, text: bool = True, filters: Any = None
) -> pd.DataFrame:
    """The corpus table with its ``text`` column, as :func:`analysis.load_corpus` returns it.

    The command line keeps the texts apart (table ``texts``); this puts them back as the
    last column, so notebook code written for ``load_corpus`` runs unchanged on a
    command line's output. ``text=False`` leaves them out (much less memory on 100,000
    reports); ``filters`` selects reports, e.g. ``[("report_year", "==", 2023)]``.
    """
    corpus = read_table(path, "corpus", filters=filters)
    if not text:
        return corpus
    wanted = corpus["doc_id"].astype(str).tolist()
    texts = read_table(path, "texts", columns=["doc_id", "text"], filters=[("doc_id", "in", wanted)] if filters else None)
    by_doc = pd.Series(texts["text"].array, index=texts["doc_id"].astype(str).to_numpy())
    out = corpus.copy()
    out["text"] = pd.array(by_doc.reindex(wanted).array, dtype=texts["text"].dtype)
    order = [c for c in CORPUS_COLUMNS if c in out.columns] + [c for c in out.columns if c not in CORPUS_COLUMNS]
    return out[order]


@doc_id_table
def read_terms(
    path: str | os.PathLike[str] | None = None,
    *,
    parts: bool = False,
    filters: Any = None,
) -> pd.DataFrame:
    """The ``terms`` table of a tables folder in little memory, ready for the keyword verbs.

    The command line's ``terms`` table counts each term per document and regulated
    part. Read whole as pandas ``string`` columns it takes several GB at 100,000
    reports; here each partition is read with ``doc_id``, ``term`` (and ``part``) as
    Arrow dictionaries, summed over parts unless ``parts=True``, and the pieces are
    joined under one dictionary per column: pandas categoricals (4-byte codes) and an
    int64 ``n``. :func:`analysis.term_frequencies`, :func:`analysis.keyword_trends`,
    :func:`analysis.keyness`, :func:`analysis.tfidf_top_terms` and
    :func:`analysis.keywords.concept_matches` take the result in place of a token
    table and give the tables the tokens would give.

    Parameters
    ----------
    path
        The command line's output folder, its ``tables/`` folder, or ``None`` for
        ``$ANALYSIS_TABLES``.
    parts
        Keep the ``part`` column (one row per document, part and term) instead of
        summing each document's parts.
    filters
        Rows to read, in pyarrow's syntax (``[("doc_id", "in", ids)]``,
        ``[("part", "==", "shortcomings")]``), applied before summing.

    Returns
    -------
    pandas.DataFrame
        ``doc_id`` (category; categories are the documents in corpus order, as
        string), optional ``part`` (category), ``term`` (category), ``n`` (int64).
        One row per document (and part) and term, documents in corpus order.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = write_partition(pd.DataFrame({"doc_id": ["a", "a", "a"], "part": ["p", "q", "q"],
    ...                                       "term": ["执法", "执法", "普法"], "n": [2, 1, 1]}), d, "terms", 0)
    ...     _ = write_partition(pd.DataFrame({"doc_id": ["b"], "part": ["p"], "term": ["执法"], "n": [5]}), d, "terms", 1)
    ...     t = read_terms(d)
    >>> t.values.tolist(), str(t["term"].dtype)
    ([['a', '执法', 3], ['a', '普法', 1], ['b', '执法', 5]], 'category')
    """
    import pyarrow as pa

    columns = ["doc_id", "part", "term", "n"] if parts else ["doc_id", "term", "n"]
    text_columns = [c for c in columns if c != "n"]
    pieces = []
    for file in table_files(path, "terms"):
        piece = pq.read_table(file, columns=columns, filters=filters, read_dictionary=text_columns)
        if not parts and piece.num_rows:
            # one thread: groups in order of first appearance (documents in corpus order)
            summed = piece.group_by(["doc_id", "term"], use_threads=False).aggregate([("n", "sum")])
            piece = summed.select(["doc_id", "term", "n_sum"]).rename_columns(columns)
        pieces.append(piece.cast(pa.schema([(c, pa.dictionary(pa.int32(), pa.string()) if c != "n" else pa.int64()) for c in columns])))
    if not pieces:
        return pd.DataFrame({c: pd.Series([], dtype="category" if c != "n" else "int64") for c in columns})
    table = pa.concat_tables(pieces).unify_dictionaries().combine_chunks()
    del pieces
    out = table.to_pandas(self_destruct=True)
    out["n"] = out["n"].astype(np.int64)
    return out


def concat_tables(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate per-chunk tables in order, keeping the dtypes of a one-chunk run.

    A chunk where a column is all missing may carry another dtype (object, float): the
    column takes the dtype of the first chunk that has values in it.

    >>> a = pd.DataFrame({"x": pd.array(["a"], dtype="string")})
    >>> b = pd.DataFrame({"x": [None]})
    >>> str(concat_tables([a, b])["x"].dtype)
    'string'
    """
    if not frames:
        return pd.DataFrame()
    nonempty = [f for f in frames if len(f)]
    if not nonempty:
        return frames[0].reset_index(drop=True)
    if len(nonempty) == 1:
        return nonempty[0].reset_index(drop=True)
    with warnings.catch_warnings():
        # pandas warns when an all-NA column of one chunk decides the result dtype; the
        # dtype is restored from the first non-empty chunk below.
        warnings.simplefilter("ignore", FutureWarning)
        out = pd.concat(nonempty, ignore_index=True)
    for col in out.columns:
        dtypes = {str(f[col].dtype) for f in nonempty if col in f.columns}
        if len(dtypes) <= 1 and str(out[col].dtype) in dtypes:
            continue
        ref = next((f for f in nonempty if col in f.columns and f[col].notna().any()), nonempty[0])
        if out[col].dtype != ref[col].dtype:
            try:
                out[col] = out[col].astype(ref[col].dtype)
            except (TypeError, ValueError):
                pass
    return out
