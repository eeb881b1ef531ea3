"""The part-shares figure."""

from __future__ import annotations

import io

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

from analysis.plots.structure import plot_part_shares  # noqa: E402
from analysis.structure import PARTS, parse_sections  # noqa: E402


@pytest.fixture(scope="module")
def seed_sections(seed_corpus: pd.DataFrame) -> pd.DataFrame:
    return parse_sections(seed_corpus)


def test_part_shares_figure(seed_sections: pd.DataFrame) -> None:
    fig = plot_part_shares(seed_sections, labels={"004_22aef431846bda15": "观湖街道"})
    ax = fig.axes[0]
    assert len(ax.patches) == len(PARTS) * 5
    assert "观湖街道" in [t.get_text() for t in ax.get_yticklabels()]
    # warnings are errors: a missing CJK glyph would fail here
    fig.savefig(io.BytesIO(), format="png")
