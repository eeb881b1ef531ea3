"""Small token and metadata tables shared by the keyword table tests."""

from __future__ import annotations

import pandas as pd
import pytest


@pytest.fixture
def tiny_tokens() -> pd.DataFrame:
    """Six tokens of three documents: a (2020), b and c (2023)."""
    return pd.DataFrame(
        {
            "doc_id": ["a", "a", "a", "b", "b", "c"],
            "position": [0, 1, 3, 0, 1, 0],
            "term": ["执法", "普法", "执法", "执法", "调解", "普法"],
        }
    )


@pytest.fixture
def tiny_meta() -> pd.DataFrame:
    """Report metadata of :func:`tiny_tokens`' documents."""
    return pd.DataFrame(
        {"doc_id": ["a", "b", "c"], "report_year": [2020, 2023, 2023], "issuer_type": ["subdistrict", "department", "subdistrict"]}
    )
