"""Real places and issuers for synthetic reports, from the package's gazetteer.

Issuers are drawn from the township-level units of real county-level governments
(``resources/gazetteer.csv``): 街道 and 镇/乡 offices, district and county governments,
departments, city and provincial governments. Place names a seed paragraph mentions are
found with the same gazetteer and replaced, level for level and form for form, by the
new issuer's (:func:`replace_places`).
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import importlib.resources
import random
import re

__all__ = [
    "MUNICIPALITIES",
    "PROVINCE_ABBR",
    "Chain",
    "Issuer",
    "county_prefix",
    "fill_chain",
    "make_issuer",
    "places_in",
    "replace_places",
]

# Generic county names too common to be evidence ("城区", "新区" …), as in analysis.corpus.places.
_WEAK_NAMES = frozenset({"市辖区", "城区", "郊区", "矿区", "新区"})
# County-level units that are zones, not governments, e.g. "广州经济技术开发区", "某某管理区".
_ZONE = re.compile(r"开发区|管理区|园区|示范区|试验区|高新|工业区|农场|林场|保税|合作区")
_PLACE_SUFFIX = re.compile(r"(?:街道|镇|乡|区|县|市|省|自治区)$")

# Province -> one-character abbreviation used in ICP and 公网安备 numbers (粤ICP备…).
PROVINCE_ABBR = {
    "北京市": "京", "天津市": "津", "河北省": "冀", "山西省": "晋", "内蒙古自治区": "蒙",
    "辽宁省": "辽", "吉林省": "吉", "黑龙江省": "黑", "上海市": "沪", "江苏省": "苏",
    "浙江省": "浙", "安徽省": "皖", "福建省": "闽", "江西省": "赣", "山东省": "鲁",
    "河南省": "豫", "湖北省": "鄂", "湖南省": "湘", "广东省": "粤", "广西壮族自治区": "桂",
    "海南省": "琼", "重庆市": "渝", "四川省": "川", "贵州省": "贵", "云南省": "云",
    "西藏自治区": "藏", "陕西省": "陕", "甘肃省": "甘", "青海省": "青", "宁夏回族自治区": "宁",
    "新疆维吾尔自治区": "新",
}  # fmt: skip
MUNICIPALITIES = frozenset({"北京市", "天津市", "上海市", "重庆市"})


@dataclasses.dataclass(frozen=True)
class Chain:
    province: str
    city: str
    county: str
    town: str


@functools.lru_cache(maxsize=1)
def _gazetteer_rows() -> tuple[tuple[str, str, int, str, str, str], ...]:
    path = importlib.resources.files("analysis") / "resources" / "gazetteer.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(ln for ln in fh if not ln.startswith("#"))
        next(reader)
        return tuple((c, n, int(lv), p, ci, co) for c, n, lv, p, ci, co in reader)


@functools.lru_cache(maxsize=1)
def _towns() -> tuple[Chain, ...]:
    """Township-level units (街道/镇/乡) of real county-level governments, in code order."""
    out = []
    for _code, name, level, province, city, county in _gazetteer_rows():
        if level != 4 or not city or not county or province not in PROVINCE_ABBR:
            continue
        if not re.search(r"(?:街道|镇|乡)$", name) or len(name) < 3:
            continue
        if _ZONE.search(county) or county in _WEAK_NAMES or not re.search(r"[区县市]$", county):
            continue
        out.append(Chain(province, city, county, name))
    if not out:
        raise ValueError("the gazetteer lists no township-level units")
    return tuple(out)


@functools.lru_cache(maxsize=1)
def _place_names() -> tuple[dict[str, int], int]:
    """Full place name -> level (1 province … 4 township), and the longest name length."""
    names: dict[str, int] = {}
    for _code, name, level, _p, _c, _co in _gazetteer_rows():
        if name in _WEAK_NAMES or len(name) < 3 or not _PLACE_SUFFIX.search(name) or _ZONE.search(name):
            continue
        if level == 4 and not re.search(r"(?:街道|镇|乡)$", name):
            continue
        names[name] = max(level, names.get(name, 0))
    return names, max(map(len, names))


def _stem(name: str) -> str:
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "街道", "省", "市", "区", "县", "镇", "乡"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def places_in(text: str, extra: dict[str, int] | None = None) -> dict[str, tuple[int, str]]:
    """Place names found in a seed text -> (level 1-4, form).

    Forms: ``full`` (琶洲街道, 海珠区), ``stem`` (琶洲, 海珠: what 平安琶洲 uses) and
    ``street`` (白云湖街, the short form of 白云湖街道). ``extra`` adds names the
    gazetteer may lack (the seed's own issuer, from its opening sentence).
    """
    names, longest = _place_names()
    found: dict[str, int] = dict(extra or {})
    i, n = 0, len(text)
    while i < n:
        for size in range(min(longest, n - i), 2, -1):
            key = text[i : i + size]
            level = names.get(key)
            if level:
                found[key] = level
                i += size
                break
        else:
            i += 1
    out: dict[str, tuple[int, str]] = {}
    for name, level in sorted(found.items(), key=lambda kv: kv[1]):  # deeper levels win ties
        out[name] = (level, "full")
        stem = _stem(name)
        if len(stem) >= 2 and stem not in found:
            out[stem] = (level, "stem")
        if name.endswith("街道") and name[:-1] not in found:
            out[name[:-1]] = (level, "street")
    return out


def replace_places(text: str, seed_places: dict[str, tuple[int, str]], chain: Chain) -> str:
    """Replace the seed's place names by the new chain's, level for level and form for form.

    The first township-level name a seed mentions becomes the chain's township; further
    ones become its sibling townships in the same county (in gazetteer order).
    """
    if not seed_places:
        return text
    return _mapping_pattern(tuple(seed_places.items()), chain)(text)


@functools.lru_cache(maxsize=4096)
def _mapping_pattern(seed_places: tuple[tuple[str, tuple[int, str]], ...], chain: Chain):  # noqa: ANN202
    siblings = [t.town for t in _towns_by_county(chain.province, chain.city, chain.county) if t.town != chain.town]
    town_of: dict[str, str] = {}
    for name, (level, form) in seed_places:
        if level == 4 and form == "full" and name not in town_of:
            k = len(town_of)
            town_of[name] = chain.town if k == 0 or not siblings else siblings[(k - 1) % len(siblings)]
    new_full = {1: chain.province, 2: chain.city, 3: chain.county}
    mapping: dict[str, str] = {}
    for name, (level, form) in seed_places:
        if level == 4:
            full = name if form == "full" else name + ("道" if form == "street" else "街道")
            full = full if full in town_of else next((f for f in town_of if _stem(f) == _stem(name)), "")
            target = town_of.get(full, chain.town)
        else:
            target = new_full[level]
        if form == "stem" and len(_stem(target)) >= 2:
            target = _stem(target)
        elif form == "street" and target.endswith("街道"):
            target = target[:-1]
        mapping[name] = target
    pattern = _alternation(tuple(sorted(mapping, key=lambda s: (-len(s), s))))
    return functools.partial(pattern.sub, lambda m: mapping[m.group(0)])


@functools.lru_cache(maxsize=4096)
def _towns_by_county(province: str, city: str, county: str) -> tuple[Chain, ...]:
    return tuple(t for t in _towns_by_province(province) if t.city == city and t.county == county)


@functools.lru_cache(maxsize=64)
def _alternation(keys: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, keys)))


_DEPARTMENTS = (
    "司法局", "市场监督管理局", "城市管理和综合执法局", "住房和城乡建设局", "人力资源和社会保障局",
    "应急管理局", "教育局", "民政局", "财政局", "卫生健康局", "交通运输局", "农业农村局",
    "自然资源局", "退役军人事务局", "水务局", "文化广电旅游体育局",
)  # fmt: skip
# issuer type -> weight (real corpora are dominated by departments and grass-roots offices)
_TYPE_WEIGHTS = (
    ("subdistrict", 30),
    ("township", 14),
    ("district_government", 20),
    ("department", 26),
    ("city_government", 8),
    ("provincial_government", 2),
)


@dataclasses.dataclass(frozen=True)
class Issuer:
    name: str  # as written before 关于 in the title
    short: str  # the subject of the opening sentence
    unit: str  # one-character unit for 我X/全X: 街 镇 区 县 市 局 省
    issuer_type: str
    chain: Chain
    dept: str = ""


def county_prefix(chain: Chain) -> str:
    """How a county-level name is usually written: 广州市海珠区, but 如皋市 or 桐庐县 alone."""
    if chain.county.endswith("区") and chain.city not in MUNICIPALITIES:
        return chain.city + chain.county
    if chain.city in MUNICIPALITIES:
        return chain.city + chain.county
    return chain.county


def make_issuer(rng: random.Random) -> Issuer:
    towns = _towns()
    kinds, weights = zip(*_TYPE_WEIGHTS)
    kind = rng.choices(kinds, weights)[0]
    chain = towns[rng.randrange(len(towns))]
    if kind in {"city_government", "provincial_government"} and chain.city in MUNICIPALITIES:
        kind = "district_government"
    if kind == "subdistrict" and not chain.town.endswith("街道"):
        kind = "township"
    if kind == "township" and chain.town.endswith("街道"):
        kind = "subdistrict"
    county_unit = chain.county[-1]
    if kind == "subdistrict":
        form = rng.randrange(3)
        name = (
            f"{county_prefix(chain)}人民政府{chain.town}办事处"
            if form == 0
            else f"{county_prefix(chain)}{chain.town}"
            if form == 1
            else f"{chain.city}{chain.county}{chain.town}"
        )
        return Issuer(name, chain.town, "街", kind, chain)
    if kind == "township":
        return Issuer(f"{county_prefix(chain)}{chain.town}人民政府", chain.town, chain.town[-1], kind, chain)
    if kind == "district_government":
        name = f"{county_prefix(chain)}人民政府"
        # the loader's vocabulary: a 市辖区 is a district, a 县/县级市/旗 (and 林区, 特区) a county
        if not chain.county.endswith("区") or chain.county.endswith(("林区", "特区")):
            kind = "county_government"
        return Issuer(name, chain.county, county_unit, kind, Chain(chain.province, chain.city, chain.county, ""))
    if kind == "department":
        dept = rng.choice(_DEPARTMENTS)
        if rng.random() < 0.3 and chain.city not in MUNICIPALITIES:
            # a prefecture-level department
            name = f"{chain.city}{dept}"
            chain = Chain(chain.province, chain.city, "", "")
        else:
            name = f"{county_prefix(chain)}{dept}"
            chain = Chain(chain.province, chain.city, chain.county, "")
        short = "我局" if rng.random() < 0.5 else name
        return Issuer(name, short, "局", kind, chain, dept)
    if kind == "city_government":
        chain = Chain(chain.province, chain.city, "", "")
        # a prefecture (地区) or league (盟) is run by a 行政公署, not a 人民政府
        office = "行政公署" if chain.city.endswith(("地区", "盟")) else "人民政府"
        return Issuer(f"{chain.city}{office}", chain.city, "市", kind, chain)
    chain = Chain(chain.province, "", "", "")
    return Issuer(f"{chain.province}人民政府", chain.province, "省", kind, chain)


def fill_chain(chain: Chain, rng: random.Random) -> Chain:
    """A chain with every level filled (lower levels drawn under the issuer) for rewriting seeds."""
    towns = _towns()
    if chain.town:
        return chain
    under = [
        t
        for t in _towns_by_province(chain.province)
        if (not chain.city or t.city == chain.city) and (not chain.county or t.county == chain.county)
    ]
    pick = under[rng.randrange(len(under))] if under else towns[rng.randrange(len(towns))]
    return pick


@functools.lru_cache(maxsize=64)
def _towns_by_province(province: str) -> tuple[Chain, ...]:
    return tuple(t for t in _towns() if t.province == province)
