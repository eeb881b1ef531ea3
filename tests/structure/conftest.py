"""Fixtures of the structure tests."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.structure import parse_sections


@pytest.fixture(scope="module")
def seed_sections(seed_corpus: pd.DataFrame) -> pd.DataFrame:
    return parse_sections(seed_corpus)
