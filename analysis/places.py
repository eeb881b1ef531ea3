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

__all__ = ["Place", "resolve_places"]

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

    A walk along the prefix set (a trie in effect): each position costs a few set
    look-ups, so a report's opening is scanned in well under a millisecond.
    """
    index, prefixes = _gazetteer()
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
