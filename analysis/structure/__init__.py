"""Report structure: heading tree, the five regulated parts, shortcoming and plan items, cases.

Art. 25 of the 2019 《法治政府建设与责任落实督察工作规定》 (厅字〔2019〕28号) fixes what an
annual rule-of-law government report contains: 主要举措和成效, 存在的不足和原因, 党政主要负责人
履行推进法治建设第一责任人职责情况, 下一年度主要安排 and 其他需要报告的情况. This stage reads
that outline off the text:

* :func:`parse_sections` — one row per section at every heading level, each labelled with
  its regulated ``part`` (rules in ``analysis/resources/parts.yaml``, as a table:
  :func:`part_rules`); :func:`part_shares` — each part's share of each report;
* :func:`extract_problems` — the shortcoming items of the ``shortcomings`` part;
  :func:`plan_items` / :func:`part_items` — the items of the plans (or any) part;
* :func:`extract_cases` — sentences naming a concrete handled case (rule in
  ``analysis/resources/case_patterns.yaml``).

Where each job lives:

==========================================  ==============================================
:mod:`analysis.structure.headings`          enumerators and the heading tree
:mod:`analysis.structure.parts`             part rules, classification, part shares
:mod:`analysis.structure.sections`          unnumbered part headings, the sections table
:mod:`analysis.structure.items`             shortcoming items, items of a part
:mod:`analysis.structure.cases`             concrete cases
:mod:`analysis.structure.tables`            typed tables from Python rows
==========================================  ==============================================

Scoring a report against art. 24–25 is a later stage (:func:`analysis.checks.compliance`);
the figure is :func:`analysis.plots.structure.plot_part_shares`. All ``start``/``end``
offsets are positions in the corpus ``text`` column (``text[start:end]``).
"""

from __future__ import annotations

from analysis.structure.cases import CASE_COLUMNS, extract_cases
from analysis.structure.items import PROBLEM_COLUMNS, extract_problems, part_items, plan_items
from analysis.structure.parts import (
    PART_LABELS,
    PARTS,
    REGULATED_PARTS,
    PartProfile,
    part_profiles,
    part_rules,
    part_shares,
)
from analysis.structure.sections import SECTION_COLUMNS, StructureWarning, parse_sections

__all__ = [
    "CASE_COLUMNS",
    "PARTS",
    "PART_LABELS",
    "PROBLEM_COLUMNS",
    "REGULATED_PARTS",
    "SECTION_COLUMNS",
    "PartProfile",
    "StructureWarning",
    "extract_cases",
    "extract_problems",
    "parse_sections",
    "part_items",
    "part_profiles",
    "part_rules",
    "part_shares",
    "plan_items",
]
