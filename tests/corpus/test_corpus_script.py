"""Traditional script: each seed in traditional characters gives the seed's tables."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

import analysis
from analysis.config import SEEDS_DIR
from analysis.corpus import CorpusWarning, load_corpus
from analysis.corpus.script import detect_script, to_simplified

from .conftest import SEED_NAMES, to_traditional

META = ["title", "issuer", "issuer_type", "province", "city", "county", "subdistrict", "report_year", "publish_date", "source"]


@pytest.fixture(scope="module")
def scripts_table(tmp_path_factory) -> pd.DataFrame:  # noqa: ANN001
    """Each seed as itself and in three traditional standards (OpenCC s2t, Taiwan, Hong Kong)."""
    root = tmp_path_factory.mktemp("scripts")
    for name in SEED_NAMES:
        raw = (SEEDS_DIR / name).read_text(encoding="utf-8")
        folder = root / name[:-4]
        folder.mkdir()
        (folder / "a_simplified.txt").write_text(raw, encoding="utf-8")
        for config in ("s2t", "s2tw", "s2hk"):
            (folder / f"{config}.txt").write_text(to_traditional(raw, config), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CorpusWarning)
        return load_corpus(root)


def _per_doc(table: pd.DataFrame, doc: str) -> pd.DataFrame:
    return table[table["doc_id"] == doc].drop(columns="doc_id").reset_index(drop=True)


def test_traditional_rows_say_so_and_hold_simplified_text(scripts_table: pd.DataFrame) -> None:
    for _, row in scripts_table.iterrows():
        traditional = not row["path"].endswith("a_simplified.txt")
        assert row["script"] == ("traditional" if traditional else "simplified")
        note = "note: traditional script converted to simplified (OpenCC tw2s, hk2s)"
        assert (note in row["message"]) == traditional
        assert detect_script(row["text"]) == "simplified"


def test_traditional_gives_the_same_metadata_sections_problems_indicators(scripts_table: pd.DataFrame) -> None:
    table = scripts_table.set_index("doc_id")
    sections = analysis.parse_sections(scripts_table)
    problems = analysis.extract_problems(sections)
    indicators = analysis.extract_indicators(scripts_table, sections)
    for name in SEED_NAMES:
        base = f"{name[:-4]}/a_simplified"
        for config in ("s2t", "s2tw", "s2hk"):
            other = f"{name[:-4]}/{config}"
            for col in META:
                a, b = table.loc[other, col], table.loc[base, col]
                assert (pd.isna(a) and pd.isna(b)) or a == b, (other, col)
            for frame in (sections, problems, indicators):
                got, want = _per_doc(frame, other), _per_doc(frame, base)
                # the seed's one traditional character (虛 in 003) comes back simplified: texts
                # then differ in that character, offsets and everything else do not
                for col in [c for c in got.columns if got[c].dtype == "string" or got[c].dtype == object]:
                    got[col] = got[col].map(lambda v: v.replace("虚", "虛") if isinstance(v, str) else v)
                    want[col] = want[col].map(lambda v: v.replace("虚", "虛") if isinstance(v, str) else v)
                pd.testing.assert_frame_equal(got, want)


def test_traditional_gives_the_same_keyword_terms(scripts_table: pd.DataFrame) -> None:
    sections = analysis.parse_sections(scripts_table)
    tokens = analysis.tokenize(sections)
    for name in SEED_NAMES:
        base = set(tokens.loc[tokens["doc_id"] == f"{name[:-4]}/a_simplified", "term"])
        for config in ("s2t", "s2tw", "s2hk"):
            other = set(tokens.loc[tokens["doc_id"] == f"{name[:-4]}/{config}", "term"])
            assert other ^ base <= {"虛假", "虚假"}, (name, config, other ^ base)
            assert "法人" not in other - base


@pytest.mark.parametrize(
    "text,script",
    [
        ("本局堅持依法行政，推進法治政府建設，完善行政執法體制機制。", "traditional"),
        ("本局坚持依法行政，推进法治政府建设，完善行政执法体制机制。", "simplified"),
        ("本局坚持依法行政，在乾隆年间的老街区开展普法，推进“張三”案件复查。", "simplified"),  # a name or two
        ("2023 annual report", None),
    ],
)
def test_detect_script(text: str, script: str | None) -> None:
    assert detect_script(text) == script


def test_conversion_is_phrase_level() -> None:
    assert to_simplified("乾隆年間，天氣乾燥") == "乾隆年间，天气干燥"


def test_index_values_are_converted_too(tmp_path: Path) -> None:
    from analysis.corpus.index import read_index

    (tmp_path / "index.csv").write_text("file,title,issuer\na.txt,某縣人民政府關於2023年度法治政府建設情況的報告,某縣人民政府\n", encoding="utf-8")
    entry = read_index(tmp_path / "index.csv").entry("a.txt")
    assert (entry.title, entry.issuer) == ("某县人民政府关于2023年度法治政府建设情况的报告", "某县人民政府")
