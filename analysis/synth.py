"""Generate a deterministic synthetic corpus of rule-of-law reports for benchmarks and tests.

Reports are assembled from the seed reports' own paragraphs: each seed is split into its
opening sentence and its top-level parts (measures and results, the first-responsible
duty, shortcomings, next year's plans), each part into items. A synthetic report draws
items from those pools, renumbers them, and rewrites them for a new issuer and year:

- **Issuers** are real places, sampled from the package's gazetteer
  (``resources/gazetteer.csv``, National Bureau of Statistics 2023 division codes):
  街道 and 镇/乡 offices, district/county and city governments, government departments
  (司法局, 市场监督管理局 …) and a few provincial governments. Place names the seed
  paragraphs mention (广州市, 海珠区, 琶洲街道, 琶洲 …) are found with the same gazetteer and
  replaced, level for level, by the new issuer's.
- **Years** 2019–2025: the title ``XX关于YYYY年度法治政府建设情况的报告`` (or one of two
  other title forms real reports use), an opening ``YYYY年,…`` sentence and the plans
  heading (YYYY+1) agree; years inside paragraphs move by the same offset (years inside
  《》 document titles and ranges such as 2021-2025 stay).
- **Numbers** are perturbed (one factor 0.5–1.5 per paragraph, the same number of decimals; percentages stay
  <= 100; quoted codes such as “1310”, enumerators and years untouched).
- **Forms** real corpora take: UTF-8 (some with a BOM), GB18030/GBK, HTML pages with a
  ``<meta charset>``, navigation, breadcrumb, 发布日期/来源 line, share buttons, footer with
  ICP and 公网安备 numbers (some with a stale header clock); full-width punctuation
  (，（）：；％) in most files and full-width digits in some; CRLF line ends in some;
  indented paragraphs; a few files with no title line; files spread over one folder per
  province.
- **Follow-ups**: about one report in twenty is the next year's report of the issuer of the
  report before it, repeating half of its shortcomings (persistence and follow-through
  analyses need issuers with consecutive years).

Generation is deterministic: the same ``n_reports``, ``seed`` and inputs (seed reports,
gazetteer) give the same bytes, and the first ``n`` reports of a larger corpus are the
``n`` reports of a smaller one (each report draws from its own random stream).

Command line::

    python -m analysis.synth OUT_DIR --reports 1000 --seed 0
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import functools
import hashlib
import html
import importlib.resources
import os
import random
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from analysis import config

__all__ = ["generate_corpus", "main"]

# ---------------------------------------------------------------------------
# Parsing the seed reports into pools of items
# ---------------------------------------------------------------------------

# Web-page furniture in scraped seed files, e.g. "发布日期:2023-12-13 10:57:35 来源:海珠区司法局",
# "您当前所在的位置: 首页 > 政务公开", "粤ICP备05083207号-1", "文件已失效", "附件:".
_CHROME_LINE = re.compile(
    r"^(?:您当前所在的位置|当前位置|发布日期|发布时间|来源|日期|分享到|浏览量|浏览次数|字体|附件|相关文章|"
    r"访问总数|联系我们|主办|承办|网站标识码|文件已失效|今天是|【)"
    r"|ICP备|公网安备|累计次数|字体:?\[|浏览量:"
)
# A top-level heading, e.g. "一、2024年度法治政府建设主要工作及成效".
_TOP_HEADING = re.compile(r"^[一二三四五六七八九十]{1,3}、")
# A second-level item marker, e.g. "(一)党政主要负责人…" or "（二）…".
_PAREN_ITEM = re.compile(r"^[(（][一二三四五六七八九十]{1,3}[)）]")
# Other item markers opening a paragraph, e.g. "一是在学习…", "二是,坚持…", "1、学习…", "2.积极…".
_OTHER_ITEM = re.compile(r"^(?:[一二三四五六七八九十]{1,3}是[,，:：]?|\d{1,2}[、.．](?!\d))")
# Any item marker at the start of an item's first line (stripped before renumbering).
_ANY_MARKER = re.compile(r"^(?:[(（][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}是[,，:：]?|\d{1,2}[、.．](?!\d))")
# The opening sentence of a report, e.g. "2024年,琶洲街道在…" or "2020年白云湖街以…".
_OPENING = re.compile(r"^((?:19|20)\d{2})年")
# A signature line: a date "2023年12月22日" or an issuing body ending the report.
_SIGNATURE_DATE = re.compile(r"^(?:19|20)\d{2}年\d{1,2}月\d{1,2}日$")
_SIGNATURE_BODY = re.compile(r"^[\u4e00-\u9fff()（）]{4,40}(?:委员会|办事处|人民政府|局|委|办公室)$")

# Classifying a top-level part by its heading, e.g. "二、存在的问题和不足" -> problems.
_PART_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("problems", re.compile(r"不足|问题|短板|差距")),
    ("plans", re.compile(r"计划|安排|打算|下一步|下年度|下一年|思路")),
    ("duty", re.compile(r"第一责任人")),
)

# The subject right after the opening year, e.g. "2024年,琶洲街道在" -> "琶洲街道",
# "2023年,我局坚持" -> "我局", "2020年白云湖街以" -> "白云湖街".
_OPENING_SUBJECT = re.compile(
    r"^(?:19|20)\d{2}年[,，]?\s*(我局|我街|我区|我县|我市|我镇|本局|[\u4e00-\u9fff]{2,12}?(?:街道|街|镇|乡|区|县|市|局))"
)


@dataclasses.dataclass(frozen=True)
class _Item:
    """One numbered item of a part: its lines (first line without its marker)."""

    lines: tuple[str, ...]
    seed: int


@dataclasses.dataclass(frozen=True)
class _Pools:
    openings: tuple[tuple[str, int], ...]  # (opening sentence, seed index)
    items: dict[str, tuple[_Item, ...]]  # part -> items
    intros: dict[str, tuple[tuple[str, int], ...]]  # part -> intro paragraphs
    seed_years: tuple[int, ...]
    seed_places: tuple[dict[str, tuple[int, str]], ...]  # per seed: name -> (level, form)


def _decode(raw: bytes) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


def _clean_lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ").replace("\xa0", " ")
    return [ln.strip() for ln in text.split("\n") if ln.strip()]


def _part_of(heading: str) -> str:
    for part, pattern in _PART_PATTERNS:
        if pattern.search(heading):
            return part
    return "measures"


def _split_items(lines: list[str], seed: int) -> tuple[list[str], list[_Item]]:
    """Split a part's lines into intro paragraphs and items."""
    if any(_PAREN_ITEM.match(ln) for ln in lines):
        starts = [i for i, ln in enumerate(lines) if _PAREN_ITEM.match(ln)]
    else:
        starts = [i for i, ln in enumerate(lines) if _OTHER_ITEM.match(ln)]
    if not starts:
        return [], [_Item((ln,), seed) for ln in lines]
    intro = lines[: starts[0]]
    items = []
    for a, b in zip(starts, starts[1:] + [len(lines)]):
        first = _ANY_MARKER.sub("", lines[a], count=1).strip()
        if first:
            items.append(_Item((first, *lines[a + 1 : b]), seed))
    return intro, items


def _parse_seed(text: str, seed: int) -> tuple[str, int, dict[str, list[str]], dict[str, list[_Item]]] | None:
    lines = [ln for ln in _clean_lines(text) if not _CHROME_LINE.search(ln)]
    opening_at = next((i for i, ln in enumerate(lines) if _OPENING.match(ln)), None)
    if opening_at is None:
        return None
    opening = lines[opening_at]
    year = int(_OPENING.match(opening).group(1))  # type: ignore[union-attr]
    body = lines[opening_at + 1 :]
    # Drop a closing signature block (bodies and a date) and anything after it.
    while body and (_SIGNATURE_DATE.match(body[-1]) or _SIGNATURE_BODY.match(body[-1])):
        body.pop()
    intros: dict[str, list[str]] = {}
    items: dict[str, list[_Item]] = {}
    heads = [i for i, ln in enumerate(body) if _TOP_HEADING.match(ln)]
    for a, b in zip(heads, heads[1:] + [len(body)]):
        part = _part_of(body[a])
        intro, its = _split_items(body[a + 1 : b], seed)
        intros.setdefault(part, []).extend(intro)
        items.setdefault(part, []).extend(its)
    return opening, year, intros, items


def _seed_files(source_dir: Path) -> list[Path]:
    return sorted(p for p in source_dir.rglob("*") if p.is_file() and p.suffix.lower() in {".txt", ".htm", ".html"})


def _html_to_text(raw: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(raw, "lxml")
    for tag in soup(["script", "style", "nav", "footer"]):
        tag.decompose()
    return soup.get_text("\n")


@functools.lru_cache(maxsize=8)
def _load_pools(source_dir: str) -> _Pools:
    files = _seed_files(Path(source_dir))
    if not files:
        raise FileNotFoundError(f"no seed reports (.txt/.html) under {source_dir}")
    openings: list[tuple[str, int]] = []
    items: dict[str, list[_Item]] = {}
    intros: dict[str, list[tuple[str, int]]] = {}
    years: list[int] = []
    places: list[dict[str, tuple[int, str]]] = []
    for path in files:
        text = _decode(path.read_bytes())
        if path.suffix.lower() in {".htm", ".html"}:
            text = _html_to_text(text)
        parsed = _parse_seed(text, len(years))
        if parsed is None:
            continue
        opening, year, its_intro, its = parsed
        seed = len(years)
        years.append(year)
        openings.append((opening, seed))
        for part, lst in its.items():
            items.setdefault(part, []).extend(lst)
        for part, lst in its_intro.items():
            intros.setdefault(part, []).extend((p, seed) for p in lst)
        seed_text = "\n".join([opening, *(ln for it in sum(its.values(), []) for ln in it.lines)])
        seed_text += "\n" + "\n".join(p for lst in its_intro.values() for p in lst)
        subject = _OPENING_SUBJECT.match(opening)
        own = subject.group(1) if subject else ""
        extra = {own: 4} if re.search(r"(?:街道|镇|乡)$", own) and len(own) >= 4 else {}
        places.append(_places_in(seed_text, extra))
    for part in ("measures", "problems", "plans"):
        if not items.get(part):
            raise ValueError(f"the seed reports under {source_dir} have no {part!r} part to sample from")
    return _Pools(
        openings=tuple(openings),
        items={k: tuple(v) for k, v in items.items()},
        intros={k: tuple(v) for k, v in intros.items()},
        seed_years=tuple(years),
        seed_places=tuple(places),
    )


# ---------------------------------------------------------------------------
# Places
# ---------------------------------------------------------------------------

# Generic county names too common to be evidence ("城区", "新区" …), as in analysis.corpus.places.
_WEAK_NAMES = frozenset({"市辖区", "城区", "郊区", "矿区", "新区"})
# County-level units that are zones, not governments, e.g. "广州经济技术开发区", "某某管理区".
_ZONE = re.compile(r"开发区|管理区|园区|示范区|试验区|高新|工业区|农场|林场|保税|合作区")
_PLACE_SUFFIX = re.compile(r"(?:街道|镇|乡|区|县|市|省|自治区)$")

# Province -> one-character abbreviation used in ICP and 公网安备 numbers (粤ICP备…).
_PROVINCE_ABBR = {
    "北京市": "京", "天津市": "津", "河北省": "冀", "山西省": "晋", "内蒙古自治区": "蒙",
    "辽宁省": "辽", "吉林省": "吉", "黑龙江省": "黑", "上海市": "沪", "江苏省": "苏",
    "浙江省": "浙", "安徽省": "皖", "福建省": "闽", "江西省": "赣", "山东省": "鲁",
    "河南省": "豫", "湖北省": "鄂", "湖南省": "湘", "广东省": "粤", "广西壮族自治区": "桂",
    "海南省": "琼", "重庆市": "渝", "四川省": "川", "贵州省": "贵", "云南省": "云",
    "西藏自治区": "藏", "陕西省": "陕", "甘肃省": "甘", "青海省": "青", "宁夏回族自治区": "宁",
    "新疆维吾尔自治区": "新",
}  # fmt: skip
_MUNICIPALITIES = frozenset({"北京市", "天津市", "上海市", "重庆市"})


@dataclasses.dataclass(frozen=True)
class _Chain:
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
def _towns() -> tuple[_Chain, ...]:
    """Township-level units (街道/镇/乡) of real county-level governments, in code order."""
    out = []
    for _code, name, level, province, city, county in _gazetteer_rows():
        if level != 4 or not city or not county or province not in _PROVINCE_ABBR:
            continue
        if not re.search(r"(?:街道|镇|乡)$", name) or len(name) < 3:
            continue
        if _ZONE.search(county) or county in _WEAK_NAMES or not re.search(r"[区县市]$", county):
            continue
        out.append(_Chain(province, city, county, name))
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


def _places_in(text: str, extra: dict[str, int] | None = None) -> dict[str, tuple[int, str]]:
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


def _replace_places(text: str, seed_places: dict[str, tuple[int, str]], chain: _Chain) -> str:
    """Replace the seed's place names by the new chain's, level for level and form for form.

    The first township-level name a seed mentions becomes the chain's township; further
    ones become its sibling townships in the same county (in gazetteer order).
    """
    if not seed_places:
        return text
    return _mapping_pattern(tuple(seed_places.items()), chain)(text)


@functools.lru_cache(maxsize=4096)
def _mapping_pattern(seed_places: tuple[tuple[str, tuple[int, str]], ...], chain: _Chain):  # noqa: ANN202
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
def _towns_by_county(province: str, city: str, county: str) -> tuple[_Chain, ...]:
    return tuple(t for t in _towns_by_province(province) if t.city == city and t.county == county)


@functools.lru_cache(maxsize=64)
def _alternation(keys: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, keys)))


# ---------------------------------------------------------------------------
# Issuers
# ---------------------------------------------------------------------------

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
class _Issuer:
    name: str  # as written before 关于 in the title
    short: str  # the subject of the opening sentence
    unit: str  # one-character unit for 我X/全X: 街 镇 区 县 市 局 省
    issuer_type: str
    chain: _Chain
    dept: str = ""


def _county_prefix(chain: _Chain) -> str:
    """How a county-level name is usually written: 广州市海珠区, but 如皋市 or 桐庐县 alone."""
    if chain.county.endswith("区") and chain.city not in _MUNICIPALITIES:
        return chain.city + chain.county
    if chain.city in _MUNICIPALITIES:
        return chain.city + chain.county
    return chain.county


def _make_issuer(rng: random.Random) -> _Issuer:
    towns = _towns()
    kinds, weights = zip(*_TYPE_WEIGHTS)
    kind = rng.choices(kinds, weights)[0]
    chain = towns[rng.randrange(len(towns))]
    if kind in {"city_government", "provincial_government"} and chain.city in _MUNICIPALITIES:
        kind = "district_government"
    if kind == "subdistrict" and not chain.town.endswith("街道"):
        kind = "township"
    if kind == "township" and chain.town.endswith("街道"):
        kind = "subdistrict"
    county_unit = chain.county[-1]
    if kind == "subdistrict":
        form = rng.randrange(3)
        name = (
            f"{_county_prefix(chain)}人民政府{chain.town}办事处"
            if form == 0
            else f"{_county_prefix(chain)}{chain.town}"
            if form == 1
            else f"{chain.city}{chain.county}{chain.town}"
        )
        return _Issuer(name, chain.town, "街", kind, chain)
    if kind == "township":
        return _Issuer(f"{_county_prefix(chain)}{chain.town}人民政府", chain.town, chain.town[-1], kind, chain)
    if kind == "district_government":
        name = f"{_county_prefix(chain)}人民政府"
        # the loader's vocabulary: a 市辖区 is a district, a 县/县级市/旗 (and 林区, 特区) a county
        if not chain.county.endswith("区") or chain.county.endswith(("林区", "特区")):
            kind = "county_government"
        return _Issuer(name, chain.county, county_unit, kind, _Chain(chain.province, chain.city, chain.county, ""))
    if kind == "department":
        dept = rng.choice(_DEPARTMENTS)
        if rng.random() < 0.3 and chain.city not in _MUNICIPALITIES:
            # a prefecture-level department
            name = f"{chain.city}{dept}"
            chain = _Chain(chain.province, chain.city, "", "")
        else:
            name = f"{_county_prefix(chain)}{dept}"
            chain = _Chain(chain.province, chain.city, chain.county, "")
        short = "我局" if rng.random() < 0.5 else name
        return _Issuer(name, short, "局", kind, chain, dept)
    if kind == "city_government":
        chain = _Chain(chain.province, chain.city, "", "")
        # a prefecture (地区) or league (盟) is run by a 行政公署, not a 人民政府
        office = "行政公署" if chain.city.endswith(("地区", "盟")) else "人民政府"
        return _Issuer(f"{chain.city}{office}", chain.city, "市", kind, chain)
    chain = _Chain(chain.province, "", "", "")
    return _Issuer(f"{chain.province}人民政府", chain.province, "省", kind, chain)


def _fill_chain(chain: _Chain, rng: random.Random) -> _Chain:
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
def _towns_by_province(province: str) -> tuple[_Chain, ...]:
    return tuple(t for t in _towns() if t.province == province)


# ---------------------------------------------------------------------------
# Rewriting paragraphs: years, numbers, self-references
# ---------------------------------------------------------------------------

# A year outside a range, e.g. "2023年立案" (not "2021-2025年", "2023—2025", "2019年至2020年" moves whole).
_YEAR = re.compile(r"(?<![\d\-—–~])((?:19|20)\d{2})(?=年)(?![^《》]*》)")
# A quantity to perturb: "217宗", "210.61万元", "99.7%" — not inside “…” or 《…》, not a
# year, not adjacent to +/- (codes such as "1+N", "30-24"), not an enumerator "1、".
_NUMBER = re.compile(r"(?<![\d.\-+—–])(\d+(?:\.\d+)?)(?![\d.])(?![+\-—–])")
_QUOTED = re.compile(r"“[^”]{0,30}”|《[^》]{0,60}》|\"[^\"]{0,30}\"")
# Self-references of a grass-roots office, e.g. "我街", "全街", "依法治街", "街党工委".
_SELF_REF = re.compile(r"(我|全|依法治|本)街(?!道)")
_CN_NUM = "一二三四五六七八九十"
_FULLWIDTH = str.maketrans({",": "，", "(": "（", ")": "）", ":": "：", ";": "；", "%": "％", "!": "！", "?": "？"})
_FULLWIDTH_DIGITS = str.maketrans({str(d): chr(0xFF10 + d) for d in range(10)})


def _cn(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十."""
    if n <= 10:
        return _CN_NUM[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_NUM[tens - 1]) + "十" + (_CN_NUM[ones - 1] if ones else "")


def _shift_years(text: str, delta: int) -> str:
    if delta == 0:
        return text
    return _YEAR.sub(lambda m: str(int(m.group(1)) + delta), text)


def _perturb_numbers(text: str, rng: random.Random) -> str:
    """Scale the quantities of one paragraph by one factor (so parts stay below totals)."""
    protected = [m.span() for m in _QUOTED.finditer(text)]
    factor = rng.uniform(0.5, 1.5)

    def repl(m: re.Match[str]) -> str:
        s = m.group(1)
        a, b = m.span(1)
        if any(pa <= a < pb for pa, pb in protected):
            return s
        after = text[b : b + 1]
        if after in {"年", "、"} or (after == "." and b + 1 < len(text) and not text[b + 1].isdigit()):
            return s
        if after in {"月", "日", "时", "号"} or text[max(0, a - 1) : a] in {"第"}:
            return s
        if len(s) == 4 and s.isdigit() and s[:2] in {"19", "20"}:
            return s
        decimals = len(s.split(".")[1]) if "." in s else 0
        value = float(s)
        if value == 0:
            return s
        new = value * factor
        if after == "%":
            if value >= 100:
                return s
            new = min(new, 99.9 if decimals else 99)
        if decimals:
            out = f"{new:.{decimals}f}"
            return out if float(out) > 0 else s
        return str(max(1, round(new)))

    return _NUMBER.sub(repl, text)


def _rewrite(text: str, *, seed: int, issuer: _Issuer, fill: _Chain, year: int, pools: _Pools, rng: random.Random) -> str:
    text = _replace_places(text, pools.seed_places[seed], fill)
    text = _shift_years(text, year - pools.seed_years[seed])
    text = _perturb_numbers(text, rng)
    if issuer.unit != "街":
        text = _SELF_REF.sub(lambda m: m.group(1) + issuer.unit, text)
    return text


# ---------------------------------------------------------------------------
# Assembling one report
# ---------------------------------------------------------------------------

_MEASURES_HEADINGS = (
    "{y}年度法治政府建设主要举措和成效",
    "{y}年推进法治政府建设的主要举措和成效",
    "本年度推进法治政府建设的主要举措和成效",
    "{y}年度法治政府建设主要工作及成效",
)
_DUTY_HEADINGS = ("党政主要负责人履行推进法治建设第一责任人职责情况", "主要负责人履行推进法治建设第一责任人职责情况")
_PROBLEMS_HEADINGS = ("存在的不足和原因", "存在的问题和不足", "存在问题", "存在的问题和原因")
_PLANS_HEADINGS = ("{n}年法治政府建设工作计划", "下一年度推进法治政府建设的主要安排", "{n}年推进法治政府建设的主要安排")
_OTHER_HEADING = "其他需要报告的情况"
_OTHER_TEXT = ("本年度无其他需要报告的情况。", "无。")


@dataclasses.dataclass(frozen=True)
class _Spec:
    """What one synthetic report is: the manifest row plus the drawn items."""

    index: int
    doc_id: str
    issuer: _Issuer
    year: int
    problems: tuple[int, ...]  # indices into pools.items["problems"]
    previous: str  # path_id of the same issuer's previous-year report, or ""

    @property
    def path_id(self) -> str:
        """The file's path under the corpus root without extension (the loader's doc_id)."""
        return f"{self.issuer.chain.province}/{self.doc_id}"


def _doc_id(seed: int, index: int, width: int) -> str:
    digest = hashlib.sha256(f"analysis.synth:{seed}:{index}".encode()).hexdigest()[:16]
    return f"{index:0{width}d}_{digest}"


def _sample(rng: random.Random, n: int, k_low: int, k_high: int) -> list[int]:
    k = min(n, rng.randint(k_low, k_high))
    return rng.sample(range(n), k)


def _render_items(items: Sequence[_Item], rewrite) -> list[str]:  # noqa: ANN001
    lines: list[str] = []
    for i, item in enumerate(items, 1):
        lines.append(f"({_cn(i)}){rewrite(item.lines[0], item.seed)}")
        lines.extend(rewrite(ln, item.seed) for ln in item.lines[1:])
    return lines


def _report_body(spec: _Spec, pools: _Pools, rng: random.Random) -> tuple[list[str], list[str]]:
    """(opening+body lines, signature lines) in ASCII punctuation."""
    issuer, y = spec.issuer, spec.year
    fill = _fill_chain(issuer.chain, rng)

    def rewrite(text: str, seed: int) -> str:
        return _rewrite(text, seed=seed, issuer=issuer, fill=fill, year=y, pools=pools, rng=rng)

    opening, oseed = pools.openings[rng.randrange(len(pools.openings))]
    opening = rewrite(opening, oseed)
    opening = _OPENING_SUBJECT.sub(f"{y}年,{issuer.short}", opening, count=1)
    if not opening.startswith(f"{y}年"):
        opening = f"{y}年,{issuer.short}" + _OPENING.sub("", opening, count=1).lstrip(",，")
    lines = [opening]
    top = 0

    def heading(text: str) -> None:
        nonlocal top
        top += 1
        lines.append(f"{_cn(top)}、{text}")

    heading(rng.choice(_MEASURES_HEADINGS).format(y=y))
    if pools.intros.get("measures") and rng.random() < 0.3:
        lines.append(rewrite(*pools.intros["measures"][rng.randrange(len(pools.intros["measures"]))]))
    measures = pools.items["measures"]
    lines += _render_items([measures[i] for i in _sample(rng, len(measures), 3, 7)], rewrite)
    if pools.items.get("duty") and rng.random() < 0.4:
        heading(rng.choice(_DUTY_HEADINGS))
        duty = pools.items["duty"]
        lines += [rewrite(ln, duty[0].seed) for ln in duty[rng.randrange(len(duty))].lines]
    heading(rng.choice(_PROBLEMS_HEADINGS))
    if pools.intros.get("problems") and rng.random() < 0.3:
        lines.append(rewrite(*pools.intros["problems"][rng.randrange(len(pools.intros["problems"]))]))
    problems = pools.items["problems"]
    lines += _render_items([problems[i] for i in spec.problems], rewrite)
    heading(rng.choice(_PLANS_HEADINGS).format(n=y + 1))
    if pools.intros.get("plans") and rng.random() < 0.3:
        lines.append(rewrite(*pools.intros["plans"][rng.randrange(len(pools.intros["plans"]))]))
    plans = pools.items["plans"]
    lines += _render_items([plans[i] for i in _sample(rng, len(plans), 2, 6)], rewrite)
    if rng.random() < 0.15:
        heading(_OTHER_HEADING)
        lines.append(rng.choice(_OTHER_TEXT))
    signature: list[str] = []
    if rng.random() < 0.5:
        month, day = (12, rng.randint(15, 31)) if rng.random() < 0.3 else (rng.randint(1, 3), rng.randint(1, 28))
        signature = [issuer.name, f"{y if month == 12 else y + 1}年{month}月{day}日"]
    return lines, signature


def _title(issuer: _Issuer, y: int, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.8:
        return f"{issuer.name}关于{y}年度法治政府建设情况的报告"
    if r < 0.9:
        return f"{issuer.name}{y}年法治政府建设情况报告"
    return f"{issuer.name}{y}年法治政府建设年度报告"


def _publish_date(y: int, rng: random.Random) -> tuple[int, int, int]:
    r = rng.random()
    if r < 0.1:
        return y, 12, rng.randint(10, 31)
    if r < 0.9:
        return y + 1, rng.randint(1, 3), rng.randint(1, 28)
    return y + 1, rng.randint(4, 6), rng.randint(1, 28)


# ---------------------------------------------------------------------------
# Writing the forms real corpora take
# ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Form:
    kind: str  # "txt" or "html"
    encoding: str  # codec used to write: utf-8, utf-8-sig, gb18030, gbk
    charset: str  # declared <meta charset> (html) or ""
    newline: str  # "\n" or "\r\n"
    fullwidth: bool  # full-width punctuation in the body
    fullwidth_digits: bool
    indent: str  # paragraph indentation ("", "  ", "\u3000\u3000")
    chrome: bool  # txt: a 来源/发布时间 line; html: always has chrome
    no_title: bool


def _draw_form(rng: random.Random, issuer_type: str) -> _Form:
    kind = "html" if rng.random() < 0.25 else "txt"
    r = rng.random()
    if r < 0.5:
        encoding = "utf-8"
    elif r < 0.55:
        encoding = "utf-8-sig"
    elif r < 0.85:
        encoding = "gb18030"
    else:
        encoding = "gbk"
    charset = ""
    if kind == "html":
        if encoding == "utf-8-sig":
            encoding = "utf-8"
        charset = {"utf-8": rng.choice(["utf-8", "UTF-8"]), "gb18030": "gb18030", "gbk": rng.choice(["gbk", "GBK"])}[encoding]
    no_title = kind == "txt" and issuer_type in {"subdistrict", "township"} and rng.random() < 0.06
    return _Form(
        kind=kind,
        encoding=encoding,
        charset=charset,
        newline="\r\n" if rng.random() < 0.2 else "\n",
        fullwidth=rng.random() < 0.6,
        fullwidth_digits=rng.random() < 0.1,
        indent=rng.choice(["", "", "  ", "\u3000\u3000"]),
        chrome=kind == "html" or rng.random() < 0.3,
        no_title=no_title,
    )


def _body_text(line: str, form: _Form) -> str:
    if form.fullwidth:
        line = line.translate(_FULLWIDTH)
    if form.fullwidth_digits:
        line = line.translate(_FULLWIDTH_DIGITS)
    return line


def _site(issuer: _Issuer) -> str:
    c = issuer.chain
    if c.county:
        return f"{_county_prefix(c)}人民政府"
    if c.city:
        return f"{c.city}人民政府"
    return f"{c.province}人民政府"


def _icp(issuer: _Issuer, rng: random.Random) -> tuple[str, str, str]:
    abbr = _PROVINCE_ABBR[issuer.chain.province]
    icp = f"{abbr}ICP备{rng.randint(5_000_000, 19_999_999):08d}号-{rng.randint(1, 3)}"
    police = f"{abbr}公网安备 {rng.randint(10_000_000_000_000, 99_999_999_999_999)}号"
    site_code = f"{rng.randint(1_000_000_000, 9_999_999_999)}"
    return icp, police, site_code


def _render_txt(title: str, lines: list[str], signature: list[str], issuer: _Issuer, date, form: _Form, rng) -> str:  # noqa: ANN001
    y, m, d = date
    out: list[str] = []
    if not form.no_title:
        out.append(title)
        if form.chrome:
            out.append(
                f"来源: {issuer.name} 发布时间:{y}-{m:02d}-{d:02d} {rng.randint(8, 18):02d}:{rng.randint(0, 59):02d} 累计次数: 字体:[ ]"
            )
            out.append("")
    blank = rng.random() < 0.3
    for ln in lines:
        out.append(form.indent + _body_text(ln, form))
        if blank:
            out.append("")
    if signature:
        out.append("")
        out.extend(_body_text(s, form) for s in signature)
    return form.newline.join(out) + form.newline


_WEEKDAYS = "一二三四五六日"


def _render_html(title: str, lines: list[str], signature: list[str], issuer: _Issuer, date, form: _Form, rng) -> str:  # noqa: ANN001
    import datetime

    y, m, d = date
    site = _site(issuer)
    icp, police, site_code = _icp(issuer, rng)
    esc = html.escape
    head_meta = (
        f'<meta charset="{form.charset}">'
        if rng.random() < 0.5
        else f'<meta http-equiv="Content-Type" content="text/html; charset={form.charset}">'
    )
    clock = ""
    if rng.random() < 0.3:
        stale = datetime.date(rng.randint(2018, 2026), rng.randint(1, 12), rng.randint(1, 28))
        clock = f'<div class="clock">今天是:{stale.year}年{stale.month}月{stale.day}日 星期{_WEEKDAYS[stale.weekday()]}</div>'
    paragraphs = "\n".join(
        f'<p style="text-indent:2em;">{esc(_body_text(ln, form))}</p>' for ln in lines
    )
    sig = "\n".join(f'<p style="text-align:right;">{esc(_body_text(s, form))}</p>' for s in signature)
    source = esc(issuer.name if rng.random() < 0.8 else "")
    views = rng.randint(10, 5000)
    doc = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
{head_meta}
<title>{esc(title)}_{esc(site)}</title>
<style>body{{font-family:SimSun;}} .footer{{color:#666;}}</style>
<script>var _hmt = _hmt || []; function share(){{return false;}}</script>
</head>
<body>
<div class="top">{esc(site)}门户网站 {clock}</div>
<nav><a href="/">首页</a> <a href="/zwgk/">政务公开</a> <a href="/hdjl/">互动交流</a> <a href="/bsfw/">办事服务</a></nav>
<div class="breadcrumb">您当前所在的位置:<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 法治政府建设 &gt; 年度报告</div>
<div class="article">
<h1>{esc(title)}</h1>
<div class="info">发布日期:{y}-{m:02d}-{d:02d} {rng.randint(8, 18):02d}:{rng.randint(0, 59):02d} 来源:{source} 浏览量:{views}</div>
<div class="share">分享到: 微信 微博 【字体:大 中 小】</div>
<div class="content">
{paragraphs}
{sig}
</div>
<div class="related">附件: 相关文章</div>
</div>
<footer class="footer">
<p>联系我们 | 网站地图 | 友情链接</p>
<p>主办:{esc(site)}办公室 承办:{esc(site)}政务服务数据管理局</p>
<p>网站标识码:{site_code} {icp} {police}</p>
</footer>
</body>
</html>
"""
    return doc.replace("\n", form.newline)


def _encode(text: str, form: _Form) -> tuple[bytes, str]:
    """Encode; a GBK form that cannot hold a character falls back to GB18030 (label too)."""
    try:
        return text.encode(form.encoding), form.encoding
    except UnicodeEncodeError:
        if form.kind == "html":
            text = re.sub(r"charset=[\"']?gbk|charset=\"GBK\"|charset=\"gbk\"", lambda m: m.group(0)[:-3] + "gb18030", text, flags=re.I)
        return text.encode("gb18030"), "gb18030"


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------

MANIFEST_COLUMNS = (
    "doc_id", "path", "form", "encoding", "charset", "newline", "fullwidth", "fullwidth_digits",
    "has_title", "title", "issuer", "issuer_type", "province", "city", "county", "subdistrict",
    "report_year", "publish_date", "previous_doc_id", "n_bytes", "sha256",
)  # fmt: skip


def _specs(n_reports: int, seed: int, pools: _Pools) -> list[tuple[_Spec, random.Random]]:
    width = max(5, len(str(max(n_reports - 1, 0))))
    n_problems = len(pools.items["problems"])
    out: list[tuple[_Spec, random.Random]] = []
    for i in range(n_reports):
        rng = random.Random(f"analysis.synth:{seed}:{i}")
        doc_id = _doc_id(seed, i, width)
        prev = out[-1][0] if out else None
        follow = (
            prev is not None
            and not prev.previous
            and prev.year < 2025
            and rng.random() < 0.05
        )
        if follow:
            assert prev is not None
            keep = sorted(rng.sample(prev.problems, (len(prev.problems) + 1) // 2))
            fresh = [j for j in range(n_problems) if j not in keep]
            extra = rng.sample(fresh, min(len(fresh), rng.randint(1, 3)))
            order = keep + extra
            rng.shuffle(order)
            spec = _Spec(i, doc_id, prev.issuer, prev.year + 1, tuple(order), prev.path_id)
        else:
            issuer = _make_issuer(rng)
            year = rng.randint(2019, 2025)
            spec = _Spec(i, doc_id, issuer, year, tuple(_sample(rng, n_problems, 2, 5)), "")
        out.append((spec, rng))
    return out


def generate_corpus(
    out_dir: str | os.PathLike[str],
    n_reports: int,
    *,
    seed: int = 0,
    source_dir: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """Write ``n_reports`` synthetic reports under ``out_dir`` and return their manifest.

    Reports are assembled from the paragraphs of the reports in ``source_dir`` (default:
    the seed reports, ``analysis.config.SEEDS_DIR``) for real issuers drawn from the
    gazetteer, years 2019–2025, perturbed numbers, in the forms scraped corpora take
    (UTF-8, GB18030/GBK, HTML pages with chrome, full-width punctuation, CRLF); see the
    module docstring. Files go to ``out_dir/<province>/<doc_id>.txt|.html``; only report
    files are written there (write the manifest elsewhere if you keep it).

    Parameters
    ----------
    out_dir
        Folder to write to (created if missing). Existing files with the same names are
        overwritten; other files are left alone.
    n_reports
        Number of reports (>= 0).
    seed
        Random seed. The same ``n_reports``, ``seed`` and inputs give the same bytes, and
        a smaller corpus is a prefix (same ``doc_id`` and bytes) of a larger one.
    source_dir
        Folder of reports to draw paragraphs from.

    Returns
    -------
    pandas.DataFrame
        One row per written file, in generation order: ``doc_id`` (the path without
        its extension, as :func:`analysis.load_corpus` names it), ``path`` (relative to
        ``out_dir``, POSIX), ``form`` (txt/html), ``encoding`` (codec written), ``charset``
        (declared in the HTML, else ""), ``newline`` (LF/CRLF), ``fullwidth``,
        ``fullwidth_digits``, ``has_title``, ``title``, ``issuer`` (as in the title),
        ``issuer_type`` (the loader's categories), ``province``, ``city``, ``county``,
        ``subdistrict`` (the issuer's own levels; "" above it), ``report_year``,
        ``publish_date`` (written on the page or 来源 line; NaT when the file shows none),
        ``previous_doc_id`` (the same issuer's report of the year before, or ""),
        ``n_bytes``, ``sha256``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     m = generate_corpus(d, 3, seed=1)
    >>> len(m), m["report_year"].between(2019, 2025).all()
    (3, np.True_)
    """
    if n_reports < 0:
        raise ValueError(f"n_reports must be >= 0, got {n_reports}")
    src = Path(source_dir) if source_dir is not None else config.SEEDS_DIR
    pools = _load_pools(str(src.resolve()))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for spec, rng in _specs(n_reports, seed, pools):
        issuer = spec.issuer
        lines, signature = _report_body(spec, pools, rng)
        title = _title(issuer, spec.year, rng)
        date = _publish_date(spec.year, rng)
        form = _draw_form(rng, issuer.issuer_type)
        if form.kind == "html":
            text = _render_html(title, lines, signature, issuer, date, form, rng)
        else:
            text = _render_txt(title, lines, signature, issuer, date, form, rng)
        data, encoding = _encode(text, form)
        if encoding != form.encoding and form.kind == "html":
            form = dataclasses.replace(form, charset="gb18030")
        (out / issuer.chain.province).mkdir(exist_ok=True)
        rel = f"{spec.path_id}.{form.kind}"
        (out / rel).write_bytes(data)
        shows_date = form.kind == "html" or (form.chrome and not form.no_title)
        rows.append(
            {
                "doc_id": rel.rsplit(".", 1)[0],
                "path": rel,
                "form": form.kind,
                "encoding": encoding,
                "charset": form.charset,
                "newline": "CRLF" if form.newline == "\r\n" else "LF",
                "fullwidth": form.fullwidth,
                "fullwidth_digits": form.fullwidth_digits,
                "has_title": not form.no_title,
                "title": "" if form.no_title else title,
                "issuer": issuer.name,
                "issuer_type": issuer.issuer_type,
                "province": issuer.chain.province,
                "city": issuer.chain.city if issuer.chain.city not in _MUNICIPALITIES or issuer.chain.county else "",
                "county": issuer.chain.county,
                "subdistrict": issuer.chain.town,
                "report_year": spec.year,
                "publish_date": pd.Timestamp(*date) if shows_date else pd.NaT,
                "previous_doc_id": spec.previous,
                "n_bytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        )
    manifest = pd.DataFrame(rows, columns=list(MANIFEST_COLUMNS))
    manifest["report_year"] = manifest["report_year"].astype("Int64")
    manifest["publish_date"] = pd.to_datetime(manifest["publish_date"])
    manifest["n_bytes"] = manifest["n_bytes"].astype("int64")
    for col in ("fullwidth", "fullwidth_digits", "has_title"):
        manifest[col] = manifest[col].astype(bool)
    return manifest


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m analysis.synth OUT_DIR --reports N --seed S [--manifest FILE]``."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis.synth",
        description="Write a deterministic synthetic corpus of rule-of-law reports built from the seed reports.",
    )
    parser.add_argument("out_dir", help="folder to write the reports to")
    parser.add_argument("--reports", type=int, default=100, help="number of reports (default 100)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--source", default=None, help="folder of reports to draw paragraphs from (default: seeds/)")
    parser.add_argument("--manifest", default=None, help="also write the manifest to this CSV (UTF-8 with BOM)")
    args = parser.parse_args(argv)
    if args.reports < 0:
        parser.error("--reports must be >= 0")
    manifest = generate_corpus(args.out_dir, args.reports, seed=args.seed, source_dir=args.source)
    if args.manifest:
        manifest.to_csv(args.manifest, index=False, encoding="utf-8-sig")
    size = manifest["n_bytes"].sum() / 1e6
    forms = manifest.groupby(["form", "encoding"]).size().to_dict()
    print(f"wrote {len(manifest)} reports ({size:.1f} MB) to {args.out_dir}")
    print("forms: " + ", ".join(f"{f}/{e}: {n}" for (f, e), n in sorted(forms.items())))
    print(f"follow-up reports (same issuer, next year): {(manifest['previous_doc_id'] != '').sum()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
