"""The kind of a quantity: a result achieved, a target planned, or a per-unit rule.

A quantity is a ``target`` only when it is planned: it stands in the plans part of the
report, or its sentence plans it (下一步, 明年, 今后, 计划开展, 拟, 力争, 到2025年, 2025年将 …),
or its sentence or clause opens with a requirement (确保…, 要求…), or it is the value of a
goal (达到95%的目标). 目标, 指标 or 要求 inside a noun phrase (完成改革目标任务9项, 考核指标由40项
精简为12项, 按上级部署要求接入事项28项) do not make a result a target.

A quantity is ``per_capita`` when it is an amount per person or per unit that the report
sets as a rule or an allocation: 每位执法人员每季度…不少于15学时, 每个社区配备1名, 各乡镇配备…
不低于3人, and per-head ratios (人均, 户均, 每万人). Averages of what was done (平均每个社区排查
15处, 月均接待320人次, 日均办件量) and amounts spent per period (每年投入经费8万元) are results, and so
is a yearly average growth (年均增长6.8%). A planned per-unit rule is a target (the plan wins).

Everything else is a ``result``.

Examples
--------
>>> t = "力争全年办结率达到98%。"
>>> quantity_kind(t, clause_start=0, number_start=t.index("98"), number_end=t.index("%") + 1,
...               part=None, sentence_start=0)
'target'
>>> t = "平均每个社区排查隐患15处。"
>>> quantity_kind(t, clause_start=0, number_start=t.index("15"), number_end=t.index("处") + 1,
...               part=None, sentence_start=0)
'result'
"""

from __future__ import annotations

import re

__all__ = ["KINDS", "PLAN_PARTS", "PER_UNIT_RE", "plan_words_end", "quantity_kind"]

#: Every value of the ``kind`` column.
KINDS = ("result", "target", "per_capita")
#: Parts (``analysis.structure``) whose quantities are plans, i.e. targets.
PLAN_PARTS = frozenset({"plans"})

#: Per-unit words: 每位执法人员每季度…, 每个社区至少1名, 人均, 户均, 平均每, 年均
PER_UNIT_RE = re.compile(r"每|人均|户均|平均每|场均|年均")
# An average of what was done: 平均每个网格, 月均接待, 日均办件量, 年均增长 (a result)
_AVERAGE_RE = re.compile(r"平均|[日月周季年场]均")
# A ratio per head: 人均办案量, 户均, 每万人拥有律师数 (per_capita even when averaged)
_PER_HEAD_RE = re.compile(r"人均|户均|每[十百千万]+(?:人|户|名)")
# 每 and a period only (每年, 每月, 每季度): with an amount of money, a sum spent per period
_PER_PERIOD_RE = re.compile(r"每(?:一)?(?:年|年度|半年|季度|季|月|周|天|日)")
# 各 + a holder + an allocation or a norm: 各乡镇(街道)配备…不低于3人, 各配备2名, 各派驻1名;
# what each holder sent or set up is allocated to it too: 各派出2名, 16个乡镇各建成1个调解室
_ALLOCATION_VERBS = (
    r"(?:配备|配齐|派驻|选派|抽调|抽派|选调|明确|设立|设置|安排|落实|确定|聘请|坐班|值班"
    r"|派出|指派|推荐|建成|建立|组建|成立|新建|开设|培养|培育|选聘|聘任|选配|招募)"
)
_EACH_HOLDER_RE = re.compile(r"各(?:[\u4e00-\u9fff]{0,6}(?:\([^()]{0,8}\))?)?" + _ALLOCATION_VERBS)
# 均 (not 平均, 人均) + the same verbs: 26个村均配备1名, 各街道均设立1个
_ALL_HOLDERS_RE = re.compile(r"(?<![平人户日月年场])均" + _ALLOCATION_VERBS)
# 各 + a holder (not 各类, 各级, 各项 …)
#: 各 + a holder or a verb: each (各乡镇, 各配备), not 各类, 各级, 各项 …
EACH_RE = re.compile(r"各(?![类级项种地界方自有])[\u4e00-\u9fff]")
# Bounds that make a per-unit amount a norm: 不少于, 至少, 不低于, 不超过 …
_NORM_QUALIFIERS = frozenset({"at_least", "at_most"})

# Words that plan the quantity, anywhere in its sentence before it:
# 下一步,将新建…20个; 明年计划…; 力争到2025年; 2024年,区政府将推动…达到100%
# (争取上级资金2.3亿元 is money obtained, a result; 计划开展 is a plan, 铸剑计划 a name)
_PLAN_VERB = (
    # 计划2027年新聘: a year after the modal
    r"(?=于|在|到|20[0-9]{2}年|开展|完成|举办|组织|新建|新聘|聘请|招聘|建成|实施|投入|新增|培训|招录|引进|出台|制定|修订|办理|召开|发放|建设|打造|培育"
    r"|创建|实现|达到|提高|提升|推动|推进"
    # 计划年内建成, 拟于明年: a time word between the modal and its verb
    r"|年内|年底|今年|明年|全年|上半年|下半年)"
)
# (the look-behind stands after 将 so that the alternative opens with a character, which lets
# the search skip to it: (?<!已)将 and 将(?<!已将) match the same text)
_FUTURE_JIANG = (
    r"将(?<![已并均即]将)(?=要|会|继续|进一步|全面|加快|着力|重点|持续|大力|积极|深入|逐步|力争|争取|推动|推进|实现|建成|新建"
    r"|建设|开展|完成|组织|举办|培育|打造|实施|出台|制定|启动|新增|投入|提升|提高|达到|达|突破|超过|确保|增加|扩大|覆盖"
    # 将对全市…开展: what the plan acts on, then its verb
    r"|对(?=[^,;。]{1,24}?(?:开展|进行|实施|组织)))"
)
_TARGET_SENT_RE = re.compile(
    rf"力争|争取(?=(?:到|在|于)?20[0-9]{{2}}|实现|达到|完成|建成|创建|提高|提升|新增|年内|年底|办理|受理|开展|组织|举办|化解){_PLAN_VERB}?"
    # (到2028年底前, a deadline)
    rf"|目标是|目标为|预计|有望|拟(?!定|稿)|计划(?![\u4e00-\u9fff]{{0,4}}率){_PLAN_VERB}|到20[0-9]{{2}}年(?:底|末)?前?[,,]|下一步|下一年度?|明年|来年|今后"
    rf"|{_FUTURE_JIANG}|任务是"
)
# Words that plan the quantity inside its clause: 必须, 应当 (a duty), 将要
# (培训率要达到100%: 要 before a linking verb is a duty)
_TARGET_PRE_RE = re.compile(r"必须|应当|将要|(?<![需主重只纪摘提])要(?=达到|达|实现|控制在|保持在?|不低于|不少于)")
# A sentence or a clause that opens with a requirement: 确保…达到100%,…控制在5%以内; 要求在两个月内
_TARGET_OPEN_RE = re.compile(r"\s*(?:确保|要求|力争|争取到)(?!了)")
_TARGET_OPEN_FIRST = "确要力争"  # (with spaces, the characters a match can start with: a pre-check)
# The number is the value of a goal, written right after it: 超过20%的工作目标, 95%的年度目标
# (not 12项法治指标, “三个100%”目标全面实现: a goal reached; decided on the annotated fixtures)
_TARGET_POST_RE = re.compile(r"的(?:工作|年度|预期|考核|既定|总体)?(?:目标|指标)(?!(?:已|均|全面|提前|顺利)?(?:实现|完成|达成))")


def quantity_kind(
    t: str,
    clause_start: int,
    number_start: int,
    number_end: int,
    part: object,
    sentence_start: int,
    qualifier: str = "",
    unit: str = "",
    subject: str = "",
    plan_end: int | None = None,
) -> str:
    """``result``, ``target`` or ``per_capita`` for the number at ``t[number_start:number_end]``.

    (The parameters may be passed by position: the parser calls this for every number.)
    ``number_start`` includes a qualifier written before the number (逾, 近 …);
    ``clause_start`` and ``sentence_start`` are where its clause and sentence begin;
    ``part`` is the regulated part of the report holding it (or NA); ``qualifier`` and
    ``unit`` are the quantity's (a bound such as 不少于 makes a per-unit amount a norm;
    an amount of money per period is spent, not a norm); a ``subject`` that names a
    per-head ratio (人均可支配收入增长, continuing the clause before) makes it per_capita.
    ``plan_end``: :func:`plan_words_end` of the sentence, when the caller has it (one search
    per sentence instead of one per number).
    """
    if isinstance(part, str) and part in PLAN_PARTS:
        return "target"
    if plan_end is None:
        if _TARGET_SENT_RE.search(t, sentence_start, number_start):
            return "target"
    elif plan_end <= number_start:
        return "target"
    clause = t[clause_start:number_start]
    if ("每" in clause or "均" in clause or "各" in clause) and _per_unit(clause, qualifier, unit):
        return "per_capita"
    if ("均" in subject or "每" in subject) and _PER_HEAD_RE.search(subject):
        return "per_capita"
    # (inline pre-checks of _opens_with_requirement: most sentences and clauses open otherwise)
    c = t[sentence_start : sentence_start + 1]
    if (c in _TARGET_OPEN_FIRST or c < "\u3001") and _opens_with_requirement(t, sentence_start):
        return "target"
    c = clause[:1]
    if (c in _TARGET_OPEN_FIRST or c < "\u3001") and _opens_with_requirement(clause, 0):
        return "target"
    if _TARGET_PRE_RE.search(clause) or (t.startswith("的", number_end) and _TARGET_POST_RE.match(t, number_end)):
        return "target"
    return "result"


def plan_words_end(t: str, start: int, end: int) -> int:
    """Where the first word that plans the sentence ``t[start:end]`` ends (下一步, 明年, 力争 …),
    or ``end + 1`` when it holds none: a number at or after that offset is planned (the same
    answer as searching the text before each number, found once per sentence).

    Examples
    --------
    >>> t = "立案80宗,下一步将新建调解室20个。"
    >>> plan_words_end(t, 0, len(t)) <= t.index("20个") and plan_words_end(t, 0, len(t)) > t.index("80")
    True
    """
    m = _TARGET_SENT_RE.search(t, start, end)
    return end + 1 if m is None else m.end()


def _opens_with_requirement(text: str, pos: int) -> bool:
    """Whether ``text[pos:]`` opens with 确保, 要求, 力争 or 争取到 (spaces before allowed)."""
    c = text[pos : pos + 1]
    return (c in _TARGET_OPEN_FIRST or c.isspace()) and _TARGET_OPEN_RE.match(text, pos) is not None


def _per_unit(clause: str, qualifier: str, unit: str) -> bool:
    """Whether the clause before a number makes it an amount per person or unit."""
    if _PER_HEAD_RE.search(clause):
        return True
    if "每" in clause:
        if _AVERAGE_RE.search(clause):
            return False  # 平均每个网格每月走访42户: an average of what was done
        if unit.endswith("元"):
            # 每年列支经费15万元: money spent per period (a result); 每人补贴500元: per head
            return "每" in _PER_PERIOD_RE.sub("", clause)
        return True
    if "各" not in clause:
        # 全区26个村均配备1名法律顾问: 均 before an allocation, as 各
        return "均" in clause and _ALL_HOLDERS_RE.search(clause) is not None
    if _EACH_HOLDER_RE.search(clause):
        return True  # 各乡镇配备…, A、B各抽调执法骨干5名: an allocation to each
    # 各乡镇合法性审核人员不低于3人: a norm for each
    return qualifier in _NORM_QUALIFIERS and EACH_RE.search(clause) is not None
