"""A report written on one long line (line breaks lost on a scraped page) costs linear time.

Issue 12: a 2 MB report on a single line must take at most about three times the time of
the same text in lines. Measured on the seed reports repeated to 200 KB and 2 MB, with the
line breaks removed (a page whose paragraphs were run together) or turned into spaces.
"""

from __future__ import annotations

import time
import warnings

import pandas as pd
import pytest

from analysis.checks import compliance
from analysis.structure import StructureWarning, extract_cases, extract_problems, parse_sections, plan_items


def _report(seed_corpus: pd.DataFrame, size: int, joiner: str | None) -> pd.DataFrame:
    """One report of ``size`` characters made of the seed texts; ``joiner`` replaces its
    line breaks after the first line (None: keep them)."""
    base = "\n".join(seed_corpus["text"].tolist())
    text = (base * (size // len(base) + 1))[:size]
    if joiner is not None:
        first, _, rest = text.partition("\n")
        text = first + "\n" + rest.replace("\n", joiner)
    return pd.DataFrame({"doc_id": ["d"], "text": [text], "report_year": [2023]})


def _seconds(corpus: pd.DataFrame) -> float:
    """Best of three runs of the structure stage and the checks on one report."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", StructureWarning)
            sections = parse_sections(corpus)
        extract_problems(sections)
        plan_items(sections)
        extract_cases(corpus)
        compliance(corpus, sections, indicators=pd.DataFrame({"doc_id": []}))
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize("joiner", ["", " "])
def test_one_long_line_costs_linear_time(seed_corpus: pd.DataFrame, joiner: str) -> None:
    small = _seconds(_report(seed_corpus, 200_000, joiner))
    large = _seconds(_report(seed_corpus, 2_000_000, joiner))
    in_lines = _seconds(_report(seed_corpus, 2_000_000, None))
    # linear: 10 times the text, about 10 times the time (quadratic would be 100 times)
    assert large <= 30 * small + 0.05, (small, large)
    assert large <= 3 * in_lines + 0.05, (large, in_lines)


def test_lists_restarting_on_one_line_do_not_nest_without_end() -> None:
    # "(一)…一是…(一)…": each restart of (一) on the same line would open a list inside the
    # last one, every level spanning the rest of the line (a table quadratic in size)
    text = "一、主要工作\n" + "(一)法治建设。一是加强领导;二是完善制度。" * 2000
    sections = parse_sections(pd.DataFrame({"doc_id": ["d"], "text": [text]}))
    assert sections["level"].max() <= 4
    assert sections["text"].str.len().sum() <= 5 * len(text)
    # the second (一) still opens a sub-list of the first, as in "(三)…存在以下问题:(一)…(二)…"
    assert sections["path"].tolist()[:4] == ["一", "一/(一)", "一/(一)/一是", "一/(一)/二是"]
    assert sections["path"].iloc[4] == "一/(一)/(一)"
