"""Corpus loader: metadata on the seeds, on re-encoded variants, and on bad input."""

from __future__ import annotations

import re
import unicodedata
import warnings
from pathlib import Path, PurePosixPath

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import corpus as corpus_module
from analysis import places as places_module
from analysis.config import SEEDS_DIR
from analysis.corpus import COLUMNS, CorpusError, CorpusWarning, load_corpus, normalize_text

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


def test_chrome_never_in_text(seed_corpus: pd.DataFrame) -> None:
    furniture = ["您当前所在的位置", "发布日期", "分享到", "浏览量", "访问总数", "ICP备", "公网安备", "网站标识码", "文件已失效", "字体", "累计次数"]
    for text in seed_corpus["text"]:
        for word in furniture:
            assert word not in text
    haizhu = seed_corpus.set_index("doc_id").loc["001_21f1fb0ed6b4f7e5"]
    assert "粤ICP备05083207号-1" in haizhu["chrome"]
    assert haizhu["source"] == "海珠区司法局"


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


# ----------------------------------------------------------------- metadata on other forms

TITLES = [
    # title line, opening, expected (issuer, issuer_type, year, province, city, county)
    ("广东省人民政府关于2022年法治政府建设情况的报告", "2022年,全省…", ("广东省人民政府", "provincial_government", 2022, "广东省", None, None)),
    ("南通市人民政府关于2021年度法治政府建设工作情况的报告", "2021年,我市…", ("南通市人民政府", "city_government", 2021, "江苏省", "南通市", None)),
    ("海安市人民政府2022年度法治政府建设情况报告", "2022年,我市…", ("海安市人民政府", "district_government", 2022, "江苏省", "南通市", "海安市")),
    ("海口市龙华区人民政府关于2023年法治政府建设年度报告", "2023年…", ("海口市龙华区人民政府", "district_government", 2023, "海南省", "海口市", "龙华区")),
    ("北京市朝阳区司法局2021年法治政府建设年度情况报告", "2021年…", ("北京市朝阳区司法局", "department", 2021, "北京市", "北京市", "朝阳区")),
    ("长春市朝阳区人民政府关于二〇二一年度法治政府建设情况的报告", "…", ("长春市朝阳区人民政府", "district_government", 2021, "吉林省", "长春市", "朝阳区")),
    ("溧阳市社渚镇2022年法治政府建设工作报告", "2022年,社渚镇…", ("溧阳市社渚镇", "township", 2022, "江苏省", "常州市", "溧阳市")),
]


@pytest.mark.parametrize("title,opening,expected", TITLES)
def test_metadata_of_other_titles(title: str, opening: str, expected: tuple, tmp_path: Path) -> None:
    text = f"{title}\n{opening}根据《法治政府建设实施纲要(2021-2025年)》要求,现将情况报告如下。\n一、主要举措和成效\n略。"
    (tmp_path / "r.txt").write_text(text, encoding="utf-8")
    row = _load(tmp_path).iloc[0]
    got = (row["issuer"], row["issuer_type"], row["report_year"], row["province"], row["city"], row["county"])
    got = tuple(None if pd.isna(v) else v for v in got)
    assert got == expected


def test_year_never_from_clock_range_or_cited_title(tmp_path: Path) -> None:
    page = (
        "今天是:2019年10月31日 星期四\n发布时间:2021-03-30\n"
        "根据《法治政府建设实施纲要(2021-2025年)》,2020年,某某县坚持…\n一、主要举措\n"
    )
    (tmp_path / "a.txt").write_text(page, encoding="utf-8")
    row = _load(tmp_path).iloc[0]
    assert row["report_year"] == 2020
    assert str(row["publish_date"].date()) == "2021-03-30"


def test_split_and_repeated_title(tmp_path: Path) -> None:
    page = (
        "首页 > 政务公开\n广州市天河区人民政府关于\n2023年度法治政府建设情况的报告\n"
        "广州市天河区人民政府关于2023年度法治政府建设情况的报告\n2023年,天河区坚持…\n"
    )
    (tmp_path / "a.txt").write_text(page, encoding="utf-8")
    row = _load(tmp_path).iloc[0]
    assert row["title"] == "广州市天河区人民政府关于2023年度法治政府建设情况的报告"
    assert row["text"] == "2023年,天河区坚持…"
    assert row["issuer_type"] == "district_government"
    assert row["county"] == "天河区"


# ----------------------------------------------------------------- bad input

BAD = [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b" \r\n\t\xe3\x80\x80\n", "whitespace"),
    ("binary.txt", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "binary"),
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
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4")
    with pytest.warns(CorpusWarning, match=r"2 file\(s\).*README\.md, scan\.pdf"):
        df = load_corpus(tmp_path)
    assert list(df["doc_id"]) == ["sub/r"]


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


@pytest.mark.parametrize(
    "first_line",
    ["现将2023年法治政府建设情况报告如下:", "一、2023年度法治政府建设情况报告", "(一)关于法治政府建设的报告制度"],
)
def test_report_mentions_are_not_titles(first_line: str, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"{first_line}\n2023年,某某镇坚持…", encoding="utf-8")
    row = _load(tmp_path).iloc[0]
    assert pd.isna(row["title"])
    assert row["text"].startswith(first_line)


def test_info_disclosure_page(tmp_path: Path) -> None:
    """An information-disclosure page: metadata table, 成文日期 before 发布日期, 【】 fields."""
    page = (
        "索引号:11440105007502345X/2024-00012\n主题分类:法治政府\n发文机关:某某区人民政府\n"
        "成文日期:2024-03-20\n标题:某某区人民政府关于2023年度法治政府建设情况的报告\n发文字号:\n"
        "【发布日期:2024-03-28】【来源:区司法局】【字体:大 中 小】\n"
        "中共广州市海珠区委全面依法治区委员会办公室\n关于2023年度法治政府建设情况的报告\n"
        "2023年,全区坚持…\n本文来源于某某网,转载请注明出处\n"
    )
    (tmp_path / "a.txt").write_text(page, encoding="utf-8")
    row = _load(tmp_path).iloc[0]
    assert row["title"] == "中共广州市海珠区委全面依法治区委员会办公室关于2023年度法治政府建设情况的报告"
    assert row["issuer_type"] == "department"
    assert row["county"] == "海珠区"
    assert str(row["publish_date"].date()) == "2024-03-28"
    assert row["text"] == "2023年,全区坚持…"


def test_date_after_title_is_not_the_year_covered(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "某某县人民政府关于法治政府建设情况的报告(2024年3月)\n2023年,我县…", encoding="utf-8"
    )
    assert _load(tmp_path).iloc[0]["report_year"] == 2023


def test_body_line_mentioning_the_report_is_not_a_title(tmp_path: Path) -> None:
    text = "2023年,某某镇坚持依法行政,全面推进法治政府建设。\n一、主要举措\n按时公开法治政府建设年度报告\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    row = _load(tmp_path).iloc[0]
    assert pd.isna(row["title"])
    assert row["text"] == text.strip()


@pytest.mark.parametrize(
    "title,expected",
    [
        ("东莞市人民政府关于2023年度法治政府建设情况的报告", ("city_government", "广东省", "东莞市", None)),
        ("嘉峪关市人民政府2022年法治政府建设年度报告", ("city_government", "甘肃省", "嘉峪关市", None)),
        ("喀什地区行政公署关于2022年度法治政府建设情况的报告", ("city_government", "新疆维吾尔自治区", "喀什地区", None)),
        ("巴彦淖尔市交通运输局2023年法治政府建设年度报告", ("department", "内蒙古自治区", "巴彦淖尔市", None)),
    ],
)
def test_prefecture_units_and_generic_names(title: str, expected: tuple, tmp_path: Path) -> None:
    # the opening mentions 街道 and 镇: generic words, never evidence for a place named so
    (tmp_path / "a.txt").write_text(f"{title}\n2023年,全市各街道、镇坚持…", encoding="utf-8")
    row = _load(tmp_path).iloc[0]
    got = tuple(None if pd.isna(row[c]) else row[c] for c in ("issuer_type", "province", "city", "county"))
    assert got == expected


# ----------------------------------------------------------------- fast paths = straightforward ones
# The loader's hot spots have fast implementations (analysis.corpus._normalize,
# analysis.places._mentions / _candidate_starts, analysis.corpus._doc_id). Each is
# compared here with the straightforward version it replaced, on arbitrary input.

def _reference_normalize(raw: str) -> str:
    """normalize_text as first written: a regex callback per full-width character."""
    table = corpus_module._FULLWIDTH
    fullwidth = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(table)) + "]")
    control = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
    text = fullwidth.sub(lambda m: m.group(0).translate(table), unicodedata.normalize("NFC", raw))
    text = control.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = (line.strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


# Everything normalize_text maps or deletes, line ends, Unicode spaces, combining marks
# (NFC), CJK, digits and punctuation, an astral character and a lone surrogate.
_NORMALIZE_ALPHABET = sorted(
    {chr(cp) for cp in corpus_module._FULLWIDTH}
    | {chr(cp) for cp in range(0x80)}
    | set("中文，。、“”《》—…年度报告\u0301\u0327e\u1100\u1161\u2028\u0085\u3000\u00a0\ufeff\U0002000b\ud800")
)


@settings(max_examples=300, deadline=None)
@given(raw=st.text(alphabet=st.sampled_from(_NORMALIZE_ALPHABET), max_size=120))
def test_normalize_text_equals_reference(raw: str) -> None:
    text, has_control = corpus_module._normalize(raw)
    assert text == _reference_normalize(raw) == normalize_text(raw)
    assert has_control == bool(re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", raw))


def test_nfc_never_adds_or_removes_control_characters() -> None:
    """What lets _read_one take its control-character flag from the NFC text.

    NFC only decomposes by canonical mappings and composes into characters that have
    one; no mapping holds a control character and none has a mapping.
    """
    controls = {cp for cp in range(0x80) if re.match(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", chr(cp))}
    for cp in range(0x110000):
        mapping = unicodedata.decomposition(chr(cp))
        if mapping and not mapping.startswith("<"):
            assert cp not in controls
            assert not controls & {int(part, 16) for part in mapping.split()}, hex(cp)


def _reference_mentions(text: str) -> list:
    """places._mentions as first written: the prefix walk tried at every position."""
    index, prefixes = places_module._gazetteer()
    found = []
    i, n = 0, len(text)
    while i < n:
        hit = None
        j = i + 1
        while j <= n and text[i:j] in prefixes:
            if j - i >= 2:
                units = index.get(text[i:j])
                if units:
                    hit = (i, text[i:j], units)
            j += 1
        if hit:
            found.append(hit)
            i += len(hit[1])
        else:
            i += 1
    return found


def _gazetteer_names() -> list[str]:
    return sorted(places_module._gazetteer()[0])


# Pieces of report text: whole gazetteer names, their beginnings (a name cut short, or
# two names overlapping), generic Chinese text with digits and punctuation, characters
# beyond the numpy look-up tables (astral, lone surrogate, full-width forms).
_PIECES = st.one_of(
    st.sampled_from(_gazetteer_names()),
    st.builds(lambda name, k: name[:k], st.sampled_from(_gazetteer_names()), st.integers(1, 6)),
    st.text(alphabet=st.sampled_from(list("中华人民共和国省市区县镇街道建设发展法治政府2023年,。、\n ")), max_size=8),
    st.sampled_from(["\U0002000b", "\ud800", "\uffff", "（", "𠀀区"]),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces=st.lists(_PIECES, max_size=40))
def test_place_mentions_equal_reference(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert places_module._mentions(text) == _reference_mentions(text)
    # both candidate scans (Python for short texts, numpy for long ones) on the same text
    padded = text + "。" * places_module._SHORT_TEXT
    assert places_module._mentions(padded) == _reference_mentions(padded)


def test_place_mentions_on_the_seeds(seed_corpus: pd.DataFrame) -> None:
    for text in seed_corpus["text"]:
        assert places_module._mentions(text) == _reference_mentions(text)
        assert places_module._mentions(text[:40]) == _reference_mentions(text[:40])


@settings(max_examples=300, deadline=None)
@given(raw=st.text(alphabet=st.sampled_from(list("ab._/ 中.\\")), min_size=1, max_size=16))
def test_doc_id_equals_pathlib(raw: str) -> None:
    rel = PurePosixPath(raw).as_posix()
    try:
        expected = Path(rel).with_suffix("").as_posix()
    except ValueError:  # no file name ("." or "/"): never a report's path
        return
    assert corpus_module._doc_id(rel) == expected
