"""Numbers as Chinese reports write them: width, numerals, units, magnitudes, qualifiers.

A leaf module (it imports nothing from the package), used by the indicator parser and
open to every other stage that reads numbers (sections, compliance, the numbers audit):

- :func:`normalize_width` maps full-width forms (，（）％１２３) to ASCII without changing
  the length of the text, so offsets into the result are offsets into the input;
- :func:`cn_to_number` reads Chinese numerals (一千二百, 两, 二〇二三, 九十九点七) and
  :func:`parse_arabic` Arabic ones (1,234.5) as exact values;
- ``UNITS_AR`` and ``UNITS_CN`` are the units (classifiers) a count may carry after an
  Arabic or a Chinese numeral, ``MAGNITUDE_PATTERN`` the magnitudes (万, 亿 …) between the
  number and the unit, and :func:`units` splits a written unit into its base unit and
  the factor to it (万元 -> 元 × 10,000; 成 -> % × 10);
- :func:`qualifier_before`, :func:`gap_qualifier` and :func:`qualifier_after` read the
  words that make a number approximate or a bound (逾, 近, 约, 不少于 … 以上, 左右, 以内),
  as one of ``QUALIFIERS``.

The package does not call the ``cn2an`` library: the numerals of reports are a small,
closed set (counts, percentages, 成), read here exactly (``Decimal``), and cn2an's smart
mode turns full-width digits into floats and rejects 逾八成.

Examples
--------
>>> normalize_width("立案８０宗，罚款１．５万元")
'立案80宗,罚款1.5万元'
>>> cn_to_number("一千二百"), parse_arabic("1,234.5")
(1200, Decimal('1234.5'))
>>> units("万", "元")
('万元', '元', Decimal('10000'))
>>> qualifier_before("全市逾", 3), qualifier_after("80%以上。", 3, "%")
(('more_than', 2), ('more_than', 5))
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal, localcontext

__all__ = [
    "normalize_width",
    "DIGITS",
    "CN_DIGITS",
    "CN_NUMERALS",
    "CN_POINTS",
    "cn_to_number",
    "parse_arabic",
    "percent_of_fraction",
    "NUMBER_PATTERN",
    "NUMBER_THOUSANDS_PATTERN",
    "RANGE_SEP_PATTERN",
    "FREQUENCY_BASES",
    "FREQUENCY_UNITS",
    "UNITS_AR",
    "UNITS_CN",
    "UNIT_AR_PATTERN",
    "UNIT_CN_PATTERN",
    "MAGNITUDE_PATTERN",
    "MAGNITUDE_FACTORS",
    "TIME_UNITS",
    "RATE_UNITS",
    "unit_base",
    "units",
    "QUALIFIERS",
    "qualifier_before",
    "gap_qualifier",
    "qualifier_after",
    "read_qualifiers",
]

# --------------------------------------------------------------------------- text form

# Full-width ASCII forms -> ASCII, ideographic / no-break spaces -> space. One character
# in, one character out, so offsets into the normalised text are offsets into the input.
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH.update({0x3000: 0x20, 0x00A0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20})
_WIDTH.update({0xFE6A: ord("%"), 0x2030: 0x2030})
# A character _WIDTH maps: ，（１ or U+3000 (text without one is returned as it is)
_NEEDS_WIDTH_RE = re.compile("[\uff01-\uff5e\u3000\u00a0\u2002\u2003\u2009\ufe6a]")


def normalize_width(text: str) -> str:
    """Map full-width ASCII forms to ASCII without changing the length of ``text``.

    ``，（）：；％１２３`` become ``,():;%123``; U+3000 and U+00A0 become spaces;
    ``、。“”《》`` are kept. Offsets into the result are offsets into the input.

    Examples
    --------
    >>> normalize_width("立案８０宗，罚款１．５万元（含）")
    '立案80宗,罚款1.5万元(含)'
    """
    if _NEEDS_WIDTH_RE.search(text) is None:
        return text
    return text.translate(_WIDTH)


# --------------------------------------------------------------------------- numerals

#: The ten ASCII digits.
DIGITS = "0123456789"
_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
#: Chinese digits (零 〇 一 … 九, and 两 for two).
CN_DIGITS = "零〇一二两三四五六七八九"
#: Chinese digits and the magnitude characters 十 百 千 万 亿.
CN_NUMERALS = CN_DIGITS + "十百千万亿"


#: Decimal points of Chinese numerals: 点, and 點 as traditional-script text writes it.
CN_POINTS = "点點"


def cn_to_number(s: str) -> int | float:
    """Convert a Chinese numeral (一千二百, 两, 二〇二三, 十二, 九十九点七) to a number.

    Digit strings without magnitude characters are read digit by digit (二〇二三 ->
    2023); the colloquial 一千二 means 1200; the decimal point is 点 (or 點, as in
    traditional script). Raises ``ValueError`` for other input.

    Examples
    --------
    >>> [cn_to_number(s) for s in ["三", "两", "十二", "一千二百", "一千二", "一万二千", "二〇二三"]]
    [3, 2, 12, 1200, 1200, 12000, 2023]
    >>> cn_to_number("九十九点七"), cn_to_number("十二點五")
    (99.7, 12.5)
    """
    if not s:
        raise ValueError("empty numeral")
    if "點" in s:
        s = s.replace("點", "点")
    if "点" in s:
        whole, _, frac = s.partition("点")
        if not frac or any(c not in _CN_DIGIT for c in frac):
            raise ValueError(f"not a Chinese numeral: {s!r}")
        head = cn_to_number(whole) if whole else 0
        return float(Decimal(f"{head}.{''.join(str(_CN_DIGIT[c]) for c in frac)}"))
    if any(c not in _CN_DIGIT and c not in _CN_SMALL and c not in _CN_BIG for c in s):
        raise ValueError(f"not a Chinese numeral: {s!r}")
    if all(c in _CN_DIGIT for c in s):
        return int("".join(str(_CN_DIGIT[c]) for c in s))
    total = section = num = 0
    for c in s:
        if c in _CN_DIGIT:
            num = _CN_DIGIT[c]
        elif c in _CN_SMALL:
            section += (num if num else 1) * _CN_SMALL[c]
            num = 0
        else:
            big = _CN_BIG[c]
            section += num
            num = 0
            if big > 10_000:
                total = (total + section) * big
            else:
                total += section * big
            section = 0
    value = total + section + num
    # colloquial 一千二 = 1200, 三万五 = 35000: a last digit right after 百/千/万 is one step down
    if len(s) >= 2 and s[-1] in _CN_DIGIT and s[-2] in "百千万":
        step = {"百": 100, "千": 1000, "万": 10_000}[s[-2]] // 10
        value += num * (step - 1)
    return value


def parse_arabic(s: str) -> Decimal:
    """The exact value of an Arabic number, thousands separated by commas or spaces.

    Raises ``decimal.InvalidOperation`` for text that is not a number.

    Examples
    --------
    >>> parse_arabic("1,234.50"), parse_arabic("80"), parse_arabic("12 860")
    (Decimal('1234.50'), Decimal('80'), Decimal('12860'))
    """
    if "," in s or " " in s:
        s = s.replace(",", "").replace(" ", "")
    return Decimal(s)


def percent_of_fraction(numerator: Decimal, denominator: Decimal) -> Decimal:
    """``numerator / denominator`` as a percentage rounded to two decimals (三分之二 -> 66.67).

    Exact for numbers of any length (a 25-digit denominator gives 0.00, a 30-digit
    numerator its full value). Raises ``ValueError`` for a zero denominator.

    Examples
    --------
    >>> percent_of_fraction(Decimal(2), Decimal(3))
    Decimal('66.67')
    >>> percent_of_fraction(Decimal(1), Decimal("1" * 25))
    Decimal('0.00')
    """
    if denominator == 0:
        raise ValueError("zero denominator")
    with localcontext() as ctx:
        # enough digits for the whole part and two decimals, whatever the sizes
        whole_digits = max(numerator.adjusted() - denominator.adjusted() + 4, 1)
        ctx.prec = max(28, whole_digits + 2 + 2)
        ctx.Emax = max(ctx.Emax, whole_digits + 10)
        return (numerator / denominator * 100).quantize(Decimal("0.01"))


# --------------------------------------------------------------------------- patterns

#: An Arabic number: 80, 1.5, 4.3090 (digits only; never ends inside a run of digits).
NUMBER_PATTERN = r"[0-9]+(?:\.[0-9]+)?(?![0-9])"
#: An Arabic number with thousands separators: 1,234 or 12,345.6, or grouped by spaces
#: as some pages print them (12 860).
NUMBER_THOUSANDS_PATTERN = r"[0-9]{1,3}(?:(?:,[0-9]{3})+|(?: [0-9]{3})+)(?:\.[0-9]+)?(?![0-9])"
#: Between the two ends of a range: 3-5, 3~5, 三至五, 3 到 5.
RANGE_SEP_PATTERN = r"\s*(?:-|—|–|~|～|至|到)\s*"

#: Measure words that take 次 to count times (300人次, 2.3万辆次, 1,200处次, 86例次): each
#: ``X次`` is one unit after any numeral (generated, so that no measure word of a thing lacks
#: its 次 form). A word that starts with 次 (次日, 次年, 次要, 次数, 次序, 次生) is no unit.
FREQUENCY_BASES = (
    "人", "件", "户", "家", "场", "批", "车", "架", "台", "条", "宗", "期", "个", "轮", "艘", "辆",
    "只", "头", "份", "处", "所", "起", "项", "套", "张", "本", "篇", "株", "笔", "例", "组",
    "卷", "册", "座", "支", "节", "堂", "课", "讲", "班", "趟", "单",
)  # fmt: skip
# (one alternative, a class of the measure words: an alternation of 42 words would be tried
# word by word at every numeral)
FREQUENCY_UNITS = [f"[{''.join(FREQUENCY_BASES)}]次(?![日年月要数序生级第之])"]

#: Units after an Arabic number (regex sources), longest first; each is guarded against
#: the word it starts, e.g. 处 in 3处 (places) but not in 3处理, 成 in 8成 (tenths) but
#: not in 8成立.
UNITS_AR = [
    "个百分点", "百分点", "个工作日", "工作日", "个月", *FREQUENCY_UNITS,
    "大类", "小类", "千瓦时", "千瓦", r"人\(次\)", r"场\(次\)", r"件\(次\)", "人/次",
    # 28微克/立方米 (a concentration: one unit); 126.8万标箱, 312.6千克标准煤, 17.6℃
    "[微毫]克/立方米", "[微毫]克每立方米", "标箱", "千克标准煤", "吨标准煤", "℃", "毫米", "厘米", "箱(?![式体])",
    "平方公里", "平方千米",
    "平方米", "立方米", "平方", "公顷", "公里", "千米", "千克", "公斤", "学时", "课时", "小时",
    "分钟", "周岁", "%", "‰",
    "岁", "人(?![民大才事口格工社们力])", "名(?![义称单录])", "位(?![于置数列])", "户(?![籍口外型])",
    "家(?![庭属长风乡族])", "个", "件", "宗", "起(?![草诉步来点到始源因])", "次(?![性日])",
    "场(?![所地景馆])", "期(?![间限末初])", "条(?![例件款线])", "篇", "份", "处(?![理置罚分室长级于])",
    "项", "类", "轮", "支(?![持付出部])", "间(?![隔接断])", "所(?![以有在得属谓需])", "座", "栋",
    "套", "台(?![账阶湾县山河])", "辆", "艘", "张", "本(?![地级单部市区人次])", "册", "块", "幅", "根",
    "棵", "株", "只", "头", "吨", "斤", "米", "亩", "美元", "元", "天", "周(?![年边末转])",
    "年(?![度代级龄限])", "级", "批", "部(?![门分署长队])", "节", "堂", "课", "讲", "笔", "例",
    "组", "页", "种", "倍", "成(?![立功为员果效本绩熟交都型就长品份分])",
    # 2对 (pairs), not 对接, 对照 …
    "对(?![接应照比标象于外话待策口称此其该这])",
    # 320卷 (case files), 3.2万单 (tickets)
    "卷(?![宗入烟])", "单(?![位元独项据一个纯])",
    "分(?![钟局院队公司之管类别析享配层级担解流工散批区中所站部会厂行])",
]  # fmt: skip
#: Classifiers after a Chinese numeral (a narrower list: 三个环节, 两级, 八成, 三个月).
UNITS_CN = [
    # (the compound units first: 五个工作日, 两千家次, 一千六百小时 as after Arabic digits)
    "个百分点", "个工作日", "工作日", "个月", *FREQUENCY_UNITS,
    "小时", "学时", "课时", "个",
    # 二百一十三起, 逾四十起 (一起 "together": a lone 一 is an article, see the extractor)
    "起(?![草诉步来点到始源因])", "篇", "项", "级", "次(?![性日])", "场(?![所地景馆])",
    "名(?![义称单录])", "人(?![民大才事口格工社们力行])", "件", "宗", "份", "类", "批", "家(?![庭属长风乡族])",
    "期(?![间限末初])", "轮", "支(?![持付出部])", "条(?![例件款线])", "处(?![理置罚分室长级于])",
    "间(?![隔接断])", "座", "种", "位(?![于置数列一])", "户(?![籍口外型])", "年(?![度代级龄限])", "天",
    "周(?![年边末转])", "倍", "成(?![立功为员果效本绩熟交都型就长品份分])", "平方公里", "平方米", "元", "亩", "吨", "大类", "小类",
    # 三百六十笔 (transactions), 四十八公里 (roads)
    "笔", "公里", "千米", "公顷",
    # 三十七套, 四千二百台, 一百二十辆 (measure words of things; after a lone 一 an article, see the
    # extractor; 三台县, 七台河, 五台山 are places)
    "[微毫]克/立方米", "[微毫]克每立方米", "立方米", "平方千米", "公斤", "千克", "千瓦时", "千瓦",
    "套", "台(?![账阶湾县山河])", "辆", "艘", "张", "册", "株", "棵", "头", "只", "例", "组", "页", "所(?![以有在得属谓需])",
    "标箱", "毫米", "本(?![地级单部市区人次])", "箱(?![式体])",
    # 二百一十卷 (case files), 九十四点五分 (a score; 十分 "very" is none, see the extractor)
    "卷(?![宗入烟])", "分(?![之钟局院队公司管类别析享配层级担解流工散批区中所站部会厂行外])",
]  # fmt: skip
#: ``UNITS_AR`` as one alternation (matches 宗 in 80宗, 人次 in 300人次).
UNIT_AR_PATTERN = "|".join(UNITS_AR)
#: ``UNITS_CN`` as one alternation (matches 个 in 三个环节).
UNIT_CN_PATTERN = "|".join(UNITS_CN)
#: Magnitudes between a number and its unit: 万 in 1.4万份, 亿 in 2.3亿元 (千 not of 千米).
MAGNITUDE_PATTERN = r"千万|百万|万亿|亿|万|千(?![米克瓦])"
#: Factor of each magnitude ("" for none).
MAGNITUDE_FACTORS: dict[str, Decimal] = {
    k: Decimal(v)
    for k, v in {"": 1, "万": 10_000, "亿": 100_000_000, "千": 1_000, "百万": 1_000_000, "千万": 10_000_000,
                 "万亿": 10**12}.items()
}  # fmt: skip
#: Units of time: a number of them followed by 内 is a time limit (5个工作日内).
TIME_UNITS = frozenset({"个月", "月", "天", "日", "年", "周", "小时", "分钟", "工作日", "个工作日"})
#: Units of rates and shares.
RATE_UNITS = frozenset({"%", "‰", "成"})


def unit_base(unit: str) -> tuple[str, int]:
    """Base unit and power-of-ten factor for a written unit (without magnitude).

    Examples
    --------
    >>> unit_base("成"), unit_base("个月"), unit_base("人(次)")
    (('%', 10), ('月', 1), ('人次', 1))
    """
    u = unit.replace("(", "").replace(")", "").replace("/", "")
    if u == "成":
        return "%", 10
    if u == "平方":
        return "平方米", 1
    if u == "个月":
        return "月", 1
    if u == "个百分点":
        return "百分点", 1
    if u == "个工作日":
        return "工作日", 1
    return u, 1


@functools.lru_cache(maxsize=4096)
def units(mag: str, unit: str) -> tuple[str, str, Decimal]:
    """(unit as written, base unit, factor to the base) of a magnitude and a unit.

    Examples
    --------
    >>> units("万", "份"), units("", "成")
    (('万份', '份', Decimal('10000')), ('成', '%', Decimal('10')))
    """
    base_unit, factor = unit_base(unit) if unit else ("", 1)
    return mag + unit, base_unit, MAGNITUDE_FACTORS[mag] * factor


# --------------------------------------------------------------------------- qualifiers

#: The qualifiers a number may carry ("" for an exact number).
QUALIFIERS = ("more_than", "nearly", "about", "at_least", "at_most")

# Qualifiers written before the number (searched at the end of the 6 characters before it),
# e.g. 逾八成, 超过1.4万人, 近7200, 约100亩, 不少于15学时, 不超过3天.
_PRE_QUALIFIER_RE = re.compile(
    r"(?:(?P<at_least>不少于|不低于|不下于|不得少于|不得低于|不应少于|不应低于|不能少于|至少|最少)"
    r"|(?P<at_most>不超过|不多于|不高于|不得超过|不得多于|不应超过|不能超过|至多|最多|不足|不到)"
    r"|(?P<more_than>超过|多于|高于|大于|突破|逾|超)|(?P<nearly>将近|接近|近乎|(?<![最附靠临接将])近)"
    r"|(?P<about>大约|大概|大致|(?<![节制签预公契条合邀相民履违特践守毁如赴誓盟租解续要立])约))\s*$"
)
# The same adverbs with a verb between them and the number: 每月至少开展1次, 至少有2名,
# 每季度至少组织联合执法行动1次 (the verb and its object, up to 14 characters, stay in the
# subject)
_PRE_GAP_QUALIFIER_RE = re.compile(
    r"(?:(?P<at_least>不少于|至少|最少)|(?P<at_most>至多|最多))(?:(?![的是在])[\u4e00-\u9fff]){1,14}$"
)
# Qualifiers written after the unit: 80%以上, 30%左右, 3天以内
_POST_QUALIFIER_RE = re.compile(r"\s*(?:(?P<more_than>以上|有余)|(?P<about>左右)|(?P<at_most>以内|之内|以下))")
# Pre-checks that skip the three qualifier regexes where they cannot match (most numbers
# have no qualifier). A match of _PRE_QUALIFIER_RE ends (before trailing spaces) with one
# of these characters: the last characters of its words.
_PRE_QUALIFIER_LAST = frozenset("于少过多足到破逾超近乎约概致")
# _POST_QUALIFIER_RE begins with a space (\s, i.e. str.isspace) or 以 有 左 之
_POST_QUALIFIER_FIRST = "以有左之"
# 两个月内, 5个工作日内: a time limit (not 内容, 内部 …)
_POST_WITHIN_RE = re.compile(r"\s*内(?![容部外地涵设在])")


def _may_gap_qualify(window: str) -> bool:
    """Whether _PRE_GAP_QUALIFIER_RE can match in ``window``: its words hold 至, 最 or 不少于."""
    return "至" in window or "最" in window or "不少于" in window


def qualifier_before(t: str, start: int) -> tuple[str, int] | None:
    """The qualifier written right before the number at ``t[start]`` and where it starts.

    Looks at the 6 characters before ``start`` (逾, 超过, 近, 约, 不少于, 不超过 …, spaces
    allowed before the number); None when there is none.

    Examples
    --------
    >>> qualifier_before("受教育人员近7200余人次", 6)
    ('nearly', 5)
    >>> qualifier_before("立案80宗", 2) is None
    True
    """
    pre = t[max(0, start - 6) : start]
    # (the pre-check only skips a regex call that cannot match: see _PRE_QUALIFIER_LAST)
    if pre.rstrip()[-1:] not in _PRE_QUALIFIER_LAST:
        return None
    m = _PRE_QUALIFIER_RE.search(pre)
    if m is None:
        return None
    qstart = start - (len(pre) - m.start())
    while qstart < start and t[qstart].isspace():
        qstart += 1
    return m.lastgroup or "", qstart


def gap_qualifier(t: str, start: int) -> str | None:
    """A bound written a few words before the number: 每月至少开展1次 -> at_least.

    The verb between the adverb and the number belongs to what is counted. None when
    the 11 characters before ``start`` hold no such adverb.

    Examples
    --------
    >>> gap_qualifier("每月至少开展1次", 6)
    'at_least'
    """
    if not _may_gap_qualify(t[max(0, start - 19) : start]):
        return None
    m = _PRE_GAP_QUALIFIER_RE.search(t, max(0, start - 19), start)
    return (m.lastgroup or "") if m else None


def qualifier_after(t: str, end: int, unit: str) -> tuple[str, int] | None:
    """The qualifier written right after a number and its unit, and where it ends.

    以上, 有余 (more_than), 左右 (about), 以内, 之内, 以下 (at_most); after a unit of time,
    内 alone is a time limit (两个月内: at_most). None when there is none.

    Examples
    --------
    >>> qualifier_after("30%左右", 3, "%"), qualifier_after("5个工作日内办结", 5, "个工作日")
    (('about', 5), ('at_most', 6))
    """
    after = t[end : end + 1]
    if after in _POST_QUALIFIER_FIRST or after.isspace():
        m = _POST_QUALIFIER_RE.match(t, end)
        if m is not None and m.lastgroup:
            return m.lastgroup, m.end()
    if unit in TIME_UNITS:
        within = _POST_WITHIN_RE.match(t, end)
        if within:
            return "at_most", within.end()
    return None


def read_qualifiers(t: str, start: int, end: int, unit: str, qualifier: str = "") -> tuple[str, int, int]:
    """All the qualifiers around the number ``t[start:end]`` (with its unit) at once.

    ``qualifier`` is the one the number carries itself (余, 多: more_than). Returns
    ``(qualifier, start, end)``: a word before the number (:func:`qualifier_before`) wins over
    the others and moves ``start`` to it; else a bound a few words before
    (:func:`gap_qualifier`, only when the number has none); a word after the unit
    (:func:`qualifier_after`) moves ``end`` past it and gives the qualifier unless a word
    before did. The same result as calling the three, in one call (the parser calls it for
    every number).

    Examples
    --------
    >>> read_qualifiers("受教育人员近7200余人次", 6, 13, "人次", "more_than")
    ('nearly', 5, 13)
    >>> read_qualifiers("纠错率15%以上", 3, 6, "%")
    ('more_than', 3, 8)
    """
    qstart = start
    # (pre-check on the character before the number: a qualifier word ends with one of
    # _PRE_QUALIFIER_LAST, maybe followed by spaces)
    c = t[start - 1 : start] if start else ""
    m = None
    if c in _PRE_QUALIFIER_LAST or (c and c.isspace()):
        pre = t[max(0, start - 6) : start]
        m = _PRE_QUALIFIER_RE.search(pre) if pre.rstrip()[-1:] in _PRE_QUALIFIER_LAST else None
    if m is not None:
        qualifier = m.lastgroup or qualifier
        qstart = start - (len(pre) - m.start())
        while qstart < start and t[qstart].isspace():
            qstart += 1
    elif not qualifier:
        window = t[max(0, start - 19) : start]
        if "至" in window or "最" in window or "不少于" in window:
            gap = _PRE_GAP_QUALIFIER_RE.search(t, max(0, start - 19), start)
            if gap:  # 每月至少开展1次: the verb between stays in the subject
                qualifier = gap.lastgroup or ""
    after = t[end : end + 1]
    post = _POST_QUALIFIER_RE.match(t, end) if after in _POST_QUALIFIER_FIRST or after.isspace() else None
    if post and post.lastgroup:
        if m is None:  # 近7200余人次: the word before the number governs
            qualifier = post.lastgroup
        end = post.end()
    elif unit in TIME_UNITS:
        within = _POST_WITHIN_RE.match(t, end)  # 两个月内, 5个工作日内: a time limit
        if within:
            if m is None:
                qualifier = "at_most"
            end = within.end()
    return qualifier, qstart, end
