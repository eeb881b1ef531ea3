"""Test files made from the seeds in other formats: .docx, .pdf, .mht, traditional, Big5.

Each renderer writes one seed report the way a government site or a researcher's tools
would: Word with its automatic list numbering (一、/(一)/1. in numbering.xml, not in the
text), a running header and a page-number footer; a PDF set in a real CJK font with a
centred title, wrapped at any character as Chinese typesetting does, page headers and
"- N -" footers; an MHT as a browser saves it (quoted-printable GB2312 page plus an
image part). The renderers are test code only; the package never writes these formats.
"""

from __future__ import annotations

import io
import re
import zipfile
from email import encoders
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from analysis.config import SEEDS_DIR

SEED_NAMES = sorted(p.name for p in SEEDS_DIR.glob("*.txt"))

# --------------------------------------------------------------------------- .docx

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CN = "一二三四五六七八九十"
# The seeds' heading labels: "一、…" (level 0), "(一)…" (level 1), "1.…" (level 2).
_LABELS = (
    (re.compile(r"^([一二三四五六七八九十]+)、(.+)$"), 0, "%1、", "chineseCounting"),
    (re.compile(r"^\(([一二三四五六七八九十]+)\)(.+)$"), 1, "(%2)", "chineseCounting"),
    (re.compile(r"^(\d{1,2})\.(?!\d)(.+)$"), 2, "%3.", "decimal"),
)


def _cn_number(label: str) -> int | None:
    if label.isdigit():
        return int(label)
    if len(label) == 1:
        return _CN.index(label) + 1
    if len(label) == 2 and label[0] == "十":
        return 10 + _CN.index(label[1]) + 1
    return None


def _numbering_xml() -> str:
    levels = "".join(
        f'<w:lvl w:ilvl="{lvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:suff w:val="nothing"/></w:lvl>'
        for _, lvl, text, fmt in _LABELS
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering xmlns:w="{_W_NS}">'
        f'<w:abstractNum w:abstractNumId="0">{levels}</w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>'
    )


def _paragraph(text: str, *, num_level: int | None = None, center: bool = False) -> str:
    ppr = ""
    if num_level is not None:
        ppr = f'<w:pPr><w:numPr><w:ilvl w:val="{num_level}"/><w:numId w:val="1"/></w:numPr></w:pPr>'
    elif center:
        ppr = '<w:pPr><w:jc w:val="center"/></w:pPr>'
    return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def docx_bytes(lines: list[str], *, title: str | None = None, extra_body: str = "") -> bytes:
    """A .docx of ``lines``: seed headings as Word list numbering when their numbers run
    as Word would count them (else kept as text), the title centred, a header and a
    footer with a page number field (both must not reach the text)."""
    counters: dict[int, int] = {}
    body: list[str] = []
    for line in lines:
        for rx, level, _, _ in _LABELS:
            m = rx.match(line)
            if m:
                n = _cn_number(m.group(1))
                expected = counters.get(level, 0) + 1
                if n == expected:
                    counters[level] = n
                    for deeper in [k for k in counters if k > level]:
                        del counters[deeper]
                    body.append(_paragraph(m.group(2), num_level=level))
                    break
        else:
            body.append(_paragraph(line, center=line == title))
    sect = (
        f'<w:sectPr><w:headerReference w:type="default" r:id="rIdH"/>'
        f'<w:footerReference w:type="default" r:id="rIdF"/></w:sectPr>'
    )
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{_W_NS}" xmlns:r="{_R_NS}"><w:body>{"".join(body)}{extra_body}{sect}</w:body></w:document>'
    )
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>"
        ),
        "word/_rels/document.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rIdN" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>'
            '<Relationship Id="rIdH" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>'
            '<Relationship Id="rIdF" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>'
            "</Relationships>"
        ),
        "word/document.xml": document,
        "word/numbering.xml": _numbering_xml(),
        "word/header1.xml": f'<w:hdr xmlns:w="{_W_NS}" xmlns:r="{_R_NS}">{_paragraph("某某区人民政府文件")}</w:hdr>',
        "word/footer1.xml": (
            f'<w:ftr xmlns:w="{_W_NS}" xmlns:r="{_R_NS}"><w:p><w:r><w:t>- </w:t></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
            "<w:r><w:t>1</w:t></w:r><w:r><w:t> -</w:t></w:r></w:p></w:ftr>"
        ),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, xml in parts.items():
            zf.writestr(name, xml)
    return buf.getvalue()


# --------------------------------------------------------------------------- .pdf


def pdf_bytes(lines: list[str], *, title: str | None = None, indent: bool = True) -> bytes:
    """A PDF of ``lines`` in Noto Sans CJK, laid out as GB/T 9704 sets official documents:
    title centred and larger, paragraphs indented by two characters (``indent``),
    wrapped at any character; a running header and a "- N -" footer on every page."""
    from fpdf import FPDF

    from analysis.plots.fonts import cjk_font_path

    class Doc(FPDF):
        def header(self) -> None:
            self.set_font("cjk", size=9)
            self.cell(0, 8, "某某区人民政府文件", align="C")
            self.ln(12)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("cjk", size=9)
            self.cell(0, 10, f"- {self.page_no()} -", align="C")

    pdf = Doc()
    pdf.add_font("cjk", fname=str(cjk_font_path()))
    pdf.add_page()
    for line in lines:
        if line == title:
            pdf.set_font("cjk", size=16)
            pdf.multi_cell(0, 9, line, align="C", new_x="LMARGIN", new_y="NEXT")
            continue
        pdf.set_font("cjk", size=12)
        first = pdf.get_string_width("一二") if indent else 0.0
        current, offset = "", first
        for ch in line:  # wrap at any character, as Chinese typesetting does
            if current and pdf.get_string_width(current + ch) > pdf.epw - offset:
                pdf.set_x(pdf.l_margin + offset)
                pdf.cell(pdf.epw - offset, 7, current, new_x="LMARGIN", new_y="NEXT")
                current, offset = ch, 0.0
            else:
                current += ch
        if current:
            pdf.set_x(pdf.l_margin + offset)
            pdf.cell(pdf.epw - offset, 7, current, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def scanned_pdf_bytes() -> bytes:
    """A one-page PDF holding only an image (a scan without a text layer)."""
    from fpdf import FPDF
    from PIL import Image

    img = Image.new("L", (200, 280), color=235)
    for x in range(20, 180):
        for y in range(40, 44):
            img.putpixel((x, y), 20)
    pdf = FPDF()
    pdf.add_page()
    pdf.image(img, x=10, y=10, w=180)
    return bytes(pdf.output())


# --------------------------------------------------------------------------- .mht


def mht_bytes(lines: list[str], *, title: str | None = None, url: str | None = None) -> bytes:
    """A page saved by a browser as .mht: quoted-printable GB2312/GBK HTML plus an image."""
    body = "".join(f"<h1>{escape(line)}</h1>" if line == title else f"<p>{escape(line)}</p>" for line in lines)
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        f"<title>{escape(title or '')}</title></head><body>{body}</body></html>"
    )
    msg = MIMEMultipart("related", type="text/html")
    msg["Subject"] = title or ""
    if url:
        msg["Snapshot-Content-Location"] = url
    # Sites declare gb2312 and write GBK (its superset), as browsers then save it.
    part = MIMENonMultipart("text", "html", charset="gb2312")
    part.set_payload(html.replace("\xa0", "&nbsp;").encode("gbk"))
    encoders.encode_quopri(part)
    if url:
        part["Content-Location"] = url
    msg.attach(part)
    png = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 20
    image = MIMEImage(png, "png")
    image["Content-Location"] = "http://www.example.gov.cn/logo.png"
    msg.attach(image)
    return msg.as_bytes()


# --------------------------------------------------------------------------- fixtures


def to_traditional(text: str, config: str = "s2t") -> str:
    import opencc

    return opencc.OpenCC(config).convert(text)


@pytest.fixture(scope="session")
def seed_titles(seed_corpus) -> dict[str, str | None]:  # noqa: ANN001 - the session's seed table
    """Each seed's title as the loader reads it from the .txt (None when it has none)."""
    import pandas as pd

    return {f"{doc}.txt": (None if pd.isna(t) else str(t)) for doc, t in zip(seed_corpus["doc_id"], seed_corpus["title"])}


@pytest.fixture(scope="session")
def seed_lines() -> dict[str, list[str]]:
    return {
        name: [line.strip() for line in (SEEDS_DIR / name).read_text(encoding="utf-8").split("\n") if line.strip()]
        for name in SEED_NAMES
    }


@pytest.fixture(scope="session")
def rendered_seeds(seed_lines, seed_titles) -> dict[str, dict[str, bytes]]:  # noqa: ANN001
    """seed file name -> {suffix: bytes} for .docx, .pdf, .mht, traditional and Big5 .txt."""
    out: dict[str, dict[str, bytes]] = {}
    for name in SEED_NAMES:
        lines, title = seed_lines[name], seed_titles[name]
        raw = (SEEDS_DIR / name).read_text(encoding="utf-8")
        out[name] = {
            ".docx": docx_bytes(lines, title=title),
            ".pdf": pdf_bytes(lines, title=title),
            ".mht": mht_bytes(lines, title=title),
            ".trad.txt": to_traditional(raw).encode("utf-8"),
            ".big5.txt": to_traditional(raw.replace("\xa0", " "), "s2tw").encode("big5"),
        }
    return out


@pytest.fixture
def write_files():  # noqa: ANN201
    """Write {relative path: bytes} under a folder (parents created); return the folder."""

    def write(root: Path, files: dict[str, bytes]) -> Path:
        for rel, data in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        return root

    return write
