"""Recurrence of problem themes: across reports and years, and from one year to the next.

* :func:`theme_recurrence` — per theme: items, reports, share of reports, years;
* :func:`theme_persistence` — per issuer and pair of successive report years: which
  themes recur.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import pandas as pd

from analysis.problems.codebook import THEME_SEP, UNCODED, codebook_themes, theme_labels, theme_order
from analysis.problems.themes import report_table, theme_matrix, themes_long
from analysis.ids import doc_id_table

__all__ = ["theme_persistence", "theme_recurrence"]


@doc_id_table
def theme_recurrence(
    coded: pd.DataFrame,
    *,
    corpus: pd.DataFrame | None = None,
    by: str = "doc_id",
    codebook: str | os.PathLike[str] | Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """How often each theme recurs across reports and report years.

    Parameters
    ----------
    coded
        Output of :func:`code_problems`.
    corpus
        Optional ``load_corpus`` table; gives ``report_year`` and the number of
        reports (reports with status ``error`` excluded) for ``share_reports``.
        Without it, ``report_year`` is taken from ``coded`` if present.
    by
        Grouping of the matrix columns appended on the right (see
        :func:`theme_matrix`).

    Returns
    -------
    pandas.DataFrame
        One row per theme: ``theme``, ``label_zh``, ``label_en``, ``n_items``
        (items coded with it), ``n_reports`` (reports with at least one),
        ``share_reports`` (of all reports), ``n_years`` and ``years`` (distinct
        report years, ``"|"``-joined; 0 and ``""`` when years are unknown),
        followed by one column per group holding item counts.  Sorted by
        ``n_reports`` then ``n_items`` (descending), ties in codebook order;
        ``uncoded`` last.

    Examples
    --------
    >>> coded = pd.DataFrame({"doc_id": ["a", "b", "b"], "item": [1, 1, 2],
    ...                       "themes": ["staffing", "staffing", "innovation"]})
    >>> rec = theme_recurrence(coded)
    >>> print(rec[["theme", "n_reports", "n_items"]].head(2).to_string(index=False))
         theme  n_reports  n_items
      staffing          2        2
    innovation          1        1
    """
    themes = codebook_themes(codebook)
    labels = theme_labels(themes)
    order = theme_order(codebook)
    reports = report_table(coded, corpus)
    long = themes_long(coded, codebook=codebook)
    if "report_year" in reports.columns:
        long = long.merge(reports[["doc_id", "report_year"]], on="doc_id", how="left")
    elif "report_year" in coded.columns:
        long = long.merge(coded[["doc_id", "report_year"]].drop_duplicates("doc_id"), on="doc_id", how="left")
    else:
        long["report_year"] = pd.NA
    n_total = int(reports["doc_id"].nunique())
    rows = []
    for theme in order:
        sub = long[long["theme"] == theme]
        years = sorted({int(y) for y in sub["report_year"].dropna()})
        n_rep = int(sub["doc_id"].nunique())
        rows.append(
            {
                "theme": theme,
                "label_zh": labels[theme][0],
                "label_en": labels[theme][1],
                "n_items": int(len(sub)),
                "n_reports": n_rep,
                "share_reports": round(n_rep / n_total, 4) if n_total else float("nan"),
                "n_years": len(years),
                "years": THEME_SEP.join(str(y) for y in years),
            }
        )
    summary = pd.DataFrame(rows).astype({"theme": "str", "label_zh": "str", "label_en": "str", "years": "str"})
    matrix = theme_matrix(coded, corpus=corpus, by=by, codebook=codebook)
    matrix = matrix.rename(columns=lambda c: str(c)).reset_index()
    clash = set(matrix.columns[1:]) & set(summary.columns)
    if clash:
        matrix = matrix.rename(columns={c: f"{by}={c}" for c in clash})
    out = summary.merge(matrix, on="theme", how="left")
    out["_uncoded"] = out["theme"] == UNCODED
    out["_order"] = [order.index(t) for t in out["theme"]]
    out = out.sort_values(
        ["_uncoded", "n_reports", "n_items", "_order"], ascending=[True, False, False, True], kind="stable"
    )
    return out.drop(columns=["_uncoded", "_order"]).reset_index(drop=True)


@doc_id_table
def theme_persistence(
    coded: pd.DataFrame,
    corpus: pd.DataFrame,
    *,
    by: str = "issuer",
    codebook: str | os.PathLike[str] | Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Whether an issuer's themes recur from one report year to the next.

    For every issuer (``by``) with reports for two or more years, each pair of
    successive report years (``year_from`` < ``year_to``, no year in between in
    the corpus) is compared theme by theme.  Reports without any extracted item
    still count (their themes are all absent); several reports of one issuer
    in one year are pooled.  ``uncoded`` is not a theme and is left out.

    Parameters
    ----------
    coded
        Output of :func:`code_problems` (``doc_id``, ``themes``).
    corpus
        Table with ``doc_id``, ``report_year`` and the ``by`` column.
    by
        Column identifying the issuer (default ``issuer``).

    Returns
    -------
    pandas.DataFrame
        One row per issuer, year pair and theme present in either year:
        ``issuer`` (the ``by`` value), ``theme``, ``label_zh``, ``year_from``,
        ``year_to``, ``consecutive`` (years adjacent), ``in_from``, ``in_to``,
        ``recurs`` (present in both years AND consecutive), ``docs_from``,
        ``docs_to`` (doc_ids, ``"|"``-joined).  Sorted by issuer, year_from,
        codebook order.  Empty (same columns) when no issuer has two years.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a", "b"], "issuer": ["X街道", "X街道"], "report_year": [2022, 2023]})
    >>> coded = pd.DataFrame({"doc_id": ["a", "b"], "themes": ["staffing", "staffing|innovation"]})
    >>> theme_persistence(coded, corpus)[["theme", "recurs"]].values.tolist()
    [['staffing', True], ['innovation', False]]
    """
    cols = ["issuer", "theme", "label_zh", "year_from", "year_to", "consecutive",
            "in_from", "in_to", "recurs", "docs_from", "docs_to"]
    missing = {"doc_id", "report_year", by} - set(corpus.columns)
    if missing:
        raise KeyError(f"theme_persistence needs corpus columns {sorted(missing)}")
    themes = codebook_themes(codebook)
    labels = theme_labels(themes)
    order = [t.id for t in themes]
    reports = report_table(coded, corpus)[["doc_id", by, "report_year"]].dropna()
    reports = reports.assign(report_year=reports["report_year"].astype(int), _key=reports[by].astype(str))
    long = themes_long(coded, codebook=codebook)
    present = long[long["theme"] != UNCODED].groupby("doc_id")["theme"].agg(set).to_dict()
    rows: list[dict[str, Any]] = []
    n_years = reports.groupby("_key")["report_year"].nunique()
    multi = reports[reports["_key"].isin(n_years[n_years >= 2].index)]
    for key, sub in multi.groupby("_key", sort=True):
        years = sorted(sub["report_year"].unique())
        per_year: dict[int, tuple[set[str], list[str]]] = {}
        for y in years:
            docs = sorted(sub.loc[sub["report_year"] == y, "doc_id"].astype(str))
            found: set[str] = set()
            for d in docs:
                found |= present.get(d, set())
            per_year[y] = (found, docs)
        for y0, y1 in zip(years[:-1], years[1:]):
            (t0, d0), (t1, d1) = per_year[y0], per_year[y1]
            for theme in order:
                if theme not in t0 and theme not in t1:
                    continue
                rows.append(
                    {
                        "issuer": key,
                        "theme": theme,
                        "label_zh": labels[theme][0],
                        "year_from": int(y0),
                        "year_to": int(y1),
                        "consecutive": bool(y1 - y0 == 1),
                        "in_from": theme in t0,
                        "in_to": theme in t1,
                        "recurs": bool(theme in t0 and theme in t1 and y1 - y0 == 1),
                        "docs_from": THEME_SEP.join(d0),
                        "docs_to": THEME_SEP.join(d1),
                    }
                )
    out = pd.DataFrame(rows, columns=cols)
    return out.astype({"year_from": "int64", "year_to": "int64", "consecutive": bool,
                       "in_from": bool, "in_to": bool, "recurs": bool})
