"""A researcher's whole folder: every form of every seed, stand-ins for what cannot be read,
an index — and random folders that must always give one row per entry."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.config import PROJECT_ROOT, SEEDS_DIR
from analysis.corpus import COLUMNS, CorpusWarning, list_corpus, load_corpus
from analysis.corpus.formats import UNSUPPORTED_MESSAGES
from analysis.corpus.formats.pdf import SCANNED_PDF
from analysis.corpus.listing import display_path

from .conftest import SEED_NAMES, scanned_pdf_bytes

META = ["title", "issuer", "issuer_type", "province", "city", "county", "subdistrict", "report_year"]
FORMS = {".txt": "text", ".html": "html", ".docx": "docx", ".pdf": "pdf", ".mht": "mht", ".trad.txt": "text", ".big5.txt": "text"}


@pytest.fixture(scope="module")
def folder(rendered_seeds, tmp_path_factory) -> Path:  # noqa: ANN001
    root = tmp_path_factory.mktemp("researcher")
    index = ["file,url,publish_date"]
    for i, name in enumerate(SEED_NAMES):
        raw = (SEEDS_DIR / name).read_text(encoding="utf-8")
        sub = root / f"region{i}"
        sub.mkdir()
        (sub / "report.txt").write_text(raw, encoding="utf-8")
        (sub / "report.html").write_bytes(
            f'<html><head><meta charset="gb2312"></head><body><p>{raw}</p></body></html>'.replace("\xa0", " ").encode("gbk")
        )
        for suffix in (".docx", ".pdf", ".mht", ".trad.txt", ".big5.txt"):
            (sub / f"report{suffix}").write_bytes(rendered_seeds[name][suffix])
        index.append(f"region{i}/report.html,http://www.example.gov.cn/zwgk/202401/t2024010{i + 1}_{i}.html,")
    stand_ins = root / "other"
    stand_ins.mkdir()
    (stand_ins / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    (stand_ins / "bundle.zip").write_bytes(b"PK\x05\x06" + b"\x00" * 18)  # an empty zip
    (stand_ins / "scan.pdf").write_bytes(scanned_pdf_bytes())
    (stand_ins / "~$report.docx").write_bytes(b"\x00" * 162)
    (root / "index.csv").write_text("\n".join(index) + "\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def folder_table(folder: Path) -> pd.DataFrame:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = load_corpus(folder)
    messages = [str(w.message) for w in caught]
    assert messages == [
        "1 file(s) under the corpus folder were not read (other types, hidden, lock files; list_corpus(path).skipped "
        "gives each reason): other/~$report.docx"
    ]
    return table


def test_one_row_per_file_with_the_right_status(folder: Path, folder_table: pd.DataFrame) -> None:
    assert len(folder_table) == 7 * len(SEED_NAMES) + 3
    rows = folder_table.set_index("path")
    assert rows.loc["other/old.doc", ["status", "format", "message"]].tolist() == ["error", "doc", UNSUPPORTED_MESSAGES["doc"]]
    assert rows.loc["other/bundle.zip", ["status", "format", "message"]].tolist() == ["error", "zip", UNSUPPORTED_MESSAGES["zip"]]
    assert rows.loc["other/scan.pdf", ["status", "format", "message"]].tolist() == ["error", "pdf", SCANNED_PDF]
    skipped = {s.path: s.reason for s in list_corpus(folder).skipped}
    assert skipped == {"index.csv": "crawler index (read as metadata, not as a report)", "other/~$report.docx": "editor lock or temporary file (Word/WPS)"}
    reports = folder_table[~folder_table["path"].str.startswith("other/")]
    assert set(reports["status"]) <= {"ok", "warning"}
    # warnings are duplicates of another form of the same report, nothing else
    for message in reports.loc[reports["status"] == "warning", "message"]:
        assert "duplicate: identical report text as region" in message


def test_metadata_equal_across_forms(folder_table: pd.DataFrame) -> None:
    for i, _ in enumerate(SEED_NAMES):
        forms = folder_table[folder_table["path"].str.startswith(f"region{i}/")].set_index("path")
        base = forms.loc[f"region{i}/report.txt"]
        for suffix, fmt in FORMS.items():
            row = forms.loc[f"region{i}/report{suffix}"]
            assert row["format"] == fmt
            assert row["script"] == ("traditional" if suffix in (".trad.txt", ".big5.txt") else "simplified")
            for col in META:
                assert (pd.isna(row[col]) and pd.isna(base[col])) or row[col] == base[col], (suffix, col)
            # the seed's one traditional character (虛 in 003) comes back simplified
            assert row["text"] == (base["text"].replace("虛", "虚") if row["script"] == "traditional" else base["text"])


def test_encodings_and_the_index(folder_table: pd.DataFrame) -> None:
    rows = folder_table.set_index("path")
    assert rows.loc["region0/report.html", "encoding"] == "gb18030"
    assert rows.loc["region0/report.big5.txt", "encoding"] == "big5hkscs"
    assert pd.isna(rows.loc["region0/report.docx", "encoding"])  # not decoded as text
    assert rows.loc["region0/report.html", "url"] == "http://www.example.gov.cn/zwgk/202401/t20240101_0.html"
    # 000 (琶洲) has no date on the page: the index's URL gives it; the .txt has none
    assert str(rows.loc["region0/report.html", "publish_date"].date()) == "2024-01-01"
    assert pd.isna(rows.loc["region0/report.txt", "publish_date"])
    # 001 (海珠) has its own date: the URL's date is not used, and is no conflict
    assert str(rows.loc["region1/report.html", "publish_date"].date()) == "2023-12-13"
    assert folder_table["index_conflicts"].isna().all()


# ----------------------------------------------------------------- random folders

_NAMES = st.one_of(
    st.sampled_from(["r.txt", "r.TXT", "r.html", "r", ".hidden.txt", "~$r.docx", "a.pdf", "a.docx", "x.md", "x.zip", "y.mht", "index.csv"]),
    st.binary(min_size=1, max_size=10).map(lambda b: os.fsdecode(b.replace(b"/", b"_").replace(b"\x00", b"_"))),
)
_KINDS = st.sampled_from(["bytes", "bytes", "seed", "fifo", "dir", "link_out", "link_in", "link_broken", "link_loop"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    entries=st.lists(
        st.tuples(st.sampled_from(["", "d/", "d/e/"]), _NAMES, _KINDS, st.binary(max_size=300)), min_size=1, max_size=10
    )
)
def test_a_random_folder_gives_one_row_per_entry_and_never_raises(
    entries: list[tuple[str, str, str, bytes]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Random names (any bytes), contents, FIFOs, symlinks in and out and in loops,
    duplicates: every entry is a row or named as skipped, never both, never neither."""
    base = tmp_path_factory.mktemp("random")
    root, outside = base / "corpus", base / "outside"
    outside.mkdir()
    (outside / "o.txt").write_bytes((SEEDS_DIR / SEED_NAMES[0]).read_bytes())
    seed = (SEEDS_DIR / SEED_NAMES[1]).read_bytes()
    for folder, name, kind, data in entries:
        if name in (".", ".."):
            continue
        path = root / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if os.path.lexists(path) or path.parent.is_symlink():
            continue
        if kind == "bytes":
            path.write_bytes(data)
        elif kind == "seed":
            path.write_bytes(seed)
        elif kind == "fifo":
            os.mkfifo(path)
        elif kind == "dir":
            path.mkdir()
            (path / "inner.txt").write_bytes(data)
        elif kind == "link_out":
            os.symlink(outside / "o.txt", path)
        elif kind == "link_in":
            os.symlink(root, path)
        elif kind == "link_broken":
            os.symlink(root / "no such file", path)
        else:
            os.symlink(path, path)  # a symlink to itself
    # every entry under the root, as the listing shows paths (symlinked folders not entered)
    entries_on_disk = set()
    for dirpath, dirnames, filenames in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        prefix = "" if rel == "." else display_path(Path(rel).as_posix()) + "/"
        hidden_or_link = [d for d in dirnames if d.startswith(".") or os.path.islink(os.path.join(dirpath, d))]
        entries_on_disk |= {prefix + display_path(d) + "/" for d in hidden_or_link}
        dirnames[:] = [d for d in dirnames if d not in hidden_or_link]
        entries_on_disk |= {prefix + display_path(f) for f in filenames}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CorpusWarning)
        df = load_corpus(root)
    skipped = {s.path for s in list_corpus(root).skipped}
    rows = set(df["path"])
    assert len(rows) == len(df)  # one row per file
    assert not rows & skipped
    assert rows | skipped == entries_on_disk
    assert df["doc_id"].is_unique
    assert list(df.columns) == COLUMNS
    assert set(df["status"]) <= {"ok", "warning", "error"}
    for col in ("path", "doc_id", "message"):
        for value in df[col]:
            value.encode("utf-8")  # every table and export can hold it


def test_the_cli_runs_unchanged_on_a_researchers_folder(folder: Path, tmp_path: Path) -> None:
    """A researcher's folder (docx, pdf, mht, traditional, Big5, .doc/.zip/scan, index.csv) -> the CLI
    writes every table with one corpus row per file and exits 0."""
    from analysis.pipeline.cli import main

    out = tmp_path / "out"
    assert main(["run", "--corpus", str(folder), "--out", str(out), "--n-jobs", "1", "--no-figures"]) == 0
    corpus = pd.read_parquet(out / "tables" / "corpus.parquet")
    with pytest.warns(CorpusWarning, match="lock files"):
        n_loaded = len(load_corpus(folder))
    assert len(corpus) == len(list_corpus(folder).files) == n_loaded
    assert set(corpus["format"].dropna()) >= {"text", "html", "docx", "pdf", "mht"}
    assert (corpus["script"] == "traditional").sum() >= len(SEED_NAMES)


@pytest.mark.slow
@pytest.mark.parametrize("notebook", sorted(p.name for p in (PROJECT_ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")))
def test_the_notebooks_run_unchanged_on_a_researchers_folder(notebook: str, folder: Path, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "ANALYSIS_CORPUS": str(folder),
        "ANALYSIS_FIGURES": str(tmp_path / "figures"),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")])),
    }
    proc = subprocess.run(
        [sys.executable, "scripts/run_notebooks.py", f"notebooks/{notebook}", "--out", str(tmp_path / "executed")],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
