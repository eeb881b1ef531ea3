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


def test_part_shares_of_many_reports_is_a_distribution_with_its_sample_in_the_title() -> None:
    # 45 reports of three issuer types, shares varying
    texts = ["一、主要举措和成效\n" + "甲" * (20 + i) + "\n二、存在的问题\n" + "乙" * (5 + i % 7) + "\n三、下一年度工作计划\n丙丙"
             for i in range(45)]
    corpus = pd.DataFrame({"doc_id": [f"d{i:02d}" for i in range(45)], "text": texts,
                           "issuer_type": ["township", "department", "district_government"] * 15})
    fig = plot_part_shares(parse_sections(corpus), corpus=corpus)
    left, right = fig.axes[:2]
    assert "45 reports" in fig.get_suptitle()
    # all reports first, then the groups by size (ties in order of appearance)
    assert [t.get_text() for t in left.get_yticklabels()] == [
        "all reports (n=45)", "township (n=15)", "department (n=15)", "district_government (n=15)"]
    assert len(left.patches) == len(PARTS) * 4  # all reports + three groups
    assert len(right.get_yticklabels()) == len(PARTS)
    fig.savefig(io.BytesIO(), format="png")  # warnings are errors: a missing glyph fails here
    # without groups: all reports only; a small corpus: one bar per report, n in the title
    assert len(plot_part_shares(parse_sections(corpus)).axes[0].patches) == len(PARTS)
    small = plot_part_shares(parse_sections(corpus.head(3)))
    assert small.axes[0].get_title().endswith("3 reports") and len(small.axes[0].patches) == len(PARTS) * 3
