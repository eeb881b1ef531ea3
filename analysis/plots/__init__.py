"""The plotting layer: the only part of the package that imports matplotlib.

Each module takes the tables of one stage and returns a ``matplotlib.figure.Figure``;
:mod:`analysis.plots.fonts` finds the Chinese font and writes figures to disk.
Names are imported lazily (PEP 562), so importing this package does not load matplotlib.
"""

from __future__ import annotations

import importlib
from typing import Any

# public name -> module of this package that defines it
_EXPORTS: dict[str, str] = {
    "FontNotFoundError": "fonts",
    "MAX_BARS": "corpus",
    "plot_report_lengths": "corpus",
    "cjk_font_path": "fonts",
    "plot_part_shares": "structure",
    "plot_theme_heatmap": "problems",
    "save_figure": "fonts",
    "use_cjk_font": "fonts",
    # labels.py
    "report_labels": "labels",
    # keywords.py
    "plot_keyness": "keywords",
    "plot_keyword_trends": "keywords",
    "plot_top_terms": "keywords",
    "plot_wordcloud": "keywords",
    "plot_wordclouds": "keywords",
    "plot_indicator_density": "indicators",
    "plot_indicator_categories": "indicators",
    "plot_audit_classes": "indicators",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'analysis.plots' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"analysis.plots.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
