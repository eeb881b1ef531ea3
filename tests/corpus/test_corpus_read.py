"""Reading one file: the canonical text form (fast path = straightforward one), safe opening, decoding, HTML."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

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
    | set("中文，。、“”《》—…年度报告\u0301\u0327e\u1100\u1161\u2028\u0085\u3000\u00a0\ufeff\U0002000b\ud800")
)


@settings(max_examples=300, deadline=None)
@given(raw=st.text(alphabet=st.sampled_from(_NORMALIZE_ALPHABET), max_size=120))
def test_normalize_text_equals_reference(raw: str) -> None:
    text, has_control = read_module._normalize(raw)
    assert text == _reference_normalize(raw) == normalize_text(raw)
    assert has_control == bool(re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", raw))


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
