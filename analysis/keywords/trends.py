"""Keyword trends: the rate of watch-list terms per year (or group), with the reports behind it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import pandas as pd

from analysis.keywords.tables import join_metadata

__all__ = ["keyword_trends"]


def _term_groups(terms: Sequence[str] | Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    if isinstance(terms, str):
        return {terms: [terms]}
    if isinstance(terms, Mapping):
        return {str(k): ([v] if isinstance(v, str) else list(v)) for k, v in terms.items()}
    return {t: [t] for t in terms}


def keyword_trends(
    tokens: pd.DataFrame,
    terms: Sequence[str] | Mapping[str, Sequence[str]],
    *,
    corpus: pd.DataFrame,
    by: str = "report_year",
    match: Literal["exact", "contains"] = "exact",
) -> pd.DataFrame:
    """Rate of watch-list terms per year (or other group), with the reports behind it.

    Parameters
    ----------
    tokens : pandas.DataFrame
        From :func:`analysis.tokenize`.
    terms : list of str, or mapping label -> list of str
        Terms to follow. A mapping pools variants under one label, e.g.
        ``{"数字化/智慧": ["数字化", "智慧"]}``.
    corpus : pandas.DataFrame
        Report metadata holding ``doc_id`` and the ``by`` column.
    by : str, default "report_year"
        Group column of ``corpus``.
    match : {"exact", "contains"}, default "exact"
        ``"exact"``: the token equals a variant; ``"contains"``: the token contains it
        (so 智慧 also counts 智慧城管).

    Returns
    -------
    pandas.DataFrame
        One row per group and term label (every combination, zeros included):
        ``by``, ``term``, ``n`` (occurrences), ``n_tokens`` (tokens of the group),
        ``rate_per_10k``, ``n_reports`` (reports of the group with tokens),
        ``n_reports_with_term``, ``single_report`` (True where the group rests on one
        report: a "trend" there is one report's wording), ``label`` (e.g.
        ``"2020 (n=1)"``, for axes). Groups sorted; a missing ``by`` value is its
        own group, last.

    Examples
    --------
    >>> toks = pd.DataFrame({"doc_id": ["a", "a", "b"], "term": ["普法", "执法", "普法"]})
    >>> meta = pd.DataFrame({"doc_id": ["a", "b"], "report_year": [2020, 2023]})
    >>> keyword_trends(toks, ["普法"], corpus=meta)[["report_year", "n", "rate_per_10k", "label"]].to_dict("list")
    {'report_year': [2020, 2023], 'n': [1, 1], 'rate_per_10k': [5000.0, 10000.0], 'label': ['2020 (n=1)', '2023 (n=1)']}
    """
    groups = _term_groups(terms)
    frame = join_metadata(tokens, [by], corpus)
    group_values = frame[by]
    totals = frame.groupby(by, dropna=False, observed=True, sort=True).agg(
        n_tokens=("doc_id", "size"), n_reports=("doc_id", "nunique")
    )
    term_col = frame["term"]
    vocab = [str(t) for t in (term_col.cat.categories if isinstance(term_col.dtype, pd.CategoricalDtype) else pd.unique(term_col.to_numpy()))]
    rows = []
    for label, variants in groups.items():
        if match == "exact":
            hit_types = set(variants)
        elif match == "contains":
            hit_types = {t for t in vocab if any(v in t for v in variants)}
        else:
            raise ValueError(f"match must be 'exact' or 'contains', got {match!r}")
        hits = term_col.isin(hit_types).to_numpy()
        sub = frame.loc[hits, ["doc_id"]].assign(_g=group_values[hits].to_numpy())
        per = sub.groupby("_g", dropna=False, sort=True).agg(n=("doc_id", "size"), n_reports_with_term=("doc_id", "nunique"))
        for value, total in totals.iterrows():
            got = per.loc[value] if value in per.index else None
            n = int(got["n"]) if got is not None else 0
            with_term = int(got["n_reports_with_term"]) if got is not None else 0
            rows.append((value, label, n, int(total["n_tokens"]), int(total["n_reports"]), with_term))
    out = pd.DataFrame(rows, columns=[by, "term", "n", "n_tokens", "n_reports", "n_reports_with_term"])
    out["rate_per_10k"] = out["n"] / out["n_tokens"] * 10_000
    out["single_report"] = out["n_reports"] == 1
    out["label"] = [f"{'NA' if pd.isna(v) else v} (n={k})" for v, k in zip(out[by], out["n_reports"])]
    out = out[[by, "term", "n", "n_tokens", "rate_per_10k", "n_reports", "n_reports_with_term", "single_report", "label"]]
    order = {label: i for i, label in enumerate(groups)}
    out = out.assign(_o=out["term"].map(order)).sort_values([by, "_o"], kind="stable", na_position="last")
    return out.drop(columns="_o").reset_index(drop=True)
