"""Command line: bad input gives one line and a non-zero exit; a run writes every table."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.pipeline import read_tables
from analysis.pipeline.cli import PARTITIONED, TABLES, export_table, main
from analysis.config import PROJECT_ROOT, SEEDS_DIR


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=600
    )


@pytest.mark.parametrize(
    "setup,expected",
    [
        ("missing", "corpus folder not found"),
        ("empty", "no report files under"),
        ("exists", "output folder exists and is not empty"),
        ("unwritable", "not writable"),
    ],
)
def test_bad_input_is_one_line(setup: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    (corpus / "a.txt").write_text("某某区司法局2023年法治政府建设年度报告\n2023年,我局…", encoding="utf-8")
    if setup == "missing":
        corpus = tmp_path / "nope"
    elif setup == "empty":
        corpus = tmp_path / "empty"
        corpus.mkdir()
    elif setup == "exists":
        out.mkdir()
        (out / "old.csv").write_text("x", encoding="utf-8")
    elif setup == "unwritable":
        if os.geteuid() == 0:
            out = Path("/proc/version/out")  # not writable even for root
        else:
            locked = tmp_path / "locked"
            locked.mkdir(mode=0o500)
            out = locked / "out"
    code = main(["run", "--corpus", str(corpus), "--out", str(out), "--no-figures"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("error: ") and expected in err
    assert "Traceback" not in err


def test_export_table_csv_has_bom_and_chinese(tmp_path: Path) -> None:
    df = pd.DataFrame({"doc_id": ["a"], "term": ["法治政府"], "themes": [["staffing", "publicity"]], "n": pd.array([3], dtype="Int64")})
    paths = export_table(df, "t", tmp_path, stata=True)
    raw = (tmp_path / "t.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "法治政府" in raw.decode("utf-8-sig")
    assert "staffing|publicity" in raw.decode("utf-8-sig")
    assert pd.read_parquet(paths[0])["term"].tolist() == ["法治政府"]
    assert pd.read_stata(tmp_path / "t.dta")["term"].tolist() == ["法治政府"]


def test_run_on_seeds_writes_every_table(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = _cli("run", "--corpus", str(SEEDS_DIR), "--out", str(out), "--n-jobs", "1")
    assert proc.returncode == 0, proc.stderr
    assert "read 5 report files" in proc.stdout
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for name in TABLES:
        if name in PARTITIONED:  # a partitioned dataset: tables/NAME/part-00000.parquet …
            assert sorted(p.name for p in (out / "tables" / name).iterdir())[0] == "part-00000.parquet", name
        else:
            assert (out / "tables" / f"{name}.parquet").exists(), name
        assert (out / "tables" / f"{name}.csv").read_bytes().startswith(b"\xef\xbb\xbf"), name
        assert manifest["tables"][name]["files"][-1] == f"{name}.csv", name
    tables = read_tables(out)
    assert set(tables) == set(TABLES) and len(tables["texts"]) == 5
    assert set(manifest["seconds"]) >= {"analyse", "corpus", "csv", "finish", "total"}
    assert "time: analyse" in proc.stdout
    assert manifest["counts"] == {"ok": 5, "warning": 0, "error": 0}
    assert len(manifest["files"]) == 5 and all(len(f["sha256"]) == 64 for f in manifest["files"])
    assert manifest["figures"] and all((out / "figures" / f).exists() for f in manifest["figures"])
    corpus = pd.read_parquet(out / "tables" / "corpus.parquet")
    assert "text" not in corpus.columns
    # a second run into the same folder is refused, then allowed with --overwrite
    again = _cli("run", "--corpus", str(SEEDS_DIR), "--out", str(out), "--no-figures")
    assert again.returncode == 2 and "--overwrite" in again.stderr
    assert _cli("run", "--corpus", str(SEEDS_DIR), "--out", str(out), "--no-figures", "--overwrite").returncode == 0
