"""Formats: .docx, .pdf, .mht and friends give the .txt's text, metadata, sections, indicators.

The seeds are rendered by the test renderers (conftest.py) and loaded beside the .txt.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import analysis
from analysis.config import SEEDS_DIR
from analysis.corpus import CorpusWarning, load_corpus, normalize_text
from analysis.corpus.formats import UNSUPPORTED_MESSAGES, sniff_format
from analysis.corpus.formats.docx import DocxError, docx_text
from analysis.corpus.formats.pdf import SCANNED_PDF, pdf_text
from analysis.corpus.read import read_text

from .conftest import SEED_NAMES, docx_bytes, pdf_bytes, scanned_pdf_bytes

META = ["title", "issuer", "issuer_type", "province", "city", "county", "subdistrict", "report_year", "publish_date", "source"]


def _load(path: Path, **kw: object) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CorpusWarning)
        return load_corpus(path, **kw)


def _per_doc(table: pd.DataFrame, doc: str) -> pd.DataFrame:
    return table[table["doc_id"] == doc].drop(columns="doc_id").reset_index(drop=True)


def _same(a: object, b: object) -> bool:
    return (pd.isna(a) and pd.isna(b)) if (pd.isna(a) or pd.isna(b)) else a == b


@pytest.fixture(scope="module")
def formats_table(rendered_seeds, tmp_path_factory) -> pd.DataFrame:  # noqa: ANN001
    """The seeds as .txt, .docx, .pdf and .mht in one folder, loaded."""
    root = tmp_path_factory.mktemp("formats")
    for name in SEED_NAMES:
        stem = name[:-4]
        (root / name).write_bytes((SEEDS_DIR / name).read_bytes())
        for suffix in (".docx", ".pdf", ".mht"):
            (root / f"{stem}{suffix}").write_bytes(rendered_seeds[name][suffix])
    return _load(root)


@pytest.mark.parametrize("suffix,fmt", [(".docx", "docx"), (".pdf", "pdf"), (".mht", "mht")])
@pytest.mark.parametrize("seed", SEED_NAMES)
def test_each_format_gives_the_txt_text_and_metadata(formats_table: pd.DataFrame, seed: str, suffix: str, fmt: str) -> None:
    table = formats_table.set_index("path")
    txt, other = table.loc[seed], table.loc[seed[:-4] + suffix]
    assert other["format"] == fmt
    assert other["text"] == txt["text"]
    assert other["chrome"] == txt["chrome"]
    for col in META:
        assert _same(other[col], txt[col]), col
    # the messages differ only in which of the forms is flagged a duplicate of which
    assert _without_duplicate(other["message"]) == _without_duplicate(txt["message"])


def _without_duplicate(message: str) -> str:
    return "; ".join(m for m in message.split("; ") if not m.startswith("duplicate:"))


def test_each_format_gives_the_same_sections_problems_indicators(formats_table: pd.DataFrame) -> None:
    sections = analysis.parse_sections(formats_table)
    problems = analysis.extract_problems(sections)
    indicators = analysis.extract_indicators(formats_table, sections)
    ids = dict(zip(formats_table["path"], formats_table["doc_id"]))
    for name in SEED_NAMES:
        base = ids[name]
        assert len(_per_doc(sections, base)) > 5
        for suffix in (".docx", ".pdf", ".mht"):
            other = ids[name[:-4] + suffix]
            for table in (sections, problems, indicators):
                pd.testing.assert_frame_equal(_per_doc(table, other), _per_doc(table, base))


def test_pdf_without_paragraph_indentation_stays_within_tolerance(seed_lines, seed_titles, seed_corpus) -> None:  # noqa: ANN001
    """The documented PDF tolerance: without first-line indents, a paragraph whose last line
    ends a sentence exactly at the margin merges with the next (one such join in the
    seeds: 001's "一是…"/"二是…" paragraphs); headings, section count and indicators stay."""
    merged = {}
    for name in SEED_NAMES:
        text = normalize_text(pdf_text(pdf_bytes(seed_lines[name], title=seed_titles[name], indent=False)))
        lines, seed = text.split("\n"), normalize_text((SEEDS_DIR / name).read_text(encoding="utf-8")).split("\n")
        assert "".join(lines) == "".join(seed), name  # not a character lost or added
        merged[name] = len(seed) - len(lines)
        assert seed_titles[name] is None or seed_titles[name] in lines  # a wrapped title is joined
    assert merged == {name: (1 if name.startswith("001_") else 0) for name in SEED_NAMES}


# ----------------------------------------------------------------- .docx


def _docx(body: str, *, numbering: str | None = None, styles: str | None = None) -> bytes:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", f'<w:document xmlns:w="{w}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>{body}</w:body></w:document>')
        if numbering:
            zf.writestr("word/numbering.xml", f'<w:numbering xmlns:w="{w}">{numbering}</w:numbering>')
        if styles:
            zf.writestr("word/styles.xml", f'<w:styles xmlns:w="{w}">{styles}</w:styles>')
    return buf.getvalue()


def _p(text: str, ppr: str = "") -> str:
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}<w:r><w:t>{text}</w:t></w:r></w:p>"


def _num(ilvl: int, num_id: int = 1) -> str:
    return f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'


_LEVELS = (
    '<w:abstractNum w:abstractNumId="0">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>'
    '<w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>'
    "</w:abstractNum>"
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="11"/></w:lvlOverride></w:num>'
)


def test_docx_list_numbering_gives_the_heading_labels() -> None:
    """一、/(一)/1. living in numbering.xml come back; deeper levels restart; bullets vanish."""
    body = "".join(
        [
            _p("主要举措", _num(0)), _p("完善制度", _num(1)), _p("一项", _num(2)), _p("二项", _num(2)),
            _p("推进执法", _num(1)), _p("一项", _num(2)), _p("要点", _num(3)), _p("存在问题", _num(0)),
            _p("思想认识", _num(1)), _p("下一步", _num(0, 2)), _p("正文段落。"),
        ]
    )  # fmt: skip
    text = normalize_text(docx_text(_docx(body, numbering=_LEVELS)))
    assert text.split("\n") == [
        "一、主要举措", "(一)完善制度", "1.一项", "2.二项", "(二)推进执法", "1.一项", "要点",
        "二、存在问题", "(一)思想认识", "十一、下一步", "正文段落。",
    ]  # fmt: skip


def test_docx_numbering_through_a_heading_style() -> None:
    styles = (
        '<w:style w:type="paragraph" w:styleId="H1"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="H1b"><w:basedOn w:val="H1"/></w:style>'
    )
    body = _p("总体情况", '<w:pStyle w:val="H1"/>') + _p("问题", '<w:pStyle w:val="H1b"/>')
    assert docx_text(_docx(body, numbering=_LEVELS, styles=styles)) == "一、总体情况\n二、问题"


def test_docx_tables_tracked_changes_text_boxes_and_fields() -> None:
    body = (
        "<w:p><w:r><w:t>受理</w:t></w:r><w:del><w:r><w:delText>删去的</w:delText></w:r></w:del>"
        "<w:ins><w:r><w:t>行政复议</w:t></w:r></w:ins><w:r><w:instrText> PAGE </w:instrText></w:r>"
        "<w:r><w:tab/><w:t>案件</w:t></w:r></w:p>"
        "<w:tbl><w:tr><w:tc>" + _p("指标") + "</w:tc><w:tc>" + _p("数量") + "</w:tc></w:tr>"
        "<w:tr><w:tc>" + _p("行政复议案件") + "</w:tc><w:tc>" + _p("12件") + "</w:tc></w:tr></w:tbl>"
        "<w:p><w:r><mc:AlternateContent><mc:Choice><w:txbxContent>" + _p("文本框") + "</w:txbxContent></mc:Choice>"
        "<mc:Fallback><w:txbxContent>" + _p("文本框") + "</w:txbxContent></mc:Fallback></mc:AlternateContent></w:r></w:p>"
    )
    assert docx_text(_docx(body)).split("\n") == ["受理行政复议 案件", "指标 数量", "行政复议案件 12件", "文本框"]


def test_docx_headers_and_footers_are_not_text(rendered_seeds) -> None:  # noqa: ANN001
    text = docx_text(rendered_seeds[SEED_NAMES[0]][".docx"])
    assert "某某区人民政府文件" not in text and "PAGE" not in text


@pytest.mark.parametrize(
    "data,reason",
    [(b"PK\x03\x04garbage", "damaged .docx"), (b"", "damaged .docx")],
)
def test_damaged_docx_is_an_error(data: bytes, reason: str) -> None:
    with pytest.raises(DocxError, match=reason):
        docx_text(data)


# ----------------------------------------------------------------- .pdf


def test_a_scanned_pdf_says_ocr_it_first(tmp_path: Path) -> None:
    (tmp_path / "scan.pdf").write_bytes(scanned_pdf_bytes())
    got = read_text(tmp_path / "scan.pdf")
    assert got.error == SCANNED_PDF == "scanned PDF: no text layer (OCR it first, e.g. `ocrmypdf -l chi_sim in.pdf out.pdf`)"


def test_an_encrypted_pdf_says_so(tmp_path: Path, seed_lines) -> None:  # noqa: ANN001
    from fpdf import FPDF

    from analysis.plots.fonts import cjk_font_path

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.add_font("cjk", fname=str(cjk_font_path()))
    pdf.set_font("cjk", size=12)
    pdf.cell(0, 10, "法治政府建设")
    (tmp_path / "locked.pdf").write_bytes(bytes(pdf.output()))
    assert read_text(tmp_path / "locked.pdf").error.startswith("encrypted PDF: remove the password first")


def test_pdf_page_numbers_and_running_headers_are_dropped(rendered_seeds) -> None:  # noqa: ANN001
    for name in SEED_NAMES:
        text = pdf_text(rendered_seeds[name][".pdf"])
        assert "某某区人民政府文件" not in text
        assert not any(line.strip("- ").isdigit() for line in text.split("\n")), name


# ----------------------------------------------------------------- .mht, sniffing, unsupported


def test_mht_url_and_word_web_page_saved_as_doc(tmp_path: Path, seed_lines, seed_titles) -> None:  # noqa: ANN001
    from .conftest import mht_bytes

    name = SEED_NAMES[2]
    url = "http://www.haian.gov.cn/zwgk/202403/t20240327_123.html"
    (tmp_path / "page.doc").write_bytes(mht_bytes(seed_lines[name], title=seed_titles[name], url=url))
    row = _load(tmp_path).iloc[0]
    assert (row["format"], row["status"], row["url"]) == ("mht", "ok", url)
    assert row["message"] == "note: read as MHT although named .doc"


@pytest.mark.parametrize("name", ["R.PDF", "R.DOCX", "R.MHT", "R.HTM", "r.Shtml", "r.XHTML", "noext"])
def test_upper_case_extensions_and_no_extension(tmp_path: Path, rendered_seeds, name: str) -> None:  # noqa: ANN001
    seed = SEED_NAMES[1]
    data = {
        "R.PDF": rendered_seeds[seed][".pdf"], "R.DOCX": rendered_seeds[seed][".docx"], "R.MHT": rendered_seeds[seed][".mht"],
        "noext": rendered_seeds[seed][".docx"],
    }.get(name, f"<html><body><p>{(SEEDS_DIR / seed).read_text(encoding='utf-8')}</p></body></html>".encode("gb18030"))  # fmt: skip
    (tmp_path / name).write_bytes(data)
    (tmp_path / "ref.txt").write_bytes((SEEDS_DIR / seed).read_bytes())
    df = _load(tmp_path).set_index("path")
    assert df.loc[name, "text"] == df.loc["ref.txt", "text"]
    assert df["message"].str.contains("duplicate: identical report text").sum() == 1


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def _zip(names: list[str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for n in names:
            zf.writestr(n, "x")
    return buf.getvalue()


@pytest.mark.parametrize(
    "name,data,fmt",
    [
        ("a.doc", _OLE, "doc"),
        ("a.docx", _OLE, "doc"),  # a Word 97 file renamed .docx
        ("a.wps", _OLE, "wps"),
        ("a.xls", _OLE, "xls"),
        ("a.xlsx", _zip(["xl/workbook.xml"]), "xls"),
        ("a.zip", _zip(["2023年报告.txt"]), "zip"),
        ("a.rar", b"Rar!\x1a\x07\x01\x00" + b"\x00" * 40, "rar"),
        ("a.7z", b"7z\xbc\xaf\x27\x1c" + b"\x00" * 40, "7z"),
        ("scan.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 40, "image"),
        ("scan.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "image"),
        ("a.ofd", _zip(["OFD.xml"]), "ofd"),
        ("a.rtf", b"{\\rtf1\\ansi\\ansicpg936 ...}", "rtf"),
    ],
)
def test_unsupported_formats_are_error_rows_that_say_what_to_do(tmp_path: Path, name: str, data: bytes, fmt: str) -> None:
    (tmp_path / name).write_bytes(data)
    row = _load(tmp_path).iloc[0]
    assert (row["status"], row["format"], row["message"]) == ("error", fmt, UNSUPPORTED_MESSAGES[fmt])
    if fmt in ("doc", "wps", "rtf"):
        assert "soffice --headless --convert-to docx" in row["message"]


def test_a_doc_that_is_really_html_or_docx_is_read(tmp_path: Path, rendered_seeds) -> None:  # noqa: ANN001
    seed = SEED_NAMES[0]
    (tmp_path / "web.doc").write_bytes(f"<html><body><p>{(SEEDS_DIR / seed).read_text(encoding='utf-8')}</p></body></html>".encode())
    (tmp_path / "new.doc").write_bytes(rendered_seeds[seed][".docx"])
    df = _load(tmp_path).set_index("path")
    assert df.loc["web.doc", "format"] == "html" and df.loc["web.doc", "message"].startswith("note: read as HTML although named .doc")
    assert df.loc["new.doc", "format"] == "docx" and df.loc["new.doc", "text"] == df.loc["web.doc", "text"]


def test_sniff_format_by_content() -> None:
    assert sniff_format(b"junk%PDF-1.4", "") == "pdf"
    assert sniff_format(_zip(["word/document.xml"]), "") == "docx"
    assert sniff_format("From: <Saved by Blink>\r\nMIME-Version: 1.0\r\n".encode(), "") == "mht"
    assert sniff_format("<!-- saved from url=(0021)http://a.gov.cn/ -->".encode("utf-16"), ".txt") == "html"
    assert sniff_format("一、主要举措".encode("gb18030"), ".asp") == "html"


# --------------------------------------------------------------------------- HTML text


def _html_tree(draw, depth: int) -> str:  # noqa: ANN001 - hypothesis's draw
    from analysis.corpus.formats import html as html_module

    tags = [*html_module._BLOCK_TAGS, *html_module._DROP_TAGS, "span", "b", "a", "font", "o:p", "st1:place", "center"]
    out = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["text", "element", "element", "comment", "void"]))
        if kind == "text":
            out.append(draw(st.sampled_from(["依法行政", " ", "\n", "2023年,", "&amp;", "&nbsp;", "一、主要举措", "x"])))
        elif kind == "comment":
            out.append("<!-- 注释 -->")
        elif kind == "void":
            out.append(draw(st.sampled_from(["<br>", "<br/>", "<img src='a.png'>", "<hr>", "<input value='v'>"])))
        elif depth > 0:
            tag = draw(st.sampled_from(tags))
            out.append(f"<{tag}>{_html_tree(draw, depth - 1)}</{tag}>")
        if draw(st.booleans()):
            out.append(draw(st.sampled_from(["尾", "", "\n", "。"])))
    return "".join(out)


@st.composite
def _html_pages(draw) -> str:  # noqa: ANN001
    body = _html_tree(draw, 4)
    shape = draw(st.sampled_from(["page", "no body", "fragment"]))
    if shape == "page":
        return f"<html><head><title>某县报告_某县人民政府网</title><style>p{{}}</style></head><body>{body}</body></html>"
    if shape == "no body":
        return f"<html><head><title>标题</title></head>{body}</html>"
    return body


@settings(max_examples=300, deadline=None)
@given(markup=_html_pages())
def test_html_text_by_xslt_equals_the_tree_walk(markup: str) -> None:
    """The text transform (libxslt) gives exactly the text of the Python walk it replaced."""
    from lxml import etree

    from analysis.corpus.formats import html as html_module

    doc = etree.fromstring(markup or "<html></html>", html_module._parser())
    if doc is None:
        return
    expected = html_module._text_by_walk(etree.fromstring(markup or "<html></html>", html_module._parser()))
    assert str(html_module._text_transform()(doc)) == expected
