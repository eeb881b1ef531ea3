"""What the command line writes: spreadsheet-safe CSV, exact Parquet, long tables, unread files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from analysis import safe_csv
from analysis.pipeline.cli import main
from analysis.pipeline.export import export_table

DANGEROUS = ["=HYPERLINK(\"http://x\",\"点击\")", "+86-20-1234", "-一、总体情况", "@SUM(A1:A9)", "\tcmd", "\rline"]


def test_csv_cells_never_start_a_formula_and_parquet_keeps_the_text(tmp_path: Path) -> None:
    """A table with text that Excel would run goes out -> the CSV cell starts with ', the Parquet is exact."""
    df = pd.DataFrame(
        {
            "text": pd.array([*DANGEROUS, "依法行政", None], dtype="string"),
            "plain": [*DANGEROUS, "普法", "a=b"],  # object column
            "kind": pd.Categorical(["=x", "y", "=x", "y", "y", "y", "y", "y"]),
            "n": [-3, 1, 2, 3, 4, 5, 6, 7],  # numbers stay numbers
            "share": [-0.5, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7],
        }
    )
    paths = export_table(df, "t", tmp_path)
    with open(tmp_path / "t.csv", encoding="utf-8-sig", newline="") as fh:
        header, *cells = list(csv.reader(fh))
    back = pd.DataFrame(cells, columns=header)
    assert back["text"].tolist()[:6] == ["'" + v for v in DANGEROUS]
    assert back["text"].tolist()[6:] == ["依法行政", ""]
    assert back["plain"].tolist() == ["'" + v for v in DANGEROUS] + ["普法", "a=b"]
    assert back["kind"].tolist()[:3] == ["'=x", "y", "'=x"]
    assert back["n"].tolist()[0] == "-3" and back["share"].tolist()[0] == "-0.5"
    exact = pd.read_parquet(paths[0])
    pd.testing.assert_frame_equal(exact, df)


def test_write_csv_is_the_helper_every_writer_uses(tmp_path: Path) -> None:
    """Another module writing a sheet (coding sheets) calls write_csv -> the same protection, BOM, LF."""
    path = safe_csv.write_csv(pd.DataFrame({"=col": ["-1+1", "ok"]}), tmp_path / "sheet.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" not in raw
    assert raw.decode("utf-8-sig") == "'=col\n'-1+1\nok\n"


def test_long_table_is_written_as_parquet_only(small_corpus: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    """A table longer than a spreadsheet opens -> Parquet only, a note in the manifest and the summary."""
    monkeypatch.setattr(safe_csv, "EXCEL_MAX_ROWS", 50)  # the terms of two reports have more rows
    out = tmp_path / "out"
    assert main(["run", "--corpus", str(small_corpus), "--out", str(out), "--n-jobs", "1", "--no-figures"]) == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    rows = {name: entry["rows"] for name, entry in manifest["tables"].items()}
    long = {name for name, n in rows.items() if n + 1 > 50}
    assert "terms" in long and "corpus" not in long and "sections" not in long
    for name, entry in manifest["tables"].items():
        assert all((out / "tables" / f).exists() for f in entry["files"]), name
        assert any(f.endswith(".parquet") for f in entry["files"]), name
        assert (out / "tables" / f"{name}.csv").exists() == (name not in long), name
    assert len([n for n in manifest["notes"] if "more than a spreadsheet opens" in n]) == len(long)
    assert any(note.startswith(f"terms has {rows['terms']:,} rows") and "Parquet only" in note for note in manifest["notes"])
    printed = capsys.readouterr().out
    assert "note: terms has" in printed and "written as Parquet only (tables/terms/)" in printed


def test_every_file_not_read_is_named(small_corpus: Path, tmp_path: Path, capsys) -> None:
    """A corpus folder with hidden files, lock files and other types -> all named in the manifest, counted in the summary."""
    extra = {
        ".DS_Store": "hidden",
        ".git/config": "hidden",
        "~$报告.docx": "editor lock file",
        "README.md": "not a report file type",
        **{f"data/table-{i:02d}.json": "not a report file type" for i in range(25)},  # more than 20
    }
    # files of document types the loader knows but cannot read are rows (status error)
    # with what to do, not "not read": one file -> one row
    for rel in ["notes.pdf", *(f"scans/page-{i:02d}.jpg" for i in range(3))]:
        (small_corpus / rel).parent.mkdir(parents=True, exist_ok=True)
        (small_corpus / rel).write_bytes(b"x")
    for rel in extra:
        (small_corpus / rel).parent.mkdir(parents=True, exist_ok=True)
        (small_corpus / rel).write_bytes(b"x")
    (small_corpus / "linked").symlink_to(tmp_path, target_is_directory=True)
    extra["linked"] = "link to a folder"
    out = tmp_path / "out"
    assert main(["run", "--corpus", str(small_corpus), "--out", str(out), "--n-jobs", "1", "--no-figures"]) == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {e["path"]: e["reason"] for e in manifest["not_read"]} == extra
    assert len(manifest["files"]) == 6  # the two reports and the four error rows
    corpus = pd.read_parquet(out / "tables" / "corpus.parquet")
    errors = corpus.set_index("path").loc[["notes.pdf", "scans/page-00.jpg"], ["status", "message"]]
    assert errors["status"].tolist() == ["error", "error"]
    assert "image" in errors.loc["scans/page-00.jpg", "message"]
    printed = capsys.readouterr().out
    line = next(ln for ln in printed.splitlines() if ln.startswith("not read:"))
    assert line.startswith(f"not read: {len(extra)} file(s) (")
    assert "2 hidden" in line and "1 editor lock file" in line and "26 not a report file type" in line
    assert "… and 20 more (all listed in manifest.json)" in line


@pytest.mark.parametrize("name", [b"\xb1\xa8\xb8\xe6.json", b"notes\xff.md"])
def test_undecodable_file_names_are_listed_readably(name: bytes, small_corpus: Path, tmp_path: Path) -> None:
    """A file whose name is not UTF-8 (GBK from a zip) sits in the folder -> listed with \\x escapes, run succeeds."""
    import os

    with open(os.path.join(os.fsencode(small_corpus), name), "wb") as fh:
        fh.write(b"x")
    out = tmp_path / "out"
    assert main(["run", "--corpus", str(small_corpus), "--out", str(out), "--n-jobs", "1", "--no-figures"]) == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    paths = [e["path"] for e in manifest["not_read"]]
    assert paths == [name.decode("utf-8", "backslashreplace")]
    assert "\\x" in paths[0]
