"""Indicator parser: every stated quantity in a report, typed, and a numbers audit.

Reports state their work in numbers — 立案80宗, 处罚金额210.61万元, 普法宣传120余次,
逾八成行政争议…案结事了, 化解成功率99.7% — and this package turns each into one row with
what is counted (``subject``), the number as written (``value``, ``unit``), the number in
base units (``base_value``, ``base_unit``: 万/亿 multiplied out, 成 -> %), a
``qualifier`` (余 / 近 / 约 / 不少于 / 以内 …), a ``kind`` (result / target / per_capita)
and a canonical ``indicator`` from the codebook ``resources/indicators.csv``.
:func:`audit_numbers` lists every numeral occurrence with the class it was given, so a
reader can check that nothing was dropped silently.

The parts, in the order the data flows through them:

- :mod:`analysis.numbers` (outside this package, shared): width, numerals, units,
  magnitudes, qualifiers;
- :mod:`.clauses`: where clauses and sentences start and end;
- :mod:`.quantities`: the numeral spans of a text and what each is (a quantity with its
  value, unit and qualifier, or a year, date, heading, slogan, name …);
- :mod:`.subjects`: what each quantity counts;
- :mod:`.lists`: one value shared by listed subjects (A、B均达100%, A、B分别为x、y), and
  changes that continue a quantity (…,同比增长8%: what grew is the subject);
- :mod:`.kinds`: result, target or per-unit rule;
- :mod:`.codebook`: the indicator codebook and the slogan lexicon;
- :mod:`.extract`: one scan per report, :func:`extract_indicators`;
- :mod:`.audit`: :func:`audit_numbers`, :func:`extract_indicators_and_audit`;
- :mod:`.summary`: :func:`indicator_density`, :func:`compare_indicators`.

The figures are in :mod:`analysis.plots.indicators`.

Examples
--------
>>> import pandas as pd
>>> corpus = pd.DataFrame({"doc_id": ["a"], "text": ["今年开展普法宣传120余次,发放宣传资料1.4万余份。"]})
>>> rows = extract_indicators(corpus)
>>> rows[["subject", "value", "unit", "qualifier"]].values.tolist()
[['开展普法宣传', 120.0, '次', 'more_than'], ['发放宣传资料', 1.4, '万份', 'more_than']]
"""

from __future__ import annotations

import importlib
from typing import Any

from analysis.indicators.audit import AUDIT_CLASSES, AUDIT_COLUMNS, audit_numbers, extract_indicators_and_audit
from analysis.indicators.codebook import indicator_codebook, slogan_lexicon
from analysis.indicators.extract import INDICATOR_COLUMNS, extract_indicators
from analysis.indicators.summary import MAX_REPORTS_SHOWN, compare_indicators, indicator_density
from analysis.numbers import CN_DIGITS, CN_NUMERALS, cn_to_number, normalize_width

__all__ = [
    "INDICATOR_COLUMNS",
    "AUDIT_COLUMNS",
    "AUDIT_CLASSES",
    "MAX_REPORTS_SHOWN",
    "CN_DIGITS",
    "CN_NUMERALS",
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

# The figures moved to analysis.plots.indicators; these old names still work (looked up
# when first used, so that importing this package never loads the plotting layer).
_MOVED_TO_PLOTS = ("plot_indicator_density", "plot_indicator_categories", "plot_audit_classes")


def __getattr__(name: str) -> Any:
    if name in _MOVED_TO_PLOTS:
        return getattr(importlib.import_module("analysis.plots.indicators"), name)
    raise AttributeError(f"module 'analysis.indicators' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_MOVED_TO_PLOTS))
