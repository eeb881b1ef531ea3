"""The command line writes the template reuse table batch by batch: the same table and CSV."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import analysis
from analysis.pipeline import corpus_steps, read_table
from analysis.pipeline.dataset import write_partition
from analysis.pipeline.export import export_table

_STATEMENTS = [
    "执法人员业务能力有待提高,培训不够系统",
    "执法人员业务能力仍需进一步提高,培训还不够系统",
    "=普法宣传形式单一,针对性和实效性不强",  # a cell that would start a formula
    "普法宣传形式较为单一,针对性不强",
    "规范性文件备案审查工作有待加强",
]


def _problems(n_docs: int) -> pd.DataFrame:
    rows = []
    for d in range(n_docs):
        for i, text in enumerate(_STATEMENTS[d % 2 :: 2] if d % 3 else _STATEMENTS):
            rows.append({"doc_id": f"县{d:03d}/报告.html", "item": i + 1, "text": text, "body": "", "start": 10 * i, "end": 10 * i + 9})
    return pd.DataFrame(rows).astype({"doc_id": "string", "text": "str", "body": "str"})


@pytest.mark.parametrize("batch", [7, 50, 10_000])
def test_reuse_written_in_batches_equals_the_table(tmp_path: Path, batch: int) -> None:
    problems = _problems(40)
    tables = tmp_path / "tables"
    write_partition(problems, tables, "problems", 0)
    want = analysis.template_reuse(problems[list(corpus_steps.REUSE_COLUMNS)])
    assert len(want) > 100
    n, files = corpus_steps.write_problems_reuse(tables, batch=batch)
    assert n == len(want) and sorted(p.name for p in files) == ["reuse.csv", "reuse.parquet"]
    pd.testing.assert_frame_equal(read_table(tables, "reuse"), want)
    whole = tmp_path / "whole"
    export_table(want, "reuse", whole)
    assert (tables / "reuse.csv").read_bytes() == (whole / "reuse.csv").read_bytes()
    assert not (tables / "_reuse_pieces").exists()


def test_reuse_too_long_for_a_spreadsheet_is_parquet_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from analysis import safe_csv

    problems = _problems(30)
    tables = tmp_path / "tables"
    write_partition(problems, tables, "problems", 0)
    monkeypatch.setattr(safe_csv, "EXCEL_MAX_ROWS", 20)
    n, files = corpus_steps.write_problems_reuse(tables, batch=9)
    assert n > 20 and [p.name for p in files] == ["reuse.parquet"]
    assert not (tables / "reuse.csv").exists()
