"""Reading one file: the canonical text form (fast path = straightforward one), safe opening, decoding, HTML."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.corpus import normalize_text
from analysis.corpus import read as read_module

# The reading layer's hot spot has a fast implementation (read._normalize).
# Each is compared here with the straightforward version it replaced, on arbitrary input.


def _reference_normalize(raw: str) -> str:
    """normalize_text as first written: a regex callback per full-width character."""
    table = read_module._FULLWIDTH
    fullwidth = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(table)) + "]")
    control = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
    text = fullwidth.sub(lambda m: m.group(0).translate(table), unicodedata.normalize("NFC", raw))
    text = control.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = (line.strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


# Everything normalize_text maps or deletes, line ends, Unicode spaces, combining marks
# (NFC), CJK, digits and punctuation, an astral character and a lone surrogate.
_NORMALIZE_ALPHABET = sorted(
    {chr(cp) for cp in read_module._FULLWIDTH}
    | {chr(cp) for cp in range(0x80)}
    | set("中文，。、“”《》—…年度报告\u0301\u0327e\u1100\u1161\u2028\u0085\u3000\u00a0\ufeff\U0002000b\ud800\ufffd")
)


@settings(max_examples=300, deadline=None)
@given(raw=st.text(alphabet=st.sampled_from(_NORMALIZE_ALPHABET), max_size=120))
def test_normalize_text_equals_reference(raw: str) -> None:
    text, has_control = read_module._normalize(raw)
    assert text == _reference_normalize(raw) == normalize_text(raw)
    assert has_control == bool(re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", raw))
    # the flags read_text takes from the same scan: control characters and U+FFFD
    assert read_module._normalize_flags(raw) == (text, has_control, "\ufffd" in raw)


def test_nfc_never_adds_or_removes_control_characters() -> None:
    """What lets read_text take its control-character flag from the NFC text.

    NFC only decomposes by canonical mappings and composes into characters that have
    one; no mapping holds a control character and none has a mapping.
    """
    controls = {cp for cp in range(0x80) if re.match(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", chr(cp))}
    for cp in range(0x110000):
        mapping = unicodedata.decomposition(chr(cp))
        if mapping and not mapping.startswith("<"):
            assert cp not in controls
            assert not controls & {int(part, 16) for part in mapping.split()}, hex(cp)


# ----------------------------------------------------------------- decoding: never a wrong codec

from analysis.config import SEEDS_DIR  # noqa: E402
from analysis.corpus.formats.decode import DecodeFailure, decode_bytes, declared_codec  # noqa: E402
from analysis.corpus.read import read_text  # noqa: E402

SEED_TEXT = (SEEDS_DIR / "002_8c55e457dd30f097.txt").read_text(encoding="utf-8")
SEED_CLEAN = normalize_text(SEED_TEXT)


def _read(tmp_path: Path, name: str, data: bytes):  # noqa: ANN202 - a SourceText
    (tmp_path / name).write_bytes(data)
    return read_text(tmp_path / name)


def test_utf8_with_a_stray_nul_is_utf8_without_it(tmp_path: Path) -> None:
    """One NUL byte in a UTF-8 report: UTF-8 with the NUL removed and a note, not UTF-16."""
    data = SEED_TEXT.encode("utf-8")
    got = _read(tmp_path, "r.txt", data[:501] + b"\x00" + data[501:])
    assert (got.encoding, got.error, got.text) == ("utf-8", None, SEED_CLEAN)
    assert got.messages == ["note: 1 stray NUL byte removed"]


def test_even_length_utf8_with_nuls_on_one_parity_is_not_utf16() -> None:
    text = "2023年海安街道坚持依法行政,推进法治政府建设。" * 20
    data = text.encode("utf-8")
    data = data[:101] + b"\x00" + data[101:302] + b"\x00" + data[302:]  # both NULs on odd positions
    assert len(data) % 2 == 0
    got = decode_bytes(data)
    assert (got.encoding, got.text, got.notes) == ("utf-8", text, ["note: 2 stray NUL bytes removed"])


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_needs_nuls_alternating_across_the_file(codec: str) -> None:
    got = decode_bytes(SEED_TEXT.encode(codec))
    assert (got.encoding, normalize_text(got.text)) == ("utf-16", SEED_CLEAN)


def test_utf16_with_bom(tmp_path: Path) -> None:
    got = _read(tmp_path, "r.txt", SEED_TEXT.encode("utf-16"))
    assert (got.encoding, got.text) == ("utf-16", SEED_CLEAN)


def _page(charset: str, body: str) -> str:
    return f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}"></head><body><p>{body}</p></body></html>'


@pytest.mark.parametrize("declared", ["gb2312", "big5", "iso-8859-1", "windows-1252", "shift_jis"])
def test_a_lying_meta_charset_is_overruled_by_utf8_bytes(tmp_path: Path, declared: str) -> None:
    got = _read(tmp_path, "r.html", _page(declared, SEED_TEXT).encode("utf-8"))
    assert (got.encoding, got.error, got.text) == ("utf-8", None, SEED_CLEAN)


def test_a_lying_meta_charset_is_overruled_by_gbk_bytes(tmp_path: Path) -> None:
    got = _read(tmp_path, "r.html", _page("big5", SEED_TEXT).encode("gb18030"))
    assert (got.encoding, got.text) == ("gb18030", SEED_CLEAN)


@pytest.mark.parametrize("declared", ["undefined", "punycode", "unicode_escape", "rot13", "base64", "x-no-such-codec", "utf-16", "idna"])
def test_a_declared_charset_that_is_no_text_codec_never_crashes(tmp_path: Path, declared: str) -> None:
    got = _read(tmp_path, "r.html", _page(declared, SEED_TEXT).encode("gb18030"))
    assert (got.encoding, got.error, got.text) == ("gb18030", None, SEED_CLEAN)
    assert declared_codec(declared) is None


def test_big5_is_recognised_as_big5(tmp_path: Path) -> None:
    """Big5 bytes also decode as GBK (into nonsense): the common-character score tells."""
    import opencc

    traditional = opencc.OpenCC("s2tw").convert(SEED_TEXT)
    got = _read(tmp_path, "r.txt", traditional.encode("big5"))
    assert (got.encoding, got.script, got.error) == ("big5hkscs", "traditional", None)
    assert got.text == SEED_CLEAN
    declared = _read(tmp_path, "r.html", _page("big5", traditional).encode("big5"))
    assert (declared.encoding, declared.text) == ("big5hkscs", SEED_CLEAN)


@pytest.mark.parametrize(
    "name,data,reason",
    [
        ("english.txt", b"An annual report on the rule of law, written in English. " * 20, "not Chinese"),
        ("mojibake.txt", SEED_TEXT.encode("utf-8").decode("latin-1").encode("utf-8"), "not Chinese"),
        ("fffd.txt", ("\ufffd" * 400 + "法治").encode("utf-8"), "replacement characters"),
        ("cyrillic.txt", "Ежегодный доклад о верховенстве права. ".encode("cp1251") * 20, "not Chinese"),
        ("binary.txt", bytes(range(256)) * 8, "binary file"),
    ],
)
def test_text_that_decodes_but_is_not_chinese_is_an_error(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    got = _read(tmp_path, name, data)
    assert got.error is not None and got.error.startswith(("undecodable", "binary")), got.error
    assert reason in got.error
    assert got.text == ""


def test_a_few_replacement_characters_are_a_warning(tmp_path: Path) -> None:
    got = _read(tmp_path, "r.txt", SEED_TEXT.replace("海安", "海\ufffd", 2).encode("utf-8"))
    assert got.error is None
    assert got.messages == ["2 replacement character(s) U+FFFD in the text: characters lost before the file was saved"]


def test_invalid_after_a_bom_is_an_error() -> None:
    with pytest.raises(DecodeFailure, match="after a byte-order mark"):
        decode_bytes(b"\xef\xbb\xbf" + "法治".encode("gbk"))


# ----------------------------------------------------------------- HTML: deep, framed, scripted


@pytest.mark.parametrize("depth", [300, 3000, 20000])
def test_deep_html_keeps_its_text(tmp_path: Path, depth: int) -> None:
    """lxml stops at 255 levels (2,048 with huge_tree); beyond, the stdlib parser takes over."""
    page = "<html><body>" + "<div>" * depth + f"<p>{SEED_TEXT}</p>" + "</div>" * depth + "</body></html>"
    got = _read(tmp_path, "deep.html", page.encode("utf-8"))
    assert (got.error, got.text) == (None, SEED_CLEAN)


def test_a_page_whose_text_is_in_an_iframe_says_so(tmp_path: Path) -> None:
    page = '<html><body><nav>首页 政务公开</nav><iframe src="/zwgk/content_2023.html"></iframe></body></html>'
    got = _read(tmp_path, "r.html", page.encode("utf-8"))
    assert got.error == (
        "no report text on the page: the page's content is inside an <iframe> (src=/zwgk/content_2023.html): "
        "save that framed page itself (open the frame's address, then save it)"
    )


def test_a_page_built_by_javascript_says_so(tmp_path: Path) -> None:
    page = '<html><body><div id="app">Loading...</div><script>render({"body": "2023年法治政府建设"});</script></body></html>'
    got = _read(tmp_path, "r.html", page.encode("utf-8"))
    assert got.error is not None and got.error.startswith("no report text on the page: the page's content is built by JavaScript")


@pytest.mark.parametrize(
    "start",
    [
        '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">',
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\">\n<html>",
        "<html>",
        "<!-- saved from url=(0058)http://www.example.gov.cn/zwgk/202403/t20240328_1.html -->\n<html>",
        "\n\n  <HTML><HEAD><TITLE>报告</TITLE></HEAD>",
    ],
)
def test_a_txt_that_is_really_html_is_parsed_as_html(tmp_path: Path, start: str) -> None:
    page = f"{start}<body><script>var a = 1;</script><p>{SEED_TEXT}</p></body></html>"
    got = _read(tmp_path, "r.txt", page.encode("utf-8"))
    assert (got.format, got.error, got.text) == ("html", None, SEED_CLEAN)
    if "saved from url" in start:
        assert got.url == "http://www.example.gov.cn/zwgk/202403/t20240328_1.html"


def test_read_text_refuses_special_files_without_opening_them(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "p.txt")
    got = read_text(tmp_path / "p.txt")  # would block forever if opened for reading
    assert (got.error, got.sha256) == ("not a regular file (a named pipe (FIFO)): not opened", None)
    assert read_text(tmp_path).error == "not a regular file (a folder): not opened"
