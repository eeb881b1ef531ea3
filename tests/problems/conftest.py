"""Fixtures of the problems tests."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import problems as P

from .helpers import TWO_YEAR


@pytest.fixture(scope="module")
def two_year() -> dict[str, pd.DataFrame]:
    """The two-year issuer through the package's own loader and structure parser."""
    from analysis import load_corpus
    from analysis.structure import extract_problems, parse_sections

    corpus = load_corpus(TWO_YEAR)
    sections = parse_sections(corpus)
    problems = extract_problems(sections)
    return {"corpus": corpus, "sections": sections, "problems": problems, "coded": P.code_problems(problems)}
