"""Recurring problems: code shortcoming items by theme, find recurrence, reuse and follow-through.

Each report must confess its shortcomings (存在的不足和原因, art. 25 of the 2019
《法治政府建设与责任落实督察工作规定》).  This stage answers three questions about
those confessions, on any number of reports:

* which problems recur across governments and years -- :func:`code_problems`
  (rule-based, multi-label theme codebook in ``resources/problem_themes.yaml``),
  :func:`theme_recurrence`, :func:`theme_matrix`, :func:`theme_persistence` (figure:
  :func:`analysis.plots.problems.plot_theme_heatmap`);
* which statements are boilerplate copied between reports -- :func:`template_reuse`
  (character n-gram TF-IDF cosine; sparse products in row blocks, so memory stays
  bounded, and at most ``top_k`` partners per item, so the output stays linear) and
  :func:`template_clusters` (templates shared by many reports);
* whether the plans answer the problems -- :func:`follow_through` (problem -> plan
  item of the same report sharing its themes or its words; last year's plans -> this
  year's measures), on the items of a part given by
  :func:`analysis.structure.plan_items` / :func:`analysis.structure.part_items`.

and lets researchers validate the codebook: :func:`export_for_coding` writes the
items for blind manual coding, :func:`coding_agreement` computes Cohen's kappa.

Conventions
-----------
``themes`` is a ``"|"``-joined string of theme ids in codebook order (e.g.
``"staffing|workload_backlog"``), or ``"uncoded"`` -- a plain string so that the
table survives CSV, Parquet and Stata unchanged; :func:`themes_long` gives one row
per item and theme.  Inputs are never mutated.  Outputs are deterministic: stable
sorts, no randomness, scores rounded to 4 decimals.

Where each job lives:

=========================================  ===============================================
:mod:`analysis.problems.codebook`          reading the codebook; theme ids and labels
:mod:`analysis.problems.prefilter`         the fast coder (a literal pre-filter)
:mod:`analysis.problems.themes`            code_problems, themes_long, theme_matrix
:mod:`analysis.problems.recurrence`        theme_recurrence, theme_persistence
:mod:`analysis.problems.reuse`             template_reuse, template_clusters
:mod:`analysis.problems.follow_through`    follow_through
:mod:`analysis.problems.coding`            export_for_coding, coding_agreement
=========================================  ===============================================
"""

from __future__ import annotations

from analysis.problems.codebook import THEME_SEP, UNCODED, load_codebook
from analysis.problems.coding import coding_agreement, export_for_coding
from analysis.problems.follow_through import FOLLOW_THRESHOLD, follow_through
from analysis.problems.recurrence import theme_persistence, theme_recurrence
from analysis.problems.reuse import REUSE_THRESHOLD, template_clusters, template_reuse
from analysis.problems.themes import code_problems, theme_matrix, themes_long

# the items of a part are read off the sections (analysis.structure); kept here too, where
# they were first published
from analysis.structure import part_items, plan_items

__all__ = [
    "FOLLOW_THRESHOLD",
    "REUSE_THRESHOLD",
    "THEME_SEP",
    "UNCODED",
    "code_problems",
    "coding_agreement",
    "export_for_coding",
    "follow_through",
    "load_codebook",
    "part_items",
    "plan_items",
    "template_clusters",
    "template_reuse",
    "theme_matrix",
    "theme_persistence",
    "theme_recurrence",
    "themes_long",
]
