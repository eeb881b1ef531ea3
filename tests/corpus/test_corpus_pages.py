"""Metadata of real-looking report pages: every field of every page, against hand-checked values.

Two sets of hand-written pages (HTML and text, chrome included) in the forms government sites
use: ``tests/fixtures/metadata/pages`` (with ``expected.yaml``; see its README) and
``tests/corpus/pages`` (more forms, other places and wording). Fields are compared as the
metadata contract says: text in NFKC form without whitespace, an issuer with 人民政府 = 政府 and without a
trailing 办事处 (any spelling the page uses is accepted), dates as YYYY-MM-DD.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.corpus import CorpusWarning, load_corpus

HERE = Path(__file__).parent
PAGE_SETS = [HERE.parent / "fixtures" / "metadata" / "pages", HERE / "pages"]
FIELDS = (
    "title", "doc_number", "issuer", "issuer_type", "issuer_level", "province", "city", "county",
    "subdistrict", "admin_code", "report_year", "publish_date", "signed_date", "doc_type", "status",
)  # fmt: skip


def _expected(folder: Path) -> dict[str, dict]:
    name = "expected.yaml"
    path = folder / name if (folder / name).exists() else folder.parent / name
    return yaml.safe_load(path.read_text(encoding="utf-8"))


CASES = [(folder, doc_id) for folder in PAGE_SETS for doc_id in sorted(_expected(folder))]


@pytest.fixture(scope="module")
def loaded() -> dict[Path, pd.DataFrame]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CorpusWarning)  # expected.yaml lies beside the pages
        return {folder: load_corpus(folder).set_index("doc_id") for folder in PAGE_SETS}


def _norm(field: str, value: object) -> object:
    if value is None or (not isinstance(value, (list, str)) and pd.isna(value)):
        return None
    if field in ("publish_date", "signed_date"):
        return str(pd.Timestamp(value).date())
    if field == "report_year":
        return int(value)
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)))
    if field == "issuer":
        text = re.sub(r"办事处$", "", text.replace("人民政府", "政府"))
    return text or None


def test_enough_pages() -> None:
    assert len(CASES) >= 60


@pytest.mark.parametrize("folder,doc_id", CASES, ids=[f"{f.parent.name}/{d}" for f, d in CASES])
def test_page_metadata(loaded: dict[Path, pd.DataFrame], folder: Path, doc_id: str) -> None:
    expected = _expected(folder)[doc_id]
    row = loaded[folder].loc[doc_id]
    wrong = {}
    for field in FIELDS:
        want = expected[field]
        accepted = {_norm(field, w) for w in want} if isinstance(want, list) else {_norm(field, want)}
        got = _norm(field, row[field])
        if got not in accepted:
            wrong[field] = (got, want)
    assert not wrong, (wrong, row["evidence"])


def test_evidence_names_every_field_in_order(loaded: dict[Path, pd.DataFrame]) -> None:
    for table in loaded.values():
        for evidence in table["evidence"]:
            assert [pair.split("=")[0] for pair in evidence.split(";")] == [
                "issuer", "type", "title", "date", "signed", "year", "place",
            ]


# ----------------------------------------------------------------- furniture prefixed to a page

PREFIXES = [
    # chrome
    "您现在的位置:首页 > 政务公开 > 法治政府建设", "今天是:2019年12月2日 星期一", "【字体:大 中 小】 【打印本页】",
    "分享到: 微信 微博", "浏览次数:1024", "发布时间:2018-06-01 08:00", "来源:某某日报", "2020年7月8日 星期三",
    "无障碍浏览 长者模式", "蜀ICP备05003827号-1",
    # addressee lines
    "市委、市人大常委会:", "国务院:", "县委、县政府:", "区委:", "省人民政府:", "州委、州人大常委会:",
    # info-table rows
    "• 索引号:000014349/2019-00088", "- 主题分类:法治政府", "[ 体裁分类 ] 通知公告", "| 公开方式 | 主动公开 |",
    "[ 成文日期 ] 2019-05-06", "有效性:有效", "· 发文字号:某办发〔2019〕7号",
]  # fmt: skip


def _text_pages() -> list[tuple[Path, str]]:
    out = []
    for folder in PAGE_SETS:
        expected = _expected(folder)
        for path in sorted(folder.glob("*.txt")):
            exp = expected[path.stem]
            if exp["issuer"] and exp["status"] == "ok":
                out.append((path, path.stem))
    return out


TEXT_PAGES = _text_pages()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(page=st.sampled_from(TEXT_PAGES), prefix=st.lists(st.sampled_from(PREFIXES), min_size=1, max_size=3))
def test_prefixed_furniture_leaves_issuer_type_and_year(
    loaded: dict[Path, pd.DataFrame], page: tuple[Path, str], prefix: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Chrome, addressee and info-table lines above a page never change its issuer, type or year."""
    path, doc_id = page
    base = loaded[path.parent].loc[doc_id]
    raw = path.read_bytes()
    encoding = "gbk" if base["encoding"] in ("gb18030", "gbk") else "utf-8"
    text = raw.decode(base["encoding"] if base["encoding"] != "utf-8-sig" else "utf-8-sig")
    folder = tmp_path_factory.mktemp("prefixed")
    (folder / path.name).write_bytes(("\n".join(prefix) + "\n" + text).encode(encoding, "replace"))
    row = load_corpus(folder).iloc[0]
    for field in ("issuer", "issuer_type", "report_year"):
        assert _norm(field, row[field]) == _norm(field, base[field]), (field, prefix)
