"""The indicator codebook and the slogan lexicon, and the classification of a quantity.

Both live as text files a researcher can read, diff and cite:

- ``resources/indicators.csv``: one rule per row (``subject_pattern``, ``unit_pattern``,
  ``context_pattern`` regexes); the first rule whose patterns match a quantity's subject,
  base unit and sentence gives its canonical ``indicator`` and its ``category`` (area of
  《法治政府建设实施纲要(2021-2025年)》); no rule: ``other``.
- ``resources/slogans.txt``: numeric slogans (一岗双责, 三会一课 …) that are never counts.

Examples
--------
>>> classify_indicator("立案", "宗", "今年立案80宗。")
('enforcement_cases_filed', 'enforcement')
>>> classify_indicator("接待外宾", "批", "接待外宾3批。")
('other', 'other')
"""

from __future__ import annotations

import csv
import functools
import importlib.resources
import io
import re
from dataclasses import dataclass

import pandas as pd

__all__ = ["resource_text", "slogan_lexicon", "slogan_words", "indicator_codebook", "classify_indicator"]


def resource_text(name: str) -> str:
    """The text of ``analysis/resources/<name>`` (UTF-8)."""
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
    for line in resource_text("slogans.txt").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            raise ValueError(f"slogans.txt: expected 3 tab-separated fields: {line!r}")
        rows.append(parts)
    return pd.DataFrame(rows, columns=["slogan", "rule", "origin"])


def slogan_words() -> list[str]:
    """The slogans of the lexicon, longest first (the order a pattern should try them in).

    Examples
    --------
    >>> words = slogan_words()
    >>> len(words[0]) >= len(words[-1])
    True
    """
    return sorted(set(slogan_lexicon()["slogan"]), key=lambda w: (-len(w), w))


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
    lines = [ln for ln in resource_text("indicators.csv").splitlines() if not ln.startswith("#")]
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


def classify_indicator(subject: str, base_unit: str, sentence: str) -> tuple[str, str]:
    """(indicator id, category) of a quantity: the first codebook rule that matches its
    subject, base unit and sentence, or ``("other", "other")``."""
    for rule in _candidate_rules(subject, base_unit):
        if rule.context is None or rule.context.search(sentence):
            return rule.id, rule.category
    return "other", "other"
