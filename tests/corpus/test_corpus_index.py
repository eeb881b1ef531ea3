"""The crawler's index: evidence where the page lacks a field, conflicts listed, bad rows reported."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pandas as pd
import pytest

from analysis.config import SEEDS_DIR
from analysis.corpus import CorpusWarning, load_corpus, read_report
from analysis.corpus.index import IndexWarning, read_index, url_date

PAZHOU = "000_d8e34bf18eeaca77.txt"  # no date field, no 来源 on the page
HAIZHU = "001_21f1fb0ed6b4f7e5.txt"  # 发布日期:2023-12-13, 来源:海珠区司法局
BAIYUNHU = "003_f7a1c094b05759ad.txt"  # no title line


def _corpus(tmp_path: Path, index: str | None = None, name: str = "index.csv") -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    for seed in (PAZHOU, HAIZHU, BAIYUNHU):
        (tmp_path / seed).write_bytes((SEEDS_DIR / seed).read_bytes())
    if index is not None:
        (tmp_path / name).write_text(index, encoding="utf-8")
    return tmp_path


def _load(path: Path, **kw: object) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CorpusWarning)
        return load_corpus(path, **kw).set_index("path")


INDEX = (
    "file,url,title,publish_date,source,issuer\n"
    f"{PAZHOU},http://www.haizhu.gov.cn/gkmlpt/content/9/9901/post_9901.html,,2025-01-06,海珠区人民政府网,\n"
    f"{HAIZHU},http://www.haizhu.gov.cn/zwgk/202312/t20231213_1.html,广州市海珠区司法局关于2023年度法治政府建设情况的报告,2023-12-14,海珠区司法局,\n"
    f"{BAIYUNHU},http://www.by.gov.cn/202103/t20210330_7.html,广州市白云区白云湖街道2020年法治政府建设工作报告,,,\n"
)


def test_the_index_fills_what_the_page_lacks(tmp_path: Path) -> None:
    df = _load(_corpus(tmp_path, INDEX))
    assert list(df.index) == [PAZHOU, HAIZHU, BAIYUNHU]  # the index is not a row
    pazhou = df.loc[PAZHOU]
    assert str(pazhou["publish_date"].date()) == "2025-01-06"
    assert pazhou["source"] == "海珠区人民政府网"
    assert pazhou["url"] == "http://www.haizhu.gov.cn/gkmlpt/content/9/9901/post_9901.html"
    assert "note: from the crawler index: source, publish_date" in pazhou["message"]
    baiyunhu = df.loc[BAIYUNHU]
    assert baiyunhu["title"] == "广州市白云区白云湖街道2020年法治政府建设工作报告"
    assert baiyunhu["issuer"] == "白云湖街"  # the page names its issuer: the page wins
    assert str(baiyunhu["publish_date"].date()) == "2021-03-30"  # the URL's date, last resort
    assert "note: publish_date from the date in the page's URL" in baiyunhu["message"]


def test_conflicts_are_listed_never_resolved(tmp_path: Path) -> None:
    df = _load(_corpus(tmp_path, INDEX))
    haizhu = df.loc[HAIZHU]
    assert str(haizhu["publish_date"].date()) == "2023-12-13"  # the page's own date field
    assert haizhu["index_conflicts"] == "publish_date: page 2023-12-13 | index 2023-12-14"
    assert "note: the crawler index disagrees with the page (see index_conflicts)" in haizhu["message"]
    assert df["index_conflicts"].notna().sum() == 1


def test_without_an_index_nothing_changes_but_the_new_columns(tmp_path: Path) -> None:
    with_index = _load(_corpus(tmp_path, INDEX))
    without = _load(tmp_path, index=False)
    plain = _load(_corpus(tmp_path / "plain"))
    pd.testing.assert_frame_equal(without, plain)
    assert without["url"].isna().all() and without["index_conflicts"].isna().all()
    assert without.loc[HAIZHU, "title"] == with_index.loc[HAIZHU, "title"]


def test_bad_index_rows_are_reported_and_never_drop_a_report(tmp_path: Path) -> None:
    index = (
        "file,publish_date,url\n"
        f"{PAZHOU},2025-13-45,\n"  # not a date
        "missing.txt,2024-01-01,\n"  # not in the corpus
        f"{PAZHOU},2024-03-01,\n"  # listed twice
        ",2024-03-01,\n"  # no file
        f"{HAIZHU},,http://x.gov.cn/a.html\n"
    )
    with pytest.warns(IndexWarning) as caught:
        df = load_corpus(_corpus(tmp_path, index)).set_index("path")
    message = str(caught[0].message)
    for problem in (
        "index row 1: publish_date '2025-13-45' is not a date (ignored)",
        "index row 3: file '000_d8e34bf18eeaca77.txt' listed again (first listed in row 1; this row ignored)",
        "index row 4: no file named (row ignored)",
        "index row 2: file 'missing.txt' is not a report file of the corpus",
    ):
        assert problem in message
    assert len(df) == 3 and set(df["status"]) == {"ok"}
    assert "note: index row 1: publish_date '2025-13-45' is not a date (ignored)" in df.loc[PAZHOU, "message"]
    assert pd.isna(df.loc[PAZHOU, "publish_date"])


@pytest.mark.parametrize(
    "content",
    [
        "not,a,useful\nheader,only,here\n",
        "\x00\x01binary",
        '"unterminated\n',
        "",
    ],
)
def test_an_unusable_index_never_crashes(tmp_path: Path, content: str) -> None:
    (tmp_path / "index.csv").write_text(content, encoding="utf-8")
    _corpus(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CorpusWarning)
        df = load_corpus(tmp_path)
    assert len(df) == 3


def test_jsonl_index_explicit_path_and_gb18030_csv(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus")
    lines = [
        json.dumps({"file": PAZHOU, "publish_date": "2025年1月6日", "source": "海珠区政府网"}, ensure_ascii=False),
        "{broken json",
        json.dumps(["not", "an", "object"]),
    ]
    (tmp_path / "crawl.jsonl").write_text("\n".join(lines), encoding="utf-8")
    with pytest.warns(IndexWarning, match="index row 2: not JSON"):
        df = load_corpus(corpus, index=tmp_path / "crawl.jsonl").set_index("path")
    assert df.loc[PAZHOU, "source"] == "海珠区政府网"
    (tmp_path / "crawl.csv").write_bytes(f"file,source\n{PAZHOU},海珠区政府网\n".encode("gb18030"))
    assert read_index(tmp_path / "crawl.csv").entry(PAZHOU).source == "海珠区政府网"


def test_an_explicit_index_inside_the_corpus_is_not_a_row(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, f"file,source\n{PAZHOU},海珠区政府网\n", name="crawl_list.txt")
    df = _load(corpus, index=corpus / "crawl_list.txt")
    assert list(df.index) == [PAZHOU, HAIZHU, BAIYUNHU]
    assert df.loc[PAZHOU, "source"] == "海珠区政府网"


def test_read_report_finds_the_index_itself(tmp_path: Path) -> None:
    """The pipeline's workers call read_report file by file: the index is found at the root."""
    corpus = _corpus(tmp_path, INDEX)
    row = read_report(corpus / PAZHOU, corpus)
    assert row["source"] == "海珠区人民政府网"
    assert read_report(corpus / PAZHOU, corpus, index=False)["source"] is None


@pytest.mark.parametrize(
    "url,date",
    [
        ("http://www.gd.gov.cn/zwgk/202503/t20250328_4613.html", "2025-03-28"),
        ("https://www.x.gov.cn/2024/03/05/art_1.html", "2024-03-05"),
        ("http://www.x.gov.cn/20240305/a.html", "2024-03-05"),
        ("http://www.x.gov.cn/202503/t20251399_1.html", None),  # not a date
        ("http://www.x.gov.cn/art/2024/3/5/art_1.html", None),
    ],
)
def test_url_dates(url: str, date: str | None) -> None:
    found = url_date(url)
    assert (None if found is None else str(found.date())) == date


# --------------------------------------------------------------------------- the same through the CLI


def _cli(corpus: Path, out: Path, *extra: str) -> tuple[int, dict, pd.DataFrame]:
    from analysis.pipeline.cli import main
    from analysis.pipeline.dataset import read_table

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        status = main(["run", "--corpus", str(corpus), "--out", str(out), "--n-jobs", "1", "--no-figures", "--no-progress", *extra])
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8")) if status == 0 else {}
    table = read_table(out / "tables", "corpus").set_index("path") if status == 0 else pd.DataFrame()
    return status, manifest, table


def test_cli_index_option_gives_the_loaders_table(tmp_path: Path) -> None:
    """`--index FILE` (outside or inside the corpus) = load_corpus(index=FILE); problems in the manifest."""
    corpus = _corpus(tmp_path / "corpus")
    bad_row = "missing.txt,,,2024-01-01,,\n"
    (tmp_path / "crawl.csv").write_text(INDEX + bad_row, encoding="utf-8")
    status, manifest, table = _cli(corpus, tmp_path / "out", "--index", str(tmp_path / "crawl.csv"))
    assert status == 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loaded = _load(corpus, index=tmp_path / "crawl.csv")
    pd.testing.assert_frame_equal(table, loaded.drop(columns=["text"]), check_like=False)
    assert table.loc[PAZHOU, "source"] == "海珠区人民政府网"
    assert manifest["parameters"]["index"].endswith("crawl.csv")
    assert len(manifest["index_problems"]) == 1 and "'missing.txt' is not a report file" in manifest["index_problems"][0]
    assert not any("crawl" in s for s in manifest["skipped"])


def test_cli_finds_the_index_at_the_root_and_no_index_ignores_it(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus", INDEX)
    status, manifest, table = _cli(corpus, tmp_path / "auto")
    assert status == 0 and table.loc[PAZHOU, "source"] == "海珠区人民政府网"
    assert {"path": "index.csv", "reason": "crawler index (read as metadata, not as a report)"} in manifest["not_read"]
    status, manifest, table = _cli(corpus, tmp_path / "none", "--no-index")
    assert status == 0 and table["url"].isna().all() and pd.isna(table.loc[PAZHOU, "source"])
    assert manifest["parameters"]["index"] is False


def test_cli_index_that_does_not_exist_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = _corpus(tmp_path / "corpus")
    status, _, _ = _cli(corpus, tmp_path / "out", "--index", str(tmp_path / "nope.csv"))
    assert status == 2
    assert capsys.readouterr().err.strip().splitlines() == [f"error: crawler index not found: {tmp_path / 'nope.csv'}"]
    assert not (tmp_path / "out").exists()


def test_cli_size_limit_and_symlinks_reach_the_workers(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus")
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("某某县司法局2023年法治政府建设工作报告\n2023年,我局开展普法宣传12场。\n", encoding="utf-8")
    (corpus / "linked.txt").symlink_to(outside)
    status, _, table = _cli(corpus, tmp_path / "default")
    assert status == 0 and table.loc["linked.txt", "status"] == "error"
    status, _, table = _cli(corpus, tmp_path / "follow", "--follow-symlinks", "--max-mb", "0.005")
    assert status == 0
    assert table.loc["linked.txt", "status"] != "error"  # followed (and small enough)
    big = table[table["status"].eq("error")]
    assert big["message"].str.startswith("too large").all()
    assert set(big.index) == {PAZHOU, HAIZHU, BAIYUNHU}  # every seed is over 5,242 bytes


def test_loading_twice_reports_the_same_index_problems(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, "file,source\nmissing.txt,x\n")
    for _ in range(2):
        with pytest.warns(IndexWarning) as caught:
            load_corpus(corpus)
        assert str(caught[0].message).count("missing.txt") == 1
