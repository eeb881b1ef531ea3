"""Output folder: the tool never deletes what it did not write, and output appears all at once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from analysis.config import PROJECT_ROOT
from analysis.pipeline import cli
from analysis.pipeline.cli import main


def _run(corpus: Path, out: Path | str, *extra: str) -> int:
    return main(["run", "--corpus", str(corpus), "--out", str(out), "--n-jobs", "1", "--no-figures", *extra])


def _one_error_line(capsys: pytest.CaptureFixture[str], expected: str) -> None:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and expected in err, err
    assert "Traceback" not in err


def _siblings(folder: Path) -> list[str]:
    """Hidden staging folders the tool may have left next to ``folder``."""
    return sorted(p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}."))


def _complete(out: Path) -> dict:
    """Assert ``out`` is one complete output (manifest, every listed file, readable tables)."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert on_disk == set(manifest["outputs"]) | {"manifest.json"}
    for rel in manifest["outputs"]:
        if rel.endswith(".csv"):
            pd.read_csv(out / rel, encoding="utf-8-sig")
        elif rel.endswith(".parquet"):
            pd.read_parquet(out / rel)
    return manifest


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    "case,expected",
    [
        ("the corpus", "--out is the corpus folder"),
        ("contains the corpus", "--out contains the corpus folder"),
        ("inside the corpus", "--out lies inside the corpus folder"),
        ("the current folder", "current folder"),
        ("empty", "--out is empty"),
        ("the root", "root of the file system"),
        ("the home folder", "home folder"),
        ("holds a user's file", "holds files this tool did not write (notes.docx)"),
        ("holds a user's file in tables/", "holds files this tool did not write (tables/mine.xlsx)"),
        ("has no manifest", "holds files this tool did not write (manifest.json"),
        ("is a file", "exists and is not a folder"),
    ],
)
def test_overwrite_refuses_folders_it_did_not_write(
    case: str, expected: str, tmp_path: Path, small_corpus: Path, snapshot, monkeypatch, capsys
) -> None:
    """User runs with --overwrite on a dangerous --out -> one line, exit 2, nothing touched."""
    out: Path | str = tmp_path / "out"
    if case == "the corpus":
        out = small_corpus
    elif case == "contains the corpus":
        out = tmp_path
    elif case == "inside the corpus":
        out = small_corpus / "results"
    elif case == "the current folder":
        here = tmp_path / "work"
        here.mkdir()
        monkeypatch.chdir(here)
        out = "."
    elif case == "empty":
        out = ""
    elif case == "the root":
        out = "/"
    elif case == "the home folder":
        home = tmp_path / "home"
        home.mkdir()
        monkeypatch.setenv("HOME", str(home))
        out = home
    elif case.startswith("holds a user's file"):
        assert _run(small_corpus, out) == 0
        capsys.readouterr()
        target = out / ("tables/mine.xlsx" if "tables" in case else "notes.docx")
        target.write_bytes(b"a researcher's own work")
    elif case == "has no manifest":
        out.mkdir()
        (out / "tables").mkdir()
        (out / "tables" / "corpus.csv").write_text("doc_id\n", encoding="utf-8")
    elif case == "is a file":
        out.write_text("x", encoding="utf-8")
    before = snapshot(tmp_path)
    assert _run(small_corpus, out, "--overwrite") == 2
    _one_error_line(capsys, expected)
    assert snapshot(tmp_path) == before


def test_without_overwrite_an_existing_output_is_kept(tmp_path: Path, small_corpus: Path, snapshot, capsys) -> None:
    """User runs twice into the same folder -> the second run refuses and says --overwrite."""
    out = tmp_path / "out"
    assert _run(small_corpus, out) == 0
    before = snapshot(out)
    capsys.readouterr()
    assert _run(small_corpus, out) == 2
    _one_error_line(capsys, "use --overwrite")
    assert snapshot(out) == before


def test_overwrite_replaces_an_earlier_output(tmp_path: Path, small_corpus: Path, copy_seeds, capsys) -> None:
    """User re-runs with --overwrite on a new corpus -> the output is the new one, nothing left over."""
    out = tmp_path / "out"
    assert _run(small_corpus, out) == 0
    bigger = copy_seeds(tmp_path / "bigger", 3)
    assert _run(bigger, out, "--overwrite") == 0
    manifest = _complete(out)
    assert manifest["counts"]["ok"] == 3
    assert _siblings(out) == []
    # an empty folder is fine without --overwrite
    empty = tmp_path / "empty"
    empty.mkdir()
    assert _run(small_corpus, empty) == 0
    _complete(empty)


# --------------------------------------------------------------------------- atomic output


@pytest.mark.parametrize("where", ["tables", "figures", "manifest"])
def test_a_crash_while_writing_leaves_the_previous_output(
    where: str, tmp_path: Path, small_corpus: Path, snapshot, monkeypatch, capsys
) -> None:
    """A run that fails half-way through writing -> the previous output, byte for byte; no debris."""
    out = tmp_path / "out"
    assert _run(small_corpus, out) == 0
    before = snapshot(out)
    from analysis.pipeline import stream
    from analysis.plots import output

    real_write = stream.write_partition

    def write_then_fail(df, folder, name, index):  # noqa: ANN001, ANN202
        path = real_write(df, folder, name, index)
        if name == "problems":  # some tables written, then a crash
            raise OSError("disk full")
        return path

    if where == "tables":
        monkeypatch.setattr(stream, "write_partition", write_then_fail)
    elif where == "figures":
        monkeypatch.setattr(output, "write_figures", lambda figures, folder: (_ for _ in ()).throw(MemoryError()))
    else:
        monkeypatch.setattr(cli.json, "dumps", lambda *a, **k: (_ for _ in ()).throw(KeyboardInterrupt()))
    code = main(["run", "--corpus", str(small_corpus), "--out", str(out), "--n-jobs", "1", "--overwrite"])
    assert code == (130 if where == "manifest" else 1)
    assert snapshot(out) == before
    assert _siblings(out) == []


def _cli_process(corpus: Path, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "analysis", "run", "--corpus", str(corpus), "--out", str(out), "--overwrite", "--n-jobs", "2"],
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
    )


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, float]:
    """(corpus, a complete output of it, seconds a whole run takes) for the kill tests."""
    import shutil

    from analysis.config import SEEDS_DIR

    root = tmp_path_factory.mktemp("killed")
    corpus = root / "corpus"
    corpus.mkdir()
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        shutil.copyfile(path, corpus / path.name)
    out = root / "out"
    started = time.monotonic()
    proc = _cli_process(corpus, out)
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err.decode()
    return corpus, out, time.monotonic() - started


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_killed_mid_run_leaves_one_complete_output(sig: signal.Signals, finished_run, tmp_path: Path, snapshot) -> None:
    """User presses Ctrl-C / the job is killed at any moment -> the previous or the new output, never a mix."""
    import shutil

    corpus, reference, full_run = finished_run
    out = tmp_path / "out"
    shutil.copytree(reference, out)
    previous = snapshot(out)
    for fraction in (0.4, 0.7, 0.95):
        proc = _cli_process(corpus, out)
        time.sleep(full_run * fraction)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=600)
        now = snapshot(out)
        if now != previous:
            _complete(out)  # raises unless a whole new output
            previous = now
        if sig != signal.SIGKILL:
            # 130/143: handled by the tool; -sig: killed while Python was still starting
            assert proc.returncode in (0, 130, 143, -sig), err.decode()
            assert _siblings(out) == []  # staging folders are removed on the way out


def test_sigterm_stops_the_workers_too(tmp_path: Path) -> None:
    """The job is terminated while workers analyse -> the tool and its workers end promptly."""
    import psutil

    from analysis.pipeline import synth

    corpus = tmp_path / "corpus"
    synth.generate_corpus(corpus, 60, seed=1)  # several chunks: a pool of two workers
    proc = _cli_process(corpus, tmp_path / "out")
    parent = psutil.Process(proc.pid)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(parent.children()) < 2:
        time.sleep(0.02)
    children = parent.children(recursive=True)
    assert len(children) >= 2, "the run ended before its workers started"
    proc.send_signal(signal.SIGTERM)
    stopped = time.monotonic()
    proc.communicate(timeout=60)
    assert proc.returncode in (0, 143)
    _gone, alive = psutil.wait_procs(children, timeout=10)
    assert not alive
    assert time.monotonic() - stopped < 20
    assert not (tmp_path / "out").exists() or proc.returncode == 0
