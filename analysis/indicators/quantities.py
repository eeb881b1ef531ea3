"""Numbers in the text: every numeral span, what it is, and a quantity's value.

One scan per report finds every span made of numerals and tells what it is: a quantity
(立案80宗, 1.4万余份, 逾八成, 百分之九十五, 三分之一) or something else — years and dates, clock
times, heading numbers (一、 (一) 1. 一是), names of laws and plans in 《》 and campaign names
(三年行动), document, ICP and registration numbers, hotlines (12345), party congresses
(二十大, 十九届四中全会), anniversaries (60周年), addresses (13号之三) and numeric slogans.
Slogans are recognised by rule first (quotation marks; N+N; N-N机制; 一X双Y; N项制度;
N个意识 …, see ``_ALT_SRC``) and by the lexicon ``resources/slogans.txt`` second. A
quantity's token carries its value, unit, magnitude and qualifier
(:mod:`analysis.numbers` reads those).

The scan is linear in the text: a search for the next trigger character (a digit, a
Chinese numeral or one of 《 “ ‘ 「 " 第 ( 〔 [ 【; quotation and book-title marks only when
a numeral follows inside), then one bounded ``match`` there. The
pattern tried at a trigger holds only the alternatives that can begin with that character:
each alternative's first characters are written next to it (``_ALT_FIRST``), and the
tests check them against matches generated from the patterns.

Examples
--------
>>> [(tok.group, tok.cls, float(tok.value or 0), tok.unit) for tok in tokenize_numbers("2023年立案80宗。")]
[('year', 'year', 0.0, ''), ('qar', 'indicator', 80.0, '宗')]
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from analysis.indicators.clauses import clause_before
from analysis.indicators.codebook import slogan_words
from analysis.indicators.kinds import EACH_RE, PER_UNIT_RE
from analysis.numbers import (
    FREQUENCY_BASES,
    TIME_UNITS,
    CN_DIGITS,
    CN_NUMERALS,
    CN_POINTS,
    DIGITS,
    MAGNITUDE_PATTERN,
    NUMBER_PATTERN,
    NUMBER_THOUSANDS_PATTERN,
    RANGE_SEP_PATTERN,
    UNIT_AR_PATTERN,
    UNIT_CN_PATTERN,
    cn_to_number,
    parse_arabic,
    percent_of_fraction,
    read_qualifiers,
)

__all__ = ["Token", "tokenize_numbers", "TRIGGER_CHARS", "CLASS_OF_GROUP", "QUANTITY_GROUPS"]

_N = "一二两三四五六七八九十"  # numerals that open a Chinese count

# N日 before a bound or a change (30日以下, 15日内, 60日缩短至) or after a change (压缩至30日) is a
# number of days, not a day of the month: the date alternative leaves it to qar (unit 日)
_DAYS_AFTER = r"\s*(?:以内|之内|以下|以上|左右|内(?![容部外地涵设在])|缩短|压缩|压减|缩减|减少|延长|提高|降低)"

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
        # (not 30日以内, 15日内: a time limit in days, read by qar)
        rf"|(?<![0-9.])(?<![短缩减降长][至到])[0-9]{{1,2}}\s*日(?![0-9])(?!{_DAYS_AFTER})"
        r"|[二〇零一三四五六七八九]{4}年"
        rf"|(?<![{CN_NUMERALS}第])(?:十[一二]|[一二三四五六七八九十])月(?:份|初|底|末|上旬|中旬|下旬)?"
        r")",
        # 2023年, 2023年度
        r"(?P<year>[0-9]{4}\s*年度?)",
        # 二十大, 十九届四中全会, 二中、三中、四中全会: party congresses and plenums
        # (区委十届九次全会, 县九届人大: a lower body's own numbering before 届)
        r"(?P<party>(?:十[一二三四五六七八九]|二十[一二三]?|[一二三四五六七八九十](?=届(?:人大|政协|人民代表大会|党代会|纪委|常委会)?(?:常委会)?[一二三四五六七八九十]+次))"
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
        # 五年间, 比五年前: a span or a point in the past that frames a comparison
        rf"|(?:[0-9]+(?![0-9])|[{_N}]+)\s*(?:个月|年)(?=间|之间|前(?![0-9]|完成|建成|实现|办结|达到)|之前)"
        # 今后五年, 未来三年: the years ahead; 十多年来: since more than ten years
        rf"|(?<=今后|未来|此后)(?:[0-9]+(?![0-9])|[{_N}]+)\s*(?:个月|年|天|周)(?!度|级|[0-9])"
        rf"|[{_N}]+[多余]年(?=来|以来)"
        # 连续三年获评: a run of years framing a statement
        rf"|(?<=连续)(?:[0-9]+(?![0-9])|[{_N}]+)\s*(?:个月|年|届|季度)(?!度|级|[0-9]))",
        # 三分之一, 3分之2: fractions (read as percentages)
        rf"(?P<frac>(?P<fd>[0-9]+(?![0-9])|[{CN_NUMERALS}]+)分之(?P<fn>[0-9]+(?:\.[0-9]+)?(?![0-9])|[{CN_NUMERALS}{CN_POINTS}]+))",
        # 三年行动, 百日攻坚, 十四五, 八五普法: campaign and plan names
        rf"(?P<plan>(?:[0-9]+|[{_N}百]+)\s*(?:年|日|天)\s*(?:行动|攻坚|计划|规划|专项|会战|大会战|目标)"
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
        # (not 一点五小时: a decimal point is no slogan's word)
        rf"(?:(?![{CN_NUMERALS}{CN_POINTS}双多])[\u4e00-\u9fff]){{1,3}}?[一两双三四五六七八九十多]"
        rf"(?![个名件次项家处场位人])(?:(?![{CN_NUMERALS}])[\u4e00-\u9fff])"
        rf"|[两三四五六七八九十]个一(?![个名件次项家处场位人])"
        # 三项制度, 三项机制, 五项原则
        rf"|[{_N}]项(?:制度|机制|基本原则|原则)"
        # 四个意识, 两个维护, 两个积极性 …: political formulas; 两条底线, 三条红线
        rf"|[{_N}]个(?:意识|自信|维护|确立|代表|务必|全面|清楚|不发生|坚持|没有变|统筹|必须|绝不|有利于|积极性|毫不动摇|区分开来)"
        rf"|[{_N}]条(?:底线|红线|主线)"
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
        rf"(?P<pct>百分之(?P<pct_n>[0-9]+(?:\.[0-9]+)?(?![0-9])|[{CN_NUMERALS}{CN_POINTS}]+))",
        # 两个“100%”, 三个“百分之百”: one value shared by the subjects listed before
        r"(?P<qshare>(?P<sn>[两三四五六七八九十])个\s*“\s*(?:100\s*%|百分之百|百分之一百)\s*”)",
        # quantities with Arabic numbers: 80宗, 1.4万余份, 3-5次, 210.61万元, 99.7%, 1,234人
        rf"(?P<qar>(?P<n1>{NUMBER_THOUSANDS_PATTERN}(?=\s*(?:余|多)?(?:{MAGNITUDE_PATTERN})?(?:余|多)?(?:{{UNIT_AR}}))|{NUMBER_PATTERN})"
        # 3-5次, 300万~500万元 (a magnitude on both sides of the range)
        rf"(?:(?P<mag1>万|亿)(?={RANGE_SEP_PATTERN}[0-9]))?(?:{RANGE_SEP_PATTERN}(?P<n2>{NUMBER_PATTERN}))?"
        rf"\s*(?P<qa>余|多)?(?P<mag>{MAGNITUDE_PATTERN})?(?P<qb>余|多)?"
        rf"(?:(?P<unit>{{UNIT_AR}}|日)|(?<=[万亿])))",
        # quantities with Chinese numerals: 三个环节, 两级, 一千二百人, 八成, 十多个
        # (数十场, 几百人 are vague: no quantity; 近百场, 逾千人, 近万人次 are)
        # (统一, 唯一, 同一, 进一步, 合一, 均一: fixed words with 一, so a character of them bars only
        # 一 after it — 审核合同五十二份 is a count; 数十, 几百 are vague, so 数 and 几 bar only
        # 十 百 千 万 — 受援人数一千零八十人 is a count; 之三, 万三千 bar any numeral)
        rf"(?P<qcn>(?<![万之])(?<![数几](?=[十百千万]))(?<![进统唯同逐其单专划均合归初](?=一))"
        # (三点五: a decimal point 点, or 點 in traditional script, between Chinese digits)
        rf"(?P<cn>[{CN_DIGITS}十][{CN_NUMERALS}]*(?:[{CN_POINTS}][{CN_DIGITS}]+[万亿]?)?|[百千万]+(?=余|多)|(?<=[近逾约超])[百千万])"
        rf"(?:(?:至|到|-|—|~)(?P<cn2>[{CN_DIGITS}十][{CN_NUMERALS}]*))?"
        # (八百余万元, 十多万人: 余/多 before the magnitude)
        rf"(?P<cqa>余|多)?(?:(?<=[余多])(?P<cmag>[万亿]))?(?P<cunit>{{UNIT_CN}}))",
        # anything else made of digits: 0, 12345 (no unit)
        r"(?P<bare>[0-9]+(?:\.[0-9]+)?(?![0-9]))",
]
# The characters of the text at which each alternative can begin (among the trigger
# characters below). The pattern tried at a trigger holds only the alternatives whose set
# holds its character; "{LEXICON}" stands for the first characters of the lexicon's words.
# (tests/indicators/test_indicators_quantities.py checks every set against matches
# generated from its alternative.)
_CN_COUNT = _N  # 一 … 十, 两
_ALT_FIRST = {
    "book": "《", "quoted": "“‘「\"", "docno": "〔[【", "hparen": "(", "yrange": DIGITS,
    "date": DIGITS + "零〇一二三四五六七八九十", "year": DIGITS, "party": "一二三四五六七八九十",
    "anniv": DIGITS + _CN_COUNT + "百", "address": DIGITS, "timespan": DIGITS + _CN_COUNT,
    "frac": DIGITS + CN_NUMERALS, "plan": DIGITS + _CN_COUNT + "百", "lexicon": "{LEXICON}",
    "plus": DIGITS + _CN_COUNT, "hline": DIGITS + _CN_COUNT, "onex": _CN_COUNT, "dash": DIGITS,
    "phone": DIGITS, "code": DIGITS, "ordinal": "第", "alnum": DIGITS, "hours": "27", "pct": "百",
    "qar": DIGITS, "qcn": CN_DIGITS + "十百千万", "bare": DIGITS, "qshare": "两三四五六七八九十",
}  # fmt: skip
# (?P<book>…: the name of an alternative
_GROUP_NAME_RE = re.compile(r"\(\?P<(\w+)>")


def _lexicon_re(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in words) or "(?!x)x"


def _alternatives() -> list[tuple[str, str]]:
    """(group name, source with the unit lists filled in) of each master alternative, in order."""
    out = []
    for src in _ALT_SRC:
        m = _GROUP_NAME_RE.match(src)
        if m is None or m.group(1) not in _ALT_FIRST:
            raise AssertionError(f"alternative without a known group: {src[:40]}")
        out.append((m.group(1), src.replace("{UNIT_AR}", UNIT_AR_PATTERN).replace("{UNIT_CN}", UNIT_CN_PATTERN)))
    return out


#: The characters at which a token can start: digits, Chinese numerals, 《 “ ‘ 「 " 第 ( 〔 [ 【.
TRIGGER_CHARS = DIGITS + CN_NUMERALS + '《“‘「"第(〔[【'
_TRIGGER_RE = re.compile("[" + "".join(re.escape(c) for c in TRIGGER_CHARS) + "]")
# The triggers the tokeniser stops at: the same, except marks that open no token: quotation
# and book-title marks with no numeral inside the span their alternative can match
# (“依法治区”, 《行政处罚法》: the common case; nothing inside such a span can be a token either,
# every token holds a numeral), and ( 第 〔 [ 【 not followed by the numeral their alternatives
# need. Skipping them in the C search changes nothing (the tests check this against
# _TRIGGER_RE). e.g. matches 2, 三, “ in “1310”, 《 in 《纲要(2021-2025年)》, ( in (一)
_NUMERAL_CLASS = f"[0-9{CN_NUMERALS}]"
# (a straight quote " always triggers: it is not directional, so whether a span without a
# numeral is consumed decides where the next span opens, as in _TRIGGER_RE: ":"0")
_PUNCT_TRIGGERS = "《“‘「\""
_TRIGGER_FAST_RE = re.compile(
    # (one character class first, then the condition: the search scans for the class in C)
    _TRIGGER_RE.pattern
    + f"(?:(?<![{_PUNCT_TRIGGERS}(第〔\\[【])|(?<=\\()(?=\\s*[0-9{_N}])|(?<=第)(?=\\s*{_NUMERAL_CLASS})"
    + f"|(?<=[〔\\[【])(?=\\s*[0-9])|(?<=《)(?=[^《》\\n]{{0,120}}?{_NUMERAL_CLASS})"
    + f"|(?<=“)(?=[^“”\\n]{{0,60}}?{_NUMERAL_CLASS})|(?<=‘)(?=[^‘’\\n]{{0,40}}?{_NUMERAL_CLASS})"
    + f'|(?<=「)(?=[^「」\\n]{{0,40}}?{_NUMERAL_CLASS})|(?<="))'
)


def _first_chars(name: str, words: list[str]) -> frozenset[str]:
    """The trigger characters at which alternative ``name`` can begin (``words``: the lexicon)."""
    first = _ALT_FIRST[name]
    if first == "{LEXICON}":
        first = "".join(w[0] for w in words if w)
    return frozenset(first) & frozenset(TRIGGER_CHARS)


@functools.lru_cache(maxsize=1)
def _master_by_char() -> dict[str, re.Pattern[str]]:
    """For each trigger character, the master pattern: the alternatives (in order) that can
    begin with that character, the slogan lexicon compiled in.

    At a position holding ``c`` it returns the same match as the pattern of all the
    alternatives, because an alternative whose match must begin with another character
    fails there, and dropping failing alternatives changes neither which alternative (the
    first that matches) wins nor its groups. It is faster because many alternatives begin
    with a narrow set of characters (only 百 opens 百分之, only 2 and 7 open 24小时, 《 opens
    only a book name).
    """
    words = slogan_words()
    lexicon = _lexicon_re(words)
    alts = [(src.replace("{LEXICON}", lexicon), _first_chars(name, words)) for name, src in _alternatives()]
    compiled: dict[str, re.Pattern[str]] = {}  # (characters with the same alternatives share one)
    out = {}
    for c in TRIGGER_CHARS:
        pattern = "|".join(src for src, first in alts if c in first) or "(?!x)x"
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
# quantity skips ~15 alternatives that would fail (the tests check this against the full
# pattern on generated text).
_SHORT_RUN_RE = re.compile(
    "[0-9]{1,3}(?![0-9])(?:\\.(?=[0-9])|(?![\\sA-Za-z" + "".join(re.escape(c) for c in sorted(_DIGIT_RUN_NEXT)) + "]))"
)

#: (audit class, reason) of each alternative that is not a quantity.
CLASS_OF_GROUP = {
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
#: The alternatives whose match is a quantity.
QUANTITY_GROUPS = ("qar", "qcn", "pct", "frac", "qshare")
_CN_NUMERAL_SET = frozenset(CN_NUMERALS)
_DIGIT_SET = frozenset(DIGITS)
_CN_DIGIT_SET = frozenset(CN_DIGITS)


@dataclass(slots=True)
class Token:
    """A numeral span of the text: ``t[start:end]``, the alternative (``group``) that
    matched it, its audit class and reason; quantities also carry their number."""

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
    shares: int = 0  # “三个100%”: the number of listed subjects sharing the value (0: not shared)


def tokenize_numbers(t: str) -> list[Token]:
    """The numeral spans of normalised text ``t`` (see
    :func:`analysis.numbers.normalize_width`), left to right, non-overlapping."""
    master_of = _master_by_char()
    short = _quantity_or_bare_master()
    out: list[Token] = []
    append = out.append
    pos = 0
    trig = _TRIGGER_FAST_RE.search
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
        if mm is None or mm.end() == i:
            # 受益人数超过五千, 点击量近三十万: a Chinese number whose unit is in the subject
            implicit = _implicit_cn_quantity(t, i) if c in _CN_START else None
            if implicit is None:
                pos = i + 1
                continue
            append(implicit)
            pos = implicit.end
            continue
        e = mm.end()
        group = mm.lastgroup or ""
        if group in QUANTITY_GROUPS:
            tok = _quantity_token(t, mm, group)
        elif group in _PLAIN_GROUPS:  # the common case (1、 (一) 2023年 …), as _token_from_match
            cls, reason = CLASS_OF_GROUP[group]
            tok = Token(i, e, group, cls, reason, None, None, "", "", "", i)
            if group == "bare" and (implicit := _implicit_quantity(t, i)) is not None:
                # 参加考试人数12,680: the unit is in the subject (as _token_from_match); it may
                # take in more digits (12,680)
                tok, e = implicit, implicit.end
        else:
            if group not in CLASS_OF_GROUP:
                # a named sub-group (n1, unit …) can be lastgroup; find the top-level alternative
                # (a master pattern holds only some alternatives: skip groups it lacks)
                names = mm.re.groupindex
                for g in QUANTITY_GROUPS:
                    if g in names and mm.group(g) is not None:
                        group = g
                        break
            tok = _token_from_match(t, mm, group)
        if tok is not None:
            append(tok)
        pos = e
    return out


# 一 … 九, 十 … 亿, 0-9: any numeral
_NUMERAL_RE = re.compile(f"[0-9{CN_NUMERALS}]")
_DIGIT_RE = re.compile("[0-9]")


def _has_numeral(s: str) -> bool:
    return _NUMERAL_RE.search(s) is not None


def _token_from_match(t: str, mm: re.Match[str], group: str) -> Token | None:
    s, e = mm.span()
    if group in QUANTITY_GROUPS:
        return _quantity_token(t, mm, group)
    cls, reason = CLASS_OF_GROUP[group]
    if group in _CHECKED_GROUPS:  # (the other groups are tokens as matched)
        text = mm.group(0)
        if group in ("book", "quoted"):
            if not _has_numeral(text[1:-1]):
                return None
            if group == "quoted" and _PHONE_IN_QUOTES_RE.fullmatch(text[1:-1]):
                cls, reason = "other", "hotline or phone number"
            elif group == "quoted" and (share := _COUNTED_SHARE_RE.fullmatch(text[1:-1])) is not None:
                # “三个100%”, “双100%”: the value of each of the subjects listed before
                n = 2 if share.group("n") is None else int(cn_to_number(share.group("n")))
                return Token(s, e, "share", "indicator", "", Decimal(100), None, "%", "", "", s, n)
        elif group == "ordinal" and _DIGIT_RE.search(text) is None:
            # 第一责任人, 第二批: Chinese ordinals are audited only with a classifier
            if len(text) <= 1 or text[-1] in _CN_NUMERAL_SET:
                return None
        elif group == "lexicon" and not _has_numeral(text):
            return None
    elif group == "bare" and (implicit := _implicit_quantity(t, s)) is not None:
        return implicit
    return Token(s, e, group, cls, reason, None, None, "", "", "", s)


_CHECKED_GROUPS = frozenset({"book", "quoted", "ordinal", "lexicon"})
# Groups whose match is a token as it stands
_PLAIN_GROUPS = frozenset(CLASS_OF_GROUP) - _CHECKED_GROUPS


# 三个100%, 双100%, 两个百分之百 (inside quotation marks): one value for each listed subject
_COUNTED_SHARE_RE = re.compile(r"\s*(?:(?P<n>[两三四五六七八九十])个|双)\s*(?:100\s*%|百分之百|百分之一百)\s*")
# “12345”, “12348热线”, “020-12345678” in quotation marks are hotlines, not slogans
_PHONE_IN_QUOTES_RE = re.compile(r"(?:123[0-9]{2}|[0-9]{3,5}(?:热线|专线|服务热线)|0[0-9]{2,3}-[0-9]{7,8})(?:热线|专线)?")


def _numeral_value(raw: str) -> Decimal:
    """An Arabic or a Chinese numeral as written (1,234.5 or 九十五); raises ValueError or
    decimal.InvalidOperation when it is neither."""
    return parse_arabic(raw) if raw[0] in _DIGIT_SET else Decimal(str(cn_to_number(raw)))


def _quantity_token(t: str, mm: re.Match[str], group: str) -> Token | None:
    s, e = mm.span()
    value: Decimal
    value_max: Decimal | None = None
    unit = mag = qualifier = ""
    if group == "qshare":  # 两个“100%”
        return Token(s, e, group, "indicator", "", Decimal(100), None, "%", "", "", s, int(cn_to_number(mm.group("sn"))))
    if group == "frac":
        try:
            denominator, numerator = (_numeral_value(mm.group(g)) for g in ("fd", "fn"))
            value = percent_of_fraction(numerator, denominator)
        except (ValueError, InvalidOperation):
            return Token(s, e, group, "other", "unreadable numeral", qstart=s)
        unit = "%"
    elif group == "pct":
        try:
            value = _numeral_value(mm.group("pct_n"))
        except (ValueError, InvalidOperation):
            return Token(s, e, group, "other", "unreadable numeral", qstart=s)
        unit = "%"
    elif group == "qar":
        n1, n2, g_mag, mag1, g_unit, qa, qb = mm.group("n1", "n2", "mag", "mag1", "unit", "qa", "qb")
        value = parse_arabic(n1)
        if n2:
            value_max = parse_arabic(n2)
        mag = g_mag or ""
        if mag1 and mag1 != mag:
            return Token(s, e, group, "other", "unreadable range", qstart=s)
        unit = g_unit or ((_subject_unit(t, s) or "") if mag else "")  # 关注人数达8.6万: 万人
        if not unit and not mag:
            return Token(s, e, group, "other", "number without a unit", qstart=s)
        if qa or qb:
            qualifier = "more_than"
        # 3年 after a 4-digit number is a year (caught earlier); 1-3 digits + 年 is a duration
    else:  # qcn
        cn, cn2, unit, cqa, cmag = mm.group("cn", "cn2", "cunit", "cqa", "cmag")
        if cmag:
            mag = cmag  # 八百余万元 -> 800 万元, more than
        elif cn[-1] in "万亿":
            # 十万人 -> 10 万人; 万余人, 近万人次 -> 1 万人(次)
            cn, mag = (cn[:-1] or "一"), cn[-1]
        if len(cn) > 1 and all(c in _CN_DIGIT_SET for c in cn):
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
            before = clause_before(t, s)
            # (压减至一个工作日以内: a time limit of one is a number)
            limit = unit in TIME_UNITS and prev in ("至", "到")
            if not limit and (prev == "每" or not (PER_UNIT_RE.search(before) or EACH_RE.search(before))):
                return None  # (各确定法治带头人一名: one each is an allocation, as 每)
        if cn == "二" or prev in _CN_NUMERAL_SET or prev == "第":
            return None  # 二次, 二级 are ordinal-like (a count of two is written 两)
        if cn == "十" and unit == "分" and not mag:
            return None  # 十分重视: "very", not ten points
    if unit in ("位", "名") and t[s - 1 : s] == "前" and _RANK_BEFORE_RE.search(t, max(0, s - 12), s - 1):
        return Token(s, e, group, "other", "a rank (进入全省前五位)", qstart=s)
    if unit == "级" and t[e : e + 2] in ("甲等", "乙等", "丙等", "医院"):
        return Token(s, e, group, "other", "a grade (三级甲等医院)", qstart=s)
    if unit == "级" and _is_level_scope(t, s, e):
        return Token(s, e, group, "other", "scope of administrative levels (市、县两级)", qstart=s)
    qualifier, qstart, e = read_qualifiers(t, s, e, unit, qualifier)  # 逾, 近, 约, 不少于 … 以上, 左右
    return Token(s, e, group, "indicator", "", value, value_max, unit, mag, qualifier, qstart)


# N级 after the levels it sums up: 市、县两级, 县乡村三级, “镇—村—组”三级 (the list before it)
_LEVELS = "(?:[省市县区乡镇村组]|街道|社区|街)"
_LEVEL_LIST_RE = re.compile(f"{_LEVELS}(?:[、—\\-与和及]?{_LEVELS})+[”」’]?\\s*$")
# N级 naming who acts or what is covered: 两级法院, 三级联动, 四级全覆盖, 两级政府
_LEVEL_SCOPE_AFTER_RE = re.compile(
    r"\s*(?:人民)?(?:法院|检察院|党委|政府|人大|政协|联动|全覆盖|覆盖|贯通|联网|互联互通|同步|共建|协同|一体)"
)
# a tier structure that was built is a count: 建成县乡村三级调解网络, 建立了“镇—村—组”三级网格
_BUILD_RE = re.compile(r"建成|建立|搭建|形成|构建|组建|成立|打造|健全|完善|设立")


def _is_level_scope(t: str, s: int, e: int) -> bool:
    """Whether the N级 at ``t[s:e]`` names the scope of an action (市、县两级推行…), not a
    tier structure that was built."""
    listed = _LEVEL_LIST_RE.search(t, max(0, s - 16), s) is not None
    if not listed and _LEVEL_SCOPE_AFTER_RE.match(t, e) is None:
        return False
    return _BUILD_RE.search(clause_before(t, s)) is None


# A subject ending in a classifier and 数/量, or in a counted classifier + 次 (人次, 场次 …),
# names the unit of a bare number after it: 参加考试人数12,680, 日均办件量2,300余, 来访户数286,
# 参训人次达1,850, 关注人数达8.6万, 送法活动场次达四十二, 出动执法车次超过300
_UNIT_IN_SUBJECT_RE = re.compile(
    r"(?:(?P<unit>人次|户次|件次|场次|批次|家次|[人户件家个名份条起宗项次场批所])(?:数|量)"
    # (本次, 单次 "this time", "a single time" are no unit)
    rf"|(?P<unit2>[{''.join(b for b in FREQUENCY_BASES if b not in '本单')}]次))"
    # (惠及人数:4,210 — a label and its value, as in a list of figures)
    r"(?:为|是|达到?|共计|总计|合计|累计|突破|超过|逾|约|近|近乎|接近|:)?\s*$"
)
# the number after such a subject: 12,680 | 2,300余 | 12 860 | 8.6万
_IMPLICIT_NUMBER_RE = re.compile(
    rf"(?P<n>{NUMBER_THOUSANDS_PATTERN}|{NUMBER_PATTERN})[^\S\n]*(?P<qa>余|多)?(?P<mag>{MAGNITUDE_PATTERN})?(?P<qb>余|多)?"
)


def _subject_unit(t: str, s: int) -> str | None:
    """The classifier named by the subject just before ``t[s]`` (人数 -> 人), or None."""
    window = t[max(0, s - 10) : s]
    if "数" not in window and "量" not in window and "次" not in window:  # (a pre-check)
        return None
    m = _UNIT_IN_SUBJECT_RE.search(t, max(0, s - 10), s)
    return (m.group("unit") or m.group("unit2")) if m else None


# A Chinese number with no classifier after it: 四十二, 两千三百, 三十万, 三点二万
_CN_START = frozenset(CN_DIGITS + "十") - {"零", "〇"}
_CN_RUN_RE = re.compile(f"[{CN_DIGITS}十][{CN_NUMERALS}]*(?:[{CN_POINTS}][{CN_DIGITS}]+[万亿]?)?")
# what stands before a number of a measure named without a classifier: 点击量近, 访问量达
_MEASURE_BEFORE_RE = re.compile(
    r"(?:量|数|额|规模|总值|总额)(?:为|是|达到?|共计|累计|突破|超过|逾|约|近|接近|:)?\s*$"
)


_MEASURE_CHARS = frozenset("数量次额模值")
#: A comparison a change is measured against (regex source): 同比, 比上年, 较上年末, 比常年 …
#: (比五年前, 较三年前: a comparison with a past point, as 比上年)
COMPARED = (
    # (比上年末, 较年初, 比常年 (a climate normal), 同口径 / 可比口径: comparisons as 比上年)
    r"(?:同比|环比|比上年末|较上年末|比上年|较上年|比去年|较去年|比上年同期|较上年同期|与上年相比|比年初|较年初"
    r"|比常年|较常年|同口径|可比口径"
    r"|[比较](?:[0-9]+|[一二两三四五六七八九十]+)(?:个月|年)前)"
)
# a change right before the number: 较上年增加|十二万 (a magnitude after a change continues the
# measure before it, whose unit it shares)
_CHANGE_BEFORE_RE = re.compile(f"{COMPARED}(?:增加|减少|增长|下降|提高|降低|净增)了?$")
# A rank: 进入全省前五位, 位列全市前10名 (the places, not a count)
_RANK_BEFORE_RE = re.compile(r"(?:进入|位列|位居|排名|排在|跻身|居于?|名列)[^,;。]{0,8}$")


def _implicit_cn_quantity(t: str, s: int) -> Token | None:
    """A Chinese number without a classifier whose unit the subject names (受益人数五千 ->
    5000 人) or whose magnitude is its unit after a measure (点击量近三十万 -> 30 万), or None."""
    # (pre-check: both need a measure's last character before the number, see _subject_unit
    # and _MEASURE_BEFORE_RE)
    window = t[max(0, s - 10) : s]
    after_change = _CHANGE_BEFORE_RE.search(window) is not None
    if not after_change and not _MEASURE_CHARS.intersection(window):
        return None
    m = _CN_RUN_RE.match(t, s)
    if m is None or (s > 0 and t[s - 1] in _CN_NUMERAL_SET) or t[s - 1 : s] == "第":
        return None
    text, mag = m.group(), ""
    if text[-1] in "万亿":
        text, mag = text[:-1] or "一", text[-1]
    unit = _subject_unit(t, s)
    if unit is None:
        # 点击量近三十万; 观看量四十六万,较上年增加|十二万: a magnitude changing as the measure did
        if not mag or (_MEASURE_BEFORE_RE.search(t, max(0, s - 8), s) is None and not after_change):
            return None
        unit = ""
    if (len(text) > 1 and all(c in _CN_DIGIT_SET for c in text)) or (text == "一" and not mag):
        return None  # 二〇二三: a year; 一: an article
    try:
        value = Decimal(cn_to_number(text))
    except (ValueError, ArithmeticError):
        return None
    # 受援人次达一千二百余: 余/多 after the number (as after 1,200余)
    end, qualifier = (m.end() + 1, "more_than") if t[m.end() : m.end() + 1] in ("余", "多") else (m.end(), "")
    qualifier, qstart, e = read_qualifiers(t, s, end, unit, qualifier)
    return Token(s, e, "qimplicit", "indicator", "", value, None, unit, mag, qualifier, qstart)


def _implicit_quantity(t: str, s: int) -> Token | None:
    """A number without a unit whose subject names its unit (人数12,680 -> 12680 人), or None."""
    unit = _subject_unit(t, s)
    if unit is None:
        return None
    m = _IMPLICIT_NUMBER_RE.match(t, s)
    if m is None:
        return None
    qualifier = "more_than" if m.group("qa") or m.group("qb") else ""
    value = parse_arabic(m.group("n"))
    qualifier, qstart, e = read_qualifiers(t, s, m.end(), unit, qualifier)
    return Token(s, e, "qimplicit", "indicator", "", value, None, unit, m.group("mag") or "", qualifier, qstart)
