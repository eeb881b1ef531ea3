"""Recurrence of themes across reports and years, persistence from one year to the next."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import problems as P

from .helpers import CODED, META


def test_theme_recurrence_counts_across_reports_and_years():
    rec = P.theme_recurrence(CODED, corpus=META)
    first = rec.iloc[0]
    assert (first["theme"], first["n_reports"], first["n_items"], first["years"]) == ("enforcement", 2, 2, "2022|2023")
    assert first["share_reports"] == pytest.approx(0.5)  # 2 of the 4 readable reports
    staffing = rec.set_index("theme").loc["staffing"]
    assert (staffing["n_items"], staffing["n_reports"], staffing["n_years"]) == (2, 1, 1)
    assert rec["theme"].iloc[-1] == "uncoded"
    assert {"a", "b", "c", "e"} <= set(rec.columns)
    assert P.theme_recurrence(CODED)["years"].iloc[0] == ""


def test_two_year_fixture_is_read_as_one_issuer_with_two_years(two_year):
    corpus = two_year["corpus"]
    assert corpus["issuer"].nunique() == 1
    assert sorted(corpus["report_year"].tolist()) == [2022, 2023]
    assert two_year["coded"]["themes"].tolist() == [
        "staffing", "publicity", "normative_filing", "staffing", "enforcement"
    ]


def test_theme_persistence_on_two_year_fixture(two_year):
    pers = P.theme_persistence(two_year["coded"], two_year["corpus"])
    table = {r.theme: (r.in_from, r.in_to, r.recurs) for r in pers.itertuples()}
    assert table == {
        "staffing": (True, True, True),
        "enforcement": (False, True, False),
        "publicity": (True, False, False),
        "normative_filing": (True, False, False),
    }
    assert list(pers["theme"]) == ["staffing", "enforcement", "publicity", "normative_filing"]  # codebook order
    row = pers.iloc[0]
    assert (row.year_from, row.year_to, row.consecutive) == (2022, 2023, True)
    assert row.docs_from == "beijingjie_2022" and row.docs_to == "beijingjie_2023"


def test_theme_persistence_gap_years_and_single_year_issuers():
    corpus = pd.DataFrame({"doc_id": ["a", "b", "c"], "issuer": ["X", "X", "Y"], "report_year": [2020, 2023, 2023]})
    coded = pd.DataFrame({"doc_id": ["a", "b", "c"], "themes": ["staffing", "staffing", "staffing"]})
    pers = P.theme_persistence(coded, corpus)
    assert len(pers) == 1
    assert (pers.loc[0, "consecutive"], pers.loc[0, "recurs"]) == (False, False)
    empty = P.theme_persistence(coded, corpus[corpus["issuer"] == "Y"])
    assert empty.empty and "recurs" in empty.columns
    # a report with no items in year 2 still counts: the theme disappears
    coded2 = pd.DataFrame({"doc_id": ["a"], "themes": ["staffing"]})
    corpus2 = pd.DataFrame({"doc_id": ["a", "b"], "issuer": ["X", "X"], "report_year": [2022, 2023]})
    pers2 = P.theme_persistence(coded2, corpus2)
    assert pers2[["in_from", "in_to"]].values.tolist() == [[True, False]]


def test_seed_recurrence_matches_a_careful_coder(seed_corpus):
    from analysis.structure import extract_problems, parse_sections

    coded = P.code_problems(extract_problems(parse_sections(seed_corpus)))
    assert (coded["themes"] != "").all()
    rec = P.theme_recurrence(coded, corpus=seed_corpus).set_index("theme")
    assert rec.loc["staffing", "n_reports"] == 3
    assert rec.loc["enforcement", "n_reports"] == 3
    assert rec.loc["publicity", "n_reports"] == 2
    assert rec.loc["study_awareness", "n_reports"] == 2
    assert rec.loc["uncoded", "n_items"] == 0
