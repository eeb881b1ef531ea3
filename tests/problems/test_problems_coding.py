"""Validating the codebook: export for manual coding, Cohen's kappa."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import problems as P

from .helpers import FIXTURES


# --------------------------------------------------------------------------- reliability


def test_export_for_coding_writes_bom_csv_blind_by_default(tmp_path, two_year):
    path = tmp_path / "out" / "coding.csv"
    table = P.export_for_coding(two_year["coded"], path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "法治工作人员力量不足" in raw.decode("utf-8-sig")
    assert "machine_themes" not in table.columns and "matched" not in table.columns
    ids = P.load_codebook()["theme"].tolist()
    assert list(table.columns) == ["doc_id", "item", "start", "end", "text", "body"] + ids + ["note"]
    back = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert back.shape == table.shape
    open_table = P.export_for_coding(two_year["coded"], tmp_path / "open.csv", blind=False)
    assert open_table["machine_themes"].tolist() == two_year["coded"]["themes"].tolist()
    # a coder who agrees with the machine everywhere: kappa 1 where defined
    filled = back.copy()
    for i, themes in enumerate(two_year["coded"]["themes"]):
        for t in themes.split("|"):
            filled.loc[i, t] = "1"
    agree = P.coding_agreement(two_year["coded"], filled).set_index("theme")
    assert agree.loc["overall", "kappa"] == 1.0
    assert agree.loc["staffing", "kappa"] == 1.0


def test_export_for_coding_neutralises_cells_a_spreadsheet_would_run(tmp_path, two_year):
    # A researcher opens the coding sheet in Excel: an item quoting "=HYPERLINK(...)" or
    # starting with "-" must show as text, never run as a formula (OWASP CSV injection).
    coded = two_year["coded"].copy()
    coded.loc[0, "text"] = "=HYPERLINK(\"http://x\")队伍不足"
    coded.loc[1, "text"] = "-1+2 执法不规范"
    path = tmp_path / "coding.csv"
    table = P.export_for_coding(coded, path)
    back = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert back.loc[0, "text"] == "'" + coded.loc[0, "text"]
    assert back.loc[1, "text"] == "'-1+2 执法不规范"
    assert table.loc[0, "text"] == coded.loc[0, "text"]  # the returned table keeps the exact text


def test_coding_agreement_against_the_manual_coding_fixture(two_year):
    agree = P.coding_agreement(two_year["coded"], FIXTURES / "manual_coding.csv").set_index("theme")
    for theme in ("staffing", "publicity", "normative_filing", "enforcement"):
        assert agree.loc[theme, "kappa"] == 1.0
    # the coder added innovation to one item: observed 4/5 = expected 4/5 -> kappa 0
    assert agree.loc["innovation", ["machine_yes", "manual_yes", "agreement", "kappa"]].tolist() == [0, 1, 0.8, 0.0]
    assert np.isnan(agree.loc["oversight", "kappa"])  # both coders never use it: undefined
    # pooled over every item x theme decision, by hand
    k = len(P.load_codebook())
    n = 5 * k
    p_o = (n - 1) / n
    p_e = (5 / n) * (6 / n) + ((n - 5) / n) * ((n - 6) / n)
    assert agree.loc["overall", "kappa"] == pytest.approx((p_o - p_e) / (1 - p_e), abs=1e-4)
    assert agree.loc["overall", "n_items"] == 5


def test_coding_agreement_hand_computed_kappa_and_long_format():
    coded = pd.DataFrame({"doc_id": list("abcdef"), "item": 1,
                          "themes": ["staffing", "staffing", "uncoded", "publicity", "uncoded", "uncoded"]})
    manual = pd.DataFrame({"doc_id": list("abcdef"), "item": ["1", "1", "1", "1", "1", "1.0"],
                           "themes": ["staffing", "", "", "publicity", "", "staffing、innovation"]})
    agree = P.coding_agreement(coded, manual).set_index("theme")
    # staffing: machine 110000, manual 100001 -> p_o = 4/6, p_e = 20/36, kappa = 0.25
    assert agree.loc["staffing", "kappa"] == pytest.approx(0.25)
    assert agree.loc["staffing", ["machine_yes", "manual_yes", "both_yes"]].tolist() == [2, 2, 1]
    assert agree.loc["publicity", "kappa"] == 1.0
    with pytest.raises(ValueError, match="not in the codebook"):
        P.coding_agreement(coded, manual.assign(themes="flood"))
    with pytest.raises(KeyError):
        P.coding_agreement(coded, manual.drop(columns="themes"))
