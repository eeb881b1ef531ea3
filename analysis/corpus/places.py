"""Resolve place names in a report against a gazetteer of Chinese administrative divisions.

The gazetteer (``resources/gazetteer.csv``) transcribes the National Bureau of
Statistics' 2023 division codes (see the file's header and ``scripts/build_gazetteer.py``):
provinces, prefecture-level units, county-level units and township-level units.

Names are matched in full (``海珠区``, ``琶洲街道``) and in the short forms reports use
(``白云湖街`` for ``白云湖街道``, ``大理州`` for ``大理白族自治州``, ``宜昌`` in
``宜昌高新区``, ``广东``); short forms count as weak evidence. A name counts only where it
stands as a name: at the start of the text, after a character that is not a Chinese
ideograph, after another place name, or after a function character (在, 于, 中共 …,
:data:`BOUNDARY_CHARS`), never inside a longer word (隆重庆祝 holds no 重庆, 示范县 no
范县). The issuer's own place decides: candidates come from the issuer's name (else the
title or site header, else the body), and the other text only adds evidence to
candidates it agrees with, so a mention of another city never overrides the issuer's
place. Ambiguous names (two ``龙华区``: Shenzhen and Haikou; several ``大河乡``) are
resolved by the other names on the page; a tie leaves only the levels the candidates
share.
"""

from __future__ import annotations

import csv
import functools
import importlib.resources
import re
from dataclasses import dataclass
from collections.abc import Iterable
from typing import NamedTuple

import numpy as np

__all__ = ["BOUNDARY_CHARS", "MUNICIPALITIES", "Place", "gazetteer_names", "name_level", "resolve_places"]

# Province short names as reports use them: 广东省 -> 广东, 广西壮族自治区 -> 广西.
_PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市")
# Gazetteer entries whose name is only a generic word (a 唐山 unit is literally "街道").
_GENERIC_NAMES = frozenset({"街道", "镇", "乡", "社区", "村", "开发区", "高新区", "新区", "城区", "市辖区"})
# Township-level units named only by what they are (a zone, a farm): 经济开发区, 高新技术产业开发区,
# 工业园区, 国营林场, 第一良种场 …; such a name inside an issuer's name is no place.
_GENERIC_UNIT_RE = re.compile(
    r"^(?:国营|第[一二三四五六七八九十]+)?(?:高新技术产业|高新技术|经济技术|经济|高新|工业|产业|科技|旅游度假|生态|"
    r"现代农业|农业|综合)?(?:开发区|园区|工业园区?|产业园|新区|新城|度假区|良种繁育场|良种场|原种场|种畜场|种猪场|"
    r"种羊场|畜牧场|园艺场|林场|农场|牧场|果树示范场)(?:管委会|管理委员会)?$"
)
# Generic county/district names that are too common to count as evidence on their own.
_WEAK_COUNTY_NAMES = frozenset({"市辖区", "城区", "郊区", "矿区", "新区"})
#: Province-level cities: their city is the province itself (北京市 -> 北京市, 北京市).
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
#: Characters after which a place name may start inside Chinese text: function words
#: (在 于 对 与 和 及 共 …), date characters (2023年海珠区), and the last characters of
#: administrative words (全省 / 本市 / 区委 / 中共某某县委 …).
BOUNDARY_CHARS = frozenset("在于对与和及同共至到赴从由向为是了的将把被给经原驻各全我本年度月日号省市区县州盟旗镇乡街道委府局厅办")
# Ideographs: a name preceded by one of these, not in BOUNDARY_CHARS, is inside a word.
_IDEOGRAPH_MIN, _IDEOGRAPH_MAX = 0x3400, 0x9FFF
# The 55 officially recognised minority nationalities, as they appear in autonomous units' names.
_ETHNIC = (
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 "
    "柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 "
    "京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
).split()
# Ethnic part of an autonomous unit's name: 大理白族自治州 -> 大理 + 州, 黔东南苗族侗族自治州 ->
# 黔东南 + 州, 江华瑶族自治县 -> 江华 + 县
_AUTONOMOUS_RE = re.compile(
    r"^(.{2,}?)(?:(?:" + "|".join(sorted(_ETHNIC, key=len, reverse=True)) + r")族)+自治(州|县|旗)$"
)


@dataclass(frozen=True)
class Place:
    """A resolved place: names at each level (empty string when not applicable).

    ``level`` is the level of the most specific unit named in the issuer's own name
    (1 province … 4 township; 0 when it names none), ``code`` the 6-digit NBS code of
    the most specific of county, city and province resolved ("" when none) and ``origin``
    the text whose names were the candidates: ``primary``, ``secondary``, ``context``
    (or "").
    """

    province: str = ""
    city: str = ""
    county: str = ""
    township: str = ""
    level: int = 0
    code: str = ""
    origin: str = ""


# A unit of the gazetteer: (code, name, level, province, city, county). A plain tuple of
# strings and an int, not a class: the garbage collector stops tracking such tuples (and the
# index that holds only them), so the ~45,000 units cost nothing in each full collection of
# a long run (a class instance each made every full collection ~80 ms slower).
_Unit = tuple
_CODE, _NAME, _LEVEL, _PROVINCE, _CITY, _COUNTY = range(6)


@functools.lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, tuple[_Unit, ...]], frozenset[str]]:
    """Name -> units index (full names and short forms), and the set of all key prefixes."""
    path = importlib.resources.files("analysis") / "resources" / "gazetteer.csv"
    index: dict[str, list[_Unit]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        rows = csv.reader(line for line in fh if not line.startswith("#"))
        next(rows)
        for code, name, level, province, city, county in rows:
            if name in _GENERIC_NAMES or (level == "4" and _GENERIC_UNIT_RE.match(name)):
                continue  # e.g. a township unit literally named "街道": evidence for nothing
            unit = (code, name, int(level), province, city, county)
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
    return {name: min(u[_LEVEL] for u in units) for name, units in index.items()}


def _short_forms(unit: _Unit) -> list[str]:
    name = unit[_NAME]
    out: list[str] = []
    if unit[_LEVEL] == 1:
        for suffix in _PROVINCE_SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                out.append(name[: -len(suffix)])
                break
    elif unit[_LEVEL] == 4 and name.endswith("街道") and len(name) >= 4:
        out.append(name[:-1])  # 白云湖街道 -> 白云湖街
    elif unit[_LEVEL] in (2, 3):
        m = _AUTONOMOUS_RE.match(name)
        if m:
            out.append(m.group(1) + m.group(2))  # 大理白族自治州 -> 大理州, 江华瑶族自治县 -> 江华县
            if unit[_LEVEL] == 2:
                out.append(m.group(1))  # 大理
        elif unit[_LEVEL] == 2:
            for suffix in ("市", "地区", "盟"):
                if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                    out.append(name[: -len(suffix)])  # 宜昌市 -> 宜昌 (宜昌高新区), 喀什地区 -> 喀什
                    break
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


def name_level(name: str) -> int:
    """The level of the gazetteer unit named exactly ``name`` (0 when none or several levels).

    Examples
    --------
    >>> name_level("昆山市"), name_level("苏州市"), name_level("江苏省"), name_level("某某市")
    (3, 2, 1, 0)
    """
    units = _gazetteer()[0].get(name, ())
    levels = {u[_LEVEL] for u in units if u[_NAME] == name}
    return levels.pop() if len(levels) == 1 else 0


def _standing(text: str, hits: list[tuple[int, str, tuple[_Unit, ...]]]) -> list[tuple[int, str, tuple[_Unit, ...]]]:
    """The mentions that stand as names (see the module docstring), not inside a word."""
    out = []
    end = -1
    for hit in hits:
        i = hit[0]
        if i > 0 and i != end:
            c = text[i - 1]
            if _IDEOGRAPH_MIN <= ord(c) <= _IDEOGRAPH_MAX and c not in BOUNDARY_CHARS:
                continue
        out.append(hit)
        end = i + len(hit[1])
    return out


_Chain = tuple[str, str, str]


def _chain(u: _Unit) -> _Chain:
    return (u[_PROVINCE], u[_CITY] if u[_LEVEL] >= 2 else "", u[_COUNTY] if u[_LEVEL] >= 3 else "")


def _depth(chain: _Chain) -> int:
    return sum(map(bool, chain))


def _agrees(a: _Chain, b: _Chain) -> bool:
    """Whether two chains can name the same place (equal where both are filled).

    A chain fills its levels from the province down, so this is: one is a prefix of the other.
    """
    if not (a[0] and b[0]):
        return True
    if a[0] != b[0]:
        return False
    if not (a[1] and b[1]):
        return True
    return a[1] == b[1] and (not (a[2] and b[2]) or a[2] == b[2])


def _by_province(chains: Iterable[_Chain]) -> dict[str, list[_Chain]]:
    groups: dict[str, list[_Chain]] = {}
    for c in chains:
        groups.setdefault(c[0], []).append(c)
    return groups


def _deepest(found: list[_Chain]) -> list[_Chain]:
    """The chains of ``found`` that are no ancestor of another (in their order).

    The same as keeping each ``c`` for which no ``d`` deeper than it agrees with it, but
    compared only within a province (chains of two different provinces never agree; a
    chain without a province agrees with all): ambiguous names (城关镇) have hundreds.
    """
    depth = {c: _depth(c) for c in found}
    if len(found) <= 16:  # the usual case: comparing all pairs is cheaper than grouping
        return [c for c in found if not any(depth[d] > depth[c] and _agrees(c, d) for d in found)]
    groups = _by_province(found)
    out = []
    for c in found:
        pool = found if not c[0] else groups[c[0]] + groups.get("", [])
        dc = depth[c]
        if not any(depth[d] > dc and _agrees(c, d) for d in pool):
            out.append(c)
    return out


def _scores(candidates: list[_Chain], evidence: dict[_Chain, float]) -> dict[_Chain, float]:
    """Each candidate's weight of evidence: the sum over the chains that agree with it.

    Summed in the order of ``evidence`` (as a sum over all of it would, so the floats are
    the same), over only the chains of the candidate's province and those without one.
    """
    if len(candidates) * len(evidence) <= 256:  # few: all pairs
        return {c: sum(w for e, w in evidence.items() if _agrees(c, e)) for c in candidates}
    position = {e: i for i, e in enumerate(evidence)}
    groups = _by_province(evidence)
    out = {}
    for c in candidates:
        pool = list(evidence) if not c[0] else sorted(groups.get(c[0], []) + groups.get("", []), key=position.__getitem__)
        out[c] = sum(evidence[e] for e in pool if _agrees(c, e))
    return out


def resolve_places(primary: str, context: str = "", *, secondary: str = "") -> Place:
    """Resolve the place of an issuer.

    Parameters
    ----------
    primary
        The issuer's name: names here decide the issuer's place and level.
    context
        More text of the report (opening, signature): evidence used to disambiguate the
        candidates and to fill in the levels above the issuer, never to replace them.
        Short forms of city and county names (宜昌, 江华县) are not read here.
    secondary
        The page's own words about itself (title, site header, info table, 来源): the
        candidates when ``primary`` names no place, and stronger evidence than ``context``.

    Returns
    -------
    Place
        ``province``, ``city``, ``county`` and ``township`` names (a level is empty when
        the issuer sits above it or nothing on the page supports it; a province-level city
        is its own city), the issuer's ``level`` and the ``code`` of the most specific
        level resolved.

    Examples
    --------
    >>> resolve_places("深圳市龙华区观湖街道")
    Place(province='广东省', city='深圳市', county='龙华区', township='观湖街道', level=4, code='440309', origin='primary')
    >>> resolve_places("龙华区人民政府", "海口市").city
    '海口市'
    >>> resolve_places("海安市海安街道").county
    '海安市'
    >>> resolve_places("大河乡人民政府")  # several 大河乡 in China, no county on the page
    Place(province='', city='', county='', township='', level=4, code='', origin='primary')
    >>> resolve_places("某某县司法局", "隆重庆祝建党一百周年").province
    ''
    """
    evidence: dict[_Chain, float] = {}  # weight of the names found, by their chain
    candidates: list[_Chain] = []
    issuer_level = 0
    origin = ""
    primary_hits: list[tuple[int, str, tuple[_Unit, ...]]] = []
    primary_keys: set[str] = set()
    # evidence of the page's other names (not those of the issuer's own name), by pass
    page_evidence: dict[str, dict[_Chain, float]] = {"secondary": {}, "context": {}}
    for weight, text, short_ok, name in ((3.0, primary, True, "primary"), (2.0, secondary, True, "secondary"), (1.0, context, False, "context")):
        if len(candidates) == 1:
            break  # settled: more evidence cannot change a single candidate
        if not text:
            continue
        hits = _standing(text, _mentions(text))
        if name == "primary":
            primary_hits = hits
            primary_keys = {key for _, key, _ in hits}
        accepted: list[_Unit] = []
        for _, key, units in hits:
            for u in units:
                if key != u[_NAME] and u[_LEVEL] in (2, 3) and not short_ok:
                    continue  # a city or county short form in the body: too often a word
                if u[_LEVEL] == 3 and u[_NAME] in _WEAK_COUNTY_NAMES and key == u[_NAME]:
                    w = 0.2
                elif key != u[_NAME]:
                    w = 0.5  # a short form
                else:
                    w = 1.0
                chain = _chain(u)
                add = weight * w / len(units) * (1.5 if u[_LEVEL] >= 3 else 1.0)
                evidence[chain] = evidence.get(chain, 0.0) + add
                if name != "primary" and key not in primary_keys:
                    page_evidence[name][chain] = page_evidence[name].get(chain, 0.0) + add
                accepted.append(u)
        if not candidates and accepted:
            origin = name
            found = list(dict.fromkeys(map(_chain, accepted)))
            # A candidate that is an ancestor of another (广州市 of 海珠区 in 广州市海珠区) is
            # not one: the deeper name says where the issuer is.
            candidates = _deepest(found)
            if name == "primary":
                issuer_level = max(u[_LEVEL] for u in accepted)
    if not candidates:
        return Place(level=issuer_level)
    if (
        origin == "primary" and len(candidates) > 1
        and all(u[_LEVEL] == 4 for _, _, units in primary_hits for u in units)
    ):  # the issuer's name holds a township's name only (周庄镇人民政府), known in several places
        elsewhere = _township_elsewhere(candidates, page_evidence)
        if elsewhere is not None:
            return elsewhere
    scores = _scores(candidates, evidence)
    top = max(scores.values())
    best = [c for c in candidates if scores[c] >= top - 1e-9]
    # Tied candidates keep the levels they share: a level that differs is empty, and so are
    # the levels below it (a county directly under its province, 琼海市, has no city).
    levels = ["", "", ""]
    for i, names in enumerate(zip(*best)):
        if len(set(names)) > 1:
            break
        levels[i] = names[0]
    province, city, county = levels
    if not province:
        city = county = ""
    chosen = (province, city, county)
    named = [u for _, _, us in primary_hits for u in us if _agrees(chosen, _chain(u))]
    if primary_hits:
        issuer_level = max((u[_LEVEL] for u in named), default=issuer_level)
        if issuer_level < 3:
            county = ""
        if issuer_level < 2:
            city = ""
    township = ""
    if issuer_level == 4 and county:
        towns = {u[_NAME] for u in named if u[_LEVEL] == 4 and _chain(u) == (province, city, county)}
        township = towns.pop() if len(towns) == 1 else ""
    if province in MUNICIPALITIES and not city:
        city = province
    return Place(province, city, county, township, issuer_level, _code(province, city, county), origin)


def _township_elsewhere(candidates: list[_Chain], page_evidence: dict[str, dict[_Chain, float]]) -> Place | None:
    """The place of a township the gazetteer does not hold under the page's county.

    The issuer names a township (镇, 乡, 街道) that the gazetteer knows only elsewhere
    (several namesakes, 周庄镇 in three provinces), while every other place the page
    names disagrees with all of them: the page's own county (its site, signature,
    opening) is then the issuer's, and the township is one the gazetteer lacks (new,
    renamed, or missing from it). Returns that county's place at the township level,
    the township left empty (the loader takes its name from the issuer), or None when
    the page names no single county or agrees with a namesake.
    """
    for origin in ("secondary", "context"):
        found = page_evidence[origin]
        if any(_agrees(c, e) for c in candidates for e in found):
            return None
    for origin in ("secondary", "context"):
        found = page_evidence[origin]
        counties = _deepest([e for e in found if e[2]])
        if not counties:
            continue
        scores = _scores(counties, found)
        top = max(scores.values())
        best = [c for c in counties if scores[c] >= top - 1e-9]
        if len(best) != 1:
            return None
        province, city, county = best[0]
        if province in MUNICIPALITIES and not city:
            city = province
        return Place(province, city, county, "", 4, _code(province, city, county), origin)
    return None


def _code(province: str, city: str, county: str) -> str:
    """Code of the most specific level (a province-level city has no city code of its own)."""
    codes = _codes()
    for chain, filled in (((province, city, county), county), ((province, city, ""), city), ((province, "", ""), province)):
        if filled and chain in codes:
            return codes[chain]
    return ""


@functools.lru_cache(maxsize=1)
def _codes() -> dict[_Chain, str]:
    """6-digit NBS code of each province, city and county chain (44 -> 440000, 4401 -> 440100)."""
    out: dict[_Chain, str] = {}
    for units in _gazetteer()[0].values():
        for u in units:
            if u[_LEVEL] <= 3:
                out.setdefault(_chain(u), u[_CODE].ljust(6, "0"))
    return out
