"""Steps over the whole corpus, run on the streamed tables without loading them whole.

Each chunk of reports reduces its own tables to what the corpus-level steps need
(:func:`chunk_aggregates`: term counts per report year, each report's part shares) while
its tables are written to disk; the steps then combine those small pieces or read only
the columns they need, partition by partition (:mod:`analysis.pipeline.dataset`):

- :func:`keyness_from_counts`: keyness of a group of reports from term counts, the
  table :func:`analysis.keyness` gives on the token table;
- :func:`latest_year_keyness`: the latest report year against the others;
- :func:`read_terms_matrix`: the sparse document-term matrix of a ``terms`` dataset,
  built partition by partition;
- :func:`pooled_sections`: sections of one pseudo-report per report year, whose part
  shares are the mean shares of that year's reports (a figure of 100,000 reports);
- :func:`problems_reuse`, :func:`problems_recurrence`: template reuse and theme
  recurrence of the shortcoming items (the public functions of :mod:`analysis.problems`
  on the columns they need).

scipy and the stages are imported inside the functions that use them (heavy).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from analysis.pipeline.dataset import iter_table, read_table

__all__ = [
    "chunk_aggregates",
    "combine_term_year",
    "keyness_from_counts",
    "latest_year_keyness",
    "pooled_sections",
    "problems_recurrence",
    "problems_reuse",
    "write_problems_reuse",
    "read_terms_matrix",
]

#: Columns of the shortcoming items template reuse compares.
REUSE_COLUMNS = ("doc_id", "item", "text", "body", "start", "end")


# --------------------------------------------------------------------------- per chunk


def _years(corpus: pd.DataFrame) -> pd.Series:
    """report_year by doc_id (Int64, NA when unknown or absent)."""
    docs = corpus["doc_id"].astype(str).to_numpy()
    if "report_year" in corpus.columns:
        years = pd.array(pd.to_numeric(corpus["report_year"], errors="coerce"), dtype="Int64")
    else:
        years = pd.array([pd.NA] * len(corpus), dtype="Int64")
    return pd.Series(years, index=pd.Index(docs, name="doc_id"), name="report_year")


def term_year_counts(terms: pd.DataFrame, corpus: pd.DataFrame) -> pd.DataFrame:
    """Term counts per report year (``report_year`` Int64 with NA, ``term``, ``n``).

    >>> terms = pd.DataFrame({"doc_id": ["a", "a", "b"], "term": ["法治", "普法", "法治"], "n": [2, 1, 3]})
    >>> corpus = pd.DataFrame({"doc_id": ["a", "b"], "report_year": [2022, 2023]})
    >>> term_year_counts(terms, corpus).values.tolist()
    [[2022, '普法', 1], [2022, '法治', 2], [2023, '法治', 3]]
    """
    if terms.empty:
        return pd.DataFrame({"report_year": pd.array([], dtype="Int64"), "term": pd.Series([], dtype="string"), "n": pd.Series([], dtype="int64")})
    years = _years(corpus)
    # the year of each row through the documents' codes (a few hundred documents per chunk)
    codes, docs = pd.factorize(terms["doc_id"], sort=False)
    doc_year = pa.array(years.reindex(pd.Index(docs).astype(str)).array, type=pa.int64())
    return _sum_by_year_term(pa.table({
        "report_year": doc_year.take(pa.array(codes)),
        "term": _arrow_strings(terms["term"]),
        "n": pa.array(terms["n"].to_numpy(dtype=np.int64)),
    }))


def _arrow_strings(values: pd.Series) -> pa.Array:
    """A text column as an Arrow large_string array (no Python string per row when Arrow-backed)."""
    array = pa.array(values) if isinstance(values.dtype, pd.StringDtype) else pa.array(values.astype(str).to_numpy(dtype=object))
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return array.cast(pa.large_string())


def _sum_by_year_term(table: pa.Table) -> pd.DataFrame:
    """Sum ``n`` by (report_year, term), sorted by year (NA last) then term (Arrow's hash aggregation)."""
    summed = table.group_by(["report_year", "term"]).aggregate([("n", "sum")])
    summed = summed.sort_by([("report_year", "ascending"), ("term", "ascending")])
    return pd.DataFrame(
        {
            "report_year": pd.array(summed["report_year"].to_pandas(), dtype="Int64"),
            "term": pd.array(summed["term"].to_pandas(), dtype="string"),
            "n": summed["n_sum"].to_numpy().astype(np.int64),
        }
    )


def combine_term_year(parts: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Sum several :func:`term_year_counts` tables (of different chunks) into one."""
    frames = [p for p in parts if len(p)]
    if not frames:
        return term_year_counts(pd.DataFrame(), pd.DataFrame())
    return _sum_by_year_term(pa.concat_tables(
        pa.table({
            "report_year": pa.array(f["report_year"].array, type=pa.int64()),
            "term": _arrow_strings(f["term"]),
            "n": pa.array(f["n"].to_numpy(dtype=np.int64)),
        })
        for f in frames
    ))


def chunk_aggregates(tables: dict[str, pd.DataFrame], corpus: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """What the corpus-level steps need from one chunk (small: no row per token or number).

    ``term_year``: :func:`term_year_counts` of its terms; ``part_shares``: each report's
    share of text per regulated part (:func:`analysis.structure.part_shares`) with its
    ``report_year``.
    """
    from analysis.structure import part_shares

    out = {"term_year": term_year_counts(tables.get("terms", pd.DataFrame()), corpus)}
    sections = tables.get("sections")
    if sections is not None and len(sections):
        shares = part_shares(sections)
        years = _years(corpus).reindex(shares.index.astype(str))
        out["part_shares"] = shares.reset_index().assign(report_year=years.to_numpy())
    return out


# --------------------------------------------------------------------------- keyness


def keyness_from_counts(
    target: pd.Series,
    reference: pd.Series,
    *,
    measure: str = "lr",
    correction: str = "default",
) -> pd.DataFrame:
    """Keyness of a target against a reference given their term counts.

    The table :func:`analysis.keyness` returns for a token table whose target documents
    hold ``target`` (term -> count) and whose other documents hold ``reference``: the
    same statistic (:func:`analysis.keywords.keyness_statistic`), ``p``, counts, rates
    per 10,000 tokens, ``pct_diff``, in the same order. Counts are all the corpus-level
    step needs, so it runs on term totals summed chunk by chunk, never on a token table.

    Examples
    --------
    >>> t = pd.Series({"甲": 3, "乙": 1}); r = pd.Series({"甲": 1, "乙": 3})
    >>> keyness_from_counts(t, r, correction="none")[["term", "G2", "n_target"]].round(4).values.tolist()
    [['甲', 2.093, 3], ['乙', -2.093, 1]]
    """
    from analysis.keywords import keyness_table

    t = target[target > 0].groupby(level=0).sum()
    r = reference[reference > 0].groupby(level=0).sum()
    vocabulary = np.asarray(sorted(set(map(str, t.index)) | set(map(str, r.index))), dtype=object)
    t.index, r.index = t.index.astype(str), r.index.astype(str)
    a = t.reindex(vocabulary, fill_value=0).to_numpy(dtype=np.float64)
    b = r.reindex(vocabulary, fill_value=0).to_numpy(dtype=np.float64)
    total_t, total_r = a.sum(), b.sum()
    if total_t == 0 or total_r == 0:
        raise ValueError("the target or the reference has no tokens")
    return keyness_table(a, b, vocabulary, total_t, total_r, measure=measure, correction=correction)


def latest_year_keyness(term_year: pd.DataFrame) -> tuple[pd.DataFrame | None, str]:
    """Keyness of the latest report year against every other year, and a one-line note.

    ``term_year`` is :func:`combine_term_year`'s table. Reports of an unknown year are
    left out of both sides. ``None`` (with the reason in the note) when the corpus has
    fewer than two report years.
    """
    known = term_year.dropna(subset=["report_year"])
    years = sorted(int(y) for y in known["report_year"].unique())
    if len(years) < 2:
        return None, "keyness: fewer than two report years, not computed"
    latest = years[-1]
    is_latest = (known["report_year"] == latest).to_numpy(dtype=bool)
    target = known[is_latest].groupby("term", observed=True)["n"].sum()
    reference = known[~is_latest].groupby("term", observed=True)["n"].sum()
    table = keyness_from_counts(target, reference)
    return table, f"keyness: {latest} against {years[0]}–{years[-2]}" if len(years) > 2 else f"keyness: {latest} against {years[0]}"


# --------------------------------------------------------------------------- document-term matrix


def read_terms_matrix(path: str | os.PathLike[str] | None, *, doc_ids: Sequence[str] | None = None):  # noqa: ANN201
    """The sparse document-term matrix of a ``terms`` dataset, built partition by partition.

    Equals :func:`analysis.pipeline.terms_matrix` of the whole ``terms`` table (counts
    summed over parts, vocabulary sorted, rows in ``doc_ids`` order or order of first
    appearance), without holding that table: a first pass reads the ``term`` column for
    the vocabulary, a second builds one block of rows per partition.

    Returns
    -------
    matrix : scipy.sparse.csr_matrix
    doc_ids : list of str
    vocabulary : list of str
    """
    from scipy import sparse

    vocab_set: set[str] = set()
    for part in iter_table(path, "terms", columns=["term"]):
        vocab_set.update(part["term"].astype(str).unique().tolist())
    vocab = pd.Index(sorted(vocab_set))
    blocks: list[Any] = []
    docs: list[str] = []
    for part in iter_table(path, "terms", columns=["doc_id", "term", "n"]):
        if part.empty:
            continue
        d_codes, d_uniques = pd.factorize(part["doc_id"].astype(str), sort=False)
        cols = vocab.get_indexer(part["term"].astype(str))
        block = sparse.csr_matrix(
            (part["n"].to_numpy(dtype=np.int64), (d_codes, cols)), shape=(len(d_uniques), len(vocab)), dtype=np.int64
        )
        block.sum_duplicates()
        blocks.append(block)
        docs.extend(str(d) for d in d_uniques)
    matrix = sparse.vstack(blocks, format="csr") if blocks else sparse.csr_matrix((0, len(vocab)), dtype=np.int64)
    if len(set(docs)) != len(docs):  # a document split over partitions (not written so by the pipeline)
        codes, uniques = pd.factorize(pd.Index(docs), sort=False)
        merge = sparse.csr_matrix((np.ones(len(docs)), (codes, np.arange(len(docs)))), shape=(len(uniques), len(docs)))
        matrix = (merge @ matrix).astype(np.int64).tocsr()
        docs = [str(d) for d in uniques]
    if doc_ids is not None:
        wanted = [str(d) for d in doc_ids]
        rows = pd.Index(docs).get_indexer(wanted)
        padded = sparse.vstack([matrix, sparse.csr_matrix((1, matrix.shape[1]), dtype=np.int64)], format="csr")
        matrix, docs = padded[np.where(rows >= 0, rows, matrix.shape[0])], wanted  # absent: the empty last row
    matrix.sum_duplicates()
    return matrix, docs, vocab.tolist()


# --------------------------------------------------------------------------- figures


def pooled_sections(shares: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """Sections of one pseudo-report per report year, for a part-shares figure of many reports.

    ``shares`` holds ``doc_id``, ``report_year`` and one share column per part (the
    ``part_shares`` of :func:`chunk_aggregates`). Each year becomes a report whose
    top-level sections have lengths proportional to the mean share of each part over
    that year's reports, so :func:`analysis.structure.part_shares` of the result gives
    those means. Returns the sections and labels (``"2023 (n=512)"``).
    """
    from analysis.structure import PARTS

    years = pd.to_numeric(shares["report_year"], errors="coerce")
    keys = np.where(years.isna(), "year unknown", years.astype("Int64").astype(str))
    frame = shares.assign(_key=keys)
    means = frame.groupby("_key", sort=True)[list(PARTS)].mean().fillna(0.0)
    sizes = frame.groupby("_key", sort=True).size()
    order = sorted(means.index, key=lambda k: (k == "year unknown", k))
    rows: list[dict[str, Any]] = []
    scale = 1_000_000  # characters of a pseudo-report: shares kept to 1e-6
    for key in order:
        cursor = 0
        for part in PARTS:
            length = int(round(float(means.at[key, part]) * scale))
            if length <= 0:
                continue
            rows.append({"doc_id": key, "part": part, "level": 1, "heading": "", "start": cursor, "end": cursor + length})
            cursor += length
    sections = pd.DataFrame(rows, columns=["doc_id", "part", "level", "heading", "start", "end"])
    labels = {k: f"{k} (n={int(sizes[k])})" for k in order}
    return sections, labels


# --------------------------------------------------------------------------- problems


def problems_reuse(path: str | os.PathLike[str] | None) -> pd.DataFrame:
    """:func:`analysis.template_reuse` of the shortcoming items of a tables folder.

    Reads only the columns template reuse compares (``problems`` partitions).
    """
    import analysis

    items = _problem_columns(path, REUSE_COLUMNS)
    return analysis.template_reuse(items)


#: Rows of the template reuse table built at a time when the command line writes it (each
#: row holds two statements: 3.5 million rows at 100,000 synthetic reports, ~3 GiB whole).
REUSE_BATCH = 200_000


def write_problems_reuse(path: str | os.PathLike[str], *, csv: bool = True, batch: int = REUSE_BATCH) -> tuple[int, list[Path]]:
    """Write :func:`problems_reuse`'s table into the tables folder ``path``, batch by batch.

    ``reuse.parquet`` (row groups of ``batch`` rows) and, when it fits a spreadsheet and
    ``csv``, ``reuse.csv``, equal to :func:`analysis.pipeline.export.export_table`'s files
    of the whole table (read back, the same table; the CSV the same bytes), holding only
    the pairs (indices and scores) and one batch of rows at a time. Returns the number of
    rows and the files written.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    from analysis.pipeline.export import assemble_csv, csv_fits, export_table, write_csv_fragment
    from analysis.problems.reuse import reuse_pairs

    folder = Path(path)
    pairs = reuse_pairs(_problem_columns(path, REUSE_COLUMNS))
    n = len(pairs)
    if n <= batch:
        return n, export_table(pairs.rows(0, n), "reuse", folder, csv=csv)
    fits = csv and csv_fits(n)
    pieces = folder / "_reuse_pieces"
    fragments: list[Path] = []
    writer = None
    try:
        for lo in range(0, n, batch):
            rows = pairs.rows(lo, lo + batch)
            table = pa.Table.from_pandas(rows, preserve_index=False)
            if writer is None:
                writer = pq.ParquetWriter(folder / "reuse.parquet", table.schema)
            writer.write_table(table)
            if fits:
                fragments.append(write_csv_fragment(rows, pieces / f"{lo:012d}.csv"))
            del rows, table
    finally:
        if writer is not None:
            writer.close()
    files = [folder / "reuse.parquet"]
    if fits:
        files.append(assemble_csv(pairs.rows(0, 0), fragments, folder / "reuse.csv"))
    shutil.rmtree(pieces, ignore_errors=True)
    return n, files


def problems_recurrence(path: str | os.PathLike[str] | None, corpus: pd.DataFrame, *, by: str = "report_year") -> pd.DataFrame:
    """:func:`analysis.theme_recurrence` of the shortcoming items of a tables folder.

    Grouped by ``by`` (default the report year: one column per year, whatever the number
    of reports).
    """
    import analysis

    coded = _problem_columns(path, ("doc_id", "item", "themes"))
    return analysis.theme_recurrence(coded, corpus=corpus, by=by)


def _problem_columns(path: str | os.PathLike[str] | None, wanted: Sequence[str]) -> pd.DataFrame:
    from analysis.pipeline.dataset import table_files

    import pyarrow.parquet as pq

    have = set(pq.read_schema(table_files(path, "problems")[0]).names)
    return read_table(path, "problems", columns=[c for c in wanted if c in have])
