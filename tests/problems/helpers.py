"""Helpers shared by the problems tests: items, coded items and their reports."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

FIXTURES = Path(__file__).parents[1] / "fixtures"
TWO_YEAR = FIXTURES / "problems_two_year"

def items_of(texts: list[str], bodies: list[str] | None = None, doc: str = "d") -> pd.DataFrame:
    frame = pd.DataFrame({"doc_id": doc, "item": range(1, len(texts) + 1), "text": texts})
    if bodies is not None:
        frame["body"] = bodies
    return frame


CODED = pd.DataFrame(
    {
        "doc_id": ["a", "a", "b", "b", "c"],
        "item": [1, 2, 1, 2, 1],
        "themes": ["staffing|enforcement", "staffing", "enforcement", "uncoded", "publicity"],
    }
)
META = pd.DataFrame(
    {
        "doc_id": ["a", "b", "c", "e", "z"],
        "report_year": pd.array([2022, 2023, 2023, 2023, 2023], dtype="Int64"),
        "issuer_type": ["township", "township", "department", "department", "department"],
        "status": ["ok", "ok", "ok", "ok", "error"],
        "text": ["", "", "", "", ""],
    }
)
