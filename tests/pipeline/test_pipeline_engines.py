"""Pipeline: the same tables whatever the number of workers, the chunking or the engine."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from analysis import pipeline
from analysis.pipeline import synth
from analysis.config import SEEDS_DIR


def _load(path: Path) -> pd.DataFrame:
    from analysis.corpus import CorpusWarning, load_corpus

    with warnings.catch_warnings():
        # seeds/README.md documents provenance; it is listed by a CorpusWarning by design.
        warnings.simplefilter("ignore", CorpusWarning)
        return load_corpus(path)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    """The seeds plus 11 synthetic reports (HTML, GB18030, full-width …): 16 documents."""
    out = tmp_path_factory.mktemp("pipeline")
    synth.generate_corpus(out, 11, seed=3)
    table = pd.concat([_load(SEEDS_DIR), _load(out)], ignore_index=True)
    assert (table["status"] == "ok").all()
    return table


@pytest.fixture(scope="module")
def reference(corpus: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """One process, one chunk: every stage sees the whole corpus at once."""
    return pipeline.run_pipeline(corpus, n_jobs=1, chunk_size=len(corpus))


def assert_tables_equal(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    assert list(a) == list(b) == list(pipeline.TABLES)
    for name in pipeline.TABLES:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)


def test_every_table_present_and_in_document_order(corpus, reference) -> None:
    order = {d: i for i, d in enumerate(corpus["doc_id"])}
    for name in pipeline.TABLES:
        table = reference[name]
        assert "doc_id" in table.columns, name
        assert len(table), f"{name} is empty on 16 reports"
        ranks = table["doc_id"].map(order)
        assert ranks.notna().all() and ranks.is_monotonic_increasing, name
    pd.testing.assert_frame_equal(reference["corpus"], corpus)
    # every report has sections, terms and a compliance row
    for name in ("sections", "terms", "compliance"):
        assert set(reference[name]["doc_id"]) == set(corpus["doc_id"]), name


def test_chunks_match_whole_corpus_stage_calls(corpus, reference) -> None:
    """The chunked run equals calling each public stage function on the whole corpus."""
    import analysis

    sections = analysis.parse_sections(corpus)
    pd.testing.assert_frame_equal(reference["sections"], sections)
    pd.testing.assert_frame_equal(reference["problems"], analysis.code_problems(analysis.extract_problems(sections)))
    indicators = analysis.extract_indicators(corpus, sections)
    pd.testing.assert_frame_equal(reference["indicators"], indicators)
    pd.testing.assert_frame_equal(reference["audit"], analysis.audit_numbers(corpus, sections))
    pd.testing.assert_frame_equal(reference["compliance"], analysis.compliance(corpus, sections, indicators=indicators))
    tokens = analysis.tokenize(sections)
    pd.testing.assert_frame_equal(reference["terms"], pipeline.count_terms(tokens))
    assert reference["terms"]["n"].sum() == len(tokens)


def test_one_worker_equals_two_workers(corpus, reference) -> None:
    small_chunks = pipeline.run_pipeline(corpus, n_jobs=1, chunk_size=3)
    assert_tables_equal(reference, small_chunks)
    parallel = pipeline.run_pipeline(corpus, n_jobs=2, chunk_size=3)
    assert_tables_equal(reference, parallel)


def test_input_not_mutated(corpus) -> None:
    before = corpus.copy(deep=True)
    pipeline.run_pipeline(corpus.head(3), n_jobs=1)
    pd.testing.assert_frame_equal(corpus, before)


def test_loads_a_folder(tmp_path: Path) -> None:
    manifest = synth.generate_corpus(tmp_path, 4, seed=11)
    tables = pipeline.run_pipeline(tmp_path, n_jobs=2, chunk_size=1)
    assert tables["corpus"]["path"].tolist() == sorted(manifest["path"])
    assert tables["corpus"]["report_year"].tolist() == manifest.set_index("path").loc[sorted(manifest["path"]), "report_year"].tolist()


def test_folder_read_by_workers_equals_load_corpus(tmp_path: Path) -> None:
    """Workers read the files they analyse; the tables equal loading first, then analysing.

    Duplicates are flagged across chunks, unreadable files stay error rows, files of other
    types are named in one CorpusWarning, as with :func:`analysis.load_corpus`.
    """
    from analysis.corpus import CorpusWarning, load_corpus

    manifest = synth.generate_corpus(tmp_path, 5, seed=5)
    first = tmp_path / sorted(manifest["path"])[0]
    (tmp_path / "zz-copy.txt").write_bytes(first.read_bytes())  # a twin in a later chunk
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "notes.md").write_bytes(b"# notes")  # not a report format: named, not a row
    with pytest.warns(CorpusWarning, match="notes.md"):
        loaded = load_corpus(tmp_path)
    assert set(loaded["status"]) == {"ok", "warning", "error"}
    reference = pipeline.run_pipeline(loaded, n_jobs=1)
    for n_jobs, chunk_size in ((1, None), (2, 2)):
        with pytest.warns(CorpusWarning, match="notes.md") as caught:
            tables = pipeline.run_pipeline(tmp_path, n_jobs=n_jobs, chunk_size=chunk_size)
        assert len([w for w in caught if issubclass(w.category, CorpusWarning)]) == 1
        assert_tables_equal(reference, tables)
    single = pipeline.run_pipeline(first, n_jobs=2)
    pd.testing.assert_frame_equal(single["corpus"], load_corpus(first))


def test_default_chunks_balance_workers() -> None:
    assert pipeline.default_chunk_size(5000, 2) * 2 * pipeline.CHUNKS_PER_WORKER >= 5000
    assert pipeline.default_chunk_size(3, 2) == pipeline.MIN_CHUNK_SIZE
    assert pipeline.default_chunk_size(10**7, 2) == pipeline.MAX_CHUNK_SIZE


def test_dask_engine_equals_pandas_engine(corpus, reference) -> None:
    from distributed import Client, LocalCluster

    # Threads, not processes: starting worker processes (each importing pandas, jieba …)
    # takes tens of seconds on a loaded 2-core machine; the engine code path is the same.
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        # by scheduler address, as a lab would point it at its own cluster
        on_dask = pipeline.run_pipeline(corpus, engine="dask", scheduler=cluster.scheduler_address, chunk_size=3)
        assert_tables_equal(reference, on_dask)
        with Client(cluster) as client:  # or with a Client
            on_client = pipeline.run_pipeline(corpus, engine="dask", scheduler=client, chunk_size=5)
            assert_tables_equal(reference, on_client)


def test_progress_bars_only_when_asked(corpus, capsys: pytest.CaptureFixture[str]) -> None:
    pipeline.run_pipeline(corpus.head(2), n_jobs=1, chunk_size=1)
    assert capsys.readouterr().err == ""
    pipeline.run_pipeline(corpus.head(2), n_jobs=1, chunk_size=1, progress=True)
    assert "analyse" in capsys.readouterr().err


def test_timed_run_reports_every_stage(corpus) -> None:
    _, seconds = pipeline.run_pipeline_timed(corpus.head(3), n_jobs=1)
    assert set(pipeline.STAGES) | {"prepare", "analyse", "assemble", "total"} <= set(seconds)
    assert all(v >= 0 for v in seconds.values())


@pytest.mark.parametrize("kwargs", [{"engine": "spark"}, {"chunk_size": 0}])
def test_bad_arguments(corpus, kwargs) -> None:
    with pytest.raises(ValueError):
        pipeline.run_pipeline(corpus.head(1), n_jobs=1, **kwargs)


# --------------------------------------------------------------------------- terms


def test_count_terms_counts_per_document_and_part() -> None:
    tokens = pd.DataFrame(
        {
            "doc_id": ["b", "b", "b", "b", "a"],
            "part": ["measures", "measures", "shortcomings", "measures", "plans"],
            "term": ["执法", "普法", "执法", "执法", "调解"],
        }
    )
    got = pipeline.count_terms(tokens)
    assert got.values.tolist() == [
        ["b", "measures", "执法", 2],
        ["b", "measures", "普法", 1],
        ["b", "shortcomings", "执法", 1],
        ["a", "plans", "调解", 1],
    ]
    assert list(got.dtypes.astype(str)) == ["string", "string", "string", "int64"]


def test_count_terms_empty_and_without_part() -> None:
    empty = pipeline.count_terms(pd.DataFrame({"doc_id": [], "term": []}))
    assert list(empty.columns) == list(pipeline.TERMS_COLUMNS) and empty.empty
    got = pipeline.count_terms(pd.DataFrame({"doc_id": ["a", "a"], "term": ["法治", "法治"]}))
    assert got["n"].tolist() == [2] and got["part"].isna().all()


def test_terms_matrix_is_sparse_and_keeps_empty_documents() -> None:
    terms = pd.DataFrame({"doc_id": ["a", "a", "a"], "part": ["x", "y", "y"], "term": ["法治", "法治", "普法"], "n": [2, 1, 4]})
    matrix, docs, vocab = pipeline.terms_matrix(terms, doc_ids=["a", "b"])
    assert matrix.format == "csr" and docs == ["a", "b"] and vocab == ["普法", "法治"]
    assert matrix.toarray().tolist() == [[4, 3], [0, 0]]


# --------------------------------------------------------------------------- benchmark harness


def test_bench_runs_pipeline_and_baseline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from analysis.pipeline import bench

    out = tmp_path / "bench.json"
    argv = ["--reports", "3", "--n-jobs", "1", "--cli", "--out-dir", str(tmp_path / "o"), "--data-dir", str(tmp_path), "--json", str(out)]
    assert bench.main(argv) == 0
    printed = capsys.readouterr().out
    for line in ("load (read + parse)", "start-up before the clock", "indicators", "term counts", "document-term matrix",
                 "baseline wall time", "speed-up: baseline / pipeline", "PSS", "command line end to end",
                 "command line / in-memory analysis", "floor (rjieba cut only", "pipeline / floor"):  # fmt: skip
        assert line in printed
    import json

    run = json.loads(out.read_text(encoding="utf-8"))["runs"][0]
    assert run["reports"] == run["files"] == 3
    assert run["pipeline"]["rows"]["corpus"] == 3 and run["pipeline"]["status"] == {"ok": 3}
    assert run["pipeline"]["peak_pss"] > 0 and run["baseline"]["tokens"] > 0
    assert run["pipeline"]["seconds"]["cpu"] > 0 and run["cpu_ratio"] > 0
    assert run["cli"]["rows"]["corpus"] == 3 and run["cli"]["peak_pss"] > 0 and run["cli_ratio"] > 0
    assert run["floor"]["tokens"] > 0 and run["floor_ratio"] > 0
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())  # the CLI's output is removed
    # the cached corpus is reused when its inputs have not changed
    folder = bench.bench_corpus(3, data_dir=tmp_path, log=lambda s: None)
    assert (folder / ".synth-key").exists() and len(bench.report_files(folder)) == 3
