"""Notebooks 04 and 05 in table mode: run the command line once, explore its tables.

The command line runs on the seeds; the two notebooks are executed with
``$ANALYSIS_TABLES`` pointing at its tables. They must run to the end, and every output
must equal the stored default-mode output (the notebooks parse the seeds themselves) except
in the cells that say table mode differs: the set-up note, your own words counted in the
texts, the first rows of term counts instead of tokens, and the skipped collocations.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.config import FIGURES_DIR, NOTEBOOKS_DIR, PROJECT_ROOT, SEEDS_DIR

from .conftest import run_notebook

# notebook -> code cells (by index) whose output differs in table mode, by design
TABLE_MODE_CELLS = {
    "04-keyword-trends.ipynb": {2, 7, 10, 33},
    "05-recurring-problems.ipynb": {2},
}


def _texts(path: Path) -> dict[int, str]:
    """The text outputs (streams, text/plain, errors) of each code cell, by cell index."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    out = {}
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        parts = []
        for o in cell.get("outputs", []):
            if o["output_type"] == "stream":
                parts.append("".join(o["text"]))
            elif o["output_type"] == "error":
                parts.append(f"ERROR {o['ename']}: {o['evalue']}")
            elif "data" in o:
                parts.append("".join(o["data"].get("text/plain", "")))
        out[i] = re.sub(r"0x[0-9a-f]{8,16}", "0xADDRESS", "\n".join(parts))
    return out


@pytest.fixture(scope="module")
def seeds_tables(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The command line's output on the seeds (its tables folder)."""
    out = tmp_path_factory.mktemp("cli") / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "analysis", "run", "--corpus", str(SEEDS_DIR), "--out", str(out), "--no-progress", "--no-figures"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out / "tables"


@pytest.mark.slow
@pytest.mark.parametrize("notebook", sorted(TABLE_MODE_CELLS))
def test_notebook_in_table_mode_matches_default_mode(notebook: str, seeds_tables: Path, tmp_path: Path) -> None:
    """ANALYSIS_TABLES=out/tables -> the notebook runs, and shows the default mode's tables and numbers."""
    figures = tmp_path / "figures"
    proc = run_notebook(
        notebook, tmp_path / "executed", ANALYSIS_TABLES=str(seeds_tables), ANALYSIS_FIGURES=str(figures), ANALYSIS_CORPUS=""
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    table_mode = _texts(tmp_path / "executed" / notebook)
    default = _texts(NOTEBOOKS_DIR / notebook)
    assert table_mode.keys() == default.keys()
    assert all("ERROR" not in text for text in table_mode.values())
    differ = {i for i in default if table_mode[i] != default[i]}
    assert differ == TABLE_MODE_CELLS[notebook], {i: (default[i][:300], table_mode[i][:300]) for i in differ - TABLE_MODE_CELLS[notebook]}
    for i in TABLE_MODE_CELLS[notebook]:
        assert "table mode" in table_mode[i]  # each difference is announced
    # the same figures, written to the figures folder of table mode
    prefix = notebook[:3]
    assert sorted(p.name for p in figures.glob(f"{prefix}*.png")) == sorted(p.name for p in FIGURES_DIR.glob(f"{prefix}*.png"))


@pytest.mark.slow
def test_top_terms_of_the_tables_equal_the_tokens(seeds_tables: Path) -> None:
    """The key numbers directly: top terms, keyness and trends of read_terms equal those of tokenize on the seeds."""
    import warnings

    from pandas.testing import assert_frame_equal

    import analysis
    from analysis import keywords as kw
    from analysis.pipeline import read_corpus
    from analysis.pipeline.dataset import read_terms

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = analysis.load_corpus(SEEDS_DIR)
    tokens = analysis.tokenize(analysis.parse_sections(corpus))
    terms = read_terms(seeds_tables)
    meta = read_corpus(seeds_tables, text=False)
    assert_frame_equal(kw.term_frequencies(terms), kw.term_frequencies(tokens))
    assert_frame_equal(kw.term_frequencies(terms, by="doc_id"), kw.term_frequencies(tokens, by="doc_id"))
    assert_frame_equal(kw.keyword_trends(terms, ["法治", "执法"], corpus=meta), kw.keyword_trends(tokens, ["法治", "执法"], corpus=corpus))
    latest = corpus.loc[corpus["report_year"] == corpus["report_year"].max(), "doc_id"].tolist()
    assert_frame_equal(kw.keyness(terms, latest), kw.keyness(tokens, latest))
