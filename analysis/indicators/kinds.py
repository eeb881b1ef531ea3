"""The kind of a quantity: a result achieved, a target planned, or a per-unit rule.

- ``per_capita``: the clause sets an amount per person or per unit (每位执法人员…,
  每个社区至少1名, 人均);
- ``target``: the quantity stands in the plans part of the report, in a sentence that
  opens with a requirement (确保…, 要求…), or near goal words (目标, 力争, 下一步, 明年 …);
- ``result`` otherwise.

Examples
--------
>>> t = "力争全年办结率达到98%。"
>>> quantity_kind(t, clause_start=0, number_start=t.index("98"), number_end=t.index("%") + 1,
...               part=None, sentence_start=0)
'target'
"""

from __future__ import annotations

import re

__all__ = ["KINDS", "PLAN_PARTS", "PER_UNIT_RE", "quantity_kind"]

#: Every value of the ``kind`` column.
KINDS = ("result", "target", "per_capita")
#: Parts (``analysis.structure``) whose quantities are plans, i.e. targets.
PLAN_PARTS = frozenset({"plans"})

#: Per-unit words: 每位执法人员每季度…, 每个社区至少1名, 人均, 户均
PER_UNIT_RE = re.compile(r"每|人均|户均|平均每|场均|年均")
# Targets: goals and requirements (目标, 力争, 确保 …) in the clause around the number
# (计划开展 is a plan, 铸剑计划 a name; 争取上级资金2.3亿元 is money obtained, a result)
_PLAN_VERB = r"(?=于|在|到|开展|完成|举办|组织|新建|建成|实施|投入|新增|培训|招录|引进|出台|制定|修订|办理|召开|发放|建设|打造|培育)"
_NOT_FUNDS = r"(?!上级|资金|专项|项目|政策|中央|省|市级|国家|各级|各类|财政|债券|补助|奖补|到位)"
# (不符合要求的规定, 按要求: 要求 as a noun is no target; the look-behinds stand after 要 so
# that every alternative opens with a character, which lets the search skip to those
# characters: (?<!符合)要求 and 要(?<!符合要)求 match the same text)
# e.g. 确保 in 确保办结率达到98%, 目标 in 目标任务完成12项
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
# A goal word just after the number: 达到95%的目标 (anchored: see quantity_kind)
_TARGET_POST_RE = re.compile(r"^[^,;。]{0,12}?(?:目标|要求|指标)")


def quantity_kind(
    t: str, *, clause_start: int, number_start: int, number_end: int, part: object, sentence_start: int
) -> str:
    """``result``, ``target`` or ``per_capita`` for the number at ``t[number_start:number_end]``.

    ``number_start`` includes a qualifier written before the number (逾, 近 …);
    ``clause_start`` and ``sentence_start`` are where its clause and sentence begin;
    ``part`` is the regulated part of the report holding it (or NA).
    """
    clause = t[clause_start:number_start]
    # (every word of PER_UNIT_RE holds 每 or 均: test for them before calling the regex)
    if ("每" in clause or "均" in clause) and PER_UNIT_RE.search(clause):
        return "per_capita"
    if isinstance(part, str) and part in PLAN_PARTS:
        return "target"
    opening = t[sentence_start : sentence_start + 1]
    if opening in _TARGET_OPEN_FIRST and _TARGET_OPEN_RE.match(t, sentence_start):
        return "target"
    # _TARGET_POST_RE is anchored by ^, which a search from pos > 0 never matches (it matches
    # only at the start of t), and a token never ends at 0: the call is skipped, same result.
    end = number_end
    if _TARGET_PRE_RE.search(clause) or (end == 0 and _TARGET_POST_RE.search(t, end, min(len(t), end + 16))):
        return "target"
    if _TARGET_SENT_RE.search(t, sentence_start, number_start):
        return "target"
    return "result"
