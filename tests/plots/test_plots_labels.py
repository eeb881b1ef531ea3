"""Tests for analysis.plots.labels: one short, unique label per report."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.plots.labels import report_labels


def test_seed_labels(seed_corpus):
    labels = report_labels(seed_corpus)
    assert labels.index.tolist() == seed_corpus["doc_id"].astype(str).tolist()
    assert labels.tolist() == ["海珠区琶洲街道 2024", "海珠区司法局 2023", "海安市海安街道 2023", "白云湖街 2020", "龙华区观湖街道 2023"]


@pytest.mark.parametrize(
    ("row", "label"),
    [
        ({"issuer": "济南市交通运输局", "province": "山东省", "city": "济南市"}, "济南市交通运输局 2022"),  # the city stays: nothing below it
        ({"issuer": "上海市浦东新区张江镇人民政府", "province": "上海市", "city": "上海市", "county": "浦东新区", "subdistrict": "张江镇"}, "浦东新区张江镇 2022"),
        ({"issuer": "巍山彝族回族自治县大仓镇人民政府", "province": "云南省", "city": "大理白族自治州", "county": "巍山彝族回族自治县", "subdistrict": "大仓镇"}, "大仓镇 2022"),
        ({"issuer": "大理白族自治州人力资源和社会保障局", "province": "云南省", "city": "大理白族自治州"}, "大理州人力资源和社会保障局 2022"),
        ({"issuer": None, "title": None}, "x 2022"),
    ],
)
def test_label_rules(row, label):
    corpus = pd.DataFrame([{"doc_id": "x", "report_year": 2022, **row}])
    assert report_labels(corpus).tolist() == [label]


def test_labels_are_unique_and_at_most_fourteen_characters_before_the_year():
    corpus = pd.DataFrame(
        {
            "doc_id": list("abcd"),
            "issuer": ["某县司法局", "某县司法局", "某县司法局", "某某某某某某某某某某某某某某某某某某局"],
            "report_year": [2023, 2023, None, 2024],
        }
    )
    labels = report_labels(corpus)
    assert labels.tolist() == ["某县司法局 2023 (1)", "某县司法局 2023 (2)", "某县司法局 ?", "某某某某…某某某某某某某某局 2024"]
    assert labels.is_unique
    assert labels.str.rsplit(" ", n=1).str[0].str.replace(r" \(\d\)$", "", regex=True).str.len().max() == 14
