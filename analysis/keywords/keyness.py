"""Keyness: terms over- and under-used by a group of reports, as quanteda.textstats computes it.

:func:`keyness_statistic` is the 2x2-table statistic (G2, chi2, PMI) with quanteda's
corrections; :func:`analysis.collocations` scores word pairs with it too. scipy.stats is
imported inside the functions that need it (a heavy import).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.keywords.concepts import Concepts, concept_dictionary, tokens_lookup
from analysis.keywords.tables import doc_positions, positive_counts, token_weights
from analysis.keywords.terms import document_term_matrix
from analysis.ids import doc_id_table

__all__ = ["keyness", "keyness_statistic", "keyness_table"]

_EPSILON = 1e-9  # quanteda adds it inside every log (keyness.cpp: "the same value as R code")


def _yates_delta(a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray) -> np.ndarray:
    """quanteda's conditional Yates correction: 0.5 where |ad-bc| >= N/2 and an expected count < 5."""
    n = a + b + c + d
    small = ((a + b) * (a + c) / n < 5) | ((a + b) * (b + d) / n < 5) | ((a + c) * (c + d) / n < 5) | ((c + d) * (b + d) / n < 5)
    return np.where((np.abs(a * d - b * c) >= n / 2) & small, 0.5, 0.0)


def _williams(a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray) -> np.ndarray:
    n = a + b + c + d
    with np.errstate(divide="ignore", invalid="ignore"):
        q = 1.0 + (n / (a + b) + n / (c + d) - 1.0) * (n / (a + c) + n / (b + d) - 1.0) / (6.0 * n)
    return np.where(a * b * c * d == 0, 1.0, q)


def keyness_statistic(
    a: np.ndarray, b: np.ndarray, total_target: float, total_reference: float, measure: str, correction: str
) -> np.ndarray:
    """Signed keyness statistic per term, as quanteda.textstats' keyness.cpp computes it.

    Parameters
    ----------
    a, b : numpy.ndarray
        Counts of each term in the target and in the reference.
    total_target, total_reference : float
        Tokens of the target and of the reference.
    measure : {"lr", "chi2", "pmi"}
        Dunning's G2, Pearson's chi2, or pointwise mutual information (natural log).
    correction : {"default", "yates", "williams", "none"}
        As :func:`keyness`.

    Returns
    -------
    numpy.ndarray
        The statistic, positive where the target's count exceeds its expected value.

    Examples
    --------
    >>> import numpy as np
    >>> keyness_statistic(np.array([10.0]), np.array([5.0]), 100, 200, "chi2", "none").round(4).tolist()
    [7.8947]
    """
    a = a.astype(np.float64)
    b = b.astype(np.float64)
    c = total_target - a
    d = total_reference - b
    n = a + b + c + d
    expected = (a + b) * (a + c) / n
    sign = np.where(a > expected, 1.0, -1.0)
    yates = correction in ("default", "yates")
    with np.errstate(divide="ignore", invalid="ignore"):
        if measure == "chi2":
            delta = _yates_delta(a, b, c, d) if yates else 0.0
            q = _williams(a, b, c, d) if correction == "williams" else 1.0
            num = n * (np.abs(a * d - b * c) - n * delta) ** 2
            den = (a + b) * (c + d) * (a + c) * (b + d) * sign / q
            return num / den
        if measure == "lr":
            aa, bb, cc, dd = a, b, c, d
            if yates:
                delta = _yates_delta(a, b, c, d)
                positive = a * d - b * c > 0
                aa = a + np.where(positive, -delta, delta)
                bb = b + np.where(positive, delta, -delta)
                cc = c + np.where(positive, delta, -delta)
                dd = d + np.where(positive, -delta, delta)

            def term(o: np.ndarray, e: np.ndarray) -> np.ndarray:
                return np.where(o == 0, 0.0, o * np.log(o / e + _EPSILON))

            g2 = 2 * (
                term(aa, (aa + bb) * (aa + cc) / n)
                + term(bb, (aa + bb) * (bb + dd) / n)
                + term(cc, (aa + cc) * (cc + dd) / n)
                + term(dd, (bb + dd) * (cc + dd) / n)
            ) * sign
            if correction == "williams":
                g2 = g2 / _williams(a, b, c, d)
            return g2
        if measure == "pmi":
            return np.log(a / expected + _EPSILON)
    raise ValueError(f"measure must be 'lr', 'chi2' or 'pmi', got {measure!r}")


def _target_mask(target: Any, doc_ids: np.ndarray) -> np.ndarray:
    if isinstance(target, pd.Series) and target.dtype == bool:
        selected = {str(k) for k, v in target.items() if v}
    elif isinstance(target, str):
        selected = {target}
    else:
        selected = {str(t) for t in target}
    unknown = selected - set(doc_ids.tolist())
    if unknown:
        raise KeyError(f"target documents not in tokens: {sorted(unknown)[:5]}")
    return np.asarray([d in selected for d in doc_ids], dtype=bool)


@doc_id_table
def keyness(
    tokens: pd.DataFrame,
    target: Iterable[str] | pd.Series | str,
    *,
    measure: Literal["lr", "chi2", "pmi"] = "lr",
    correction: Literal["default", "yates", "williams", "none"] = "default",
    concepts: Concepts | None = None,
) -> pd.DataFrame:
    """Terms (or concepts) over- and under-used in the target documents against all the others.

    Follows quanteda.textstats' ``textstat_keyness`` as its code computes it
    (``src/keyness.cpp``): for each term the 2x2 table target/reference x
    term/other terms; the statistic is signed positive when the target's count exceeds
    its expected value; ``p`` from the chi-squared distribution with 1 df of its
    absolute value. ``correction="default"`` applies quanteda's conditional Yates
    correction (subtract 0.5 from |O - E| only where |ad - bc| >= N/2 and an expected
    count is below 5) to both ``"chi2"`` and ``"lr"`` — what quanteda's code does,
    although its help page says Williams' correction is the default for ``"lr"``;
    pass ``correction="williams"`` for that, ``"none"`` for the plain statistic.
    Unlike quanteda, ``measure="lr"`` (Dunning's G2) is the default here.

    Parameters
    ----------
    tokens : pandas.DataFrame
        From :func:`analysis.tokenize`, or a term-count table (``doc_id``, ``term``,
        integer ``n``, optional ``part``: the command line's ``terms`` table,
        :func:`analysis.pipeline.count_terms`), each row weighing ``n`` tokens: the
        same table as from the tokens counted.
    target : iterable of doc_id, a doc_id, or boolean Series indexed by doc_id
        The target documents; every other document of ``tokens`` is the reference.
    measure : {"lr", "chi2", "pmi"}, default "lr"
    correction : {"default", "yates", "williams", "none"}, default "default"
    concepts : mapping label -> glob pattern(s), optional
        Compare concepts instead of terms (:mod:`analysis.keywords.concepts`): a
        concept's 2x2 table is its matching tokens against all other tokens of each
        side. Concepts matching no token on either side are left out.

    Returns
    -------
    pandas.DataFrame
        ``term`` (or concept label), the statistic (column ``G2``, ``chi2`` or
        ``pmi``), ``p``, ``n_target``, ``n_reference`` (counts), ``rate_target``,
        ``rate_reference`` (per 10,000 tokens of each side), ``pct_diff`` (%DIFF of
        Gabrielatos & Marchi 2012: ``100 * (rate_target - rate_reference) /
        rate_reference``; ``inf`` for a term absent from the reference). Sorted by the
        statistic, descending, then term (as quanteda). ``attrs`` holds the size of
        each side: ``n_target_docs``, ``n_reference_docs`` (documents with tokens) and
        ``n_target_tokens``, ``n_reference_tokens``, which
        :func:`analysis.plots.keywords.plot_keyness` puts in its title.

    Examples
    --------
    >>> toks = pd.DataFrame({"doc_id": list("aaaabbbb"), "term": list("甲甲甲乙乙乙乙甲")})
    >>> keyness(toks, ["a"], correction="none")[["term", "G2", "n_target", "n_reference"]].round(4).to_dict("list")
    {'term': ['甲', '乙'], 'G2': [2.093, -2.093], 'n_target': [3, 1], 'n_reference': [1, 3]}
    """
    if measure not in ("lr", "chi2", "pmi"):
        raise ValueError(f"measure must be 'lr', 'chi2' or 'pmi', got {measure!r}")
    if correction not in ("default", "yates", "williams", "none"):
        raise ValueError(f"correction must be default, yates, williams or none, got {correction!r}")
    dtm = document_term_matrix(tokens)
    in_target = _target_mask(target, dtm.doc_ids)
    if not in_target.any():
        raise ValueError("target selects no document")
    if in_target.all():
        raise ValueError("target cannot be all the documents: nothing is left as reference")
    doc_tokens = np.asarray(dtm.matrix.sum(axis=1)).ravel()
    if concepts is None:
        matrix, vocabulary = dtm.matrix, dtm.vocabulary
    else:
        matrix, vocabulary = _concept_matrix(tokens, concepts, dtm.doc_ids)
    a = np.asarray(matrix[in_target].sum(axis=0)).ravel().astype(np.float64)
    b = np.asarray(matrix[~in_target].sum(axis=0)).ravel().astype(np.float64)
    total_t = float(doc_tokens[in_target].sum())
    total_r = float(doc_tokens[~in_target].sum())
    if total_t == 0 or total_r == 0:
        raise ValueError("the target or the reference has no tokens")
    out = keyness_table(a, b, vocabulary, total_t, total_r, measure=measure, correction=correction)
    out.attrs = {
        "n_target_docs": int(((doc_tokens > 0) & in_target).sum()),
        "n_reference_docs": int(((doc_tokens > 0) & ~in_target).sum()),
        "n_target_tokens": int(total_t),
        "n_reference_tokens": int(total_r),
    }
    return out


def chi2_sf_1(x: np.ndarray) -> np.ndarray:
    """The p-value of a statistic under chi-squared with one degree of freedom.

    ``scipy.special.chdtrc(1, x)``, the function ``scipy.stats.chi2.sf(x, 1)`` computes
    (same values: ``tests/keywords`` checks), without importing ``scipy.stats`` (0.5 s).

    >>> chi2_sf_1(np.array([0.0, 3.841458820694124])).round(4).tolist()
    [1.0, 0.05]
    """
    from scipy import special

    return special.chdtrc(1, np.asarray(x, dtype=np.float64))


def keyness_table(
    a: np.ndarray,
    b: np.ndarray,
    vocabulary: np.ndarray,
    total_t: float,
    total_r: float,
    *,
    measure: Literal["lr", "chi2", "pmi"] = "lr",
    correction: Literal["default", "yates", "williams", "none"] = "default",
) -> pd.DataFrame:
    """The keyness table from term counts in the target (``a``) and the reference (``b``).

    ``vocabulary`` names the terms of ``a`` and ``b``; ``total_t`` and ``total_r`` are the
    token totals of each side. Columns and order as :func:`keyness` returns them (the
    statistic, ``p``, counts, rates per 10,000 tokens, ``pct_diff``), sorted by the
    statistic. Shared by :func:`keyness` (from tokens) and the command line (from term
    totals summed chunk by chunk).

    Examples
    --------
    >>> keyness_table(np.array([3.0, 1.0]), np.array([1.0, 3.0]), np.array(["甲", "乙"]), 4, 4,
    ...               correction="none")[["term", "G2", "n_target"]].round(4).values.tolist()
    [['甲', 2.093, 3], ['乙', -2.093, 1]]
    """
    stat_name = {"lr": "G2", "chi2": "chi2", "pmi": "pmi"}.get(measure)
    if stat_name is None:
        raise ValueError(f"measure must be 'lr', 'chi2' or 'pmi', got {measure!r}")
    stat = keyness_statistic(a, b, total_t, total_r, measure, correction)
    p = chi2_sf_1(np.abs(stat))
    rate_t = a / total_t * 10_000
    rate_r = b / total_r * 10_000
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(rate_r > 0, 100 * (rate_t - rate_r) / np.where(rate_r > 0, rate_r, 1), np.inf)
    out = pd.DataFrame(
        {
            "term": np.asarray(vocabulary).astype(str),
            stat_name: stat,
            "p": p,
            "n_target": a.astype(np.int64),
            "n_reference": b.astype(np.int64),
            "rate_target": rate_t,
            "rate_reference": rate_r,
            "pct_diff": pct,
        }
    )
    return out.sort_values([stat_name, "term"], ascending=[False, True], kind="stable").reset_index(drop=True)


def _concept_matrix(tokens: pd.DataFrame, concepts: Concepts, doc_ids: np.ndarray) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Counts of each concept per document (rows: ``doc_ids``), concepts found at least once."""
    looked = tokens_lookup(positive_counts(tokens), concepts)
    labels = np.asarray(list(concept_dictionary(concepts)), dtype=object)
    rows = doc_positions(looked["doc_id"], doc_ids)
    cols = looked["term"].cat.codes.to_numpy().astype(np.int64)
    weights = token_weights(looked)
    matrix = sparse.csr_matrix(
        (np.ones(len(cols), dtype=np.int64) if weights is None else weights, (rows, cols)), shape=(len(doc_ids), len(labels)), dtype=np.int64
    )
    matrix.sum_duplicates()
    found = np.flatnonzero(np.asarray(matrix.sum(axis=0)).ravel() > 0)
    return matrix[:, found].tocsr(), labels[found]
