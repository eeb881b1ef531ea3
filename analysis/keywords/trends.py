"""Keyword trends: the rate of watch-list terms or concepts per year, with the reports behind it.

What is counted is a documented choice (``match=``): tokens equal to a term (default),
tokens containing it, tokens matching a concept's glob patterns, or raw string
occurrences in the text. Each rate comes with a bootstrap interval from resampling the
year's reports (seeded), and with the number of reports behind it. Tokens or term counts
(the command line's ``terms`` table) give the same table, intervals included.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from analysis.keywords.concepts import glob_pattern
from analysis.keywords.tables import category_codes, is_count_table, join_metadata, positive_counts, token_weights
from analysis.ids import doc_id_table

__all__ = ["keyword_trends"]


def _term_groups(terms: Sequence[str] | Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    if isinstance(terms, str):
        return {terms: [terms]}
    if isinstance(terms, Mapping):
        return {str(k): ([v] if isinstance(v, str) else list(v)) for k, v in terms.items()}
    return {t: [t] for t in terms}


@doc_id_table
def keyword_trends(
    tokens: pd.DataFrame,
    terms: Sequence[str] | Mapping[str, Sequence[str]],
    *,
    corpus: pd.DataFrame,
    by: str = "report_year",
    match: Literal["exact", "contains", "glob", "text"] = "exact",
    ci: float | None = 0.95,
    n_boot: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """Rate of watch-list terms (or concepts) per year or other group, with the reports behind it.

    Parameters
    ----------
    tokens : pandas.DataFrame
        From :func:`analysis.tokenize`: its tokens are the denominator of every rate.
        Or a term-count table (``doc_id``, ``term``, integer ``n``, optional ``part``:
        the command line's ``terms`` table, :func:`analysis.pipeline.count_terms`),
        each row weighing ``n`` tokens: the same rates, counts and intervals (reports
        are resampled as units either way, in ``doc_id`` order within a group).
    terms : list of str, or mapping label -> list of str
        Terms to follow. A mapping pools variants under one label, e.g.
        ``{"数字化/智慧": ["数字化", "智慧"]}``; with ``match="glob"`` it is a concept
        dictionary, e.g. ``{"法治": ["法治*", "*依法治*"]}``.
    corpus : pandas.DataFrame
        Report metadata holding ``doc_id`` and the ``by`` column (and ``text`` for
        ``match="text"``).
    by : str, default "report_year"
        Group column of ``corpus``.
    match : {"exact", "contains", "glob", "text"}, default "exact"
        What is counted:

        ``"exact"`` (default)
            tokens equal to a variant: 法治 counts the token 法治 only, not 法治政府;
        ``"contains"``
            tokens containing a variant (智慧 also counts 智慧城管);
        ``"glob"``
            tokens matching a variant as a glob pattern (``*`` any run, ``?`` one
            character; :mod:`analysis.keywords.concepts`): concepts;
        ``"text"``
            occurrences of the variants as strings in ``corpus["text"]``, whatever the
            segmentation (non-overlapping, longest variant first): 法治 then counts the
            string wherever it stands, in 法治政府 and in 全面依法治国 (依法治国 holds it)
            alike. Rates stay per 10,000 tokens; reports without tokens are not counted.
    ci : float or None, default 0.95
        Level of a percentile bootstrap interval for each rate: the group's reports are
        drawn with replacement ``n_boot`` times (the same draws for every term) and the
        pooled rate recomputed. None: no interval. Groups resting on one report get no
        interval (NaN): one report cannot show variation between reports.
    n_boot : int, default 1000
    seed : int, default 0
        Seed of the resampling: the same input gives the same interval.

    Returns
    -------
    pandas.DataFrame
        One row per group and term label (every combination, zeros included):
        ``by``, ``term``, ``n`` (occurrences), ``n_tokens`` (tokens of the group),
        ``rate_per_10k``, ``n_reports`` (reports of the group with tokens),
        ``n_reports_with_term``, ``single_report`` (True where the group rests on one
        report: a "trend" there is one report's wording), ``label`` (e.g.
        ``"2020 (n=1)"``, for axes), and with ``ci`` the interval ``ci_low``,
        ``ci_high`` (per 10,000 tokens). Groups sorted; a missing ``by`` value is its
        own group, last. ``attrs`` records ``ci``, ``n_boot`` and ``match`` (the
        figure's caption reads them).

    Examples
    --------
    >>> toks = pd.DataFrame({"doc_id": ["a", "a", "b"], "term": ["普法", "执法", "普法"]})
    >>> meta = pd.DataFrame({"doc_id": ["a", "b"], "report_year": [2020, 2023]})
    >>> keyword_trends(toks, ["普法"], corpus=meta)[["report_year", "n", "rate_per_10k", "label"]].to_dict("list")
    {'report_year': [2020, 2023], 'n': [1, 1], 'rate_per_10k': [5000.0, 10000.0], 'label': ['2020 (n=1)', '2023 (n=1)']}
    >>> keyword_trends(toks, {"法": ["*法"]}, corpus=meta, match="glob")["n"].tolist()
    [2, 1]
    """
    if match not in ("exact", "contains", "glob", "text"):
        raise ValueError(f"match must be 'exact', 'contains', 'glob' or 'text', got {match!r}")
    if ci is not None and not 0 < ci < 1:
        raise ValueError(f"ci must be between 0 and 1 (e.g. 0.95) or None, got {ci!r}")
    groups = _term_groups(terms)
    frame = join_metadata(positive_counts(tokens), [by], corpus)
    weights = token_weights(frame)  # None: a token table, each row one token
    size = ("n", "sum") if is_count_table(frame) else ("doc_id", "size")
    totals = frame.groupby(by, dropna=False, observed=True, sort=True).agg(
        n_tokens=size, n_reports=("doc_id", "nunique")
    )
    # One unit per report and group (a report is one unit unless `by` varies inside it),
    # in doc_id order within a group whatever the column's dtype or category order, so
    # that the bootstrap draws the same reports from tokens and from term counts.
    group_pos = totals.index.get_indexer(frame[by])
    doc_codes, doc_names = category_codes(frame["doc_id"])
    doc_rank = np.empty(len(doc_names), dtype=np.int64)
    doc_rank[np.argsort(doc_names.astype(str), kind="stable")] = np.arange(len(doc_names))
    doc_codes = doc_rank[doc_codes] if len(doc_names) else doc_codes
    doc_names = np.sort(doc_names.astype(str)).astype(object)
    units, unit_of_token = np.unique(group_pos * max(len(doc_names), 1) + doc_codes, return_inverse=True)
    unit_group = units // max(len(doc_names), 1)
    unit_doc = doc_names[units % max(len(doc_names), 1)] if len(units) else np.zeros(0, dtype=object)
    if weights is None:
        unit_tokens = np.bincount(unit_of_token, minlength=len(units))
    else:
        unit_tokens = np.bincount(unit_of_token, weights=weights, minlength=len(units)).astype(np.int64)
    hits = _unit_hits(frame, groups, match, unit_of_token, len(units), unit_doc, corpus, by, weights)

    rows = []
    n_groups = len(totals)
    for k, label in enumerate(groups):
        n_per = np.bincount(unit_group, weights=hits[:, k], minlength=n_groups)
        with_per = np.bincount(unit_group, weights=hits[:, k] > 0, minlength=n_groups)
        for g, (value, total) in enumerate(totals.iterrows()):
            rows.append((value, label, int(n_per[g]), int(total["n_tokens"]), int(total["n_reports"]), int(with_per[g])))
    out = pd.DataFrame(rows, columns=[by, "term", "n", "n_tokens", "n_reports", "n_reports_with_term"])
    out["rate_per_10k"] = out["n"] / out["n_tokens"] * 10_000
    out["single_report"] = out["n_reports"] == 1
    out["label"] = [f"{'NA' if pd.isna(v) else v} (n={k})" for v, k in zip(out[by], out["n_reports"])]
    columns = [by, "term", "n", "n_tokens", "rate_per_10k", "n_reports", "n_reports_with_term", "single_report", "label"]
    if ci is not None:
        low, high = _bootstrap(hits, unit_tokens, unit_group, n_groups, ci=ci, n_boot=n_boot, seed=seed)
        # rows are label-major (label, then group), as the two arrays (group x label) are read
        out["ci_low"] = low.T.ravel()
        out["ci_high"] = high.T.ravel()
        columns += ["ci_low", "ci_high"]
    out = out[columns]
    order = {label: i for i, label in enumerate(groups)}
    out = out.assign(_o=out["term"].map(order)).sort_values([by, "_o"], kind="stable", na_position="last")
    out = out.drop(columns="_o").reset_index(drop=True)
    out.attrs = {"ci": ci, "n_boot": n_boot if ci is not None else None, "match": match}
    return out


def _unit_hits(
    frame: pd.DataFrame,
    groups: dict[str, list[str]],
    match: str,
    unit_of_token: np.ndarray,
    n_units: int,
    unit_doc: np.ndarray,
    corpus: pd.DataFrame,
    by: str,
    weights: np.ndarray | None = None,
) -> np.ndarray:
    """Occurrences of each term label in each unit (report x group): array units x labels.

    ``weights``: tokens each row of ``frame`` stands for (a count table's ``n``); None: one.
    """
    out = np.zeros((n_units, len(groups)), dtype=np.float64)
    if match == "text":
        if "text" not in corpus.columns:
            raise KeyError("match='text' counts strings in corpus['text']: pass a corpus with a text column")
        if by in frame.columns and by not in corpus.columns:
            raise ValueError("match='text' needs `by` to be a column of corpus (one group per report)")
        texts = corpus[["doc_id", "text"]].assign(doc_id=corpus["doc_id"].astype(str), text=corpus["text"].fillna("").astype(str))
        for k, variants in enumerate(groups.values()):
            # e.g. ["法治政府", "法治"] -> "法治政府|法治": the longer variant wins where both start
            pattern = re.compile("|".join(map(re.escape, sorted(set(variants), key=len, reverse=True))))
            per_doc = texts.assign(_n=[sum(1 for _ in pattern.finditer(t)) for t in texts["text"]]).groupby("doc_id")["_n"].sum()
            out[:, k] = per_doc.reindex(unit_doc.astype(str)).fillna(0).to_numpy() if n_units else []
        return out
    term_col = frame["term"]
    vocab = [str(t) for t in (term_col.cat.categories if isinstance(term_col.dtype, pd.CategoricalDtype) else pd.unique(term_col.to_numpy()))]
    for k, variants in enumerate(groups.values()):
        if match == "exact":
            hit_types = set(variants)
        elif match == "contains":
            hit_types = {t for t in vocab if any(v in t for v in variants)}
        else:
            fullmatch = glob_pattern(variants).fullmatch
            hit_types = {t for t in vocab if fullmatch(t)}
        hit = term_col.isin(hit_types).to_numpy()
        out[:, k] = np.bincount(unit_of_token[hit], weights=None if weights is None else weights[hit], minlength=n_units)
    return out


def _bootstrap(
    hits: np.ndarray,
    unit_tokens: np.ndarray,
    unit_group: np.ndarray,
    n_groups: int,
    *,
    ci: float,
    n_boot: int,
    seed: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval of each group's pooled rate (per 10,000 tokens): arrays group x label.

    Within each group the reports (units) are drawn with replacement ``n_boot`` times
    (multinomial counts, one generator seeded once, groups in order); a group of one
    report gets NaN.
    """
    rng = np.random.default_rng(seed)
    n_labels = hits.shape[1]
    low = np.full((n_groups, n_labels), np.nan)
    high = np.full((n_groups, n_labels), np.nan)
    alpha = (1 - ci) / 2
    for g in range(n_groups):
        members = np.flatnonzero(unit_group == g)
        m = len(members)
        if m < 2:
            continue
        draws = rng.multinomial(m, np.full(m, 1 / m), size=n_boot).astype(np.float64)  # n_boot x m
        rates = (draws @ hits[members]) / (draws @ unit_tokens[members].astype(np.float64))[:, None] * 10_000
        low[g], high[g] = np.quantile(rates, [alpha, 1 - alpha], axis=0)
    return low, high
