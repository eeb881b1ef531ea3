"""Place names: the fast gazetteer walk equals the straightforward one."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.corpus import places as places_module


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

