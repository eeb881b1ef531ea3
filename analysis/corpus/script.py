"""Traditional script: recognise a report written in traditional characters and convert it.

Every rule of the package (headings, indicators, places, keywords) is written in
simplified characters, so a report in traditional script is converted to simplified
before any offset is taken: its ``text`` is the converted text, the raw file keeps the
original. Conversion is OpenCC's (``opencc`` on PyPI, the official bindings), phrase-level
(phrases first, e.g. 乾隆 stays, 乾燥 → 干燥): ``tw2s`` then ``hk2s``, so that the three
traditional standards a page may use — OpenCC's own (what most sites' automatic s2t
conversion writes), Taiwan's (Big5 pages: 著力, 為) and Hong Kong's (衞) — all come back
to the simplified original (measured on the seeds: each converted with ``s2t``, ``s2tw``
and ``s2hk`` returns character for character).

Recognition is cheap for the usual simplified report: traditional forms are outside
GB2312 (the simplified character set), so a text whose CJK characters all encode as
GB2312 is simplified without loading OpenCC. Otherwise the share of characters that
OpenCC changes decides (:data:`TRADITIONAL_SHARE`).
"""

from __future__ import annotations

import functools
import re

from analysis.corpus.formats.decode import sample

__all__ = ["TRADITIONAL_SHARE", "OPENCC_CONFIGS", "detect_script", "to_simplified", "convert_script"]

#: A text is ``traditional`` when at least this share of its CJK characters changes
#: under conversion (traditional text: ~20-30 %; a simplified text quoting a name or
#: two in traditional forms: well below 1 %).
TRADITIONAL_SHARE = 0.05

# CJK ideographs (the basic block and extension A) whose script is in question.
_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


#: The OpenCC configurations applied in turn by :func:`to_simplified`.
OPENCC_CONFIGS = ("tw2s", "hk2s")


@functools.cache
def _converters():  # noqa: ANN202 - opencc.OpenCC objects; built once per process
    import opencc  # heavy (dictionaries): loaded only when a text may be traditional

    return tuple(opencc.OpenCC(config) for config in OPENCC_CONFIGS)


def to_simplified(text: str) -> str:
    """``text`` converted to simplified characters (OpenCC, phrase-level; see the module).

    Examples
    --------
    >>> to_simplified("廣州市海珠區人民政府關於2023年度法治政府建設情況的報告")
    '广州市海珠区人民政府关于2023年度法治政府建设情况的报告'
    """
    for converter in _converters():
        text = converter.convert(text)
    return text


def simplified_chars(text: str) -> str:
    """``text`` converted character for character (same length, so offsets stay valid).

    Each distinct CJK character is converted on its own (OpenCC); a character whose
    conversion is not one character keeps its form. Coarser than :func:`to_simplified`
    (no phrase-level choices), for a text whose offsets must not move.

    Examples
    --------
    >>> simplified_chars("全年調解矛盾糾紛2,315件,調解成功率達97.3%。")
    '全年调解矛盾纠纷2,315件,调解成功率达97.3%。'
    """
    table = _char_changes(set(_CJK_RE.findall(text)))
    return text.translate({ord(a): b for a, b in table.items() if len(b) == 1}) if table else text


def _char_changes(chars: set[str]) -> dict[str, str]:
    """The characters among ``chars`` that OpenCC converts, each converted on its own."""
    distinct = sorted(chars)
    if not distinct:
        return {}
    converted = to_simplified("\n".join(distinct)).split("\n")
    if len(converted) != len(distinct):  # pragma: no cover - a conversion across lines
        converted = [to_simplified(c) for c in distinct]
    return {a: b for a, b in zip(distinct, converted) if a != b}


def detect_script(text: str) -> str | None:
    """``"traditional"``, ``"simplified"``, or None when ``text`` holds no CJK character.

    Examples
    --------
    >>> detect_script("二〇二三年，本局堅持依法行政，推進法治政府建設。"), detect_script("坚持依法行政。")
    ('traditional', 'simplified')
    >>> detect_script("Annual report") is None
    True
    """
    head = sample(text)
    n_ascii = len(head.encode("ascii", "ignore"))
    n_other = len(head) - n_ascii
    outside = n_other - (len(head.encode("gb2312", "ignore")) - n_ascii) // 2
    if outside < max(2, TRADITIONAL_SHARE * n_other):
        # (nearly) every character is in the simplified set GB2312
        return "simplified" if n_other - outside else None
    cjk = "".join(_CJK_RE.findall(text))
    if not cjk:
        return None
    changed = _char_changes(set(cjk))
    n_changed = sum(1 for c in cjk if c in changed)
    return "traditional" if n_changed >= max(2, TRADITIONAL_SHARE * len(cjk)) else "simplified"


def convert_script(text: str) -> tuple[str, str | None]:
    """``text`` in simplified characters and the script it was written in.

    Examples
    --------
    >>> convert_script("本局堅持依法行政，推進法治政府建設。")
    ('本局坚持依法行政，推进法治政府建设。', 'traditional')
    >>> convert_script("本局坚持依法行政。")
    ('本局坚持依法行政。', 'simplified')
    """
    script = detect_script(text)
    return (to_simplified(text), script) if script == "traditional" else (text, script)
