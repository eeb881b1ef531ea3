"""Concrete cases: clauses naming a handled case (具体事例), rule in ``resources/case_patterns.yaml``."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis.structure.parts import read_resource
from analysis.structure.tables import table_from_rows
from analysis.ids import doc_id_table

__all__ = ["CASE_COLUMNS", "extract_cases"]

CASE_COLUMNS = ["doc_id", "start", "end", "sentence", "verb", "entity", "entity_type"]


@dataclass(frozen=True)
class _CaseRules:
    verb: re.Pattern[str]
    party: re.Pattern[str]
    surnames: frozenset[str]
    org: re.Pattern[str]
    generic_words: tuple[str, ...]
    generic_chars: str
    address: re.Pattern[str]
    named_case: re.Pattern[str]


# A clause for the case rule: text between 。！？；!?; or line breaks, e.g. "妥善化解…10宗".
_CLAUSE_RE = re.compile(r"[^。!?;！？；\n]+")


@functools.lru_cache(maxsize=1)
def _case_rules() -> _CaseRules:
    """Compiled rules of ``resources/case_patterns.yaml`` (compiled once per process)."""
    d = read_resource("case_patterns.yaml")
    verbs = "|".join(d["verbs"])
    suffixes = "|".join(sorted(d["org_suffixes"], key=len, reverse=True))
    return _CaseRules(
        # e.g. "化解" in "妥善化解日海智能科技股份公司劳资纠纷"
        verb=re.compile(f"(?:{verbs})"),
        # e.g. the "某" of "吴某", "蔡某某": not followed by another Chinese character other
        # than 与/和/及/等/的 (so 某些/某种 are not parties); the surname is checked before it
        party=re.compile("某某?(?:(?![\u4e00-\u9fff])|(?=[与和及等的]))"),
        surnames=frozenset(d["surnames"]),
        # the suffix of an organisation's name, e.g. "股份公司" in "日海智能科技股份公司"
        org=re.compile(f"(?:{suffixes})"),
        generic_words=tuple(sorted(d["generic_org_words"], key=len, reverse=True)),
        generic_chars=str(d["generic_org_chars"]),
        # e.g. "泰来里大街13号"
        address=re.compile(d["address"]),
        # e.g. "“12·5”系列案", "《某某》案件"
        named_case=re.compile(d["named_case"]),
    )


def _case_entity(clause: str, rules: _CaseRules) -> tuple[str, str] | None:
    """The specific entity named in a clause, as (entity, type), or None."""
    for m in rules.party.finditer(clause):
        if m.start() > 0 and clause[m.start() - 1] in rules.surnames:
            return clause[m.start() - 1 : m.end()], "anonymised_party"
    for m in rules.org.finditer(clause):
        # the name: the run of Chinese characters (at most 12) right before the suffix
        j = m.start()
        while j > 0 and m.start() - j < 12 and "\u4e00" <= clause[j - 1] <= "\u9fff":
            j -= 1
        name = clause[j : m.start()]
        if len(name) < 2 or name[-1] in rules.generic_chars or name.endswith(rules.generic_words):
            continue
        cut = [v.end() for v in rules.verb.finditer(name)]
        name = name[cut[-1] :] if cut and cut[-1] <= len(name) - 2 else name
        return name[-10:] + m.group(), "organisation"
    for m in rules.address.finditer(clause):
        # the street name: the run of Chinese characters (at most 6) before 路/街/…
        j = m.start()
        while j > 0 and m.start() - j < 6 and "\u4e00" <= clause[j - 1] <= "\u9fff":
            j -= 1
        if j == m.start():
            continue
        address = clause[j : m.end()]
        cut = [v.end() for v in rules.verb.finditer(address)]
        return (address[cut[-1] :] if cut else address), "address"
    m = rules.named_case.search(clause)
    if m:
        return m.group(), "named_case"
    return None


@doc_id_table
def extract_cases(corpus: pd.DataFrame) -> pd.DataFrame:
    """Clauses that name a concrete handled case (具体事例), with offsets.

    Rule (``analysis/resources/case_patterns.yaml``, which cites its sources): a clause —
    text between ``。！？；!?;`` or line breaks — is a concrete case when it has a handling
    verb (化解, 调处, 办结, 查处, 拆除, 达成共识 …) and names a specific matter: an
    anonymised party (吴某), an organisation with a proper name (日海智能科技股份公司, not
    物业公司), a street address with a house number (泰来里大街13号), or a quoted case name
    (“…”案). It answers 明天 (闽台关系研究 2017(6)), who found the reports 运用事例少:
    totals such as "化解矛盾纠纷966件" are not cases.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Needs ``doc_id`` and ``text`` (not modified).

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``start``, ``end`` (``text[start:end] == sentence``), ``sentence`` (the
        clause), ``verb`` (first handling verb), ``entity`` and ``entity_type``
        (``anonymised_party``, ``organisation``, ``address`` or ``named_case``).

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["d"], "text": [
    ...     "化解矛盾纠纷966件。妥善化解新园学校劳资纠纷,推动吴某与公司达成共识。"]})
    >>> extract_cases(corpus)[["sentence", "entity"]].values.tolist()
    [['妥善化解新园学校劳资纠纷,推动吴某与公司达成共识', '吴某']]
    """
    return table_from_rows(_case_rows(corpus["doc_id"].tolist(), corpus["text"].tolist()), CASE_COLUMNS,
                  ints=("start", "end"))


def _case_rows(doc_ids: list[Any], texts: list[Any]) -> list[tuple[Any, ...]]:
    """The rows of :func:`extract_cases` (``CASE_COLUMNS``) for these reports."""
    rules = _case_rules()
    rows: list[tuple[Any, ...]] = []
    for doc_id, text in zip(doc_ids, texts):
        if pd.isna(text) or not text:
            continue
        text = str(text)
        for m in _CLAUSE_RE.finditer(text):
            clause = m.group()
            verb = rules.verb.search(clause)
            if verb is None:
                continue
            hit = _case_entity(clause, rules)
            if hit is None:
                continue
            a = m.start() + (len(clause) - len(clause.lstrip()))
            b = m.start() + len(clause.rstrip())
            rows.append((str(doc_id), a, b, text[a:b], verb.group(), hit[0], hit[1]))
    return rows
