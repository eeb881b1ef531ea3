"""The command line's figures, drawn from the streamed tables without loading them whole.

Each figure reads only the columns it draws (:func:`analysis.pipeline.read_table`) or
the small aggregates the chunks left behind (:class:`analysis.pipeline.StreamResult`),
so drawing 100,000 reports takes the memory of a few columns. A corpus of many reports
is drawn by report year where a bar or column per report would be unreadable (and slow
to draw): the part shares as the mean shares of each year's reports (beyond
:data:`PER_REPORT_MAX` reports), the theme heatmap by year (beyond
:data:`HEATMAP_PER_REPORT_MAX`); the indicator and audit figures group by year
themselves. matplotlib is imported by :mod:`analysis.plots` when a figure is drawn.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from analysis.pipeline.corpus_steps import pooled_sections
from analysis.pipeline.dataset import read_table, table_files

__all__ = ["HEATMAP_PER_REPORT_MAX", "PER_REPORT_MAX", "cli_figures"]

#: Reports up to which the part-shares figure has one bar per report (beyond: per year).
PER_REPORT_MAX = 60
#: Reports up to which the theme heatmap has one column per report (beyond: per year).
HEATMAP_PER_REPORT_MAX = 40


def _columns(folder: str | os.PathLike[str], name: str, wanted: list[str]) -> pd.DataFrame:
    """The ``wanted`` columns of a table (those it has)."""
    have = set(pq.read_schema(table_files(folder, name)[0]).names)
    return read_table(folder, name, columns=[c for c in wanted if c in have])


def _counts(folder: str | os.PathLike[str], name: str, column: str) -> pd.DataFrame:
    """Rows of a table counted by ``doc_id`` and ``column`` (``n``), one partition at a time.

    What the audit and indicator figures draw, from a few rows per report instead of one
    per numeral (8.6 million audit rows at 100,000 synthetic reports: 2.5 GiB when read
    and mapped whole). A report's rows lie in one partition, so the counts are exact.
    """
    import pyarrow as pa

    parts = []
    for file in table_files(folder, name):
        table = pq.read_table(file, columns=["doc_id", column])
        if table.num_rows:
            counted = table.group_by(["doc_id", column], use_threads=False).aggregate([([], "count_all")])
            parts.append(counted.select(["doc_id", column, "count_all"]))
    if not parts:
        return pd.DataFrame({"doc_id": pd.Series([], dtype="string"), column: pd.Series([], dtype="str"), "n": pd.Series([], dtype="int64")})
    counts = pa.concat_tables(parts).rename_columns(["doc_id", column, "n"]).to_pandas()
    return counts


def cli_figures(folder: str | os.PathLike[str], corpus: pd.DataFrame, term_year: pd.DataFrame, part_shares: pd.DataFrame) -> list[tuple[str, Callable[[], Any]]]:
    """The notebooks' figures for a streamed run: (file name, function drawing it).

    ``folder`` is the tables folder; ``corpus`` the corpus table (without text);
    ``term_year`` and ``part_shares`` the aggregates of :func:`analysis.pipeline.stream_pipeline`.
    Tables are read when a figure is drawn, one figure at a time.
    """
    from analysis import plots

    ok = corpus[corpus["status"] != "error"]
    out: list[tuple[str, Callable[[], Any]]] = [("01-report-lengths.png", lambda: plots.plot_report_lengths(corpus))]

    def part_shares_figure() -> Any:
        if len(ok) <= PER_REPORT_MAX:
            sections = _columns(folder, "sections", ["doc_id", "part", "level", "number", "path", "heading", "start", "end"])
            # (one label per report, computed only for the figure that names reports)
            return plots.plot_part_shares(sections, labels=plots.report_labels(ok).to_dict(), corpus=ok)
        shares = part_shares[part_shares["doc_id"].isin(set(ok["doc_id"].astype(str)))] if len(part_shares) else part_shares
        sections, year_labels = pooled_sections(shares)
        return plots.plot_part_shares(
            sections, labels=year_labels,
            title=f"Mean share of a report by regulated part (art. 25), per report year ({len(ok):,} reports)",
        )

    out.append(("02-part-shares.png", part_shares_figure))
    out.append(("03-indicator-density.png", lambda: plots.plot_indicator_density(_counts(folder, "indicators", "kind"), ok)))
    out.append(
        ("03-indicator-categories.png", lambda: plots.plot_indicator_categories(_counts(folder, "indicators", "category"), ok))
    )
    out.append(("03-audit-classes.png", lambda: plots.plot_audit_classes(_counts(folder, "audit", "class"), ok)))
    totals = term_year.groupby("term", observed=True)["n"].sum() if len(term_year) else pd.Series(dtype="int64")
    if len(totals):
        out.append(("04-wordcloud.png", lambda: plots.plot_wordcloud(totals.to_dict(), title=f"All reports (n={len(ok):,})")))
    problems_rows = sum(pq.read_metadata(f).num_rows for f in table_files(folder, "problems"))
    if problems_rows:
        per_report = len(ok) <= HEATMAP_PER_REPORT_MAX
        out.append(
            (
                "05-theme-heatmap.png",
                lambda: plots.plot_theme_heatmap(
                    _columns(folder, "problems", ["doc_id", "item", "themes"]),
                    corpus=ok,
                    by="doc_id" if per_report else "report_year",
                    value="items" if per_report else "share",
                ),
            )
        )
    return out
