"""Shared fixtures (the seed corpus is loaded once per test session) and the hypothesis scale.

``pytest --hypothesis-scale 5`` runs every property test with five times its examples: the
tests that set ``max_examples`` themselves and the others (hypothesis' default, 100), e.g.
``bash scripts/test.sh tests --hypothesis-scale 5 -m "not slow"``.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import settings

from analysis.config import SEEDS_DIR

# No per-example deadline by default: the first example of a parser's property test pays for
# compiling its patterns (hundreds of milliseconds on a loaded CI machine), which hypothesis
# reports as a flaky failure. Speed is measured by the benchmarks, not by these tests.
settings.register_profile("project", deadline=None)
settings.load_profile("project")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--hypothesis-scale", type=int, default=1, help="multiply every property test's number of examples"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    scale = config.getoption("--hypothesis-scale")
    if scale == 1:
        return
    for item in items:
        test = getattr(getattr(item, "obj", None), "hypothesis", None)
        inner = getattr(test, "inner_test", None)
        if inner is None:
            continue
        # the settings a test was decorated with (hypothesis keeps them on the wrapped function)
        current = getattr(item.obj, "_hypothesis_internal_use_settings", None) or settings()
        item.obj._hypothesis_internal_use_settings = settings(current, max_examples=current.max_examples * scale)


@pytest.fixture(scope="session")
def seed_corpus() -> pd.DataFrame:
    """``load_corpus()`` on the five seed reports (the seeds' README is not a report)."""
    import warnings

    from analysis.corpus import CorpusWarning, load_corpus

    with warnings.catch_warnings():
        # seeds/README.md documents provenance; it is listed by a CorpusWarning by design.
        warnings.simplefilter("ignore", CorpusWarning)
        return load_corpus(SEEDS_DIR)
