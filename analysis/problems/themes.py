"""Coding shortcoming items by theme, and the tables of the codes.

* :func:`code_problems` — each item coded with the themes of the codebook (multi-label,
  rule-based, transparent: the hits are in the ``matched`` column);
* :func:`themes_long` — one row per item and theme;
* :func:`theme_matrix` — theme x report (or group of reports) counts or shares.

Matching runs on NFKC-normalised text. The codebook is read by
:mod:`analysis.problems.codebook`; the fast coder is :mod:`analysis.problems.prefilter`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from analysis.problems.codebook import UNCODED, codebook_themes, normalize, split_themes, theme_labels, theme_order
from analysis.problems.prefilter import matcher
from analysis.ids import doc_id_table

__all__ = ["code_problems", "item_statements", "report_table", "theme_matrix", "themes_long"]


def _normalized_values(column: pd.Series) -> list[str]:
    """``column.map(normalize).tolist()``, without the intermediate Series (a categorical
    column keeps ``map``, which works on its categories)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.map(normalize).tolist()
    return [normalize(v) for v in column.tolist()]


def _join_statements(text: list[str], body: list[str]) -> list[str]:
    return [b if (t and b.startswith(t)) else (t + "\n" + b if b else t) for t, b in zip(text, body)]


def item_statements(frame: pd.DataFrame, *, text_col: str = "text", body_col: str = "body") -> pd.Series:
    """Headline plus body (body alone when it already starts with the headline)."""
    text = frame[text_col].map(normalize) if text_col in frame else pd.Series("", index=frame.index)
    if body_col not in frame:
        return text
    body = frame[body_col].map(normalize)
    return pd.Series(_join_statements(text.tolist(), body.tolist()), index=frame.index, dtype=object)


@doc_id_table
def code_problems(
    problems: pd.DataFrame,
    *,
    codebook: str | os.PathLike[str] | Mapping[str, Any] | None = None,
    text_col: str = "text",
    body_col: str = "body",
) -> pd.DataFrame:
    """Code each shortcoming item with the themes of a transparent codebook.

    A theme is assigned when any of its rules fires: a ``headline`` regex in the
    item's headline sentence (``text``), or a ``keywords`` string / ``patterns``
    regex in headline + ``body`` (see the comments at the top of
    ``analysis/resources/problem_themes.yaml``).  Matching runs on NFKC-normalised
    text, so raw pages with full-width ，（）：１２３ code the same as the
    normalised corpus text.  Items no theme matches are kept as ``"uncoded"``.

    Parameters
    ----------
    problems
        At least ``text``; usually the output of ``analysis.extract_problems``
        (``doc_id``, ``item``, ``text``, ``body``, ``start``, ``end``).
    codebook
        ``None`` (packaged codebook), a YAML path, or a parsed mapping.
    text_col, body_col
        Column names of the headline and the body (the body is optional).

    Returns
    -------
    pandas.DataFrame
        The input columns plus ``themes`` (theme ids joined by ``"|"`` in codebook
        order, or ``"uncoded"``), ``n_themes`` (int) and ``matched`` (the rule
        hits that fired, per theme: ``"theme:「hit」「hit」; theme2:「hit」"``), for
        auditing.  Same index and row order as the input.

    Examples
    --------
    >>> items = pd.DataFrame({"doc_id": ["a", "a"], "item": [1, 2],
    ...                       "text": ["法治队伍人员力量不足。", "今年天气晴朗。"]})
    >>> code_problems(items)["themes"].tolist()
    ['staffing', 'uncoded']
    """
    if text_col not in problems.columns:
        raise KeyError(f"code_problems needs a {text_col!r} column")
    coder = matcher(codebook_themes(codebook))
    out = problems.copy()
    # plain lists (as item_statements builds it, without its intermediate Series)
    headline = _normalized_values(out[text_col])
    full = _join_statements(headline, _normalized_values(out[body_col])) if body_col in out else headline
    coded = coder.code_all(headline, full)
    out["themes"] = pd.array([c[0] for c in coded], dtype="str")
    out["n_themes"] = np.array([c[1] for c in coded], dtype="int64")
    out["matched"] = pd.array([c[2] for c in coded], dtype="str")
    return out


@doc_id_table
def themes_long(
    coded: pd.DataFrame, *, codebook: str | os.PathLike[str] | Mapping[str, Any] | None = None
) -> pd.DataFrame:
    """One row per item and theme (``uncoded`` items keep one ``uncoded`` row).

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``item`` (when present), ``theme``, ``label_zh``, ``label_en``,
        plus ``start``/``end`` when present; rows in input order, themes in
        codebook order.

    Examples
    --------
    >>> coded = pd.DataFrame({"doc_id": ["a"], "item": [1], "themes": ["staffing|innovation"]})
    >>> themes_long(coded)["theme"].tolist()
    ['staffing', 'innovation']
    """
    labels = theme_labels(codebook_themes(codebook))
    keep = [c for c in ("doc_id", "item", "start", "end") if c in coded.columns]
    base = coded[keep].copy()
    base["theme"] = coded["themes"].map(lambda v: split_themes(v) or [UNCODED])
    long = base.explode("theme", ignore_index=True)
    long["label_zh"] = long["theme"].map(lambda t: labels.get(t, (t, t))[0])
    long["label_en"] = long["theme"].map(lambda t: labels.get(t, (t, t))[1])
    cols = [c for c in ("doc_id", "item") if c in long] + ["theme", "label_zh", "label_en"]
    cols += [c for c in ("start", "end") if c in long]
    return long[cols].astype({"theme": "str", "label_zh": "str", "label_en": "str"})


def report_table(coded: pd.DataFrame, corpus: pd.DataFrame | None) -> pd.DataFrame:
    """One row per report with its metadata: the corpus without its texts and error rows
    when given, else the report columns of the coded items."""
    if corpus is not None:
        reports = corpus.drop(columns=[c for c in ("text", "chrome") if c in corpus.columns])
        if "status" in reports.columns:
            reports = reports[reports["status"].astype(str) != "error"]
        return reports.drop_duplicates("doc_id").reset_index(drop=True)
    meta = [c for c in coded.columns if c not in ("item", "text", "body", "start", "end", "themes", "matched")]
    return coded[meta].drop_duplicates("doc_id").reset_index(drop=True)


def _with_groups(coded: pd.DataFrame, reports: pd.DataFrame, by: str) -> pd.DataFrame:
    long = themes_long(coded)
    if by == "doc_id":
        long["_group"] = long["doc_id"]
        return long
    if by in coded.columns:
        groups = coded[["doc_id", by]].drop_duplicates("doc_id")
    elif by in reports.columns:
        groups = reports[["doc_id", by]]
    else:
        raise KeyError(f"group column {by!r} is in neither the coded items nor the corpus")
    return long.merge(groups.rename(columns={by: "_group"}), on="doc_id", how="left")


def theme_matrix(
    coded: pd.DataFrame,
    *,
    corpus: pd.DataFrame | None = None,
    by: str = "doc_id",
    value: str = "items",
    codebook: str | os.PathLike[str] | Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Theme x group matrix (groups: reports by default).

    Parameters
    ----------
    coded
        Output of :func:`code_problems` (needs ``doc_id`` and ``themes``).
    corpus
        Optional ``load_corpus`` table: adds reports with no coded item as
        all-zero columns, and metadata columns to group by (``report_year``,
        ``issuer_type``, ``province`` ...).
    by
        Column to group reports by (``doc_id`` = one column per report).
    value
        ``"items"``: number of items coded with the theme; ``"reports"``: number
        of reports in the group with at least one such item; ``"share"``: that
        number divided by the number of reports in the group.

    Returns
    -------
    pandas.DataFrame
        Index ``theme`` (every codebook theme in codebook order, then
        ``uncoded``), one column per group value (sorted); int64 counts or float
        shares.

    Examples
    --------
    >>> coded = pd.DataFrame({"doc_id": ["a", "a", "b"], "themes": ["staffing", "staffing|innovation", "uncoded"]})
    >>> m = theme_matrix(coded)
    >>> int(m.loc["staffing", "a"]), int(m.loc["uncoded", "b"])
    (2, 1)
    """
    if value not in ("items", "reports", "share"):
        raise ValueError("value must be 'items', 'reports' or 'share'")
    reports = report_table(coded, corpus)
    long = _with_groups(coded, reports, by)
    if by == "doc_id":
        all_groups = reports["doc_id"]
        sizes = pd.Series(1, index=reports["doc_id"].astype(str))
    else:
        if by in reports.columns:
            rg = reports[["doc_id", by]]
        else:
            rg = coded[["doc_id", by]].drop_duplicates("doc_id")
        all_groups = rg[by]
        sizes = rg.dropna(subset=[by]).groupby(rg[by].dropna().astype(str)).size()
    groups = sorted({str(g) for g in all_groups.dropna()} | {str(g) for g in long["_group"].dropna()})
    long = long.dropna(subset=["_group"]).assign(_group=lambda d: d["_group"].astype(str))
    if value == "items":
        counts = long.groupby(["theme", "_group"]).size()
    else:
        counts = long.drop_duplicates(["theme", "doc_id"]).groupby(["theme", "_group"]).size()
    matrix = counts.unstack("_group").reindex(index=theme_order(codebook), columns=groups).fillna(0)
    matrix = matrix.astype("int64")
    if value == "share":
        denom = sizes.reindex(groups).astype(float).to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            matrix = (matrix / np.where(denom > 0, denom, np.nan)).round(4)
    matrix.index.name = "theme"
    matrix.columns.name = by
    return matrix
