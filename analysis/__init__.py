"""Turn Chinese local governments' annual rule-of-law reports into citable tables.

The public API is one verb per step; each takes and returns tidy pandas DataFrames
(see each function's docstring for its columns)::

    corpus   = analysis.load_corpus()                 # files -> one row per report
    sections = analysis.parse_sections(corpus)        # heading tree, regulated parts
    problems = analysis.extract_problems(sections)    # shortcoming items
    table    = analysis.compliance(corpus, sections)  # art. 25 / art. 24 checks
    quants   = analysis.extract_indicators(corpus, sections)
    audit    = analysis.audit_numbers(corpus)
    tokens   = analysis.tokenize(sections)
    coded    = analysis.code_problems(problems)

Submodules are imported lazily (PEP 562), so ``import analysis`` is cheap and does
not load jieba, scikit-learn or matplotlib until a verb that needs them is used.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> submodule that defines it
_EXPORTS: dict[str, str] = {
    # corpus/
    "load_corpus": "corpus",
    "publication_timeliness": "corpus",
    "plot_report_lengths": "plots.corpus",
    # structure/
    "parse_sections": "structure",
    "extract_problems": "structure",
    "extract_cases": "structure",
    "part_shares": "structure",
    "plan_items": "structure",
    # checks.py
    "compliance": "checks",
    # indicators/
    "extract_indicators": "indicators",
    "audit_numbers": "indicators",
    "extract_indicators_and_audit": "indicators",
    "plot_indicator_density": "plots.indicators",
    "plot_indicator_categories": "plots.indicators",
    "plot_audit_classes": "plots.indicators",
    # keywords/
    "tokenize": "keywords",
    "term_frequencies": "keywords",
    "document_term_matrix": "keywords",
    "tfidf_top_terms": "keywords",
    "keyword_trends": "keywords",
    "keyness": "keywords",
    "kwic": "keywords",
    "collocations": "keywords",
    # plots/keywords.py
    "plot_wordcloud": "plots.keywords",
    "plot_wordclouds": "plots.keywords",
    "plot_top_terms": "plots.keywords",
    "plot_keyword_trends": "plots.keywords",
    "plot_keyness": "plots.keywords",
    # problems/
    "code_problems": "problems",
    "themes_long": "problems",
    "template_clusters": "problems",
    "theme_recurrence": "problems",
    "theme_persistence": "problems",
    "template_reuse": "problems",
    "follow_through": "problems",
    "export_for_coding": "problems",
    "coding_agreement": "problems",
    # plots/
    "plot_part_shares": "plots.structure",
    "plot_theme_heatmap": "plots.problems",
    # pipeline.py
    "run_pipeline": "pipeline",
    "stream_pipeline": "pipeline",
    "read_corpus": "pipeline",
    "read_table": "pipeline",
    "read_tables": "pipeline",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"analysis.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
