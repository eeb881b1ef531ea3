"""Indicator parser: every stated quantity in a report, typed, and a numbers audit.

Reports state their work in numbers — 立案80宗, 处罚金额210.61万元, 普法宣传120余次,
逾八成行政争议…案结事了, 化解成功率99.7% — and this module turns each into one row with
what is counted (``subject``), the number as written (``value``, ``unit``), the number in
base units (``base_value``, ``base_unit``: 万/亿 multiplied out, 成 -> %), a
``qualifier`` (余 / 近 / 约 / 不少于 / 以内 …), a ``kind`` (result / target / per_capita)
and a canonical ``indicator`` from the codebook ``resources/indicators.csv``.

Numbers that are not quantities are never rows: years and dates, clock times, heading
numbers (一、 (一) 1. 一是), names of laws and plans in 《》 and campaign names
(三年行动), document, ICP and registration numbers, hotlines (12345), party congresses
(二十大, 十九届四中全会), anniversaries (60周年), addresses (13号之三) and numeric slogans.
Slogans are recognised by rule first (quotation marks; N+N; N-N机制; 一X双Y; N项制度;
N个意识 …, see ``_ALT_SRC``) and by the lexicon ``resources/slogans.txt`` second.

The subject is the clause's text before the number, trimmed of time words (全年, 截至目前), totals
(共, 累计), actors (市司法局, 人民调解组织), adverbs, framings (对…, 通过…, 在门户网站…) and linking
verbs (达到, 保持在, 压缩至), plus the noun after a classifier (开展12次执法检查). A quantity that
continues another (5,600余人次 after 2,300余批次、; 从60%提高到100%; 326件,占31.9%) takes its subject.
``tests/fixtures/unseen_indicators.yaml`` holds the hand-annotated sentences these rules are
measured on.
:func:`audit_numbers` lists every numeral occurrence with the class it was given, so a
reader can check that nothing was dropped silently.

The scan is linear in the text: one pass of a trigger regex, a bounded ``match`` at each
trigger, and look-arounds of bounded width for subjects.

Examples
--------
>>> import pandas as pd
>>> corpus = pd.DataFrame({"doc_id": ["a"], "text": ["今年开展普法宣传120余次,发放宣传资料1.4万余份。"]})
>>> rows = extract_indicators(corpus)
>>> for r in rows[["subject", "value", "unit", "base_value", "base_unit", "qualifier"]].values.tolist():
...     print(r)
['开展普法宣传', 120.0, '次', 120.0, '次', 'more_than']
['发放宣传资料', 1.4, '万份', 14000.0, '份', 'more_than']
"""

from __future__ import annotations

import bisect
import csv
import functools
import importlib.resources
import io
import operator
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Callable, Iterable

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = [
    "INDICATOR_COLUMNS",
    "AUDIT_COLUMNS",
    "AUDIT_CLASSES",
    "extract_indicators",
    "audit_numbers",
    "extract_indicators_and_audit",
    "indicator_codebook",
    "slogan_lexicon",
    "cn_to_number",
    "normalize_width",
    "compare_indicators",
    "indicator_density",
    "plot_indicator_density",
    "plot_indicator_categories",
    "plot_audit_classes",
]

#: Columns of :func:`extract_indicators`, in order.
INDICATOR_COLUMNS = [
    "doc_id", "part", "sentence", "quote", "subject", "value", "unit", "base_value",
    "base_unit", "qualifier", "kind", "indicator", "start", "end",
    "category", "value_max", "base_value_max",
]  # fmt: skip
#: Columns of :func:`audit_numbers`, in order.
AUDIT_COLUMNS = ["doc_id", "start", "end", "match", "class", "reason", "sentence"]
#: Every value of the audit ``class`` column.
AUDIT_CLASSES = [
    "indicator", "target", "per_capita", "year", "date", "heading", "slogan",
    "law_or_plan_name", "other",
]  # fmt: skip
#: Parts (``analysis.structure``) whose quantities are plans, i.e. targets.
_PLAN_PARTS = frozenset({"plans"})

# --------------------------------------------------------------------------- text form

# Full-width ASCII forms -> ASCII, ideographic / no-break spaces -> space. One character
# in, one character out, so offsets into the normalised text are offsets into the input.
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH.update({0x3000: 0x20, 0x00A0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20})
_WIDTH.update({0xFE6A: ord("%"), 0x2030: 0x2030})


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

_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
CN_DIGITS = "零〇一二两三四五六七八九"
CN_NUMERALS = CN_DIGITS + "十百千万亿"


def cn_to_number(s: str) -> int | float:
    """Convert a Chinese numeral (一千二百, 两, 二〇二三, 十二, 九十九点七) to a number.

    Digit strings without magnitude characters are read digit by digit (二〇二三 ->
    2023); the colloquial 一千二 means 1200. Raises ``ValueError`` for other input.

    Examples
    --------
    >>> [cn_to_number(s) for s in ["三", "两", "十二", "一千二百", "一千二", "一万二千", "二〇二三"]]
    [3, 2, 12, 1200, 1200, 12000, 2023]
    >>> cn_to_number("九十九点七")
    99.7
    """
    if not s:
        raise ValueError("empty numeral")
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


def _arabic_value(s: str) -> Decimal:
    return Decimal(s.replace(",", ""))


# --------------------------------------------------------------------------- resources


def _resource_text(name: str) -> str:
    return (importlib.resources.files("analysis") / "resources" / name).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def slogan_lexicon() -> pd.DataFrame:
    """The numeric-slogan lexicon ``resources/slogans.txt`` as a table.

    Returns
    -------
    pandas.DataFrame
        ``slogan``, ``rule`` (the rule it illustrates), ``origin``.

    Examples
    --------
    >>> "一岗双责" in set(slogan_lexicon()["slogan"])
    True
    """
    rows = []
    for line in _resource_text("slogans.txt").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            raise ValueError(f"slogans.txt: expected 3 tab-separated fields: {line!r}")
        rows.append(parts)
    return pd.DataFrame(rows, columns=["slogan", "rule", "origin"])


@functools.lru_cache(maxsize=1)
def indicator_codebook() -> pd.DataFrame:
    """The canonical-indicator codebook ``resources/indicators.csv`` as a table.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``label_zh``, ``label_en``, ``category`` (area of
        《法治政府建设实施纲要(2021-2025年)》), ``subject_pattern``, ``unit_pattern``,
        ``context_pattern`` (regexes; first matching row wins), ``example``.

    Examples
    --------
    >>> book = indicator_codebook()
    >>> book.loc[book["id"] == "enforcement_cases_filed", "label_zh"].item()
    '行政执法立案'
    """
    lines = [ln for ln in _resource_text("indicators.csv").splitlines() if not ln.startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    book = pd.DataFrame(list(reader))
    for col in ("subject_pattern", "unit_pattern", "context_pattern"):
        for pat in book[col]:
            re.compile(pat)  # fail loudly on a bad rule
    return book


@dataclass(frozen=True)
class _Rule:
    id: str
    category: str
    subject: re.Pattern[str]
    unit: re.Pattern[str] | None
    context: re.Pattern[str] | None


@functools.lru_cache(maxsize=1)
def _rules() -> tuple[_Rule, ...]:
    book = indicator_codebook()
    return tuple(
        _Rule(
            r.id,
            r.category,
            re.compile(r.subject_pattern),
            re.compile(r.unit_pattern) if r.unit_pattern else None,
            re.compile(r.context_pattern) if r.context_pattern else None,
        )
        for r in book.itertuples(index=False)
    )


@functools.lru_cache(maxsize=65536)
def _candidate_rules(subject: str, base_unit: str) -> tuple[_Rule, ...]:
    """Rules whose subject and unit patterns match (the sentence is checked after)."""
    out = []
    for rule in _rules():
        if rule.unit is not None and not rule.unit.search(base_unit):
            continue
        if rule.subject.search(subject):
            out.append(rule)
            if rule.context is None:
                break
    return tuple(out)


def _classify_indicator(subject: str, base_unit: str, sentence: str) -> tuple[str, str]:
    for rule in _candidate_rules(subject, base_unit):
        if rule.context is None or rule.context.search(sentence):
            return rule.id, rule.category
    return "other", "other"


# --------------------------------------------------------------------------- patterns

_N = "一二两三四五六七八九十"  # numerals that open a Chinese count
# An Arabic number: 1,234.5 | 80 | 4.3090 (digits only; thousands only with a unit, below)
_NUM = r"[0-9]+(?:\.[0-9]+)?(?![0-9])"
_NUM_THOUSANDS = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?(?![0-9])"

# Units after an Arabic number, longest first; each guarded against the word it starts,
# e.g. 处 in 3处 (places) but not in 3处理, 成 in 8成 (tenths) but not in 8成立.
_UNITS_AR = [
    "个百分点", "百分点", "个工作日", "工作日", "个月", "人次", "件次", "户次", "家次", "场次",
    "批次", "车次", "架次", "台次", "条次", "宗次", "期次", "个次", r"人\(次\)", r"场\(次\)", r"件\(次\)", "人/次", "平方公里", "平方千米",
    "平方米", "立方米", "平方", "公顷", "公里", "千米", "千克", "公斤", "学时", "课时", "小时",
    "分钟", "周岁", "%", "‰",
    "岁", "人(?![民大才事口格工社们力])", "名(?![义称单录])", "位(?![于置数列])", "户(?![籍口外型])",
    "家(?![庭属长风乡族])", "个", "件", "宗", "起(?![草诉步来点到始源因])", "次(?![性日])",
    "场(?![所地景馆])", "期(?![间限末初])", "条(?![例件款线])", "篇", "份", "处(?![理置罚分室长级于])",
    "项", "类", "轮", "支(?![持付出部])", "间(?![隔接断])", "所(?![以有在得属谓需])", "座", "栋",
    "套", "台(?![账阶湾])", "辆", "艘", "张", "本(?![地级单部市区人次])", "册", "块", "幅", "根",
    "棵", "株", "只", "头", "吨", "斤", "米", "亩", "美元", "元", "天", "周(?![年边末转])",
    "年(?![度代级龄限])", "级", "批", "部(?![门分署长队])", "节", "堂", "课", "讲", "笔", "例",
    "组", "页", "种", "倍", "成(?![立功为员果效本绩熟交都型就长品份分])",
    # 320卷 (case files), 3.2万单 (tickets)
    "卷(?![宗入烟])", "单(?![位元独项据一个纯])",
    "分(?![钟局院队公司之管类别析享配层级担解流工散批区中所站部会厂行])",
]  # fmt: skip
# Classifiers after a Chinese numeral (a narrower list: 三个环节, 两级, 八成, 三个月).
_UNITS_CN = [
    "个百分点", "个月", "人次", "场次", "个", "项", "级", "次(?![性日])", "场(?![所地景馆])",
    "名(?![义称单录])", "人(?![民大才事口格工社们力行])", "件", "宗", "份", "类", "批", "家(?![庭属长风乡族])",
    "期(?![间限末初])", "轮", "支(?![持付出部])", "条(?![例件款线])", "处(?![理置罚分室长级于])",
    "间(?![隔接断])", "座", "种", "位(?![于置数列一])", "户(?![籍口外型])", "年(?![度代级龄限])", "天",
    "周(?![年边末转])", "倍", "成(?![立功为员果效本绩熟交都型就长品份分])", "平方米", "元", "亩", "吨",
]  # fmt: skip
_UNIT_AR_RE = "|".join(_UNITS_AR)
_UNIT_CN_RE = "|".join(_UNITS_CN)
_MAG = r"千万|百万|万亿|亿|万|千(?![米克瓦])"
_RANGE_SEP = r"\s*(?:-|—|–|~|～|至|到)\s*"

# Master pattern, tried at each trigger position; the first alternative that matches wins.
# Every alternative that ends in digits is followed by (?![0-9]) so that a token never
# ends inside a digit run (the audit invariant: every digit run in exactly one row).
_ALT_SRC = [
        # 《法治政府建设实施纲要(2021-2025年)》: names of laws, plans, documents
        r"(?P<book>《[^《》\n]{0,120}》)",
        # “1310”, “三个清楚”, ‘法’, 「一站式」: quoted formulas
        r"(?P<quoted>“[^“”\n]{0,60}”|‘[^‘’\n]{0,40}’|「[^「」\n]{0,40}」|\"[^\"\n]{1,40}\")",
        # 〔2023〕5号, [2023]12号, 【2022】3号: document numbers
        r"(?P<docno>[〔\[【]\s*[0-9]{4}\s*[〕\]】]\s*(?:第\s*)?[0-9]+\s*号)",
        # (一) (1): heading numbers
        rf"(?P<hparen>\(\s*(?:[0-9]{{1,2}}|[{_N}]{{1,3}})\s*\))",
        # 2021-2025年 (2019年至2022年 is two year tokens)
        r"(?P<yrange>[0-9]{4}\s*(?:-|—|–|~|～)\s*[0-9]{4}\s*年度?)",
        # 2023年12月22日, 2023年3月, 2024-03-27 10:15:00, 12月22日, 10:57, 下午3时, 8月, 二〇二三年, 三月初
        r"(?P<date>[0-9]{4}\s*年\s*[0-9]{1,2}\s*月(?:\s*[0-9]{1,2}\s*[日号])?(?:份|初|底|末|上旬|中旬|下旬)?"
        r"|[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}(?![0-9])(?:\s*[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?(?![0-9]))?"
        r"|[0-9]{1,2}\s*月\s*[0-9]{1,2}\s*[日号](?!之)"
        r"|[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?(?![0-9])"
        r"|(?<=上午|下午|晚上|凌晨|早上|中午|傍晚)\s*[0-9]{1,2}\s*[时点](?:\s*[0-9]{1,2}\s*分)?(?![0-9])"
        r"|[0-9]{1,2}\s*[时点](?=\s*(?:[0-9]|前|后|整|许|半|至|到|—|-))(?:\s*[0-9]{1,2}\s*分)?(?![0-9])"
        r"|(?<![0-9.])[0-9]{1,2}\s*月(?:份|初|底|末|上旬|中旬|下旬)?(?![0-9])"
        r"|(?<![0-9.])[0-9]{1,2}\s*日(?![0-9])"
        r"|[二〇零一三四五六七八九]{4}年"
        rf"|(?<![{CN_NUMERALS}第])(?:十[一二]|[一二三四五六七八九十])月(?:份|初|底|末|上旬|中旬|下旬)?"
        r")",
        # 2023年, 2023年度
        r"(?P<year>[0-9]{4}\s*年度?)",
        # 二十大, 十九届四中全会, 二中、三中、四中全会: party congresses and plenums
        r"(?P<party>(?:十[一二三四五六七八九]|二十[一二三]?)"
        r"(?:大(?!队|会|战|行动|攻坚|工程|任务|项目|专项|举措|产业|重点|领域|类|板块|平台|体系|中心|亮点|特色|提升)"
        r"|届(?:[一二三四五六七八九]中(?:全会|、))*"
        # 省委十二届三次全会, 市十七届人大三次会议: sessions, not counts
        r"(?:[省市县区]?(?:人大|政协|人民代表大会|党代会|纪委|常委会)?(?:常委会)?[一二三四五六七八九十]+次"
        r"(?:全会|全体会议|会议|党代会|大会))?)"
        r"|[一二三四五六七八九]中(?:、[一二三四五六七八九]中)*全会)",
        # 60周年, 七十周年: anniversaries
        rf"(?P<anniv>[0-9]+\s*周年|[{_N}百]+周年)",
        # 大街13号之三, 13号楼: addresses
        rf"(?P<address>[0-9]+\s*号之\s*(?:[0-9]+|[{_N}]+)(?![0-9])|[0-9]+\s*(?:号楼|号院|幢|单元)|(?<=[路街巷道里弄])[0-9]+\s*号)",
        # 近3年, 近三个月, 5年来, 三年以来: time spans that frame a statement, not quantities
        rf"(?P<timespan>(?<=近|前)(?:[0-9]+(?![0-9])|[{_N}]+)\s*(?:个月|年|天|周)(?!度|级|[0-9])"
        rf"|(?<=最近|过去)(?:[0-9]+(?![0-9])|[{_N}]+)\s*(?:个月|年|天|周)(?!度|级|[0-9])"
        rf"|(?:[0-9]+(?![0-9])|[{_N}]+)\s*(?:个月|年|天|周)(?=来|以来)"
        # 连续三年获评: a run of years framing a statement
        rf"|(?<=连续)(?:[0-9]+(?![0-9])|[{_N}]+)\s*(?:个月|年|届|季度)(?!度|级|[0-9]))",
        # 三分之一, 3分之2: fractions (read as percentages)
        rf"(?P<frac>(?P<fd>[0-9]+(?![0-9])|[{CN_NUMERALS}]+)分之(?P<fn>[0-9]+(?:\.[0-9]+)?(?![0-9])|[{CN_NUMERALS}点]+))",
        # 三年行动, 百日攻坚, 十四五, 八五普法: campaign and plan names
        rf"(?P<plan>(?:[0-9]+|[{_N}百]+)\s*(?:年|日|天)\s*(?:行动|攻坚|计划|规划|专项|会战|大会战)"
        r"|十[一二三四五六七八九]五(?:规划|时期|期间)?|十五(?:规划|时期|期间)|[一二三四五六七八九]五(?=普法|规划))",
        # the lexicon of numeric slogans (resources/slogans.txt), longest first
        r"(?P<lexicon>{LEXICON})",
        # 1+23, 3+3, 1+N: numeric formulas
        rf"(?P<plus>(?:[0-9]+|[{_N}])(?:\s*[+＋]\s*(?:[0-9]+|[A-Za-z]|[{_N}])(?![0-9]))+)",
        # 一、 1. 1、 at a line start or after :;。 ; 一是, 二是 anywhere: heading numbers
        rf"(?P<hline>(?:^|(?<=[\n:;。]))[ \t]*(?:[0-9]{{1,2}}|[{_N}]{{1,3}})[ \t]*[、.．](?![0-9])"
        rf"|(?<![{CN_NUMERALS}统唯同第逐之其专合])[{_N}]{{1,3}}是(?![否非]))",
        # 一岗双责, 一案双罚, 三会一课, 一社区一法律顾问, 一轴两翼多点, 三位一体; 五个一
        rf"(?P<onex>(?<![进统唯同第逐万之其单专划均合归初])[{_N}]{{1,2}}"
        rf"(?:(?![{CN_NUMERALS}双多])[\u4e00-\u9fff]){{1,3}}?[一两双三四五六七八九十多]"
        rf"(?![个名件次项家处场位人])(?:(?![{CN_NUMERALS}])[\u4e00-\u9fff])"
        rf"|[两三四五六七八九十]个一(?![个名件次项家处场位人])"
        # 三项制度, 三项机制
        rf"|[{_N}]项(?:制度|机制)"
        # 四个意识, 两个维护 …: political formulas
        rf"|[{_N}]个(?:意识|自信|维护|确立|代表|务必|全面|清楚|不发生|坚持|没有变|统筹|必须|绝不|有利于)"
        # 四步法, 八字方针
        rf"|[{_N}]+(?:步法|步走|字诀|字方针|字法|字经|字工作法)"
        # 一站式, 一门式, 一网通办, 一窗受理, 一件事
        rf"|[{_N}](?:站|门|窗|线)式|一网(?:通办|统管|协同)|一窗(?:受理|通办)|一件事"
        # 三务公开, 三资, 三调联动, 三治融合, 三大攻坚战
        rf"|[{_N}]务(?:公开|合一)|[{_N}]资(?:管理|清理|监管|平台)?(?![\u4e00-\u9fff])"
        rf"|[{_N}多]调(?:联动|对接|合一)|[{_N}]治(?:融合|结合|合一)|[{_N}]大(?:攻坚战|战役|行动|工程|任务))",
        # 30-24机制: numbers joined by dashes, named as a mechanism
        r"(?P<dash>[0-9]+(?:\s*-\s*[0-9]+)+(?![0-9])(?=\s*(?:机制|模式|工作法|工作机制|体系|格局|法则|原则)))",
        # 12348热线, 12345, 020-83123456, 13812345678: hotlines and phones
        r"(?P<phone>0[0-9]{2,3}-[0-9]{7,8}(?![0-9])|1[3-9][0-9]{9}(?![0-9])|400-?[0-9]{3}-?[0-9]{4}(?![0-9])"
        r"|123[0-9]{2}(?![0-9.])(?!\s*(?:人|件|宗|次|个|名|条|份|元|万|余|多|%))"
        r"|[0-9]{3,5}(?![0-9])(?=\s*(?:热线|专线|服务热线|热线电话|服务电话|电话)))",
        # 05083207号-1, 44010502000066号, 4401050003: registration and site codes
        r"(?P<code>(?:0[0-9]{3,}|[0-9]{9,})(?![0-9])(?:\s*号(?:\s*-\s*[0-9]+(?![0-9]))?)?)",
        # 第3次, 第二批, 第一: ordinals
        rf"(?P<ordinal>第\s*(?:[0-9]+(?![0-9])|[{CN_NUMERALS}]+)(?:\s*(?:{{UNIT_CN}}|届|章|条|款|部分|季度|号|阶段))?)",
        # 5G, G20: alphanumeric codes
        r"(?P<alnum>[0-9]+[A-Za-z]+|[A-Za-z]+[0-9]+(?![0-9]))",
        # 24小时不间断: service hours, not a quantity of work
        r"(?P<hours>(?:7\s*[×x*]\s*)?24\s*小时(?=\s*(?:不间断|值班|值守|在线|服务|畅通|全天候|响应|运转|开放)))",
        # 百分之九十五, 百分之99
        rf"(?P<pct>百分之(?P<pct_n>[0-9]+(?:\.[0-9]+)?(?![0-9])|[{CN_NUMERALS}点]+))",
        # quantities with Arabic numbers: 80宗, 1.4万余份, 3-5次, 210.61万元, 99.7%, 1,234人
        rf"(?P<qar>(?P<n1>{_NUM_THOUSANDS}(?=\s*(?:余|多)?(?:{_MAG})?(?:余|多)?(?:{{UNIT_AR}}))|{_NUM})"
        # 3-5次, 300万~500万元 (a magnitude on both sides of the range)
        rf"(?:(?P<mag1>万|亿)(?={_RANGE_SEP}[0-9]))?(?:{_RANGE_SEP}(?P<n2>{_NUM}))?"
        rf"\s*(?P<qa>余|多)?(?P<mag>{_MAG})?(?P<qb>余|多)?"
        rf"(?:(?P<unit>{{UNIT_AR}})|(?<=[万亿])))",
        # quantities with Chinese numerals: 三个环节, 两级, 一千二百人, 八成, 十多个
        # (数十场, 几百人 are vague: no quantity; 近百场, 逾千人, 近万人次 are)
        rf"(?P<qcn>(?<![进统唯同逐万之其单专划均合归初数几])"
        rf"(?P<cn>[{CN_DIGITS}十][{CN_NUMERALS}]*|[百千万]+(?=余|多)|(?<=[近逾约超])[百千万])"
        rf"(?:(?:至|到|-|—|~)(?P<cn2>[{CN_DIGITS}十][{CN_NUMERALS}]*))?"
        rf"(?P<cqa>余|多)?(?P<cunit>{{UNIT_CN}}))",
        # anything else made of digits: 0, 12345 (no unit)
        r"(?P<bare>[0-9]+(?:\.[0-9]+)?(?![0-9]))",
]
# Which trigger characters each alternative can start at: d = digit, c = Chinese numeral,
# p = punctuation or 第. One pattern per kind keeps the alternatives tried at a position few.
_ALT_STARTS = {
    "book": "p", "quoted": "p", "docno": "p", "hparen": "p", "yrange": "d", "date": "dc", "year": "d",
    "party": "c", "anniv": "dc", "address": "d", "timespan": "dc", "frac": "dc", "plan": "dc",
    "lexicon": "c", "plus": "dc", "hline": "dc", "onex": "c", "dash": "d", "phone": "d", "code": "d",
    "ordinal": "p", "alnum": "d", "hours": "d", "pct": "c", "qar": "d", "qcn": "c", "bare": "d",
}  # fmt: skip
_GROUP_NAME_RE = re.compile(r"\(\?P<(\w+)>")


def _lexicon_words() -> list[str]:
    """The slogans of the lexicon, longest first (the order the pattern tries them in)."""
    return sorted(set(slogan_lexicon()["slogan"]), key=lambda w: (-len(w), w))


def _lexicon_re(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in words) or "(?!x)x"


def _alternatives() -> list[tuple[str, str]]:
    """(group name, source with the unit lists filled in) of each master alternative, in order."""
    out = []
    for src in _ALT_SRC:
        m = _GROUP_NAME_RE.match(src)
        if m is None or m.group(1) not in _ALT_STARTS:
            raise AssertionError(f"alternative without a known group: {src[:40]}")
        out.append((m.group(1), src.replace("{UNIT_AR}", _UNIT_AR_RE).replace("{UNIT_CN}", _UNIT_CN_RE)))
    return out


@functools.lru_cache(maxsize=1)
def _master() -> dict[str, re.Pattern[str]]:
    """The master patterns (by trigger kind) with the slogan lexicon compiled in, once."""
    lexicon = _lexicon_re(_lexicon_words())
    out = {}
    for kind in "dcp":
        pattern = "|".join(src for name, src in _alternatives() if kind in _ALT_STARTS[name])
        out[kind] = re.compile(pattern.replace("{LEXICON}", lexicon), re.MULTILINE)
    return out


# Positions where a token can start: digits, Chinese numerals, 《 “ ‘ 「 " 第 ( 〔 [ 【 百(分之)
_TRIGGER_CHARS = "0123456789" + CN_NUMERALS + '《“‘「"第(〔[【'
_TRIGGER_RE = re.compile("[" + "".join(re.escape(c) for c in _TRIGGER_CHARS) + "]")


def _trigger_kind(c: str) -> str:
    return "d" if c in _DIGIT_SET else "c" if c in _CN_NUMERAL_SET else "p"


@functools.lru_cache(maxsize=1)
def _master_by_char() -> dict[str, re.Pattern[str]]:
    """For each trigger character, the master pattern of its kind (:func:`_master`) without
    the alternatives that cannot match at a position holding that character.

    This is the pattern ``_tokens`` tries: at a position holding ``c`` it returns the same
    match as ``_master()[kind]``, because an alternative whose match must begin with another
    character fails there, and dropping failing alternatives changes neither which
    alternative (the first that matches) wins nor its groups. It is faster because many
    alternatives of the kind patterns begin with a narrower set of characters (only 百
    opens 百分之, only 2 and 7 open 24小时, 《 opens only a book name).
    """
    lexicon = _lexicon_re(_lexicon_words())
    alts = []
    for name, src in _alternatives():
        src = src.replace("{LEXICON}", lexicon)
        alts.append((name, src, _first_chars(src, _TRIGGER_CHARS)))
    compiled: dict[str, re.Pattern[str]] = {}  # (characters with the same alternatives share one)
    out = {}
    for c in _TRIGGER_CHARS:
        kind = _trigger_kind(c)
        pattern = "|".join(src for name, src, first in alts if kind in _ALT_STARTS[name] and c in first)
        pattern = pattern or "(?!x)x"
        if pattern not in compiled:
            compiled[pattern] = re.compile(pattern, re.MULTILINE)
        out[c] = compiled[pattern]
    return out


@functools.lru_cache(maxsize=1)
def _quantity_or_bare_master() -> re.Pattern[str]:
    """The digit master with only its last two alternatives, qar and bare, behind a
    look-ahead of _SHORT_RUN_RE: where that holds, the same match as the full master (bare
    matches at any digit, so this fails exactly where _SHORT_RUN_RE does)."""
    alternatives = "|".join(src for name, src in _alternatives() if name in ("qar", "bare"))
    return re.compile(f"(?={_SHORT_RUN_RE.pattern})(?:{alternatives})", re.MULTILINE)


# Characters after a run of digits that some alternative tried before qar needs there:
# 月 日 时 点 : of dates, 、 . ． of headings, 年 个 天 周 届 季 of time spans, 周(年), 号 幢 单(元)
# of addresses, 分(之), - ~ / + × * of ranges and formulas, 热 专 服 电 of hotlines, 小(时).
_DIGIT_RUN_NEXT = frozenset("-—–~～/.:、．+＋×*年月日时点周号幢单个天届季分热专服电小")


# Matches at a digit where only the alternatives qar and bare can match. Every alternative
# tried before qar at a digit needs, from there, a run of 4 or more digits (years, dates,
# phone numbers, codes) or, right after the run, a space, an ASCII letter (5G), a character
# of _DIGIT_RUN_NEXT, or a "." not followed by a digit (1. heading; 1.5 is a decimal). A
# shorter run followed by anything else (80宗, 1.4万, 300余) leaves qar and bare, so the common
# quantity skips ~15 alternatives that would fail (tests/test_indicators.py checks this
# against the full patterns on generated text).
_SHORT_RUN_RE = re.compile(
    "[0-9]{1,3}(?![0-9])(?:\\.(?=[0-9])|(?![\\sA-Za-z" + "".join(re.escape(c) for c in sorted(_DIGIT_RUN_NEXT)) + "]))"
)


def _first_chars(src: str, chars: str) -> frozenset[str]:
    """The characters of ``chars`` at which a match of the regex ``src`` can begin.

    Conservative: all of ``chars`` when :func:`_first_char_re` cannot tell.
    """
    first = _first_char_re(src, re.MULTILINE)
    return frozenset(c for c in chars if first is None or first.fullmatch(c))


def _first_char_re(src: str, flags: int = 0) -> re.Pattern[str] | None:
    """A pattern for one character that accepts every character a match of ``src`` can
    begin with (and maybe more), or None when any character may begin one.

    None (no filtering) when the pattern can match the empty string, when it uses a
    construct this walk does not know, or when ``re``'s parser is not available.
    Zero-width assertions (look-arounds, ``^``) are skipped over, which can only add
    characters. Used to skip regex calls that provably cannot match (see the callers).
    """
    try:
        from re import _compiler as sre_compile  # noqa: PLC0415 (private, so optional)
        from re import _constants as sre
        from re import _parser as sre_parse
    except ImportError:  # pragma: no cover
        return None
    repeats = {sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT)}

    def first(seq: Iterable[tuple[object, object]]) -> tuple[list[object], bool] | None:
        """(the single-character items a match of ``seq`` can begin with, whether it can
        match the empty string), or None for a construct not handled here."""
        items: list[object] = []
        for op, av in seq:
            sub: tuple[list[object], bool] | None
            if op in (sre.LITERAL, sre.NOT_LITERAL, sre.IN, sre.ANY):
                return items + [(op, av)], False
            if op is sre.BRANCH:
                subs = [first(alt) for alt in av[1]]  # type: ignore[index]
                if any(s is None for s in subs):
                    return None
                sub = ([i for s in subs for i in s[0]], any(s[1] for s in subs))  # type: ignore[index]
            elif op is sre.SUBPATTERN and not av[1] and not av[2]:  # type: ignore[index]
                sub = first(av[3])  # type: ignore[index]  # (a group without inline flags)
            elif op in repeats:
                sub = first(av[2])  # type: ignore[index]
                if sub is not None and av[0] == 0:  # type: ignore[index]
                    sub = (sub[0], True)
            elif op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
                sub = ([], True)  # zero width
            else:
                return None
            if sub is None:
                return None
            items += sub[0]
            if not sub[1]:
                return items, False
        return items, True

    try:
        parsed = sre_parse.parse(src, flags)
        found = first(parsed)
        if found is None or found[1] or not found[0]:
            return None
        branch = (sre.BRANCH, (None, [sre_parse.SubPattern(parsed.state, [item]) for item in found[0]]))
        return sre_compile.compile(sre_parse.SubPattern(parsed.state, [branch]), parsed.state.flags)
    except Exception:  # pragma: no cover - an unknown parser version: do not filter
        return None


_CLASS_OF_GROUP = {
    "book": ("law_or_plan_name", "name of a law, plan or document in 《》"),
    "quoted": ("slogan", "inside quotation marks"),
    "docno": ("other", "document number"),
    "hparen": ("heading", "heading number"),
    "yrange": ("year", "year range"),
    "date": ("date", "date or time"),
    "year": ("year", "year"),
    "party": ("other", "party congress or plenum"),
    "anniv": ("other", "anniversary"),
    "address": ("other", "address"),
    "plan": ("law_or_plan_name", "campaign or plan name"),
    "lexicon": ("slogan", "slogan lexicon"),
    "plus": ("slogan", "N+N formula"),
    "onex": ("slogan", "numeric slogan pattern"),
    "dash": ("slogan", "N-N formula without a unit"),
    "phone": ("other", "hotline or phone number"),
    "code": ("other", "registration or site code"),
    "ordinal": ("other", "ordinal"),
    "timespan": ("other", "time span (近3年, 三年来)"),
    "hline": ("heading", "heading number"),
    "alnum": ("other", "alphanumeric code"),
    "hours": ("other", "service hours"),
    "bare": ("other", "number without a unit"),
}
_QUANTITY_GROUPS = ("qar", "qcn", "pct", "frac")
_CN_NUMERAL_SET = frozenset(CN_NUMERALS)
_DIGIT_SET = frozenset("0123456789")

# Qualifiers written before the number (searched at the end of the 6 characters before it),
# e.g. 逾八成, 超过1.4万人, 近7200, 约100亩, 不少于15学时, 不超过3天.
_PRE_QUALIFIER_RE = re.compile(
    r"(?:(?P<at_least>不少于|不低于|不下于|至少|最少)|(?P<at_most>不超过|不多于|不高于|至多|最多|不足|不到)"
    r"|(?P<more_than>超过|多于|高于|大于|突破|逾|超)|(?P<nearly>将近|接近|近乎|(?<![最附靠临接将])近)"
    r"|(?P<about>大约|大概|大致|(?<![节制签预公契条合邀相民履违特践守毁如赴誓盟租解续要立])约))\s*$"
)
# The same adverbs with a verb between them and the number: 每月至少开展1次, 至少有2名 (the verb
# stays in the subject)
_PRE_GAP_QUALIFIER_RE = re.compile(
    r"(?:(?P<at_least>不少于|至少|最少)|(?P<at_most>至多|最多))(?:(?![的是在])[\u4e00-\u9fff]){1,4}$"
)
# Qualifiers written after the unit: 80%以上, 30%左右, 3天以内
_POST_QUALIFIER_RE = re.compile(r"\s*(?:(?P<more_than>以上|有余)|(?P<about>左右)|(?P<at_most>以内|之内|以下))")
# Pre-checks that let _quantity_token skip the three qualifier regexes where they cannot
# match (most numbers have no qualifier). A match of _PRE_QUALIFIER_RE ends (before
# trailing spaces) with one of these characters: the last characters of its words.
_PRE_QUALIFIER_LAST = frozenset("于少过多足到破逾超近乎约概致")
# _POST_QUALIFIER_RE begins with a space (\s, i.e. str.isspace) or 以 有 左 之
_POST_QUALIFIER_FIRST = "以有左之"


def _may_gap_qualify(window: str) -> bool:
    """Whether _PRE_GAP_QUALIFIER_RE can match in ``window``: its words hold 至, 最 or 不少于."""
    return "至" in window or "最" in window or "不少于" in window


_TIME_UNITS = frozenset({"个月", "月", "天", "日", "年", "周", "小时", "分钟", "工作日", "个工作日"})
_POST_WITHIN_RE = re.compile(r"\s*内(?![容部外地涵设在])")

# Per-unit rules: 每位执法人员每季度…, 每个社区至少1名, 人均, 户均
_PER_UNIT_RE = re.compile(r"每|人均|户均|平均每|场均|年均")
# Targets: goals and requirements (目标, 力争, 确保 …) in the clause around the number
# (计划开展 is a plan, 铸剑计划 a name; 争取上级资金2.3亿元 is money obtained, a result)
_PLAN_VERB = r"(?=于|在|到|开展|完成|举办|组织|新建|建成|实施|投入|新增|培训|招录|引进|出台|制定|修订|办理|召开|发放|建设|打造|培育)"
_NOT_FUNDS = r"(?!上级|资金|专项|项目|政策|中央|省|市级|国家|各级|各类|财政|债券|补助|奖补|到位)"
# (不符合要求的规定, 按要求: 要求 as a noun is no target; the look-behinds stand after 要 so
# that every alternative opens with a character, which lets the search skip to those
# characters: (?<!符合)要求 and 要(?<!符合要)求 match the same text)
_TARGET_PRE_RE = re.compile(
    rf"目标|力争|争取{_NOT_FUNDS}|确保|要(?<!符合要|按照要|根据要|达到要|满足要|工作要|有关要|相关要|上级要|规定要|文件要)(?<!按要)求(?!的)|预计|拟(?!定|稿)|将要|指标|任务是|必须|应当|计划{_PLAN_VERB}|有望"
)
# Sentence-level goal words before the number: 力争到2025年,…达到15%以上
# 下一步,将新建…20个; 明年计划…
_TARGET_SENT_RE = re.compile(
    rf"力争|争取{_NOT_FUNDS}|目标是|目标为|预计|到20[0-9]{{2}}年(?:底|末)?[,,]|下一步|下一年度?|明年|来年|今后"
)
# A sentence that opens with a requirement: 确保…达到100%,…控制在5%以内
_TARGET_OPEN_RE = re.compile(r"(?:确保|要求|力争|争取到)(?!了)")
_TARGET_OPEN_FIRST = "确要力争"  # (its words' first characters: a pre-check)
_TARGET_POST_RE = re.compile(r"^[^,;。]{0,12}?(?:目标|要求|指标)")

_BOUNDARY = frozenset(",;:!?。\n")


def _is_boundary(t: str, i: int) -> bool:
    """Whether ``t[i]`` ends a clause; the comma of 1,236 (digits on both sides) does not."""
    c = t[i]
    if c not in _BOUNDARY:
        return False
    if c == "," and 0 < i < len(t) - 1 and t[i - 1] in _DIGIT_SET and t[i + 1] in _DIGIT_SET:
        return False
    return True

# --------------------------------------------------------------------------- subjects

# Verbs with which a counted activity starts (to drop an actor or a 对-phrase before it),
# e.g. 我街共对各类违法行为|立案80宗 -> 立案.
_VERBS = (
    "开展|举办|组织|召开|办理|受理|调处|化解|出具|审查|审核|审议|研究|发放|派发|提供|参与|参加|完成|接收|接待|"
    "处理|收集|解答|整治|整改|立案|作出|做出|发布|发出|签订|悬挂|约谈|指导|发送|帮扶|采集|走访|拆除|查获|查处|"
    "摸查|排查|检查|抽查|清查|巡查|传达|印发|制定|推进|建成|建立|成立|举行|协助|代理|编印|培训|聘请|设立|"
    "配备|新增|收到|征集|录入|处置|上报|回访|调解|挽回|减免|获得|申报|引进|帮助|促成|评选|获评|办结|实施|"
    "推送|推文|播放|张贴|制作|印制|讲授|授课|承办|回复|答复|公开|公示|备案|清理|修订|起草|出动|投入|培育|"
    "打造|落实|督办|督查|督促|通报|表彰|命名|创建|下沉|结案|胜诉|败诉|出庭|应诉|审结|录制|刊发|报送|转办|"
    "列席|出席|不予|予以|给予|减轻|从轻|免予|责令|移送|没收|吊销|暂扣|查扣|取消|废止|修改|讨回|追回|追缴|"
    "聘用|招录|选派|派驻|接听|接入|归集|梳理|公布|新建|覆盖|惠及|安置|评查|旁听|发生|收缴|督导|"
    "慰问|救助|听取|牵头|查办|下达|下发|制发|抓拍|开设|开通|判决|裁定|调取|核发|颁发|下放|抽调|选调|"
    "接受|派出|纠正|罚款"
)
# Leading time words, actors and adverbs that are not part of what is counted.
_ACTOR_NEXT = (
    r"在今年|今年|全年|共|累计|先后|已|均|成功|积极|主动|及时|依法|持续|深入|妥善|高效|针对|依托|围绕|"
    r"通过|对|向|为|与|在|将|现有|共有|拥有|专题|联合|会同|带头|牵头"
)
_LEAD_RES = [
    # 截至目前, 截止2023年10月底, 自2023年3月成立以来
    re.compile(r"^(?:截至|截止)(?:目前|今年|[0-9]{4}年)?(?:[0-9]{1,2}月)?(?:底|末)?"),
    re.compile(r"^自[^,]{0,14}?以来"),
    # 三月初至六月, 2023年3月至5月, 8月以来: dates opening the clause
    re.compile(
        r"^(?:[0-9]{4}年)?(?:[0-9]{1,2}|十[一二]|[一二三四五六七八九十])月(?:份|初|底|末|上旬|中旬|下旬)?(?:[0-9]{1,2}日)?"
        r"(?:(?:至|到|-|—)(?:[0-9]{4}年)?(?:[0-9]{1,2}|十[一二]|[一二三四五六七八九十])月(?:份|初|底|末|上旬|中旬|下旬)?"
        r"(?:[0-9]{1,2}日)?)?(?:以来|期间|起)?"
    ),
    # 2023年, 今年以来, 全年, 目前, 其中, 共, 累计 …
    re.compile(
        r"^(?:[0-9]{4}年度?(?:[0-9]{1,2}月(?:份)?)?|今年以来|今年来|今年|去年|全年|本年度|本年|年内|当年|上半年|下半年|"
        r"一年来|近年来|近年|目前|现(?=我|本)|至今|此外|另外|同时|其中|期间|累计|共计|总计|合计|"
        r"共(?!建(?!成|立|设)|[治享同识融商赢济产青性])|先后|已经|已|均(?!衡)|并(?!联|购)|还(?!原)|全部|分别|期内|同期|本期|"
        r"在今年|在本年度|在年内|保证|确保|力争|争取(?=到|在|于|实现|达到)|预计|计划|要求|拟|"
        r"现有|共有)"
    ),
    # 全市|受理, 在全市|设立, 全区各级行政机关共|发生: a scope before the verb
    re.compile(
        r"^在?(?:全[省市区县镇乡街]|全街道|辖区内?|本[省市区县镇乡])(?:范围内|各级[\u4e00-\u9fff]{0,6}?)?"
        f"(?=(?:共|累计|依法|先后|已|率先|首次|全面)?(?:{_VERBS}))"
    ),
    # 一季度、二季度、三季度分别|办理; 在门户网站|开设专栏
    re.compile(
        r"^(?:(?:第?[一二三四1-4]季度|前三季度|上半年|下半年)(?:、|和|及)?)+(?:分别|共|累计)?"
        f"|^在[^,]{{1,10}}?(?:上|中|内|里|网站|平台|公众号|期间|范围内|层面)(?=(?:{_VERBS}))"
    ),
    # 我街, 我局, 本单位
    re.compile(r"^(?:我|本)(?:单位|中心|[街局区镇市县乡委办所院队司厅部处])"),
    # 观湖街道|成功调处, 社区法律顾问|开展, 驻街法律顾问|参与: an actor before the activity
    re.compile(
        f"^(?!{_VERBS})"
        r"(?:[\u4e00-\u9fff]|\([^()]{0,10}\)){0,14}?(?:街道办事处|街道办|街道|办事处|司法局|司法所|执法队|中队|大队|局|所|"
        r"站点|团队|律师|顾问|中心|委员会|小组|调解组织|经济组织|社会组织|自治组织|党组织|法院|检察院|政府|部门|机关|机构|系统|书记|主任|"
        r"[^增成延助擅生]长|[^大]队|街区|街)"
        # (not before a rate named after a verb: 法律顾问|覆盖率; not before 出庭: 县长出庭应诉 is the indicator)
        f"(?=(?:{_ACTOR_NEXT})|(?!出庭)(?:一审|二审|再审)?(?:{_VERBS})(?![率比]))"
    ),
    # adverbs: 持续, 积极, 深入 …
    re.compile(
        # (主动公开, 及时受理率 are terms: 主动|公开政府信息 and 及时|办理检察建议书 are adverbs)
        r"^(?:持续|积极|深入|切实|主动(?=[\u4e00-\u9fff]{3})|及时(?![\u4e00-\u9fff]{1,3}率)|认真|扎实|大力|全力|不断|进一步|依法|妥善|高效|按规定|定期|共同|累计|"
        r"共计|先后|已经|已|均(?!衡)|并(?!联|购)|还(?!原)|又|再|率先|首次|(?:至少|最少|至多|最多)有?)"
    ),
]
# Internal markers after which the counted activity starts: 我街共|立案, 获得…累计|获得
# Lead patterns that may consume the whole text (其中|1家实行…, 目前|全街15个社区)
_LEAD_FULL = frozenset({0, 1, 2, 3, 8})
_LEAD_ACTOR = 7
_RATE_END_RE = re.compile(r"(?:率|占比|比例|比重)$")
_LEAD_CONNECTOR_RE = re.compile(r"^(?:[、,;:\s]+|以及|和|与|及(?!时|早|格))")
_PER_HEAD_VERB_RE = re.compile(f"(?:人均|户均)(?=(?:{_VERBS})(?![^,]*[数量率额比]))")
# A pivot verb before a scope and the number: 推动|全市128个部门…纳入清单, 督促|12家企业完成整改
_PIVOT_RE = re.compile(
    r"^(?:推动|督促|指导|引导|带动|促使|动员|帮助)(?=(?:全[省市区县镇乡街]|全街道|辖区|各)?[\u4e00-\u9fff]{0,3}$)"
)
# In a phrase that runs into the next number, where the next subject starts: 16个村…委员会|共排查…1,024起
# (a total word first; else a verb that does not name a body: 人民调解委员会, 执法人员 are nouns)
_NEXT_TOTAL_RE = re.compile(r"共计|总计|合计|累计|(?<![公总合])共(?!建(?!成|立|设)|[治享同识融商赢济产青性])")
_NEXT_VERB_RE = re.compile(
    f"(?:{_VERBS})(?!委员会|员|人员|中心|组织|机构|室|站|所|队|小组|平台|机制|工作室|服务|案件|事项|率)"
)
_POST_GOAL_RE = re.compile(r"^(?:工作)?(?:目标|要求|标准|任务|指标|大关|关口)")
_SPLIT_RE = re.compile(
    r"(?:共计|总计|合计|累计|共有|(?<![公总合])共(?!建(?!成|立|设)|[治享同识融商赢济产青性])|全年|今年以来|今年|本年度|年内|先后|其中)"
)
# Trailing words that join the subject to the number: 共, 达到, 为, 了, 的 …
_TRAIL_RE = re.compile(
    r"(?:共计|总计|合计|累计|共有|(?<!公)共|达到了|达到|高达|多达|(?<![传表送通下抵直转雷豁畅发])达|分别为|分别是|分别|"
    r"(?<=[率数额量度值别例重比限间长积])[为是]|进行了|进行|"
    r"(?:提升|提高|增长|增加|上升|下降|减少|降低|发展|扩大|扩充|精简|缩减|调整)(?:到|至)|[增升降]至|已经?有|"
    r"(?<=[\u4e00-\u9fff])(?:压缩|缩短|缩减|减少|降低|提高|提升|控制|稳定|保持|维持)(?:在|到|至)|"
    r"(?<=[率数额量度值比])(?:保持|维持)|(?<![人户平场年])均(?:为|是|在|达到?|有)?|人民币|"
    r"预计|有望|将|计划|连续|"
    r"(?<=[共现拥已尚还仍均])有|占|为期|了|的|等|和|及|与|、|平均|人均|\s)$"
)
# 流转率从0逐步提升到|30%: the subject is what comes before 从
_FROM_TO_RE = re.compile(r"^(?P<subj>[^,]+?)(?:从|由)[^,]*?(?:到|至)$")
# 调解成功率达到了试点方案要求|超过20%: the subject is what reaches the requirement
_REACH_RE = re.compile(r"^(?P<subj>[^,]+?)(?:达到了?|达|实现)[^,]{0,12}?(?:要求|标准|目标)的?$")
# A preposition without its own object: 依托|两级平安建设中心, 对|338名…, 将|3类…
_PREP_ONLY_RE = re.compile(
    r"^(?:依托|针对|围绕|根据|按照|依据|通过|结合|利用|借助|对|向|在|将|把|与|从|按|据|经|由|就|给|为|同|跟)$"
)
_LEAD_PREP_RE = re.compile(r"^(?:依托|针对|围绕|根据|按照|依据|通过|结合|利用|借助|将|把)(?=[\u4e00-\u9fff])")
# 对各类违法行为|立案, 围绕法治建设工作|组织召开: a preposition phrase before the activity's verb
_DUI_RE = re.compile(f"^(?:对|围绕|针对|按照|依据|根据|结合|通过|依托|利用)[^,]{{1,24}}?(?=(?:{_VERBS}))")
# Per-unit phrases removed from subjects: 每位执法人员每季度|接受, 每月平均|上报
_PER_UNIT_PHRASE_RE = re.compile(
    r"每(?:位|个|名|家|户|所|间|一)?[\u4e00-\u9fff]{0,6}?"
    r"(?:人员|人|社区|村|居|单位|企业|部门|机关|乡镇|镇|乡|街道|县|区|市|网格|小区|学校|队|所|站|季度|月|年|周|天|日|"
    r"星期|学期|半年|次)(?:\([^()]{0,8}\))?(?:平均)?"
)
# After a verb + number, a new predicate ends the counted thing: 规划约100亩|工业园|进行升级改造
_POST_STOP_RE = re.compile(
    r"进行|实行|位于|正在|顺利|成功|完成|担任|参与|结对|下沉|已|均|全部|建立|实现|达到|开展|成为|纳入|列入|作为|为|与|并|以"
)
_PIVOT_END_RE = re.compile(r"(?:推动|督促|指导|引导|带动|促使|动员|帮助|组织|邀请|发动|要求)$")
_RATE_UNITS = frozenset({"%", "‰", "成"})
_FROM_TO_LINK_RE = re.compile(
    r"^(?:逐步|逐年|进一步|大幅)?(?:提高|提升|增加|增长|上升|下降|减少|降低|压缩|缩短|扩大|发展|精简|缩减|调整)(?:到|至)$"
)
# 事项由|6,015项精简至4,872项, 配备率从|60%提高到100%: 由/从 opens a change, not the subject
_FROM_AHEAD_RE = re.compile(
    r"(?:逐步|逐年|进一步|大幅)?(?:提高|提升|增加|增长|上升|下降|减少|降低|压缩|缩短|扩大|发展|精简|缩减|调整)?(?:到|至)"
)
_POST_START_VERB_RE = re.compile(f"(?:{_VERBS}|建设|用于)")
_LINK_ONLY_RE = re.compile(r"^(?:保持|稳定|控制|持续)(?:在|为|于)?$|^(?:达到?|为|是)$")
_LINK_ONLY_FIRST = "保稳控持达为是"  # (its words' first characters: a pre-check)
_TOTAL_ONLY_RE = re.compile(r"^\s*(?:累计|总计|合计|共计|总数|总量)(?:达到?|为|有)?\s*$")
_SHARE_ONLY_RE = re.compile(r"^\s*(?:约|仅|分别)?占(?:比|比例|总数|总量|全部)?(?:的)?(?:约|达|为)?\s*$")
_CONNECTOR_ONLY_RE = re.compile(r"^[、,和及与以等\s]*$")
_SCOPE_ONLY_RE = re.compile(r"^(?:全[街区市县镇乡省]|辖区|全年|全街道|各[\u4e00-\u9fff]{1,3})$")
# Tokens that end the text searched for a subject (a heading or an ordinal is not subject)
_BOUND_GROUPS = frozenset({"hparen", "hline", "party", "docno", "code", "ordinal", "timespan"})
# Tokens a post-number phrase may run through: 开展12次|“五个一”融合社区活动
_PASS_GROUPS = frozenset({"book", "quoted", "lexicon", "onex", "plus", "plan", "dash"})


@dataclass(slots=True)
class _Token:
    start: int
    end: int
    group: str
    cls: str
    reason: str
    # quantity fields (only for quantities)
    value: Decimal | None = None
    value_max: Decimal | None = None
    unit: str = ""
    mag: str = ""
    qualifier: str = ""
    qstart: int = 0  # start including a prefix qualifier


def _unit_base(unit: str) -> tuple[str, int]:
    """Base unit and power-of-ten factor for a written unit (without magnitude)."""
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


_MAG_FACTOR = {k: Decimal(v) for k, v in {"": 1, "万": 10_000, "亿": 100_000_000, "千": 1_000,
               "百万": 1_000_000, "千万": 10_000_000, "万亿": 10**12}.items()}  # fmt: skip


def _tokens(t: str) -> list[_Token]:
    """Tokenise the numerals of normalised text ``t`` (left to right, non-overlapping)."""
    master_of = _master_by_char()
    short = _quantity_or_bare_master()
    out: list[_Token] = []
    append = out.append
    pos = 0
    trig = _TRIGGER_RE.search
    while True:  # (a search from pos >= len(t) finds nothing)
        m = trig(t, pos)
        if m is None:
            break
        i = m.start()
        c = t[i]
        mm = None
        if c in _DIGIT_SET:  # the common short number first (one call where it applies)
            mm = short.match(t, i)
        if mm is None:
            mm = master_of[c].match(t, i)
        if mm is None:
            pos = i + 1
            continue
        e = mm.end()
        if e == i:
            pos = i + 1
            continue
        group = mm.lastgroup or ""
        if group in _QUANTITY_GROUPS:
            tok = _quantity_token(t, mm, group)
        elif group in _PLAIN_GROUPS:  # the common case (1、 (一) 2023年 …), as _token_from_match
            cls, reason = _CLASS_OF_GROUP[group]
            tok = _Token(i, e, group, cls, reason, qstart=i)
        else:
            if group not in _CLASS_OF_GROUP:
                # a named sub-group (n1, unit …) can be lastgroup; find the top-level alternative
                # (a master pattern holds only some alternatives: skip groups it lacks)
                names = mm.re.groupindex
                for g in _QUANTITY_GROUPS:
                    if g in names and mm.group(g) is not None:
                        group = g
                        break
            tok = _token_from_match(t, mm, group)
        if tok is not None:
            append(tok)
        pos = e
    return out


_NUMERAL_RE = re.compile(f"[0-9{CN_NUMERALS}]")
_DIGIT_RE = re.compile("[0-9]")


def _has_numeral(s: str) -> bool:
    return _NUMERAL_RE.search(s) is not None


def _token_from_match(t: str, mm: re.Match[str], group: str) -> _Token | None:
    s, e = mm.span()
    if group in _QUANTITY_GROUPS:
        return _quantity_token(t, mm, group)
    cls, reason = _CLASS_OF_GROUP[group]
    if group in _CHECKED_GROUPS:  # (the other groups are tokens as matched)
        text = mm.group(0)
        if group in ("book", "quoted"):
            if not _has_numeral(text[1:-1]):
                return None
            if group == "quoted" and _PHONE_IN_QUOTES_RE.fullmatch(text[1:-1]):
                cls, reason = "other", "hotline or phone number"
        elif group == "ordinal" and _DIGIT_RE.search(text) is None:
            # 第一责任人, 第二批: Chinese ordinals are audited only with a classifier
            if len(text) <= 1 or text[-1] in _CN_NUMERAL_SET:
                return None
        elif group == "lexicon" and not _has_numeral(text):
            return None
    return _Token(s, e, group, cls, reason, qstart=s)


_CHECKED_GROUPS = frozenset({"book", "quoted", "ordinal", "lexicon"})
# Groups whose match is a token as it stands
_PLAIN_GROUPS = frozenset(_CLASS_OF_GROUP) - _CHECKED_GROUPS


# “12345”, “12348热线”, “020-12345678” in quotation marks are hotlines, not slogans
_PHONE_IN_QUOTES_RE = re.compile(r"(?:123[0-9]{2}|[0-9]{3,5}(?:热线|专线|服务热线)|0[0-9]{2,3}-[0-9]{7,8})(?:热线|专线)?")


def _quantity_token(t: str, mm: re.Match[str], group: str) -> _Token | None:
    s, e = mm.span()
    value: Decimal
    value_max: Decimal | None = None
    unit = mag = qualifier = ""
    if group == "frac":
        try:
            parts = []
            for g in ("fd", "fn"):
                raw = mm.group(g)
                parts.append(_arabic_value(raw) if raw[0] in _DIGIT_SET else Decimal(str(cn_to_number(raw))))
            if parts[0] == 0:
                raise ValueError("zero denominator")
        except (ValueError, InvalidOperation):
            return _Token(s, e, group, "other", "unreadable numeral", qstart=s)
        value = (parts[1] / parts[0] * 100).quantize(Decimal("0.01"))
        unit = "%"
    elif group == "pct":
        raw = mm.group("pct_n")
        try:
            value = _arabic_value(raw) if raw[0] in _DIGIT_SET else Decimal(str(cn_to_number(raw)))
        except (ValueError, InvalidOperation):
            return _Token(s, e, group, "other", "unreadable numeral", qstart=s)
        unit = "%"
    elif group == "qar":
        n1, n2, g_mag, mag1, g_unit, qa, qb = mm.group("n1", "n2", "mag", "mag1", "unit", "qa", "qb")
        value = _arabic_value(n1)
        if n2:
            value_max = _arabic_value(n2)
        mag = g_mag or ""
        if mag1 and mag1 != mag:
            return _Token(s, e, group, "other", "unreadable range", qstart=s)
        unit = g_unit or ""
        if not unit and not mag:
            return _Token(s, e, group, "other", "number without a unit", qstart=s)
        if qa or qb:
            qualifier = "more_than"
        # 3年 after a 4-digit number is a year (caught earlier); 1-3 digits + 年 is a duration
    else:  # qcn
        cn, cn2, unit, cqa = mm.group("cn", "cn2", "cunit", "cqa")
        if cn[-1] in "万亿":
            # 十万人 -> 10 万人; 万余人, 近万人次 -> 1 万人(次)
            cn, mag = (cn[:-1] or "一"), cn[-1]
        if len(cn) > 1 and all(c in _CN_DIGIT for c in cn):
            return None  # 统一一个, 一一: a run of digits only is a year or nothing
        try:
            number = cn_to_number(cn)
        except ValueError:
            return None
        value = Decimal(number)
        if cn2:
            try:
                value_max = Decimal(cn_to_number(cn2))
            except ValueError:
                return None
        if cqa:
            qualifier = "more_than"
        prev = t[s - 1] if s > 0 else ""
        if cn == "一" and not mag:
            # 一次性, 一项长期的工作, 一起: 一 is an article unless a per-unit rule (每季度开展一场)
            if prev == "每" or not _PER_UNIT_RE.search(_clause_before(t, s)):
                return None
        if cn == "二" or prev in _CN_NUMERAL_SET or prev == "第":
            return None  # 二次, 二级 are ordinal-like (a count of two is written 两)
    # a qualifier written before the number: 逾, 超过, 近, 约, 不少于, 不超过 …
    qstart = s
    pre = t[max(0, s - 6) : s]
    # (the pre-checks below only skip regex calls that cannot match: see _PRE_QUALIFIER_LAST)
    pq = _PRE_QUALIFIER_RE.search(pre) if pre.rstrip()[-1:] in _PRE_QUALIFIER_LAST else None
    if pq:
        qualifier = pq.lastgroup or qualifier
        qstart = s - (len(pre) - pq.start())
        while qstart < s and t[qstart].isspace():
            qstart += 1
    elif not qualifier and _may_gap_qualify(t[max(0, s - 9) : s]):
        gq = _PRE_GAP_QUALIFIER_RE.search(t, max(0, s - 9), s)
        if gq:  # 每月至少开展1次: the verb between stays in the subject
            qualifier = gq.lastgroup or ""
    after = t[e : e + 1]
    post = _POST_QUALIFIER_RE.match(t, e) if after in _POST_QUALIFIER_FIRST or after.isspace() else None
    if post and post.lastgroup:
        if not pq:  # 近7200余人次: the word before the number governs
            qualifier = post.lastgroup
        e = post.end()
    elif unit in _TIME_UNITS:
        within = _POST_WITHIN_RE.match(t, e)  # 两个月内, 5个工作日内: a time limit
        if within:
            if not pq:
                qualifier = "at_most"
            e = within.end()
    return _Token(s, e, group, "indicator", "", value, value_max, unit, mag, qualifier, qstart)


def _clause_before(t: str, pos: int, limit: int = 60) -> str:
    """Text from the start of the clause holding ``pos`` up to ``pos`` (bounded)."""
    lo = max(0, pos - limit)
    i = pos - 1
    while i >= lo and not (t[i] in _BOUNDARY and _is_boundary(t, i)):
        i -= 1
    return t[i + 1 : pos]


# The characters the clause scans below stop at (the others they step over one by one):
# the regexes find them in C instead of a Python loop over every character.
_CLAUSE_MARK_RE = re.compile("[,;:!?。\n()]")  # the next one
_LAST_CLAUSE_MARK_RE = re.compile(".*[,;:!?。\n()]", re.DOTALL)  # match(): the last one


def _clause_start(t: str, pos: int, limit: int = 60) -> int:
    """Start of the clause holding ``pos``: after , ; : ! ? 。 newline or an unclosed (."""
    lo = max(0, pos - limit)
    depth = 0
    hi = pos
    # the last boundary or parenthesis in t[lo:hi], going left
    while (m := _LAST_CLAUSE_MARK_RE.match(t, lo, hi)) is not None:
        i = m.end() - 1
        c = t[i]
        if c in _BOUNDARY and _is_boundary(t, i):
            return i + 1
        if c == ")":
            depth += 1
        elif c == "(":
            if depth == 0:
                return i + 1
            depth -= 1
        hi = i
    return lo


def _post_end(t: str, pos: int, stop: int, limit: int = 40) -> int:
    """End of the noun phrase after a unit: up to a clause boundary, ``stop`` or an unopened )."""
    hi = min(len(t), pos + limit, stop)
    depth = 0
    i = pos
    # the next boundary or parenthesis in t[i:hi], going right
    while (m := _CLAUSE_MARK_RE.search(t, i, hi)) is not None:
        i = m.start()
        c = t[i]
        if c in _BOUNDARY and _is_boundary(t, i):
            return i
        if c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                return i
            depth -= 1
        i += 1
    return max(pos, hi)


def _max_width(rx: re.Pattern[str]) -> int | None:
    """Most characters a match of ``rx`` can span (look-arounds span none), or None when
    unbounded or unknown."""
    try:
        from re import _parser as sre_parse  # noqa: PLC0415 (private, so optional)

        hi = sre_parse.parse(rx.pattern, rx.flags).getwidth()[1]
    except Exception:  # pragma: no cover - an unknown parser version
        return None
    return hi if hi < 1000 else None


def _tail_start(n: int, width: int | None) -> int:
    """Where to start searching a text of length ``n`` for a pattern ``X$`` whose matches
    span at most ``width`` characters: a match ends at the end of the text or before a
    final newline, so none starts earlier, and search(s, pos) sees the text before pos for
    look-behinds. The search returns the same match as one from 0, with less scanning."""
    return 0 if width is None else max(0, n - width - 1)


# (both patterns are an alternation followed by $, see _tail_start)
_TRAIL_WIDTH = _max_width(_TRAIL_RE)
_RATE_END_WIDTH = _max_width(_RATE_END_RE)


def _strip_trailing(s: str, times: int = 6) -> str:
    for _ in range(times):
        m = _TRAIL_RE.search(s, _tail_start(len(s), _TRAIL_WIDTH))
        if not m or m.start() == len(s):
            break
        s = s[: m.start()]
    return s


@functools.lru_cache(maxsize=1)
def _lead_first_res() -> tuple[re.Pattern[str] | None, ...]:
    """:func:`_first_char_re` of _LEAD_CONNECTOR_RE and of each of _LEAD_RES, in this order."""
    return tuple(_first_char_re(rx.pattern, rx.flags) for rx in (_LEAD_CONNECTOR_RE, *_LEAD_RES))


_LEAD_CAN_START: dict[str, tuple[bool, ...]] = {}


def _lead_can_start(c: str) -> tuple[bool, ...]:
    """For a text starting with ``c`` ("" for the empty text): whether _LEAD_CONNECTOR_RE and
    each of _LEAD_RES can match at its start (False only when provably impossible).

    _clean_pre tries up to 10 anchored patterns in up to 8 rounds; most fail at the first
    character, which this answers with one dict look-up per character seen.
    """
    out = _LEAD_CAN_START.get(c)
    if out is None:
        out = tuple(f is None or f.fullmatch(c) is not None for f in _lead_first_res())
        if len(_LEAD_CAN_START) < 1 << 16:
            _LEAD_CAN_START[c] = out
    return out


def _clean_pre(pre: str) -> tuple[int, str]:
    """Trim the text before a number to the counted activity; return (offset, subject).

    >>> _clean_pre("我街共对各类违法行为立案")
    (10, '立案')
    >>> _clean_pre("涉及处罚金额总计达到")
    (0, '涉及处罚金额')
    """
    off = 0
    s = pre.rstrip()
    # (pre-checks: _FROM_TO_RE ends in 到|至 and _REACH_RE in 求|准|标|的 before $, which
    # may also stand before a final newline)
    if s[-1:] in ("到", "至", "\n"):
        m = _FROM_TO_RE.match(s)
        if m:
            s = m.group("subj")
    if s[-1:] in ("求", "准", "标", "的", "\n"):
        m = _REACH_RE.match(s)
        if m:
            s = m.group("subj")
    s = _strip_trailing(s)
    # split after 共 / 累计 / 全年 …: the activity follows
    last = None
    for m in _SPLIT_RE.finditer(s):
        last = m
    if last is not None and len(s) - last.end() >= 2:
        off += last.end()
        s = s[last.end() :]
    # per-unit phrases: 每位执法人员每季度接受 -> 接受
    if "每" in s:
        lastp = None
        for m in _PER_UNIT_PHRASE_RE.finditer(s):
            lastp = m
        if lastp is not None:
            off += lastp.end()
            s = _strip_trailing(s[lastp.end() :], 2)
    # 人民调解员人均|调解纠纷 (人均办案量 is a measure's name and stays)
    m = _PER_HEAD_VERB_RE.search(s) if "均" in s else None  # (its words are 人均, 户均)
    if m is not None:
        off += m.end()
        s = s[m.end() :]
    # leading punctuation, time, actors, adverbs
    for _ in range(8):
        before = s
        # can[0]: the connector, can[i + 1]: _LEAD_RES[i] (skip patterns that cannot match)
        can = _lead_can_start(s[:1])
        if can[0]:
            m = _LEAD_CONNECTOR_RE.match(s)
            if m:
                off += m.end()
                s = s[m.end() :]
                can = _lead_can_start(s[:1])
        for i, rx in enumerate(_LEAD_RES):
            if not can[i + 1]:
                continue
            if i == _LEAD_ACTOR and _RATE_END_RE.search(s, _tail_start(len(s), _RATE_END_WIDTH)):
                continue  # 城市社区法律顾问覆盖率, 部门联合抽查占比: the owner is part of the measure
            m = rx.match(s)
            if m and m.end() > 0 and (i in _LEAD_FULL or len(s) - m.end() >= 1):
                off += m.end()
                s = s[m.end() :]
                can = _lead_can_start(s[:1])
        if s == before:
            break
    m = _DUI_RE.match(s)
    if m:
        off += m.end()
        s = s[m.end() :]
    if _PREP_ONLY_RE.match(s):
        off += len(s)
        s = ""
    else:
        m = _LEAD_PREP_RE.match(s)
        if m and len(s) - m.end() >= 2:
            off += m.end()
            s = s[m.end() :]
    m = _PIVOT_RE.match(s)
    if m:
        off += m.end()
        s = s[m.end() :]
    return off, _strip_trailing(s, 4)


_POST_TRAIL_RE = re.compile(r"(?:[、,; ]|的|等|以及|和|及|与|(?<=[件项类品者])中)+$")
_POST_IN_RE = re.compile(r"(?<=[件项类品者])中$")  # 1,023件行政复议案件|中
# A verb or a direction after the unit: a predicate of its own, not part of what is counted
_POST_PREDICATE_RE = re.compile(f"(?:至|到|向|给|于|(?:{_VERBS})|组成|用于|建设)")
# The clause ends in its own verb: 审查|合同 no, 组织抽查| yes (the noun after the number is its object)
_VERB_END_RE = re.compile(f"(?:{_VERBS}|进行|为期|完成|实现|建成|成立|组建)$")
_VERB_IN_RE = re.compile(f"(?:{_VERBS})")


def _clean_post(
    post: str, *, verbal_pre: bool, cut: bool = False, money: bool = False, named: bool = False
) -> tuple[int, str]:
    """Trim the text after a unit to the counted thing; return (offset, phrase).

    ``named``: the clause already named the counted thing before the number (下放执法事项186项|至镇街,
    抽调执法骨干20人|组成督查组), so a phrase opening with a verb or a direction is a new predicate.
    """
    off = 0
    s = post
    if s.startswith("的"):  # 为期三个月|的|执法队伍教育整顿活动
        off, s = 1, s[1:]
    if _POST_GOAL_RE.match(s) or _FROM_TO_LINK_RE.match(s):  # 超过20%|的工作目标; 从60%|提高到100%
        return off, ""
    if named and _POST_PREDICATE_RE.match(s):
        return off, ""
    if verbal_pre:
        m = _POST_STOP_RE.match(s) or (money and _POST_START_VERB_RE.match(s)) or _POST_STOP_RE.search(s, 2)
        if m:
            s = s[: m.start()]
    # 法律工作者与|23个…: a joiner before the next number; 群众参与 keeps its 与
    s = _POST_TRAIL_RE.sub("", s) if cut else _POST_IN_RE.sub("", s.rstrip("、,; 的等"))
    return off, s


@dataclass
class _Quantity:
    tok: _Token
    subject: str
    q_start: int
    q_end: int
    pre_subject: str
    clause_start: int
    k: int  # index of tok in the token list


def _subjects(
    t: str, tokens: list[_Token], clean_pre: Callable[[str], tuple[int, str]] = _clean_pre
) -> list[_Quantity]:
    """Attach a subject to every quantity token; tokens are in text order.

    ``clean_pre`` is :func:`_clean_pre` or a memoised copy of it (see :func:`_run`).
    """
    out: list[_Quantity] = []
    prev_q: _Quantity | None = None
    bound = 0  # end of the last token that a subject may not reach back over
    span_start = -1  # start of that token when it is a time span (近3年, 连续3年)
    n_t = len(t)
    # next_stop[k]: qstart of the first token after k that a phrase may not run through
    next_stop = [n_t] * len(tokens)
    stop = n_t
    for k in range(len(tokens) - 1, -1, -1):
        next_stop[k] = stop
        if tokens[k].group not in _PASS_GROUPS:
            stop = tokens[k].qstart
    for k, tok in enumerate(tokens):
        if tok.cls != "indicator":
            if tok.group in _BOUND_GROUPS:
                bound = tok.end
                span_start = tok.start if tok.group == "timespan" else -1
            continue
        cs = _clause_start(t, tok.qstart)
        lo = max(cs, bound)
        if prev_q is not None and lo <= prev_q.q_end <= tok.qstart:
            lo = prev_q.q_end
        raw_pre = t[lo : tok.qstart]
        if raw_pre[-1:] in ("从", "由") and _FROM_AHEAD_RE.match(t, tok.end):
            raw_pre = raw_pre[:-1]
        off, pre = clean_pre(raw_pre)
        if pre[:1] in _LINK_ONLY_FIRST and _LINK_ONLY_RE.match(pre):
            pre = ""  # 保持|100%, 达到|98%: a linking verb alone names nothing
        if not pre and lo == bound and span_start >= cs and (prev_q is None or prev_q.q_end <= span_start):
            # 出庭应诉率|连续3年|保持100%: what is counted stands before the time span
            off2, pre2 = clean_pre(t[cs:span_start])
            if pre2:
                lo, off, pre = cs, off2, pre2
        object_pre = len(pre) > 1 and pre[0] == "对"  # 对全县|18个乡镇…: no verb before the number
        if object_pre:
            off, pre = off + 1, pre[1:]
        inherited = (
            not pre
            and prev_q is not None
            and prev_q.clause_start == cs
            and bool(prev_q.pre_subject)
            and (
                # 接待来访群众2,300余批次、5,600余人次; 1,856批3,212人次; 配备率从60%提高到100%
                (bool(raw_pre.strip()) and bool(_CONNECTOR_ONLY_RE.match(raw_pre)))
                or (not raw_pre and prev_q.q_end == tok.qstart)
                or bool(_FROM_TO_LINK_RE.match(raw_pre))
            )
        )
        # the phrase after the unit: 8个|企业安全标准化创建
        nxt = next_stop[k]
        post = ""
        post_off = 0
        if tok.end < n_t and (t[tok.end] >= "\u4e00" or t[tok.end] in "“《‘「"):
            pe = _post_end(t, tok.end, nxt)
            runs_on = pe == nxt
            if runs_on:
                # 为1.2万名农民工|讨回欠薪1.6亿元: the next number's activity starts at its verb
                nm = _NEXT_TOTAL_RE.search(t, tok.end + 1, pe) or _NEXT_VERB_RE.search(t, tok.end + 1, pe)
                if nm is not None:
                    pe = nm.start()
            # a verb before the number, or another number right after: the phrase is a noun
            # (but 对全县|18个乡镇开展法治督察: the 对-phrase's verb comes after the number, and
            # 行政决策100%|开展风险评估: a share of things that did what follows)
            subject_pre = prev_q.pre_subject if inherited and prev_q is not None else pre
            # (组织|12个部门开展联合执法: after a pivot verb the phrase is its own clause)
            verbal = (
                (
                    bool(subject_pre)
                    and not _SCOPE_ONLY_RE.match(subject_pre)
                    and not object_pre
                    and _PIVOT_END_RE.search(subject_pre) is None
                )
                or runs_on
            ) and tok.unit not in _RATE_UNITS
            # 投入资金2,800万元|建设智慧执法平台: after an amount of money a verb starts its purpose
            money = tok.unit.endswith("元")
            named = (
                bool(subject_pre)
                and not object_pre
                and tok.unit not in _RATE_UNITS
                and _VERB_IN_RE.search(subject_pre) is not None
                and _VERB_END_RE.search(subject_pre) is None
            )
            post_off, post = _clean_post(
                t[tok.end : pe], verbal_pre=verbal, cut=runs_on, money=money, named=named
            )
        subject_pre = prev_q.pre_subject if inherited and prev_q is not None else pre
        subject = (subject_pre + post).strip()
        q_start = lo + off if pre else tok.qstart
        if not subject and cs > 0 and t[cs - 1] == "," and _is_boundary(t, cs - 1) and lo == cs and (prev_q is None or prev_q.q_end < cs):
            # 受理行政复议案件,共计56件: what is counted was named in the clause before
            pcs = max(_clause_start(t, cs - 1), bound)
            poff, prev_text = clean_pre(t[pcs : cs - 1])
            if prev_text and _NUMERAL_RE.search(prev_text) is None:
                subject = prev_text
                q_start = pcs + poff
        if not subject and _TOTAL_ONLY_RE.match(raw_pre):
            # 新增…800名,累计达5,200名: a running total
            subject = raw_pre.strip()[:2]
            q_start = lo + raw_pre.index(subject)
        if (
            not subject
            and prev_q is not None
            and prev_q.subject
            and _SHARE_ONLY_RE.match(raw_pre)
            and _SENT_END_RE.search(t, prev_q.q_end, tok.qstart) is None
        ):
            subject = prev_q.subject  # 涉及征地拆迁的326件,占31.9%: the share of the same thing
        q_end = tok.end + post_off + len(post) if post else tok.end
        q = _Quantity(tok, subject, q_start, q_end, subject_pre, cs, k)
        out.append(q)
        prev_q = q
    return out


_SENT_END_RE = re.compile(r"[。!?\n]")


_SENT_END_CHARS = "。!?\n"  # the class of _SENT_END_RE


def _sentence_ends(t: str) -> list[int]:
    """Offsets of the sentence ends in ``t``, ascending: ``[m.start() for m in
    _SENT_END_RE.finditer(t)]``, found with str.find (a few times faster than the regex
    scan, which tests every character)."""
    ends: list[int] = []
    for c in _SENT_END_CHARS:
        i = t.find(c)
        while i >= 0:
            ends.append(i)
            i = t.find(c, i + 1)
    ends.sort()
    return ends


def _token_sentences(t: str, raw: str, toks: list[_Token]) -> list[tuple[int, int, str]]:
    """For each token: its sentence's bounds and text in ``raw`` (same offsets as ``t``).

    A sentence ends at 。 ! ? or a line break (the line break not included) and is
    stripped of spaces. Tokens are in text order, so one walk along the sentence ends
    finds each token's sentence, and each sentence is cut once however many numbers it holds.
    """
    ends = _sentence_ends(t)
    n_ends = len(ends)
    out: list[tuple[int, int, str]] = []
    i = 0  # bisect_left(ends, tok.start): the first end at or after the token
    current_i, current = -1, (0, 0, "")
    for tok in toks:
        pos = tok.start
        while i < n_ends and ends[i] < pos:
            i += 1
        if i != current_i:
            start = ends[i - 1] + 1 if i > 0 else 0
            if i < n_ends:
                j = ends[i]
                if t[j] != "\n":
                    j += 1
            else:
                j = len(t)
            while start < j and t[start].isspace():
                start += 1
            while j > start and t[j - 1].isspace():
                j -= 1
            current_i, current = i, (start, j, raw[start:j])
        out.append(current)
    return out


def _kind(t: str, q: _Quantity, part: object, sentence_start: int) -> str:
    clause = t[q.clause_start : q.tok.qstart]
    # (every word of _PER_UNIT_RE holds 每 or 均: test for them before calling the regex)
    if ("每" in clause or "均" in clause) and _PER_UNIT_RE.search(clause):
        return "per_capita"
    if isinstance(part, str) and part in _PLAN_PARTS:
        return "target"
    opening = t[sentence_start : sentence_start + 1]
    if opening in _TARGET_OPEN_FIRST and _TARGET_OPEN_RE.match(t, sentence_start):
        return "target"
    # _TARGET_POST_RE is anchored by ^, which a search from pos > 0 never matches (it matches
    # only at the start of t), and a token never ends at 0: the call is skipped, same result.
    end = q.tok.end
    if _TARGET_PRE_RE.search(clause) or (end == 0 and _TARGET_POST_RE.search(t, end, min(len(t), end + 16))):
        return "target"
    if _TARGET_SENT_RE.search(t, sentence_start, q.tok.qstart):
        return "target"
    return "result"


_NAN = float("nan")


@functools.lru_cache(maxsize=4096)
def _units(mag: str, unit: str) -> tuple[str, str, Decimal]:
    """(unit as written, base unit, factor to base) of a magnitude and a unit (few pairs occur)."""
    base_unit, factor = _unit_base(unit) if unit else ("", 1)
    return mag + unit, base_unit, _MAG_FACTOR[mag] * factor


def _quantity_row(
    doc_id: str, raw: str, t: str, q: _Quantity, part: object, sentence: tuple[int, int, str]
) -> tuple[object, ...]:
    """One row of :func:`extract_indicators`, values in the order of ``INDICATOR_COLUMNS``.

    ``sentence``: bounds and raw text of the token's sentence (see :func:`_token_sentences`).
    """
    tok = q.tok
    unit_written, base_unit, mult = _units(tok.mag, tok.unit)
    value = tok.value if tok.value is not None else Decimal(0)
    vmax = tok.value_max
    ss, se, sentence_raw = sentence
    kind = _kind(t, q, part, ss)
    # (normalize_width returns the text itself when nothing needs mapping)
    indicator, category = _classify_indicator(q.subject, base_unit, sentence_raw if t is raw else t[ss:se])
    return (
        doc_id,
        part,
        sentence_raw,
        raw[q.q_start : q.q_end],
        q.subject,
        float(value),
        unit_written,
        float(value * mult),
        base_unit,
        tok.qualifier,
        kind,
        indicator,
        q.q_start,
        q.q_end,
        category,
        float(vmax) if vmax is not None else _NAN,
        float(vmax * mult) if vmax is not None else _NAN,
    )


# Positions of kind and indicator in a row of _quantity_row (the audit reuses them)
_KIND_COL = INDICATOR_COLUMNS.index("kind")
_INDICATOR_COL = INDICATOR_COLUMNS.index("indicator")


def _analyse(
    doc_id: str, raw: str, lookup: _PartLookup, clean_pre: Callable[[str], tuple[int, str]] = _clean_pre
) -> tuple[list[_Token], list[tuple[object, ...]], list[tuple[int, int, str]], list[tuple[object, ...] | None]]:
    """Tokens, quantity rows, each token's sentence and each token's quantity row (or None)
    of one report."""
    t = normalize_width(raw)
    toks = _tokens(t)
    sentences = _token_sentences(t, raw, toks)
    levels = lookup.levels(doc_id)
    rows = []
    row_of_tok: list[tuple[object, ...] | None] = [None] * len(toks)
    for q in _subjects(t, toks, clean_pre):
        row = _quantity_row(doc_id, raw, t, q, _part_at(levels, q.q_start), sentences[q.k])
        rows.append(row)
        row_of_tok[q.k] = row
    return toks, rows, sentences, row_of_tok


# --------------------------------------------------------------------------- sections


class _PartLookup:
    """Deepest section containing an offset, per document (bisect per level)."""

    def __init__(self, sections: pd.DataFrame | None) -> None:
        self._by_doc: dict[str, list[tuple[list[int], list[int], list[object]]]] = {}
        if sections is None or len(sections) == 0:
            return
        need = {"doc_id", "part", "start", "end"}
        missing = need - set(sections.columns)
        if missing:
            raise ValueError(f"sections lacks columns {sorted(missing)}")
        levels = sections["level"] if "level" in sections.columns else pd.Series(1, index=sections.index)
        doc_ids = sections["doc_id"].astype(str).tolist()
        parts = sections["part"].to_numpy(dtype=object).tolist()
        level_of = pd.to_numeric(levels, errors="coerce").fillna(1).astype(int).tolist()
        starts = sections["start"].astype(int).tolist()
        ends = sections["end"].astype(int).tolist()
        # Plain lists instead of a pandas sort and a groupby per document and level (which
        # cost ~1 ms per report). Rows of a document, in input order; a missing doc_id (NaN
        # after astype(str)) is dropped, as groupby drops it.
        rows_of: dict[str, list[int]] = {}
        for k, doc_id in enumerate(doc_ids):
            if isinstance(doc_id, str):
                rows_of.setdefault(doc_id, []).append(k)
        for doc_id, rows in rows_of.items():
            # a stable sort by (level, start), as sort_values(kind="stable") did; then one
            # (starts, ends, parts) per level, deepest level first
            rows.sort(key=lambda k: (level_of[k], starts[k]))
            per_level: dict[int, tuple[list[int], list[int], list[object]]] = {}
            for k in rows:
                lv = per_level.get(level_of[k])
                if lv is None:
                    lv = per_level[level_of[k]] = ([], [], [])
                lv[0].append(starts[k])
                lv[1].append(ends[k])
                lv[2].append(parts[k])
            self._by_doc[doc_id] = [per_level[lv] for lv in sorted(per_level, reverse=True)]

    def levels(self, doc_id: str) -> list[tuple[list[int], list[int], list[object]]]:
        """(starts, ends, parts) of each level of the document's sections, deepest first."""
        return self._by_doc.get(doc_id, [])

    def part(self, doc_id: str, pos: int) -> object:
        return _part_at(self.levels(doc_id), pos)


def _part_at(levels: list[tuple[list[int], list[int], list[object]]], pos: int) -> object:
    """Part of the deepest section holding ``pos`` (see :meth:`_PartLookup.levels`), or NA."""
    for starts, ends, parts in levels:
        i = bisect.bisect_right(starts, pos) - 1
        # sections of one level may overlap when a parser nests oddly: look back a little
        for j in range(i, max(-1, i - 3), -1):
            if starts[j] <= pos < ends[j]:
                p = parts[j]
                if isinstance(p, str) and p:
                    return p
                break
    return pd.NA


# --------------------------------------------------------------------------- public API


def _docs(corpus: pd.DataFrame | str) -> Iterable[tuple[str, str]]:
    if isinstance(corpus, str):
        yield "doc", _valid(corpus)
        return
    missing = {"doc_id", "text"} - set(corpus.columns)
    if missing:
        raise ValueError(f"corpus lacks columns {sorted(missing)}")
    for doc_id, text in zip(corpus["doc_id"].tolist(), corpus["text"].tolist()):
        yield str(doc_id), _valid(text) if isinstance(text, str) else ""


# Lone surrogates (never in decoded files, possible in a hand-built string) cannot be
# stored in pandas' string columns; each becomes U+FFFD, one character for one.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _valid(text: str) -> str:
    return _SURROGATE_RE.sub("\ufffd", text)


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=_DTYPES.get(c, "str")) for c in columns})


_DTYPES = {
    "value": "float64", "base_value": "float64", "value_max": "float64", "base_value_max": "float64",
    "start": "int64", "end": "int64",
}  # fmt: skip


def _frame(rows: list[tuple[object, ...]], columns: list[str]) -> pd.DataFrame:
    """The table of ``rows`` (tuples in the order of ``columns``), typed as ``_DTYPES`` says.

    Each column is built once from its values: numbers straight into numpy arrays, the text
    columns (always ``str`` values) straight into ``str`` arrays; only ``part``, which may
    hold NA, goes through pandas' inference and ``astype("str")``.
    """
    if not rows:
        return _empty(columns)
    data: dict[str, object] = {}
    for k, c in enumerate(columns):
        values = list(map(operator.itemgetter(k), rows))  # (cheaper than transposing with zip(*rows))
        dt = _DTYPES.get(c)
        if dt:
            data[c] = np.fromiter(values, dtype=dt, count=len(values))
        elif c == "part":
            data[c] = pd.Series(values).astype("str")
        else:
            data[c] = _str_array(values)
    return pd.DataFrame(data, columns=columns)


def _str_array(values: list[str]) -> object:
    """``pd.array(values, dtype="str")`` for a list of ``str`` (no NA).

    When pandas stores "str" in pyarrow, the arrow array is built first: the same array,
    without pandas' per-element check and copy (twice as fast on long columns).
    """
    pa = _pyarrow_for_str()
    if pa is None:
        return pd.array(values, dtype="str")
    return pd.array(pa.array(values, type=pa.large_string()), dtype="str")


@functools.lru_cache(maxsize=1)
def _pyarrow_for_str() -> object | None:
    """pyarrow when pandas' "str" dtype is stored in large_string arrow arrays, else None."""
    try:
        import pyarrow as pa  # noqa: PLC0415 (optional: pandas' own choice)
    except ImportError:  # pragma: no cover
        return None
    probe = pd.array(["x"], dtype="str")
    if getattr(probe.dtype, "storage", None) != "pyarrow" or getattr(probe, "_pa_array", None) is None:
        return None  # pragma: no cover
    return pa if probe._pa_array.type == pa.large_string() else None


def extract_indicators(corpus: pd.DataFrame | str, sections: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every stated quantity in each report, with what it counts, typed and classified.

    Parameters
    ----------
    corpus
        A table with at least ``doc_id`` and ``text`` (e.g. from
        :func:`analysis.load_corpus`), or one report as a string (``doc_id`` "doc").
        Full-width forms (，（）％１２３) are read as their ASCII forms; offsets refer to
        ``text`` as given. The input is never modified.
    sections
        Optional output of :func:`analysis.parse_sections` (``doc_id``, ``part``,
        ``level``, ``start``, ``end``): gives each quantity the ``part`` of the deepest
        section holding it, and makes quantities in the ``plans`` part targets.

    Returns
    -------
    pandas.DataFrame
        One row per quantity, in document and text order:

        - ``doc_id``; ``part`` (regulated part of the report, NA without ``sections``);
        - ``sentence`` (the sentence holding it), ``quote`` (the exact span: subject +
          number + unit; ``text[start:end] == quote``), ``start``, ``end``;
        - ``subject``: what is counted (立案, 作出行政处罚决定, 发放宣传资料 …);
        - ``value`` and ``unit`` as written (1.4 and 万份 for 1.4万余份; 8 and 成 for
          逾八成); ``base_value`` and ``base_unit`` with 万/亿 multiplied out and 成 -> %,
          平方 -> 平方米, 个月 -> 月 (14000 份; 80 %);
        - ``qualifier``: ``more_than`` (余 逾 超过 多 以上), ``nearly`` (近), ``about``
          (约 左右), ``at_least`` (不少于 至少), ``at_most`` (不超过 以内) or "";
        - ``kind``: ``result``, ``target`` (目标, 力争, 确保 …, or the plans part) or
          ``per_capita`` (每位…, 每个社区…, 人均);
        - ``indicator`` and its ``category`` (area of 《法治政府建设实施纲要(2021-2025年)》)
          from ``resources/indicators.csv``; ``other`` when no rule matches;
        - ``value_max``, ``base_value_max``: upper bound of a range (3-5次), else NaN.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"doc_id": ["x"], "text": ["全区逾八成行政争议实现案结事了;化解成功率99.7%。"]})
    >>> extract_indicators(c)[["value", "unit", "base_value", "base_unit", "qualifier", "indicator"]].values.tolist()
    [[8.0, '成', 80.0, '%', 'more_than', 'other_rate'], [99.7, '%', 99.7, '%', '', 'mediation_success_rate']]
    """
    out = _run(corpus, sections, audit=False)[0]
    assert out is not None
    return out


def audit_numbers(corpus: pd.DataFrame | str, sections: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every numeral occurrence in each report with the class it was given.

    Arabic digit runs and Chinese-numeral quantities (三个环节, 两级), plus the Chinese
    numerals of headings (一、, (一), 一是), dates, party congresses and slogans. Every
    Arabic digit run of ``text`` is covered by exactly one row, so a reader can check
    that no number was dropped silently.

    Parameters
    ----------
    corpus
        A table with ``doc_id`` and ``text``, or one report as a string.
    sections
        Optional :func:`analysis.parse_sections` output (makes plans-part quantities
        ``target``, as in :func:`extract_indicators`).

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``start``, ``end``, ``match`` (``text[start:end]``), ``class`` (one of
        ``AUDIT_CLASSES``: indicator, target, per_capita, year, date, heading, slogan,
        law_or_plan_name, other), ``reason`` (why, e.g. "hotline or phone number",
        "party congress or plenum", "number without a unit"; for quantities their
        indicator id), ``sentence``.

    Examples
    --------
    >>> audit_numbers("2023年共立案80宗,办理“12345”热线工单。")[["match", "class"]].values.tolist()
    [['2023年', 'year'], ['80宗', 'indicator'], ['“12345”', 'other']]
    """
    out = _run(corpus, sections, quantities=False)[1]
    assert out is not None
    return out


def _audit_rows(
    doc_id: str,
    raw: str,
    toks: list[_Token],
    sentences: list[tuple[int, int, str]],
    row_of_tok: list[tuple[object, ...] | None],
) -> list[tuple[object, ...]]:
    """Rows of :func:`audit_numbers` (tuples in the order of ``AUDIT_COLUMNS``), from the
    output of :func:`_analyse`."""
    rows: list[tuple[object, ...]] = []
    append = rows.append
    for tok, sentence, q in zip(toks, sentences, row_of_tok):
        start, end = tok.start, tok.end
        cls, reason = tok.cls, tok.reason
        if q is not None:
            start = tok.qstart
            kind = str(q[_KIND_COL])
            cls = "indicator" if kind == "result" else kind
            reason = str(q[_INDICATOR_COL])
        append((doc_id, start, end, raw[start:end], cls, reason, sentence[2]))
    return rows


def extract_indicators_and_audit(
    corpus: pd.DataFrame | str, sections: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`extract_indicators` and :func:`audit_numbers` in one pass over the text.

    The same tables as the two functions called one after the other, for half the time
    (each report is scanned once). Use it in pipelines over large corpora.

    Returns
    -------
    (indicators, audit) : tuple of pandas.DataFrame
        Columns as documented in :func:`extract_indicators` and :func:`audit_numbers`.

    Examples
    --------
    >>> quantities, audit = extract_indicators_and_audit("2023年立案80宗。")
    >>> len(quantities), audit["class"].tolist()
    (1, ['year', 'indicator'])
    """
    quantities, audit = _run(corpus, sections)
    assert quantities is not None and audit is not None
    return quantities, audit


def _run(
    corpus: pd.DataFrame | str, sections: pd.DataFrame | None, *, quantities: bool = True, audit: bool = True
) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    lookup = _PartLookup(sections)
    # The text before a number is often the same phrase (其中, 办结率, 、…) and trimming it
    # is a pure function of that text: remember results within this call (bounded).
    clean_pre = functools.lru_cache(maxsize=1 << 16)(_clean_pre)
    qrows_all: list[tuple[object, ...]] = []
    arows_all: list[tuple[object, ...]] = []
    for doc_id, raw in _docs(corpus):
        if not raw:
            continue
        toks, qrows, sentences, row_of_tok = _analyse(doc_id, raw, lookup, clean_pre)
        if quantities:
            qrows_all.extend(qrows)
        if audit:
            arows_all.extend(_audit_rows(doc_id, raw, toks, sentences, row_of_tok))
    return (
        _frame(qrows_all, INDICATOR_COLUMNS) if quantities else None,
        _frame(arows_all, AUDIT_COLUMNS) if audit else None,
    )



# --------------------------------------------------------------------------- tables for notebooks


def indicator_density(indicators: pd.DataFrame, corpus: pd.DataFrame) -> pd.DataFrame:
    """Quantities stated per 1,000 characters of each report.

    Parameters
    ----------
    indicators
        Output of :func:`extract_indicators`.
    corpus
        The corpus table (``doc_id``, ``text``; ``n_chars`` is used when present).

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``n_chars``, ``n_quantities``, ``n_result``, ``n_target``,
        ``n_per_capita``, ``per_1000_chars`` — one row per report, in corpus order,
        reports without quantities included with zeros.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"doc_id": ["a"], "text": ["立案80宗。" * 10]})
    >>> indicator_density(extract_indicators(c), c)[["n_quantities", "per_1000_chars"]].values.tolist()
    [[10.0, 166.67]]
    """
    if "n_chars" in corpus.columns:
        n_chars = pd.to_numeric(corpus["n_chars"], errors="coerce").fillna(0).astype(int)
    else:
        n_chars = corpus["text"].fillna("").str.len().astype(int)
    base = pd.DataFrame({"doc_id": corpus["doc_id"].astype(str).to_numpy(), "n_chars": n_chars.to_numpy()})
    kinds = ["result", "target", "per_capita"]
    if len(indicators):
        counts = pd.crosstab(indicators["doc_id"].astype(str), indicators["kind"].astype(str))
    else:
        counts = pd.DataFrame()
    counts = counts.reindex(columns=kinds, fill_value=0)
    out = base.merge(counts, left_on="doc_id", right_index=True, how="left").fillna(
        {k: 0 for k in kinds}
    )
    for k in kinds:
        out[k] = out[k].astype(int)
    out = out.rename(columns={k: f"n_{k}" for k in kinds})
    out.insert(2, "n_quantities", out[[f"n_{k}" for k in kinds]].sum(axis=1).astype(float))
    denom = out["n_chars"].where(out["n_chars"] > 0)
    out["per_1000_chars"] = (out["n_quantities"] / denom * 1000).round(2)
    return out.reset_index(drop=True)


def compare_indicators(
    indicators: pd.DataFrame, *, kinds: tuple[str, ...] = ("result",), min_reports: int = 1, summary: bool = False
) -> pd.DataFrame:
    """Canonical indicators side by side across reports (base units, summed per report).

    Only rows of the given ``kinds`` are used (targets and per-person rules are not
    results), rows of indicator ``other`` are left out, and each cell sums the
    ``base_value`` of rows sharing an indicator and a base unit in one report. Sums of
    counts stated with different subjects are approximate; read the rows before citing.

    Parameters
    ----------
    indicators
        Output of :func:`extract_indicators`.
    kinds
        Kinds of quantity kept (default: results only).
    min_reports
        Keep indicator/unit pairs stated in at least this many reports.
    summary
        Instead of one column per report (unreadable for hundreds of reports), give the
        distribution across the reports that state the indicator: ``median``, ``min``,
        ``max`` of the per-report sums.

    Returns
    -------
    pandas.DataFrame
        Index (``indicator``, ``base_unit``); one column per ``doc_id`` with the summed
        base values (NaN where the report states none), or with ``summary=True`` the
        columns ``median``, ``min``, ``max``; then ``n_reports`` and ``n_rows``.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"doc_id": ["a", "b"], "text": ["立案80宗。", "立案3宗,立案2宗。"]})
    >>> compare_indicators(extract_indicators(c)).reset_index().values.tolist()
    [['enforcement_cases_filed', '宗', 80.0, 5.0, 2, 3]]
    """
    rows = indicators[indicators["kind"].isin(list(kinds)) & (indicators["indicator"] != "other")]
    rates = rows["base_unit"].isin(["%", "‰"])
    rows = rows[~rates]
    if rows.empty:
        return pd.DataFrame(columns=["n_reports", "n_rows"]).rename_axis(["indicator", "base_unit"][:1])
    docs = list(dict.fromkeys(indicators["doc_id"].astype(str)))
    table = rows.pivot_table(
        index=["indicator", "base_unit"], columns="doc_id", values="base_value", aggfunc="sum", observed=True
    )
    table = table.reindex(columns=docs)
    table["n_reports"] = table[docs].notna().sum(axis=1)
    table["n_rows"] = rows.groupby(["indicator", "base_unit"]).size().reindex(table.index).astype(int)
    table = table[table["n_reports"] >= min_reports]
    table = table.sort_values(["n_reports", "n_rows"], ascending=False, kind="stable")
    table.columns.name = None
    if summary:
        values = table[docs]
        table = pd.DataFrame(
            {"median": values.median(axis=1), "min": values.min(axis=1), "max": values.max(axis=1),
             "n_reports": table["n_reports"], "n_rows": table["n_rows"]}
        )  # fmt: skip
    return table


# --------------------------------------------------------------------------- figures


#: Above this many reports the figures show one bar (or column) per report year instead.
MAX_REPORTS_SHOWN = 30


def _groups(corpus: pd.DataFrame, label: str) -> tuple[dict[str, str], list[str], bool]:
    """Map each doc_id to its figure label: the report itself, or its report year when the
    corpus has more than :data:`MAX_REPORTS_SHOWN` reports. Returns (mapping, order, grouped)."""
    docs = [str(d) for d in corpus["doc_id"]]
    if len(docs) <= MAX_REPORTS_SHOWN:
        labels = _labels(corpus, label)
        return labels, [labels[d] for d in dict.fromkeys(docs)], False
    if "report_year" in corpus.columns:
        years = pd.to_numeric(corpus["report_year"], errors="coerce")
        keys = ["year unknown" if pd.isna(y) else str(int(y)) for y in years]
    else:
        keys = ["all reports"] * len(docs)
    sizes = pd.Series(keys).value_counts()
    named = {k: f"{k} (n={sizes[k]})" for k in sizes.index}
    mapping = {d: named[k] for d, k in zip(docs, keys)}
    order = [named[k] for k in sorted(sizes.index, key=lambda k: (k == "year unknown", k))]
    return mapping, order, True


def plot_indicator_density(indicators: pd.DataFrame, corpus: pd.DataFrame, *, label: str = "issuer") -> Figure:
    """Bar chart: quantities stated per 1,000 characters of each report, by kind.

    With more than :data:`MAX_REPORTS_SHOWN` reports, one bar per report year (quantities
    per 1,000 characters of all the year's reports together).

    Parameters
    ----------
    indicators
        Output of :func:`extract_indicators`.
    corpus
        The corpus table; ``label`` names the column used for bar labels (falls back to
        ``doc_id``), and ``report_year`` is appended when present.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    from analysis.plots.fonts import use_cjk_font

    use_cjk_font()
    dens = indicator_density(indicators, corpus)
    mapping, order, grouped = _groups(corpus, label)
    dens["group"] = dens["doc_id"].map(mapping)
    kinds = ("result", "target", "per_capita")
    agg = dens.groupby("group", sort=False)[["n_chars", "n_quantities"] + [f"n_{k}" for k in kinds]].sum()
    agg = agg.reindex(order).fillna(0)
    denom = agg["n_chars"].where(agg["n_chars"] > 0)
    fig, ax = plt.subplots(figsize=(8, 0.45 * max(3, len(agg)) + 1.2))
    left = pd.Series(0.0, index=agg.index)
    colors = {"result": "#4C72B0", "target": "#DD8452", "per_capita": "#55A868"}
    for kind in kinds:
        vals = (agg[f"n_{kind}"] / denom * 1000).fillna(0.0)
        ax.barh(range(len(agg)), vals, left=left, color=colors[kind], label=kind)
        left = left + vals
    for i, (v, n) in enumerate(zip(left, agg["n_quantities"])):
        ax.text(v + 0.05, i, f"{v:.1f} ({int(n)})", va="center", fontsize=8)
    ax.set_yticks(range(len(agg)), list(agg.index), fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("quantities per 1,000 characters (count in brackets)")
    title = "Stated quantities per 1,000 characters of report text"
    ax.set_title(title + (" (by report year)" if grouped else ""))
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    ax.set_xlim(0, max(1.0, float(left.max()) * 1.25))
    fig.tight_layout()
    return fig


def plot_indicator_categories(indicators: pd.DataFrame, corpus: pd.DataFrame, *, label: str = "issuer") -> Figure:
    """Heatmap: stated quantities per 纲要 area (category) and report.

    With more than :data:`MAX_REPORTS_SHOWN` reports, one column per report year, and the
    cells give quantities per report of that year.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt
    import numpy as np

    from analysis.plots.fonts import use_cjk_font

    use_cjk_font()
    order = ["functions", "rules", "decisions", "enforcement", "emergencies", "disputes",
             "oversight", "digital", "leadership", "other"]  # fmt: skip
    mapping, columns, grouped = _groups(corpus, label)
    if len(indicators):
        groups = indicators["doc_id"].astype(str).map(mapping)
        counts = pd.crosstab(indicators["category"].astype(str), groups)
    else:
        counts = pd.DataFrame()
    counts = counts.reindex(index=order, columns=columns, fill_value=0).fillna(0).astype(float)
    if grouped:
        sizes = pd.Series(mapping).value_counts().reindex(columns)
        counts = counts / sizes.to_numpy()
    fig, ax = plt.subplots(figsize=(1.3 * max(3, len(columns)) + 3, 5))
    arr = counts.to_numpy()
    im = ax.imshow(arr, cmap="Blues", aspect="auto")
    ax.set_xticks(range(len(columns)), columns, rotation=30, ha="right", fontsize=8)
    zh = {"functions": "政府职能", "rules": "依法行政制度", "decisions": "行政决策", "enforcement": "行政执法",
          "emergencies": "突发事件应对", "disputes": "矛盾纠纷化解", "oversight": "制约监督",
          "digital": "科技保障", "leadership": "党的领导·推进机制", "other": "其他"}  # fmt: skip
    ax.set_yticks(range(len(order)), [f"{zh[c]} ({c})" for c in order], fontsize=8)
    vmax = arr.max() if arr.size else 0
    for (i, j), v in np.ndenumerate(arr):
        if v:
            text = f"{v:.1f}" if grouped else str(int(v))
            ax.text(j, i, text, ha="center", va="center", fontsize=8, color="white" if v > vmax / 2 else "black")
    ax.set_title(
        "Stated quantities by area of 《法治政府建设实施纲要(2021-2025年)》" + (" (by report year)" if grouped else "")
    )
    fig.colorbar(im, ax=ax, shrink=0.7, label="quantities per report" if grouped else "quantities")
    fig.tight_layout()
    return fig


def plot_audit_classes(audit: pd.DataFrame, corpus: pd.DataFrame, *, label: str = "issuer") -> Figure:
    """Stacked bars: numeral occurrences per report by audit class.

    With more than :data:`MAX_REPORTS_SHOWN` reports, one bar per report year giving
    occurrences per report of that year.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    from analysis.plots.fonts import use_cjk_font

    use_cjk_font()
    mapping, rows, grouped = _groups(corpus, label)
    if len(audit):
        counts = pd.crosstab(audit["doc_id"].astype(str).map(mapping), audit["class"].astype(str))
    else:
        counts = pd.DataFrame()
    counts = counts.reindex(index=rows, columns=AUDIT_CLASSES, fill_value=0).fillna(0).astype(float)
    if grouped:
        sizes = pd.Series(mapping).value_counts().reindex(rows)
        counts = counts.div(sizes.to_numpy(), axis=0)
    fig, ax = plt.subplots(figsize=(8, 0.45 * max(3, len(rows)) + 1.5))
    left = pd.Series(0.0, index=counts.index)
    cmap = plt.get_cmap("tab10")
    for i, cls in enumerate(AUDIT_CLASSES):
        ax.barh(range(len(rows)), counts[cls], left=left, color=cmap(i), label=cls)
        left = left + counts[cls]
    ax.set_yticks(range(len(rows)), rows, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("numeral occurrences per report" if grouped else "numeral occurrences")
    ax.set_title("Numbers audit: what every numeral in the text was classed as")
    ax.legend(ncols=3, fontsize=7, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.18))
    fig.tight_layout()
    return fig


def _labels(corpus: pd.DataFrame, label: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for _, row in corpus.iterrows():
        doc = str(row["doc_id"])
        name = row.get(label) if label in corpus.columns else None
        text = str(name)[-14:] if isinstance(name, str) and name else doc
        year = row.get("report_year") if "report_year" in corpus.columns else None
        if year is not None and not pd.isna(year):
            text = f"{text} {int(year)}"
        # two reports with the same label (same issuer and year) stay apart
        while text in out.values():
            text = f"{text} ·"
        out[doc] = text
    return out
