"""What a report says about itself: title, report year, issuer, issuer type, 街道/镇.

Each field is read from the report's own words in a fixed order of evidence (the title
first, then the signature block, the opening sentence, and the page's 来源 field last);
places are resolved by :mod:`analysis.corpus.places`, dates and sources in the web-page
furniture by :mod:`analysis.corpus.chrome`.
"""

from __future__ import annotations

import re

from analysis.corpus.chrome import is_chrome
from analysis.corpus.read import normalize_text

__all__ = ["ISSUER_TYPES", "find_title", "report_year", "find_issuer", "issuer_type", "subdistrict_name"]

#: Values of the ``issuer_type`` column, from the ending of the issuer's name.
ISSUER_TYPES = (
    "provincial_government", "city_government", "district_government", "department",
    "subdistrict", "township", "other",
)  # fmt: skip

# --------------------------------------------------------------------------- title

# A report title: "…关于2023年度法治政府建设情况的报告", "…2023年法治政府建设年度报告",
# "…依法行政工作情况报告".
_TITLE_RE = re.compile(r"(?:法治|依法行政|依法治).{0,30}(?:报告|報告)|(?:报告|報告).{0,6}$")
_SENTENCE_END_RE = re.compile(r"[。;!?]$")
# Lines that mention a report but are not its title: "现将2023年法治政府建设情况报告如下:",
# headings "一、…报告", sentences ending in punctuation.
_NOT_TITLE_RE = re.compile(r"如下|现将|[,:;,]$|^(?:[一二三四五六七八九十]+、|\(?[一二三四五六七八九十\d]+\)|\d+[.、])")
_TITLE_HEAD_LINES = 25


def find_title(lines: list[str], html_titles: list[str]) -> tuple[int, int, str | None]:
    """The report's title line(s) among the first lines of a page.

    A title names a report on rule of law (…法治政府建设…报告); furniture lines, sentences
    and headings are skipped, and the search stops at the first paragraph of the body. A
    title split over two lines ("…人民政府关于" + "2023年度…的报告") is joined. When no line
    qualifies, the first HTML title (``<h1>``, ``<title>``) that names a report is used.

    Parameters
    ----------
    lines
        The page's lines in :func:`analysis.corpus.normalize_text` form.
    html_titles
        Title candidates from the page's markup (empty for plain text).

    Returns
    -------
    tuple
        Index of the title's first and last line in ``lines`` (``-1, -1`` when the title
        is not in them) and the title (None when there is none).

    Examples
    --------
    >>> find_title(["首页 > 政务公开", "某某县人民政府关于", "2023年度法治政府建设情况的报告", "2023年,我县…"], [])
    (1, 2, '某某县人民政府关于2023年度法治政府建设情况的报告')
    """
    limit = min(len(lines), _TITLE_HEAD_LINES)
    for i in range(limit):
        line = lines[i]
        if is_chrome(line) or len(line) > 90 or "。" in line or _NOT_TITLE_RE.search(line):
            continue
        if any("。" in prev or len(prev) > 60 for prev in lines[:i] if not is_chrome(prev)):
            break  # report paragraphs come before it: a sentence of the body, not the title
        if _TITLE_RE.search(line) and ("报告" in line or "報告" in line):
            # A title split over two lines: "XX人民政府关于" + "2023年度法治政府建设情况的报告".
            if i > 0 and not is_chrome(lines[i - 1]) and len(lines[i - 1]) <= 40 and (
                lines[i - 1].endswith("关于") or _ORG_END_RE.search(lines[i - 1])
            ) and not _SENTENCE_END_RE.search(lines[i - 1]) and line.startswith(("关于", "20", "19", "二〇", "法治", "依法")):
                return i - 1, i, lines[i - 1] + line
            if i + 1 < len(lines) and line.endswith("关于") and len(lines[i + 1]) <= 40:
                return i, i + 1, line + lines[i + 1]
            return i, i, line
    for t in html_titles:
        t = normalize_text(t).replace("\n", "")
        if "报告" in t:
            return -1, -1, t
    return -1, -1, None


# --------------------------------------------------------------------------- metadata

# A year as reports write it: 2023年 / 2023年度 / 二〇二三年.
_CN_DIGITS = {"〇": "0", "零": "0", "○": "0", "Ｏ": "0", "O": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
_CN_YEAR_RE = re.compile(r"([〇零○一二三四五六七八九]{4})年")
# A range (2021-2025年), (2021—2025年) or a year inside a 《document title》 is not the year covered.
_RANGE_RE = re.compile(r"(?:19|20)\d{2}\s*[-—–~至到]\s*(?:19|20)?\d{2}\s*年")
_BOOK_RE = re.compile(r"《[^《》]*》")
_YEAR_IN_TITLE_RE = re.compile(r"((?:19|20)\d{2})\s*年")
# The opening sentence: "2023年,我局…" / "2020年白云湖街以…" / "2023年度,…"
_OPENING_YEAR_RE = re.compile(r"^(?:在)?((?:19|20)\d{2})\s*年(?:度)?(?:以来|来|,|,|以|是|在|全|我|,|\s|[\u4e00-\u9fff])")
_BODY_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?(?:以来|,|全年|我|本)")


def _cn_years_to_arabic(s: str) -> str:
    return _CN_YEAR_RE.sub(lambda m: "".join(_CN_DIGITS[c] for c in m.group(1)) + "年", s)


# "(2024年3月)" / "(2024年3月20日)": a date under or after the title, not the year covered.
_PAREN_DATE_RE = re.compile(r"\((?:19|20)\d{2}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?\)")


def _strip_non_cover_years(s: str) -> str:
    s = _PAREN_DATE_RE.sub(lambda m: "#" * len(m.group(0)), s)
    s = _BOOK_RE.sub(lambda m: "#" * len(m.group(0)), s)
    return _RANGE_RE.sub(lambda m: "#" * len(m.group(0)), s)


def report_year(title: str | None, text: str) -> tuple[int | None, str]:
    """The year the report covers, and where it came from.

    From the title, else the opening sentence ("2023年,…"), else the opening paragraph;
    never a range such as (2021-2025年), a year inside a 《cited document》 or a date in
    brackets after the title.

    Returns
    -------
    tuple
        The year (None when not found) and its source: ``"title"``, ``"opening
        sentence"``, ``"opening paragraph"`` or ``""``.

    Examples
    --------
    >>> report_year("某某县人民政府关于二〇二一年度法治政府建设情况的报告", "")
    (2021, 'title')
    >>> report_year(None, "根据《法治政府建设实施纲要(2021-2025年)》,2020年,某某县坚持…")
    (2020, 'opening paragraph')
    """
    if title:
        t = _strip_non_cover_years(_cn_years_to_arabic(title))
        years = [int(y) for y in _YEAR_IN_TITLE_RE.findall(t)]
        if years:
            return years[0], "title"
    opening = _strip_non_cover_years(_cn_years_to_arabic(text[:400]))
    m = _OPENING_YEAR_RE.search(opening)
    if m:
        return int(m.group(1)), "opening sentence"
    m = _BODY_YEAR_RE.search(opening)
    if m:
        return int(m.group(1)), "opening paragraph"
    return None, ""


# Organisation name endings used to cut an issuer out of a title or an opening sentence.
_ORG_END = (
    r"(?:街道党工委|街道办事处|街道|人民政府|政府|办事处|工作委员会|委员会|办公室|管委会|管理委员会"
    r"|局|厅|委|办|署|中心|院|所|镇|乡|街|区|县|市|旗|州|盟|省|自治区)"
)
# "<issuer>关于2023年度…报告" / "<issuer>2023年(度)法治政府建设…报告" / "<issuer>法治政府建设…报告"
_TITLE_ISSUER_RES = (
    re.compile(r"^(.{2,60}?)\s*(?:关于|關於)"),
    re.compile(r"^(.{2,60}?)\s*(?:(?:19|20)\d{2}|[〇零○一二三四五六七八九]{4})\s*年"),
    re.compile(r"^(.{2,60}?" + _ORG_END + r")\s*(?:法治|依法行政|依法治|推进|年度)"),
)
# Opening sentence "2020年白云湖街以…" / "2024年,琶洲街道在区委…": the subject before the first verb.
_OPENING_ISSUER_RE = re.compile(
    r"^(?:(?:19|20)\d{2}年(?:度)?(?:以来)?[,,]?\s*)([\u4e00-\u9fff()]{2,40}?" + _ORG_END + r")"
    r"(?=以|在|坚持|深入|认真|全面|紧紧|紧密|紧扣|围绕|按照|始终|持续|扎实|着力|聚焦|高度|切实|积极|不断|严格|全力|立足|贯彻|进一步|牢牢|严格|"
    r"[,,:、])"
)
_ORG_END_RE = re.compile(_ORG_END + r"$")
_SELF_REFERENCE = re.compile(r"^(?:我|本|全)(?:局|区|市|县|镇|乡|街|委|办|厅|单位|部门|中心)")
# A signature line: "中共深圳市龙华区观湖街道工作委员会" / "深圳市龙华区观湖街道办事处"
_SIGNATURE_RE = re.compile(r"^[\u4e00-\u9fff()]{4,40}" + _ORG_END + r"$")
_SIGNATURE_DATE_RE = re.compile(r"^(?:(?:19|20)\d{2}|[〇零○一二三四五六七八九]{4})年\d{1,2}月\d{1,2}日$|^[〇零○一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日$")


def _issuer_from_title(title: str) -> str | None:
    t = title.strip()
    for rx in _TITLE_ISSUER_RES:
        m = rx.search(t)
        if m:
            issuer = m.group(1).strip(" ,:")
            issuer = re.sub(r"(?:19|20)\d{2}\s*年度?$", "", issuer).strip()
            issuer = re.sub(r"^(?:(?:19|20)\d{2}\s*年度?|关于)\s*", "", issuer).strip()
            if len(issuer) >= 2 and _ORG_END_RE.search(issuer) and not _SELF_REFERENCE.match(issuer):
                return issuer
    return None


def _signature(lines: list[str]) -> list[str]:
    """Issuing bodies in a closing signature block (the last lines before an optional date)."""
    out: list[str] = []
    for line in reversed(lines[-6:]):
        if _SIGNATURE_DATE_RE.match(line):
            if out:
                break
            continue
        if _SIGNATURE_RE.match(line):
            out.append(line)
        else:
            break
    return list(reversed(out))


def find_issuer(title: str | None, text: str, source: str | None = None) -> tuple[str | None, str]:
    """The issuing body, and where it came from.

    From the title ("<issuer>关于…报告"), else the closing signature block (several bodies
    joined by a space), else the opening sentence ("2020年白云湖街以…"), else the page's
    来源 field when it names an organisation.

    Returns
    -------
    tuple
        The issuer (None when not found) and its source: ``"title"``, ``"signature"``,
        ``"opening sentence"``, ``"source field"`` or ``""``.

    Examples
    --------
    >>> find_issuer("溧阳市社渚镇2022年法治政府建设工作报告", "")
    ('溧阳市社渚镇', 'title')
    >>> find_issuer(None, "2020年白云湖街以…")
    ('白云湖街', 'opening sentence')
    """
    if title:
        issuer = _issuer_from_title(title)
        if issuer:
            return issuer, "title"
    lines = text.split("\n")
    sig = _signature(lines)
    if sig:
        return " ".join(sig), "signature"
    m = _OPENING_ISSUER_RE.match(lines[0] if lines else "")
    if m and not _SELF_REFERENCE.match(m.group(1)):
        return m.group(1), "opening sentence"
    if source and len(source) <= 40 and _ORG_END_RE.search(source) and "网" not in source:
        return source, "source field"
    return None, ""


# The organisational unit the issuer ends with decides its type; checked in this order.
_TYPE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?:街道办事处|街道办|街道党工委|街道工作委员会|街道|[\u4e00-\u9fff]街)$"), "subdistrict"),
    (re.compile(r"(?:镇|乡|苏木)(?:人民政府|政府|党委)?$"), "township"),
    (re.compile(r"(?:地区|盟)?行政公署$"), "city_government"),  # 喀什地区行政公署
    (re.compile(r"(?:局|厅|委员会|委|办公室|办|署|中心|院|所|队|站|管委会)$"), "department"),
    # a government, or a bare place name standing for it ("海安市2022年法治政府建设情况报告")
    (re.compile(r"(?:省|自治区)(?:人民政府|政府)?$"), "provincial_government"),
    (re.compile(r"(?:区|县|旗|自治县|特区|林区)(?:人民政府|政府)?$"), "district_government"),
    (re.compile(r"(?:市|州|盟|地区)(?:人民政府|政府)?$"), "city_government"),
)
_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")


def issuer_type(issuer: str | None, county: str, city: str) -> str:
    """The type of the issuer (one of :data:`ISSUER_TYPES`) from the ending of its name.

    ``county`` and ``city`` are the resolved places: a county-level city (海安市人民政府,
    county 海安市) is a ``district_government``; a bare 人民政府 takes the level of the
    most specific place resolved.

    Examples
    --------
    >>> issuer_type("海安市人民政府", "海安市", "南通市"), issuer_type("南通市人民政府", "", "南通市")
    ('district_government', 'city_government')
    >>> issuer_type("广州市海珠区司法局", "海珠区", "广州市"), issuer_type("北京市人民政府", "", "北京市")
    ('department', 'provincial_government')
    """
    if not issuer:
        return "other"
    last = issuer.split()[-1]
    for rx, kind in _TYPE_RULES:
        if rx.search(last):
            if kind == "city_government":
                name = re.sub(r"(?:人民政府|政府)$", "", last)
                if name.endswith(_MUNICIPALITIES):
                    return "provincial_government"
                if county and name.endswith(county):
                    return "district_government"  # a county-level city: 海安市人民政府
            return kind
    if re.search(r"(?:人民政府|政府)$", last):
        return "district_government" if county else ("city_government" if city else "other")
    return "other"


_SUBDISTRICT_RE = re.compile(r"([\u4e00-\u9fff]{2,12}?(?:街道|镇|乡|街))(?:办事处|人民政府|党工委|工作委员会|政府)?$")


def subdistrict_name(issuer: str | None, issuer_type: str, township: str) -> str:
    """The 街道/镇/乡 issuing the report ("" for other issuer types).

    ``township`` is the gazetteer's township resolved for the issuer: it replaces a short
    form (白云湖街 -> 白云湖街道).

    Examples
    --------
    >>> subdistrict_name("广州市海珠区人民政府琶洲街道办事处", "subdistrict", "琶洲街道")
    '琶洲街道'
    >>> subdistrict_name("白云湖街", "subdistrict", "白云湖街道")
    '白云湖街道'
    """
    if issuer_type not in ("subdistrict", "township") or not issuer:
        return ""
    last = issuer.split()[-1]
    last = re.sub(r"^.*(?:区|县|市|旗)(?:人民政府)?(?=[\u4e00-\u9fff]{2,12}(?:街道|镇|乡|街))", "", last)
    m = _SUBDISTRICT_RE.search(last)
    name = m.group(1) if m else ""
    if township and (name == township or township.startswith(name)):
        return township
    return name

