"""Streaming run: the tables written chunk by chunk read back as the in-memory run's tables."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import pipeline, safe_csv
from analysis.config import SEEDS_DIR
from analysis.pipeline import corpus_steps, synth
from analysis.pipeline.dataset import TABLES_ENV, iter_table, read_table, read_tables, table_names, tables_dir, write_partition
from analysis.pipeline.export import _flat, csv_rows, export_table
from analysis.pipeline.stream import CORPUS_TABLE, STREAM_TABLES, stream_pipeline

PER_DOC = ("sections", "problems", "indicators", "audit", "compliance", "terms")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds, 9 synthetic reports, a twin of a report in a later chunk, an empty file."""
    out = tmp_path_factory.mktemp("stream-corpus")
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        shutil.copyfile(path, out / path.name)
    made = synth.generate_corpus(out / "synth", 9, seed=7)
    first = out / "synth" / sorted(made["path"])[0]
    (out / "zz-twin.txt").write_bytes(first.read_bytes())  # flagged across chunks
    (out / "zz-empty.txt").write_bytes(b"")  # an error row
    return out


@pytest.fixture(scope="module")
def reference(folder: Path) -> dict[str, pd.DataFrame]:
    """The in-memory run, one process."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pipeline.run_pipeline(folder, n_jobs=1)


def assert_same_as_memory(out: Path, reference: dict[str, pd.DataFrame]) -> None:
    got = read_tables(out)
    assert set(got) == {CORPUS_TABLE, *STREAM_TABLES}
    full = reference["corpus"]
    pd.testing.assert_frame_equal(got["corpus"], full.drop(columns=["text"]), obj="corpus")
    pd.testing.assert_frame_equal(got["texts"], full[["doc_id", "sha256", "text"]], obj="texts")
    for name in PER_DOC:
        pd.testing.assert_frame_equal(got[name], reference[name], obj=name)


def _stream(folder: Path, out: Path, **kwargs) -> pipeline.StreamResult:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return stream_pipeline(folder, out, **kwargs)


@pytest.mark.parametrize("kwargs", [{"n_jobs": 1, "chunk_size": 4}, {"n_jobs": 2, "chunk_size": 1}, {"n_jobs": 2}])
def test_stream_reads_back_as_the_in_memory_tables(folder, reference, tmp_path: Path, kwargs) -> None:
    """Any chunk size, one or two workers -> read_tables gives run_pipeline's tables (corpus without text)."""
    result = _stream(folder, tmp_path / "t", **kwargs)
    assert_same_as_memory(tmp_path / "t", reference)
    pd.testing.assert_frame_equal(result.corpus, reference["corpus"].drop(columns=["text"]))
    assert result.rows == {name: len(reference[name]) for name in PER_DOC} | {"texts": len(reference["corpus"]), "corpus": len(reference["corpus"])}
    assert (result.corpus["status"] == "error").sum() == 1
    assert result.corpus["message"].str.contains("duplicate: identical bytes").sum() == 1


def test_stream_of_a_loaded_table(folder, reference, tmp_path: Path) -> None:
    """A corpus table already loaded streams too (the texts come from it)."""
    loaded = reference["corpus"]
    _stream(loaded, tmp_path / "t", n_jobs=2, chunk_size=3)
    assert_same_as_memory(tmp_path / "t", pipeline.run_pipeline(loaded, n_jobs=1))


@pytest.mark.parametrize("write_on", ["workers", "client"])
def test_dask_writes_the_same_dataset(folder, reference, tmp_path: Path, write_on: str) -> None:
    """Dask (a local cluster, threads), workers or this process writing -> the same tables."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        _stream(folder, tmp_path / "t", engine="dask", scheduler=cluster.scheduler_address, chunk_size=3, write_on=write_on)
    assert_same_as_memory(tmp_path / "t", reference)


def test_csv_pieces_join_into_the_whole_tables_csv(folder, reference, tmp_path: Path) -> None:
    """csv=True -> every table's CSV is byte for byte the CSV of the whole table (export_table)."""
    result = _stream(folder, tmp_path / "t", n_jobs=2, chunk_size=2, csv=True)
    whole = tmp_path / "whole"
    tables = {name: reference[name] for name in PER_DOC}
    tables["corpus"] = reference["corpus"].drop(columns=["text"])
    tables["texts"] = reference["corpus"][["doc_id", "sha256", "text"]]
    for name, df in tables.items():
        export_table(df, name, whole)
        assert (tmp_path / "t" / f"{name}.csv").read_bytes() == (whole / f"{name}.csv").read_bytes(), name
        assert f"{name}.csv" in result.files[name]
    assert not (tmp_path / "t" / ".csv-pieces").exists()


def test_long_table_is_parquet_only_and_pieces_fill_in(folder, tmp_path: Path, monkeypatch) -> None:
    """A table longer than a spreadsheet -> no CSV, a note; a short one whose chunks guessed wrong -> CSV all the same."""
    monkeypatch.setattr(safe_csv, "EXCEL_MAX_ROWS", 400)
    result = _stream(folder, tmp_path / "t", n_jobs=1, chunk_size=5, csv=True)
    for name, n in result.rows.items():
        assert (tmp_path / "t" / f"{name}.csv").exists() == (n + 1 <= 400), name
    assert any(note.startswith("terms has") for note in result.notes)
    # a table under the limit whose chunks each looked too long still gets its CSV
    assert result.rows["problems"] < 400 and (tmp_path / "t" / "problems.csv").exists()


def test_every_table_folder_reads_with_pyarrow_dataset(folder, tmp_path: Path) -> None:
    """Any Parquet reader sees one consistent dataset per table (no empty partitions without types)."""
    import pyarrow.dataset as ds

    result = _stream(folder, tmp_path / "t", n_jobs=1, chunk_size=1)
    for name in STREAM_TABLES:
        assert ds.dataset(tmp_path / "t" / name, format="parquet").to_table().num_rows == result.rows[name], name
    assert table_names(tmp_path / "t") == sorted({CORPUS_TABLE, *STREAM_TABLES})


def test_refuses_a_folder_holding_tables(folder, tmp_path: Path) -> None:
    _stream(folder, tmp_path / "t", n_jobs=1)
    with pytest.raises(FileExistsError):
        _stream(folder, tmp_path / "t", n_jobs=1)


def test_a_stage_failing_on_one_report_streams_the_others(folder, reference, tmp_path: Path, monkeypatch) -> None:
    """A stage raises on one report -> its corpus row says so, the others are written, a warning."""
    import analysis

    bad = str(reference["corpus"]["doc_id"].iloc[2])
    real = analysis.extract_indicators_and_audit

    def broken(corpus, sections):  # noqa: ANN001, ANN202
        if bad in set(corpus["doc_id"].astype(str)):
            raise ZeroDivisionError("boom")
        return real(corpus, sections)

    monkeypatch.setattr(analysis, "extract_indicators_and_audit", broken)
    with pytest.warns(pipeline.StageFailureWarning, match="1 report"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", category=UserWarning)  # CorpusWarning of the twin, not ours here
            warnings.simplefilter("always", pipeline.StageFailureWarning)
            stream_pipeline(folder, tmp_path / "t", n_jobs=1, chunk_size=4)
    corpus = read_table(tmp_path / "t", "corpus").set_index("doc_id")
    assert corpus.loc[bad, "status"] == "error" and "stage indicators: ZeroDivisionError" in corpus.loc[bad, "message"]
    for name in PER_DOC:
        assert bad not in set(read_table(tmp_path / "t", name)["doc_id"].astype(str)), name


# --------------------------------------------------------------------------- reading


def test_read_table_columns_filters_and_folders(folder, reference, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    _stream(folder, out / "tables", n_jobs=1, chunk_size=3)
    (out / "manifest.json").write_text("{}", encoding="utf-8")
    doc = str(reference["corpus"]["doc_id"].iloc[0])
    terms = read_table(out, "terms", columns=["doc_id", "n"], filters=[("doc_id", "==", doc)])  # the output folder
    expected = reference["terms"].loc[reference["terms"]["doc_id"] == doc, ["doc_id", "n"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(terms, expected)
    monkeypatch.setenv(TABLES_ENV, str(out / "tables"))
    assert tables_dir() == out / "tables"
    parts = list(iter_table(None, "sections", columns=["doc_id"]))
    assert len(parts) > 1 and sum(map(len, parts)) == len(reference["sections"])
    empty = read_table(None, "indicators", filters=[("doc_id", "==", "no such report")])
    assert empty.empty and list(empty.columns) == list(reference["indicators"].columns)
    with pytest.raises(FileNotFoundError, match="no table 'nothing'"):
        read_table(None, "nothing")
    monkeypatch.delenv(TABLES_ENV)
    with pytest.raises(FileNotFoundError, match=TABLES_ENV):
        tables_dir()


def test_read_corpus_puts_the_texts_back(folder, reference, tmp_path: Path) -> None:
    """read_corpus == the corpus table of run_pipeline (load_corpus's), text column included."""
    from analysis.pipeline import read_corpus

    _stream(folder, tmp_path / "t", n_jobs=1, chunk_size=5)
    pd.testing.assert_frame_equal(read_corpus(tmp_path / "t"), reference["corpus"])
    pd.testing.assert_frame_equal(read_corpus(tmp_path / "t", text=False), reference["corpus"].drop(columns=["text"]))
    year = int(reference["corpus"]["report_year"].max())
    some = read_corpus(tmp_path / "t", filters=[("report_year", "==", year)])
    expected = reference["corpus"][reference["corpus"]["report_year"] == year].reset_index(drop=True)
    pd.testing.assert_frame_equal(some, expected)


def test_object_columns_come_back_as_object(tmp_path: Path) -> None:
    df = pd.DataFrame({"name": np.array(["a", "b"], dtype=object), "x": pd.array(["p", None], dtype="string")})
    write_partition(df, tmp_path, "t", 0)
    pd.testing.assert_frame_equal(read_table(tmp_path, "t"), df)


def test_doc_ids_come_back_as_string_whatever_was_written(tmp_path: Path) -> None:
    df = pd.DataFrame({"doc_id": np.array(["a", "b"], dtype=object), "n": [1, 2]})
    write_partition(df, tmp_path, "t", 0)
    pd.testing.assert_frame_equal(read_table(tmp_path, "t"), df.astype({"doc_id": "string"}))


def test_terms_matrix_from_partitions_equals_the_whole_tables(folder, reference, tmp_path: Path) -> None:
    _stream(folder, tmp_path / "t", n_jobs=1, chunk_size=2)
    docs = reference["corpus"]["doc_id"].tolist()
    m1, d1, v1 = corpus_steps.read_terms_matrix(tmp_path / "t", doc_ids=docs)
    m2, d2, v2 = pipeline.terms_matrix(reference["terms"], doc_ids=docs)
    assert d1 == d2 and v1 == v2 and (m1 != m2).nnz == 0 and m1.dtype == m2.dtype
    m3, d3, _ = corpus_steps.read_terms_matrix(tmp_path / "t")
    m4, d4, _ = pipeline.terms_matrix(reference["terms"])
    assert d3 == d4 and (m3 != m4).nnz == 0


# --------------------------------------------------------------------------- corpus-level steps


def test_latest_year_keyness_equals_keyness_on_the_token_table(folder, reference, tmp_path: Path) -> None:
    """Keyness from the chunks' term counts per year == analysis.keyness on the tokens."""
    import analysis

    result = _stream(folder, tmp_path / "t", n_jobs=1, chunk_size=3)
    table, note = corpus_steps.latest_year_keyness(result.term_year)
    corpus = reference["corpus"]
    latest = int(corpus["report_year"].max())
    tokens = analysis.tokenize(reference["sections"])
    known = set(corpus.loc[corpus["report_year"].notna(), "doc_id"])
    tokens = tokens[tokens["doc_id"].astype(str).isin(known)]
    target = [d for d in corpus.loc[corpus["report_year"] == latest, "doc_id"] if d in set(tokens["doc_id"].astype(str))]
    pd.testing.assert_frame_equal(table, analysis.keyness(tokens, target))
    assert note.startswith(f"keyness: {latest} against")


def test_term_year_counts_sum_to_the_terms(folder, reference, tmp_path: Path) -> None:
    result = _stream(folder, tmp_path / "t", n_jobs=2, chunk_size=2)
    assert result.term_year["n"].sum() == reference["terms"]["n"].sum()
    assert not result.term_year.duplicated(["report_year", "term"]).any()


def test_pooled_sections_give_the_mean_shares(reference) -> None:
    from analysis.structure import PARTS, part_shares

    shares = part_shares(reference["sections"]).reset_index()
    years = reference["corpus"].set_index("doc_id")["report_year"]
    shares["report_year"] = shares["doc_id"].map(years).to_numpy()
    sections, labels = corpus_steps.pooled_sections(shares)
    pooled = part_shares(sections).fillna(0.0)
    expected = shares.assign(key=shares["report_year"].astype("Int64").astype(str)).groupby("key")[list(PARTS)].mean()
    for key in expected.index:
        np.testing.assert_allclose(pooled.loc[key].to_numpy(), expected.loc[key].fillna(0).to_numpy(), atol=1e-5)
    assert all(label.startswith(key) and "(n=" in label for key, label in labels.items())


# --------------------------------------------------------------------------- CSV rows


_TEXT = st.text(alphabet=st.sampled_from(list('ab,"\n=+-@ 法治\t\'')), max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    texts=st.lists(st.one_of(st.none(), _TEXT), min_size=1, max_size=6),
    floats=st.lists(st.one_of(st.just(float("nan")), st.floats(allow_nan=False, allow_infinity=True, width=64)), min_size=6, max_size=6),
    ints=st.lists(st.integers(-(2**63), 2**63 - 1), min_size=6, max_size=6),
)
def test_csv_rows_are_what_the_csv_writer_writes(texts, floats, ints, tmp_path_factory) -> None:
    """Arrow-built CSV rows == safe_csv.write_csv's rows, for any text, float, integer, flag, date."""
    n = len(texts)
    df = pd.DataFrame(
        {
            "s": pd.array(texts, dtype="string"),
            "o": np.array([t if t is not None else None for t in texts], dtype=object),
            "f": floats[:n],
            "i": ints[:n],
            "b": [bool(i % 2) for i in ints[:n]],
            "nb": pd.array([None if i % 3 == 0 else bool(i % 2) for i in ints[:n]], dtype="boolean"),
            "ni": pd.array([None if i % 5 == 0 else i for i in ints[:n]], dtype="Int64"),
            "d": pd.to_datetime([None if i % 4 == 0 else f"2023-0{1 + i % 9}-1{i % 9}" for i in ints[:n]]),
        }
    )
    path = tmp_path_factory.mktemp("csv") / "x.csv"
    safe_csv.write_csv(_flat(df), path, header=False)
    rows = csv_rows(safe_csv.neutralise_formulas(_flat(df)))
    if rows is None:  # only when a carriage return forces write_csv's quote-everything mode
        assert any(t is not None and "\r" in t for t in texts)
        return
    assert rows == path.read_bytes()


# --------------------------------------------------------------------------- 1,000 reports


@pytest.mark.slow
def test_thousand_reports_identical_to_the_in_memory_run(tmp_path: Path) -> None:
    """1,000 synthetic reports, odd chunk sizes, two workers -> every table identical, CSV too."""
    corpus = tmp_path / "c"
    synth.generate_corpus(corpus, 1000, seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = pipeline.run_pipeline(corpus, n_jobs=2)
    for chunk_size in (97, 500):
        out = tmp_path / f"t{chunk_size}"
        _stream(corpus, out, n_jobs=2, chunk_size=chunk_size, csv=True)
        assert_same_as_memory(out, reference)
    whole = tmp_path / "whole"
    for name in ("sections", "audit", "indicators"):
        export_table(reference[name], name, whole)
        assert (tmp_path / "t97" / f"{name}.csv").read_bytes() == (whole / f"{name}.csv").read_bytes(), name


# --------------------------------------------------------------------------- a Dask cluster of processes


@pytest.fixture
def dask_cluster(tmp_path: Path):  # noqa: ANN201
    """A scheduler and two workers started as separate processes on 127.0.0.1; stopped after."""
    import json
    import os
    import subprocess
    import sys
    import time

    from analysis.config import PROJECT_ROOT

    dask = [sys.executable, "-m", "distributed.cli.dask_scheduler"]
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    info = tmp_path / "scheduler.json"
    procs = [
        subprocess.Popen(
            [*dask, "--host", "127.0.0.1", "--port", "0", "--dashboard-address", ":0", "--scheduler-file", str(info)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path,
        )
    ]  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not info.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        address = json.loads(info.read_text(encoding="utf-8"))["address"]
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "distributed.cli.dask_worker", address, "--host", "127.0.0.1", "--nworkers", "2",
                 "--nthreads", "1", "--no-dashboard"],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path,
            )
        )  # fmt: skip
        from distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in reversed(procs):
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


@pytest.mark.slow
def test_a_cluster_of_processes_writes_the_same_dataset(folder, reference, tmp_path: Path, dask_cluster: str) -> None:
    """`dask scheduler` + `dask worker` processes -> the same partitioned tables, workers or client writing."""
    import threading

    errors: list[BaseException] = []

    def run() -> None:
        try:
            for write_on in ("workers", "client"):
                _stream(folder, tmp_path / write_on, engine="dask", scheduler=dask_cluster, chunk_size=4, write_on=write_on, csv=True)
        except BaseException as exc:  # reported below
            errors.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=300)  # bounded: the cluster is stopped after, whatever happened
    assert not worker.is_alive(), "the cluster did not finish in 5 minutes"
    assert not errors, errors
    for write_on in ("workers", "client"):
        assert_same_as_memory(tmp_path / write_on, reference)
