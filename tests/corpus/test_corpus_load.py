"""Corpus table: the seeds, re-encoded variants, bad input, and the loader's public steps."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.config import SEEDS_DIR
from analysis.corpus import (
    COLUMNS,
    CorpusError,
    CorpusWarning,
    discover_files,
    find_report_files,
    finish_corpus,
    load_corpus,
    normalize_text,
    read_report,
)

SEED_FILES = sorted(p.name for p in SEEDS_DIR.glob("*.txt"))

# doc_id, report_year, issuer, issuer_type, province, city, county, subdistrict, publish_date
EXPECTED = [
    ("000_d8e34bf18eeaca77", 2024, "广州市海珠区人民政府琶洲街道办事处", "subdistrict", "广东省", "广州市", "海珠区", "琶洲街道", None),
    ("001_21f1fb0ed6b4f7e5", 2023, "广州市海珠区司法局", "department", "广东省", "广州市", "海珠区", None, "2023-12-13"),
    ("002_8c55e457dd30f097", 2023, "海安市海安街道", "subdistrict", "江苏省", "南通市", "海安市", "海安街道", "2024-03-27"),
    ("003_f7a1c094b05759ad", 2020, "白云湖街", "subdistrict", "广东省", "广州市", "白云区", "白云湖街道", None),
    ("004_22aef431846bda15", 2023, "深圳市龙华区观湖街道", "subdistrict", "广东省", "深圳市", "龙华区", "观湖街道", "2023-12-25"),
]


def _load(path: Path, **kw: object) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CorpusWarning)
        return load_corpus(path, **kw)


def test_seeds_one_ok_row_each(seed_corpus: pd.DataFrame) -> None:
    assert list(seed_corpus.columns) == COLUMNS
    assert list(seed_corpus["doc_id"]) == [e[0] for e in EXPECTED]
    assert (seed_corpus["status"] == "ok").all(), seed_corpus[["doc_id", "message"]]
    assert list(seed_corpus["report_year"]) == [2024, 2023, 2023, 2020, 2023]


@pytest.mark.parametrize("doc_id,year,issuer,itype,province,city,county,sub,published", EXPECTED)
def test_seed_metadata(seed_corpus, doc_id, year, issuer, itype, province, city, county, sub, published) -> None:
    row = seed_corpus.set_index("doc_id").loc[doc_id]
    assert row["report_year"] == year
    assert row["issuer"] == issuer
    assert row["issuer_type"] == itype
    assert (row["province"], row["city"], row["county"]) == (province, city, county)
    assert (None if pd.isna(row["subdistrict"]) else row["subdistrict"]) == sub
    assert (None if pd.isna(row["publish_date"]) else str(row["publish_date"].date())) == published



def test_signature_block_is_content(seed_corpus: pd.DataFrame) -> None:
    guanhu = seed_corpus.set_index("doc_id").loc["004_22aef431846bda15", "text"]
    assert guanhu.endswith("深圳市龙华区观湖街道办事处\n2023年12月22日")


def test_text_is_canonical(seed_corpus: pd.DataFrame) -> None:
    for text in seed_corpus["text"]:
        assert text == normalize_text(text)
        assert "\u00a0" not in text and "\r" not in text


# ----------------------------------------------------------------- re-encoded variants

_FULL = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in ",():;%0123456789"})


def _variants(raw: str, title: str) -> dict[str, bytes]:
    body_lines = raw.split("\n")
    html_body = "\n".join(f"<p>{line}</p>" for line in body_lines)
    html = (
        '<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        f"<title>{title}_某某区人民政府门户网站</title><script>var x = '2019年';</script></head><body>"
        "<div class='top'>今天是:2019年10月31日 星期四</div>"
        "<nav>首页 | 政务公开</nav><div>您当前所在的位置: 首页 > 政务公开 > 法治政府建设</div>"
        f"<h1>{title}</h1><div>发布日期:2024-03-28 来源:</div><div>【字体:大 中 小】</div>"
        f"<div class='content'>{html_body}</div>"
        "<div>相关文章</div><footer>主办:某某区人民政府办公室 粤ICP备12345678号</footer>"
        "</body></html>"
    )
    return {
        "utf8.txt": raw.encode("utf-8"),
        "gb18030.txt": raw.encode("gb18030"),
        "bom_crlf.txt": b"\xef\xbb\xbf" + raw.replace("\n", "\r\n").encode("utf-8"),
        "utf16.txt": raw.encode("utf-16"),
        "fullwidth.txt": raw.translate(_FULL).replace("\n", "\r\n").encode("gb18030"),
        "page.html": html.encode("gb18030"),
    }


@pytest.mark.parametrize("seed", SEED_FILES)
def test_variants_give_identical_metadata_and_text(seed: str, tmp_path: Path) -> None:
    raw = (SEEDS_DIR / seed).read_text(encoding="utf-8")
    base = _load(SEEDS_DIR / seed).iloc[0]
    title = base["title"] if not pd.isna(base["title"]) else ""
    # The HTML variant is built from the clean title and text, as a CMS would render them.
    clean = (title + "\n" if title else "") + base["text"]
    for name, data in _variants(raw, title).items():
        if name == "page.html":
            data = _variants(clean, title)[name]
        (tmp_path / name).write_bytes(data)
    df = _load(tmp_path)
    assert len(df) == 6
    cols = ["title", "issuer", "issuer_type", "province", "city", "county", "subdistrict", "report_year", "text"]
    for _, row in df.iterrows():
        for col in cols:
            assert (pd.isna(row[col]) and pd.isna(base[col])) or row[col] == base[col], (row["path"], col)
    encodings = dict(zip(df["path"], df["encoding"]))
    assert encodings["gb18030.txt"] == "gb18030"
    assert encodings["utf16.txt"] == "utf-16"
    assert encodings["bom_crlf.txt"] == "utf-8-sig"
    page = df.set_index("path").loc["page.html"]
    assert str(page["publish_date"].date()) == "2024-03-28"  # the page's date field, not the header clock
    assert "今天是:2019年10月31日 星期四" in page["chrome"]
    assert pd.isna(page["source"])  # an empty 来源 field
    # The other variants are byte-level duplicates of nothing but share the text: flagged.
    assert (df["status"] == "warning").sum() == 5
    assert df["message"].str.contains("duplicate").sum() == 5



# ----------------------------------------------------------------- bad input

BAD = [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b" \r\n\t\xe3\x80\x80\n", "whitespace"),
    ("binary.txt", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "damaged PDF"),
    ("nul.txt", bytes(range(256)) * 4, "binary"),
    ("truncated.txt", "2023年法治政府建设情况报告".encode("utf-8")[:-1], "truncated"),
    ("garbage.txt", b"\x81\x30\xff\xfe\xfd" * 50 + b"\xff" * 30, "undecodable"),
]


@pytest.mark.parametrize("name,data,word", BAD)
def test_bad_files_are_error_rows(name: str, data: bytes, word: str, tmp_path: Path) -> None:
    (tmp_path / name).write_bytes(data)
    (tmp_path / "good.txt").write_text("某某区司法局2023年法治政府建设年度报告\n2023年,我局…", encoding="utf-8")
    df = _load(tmp_path)
    assert len(df) == 2
    bad = df.set_index("path").loc[name]
    assert bad["status"] == "error"
    assert word in bad["message"]
    assert bad["text"] == ""
    with pytest.raises(CorpusError, match=name):
        _load(tmp_path, strict=True)


def test_other_file_types_are_reported_not_rows(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "r.htm").write_text("<html><body><p>2023年,某某镇…</p></body></html>", encoding="utf-8")
    (tmp_path / "README.md").write_text("notes", encoding="utf-8")
    (tmp_path / "data.csv").write_text("a,b", encoding="utf-8")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4")  # a report format: a row (damaged PDF)
    with pytest.warns(CorpusWarning, match=r"2 file\(s\).*README\.md, data\.csv"):
        df = load_corpus(tmp_path)
    assert list(df["doc_id"]) == ["scan", "sub/r"]


def test_missing_folder_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_corpus(tmp_path / "nope")


def test_parallel_equals_serial(tmp_path: Path) -> None:
    for name in SEED_FILES:
        (tmp_path / name).write_bytes((SEEDS_DIR / name).read_bytes())
    pd.testing.assert_frame_equal(_load(tmp_path), _load(tmp_path, n_jobs=2))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=st.lists(st.tuples(st.sampled_from([".txt", ".html", ".htm"]), st.binary(max_size=400)), min_size=1, max_size=4))
def test_arbitrary_bytes_never_crash(files: list[tuple[str, bytes]], tmp_path_factory: pytest.TempPathFactory) -> None:
    root = tmp_path_factory.mktemp("fuzz")
    for i, (suffix, data) in enumerate(files):
        (root / f"f{i}{suffix}").write_bytes(data)
    df = _load(root)
    assert len(df) == len(files)
    assert set(df["status"]) <= {"ok", "warning", "error"}
    assert list(df.columns) == COLUMNS


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.sampled_from(list("2023年度法治政府建设报告关于街道区局,。:()\n 　１２（）")), max_size=200))
def test_arbitrary_text_never_crashes(text: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    root = tmp_path_factory.mktemp("txt")
    (root / "a.txt").write_text(text, encoding="utf-8")
    df = _load(root)
    assert len(df) == 1
    row = df.iloc[0]
    assert row["n_chars"] == len(row["text"])



# ----------------------------------------------------------------- the public steps of load_corpus


def test_steps_give_the_load_corpus_table(tmp_path: Path) -> None:
    """find_report_files + read_report + finish_corpus == load_corpus (what the pipeline does)."""
    for name in SEED_FILES[:3]:
        (tmp_path / "a").mkdir(exist_ok=True)
        (tmp_path / "a" / name).write_bytes((SEEDS_DIR / name).read_bytes())
    (tmp_path / "twin.txt").write_bytes((SEEDS_DIR / SEED_FILES[0]).read_bytes())
    (tmp_path / "empty.htm").write_bytes(b"")
    files, root = find_report_files(tmp_path)
    assert root == tmp_path
    assert [p.relative_to(root).as_posix() for p in files] == [f"a/{n}" for n in SEED_FILES[:3]] + ["empty.htm", "twin.txt"]
    rows = [read_report(p, root) for p in files]
    before = [dict(r) for r in rows]
    table = finish_corpus(rows)
    assert rows == before  # the input rows are not changed
    pd.testing.assert_frame_equal(table, load_corpus(tmp_path))
    twin = table.set_index("doc_id").loc["twin"]
    assert twin["status"] == "warning" and f"identical bytes as a/{SEED_FILES[0]}" in twin["message"]
    assert table.set_index("doc_id").loc["empty", "status"] == "error"


def test_read_report_row_has_every_column(tmp_path: Path) -> None:
    body = "2022年,我县坚持以习近平法治思想为指导,全面推进依法行政,法治政府建设取得新成效。现将有关情况报告如下。"
    (tmp_path / "r.html").write_bytes(f"<html><body><h1>某某县人民政府2022年法治政府建设年度报告</h1><p>{body}</p></body></html>".encode("gb18030"))
    row = read_report(tmp_path / "r.html", tmp_path)
    assert list(row) == COLUMNS
    assert (row["doc_id"], row["path"], row["status"], row["report_year"]) == ("r", "r.html", "ok", 2022)
    assert row["title"] == "某某县人民政府2022年法治政府建设年度报告"


def test_read_report_never_raises_on_a_missing_file(tmp_path: Path) -> None:
    row = read_report(tmp_path / "gone.txt", tmp_path)
    assert row["status"] == "error" and row["message"].startswith("unreadable")
    assert row["sha256"] is None


def test_discover_files_sorts_and_skips_hidden(tmp_path: Path) -> None:
    for name in ("z.TXT", "b/a.html", "b/.draft.txt", ".git/x.txt", "b/scan.pdf", "a.htm", "b/notes.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    reports, others = discover_files(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in reports] == ["a.htm", "b/a.html", "b/scan.pdf", "z.TXT"]
    # hidden and other files are returned as not read; a hidden folder is not searched
    assert [p.relative_to(tmp_path).as_posix() for p in others] == ["b/.draft.txt", "b/notes.md"]


def _find_here(path: Path) -> tuple[list[Path], Path]:
    return find_report_files(path, stacklevel=1)  # the warning points at this line


def test_find_report_files_warns_at_the_callers_line(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text("x", encoding="utf-8")
    (tmp_path / "notes.md").write_bytes(b"# notes")
    with pytest.warns(CorpusWarning, match=r"1 file\(s\).*notes\.md") as caught:
        files, _ = _find_here(tmp_path)
    assert [p.name for p in files] == ["r.txt"]
    assert caught[0].filename == __file__
    assert caught[0].lineno == _find_here.__code__.co_firstlineno + 1
    with pytest.raises(FileNotFoundError):
        find_report_files(tmp_path / "missing")


def test_a_page_whose_text_is_all_furniture_is_an_error_that_says_so(tmp_path: Path) -> None:
    # A saved page holding only navigation and a footer: an error row with its reason
    # (the reason is never overwritten by later notes).
    from analysis.corpus import read_report

    (tmp_path / "nav.txt").write_text("首页 > 政务公开\n【字体:大 中 小】\n版权所有:某某镇人民政府\n", encoding="utf-8")
    row = read_report(tmp_path / "nav.txt", tmp_path)
    assert row["status"] == "error"
    assert row["message"].startswith("no report text")


def test_an_icp_line_above_the_report_is_not_its_footer(tmp_path: Path) -> None:
    body = "2023年,某某县某某镇在县委、县政府的领导下,坚持依法行政,较好完成了年度法治政府建设各项任务。\n" * 3
    (tmp_path / "r.txt").write_text("浙ICP备12345678号-1\n" + body, encoding="utf-8")
    from analysis.corpus import read_report

    row = read_report(tmp_path / "r.txt", tmp_path)
    assert row["status"] == "ok" and row["n_chars"] > 100
