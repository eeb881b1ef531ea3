"""Quantities shared by a list of subjects, and changes that continue a quantity.

Reports often state one value for several things, or several values for several things
in one breath:

- ``受理率、办结率、满意率均达100%``, ``A和B均为100%``, ``A、B均较上年提高2个百分点``: one row
  per listed subject, each with the shared value (and the shared quote);
- ``受理率、办结率、满意率“三个100%”``, ``A、B实现两个“100%”``, ``“双100%”``: the same, the
  counted value naming how many subjects share it;
- ``A、B、C分别为95%、98%和100%``: the subjects and the values paired in order;
- ``聘请A、B各8名`` (each of the objects), ``X局、Y局各抽调执法骨干5名`` (each holder: the
  holder stays in the subject);
- a change that continues a quantity takes what changed as its subject:
  ``地区生产总值1,286亿元,比上年增长5.9%`` -> 地区生产总值比上年增长; ``…1,326件,…1,302件,
  同比分别增长8.4%和9.1%`` pairs the changes with the quantities before them.

A list needs a distributive word (均 都 各 分别) or a counted value: ``受理、调处、化解矛盾纠纷
1252件`` is one quantity of three verbs. Items are split at 、 and, when both sides end in the
same character (审核率和备案率, 行政复议案件和行政诉讼案件), at 和 及 与 (not 调解和解率).

Examples
--------
>>> from analysis.indicators.quantities import tokenize_numbers
>>> from analysis.indicators.subjects import attach_subjects
>>> t = "办结率、满意率均达到100%。"
>>> [q.subject for q in share_lists(t, attach_subjects(t, tokenize_numbers(t)))]
['办结率', '满意率']
"""

from __future__ import annotations

import dataclasses
import re

from analysis.indicators.clauses import SENT_END_RE
from analysis.indicators.quantities import COMPARED
from analysis.indicators.subjects import Quantity, clean_pre

__all__ = ["share_lists"]

# the text before a number: items, a comparison, a period, the distributive word (双双: both), a predicate
# e.g. 法律援助案件结案率、回访率|均|较上年提高, 区公安分局、区市场监管局|各|抽调执法骨干,
# 行政复议纠错率、调解和解率|较上年|分别|提高, 司法所所长、驻所律师|每月|各|坐班
_LIST_RE = re.compile(
    r"^(?P<items>[^,;:。]+?)(?P<cmp>(?:较|比|同比|环比)(?:上年|去年)?(?:同期)?)?"
    r"(?P<period>每(?:年|月|周|季度|天|日|半月)|全年|今年|本年度|年内|当年)?(?P<mark>均|都|各|分别|双双)(?P<pred>[^,;:。]*)$"
)
# the same without a distributive word, before a counted value (“三个100%”)
_SHARED_LIST_RE = re.compile(r"^(?P<items>[^,;:。]+?)(?P<pred>(?:均|都)?(?:实现|达到|达|为|保持|均)?)$")
# words that only link the subjects to the value: 为, 达到, 保持在, 实现 …
# (违法行为, 作为, 成为: 为 ending a word is no linking verb)
_LINK_RE = re.compile(r"^(?:达到了?|达|为|是|保持在?|维持在?|稳定在|实现|在|有)|(?:达到了?|达|(?<![行作成认视称])为|是|保持在?|实现)$")
# 分别提高到62%和95%: the level reached (the values are levels, not changes)
_REACH_LEVEL_RE = re.compile(
    r"^(?:逐步|逐年|进一步|大幅)?(?:提高|提升|增加|增长|上升|下降|减少|降低|压缩|压减|缩短|扩大|精简|缩减|调整)(?:到|至)$"
)
# A subject that names only a change: 同比增长, 比上年提高, 较上年增加, 净增, 分别增长 …
_CHANGE = (
    rf"(?:(?:{COMPARED}|年均)?(?:分别)?"
    r"(?:增长|下降|提高|提升|减少|增加|上升|降低|净增|净减|回落|增|降|偏高|偏低|偏多|偏少)"
    # 较上年压缩4个工作日: a verb of shortening names a change only after a comparison
    # (压减86项 alone is an activity)
    rf"|{COMPARED}(?:分别)?(?:压缩|缩短|压减|缩减|精简)"
    # …败诉率为9.6%,|高于全省平均水平|2.1个百分点: a comparison with an average continues the
    # measure before it
    r"|(?:高于|低于|超过|超出|优于)(?:全国|全省|全市|全区|全县|全州|全盟|同级|同类|同期)?的?平均(?:水平|值|数)?)(?:了)?"
)
_CHANGE_ONLY_RE = re.compile(f"^{_CHANGE}$")
_CHANGE_LAST = frozenset("长降高升少加增落了减缩短简低多平均值数")  # the last characters of _CHANGE's words
_CHANGE_END_RE = re.compile(f"{_CHANGE}$")
# The last characters of a body's name: 局 委 院 办 所 联 (工商联) 会 部 厅 府 队 站 中心 …
_BODY_END = frozenset("局委院办所联会部厅府队站心处室团司")
# 一季度, 上半年, 3月, 2024年: a listed period
_PERIOD_ITEM_RE = re.compile(r"^(?:第?[一二三四1-4]季度|前三季度|上半年|下半年|[0-9]{1,4}年(?:度)?|[0-9一二三四五六七八九十]{1,3}月份?)$")
_MAX_ITEMS = 10
_MAX_ITEM_CHARS = 24


def _items(text: str) -> list[str] | None:
    """The listed subjects of ``text`` (A、B和C, “A”“B”), or None when it lists nothing."""
    parts = [p for p in re.split(r"、|(?<=”)(?=“)", text)]
    if len(parts) > 1 or "和" in text or "及" in text or "与" in text:
        last = parts.pop()
        for i, c in enumerate(last):
            # 审核率和备案率, 满意率与参与率 (the same head on both sides) are two items, and so
            # are two bodies (县司法局和县工商联, 市法院与市检察院); 调解和解率 is one
            if c in "和及与" and 0 < i < len(last) - 2 and (
                last[i - 1] == last[-1] or (last[i - 1] in _BODY_END and last[-1] in _BODY_END)
            ):
                parts += [last[:i], last[i + 1 :]]
                break
        else:
            parts.append(last)
    if not 2 <= len(parts) <= _MAX_ITEMS:
        return None
    if any(not p or len(p) > _MAX_ITEM_CHARS for p in parts):
        return None
    return parts


def _list_match(raw: str, shares: int) -> re.Match[str] | None:
    return _LIST_RE.match(raw) or (_SHARED_LIST_RE.match(raw) if shares else None)


def _predicate(cmp: str, pred: str) -> str:
    """What the listed subjects share before the value: 较上年提高 (a change) stays; linking
    words (均为, 达到, 保持在, 实现) and a level reached (分别提高到62%和95%) go."""
    if _REACH_LEVEL_RE.match(pred):
        pred = ""
    return cmp + _LINK_RE.sub("", pred)


def _same_sentence(t: str, a: Quantity, b: Quantity) -> bool:
    return SENT_END_RE.search(t, min(a.q_end, b.tok.qstart), b.tok.qstart) is None


def share_lists(t: str, quantities: list[Quantity]) -> list[Quantity]:
    """The quantities with listed subjects split (one row per subject) and changes given
    what changed as their subject; in text order, rows of one token together."""
    n = len(quantities)
    out: list[Quantity] = []
    done = 0  # quantities[:done] are in out
    # (only quantities whose text holds a list and a distributive word, or a counted value)
    for i in [i for i, q in enumerate(quantities) if q.may_share]:
        q = quantities[i]
        if i < done or q.inherited:
            continue
        # the values that share q's subject: 95%、98%和100% after A、B、C分别为
        j = i + 1
        while j < n and quantities[j].inherited and quantities[j].clause_start == q.clause_start:
            j += 1
        out.extend(quantities[done:i])
        # where q's clause starts, or the quantity before it in the clause ends
        lo = q.clause_start
        if out and out[-1].clause_start == q.clause_start:
            lo = max(lo, out[-1].q_end)
        out.extend(_split(t, quantities[i:j], lo))
        done = j
    if done:
        out.extend(quantities[done:])
    else:
        out = quantities
    return _continue_changes(t, out)


def _split(t: str, group: list[Quantity], lo: int) -> list[Quantity]:
    """One quantity and the values that inherited its subject, with listed subjects split;
    ``lo``: where the text before the quantity that may hold the list starts."""
    q = group[0]
    if not q.pre_subject or q.inherited:
        return group
    raw = t[q.q_start : q.tok.qstart]
    # (pre-checks: a list holds a separator, and a distributive word unless a counted value follows)
    # (the distributive word may stand before the trimmed subject: A、B全年分别|受理申请…)
    wide = t[lo : q.tok.qstart]
    if not q.tok.shares and not ("均" in wide or "各" in wide or "都" in wide or "分别" in wide or "双双" in wide):
        return group
    if not ("、" in wide or "和" in wide or "及" in wide or "与" in wide or "”“" in wide):
        return group
    m = _list_match(raw, q.tok.shares)
    items = _items(m.group("items")) if m else None
    if items is None and lo < q.q_start:
        # 司法所所长、驻所律师每月各坐班2天: the subject was cut after the list (每月); the
        # first item is trimmed as a subject is
        m = _list_match(wide, q.tok.shares)
        items = _items(m.group("items")) if m else None
        if items:
            items[0] = clean_pre(items[0])[1]
    if m is None or not items or not items[0]:
        return group
    if all(_PERIOD_ITEM_RE.match(item) for item in items):
        return group  # 一季度、二季度分别办理…: periods are time words, not holders
    groups = m.groupdict()
    pred = _predicate(groups.get("cmp") or "", groups.get("pred") or "")
    post = q.subject[len(q.pre_subject) :] if q.subject.startswith(q.pre_subject) else ""
    mark = groups.get("mark") or ""
    if len(group) > 1:
        if mark != "分别" or len(group) != len(items):
            return group
        # A、B、C分别为x、y和z: in order
        out = [dataclasses.replace(v, subject=item + pred + post) for v, item in zip(group, items)]
        for a, b in zip(out, out[1:]):  # 提高3.1个和5.6个百分点: the unit written once, at the end
            if a.tok.unit == "个" and b.tok.unit == "个百分点":
                a.tok = dataclasses.replace(a.tok, unit=b.tok.unit)
        return out
    if q.tok.shares and q.tok.shares != len(items):
        return group
    if not q.tok.shares and mark not in ("均", "都", "各", "双双"):
        return group
    return [dataclasses.replace(q, subject=item + pred + post) for item in items]


def _base(subject: str) -> str:
    """A subject without the change it may end with: 受理行政复议申请同比增加 -> 受理行政复议申请."""
    m = _CHANGE_END_RE.search(subject)
    return subject[: m.start()] if m and m.start() > 0 else subject


def _continue_changes(t: str, quantities: list[Quantity]) -> list[Quantity]:
    """Give each change without its own subject (…,同比增长8%) what changed."""
    out = quantities
    n = len(out)
    done = 0
    # (pre-check: a change phrase ends with one of _CHANGE_LAST)
    for i in [i for i, q in enumerate(quantities) if q.subject[-1:] in _CHANGE_LAST]:
        q = out[i]
        if i < done or not _CHANGE_ONLY_RE.match(q.subject):
            continue
        if out is quantities:
            out = list(quantities)
        # the change values of this clause: 同比分别下降8.6%、5.2%
        j = i + 1
        while j < n and out[j].inherited and out[j].clause_start == q.clause_start:
            j += 1
        values = out[i:j]
        # the quantities before them in the sentence that are no changes themselves (rows of
        # one token count once: A、B均达100% is one value), nearest last
        sources: list[Quantity] = []
        seen: set[int] = set()
        back = i - 1
        while back >= 0 and len(sources) < len(values) and _same_sentence(t, out[back], q):
            p = out[back]
            if p.k not in seen and p.subject and not _CHANGE_ONLY_RE.match(p.subject):
                seen.add(p.k)
                sources.append(p)
            back -= 1
        sources.reverse()
        change = q.subject.replace("分别", "")
        if len(values) > 1 and len(sources) == len(values):
            for offset, (v, p) in enumerate(zip(values, sources)):
                out[i + offset] = dataclasses.replace(v, subject=_base(p.subject) + change)
        elif len(values) == 1 and sources:
            out[i] = dataclasses.replace(q, subject=_base(sources[-1].subject) + change)
        done = j
    return out
