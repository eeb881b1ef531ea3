"""Bytes → text: the encoding a report was saved in, chosen from the bytes themselves.

The order of evidence, strongest first:

1. a byte-order mark (UTF-8, UTF-16, UTF-32);
2. UTF-16 without a BOM, only when NUL bytes sit on alternating positions across the
   whole file (ASCII characters in UTF-16) — a stray NUL never makes a file UTF-16;
3. strict UTF-8 (valid UTF-8 is almost never anything else);
4. the legacy Chinese encodings — GB18030 (a superset of GB2312/GBK) and Big5 — and a
   charset the page declares: each that decodes strictly is scored by the share of its
   characters among the 常用字 of that encoding (the first level of GB2312 or of Big5),
   so that Big5 bytes, which usually also decode as GBK, are recognised as Big5 and a
   ``<meta charset>`` that lies is overruled;
5. charset-normalizer as a last resort.

Whatever is chosen, :func:`chinese_share` lets the reader reject text that decoded but
is not Chinese (mojibake, replacement characters, another language).
"""

from __future__ import annotations

import codecs
import functools
import re
from dataclasses import dataclass, field

__all__ = [
    "SAMPLE_CHARS", "Decoded", "DecodeFailure", "decode_bytes", "declared_codec", "chinese_share", "sample",
    "strip_bom_head",
]  # fmt: skip

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "utf-32"),
    (b"\xff\xfe", "utf-16-le", "utf-16"),
    (b"\xfe\xff", "utf-16-be", "utf-16"),
)

# Declared charsets, normalised to the codec used: the GB family is read as its superset
# GB18030, the Big5 family as Big5-HKSCS (Big5 plus the Hong Kong additions).
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "euccn", "csgb2312", "gb_2312-80", "ms936", "windows-936", "chinese"}
_BIG5_FAMILY = {"big5", "big5-hkscs", "big5hkscs", "cp950", "x-x-big5", "csbig5", "ms950", "windows-950", "big5-tw"}
# Other codecs a page may declare that decode text (codecs.lookup names). Anything else
# (utf-16 on an ASCII-compatible page, "undefined", "punycode", "unicode_escape",
# "rot13", "base64" …) is ignored as a declaration: only the bytes can make a file UTF-16.
_OTHER_TEXT_CODECS = {
    "utf-8", "ascii", "latin-1", "iso8859-1", "cp1252", "iso8859-15", "shift_jis", "euc_jp",
    "cp932", "euc_kr", "cp949", "iso2022_jp", "hz",
}  # fmt: skip

_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
# Bytes of C0 control characters other than tab, LF, FF, CR and the DOS end-of-file 0x1A.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x1A), *range(0x1B, 0x20)])
_ASCII_LETTERS = bytes(range(0x41, 0x5B)) + bytes(range(0x61, 0x7B))
# How much of a text decides between GB18030 and Big5 (its first characters).
_SCORE_CHARS = 1000
#: How much of a long text :func:`chinese_share` looks at: its first and last characters.
SAMPLE_CHARS = 1000


class DecodeFailure(Exception):
    """The bytes could not be decoded as text; the message says why (for the row)."""


@dataclass
class Decoded:
    """Text decoded from bytes, the codec's name, and notes about what was repaired."""

    text: str
    encoding: str
    notes: list[str] = field(default_factory=list)


def declared_codec(name: str | None) -> str | None:
    """The codec to try for a charset a page declares, or None when it is not usable.

    Examples
    --------
    >>> declared_codec("GB2312"), declared_codec("big5"), declared_codec("utf8")
    ('gb18030', 'big5hkscs', 'utf-8')
    >>> declared_codec("undefined"), declared_codec("punycode"), declared_codec("utf-16"), declared_codec("x-nonsense")
    (None, None, None, None)
    """
    if not name:
        return None
    key = name.strip().lower()
    if key in _GB_FAMILY:
        return "gb18030"
    if key in _BIG5_FAMILY:
        return "big5hkscs"
    try:
        codec = codecs.lookup(key).name
    except (LookupError, ValueError):
        return None
    if codec in ("gb18030", "gbk", "gb2312"):
        return "gb18030"
    if codec in ("big5", "big5hkscs", "cp950"):
        return "big5hkscs"
    return codec if codec in _OTHER_TEXT_CODECS else None


def strip_bom_head(data: bytes, size: int = 2048) -> bytes:
    """The first bytes of ``data`` as ASCII-compatible bytes for sniffing markup.

    The BOM is dropped and NUL bytes removed, so that UTF-16 text shows its ASCII
    characters (``<html``) as the other encodings do.
    """
    head = data[: size * 2]
    for bom, _, _ in _BOMS:
        if head.startswith(bom):
            head = head[len(bom) :]
            break
    return head.replace(b"\x00", b"")[:size]


@functools.cache
def _common_chars(codec: str) -> frozenset[str]:
    """The common characters of GB2312 or Big5.

    Common: the symbol rows (CJK punctuation, full-width forms) and the first level of
    characters (常用字: 3,755 in GB2312, 5,401 in Big5).
    """
    if codec == "gb18030":
        leads = [*range(0xA1, 0xAA), *range(0xB0, 0xD8)]
        trails = range(0xA1, 0xFF)
        enc = "gb2312"
    else:
        leads = [*range(0xA1, 0xA4), *range(0xA4, 0xC7)]
        trails = [*range(0x40, 0x7F), *range(0xA1, 0xFF)]
        enc = "big5"
    out: set[str] = set()
    for lead in leads:
        for trail in trails:
            try:
                out.add(bytes((lead, trail)).decode(enc))
            except UnicodeDecodeError:
                continue
    return frozenset(out)


def sample(text: str) -> str:
    """The first and last :data:`SAMPLE_CHARS` / 2 characters of a long text (else all)."""
    if len(text) <= SAMPLE_CHARS:
        return text
    half = SAMPLE_CHARS // 2
    return text[:half] + text[-half:]


def chinese_share(text: str) -> tuple[int, float]:
    """Wide characters in (a sample of) ``text`` and their share among all letters.

    A cheap proxy computed from encoded lengths (a few microseconds, no per-character
    Python): *wide* characters are those of three or four UTF-8 bytes (CJK ideographs
    and punctuation, full-width forms) other than the replacement character U+FFFD;
    *letters* are the wide characters, ASCII letters, two-byte characters (Latin-1
    and other alphabets: the "Ã¦" of mojibake), and U+FFFD. Digits, ASCII punctuation
    and spaces do not count. A long text is sampled (:func:`sample`).

    Examples
    --------
    >>> chinese_share("2023年,某某镇坚持依法行政。")
    (11, 1.0)
    >>> chinese_share("Ã¦Â³â€¢Ã¦Â²Â»")[1] < 0.3, chinese_share("An annual report")[1]
    (True, 0.0)
    """
    s = sample(text)
    ascii_bytes = s.encode("ascii", "ignore")
    n1 = len(ascii_bytes)
    # 3-byte UTF-8 characters: from the encoded length; a 4-byte one (rare CJK extension
    # B-G) counts as three wide ones and one fewer two-byte one, hence the clamp.
    n3 = len(s.encode("utf-8", "surrogatepass")) - 2 * len(s) + n1
    n2 = max(0, len(s) - n1 - n3)
    bad = s.count("\ufffd")
    wide = n3 - bad
    letters = n1 - len(ascii_bytes.translate(None, _ASCII_LETTERS))
    total = wide + n2 + letters + bad
    return wide, (wide / total if total else 0.0)


def _common_share(text: str, codec: str) -> float:
    """Share of the distinct wide characters of the start of ``text`` that are common
    in ``codec`` (distinct characters: set operations, no loop over the text)."""
    wide = {c for c in set(text[:_SCORE_CHARS]) if c >= "\u2e80"}  # CJK, kana, full-width forms …
    return len(wide & _common_chars(codec)) / len(wide) if wide else 0.0


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when NULs fall on alternating bytes across the file."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    major, minor = max(even, odd), min(even, odd)
    units = len(data) // 2
    if major < max(2, units // 50) or minor > major // 50:
        return None
    name = "utf-16-le" if odd > even else "utf-16-be"
    parity = 1 if name == "utf-16-le" else 0
    # Spread over the file, not one block: NULs on that parity in at least 3 quarters.
    quarter = len(data) // 4 // 2 * 2
    if quarter >= 8:
        parts = [data[i * quarter : (i + 1) * quarter][parity::2].count(0) for i in range(4)]
        if sum(1 for n in parts if n) < 3:
            return None
    return name


def decode_bytes(data: bytes, *, declared: str | None = None) -> Decoded:
    """Decode a text file's bytes (see the module docstring for the order of evidence).

    Parameters
    ----------
    data
        The raw bytes (non-empty).
    declared
        A charset named by the file itself (``<meta charset>``, a MIME part); used only
        when the bytes agree with it.

    Returns
    -------
    Decoded
        The text (stray NUL bytes removed, with a note), the codec's name (``utf-8``,
        ``utf-8-sig``, ``utf-16``, ``gb18030``, ``big5hkscs`` …).

    Raises
    ------
    DecodeFailure
        With the reason: invalid after a BOM, truncated inside a UTF-8 character, too
        many NUL bytes for text, or no encoding fits.

    Examples
    --------
    >>> decode_bytes("依法行政".encode("big5")).encoding, decode_bytes("依法行政".encode("gbk")).encoding
    ('big5hkscs', 'gb18030')
    >>> got = decode_bytes("2023年依法行政\\x00工作".encode("utf-8"))
    >>> got.text, got.encoding, got.notes
    ('2023年依法行政工作', 'utf-8', ['note: 1 stray NUL byte removed'])
    """
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom) :].decode(codec) if codec != "utf-8-sig" else data.decode(codec), name)
            except UnicodeDecodeError as exc:
                raise DecodeFailure(f"undecodable: invalid {name} after a byte-order mark ({exc.reason})") from None
    notes: list[str] = []
    has_nul = b"\x00" in data
    if has_nul:
        utf16 = _utf16_without_bom(data)
        if utf16 is not None:
            try:
                return Decoded(data.decode(utf16), "utf-16")
            except UnicodeDecodeError:
                pass
    # Control bytes never occur inside a UTF-8, GB18030 or Big5 character: counted on the
    # raw bytes, many of them mean binary content; a few NULs are stray and removed.
    n_control = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if n_control > max(8, len(data) // 100):
        text = _utf16_fallback(data)
        if text is not None:
            return Decoded(text, "utf-16")
        raise DecodeFailure(f"binary file: {n_control} control bytes (NUL and others), not text")
    n_nul = data.count(0) if has_nul else 0
    if n_nul:
        data = data.replace(b"\x00", b"")
        notes.append(f"note: {n_nul} stray NUL byte{'s' if n_nul > 1 else ''} removed")
    try:
        return Decoded(data.decode("utf-8"), "utf-8", notes)
    except UnicodeDecodeError as exc:
        # UTF-8 that only fails in its last bytes was cut inside a multi-byte character.
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            raise DecodeFailure(f"truncated: file ends inside a multi-byte UTF-8 character at byte {exc.start}") from None
    return _decode_legacy(data, declared_codec(declared), notes)


def _utf16_fallback(data: bytes) -> str | None:
    """UTF-16 without a BOM and without ASCII (so without NULs): only when it reads as
    Chinese — mostly CJK characters, nearly all of them common ones."""
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        head = sample(text)
        if len(_CJK_RE.findall(head)) >= 0.5 * len(head) and max(_common_share(text, "gb18030"), _common_share(text, "big5hkscs")) > 0.8:
            return text
    return None


def _gb2312_share(text: str) -> float:
    """Share of the non-ASCII characters at the start of ``text`` that GB2312 encodes
    (computed from encoded lengths). GBK text: ~1.0; Big5 bytes read as GBK: ~0.5."""
    head = text[:_SCORE_CHARS]
    n_ascii = len(head.encode("ascii", "ignore"))
    n_other = len(head) - n_ascii
    return (len(head.encode("gb2312", "ignore")) - n_ascii) / 2 / n_other if n_other else 0.0


def _decode_legacy(data: bytes, declared: str | None, notes: list[str]) -> Decoded:
    """Not UTF-8: the best scoring of GB18030, Big5 and a declared charset."""
    if declared in (None, "gb18030"):
        # The usual case, decided cheaply: GBK text whose characters are (nearly) all in
        # GB2312, which Big5 bytes read as GBK never are.
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            pass
        else:
            if _gb2312_share(text) >= 0.98:
                return Decoded(text, "gb18030", notes)
    candidates: dict[str, str] = {}
    scores: dict[str, float] = {}
    for codec in dict.fromkeys([c for c in (declared, "gb18030", "big5hkscs") if c and c != "utf-8"]):
        try:
            candidates[codec] = data.decode(codec)
        except UnicodeDecodeError:
            continue
        text = candidates[codec]
        scores[codec] = _common_share(text, codec) if codec in ("gb18030", "big5hkscs") else chinese_share(text)[1]
        if scores[codec] >= 0.9:
            break  # nearly all common characters: the other encoding cannot read better
    if scores:
        best = max(scores, key=lambda c: (scores[c], c == declared, c == "gb18030"))
        # The declared charset wins unless the bytes read clearly better another way.
        if declared in scores and scores[declared] >= scores[best] - 0.05 and scores[declared] > 0.5:
            best = declared
        if scores[best] > 0.5:
            return Decoded(candidates[best], best, notes)
    text = _utf16_fallback(data)
    if text is not None:
        return Decoded(text, "utf-16", notes)
    try:
        from charset_normalizer import from_bytes

        guess = from_bytes(data).best()
    except Exception:  # pragma: no cover - a detector failure is reported as undecodable
        guess = None
    if guess is not None and guess.encoding and guess.chaos < 0.2:
        return Decoded(str(guess), guess.encoding, notes)
    if scores:
        best = max(scores, key=lambda c: scores[c])
        raise DecodeFailure(
            f"undecodable: not UTF-8; as {best} only {scores[best]:.0%} of the characters are common Chinese ones"
        )
    raise DecodeFailure("undecodable: not valid UTF-8, GB18030, Big5, UTF-16 or a declared charset")
