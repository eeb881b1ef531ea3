"""A stage that raises on one report does not take the run down."""

from __future__ import annotations

import decimal
import json
import warnings
from pathlib import Path

import pandas as pd
import pytest

import analysis
from analysis.pipeline import TABLES, StageFailureWarning, run_pipeline
from analysis.pipeline.cli import main

BAD = "001_21f1fb0ed6b4f7e5"  # the second seed report


@pytest.fixture
def corpus(copy_seeds, tmp_path: Path) -> Path:
    return copy_seeds(tmp_path / "corpus", 5)


@pytest.fixture
def broken_indicators(monkeypatch: pytest.MonkeyPatch) -> None:
    """The indicator stage raises on one report, as a parser bug not found yet would."""
    real = analysis.extract_indicators_and_audit

    def extract(corpus: pd.DataFrame, sections: pd.DataFrame | None = None):  # noqa: ANN202
        if (corpus["doc_id"] == BAD).any():
            raise decimal.InvalidOperation([decimal.DivisionImpossible])
        return real(corpus, sections)

    monkeypatch.setattr(analysis, "extract_indicators_and_audit", extract)


def _quiet(corpus_path: Path, **kwargs) -> dict[str, pd.DataFrame]:  # noqa: ANN003
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return run_pipeline(corpus_path, **kwargs)


@pytest.mark.parametrize("engine,chunk_size", [("pandas", None), ("pandas", 2), ("dask", 2)])
def test_one_report_failing_a_stage(corpus: Path, broken_indicators, engine: str, chunk_size: int | None) -> None:
    """A stage raises on one report -> that report is an error row naming stage and exception; the rest are analysed."""
    kwargs: dict = {"n_jobs": 1, "chunk_size": chunk_size}
    cluster = None
    if engine == "dask":
        from distributed import LocalCluster

        # worker threads see the patched stage (worker processes would import it afresh)
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None)
        kwargs.update(engine="dask", scheduler=cluster.scheduler_address)
    try:
        with pytest.warns(StageFailureWarning, match=f"1 report.*{BAD}.*stage indicators: InvalidOperation"):
            tables = run_pipeline(corpus, **kwargs)
    finally:
        if cluster is not None:
            cluster.close()
    row = tables["corpus"].set_index("doc_id").loc[BAD]
    assert row["status"] == "error"
    assert row["message"].startswith("analysis failed in stage indicators: InvalidOperation")
    others = tables["corpus"][tables["corpus"]["doc_id"] != BAD]
    assert (others["status"] == "ok").all()
    for name in TABLES[1:]:
        assert BAD not in set(tables[name]["doc_id"]), name
        assert set(tables[name]["doc_id"]) <= set(others["doc_id"])


def test_the_other_reports_get_the_tables_of_a_clean_run(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reports that pass get exactly the rows a run without the failure gives them."""
    clean = _quiet(corpus, n_jobs=1)
    real = analysis.extract_indicators_and_audit

    def extract(c: pd.DataFrame, sections: pd.DataFrame | None = None):  # noqa: ANN202
        if (c["doc_id"] == BAD).any():
            raise ValueError("a parser bug")
        return real(c, sections)

    monkeypatch.setattr(analysis, "extract_indicators_and_audit", extract)
    broken = _quiet(corpus, n_jobs=1)
    for name in TABLES[1:]:
        expected = clean[name][clean[name]["doc_id"] != BAD].reset_index(drop=True)
        pd.testing.assert_frame_equal(broken[name], expected, obj=name)


def test_a_table_given_in_memory_is_not_mutated(corpus: Path, broken_indicators) -> None:
    """A loaded table goes in -> the returned corpus marks the failure; the caller's table is unchanged."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loaded = analysis.load_corpus(corpus)
    before = loaded.copy(deep=True)
    with pytest.warns(StageFailureWarning):
        tables = run_pipeline(loaded, n_jobs=1)
    pd.testing.assert_frame_equal(loaded, before)
    got = tables["corpus"].set_index("doc_id")
    assert got.loc[BAD, "status"] == "error" and "stage indicators" in got.loc[BAD, "message"]
    assert tables["corpus"].dtypes.equals(before.dtypes)


def test_cli_exits_non_zero_only_with_strict(corpus: Path, broken_indicators, tmp_path: Path, capsys) -> None:
    """CLI on a folder where one report breaks a stage -> tables written, exit 0; --strict -> exit 1."""
    out = tmp_path / "out"
    args = ["run", "--corpus", str(corpus), "--out", str(out), "--n-jobs", "1", "--no-figures"]
    assert main(args) == 0
    printed = capsys.readouterr()
    assert f"error: {BAD}.txt: analysis failed in stage indicators: InvalidOperation" in printed.out
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"] == {"ok": 4, "warning": 0, "error": 1}
    entry = next(f for f in manifest["files"] if f["path"] == f"{BAD}.txt")
    assert entry["status"] == "error" and "InvalidOperation" in entry["message"]
    assert main([*args, "--overwrite", "--strict"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "1 report(s) have status error (--strict)" in err
