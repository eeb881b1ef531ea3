"""Words in their context: keyword-in-context lines and collocations.

scipy.stats is imported inside :func:`collocations` (a heavy import).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import repeat
from typing import Literal

import numpy as np
import pandas as pd

from analysis.keywords.keyness import keyness_statistic
from analysis.keywords.tables import category_codes
from analysis.ids import doc_id_table

__all__ = ["collocations", "kwic"]


@doc_id_table
def kwic(
    corpus: pd.DataFrame,
    pattern: str | re.Pattern[str] | Sequence[str],
    *,
    window: int = 20,
    regex: bool = False,
) -> pd.DataFrame:
    """Keyword in context: every occurrence of ``pattern`` in the texts.

    Searches the text itself (not tokens), so any string is found, whatever the
    segmentation.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Needs ``doc_id`` and ``text``; an optional ``start`` column (sections) is added
        to the offsets, so they refer to the report text.
    pattern : str, compiled regex, or list of str
        Literal string(s), or a regular expression with ``regex=True`` or compiled.
    window : int, default 20
        Characters of context each side, cut at the paragraph (line) boundary.
    regex : bool, default False

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``start``, ``end`` (offsets of the match: ``text[start:end] ==
        keyword``), ``left``, ``keyword``, ``right``. In document order.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a"], "text": ["第一行\\n坚持和发展新时代枫桥经验,化解矛盾"]})
    >>> kwic(docs, "枫桥经验", window=5).to_dict("records")
    [{'doc_id': 'a', 'start': 12, 'end': 16, 'left': '发展新时代', 'keyword': '枫桥经验', 'right': ',化解矛盾'}]
    """
    if isinstance(pattern, re.Pattern):
        compiled = pattern
    elif isinstance(pattern, str):
        compiled = re.compile(pattern if regex else re.escape(pattern))
    else:
        variants = sorted({str(p) for p in pattern}, key=len, reverse=True)
        if not variants:
            raise ValueError("pattern is empty")
        compiled = re.compile("|".join(variants if regex else map(re.escape, variants)))
    if compiled.pattern == "":
        raise ValueError("pattern is empty")
    has_start = "start" in corpus.columns
    rows = []
    for doc, text, base in zip(
        corpus["doc_id"].astype(str),
        corpus["text"].fillna("").astype(str),
        corpus["start"].fillna(0).astype(np.int64) if has_start else repeat(0),
    ):
        for m in compiled.finditer(text):
            s, e = m.start(), m.end()
            if s == e:
                continue
            line_start = text.rfind("\n", 0, s) + 1
            line_end = text.find("\n", e)
            line_end = len(text) if line_end < 0 else line_end
            left = text[max(line_start, s - window) : s]
            right = text[e : min(line_end, e + window)]
            rows.append((doc, int(base) + s, int(base) + e, left, m.group(0), right))
    out = pd.DataFrame(rows, columns=["doc_id", "start", "end", "left", "keyword", "right"])
    out["start"] = out["start"].astype("int64")
    out["end"] = out["end"].astype("int64")
    return out


@doc_id_table
def collocations(
    tokens: pd.DataFrame,
    *,
    min_count: int = 3,
    sort_by: Literal["G2", "pmi", "n"] = "G2",
) -> pd.DataFrame:
    """Pairs of terms that follow each other more often than chance.

    Two tokens form a pair when they are adjacent in the document's segmentation
    (``position`` differs by 1: nothing, not even a dropped stopword or punctuation, in
    between). Each pair is scored on its 2x2 table among all adjacent pairs: first
    term / not x second term / not.

    Parameters
    ----------
    tokens : pandas.DataFrame
        From :func:`analysis.tokenize` (``doc_id``, ``position``, ``term``). A
        term-count table will not do (it has no token order): ``KeyError``.
    min_count : int, default 3
        Pairs seen fewer times are dropped.
    sort_by : {"G2", "pmi", "n"}, default "G2"

    Returns
    -------
    pandas.DataFrame
        ``term1``, ``term2``, ``collocation`` (the two joined), ``n`` (pair count),
        ``n_term1``, ``n_term2`` (counts as first / second member of any pair),
        ``pmi`` (log2 of observed over expected), ``G2`` (log-likelihood, positive when
        the pair is more frequent than expected), ``p``. Sorted by ``sort_by``
        descending, then the collocation.

    Examples
    --------
    >>> toks = pd.DataFrame({"doc_id": ["a"] * 6, "position": [0, 1, 2, 3, 5, 6],
    ...                      "term": ["法律", "援助", "法律", "援助", "法律", "援助"]})
    >>> collocations(toks, min_count=2)[["collocation", "n"]].to_dict("list")
    {'collocation': ['法律援助'], 'n': [3]}
    """
    columns = ["term1", "term2", "collocation", "n", "n_term1", "n_term2", "pmi", "G2", "p"]
    if "position" not in tokens.columns:
        raise KeyError(
            "collocations needs the token table of analysis.tokenize (its `position` column: the order of the "
            "tokens); a term-count table such as the command line's `terms` has lost that order"
        )
    if len(tokens) < 2:
        return pd.DataFrame({c: [] for c in columns})
    doc, _ = category_codes(tokens["doc_id"])
    pos = tokens["position"].to_numpy(dtype=np.int64)
    term, vocabulary = category_codes(tokens["term"])
    adjacent = (doc[1:] == doc[:-1]) & (pos[1:] - pos[:-1] == 1)
    first, second = term[:-1][adjacent], term[1:][adjacent]
    if first.size == 0:
        return pd.DataFrame({c: [] for c in columns})
    n_types = len(vocabulary)
    pair_codes, pair_counts = np.unique(first * n_types + second, return_counts=True)
    n1 = np.bincount(first, minlength=n_types)
    n2 = np.bincount(second, minlength=n_types)
    keep = pair_counts >= min_count
    t1, t2 = pair_codes[keep] // n_types, pair_codes[keep] % n_types
    counts = pd.DataFrame(
        {
            "term1": vocabulary[t1],
            "term2": vocabulary[t2],
            "n": pair_counts[keep].astype(np.int64),
            "n_term1": n1[t1].astype(np.int64),
            "n_term2": n2[t2].astype(np.int64),
        }
    )
    total = float(first.size)
    a = counts["n"].to_numpy(dtype=np.float64)
    b = counts["n_term1"].to_numpy(dtype=np.float64) - a
    c = counts["n_term2"].to_numpy(dtype=np.float64) - a
    d = total - a - b - c
    counts["pmi"] = np.log2(a * total / ((a + b) * (a + c)))
    counts["G2"] = keyness_statistic(a, c, a + b, c + d, "lr", "none") if len(counts) else np.zeros(0)
    from analysis.keywords.keyness import chi2_sf_1

    counts["p"] = chi2_sf_1(np.abs(counts["G2"].to_numpy()))
    counts["collocation"] = counts["term1"] + counts["term2"]
    counts["n"] = counts["n"].astype(np.int64)
    counts = counts.sort_values([sort_by, "collocation"], ascending=[False, True], kind="stable")
    return counts[columns].reset_index(drop=True)
