"""Shared helpers of the pipeline tests: a small corpus folder and the command line in-process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.config import PROJECT_ROOT, SEEDS_DIR


def _copy_seeds(folder: Path, n: int = 2) -> Path:
    """Copy the first ``n`` seed reports into ``folder`` (created) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(SEEDS_DIR.glob("*.txt"))[:n]:
        shutil.copyfile(path, folder / path.name)
    return folder


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative POSIX path -> bytes)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    """Two seed reports in a folder of their own."""
    return _copy_seeds(tmp_path / "corpus")


@pytest.fixture
def copy_seeds():  # noqa: ANN201
    """``copy_seeds(folder, n=2)``: copy the first ``n`` seed reports into ``folder``."""
    return _copy_seeds


@pytest.fixture
def snapshot():  # noqa: ANN201
    """``snapshot(folder)``: every file under ``folder`` as {relative path: bytes}."""
    return _snapshot


# --------------------------------------------------------------------------- a messy folder

# What tests/fixtures/messy_corpus/ holds: file name -> bytes. Hand-written reports (the
# places are real, the contents invented) and files a real download folder contains.
MESSY_FILES: dict[str, bytes] = {
    # a normal report: title, year, the regulated parts
    "good.txt": (
        "广州市海珠区司法局关于2023年度法治政府建设情况的报告\n"
        "2023年,我局坚持以习近平法治思想为指导,现将有关情况报告如下:\n"
        "一、主要举措和成效\n"
        "(一)加强组织领导。全年召开专题会议6次,开展普法宣传32场次,发放宣传资料5000余份。\n"
        "(二)规范行政执法。办理行政复议案件12件,纠错率8.3%。\n"
        "二、存在的不足和原因\n"
        "一是法治队伍人员力量不足。二是普法宣传形式单一。\n"
        "三、2024年工作计划\n"
        "(一)加强执法队伍建设,组织培训不少于3次。\n"
        "(二)创新普法宣传方式。\n"
    ).encode("utf-8"),
    # a zero-byte file, as an interrupted download leaves
    "empty.txt": b"",
    # bytes that are no text in any encoding (a binary file saved as .txt)
    "undecodable.txt": bytes([0xFF, 0x00, 0x81, 0x30, 0x00, 0x07, 0xFE, 0x1B]) * 64,
    # a report that never says which year it covers
    "no-year.txt": (
        "海珠区琶洲街道法治政府建设情况报告\n"
        "今年以来,我街道深入推进依法行政,现将有关情况报告如下:\n"
        "一、主要举措和成效\n"
        "开展法治宣传进社区活动,调解矛盾纠纷。\n"
        "二、存在的问题\n"
        "基层法治力量仍然薄弱。\n"
        "三、下一步工作安排\n"
        "持续加强法治队伍建设。\n"
    ).encode("utf-8"),
    # a report written as plain paragraphs, without any heading
    "no-headings.txt": (
        "2022年,海安市城东镇深入推进法治政府建设,全年开展普法活动20场。\n"
        "镇政府严格落实重大行政决策程序,行政执法公示制度全面推行。\n"
        "但法治宣传的针对性仍需加强,明年将继续完善工作机制。\n"
    ).encode("gb18030"),
}


def build_messy_corpus(folder: Path, *, single: bool = False) -> Path:
    """Write the messy test folder (or, with ``single``, a folder of one good report)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in MESSY_FILES.items():
        if single and name != "good.txt":
            continue
        (folder / name).write_bytes(data)
    return folder


def run_notebook(notebook: str, out: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Execute ``notebooks/<notebook>`` with ``scripts/run_notebooks.py`` into ``out``, in a
    fresh process whose environment adds ``env`` (``ANALYSIS_CORPUS``, ``ANALYSIS_TABLES``,
    ``ANALYSIS_FIGURES`` …) and this checkout on ``PYTHONPATH``; a name given as an empty
    string is removed from the environment."""
    full = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))}
    for name, value in env.items():
        if value:
            full[name] = value
        else:
            full.pop(name, None)
    return subprocess.run(
        [sys.executable, "scripts/run_notebooks.py", f"notebooks/{notebook}", "--out", str(out)],
        cwd=PROJECT_ROOT,
        env=full,
        capture_output=True,
        text=True,
        timeout=1200,
    )
