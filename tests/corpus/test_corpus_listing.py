"""Listing a folder: every entry is a row or named as skipped; ids unique; paths writable.

Each test is a user's action and what they see.
"""

from __future__ import annotations

import os
import socket
import warnings
from pathlib import Path, PurePosixPath

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.config import SEEDS_DIR
from analysis.corpus import CorpusWarning, list_corpus, load_corpus
from analysis.corpus.listing import display_path, doc_id, doc_id_for, doc_ids, os_path

SEED = (SEEDS_DIR / "000_d8e34bf18eeaca77.txt").read_bytes()
GBK_NAME = os.fsdecode("报告2023".encode("gbk") + b".txt")  # a name from a zip made on Chinese Windows


def _load(path: Path, **kw: object) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CorpusWarning)
        return load_corpus(path, **kw)


# ----------------------------------------------------------------- doc ids


def test_names_differing_in_extension_or_case_are_three_reports(tmp_path: Path) -> None:
    """r.txt, r.TXT and r.html in one folder: three rows with three ids; s.txt keeps 's'."""
    for name in ("r.txt", "r.TXT", "r.html", "s.txt"):
        (tmp_path / name).write_bytes(SEED)
    df = _load(tmp_path)
    assert sorted(df["doc_id"]) == ["r.TXT", "r.html", "r.txt", "s"]
    assert df["doc_id"].is_unique


def test_a_name_without_extension_beside_its_twin_keeps_both(tmp_path: Path) -> None:
    (tmp_path / "r").write_bytes(SEED)
    (tmp_path / "r.txt").write_bytes(SEED)
    (tmp_path / "r.txt.html").write_bytes(SEED)  # its stem is the other's name
    df = _load(tmp_path)
    assert sorted(df["doc_id"]) == ["r", "r.txt", "r.txt.html"]


def test_read_report_gives_the_ids_load_corpus_gives(tmp_path: Path) -> None:
    """The pipeline's workers read file by file: the id comes out the same."""
    for name in ("a/r.txt", "a/r.html", "a/s.txt", "b/r.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(SEED)
    table = _load(tmp_path)
    assert [doc_id_for(tmp_path / p, tmp_path) for p in table["path"]] == list(table["doc_id"])


_NAME = st.text(alphabet=st.sampled_from(list("rR.sx报")), min_size=1, max_size=5).filter(lambda n: n not in (".", ".."))
_SUFFIX = st.sampled_from(["", ".txt", ".TXT", ".html", ".htm", ".pdf", ".docx", ".doc", ".md", ".Txt"])


@settings(max_examples=60, deadline=None)
@given(layout=st.lists(st.tuples(st.sampled_from(["", "a/", "a/b/", "A/"]), _NAME, _SUFFIX), min_size=1, max_size=12))
def test_doc_ids_are_unique_by_construction(layout: list[tuple[str, str, str]]) -> None:
    rels = sorted({folder + name + suffix for folder, name, suffix in layout})
    ids = doc_ids(rels)
    assert len(set(ids.values())) == len(rels)
    for rel, found in ids.items():
        assert found in (rel, doc_id(rel))  # the stem, or the whole path when the stem is taken


@settings(max_examples=300, deadline=None)
@given(raw=st.text(alphabet=st.sampled_from(list("ab._/ 中.\\")), min_size=1, max_size=16))
def test_doc_id_equals_pathlib(raw: str) -> None:
    rel = PurePosixPath(raw).as_posix()
    try:
        expected = Path(rel).with_suffix("").as_posix()
    except ValueError:  # no file name ("." or "/"): never a report's path
        return
    assert doc_id(rel) == expected


# ----------------------------------------------------------------- names that are not UTF-8


@settings(max_examples=200, deadline=None)
@given(raw=st.binary(min_size=1, max_size=12))
def test_display_path_is_readable_reversible_utf8(raw: bytes) -> None:
    name = os.fsdecode(raw)
    shown = display_path(name)
    shown.encode("utf-8")  # always writable
    assert os_path(shown) == name


def test_gbk_file_names_load_and_export(tmp_path: Path) -> None:
    """A GBK-named file loads; its path shows the bytes as \\x..; CSV, Parquet, Stata write."""
    from analysis.pipeline.cli import export_table

    (tmp_path / GBK_NAME).write_bytes(SEED)
    (tmp_path / (GBK_NAME[:-4] + ".html")).write_bytes(b"")
    df = _load(tmp_path)
    assert len(df) == 2
    row = df.iloc[1]
    assert row["path"] == "\\xb1\\xa8\\xb8\\xe62023.txt" and row["status"] == "ok"
    assert (tmp_path / os_path(row["path"])).read_bytes() == SEED
    written = export_table(df.drop(columns=["text"]), "corpus", tmp_path / "out", stata=True)
    assert [p.suffix for p in written] == [".parquet", ".csv", ".dta"]
    assert pd.read_parquet(written[0])["path"].tolist() == df["path"].tolist()


# ----------------------------------------------------------------- what is listed


def test_hidden_lock_and_other_files_are_all_named(tmp_path: Path) -> None:
    """Every file not read is named (all of them, with a reason), not just the first 20."""
    names = [f"notes{i}.md" for i in range(25)] + ["~$report.docx", ".DS_Store", "~WRL0001.tmp", "r.txt"]
    for name in names:
        (tmp_path / name).write_bytes(SEED)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_bytes(SEED)
    found = list_corpus(tmp_path)
    assert [p.name for p in found.files] == ["r.txt"]
    reasons = {s.path: s.reason for s in found.skipped}
    assert len(reasons) == 29
    assert reasons[".git/"] == "hidden folder (not searched)"
    assert reasons["~$report.docx"].startswith("editor lock")
    assert reasons[".DS_Store"] == "hidden file"
    assert reasons["notes24.md"] == "not a report format (.md)"
    with pytest.warns(CorpusWarning, match=r"29 file\(s\).* and 9 more$"):
        load_corpus(tmp_path)


def test_unsupported_documents_and_extensionless_files_are_rows(tmp_path: Path) -> None:
    for name in ("a.doc", "b.ZIP", "c.jpg", "d", "e.WPS"):
        (tmp_path / name).write_bytes(SEED)
    assert [p.name for p in list_corpus(tmp_path).files] == ["a.doc", "b.ZIP", "c.jpg", "d", "e.WPS"]


# ----------------------------------------------------------------- special files and symlinks


def test_fifo_socket_and_symlinks_to_them_are_error_rows(tmp_path: Path) -> None:
    """A FIFO would block a reader forever: it is an error row, at once."""
    os.mkfifo(tmp_path / "pipe.txt")
    os.symlink("pipe.txt", tmp_path / "to_pipe.html")
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(tmp_path / "sock.txt"))
        os.symlink("/dev/zero", tmp_path / "zero.txt")  # an endless device
        (tmp_path / "ok.txt").write_bytes(SEED)
        df = _load(tmp_path, follow_symlinks=True).set_index("path")
    finally:
        sock.close()
    assert df.loc["pipe.txt", "message"] == "not a regular file (a named pipe (FIFO)): not opened"
    assert df.loc["to_pipe.html", "message"] == "not a regular file (a named pipe (FIFO)): not opened"
    assert df.loc["sock.txt", "message"] == "not a regular file (a socket): not opened"
    assert df.loc["zero.txt", "message"] == "not a regular file (a character device): not opened"
    assert df.loc["ok.txt", "status"] == "ok"
    assert (df.drop(index="ok.txt")["status"] == "error").all()


def test_files_over_the_size_limit_are_error_rows(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_bytes(SEED * 4)
    (tmp_path / "small.txt").write_bytes(SEED[:3000])
    df = _load(tmp_path, max_bytes=len(SEED) * 2).set_index("path")
    assert df.loc["big.txt", "status"] == "error"
    assert df.loc["big.txt", "message"].startswith("too large: ") and "max_bytes=" in df.loc["big.txt", "message"] and "--max-mb" in df.loc["big.txt", "message"]
    assert df.loc["small.txt", "status"] == "ok"


@pytest.mark.parametrize("seen", [0, 1, 1000, 1 << 20])
def test_a_file_that_grew_after_it_was_measured_is_read_whole_up_to_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seen: int
) -> None:
    """read_bytes asks for the measured size plus one byte: a file that grew since (here:
    measured smaller than it is) is read to its end, and refused past the limit."""
    from analysis.corpus import read as read_module

    data = SEED * (1 + (1 << 20) // len(SEED))  # over 1 MiB: more than one read after the first
    path = tmp_path / "r.txt"
    path.write_bytes(data)
    real_lstat = os.lstat

    def measured_small(p: object) -> os.stat_result:
        st = real_lstat(p)
        fields = list(st)
        fields[6] = min(seen, st.st_size)  # st_size
        return os.stat_result(fields)

    monkeypatch.setattr(read_module.os, "lstat", measured_small)
    assert read_module.read_bytes(path) == data
    with pytest.raises(read_module.FileRefused, match="too large"):
        read_module.read_bytes(path, max_bytes=len(data) - 1)
    assert read_module.read_bytes(path, max_bytes=len(data)) == data


def test_symlinks_leading_outside_are_followed_only_when_asked(tmp_path: Path) -> None:
    corpus, outside = tmp_path / "corpus", tmp_path / "outside"
    corpus.mkdir()
    (outside / "more").mkdir(parents=True)
    (outside / "o.txt").write_bytes(SEED)
    (outside / "more" / "m.txt").write_bytes(SEED.replace(b"2024", b"2023"))
    os.symlink(outside / "o.txt", corpus / "o.txt")
    os.symlink(outside / "more", corpus / "more")
    os.symlink(corpus / "missing.txt", corpus / "broken.txt")
    df = _load(corpus).set_index("path")
    assert list(df.index) == ["broken.txt", "o.txt"]
    assert df.loc["o.txt", "message"].startswith("symlink leads outside the corpus folder")
    assert "follow_symlinks=True" in df.loc["o.txt", "message"]
    assert df.loc["broken.txt", "message"].startswith("broken symlink")
    reasons = {s.path: s.reason for s in list_corpus(corpus).skipped}
    assert reasons["more/"].startswith("symlinked folder leads outside the corpus folder")
    followed = _load(corpus, follow_symlinks=True).set_index("path")
    assert list(followed.index) == ["broken.txt", "more/m.txt", "o.txt"]
    assert followed.loc["o.txt", "status"] == "ok" and followed.loc["more/m.txt", "status"] == "ok"


def test_symlinked_folder_loops_are_walked_once_and_listed(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "r.txt").write_bytes(SEED)
    os.symlink("..", tmp_path / "a" / "up")  # a loop back to the corpus root
    os.symlink(tmp_path / "a", tmp_path / "alias")  # a second way into a folder that is read anyway
    found = list_corpus(tmp_path, follow_symlinks=True)
    assert [p.relative_to(tmp_path).as_posix() for p in found.files] == ["a/r.txt"]
    reasons = {s.path: s.reason for s in found.skipped}
    assert set(reasons) == {"a/up/", "alias/"}
    assert reasons["alias/"] == "symlinked folder: its target a/ is read where it is"


def test_unlistable_folder_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "r.txt").write_bytes(SEED)
    (tmp_path / "r.txt").write_bytes(SEED)
    real_scandir = os.scandir

    def scandir(path):  # noqa: ANN001, ANN202 - what a folder without read permission does
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = list_corpus(tmp_path)
    assert [p.name for p in found.files] == ["r.txt"]
    assert [(s.path, s.reason) for s in found.skipped] == [("locked/", "folder cannot be listed: Permission denied")]
