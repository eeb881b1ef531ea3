"""Old name of :mod:`analysis.plots.fonts`, kept so that existing code keeps working.

New code: ``from analysis.plots import save_figure, use_cjk_font``.
"""

from analysis.plots.fonts import FontNotFoundError, cjk_font_path, save_figure, use_cjk_font

__all__ = ["FontNotFoundError", "cjk_font_path", "save_figure", "use_cjk_font"]
