"""Resolve place names in a report against a gazetteer of Chinese administrative divisions.

The gazetteer (``resources/gazetteer.csv``) transcribes the National Bureau of
Statistics' 2023 division codes (see the file's header and ``scripts/build_gazetteer.py``):
provinces, prefecture-level units, county-level units and township-level units.

Names are matched in full (``海珠区``, ``琶洲街道``) and, for townships, in the short
forms reports use (``白云湖街`` for ``白云湖街道``); province short names (``广东``)
count as weak evidence. Ambiguous names (two ``龙华区``: Shenzhen and Haikou) are
resolved by the other names in the same text: the county whose parents and children
are mentioned most wins.
"""

from __future__ import annotations

import csv
import functools
import importlib.resources
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

__all__ = ["Place", "gazetteer_names", "resolve_places"]

# Province short names as reports use them: 广东省 -> 广东, 广西壮族自治区 -> 广西.
_PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市")
# Gazetteer entries whose name is only a generic word (a 唐山 unit is literally "街道").
_GENERIC_NAMES = frozenset({"街道", "镇", "乡", "社区", "村", "开发区", "高新区", "新区", "城区", "市辖区"})
# Generic county/district names that are too common to count as evidence on their own.
_WEAK_COUNTY_NAMES = frozenset({"市辖区", "城区", "郊区", "矿区", "新区"})


@dataclass(frozen=True)
class Place:
    """A resolved place: names at each level (empty string when not applicable)."""

    province: str = ""
    city: str = ""
    county: str = ""
    township: str = ""


@dataclass(frozen=True)
class _Unit:
    code: str
    name: str
    level: int
    province: str
    city: str
    county: str


@functools.lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, tuple[_Unit, ...]], frozenset[str]]:
    """Name -> units index (full names and short forms), and the set of all key prefixes."""
    path = importlib.resources.files("analysis") / "resources" / "gazetteer.csv"
    index: dict[str, list[_Unit]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        rows = csv.reader(line for line in fh if not line.startswith("#"))
        next(rows)
        for code, name, level, province, city, county in rows:
            if name in _GENERIC_NAMES:
                continue  # e.g. a township unit literally named "街道": evidence for nothing
            unit = _Unit(code, name, int(level), province, city, county)
            index.setdefault(name, []).append(unit)
            for short in _short_forms(unit):
                index.setdefault(short, []).append(unit)
    frozen = {k: tuple(v) for k, v in index.items()}
    prefixes = frozenset(k[:j] for k in frozen for j in range(1, len(k) + 1))
    return frozen, prefixes


def gazetteer_names() -> dict[str, int]:
    """Every name the gazetteer matches, with the highest level it names.

    Full names (generic ones such as 街道 left out) and the short forms reports use
    (province names without their suffix, 白云湖街 for 白云湖街道), as :func:`resolve_places`
    reads them; the value is the smallest ``level`` (1 province, 2 prefecture, 3 county,
    4 township) of the units the name can stand for.

    Examples
    --------
    >>> names = gazetteer_names()
    >>> names["广东省"], names["广东"], names["海珠区"], names["琶洲街"]
    (1, 1, 3, 4)
    """
    index, _ = _gazetteer()
    return {name: min(u.level for u in units) for name, units in index.items()}


def _short_forms(unit: _Unit) -> list[str]:
    name = unit.name
    out: list[str] = []
    if unit.level == 1:
        for suffix in _PROVINCE_SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                out.append(name[: -len(suffix)])
                break
    elif unit.level == 4 and name.endswith("街道") and len(name) >= 4:
        out.append(name[:-1])  # 白云湖街道 -> 白云湖街
    return out


def _mentions(text: str) -> list[tuple[int, str, tuple[_Unit, ...]]]:
    """All gazetteer names in ``text`` (longest match at each position, left to right).

    A walk along the prefix set (a trie in effect), started only at the positions
    where a name can start (see :func:`_candidate_starts`): a position is skipped
    when it lies inside the previous match, exactly as a walk over every position
    would skip it, so the matches are the same.
    """
    index, prefixes = _gazetteer()
    found = []
    n = len(text)
    resume = 0  # first position not covered by the previous match
    for i in _candidate_starts(text, _start_tables()):
        if i < resume:
            continue
        hit = None
        # text[i:i + 2] starts a name, so it and text[i:i + 1] are in the prefix set:
        # the walk can begin at two characters (one-character names never count).
        j = i + 2
        piece = text[i:j]
        while True:
            units = index.get(piece)
            if units:
                hit = (i, piece, units)
            if j == n:
                break
            j += 1
            piece = text[i:j]
            if piece not in prefixes:
                break
        if hit:
            found.append(hit)
            resume = i + len(hit[1])
    return found


# Below this length a Python scan of the character pairs beats numpy's per-call overhead.
_SHORT_TEXT = 48


def _candidate_starts(text: str, t: _StartTables) -> list[int]:
    """Ascending positions ``i`` where ``text[i:i + 2]`` are the first two characters of a name.

    Every match has two or more characters, so it can only start at such a position.
    Long texts are scanned in numpy: a few vectorised look-ups instead of two set
    look-ups per character in Python.
    """
    if len(text) < _SHORT_TEXT:
        pairs = t.pairs
        return [i for i in range(len(text) - 1) if text[i : i + 2] in pairs]
    # "surrogatepass": a lone surrogate is kept as its own code point, so no text fails here.
    # intp indices: numpy gathers with them without a conversion.
    cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.intp)
    # Code points beyond the tables all become the last entry, a character in no pair.
    np.minimum(cps, len(t.row) - 1, out=cps)
    return t.table[t.row[cps[:-1]] + t.col[cps[1:]]].nonzero()[0].tolist()


class _StartTables(NamedTuple):
    """The first two characters of every name of two or more characters (``pairs``).

    The same as a flattened boolean matrix for numpy: characters that occur first in a
    pair get rows 1, 2, …, those that occur second get columns 1, 2, … (0: none), and
    pair (a, b) is in ``pairs`` iff ``table[row[ord(a)] + col[ord(b)]]`` (``row`` holds
    row offsets). Row 0 and column 0 are all False. ``row`` and ``col`` end one past the
    largest code point in a pair, so their last entry is 0.
    """

    pairs: frozenset[str]
    row: np.ndarray
    col: np.ndarray
    table: np.ndarray


@functools.lru_cache(maxsize=1)
def _start_tables() -> _StartTables:
    index, _ = _gazetteer()
    pairs = frozenset(k[:2] for k in index if len(k) >= 2)
    firsts = sorted({p[0] for p in pairs})
    seconds = sorted({p[1] for p in pairs})
    size = max(map(ord, [*firsts, *seconds])) + 2
    width = len(seconds) + 1
    row = np.zeros(size, dtype=np.intp)
    col = np.zeros(size, dtype=np.intp)
    row[[ord(c) for c in firsts]] = np.arange(1, len(firsts) + 1) * width
    col[[ord(c) for c in seconds]] = np.arange(1, len(seconds) + 1)
    table = np.zeros((len(firsts) + 1) * width, dtype=bool)
    table[row[[ord(p[0]) for p in pairs]] + col[[ord(p[1]) for p in pairs]]] = True
    return _StartTables(pairs, row, col, table)


def resolve_places(primary: str, context: str = "") -> Place:
    """Resolve the place of an issuer.

    Parameters
    ----------
    primary
        The issuer's name (or the title): names here decide the issuer's level.
    context
        More text of the report (opening, signature, source field): evidence used to
        disambiguate and to fill in the levels above the issuer.

    Returns
    -------
    Place
        ``province``, ``city``, ``county`` and ``township`` names; a level is empty
        when the issuer sits above it or nothing in the text supports it.

    Examples
    --------
    >>> resolve_places("深圳市龙华区观湖街道")
    Place(province='广东省', city='深圳市', county='龙华区', township='观湖街道')
    >>> resolve_places("龙华区人民政府", "海口市").city
    '海口市'
    >>> resolve_places("海安市海安街道").county
    '海安市'
    """
    primary_hits = _mentions(primary)
    context_hits = _mentions(context) if context else []
    # Score every county-level (or, failing that, prefecture-level) candidate.
    scores: dict[tuple[str, str, str], float] = {}
    townships: dict[tuple[str, str, str], str] = {}
    issuer_level = 0
    for weight, hits in ((3.0, primary_hits), (1.0, context_hits)):
        for _, key, units in hits:
            ambiguity = 1.0 / len(units)
            for u in units:
                if u.level == 3 and u.name in _WEAK_COUNTY_NAMES and key == u.name:
                    w = 0.2
                else:
                    w = 1.0
                if u.level == 1 and key != u.name:
                    w = 0.5  # province short name
                chain = (u.province, u.city, u.county)
                s = weight * w * ambiguity
                # Evidence for a unit supports every chain below/above it that contains it.
                scores[chain] = scores.get(chain, 0.0) + s * (1.5 if u.level >= 3 else 1.0)
                if u.level == 4:
                    townships.setdefault(chain, u.name)
            if weight == 3.0:
                issuer_level = max(issuer_level, max(u.level for u in units))
    if not scores:
        return Place()
    # Propagate: a county chain also gains the evidence of its city and province.
    def total(chain: tuple[str, str, str]) -> float:
        province, city, county = chain
        s = scores.get(chain, 0.0)
        if county:
            s += scores.get((province, city, ""), 0.0)
        if city or county:
            s += scores.get((province, "", ""), 0.0)
        return s

    best = max(sorted(scores), key=total)
    province, city, county = best
    if issuer_level and issuer_level < 3 and not _county_in(primary_hits, best):
        county = ""
    if issuer_level == 1 and not any(u.level >= 2 for _, _, us in primary_hits for u in us):
        city = ""
    township = townships.get(best, "") if issuer_level == 4 else ""
    return Place(province=province, city=city, county=county, township=township)


def _county_in(hits: list[tuple[int, str, tuple[_Unit, ...]]], chain: tuple[str, str, str]) -> bool:
    return any(u.level >= 3 and (u.province, u.city, u.county) == chain for _, _, us in hits for u in us)
