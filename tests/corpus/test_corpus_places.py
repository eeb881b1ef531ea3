"""Place names: the fast gazetteer walk, names only where they stand as names, the issuer's place."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.corpus import places as places_module
from analysis.corpus.places import BOUNDARY_CHARS, Place, resolve_places


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



# ----------------------------------------------------------------- names inside longer words


@pytest.mark.parametrize(
    "text",
    ["全体干部隆重庆祝建党节", "组织青年上山下乡志愿服务", "创建省级示范县", "推进城乡一体化发展", "开展平安建设示范创建"],
)
def test_no_place_inside_a_word(text: str) -> None:
    assert resolve_places("", text) == Place()


def _name_starts() -> frozenset[str]:
    return frozenset(k[0] for k in places_module._gazetteer()[0])


# Ideographs that start no gazetteer name: around a name, they make one word with it.
_FILLER = sorted(
    c for c in "的一是不了人我在有他这中大来上个国到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吧某谈运价"
    if c not in _name_starts() and c not in BOUNDARY_CHARS
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    before=st.text(alphabet=st.sampled_from(_FILLER), min_size=1, max_size=6),
    name=st.sampled_from(_gazetteer_names()),
    after=st.text(alphabet=st.sampled_from(_FILLER), max_size=6),
)
def test_no_place_from_a_name_inside_random_words(before: str, name: str, after: str) -> None:
    """A gazetteer name glued after a word (its first character no boundary) is no place."""
    assert resolve_places("", before + name + after) == Place()
    assert resolve_places(before + name + after).province == ""


@pytest.mark.parametrize(
    "issuer,context,expected",
    [
        # the issuer's own place outranks other cities in the body
        ("深圳市龙岗区人民政府", "对口帮扶河源市、汕尾市,河源市、汕尾市、百色市协作", ("广东省", "深圳市", "龙岗区")),
        # an ambiguous district resolved by its city elsewhere on the page
        ("朝阳区人民政府", "在长春市委、市政府的坚强领导下", ("吉林省", "长春市", "朝阳区")),
        # an ambiguous township without its county stays empty
        ("三河镇人民政府", "全镇坚持依法行政", ("", "", "")),
        # ... and resolves with its county
        ("三河镇人民政府", "在肥西县委、县政府的领导下", ("安徽省", "合肥市", "肥西县")),
        # province-level city: its own city
        ("天津市人民政府", "", ("天津市", "天津市", "")),
        # short forms of autonomous prefectures and cities in an issuer's name
        ("恩施州人民政府", "", ("湖北省", "恩施土家族苗族自治州", "")),
        ("宜昌高新区管委会", "", ("湖北省", "宜昌市", "")),
    ],
)
def test_issuer_place(issuer: str, context: str, expected: tuple[str, str, str]) -> None:
    place = resolve_places(issuer, context)
    assert (place.province, place.city, place.county) == expected


def test_admin_codes() -> None:
    assert resolve_places("广东省人民政府").code == "440000"
    assert resolve_places("广州市人民政府").code == "440100"
    assert resolve_places("广州市海珠区琶洲街道").code == "440105"
    assert resolve_places("北京市人民政府").code == "110000"
    assert resolve_places("某某镇").code == ""


# Chains (province, city, county) filled from the top, over a few names, the empty
# province included: many share a province, as the units of an ambiguous name do.
_CHAINS = st.tuples(st.sampled_from(["", "甲省", "乙省", "丙省"]), st.sampled_from(["", "一市", "二市"]), st.sampled_from(["", "A县", "B县"]))


@settings(max_examples=300, deadline=None)
@given(found=st.lists(_CHAINS, min_size=1, max_size=60, unique=True), weights=st.lists(st.floats(0.01, 5), min_size=60, max_size=60))
def test_candidates_and_scores_compared_within_a_province_equal_all_pairs(found: list, weights: list) -> None:
    from analysis.corpus import places

    deepest = [c for c in found if not any(places._depth(d) > places._depth(c) and places._agrees(c, d) for d in found)]
    assert places._deepest(found) == deepest
    evidence = dict(zip(found, weights))
    expected = {c: sum(w for e, w in evidence.items() if places._agrees(c, e)) for c in deepest}
    assert places._scores(deepest, evidence) == expected  # the same floats: the same order of addition
