"""Draw a batch of figures off screen and write them as PNG files.

For programs that write figures without showing them (the command line): each figure is
drawn with the non-interactive Agg backend, saved with :func:`analysis.plots.fonts.save_figure`
(byte-reproducible PNG) and closed at once, so a long batch never holds more than one
figure in memory. matplotlib is imported inside the function (heavy).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

from analysis.plots.fonts import save_figure

__all__ = ["write_figures"]


def write_figures(figures: Iterable[tuple[str, Callable[[], Any]]], folder: str | os.PathLike[str]) -> list[str]:
    """Draw each ``(file name, draw)`` pair and write the figure into ``folder``.

    Parameters
    ----------
    figures
        Pairs of a PNG file name and a function without arguments returning a
        ``matplotlib.figure.Figure``.
    folder
        Folder to write to (created if missing).

    Returns
    -------
    list of str
        The file names written, in order.
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    written: list[str] = []
    for name, draw in figures:
        fig = draw()
        try:
            save_figure(fig, name, figures_dir=folder)
        finally:
            plt.close(fig)
        written.append(name)
    return written
