"""Shared fixtures: the seed corpus is loaded once per test session."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.config import SEEDS_DIR


@pytest.fixture(scope="session")
def seed_corpus() -> pd.DataFrame:
    """``load_corpus()`` on the five seed reports (the seeds' README is not a report)."""
    import warnings

    from analysis.corpus import CorpusWarning, load_corpus

    with warnings.catch_warnings():
        # seeds/README.md documents provenance; it is listed by a CorpusWarning by design.
        warnings.simplefilter("ignore", CorpusWarning)
        return load_corpus(SEEDS_DIR)
