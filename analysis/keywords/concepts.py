"""Concept dictionaries: many terms counted as one concept, in the sense of quanteda's ``dictionary()``.

A concept dictionary maps a label to glob patterns matched against whole tokens::

    concepts = {"法治": ["法治*", "*依法治*"], "数字政府": ["数字政府", "智慧*", "一网通办"]}

``*`` stands for any run of characters (also none), ``?`` for exactly one; every other
character is literal, and a pattern matches a token only as a whole (quanteda's
``valuetype = "glob"``): ``法治*`` counts 法治, 法治政府 and 法治建设, not 全面依法治国 — write
``*依法治*`` for that. A token matching patterns of several concepts counts once for each;
matching two patterns of one concept, once.

:func:`analysis.term_frequencies`, :func:`analysis.keyness` and
:func:`analysis.keyword_trends` (``match="glob"``) take such a dictionary; :func:`concept_matches`
lists the terms each concept matched, so that a reader can check what was counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Union

import numpy as np
import pandas as pd

from analysis.keywords.tables import category_codes, positive_counts, token_weights

__all__ = ["Concepts", "concept_dictionary", "concept_matches", "glob_pattern", "tokens_lookup"]

Concepts = Mapping[str, Union[str, Sequence[str]]]
"""A concept dictionary: label -> glob pattern(s)."""


def glob_pattern(patterns: Iterable[str]) -> re.Pattern[str]:
    """One regular expression matching a whole token against any of the glob ``patterns``.

    Examples
    --------
    >>> p = glob_pattern(["法治*", "*依法治*", "一网?办"])
    >>> [w for w in ["法治", "法治政府", "全面依法治国", "一网通办", "一网办", "政府法治"] if p.fullmatch(w)]
    ['法治', '法治政府', '全面依法治国', '一网通办']
    """
    parts = []
    for pattern in patterns:
        if not pattern:
            raise ValueError("empty glob pattern")
        # "法治*" -> "法治.*", "一网?办" -> "一网.办"; everything else literal
        parts.append("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern))
    return re.compile("|".join(f"(?:{p})" for p in parts), re.DOTALL)


def concept_dictionary(concepts: Concepts) -> dict[str, tuple[str, ...]]:
    """Check a concept dictionary and return it as label -> tuple of patterns (order kept).

    Examples
    --------
    >>> concept_dictionary({"法治": ["法治*", "*依法治*"], "营商环境": "营商环境"})
    {'法治': ('法治*', '*依法治*'), '营商环境': ('营商环境',)}
    """
    if not isinstance(concepts, Mapping) or not concepts:
        raise TypeError("concepts must be a non-empty mapping label -> glob pattern(s)")
    out: dict[str, tuple[str, ...]] = {}
    for label, patterns in concepts.items():
        values = (patterns,) if isinstance(patterns, str) else tuple(str(p) for p in patterns)
        if not values or not all(values):
            raise ValueError(f"concept {label!r} has no (or an empty) pattern")
        out[str(label)] = values
    return out


def _matches(vocabulary: np.ndarray, concepts: Concepts) -> dict[str, np.ndarray]:
    """label -> boolean mask over ``vocabulary``: the terms the concept matches."""
    out = {}
    for label, patterns in concept_dictionary(concepts).items():
        match = glob_pattern(patterns).fullmatch
        out[label] = np.fromiter((match(str(t)) is not None for t in vocabulary), dtype=bool, count=len(vocabulary))
    return out


def concept_matches(tokens: pd.DataFrame, concepts: Concepts) -> pd.DataFrame:
    """The terms of ``tokens`` each concept matches, with their counts.

    Parameters
    ----------
    tokens : pandas.DataFrame
        From :func:`analysis.tokenize` (``term``), or a term-count table (``term`` and
        an integer ``n``, e.g. the command line's ``terms`` table): each row then
        counts ``n`` times, giving the table of the tokens counted.
    concepts : mapping label -> glob pattern(s)

    Returns
    -------
    pandas.DataFrame
        ``concept``, ``term``, ``n``: one row per concept and matched term, concepts in
        dictionary order, terms by ``n`` descending, then term.

    Examples
    --------
    >>> toks = pd.DataFrame({"doc_id": ["a"] * 4, "term": ["法治政府", "依法治区", "法治", "法治政府"]})
    >>> concept_matches(toks, {"法治": ["法治*", "*依法治*"]}).to_dict("list")
    {'concept': ['法治', '法治', '法治'], 'term': ['法治政府', '依法治区', '法治'], 'n': [2, 1, 1]}
    """
    tokens = positive_counts(tokens)
    codes, vocabulary = category_codes(tokens["term"])
    weights = token_weights(tokens)
    known = codes >= 0
    if weights is None:
        counts = np.bincount(codes[known], minlength=len(vocabulary))
    else:
        counts = np.bincount(codes[known], weights=weights[known], minlength=len(vocabulary)).astype(np.int64)
    rows = []
    for label, mask in _matches(vocabulary, concepts).items():
        hit = np.flatnonzero(mask & (counts > 0))
        order = sorted(hit.tolist(), key=lambda j: (-counts[j], vocabulary[j]))
        rows.extend((label, str(vocabulary[j]), int(counts[j])) for j in order)
    out = pd.DataFrame(rows, columns=["concept", "term", "n"])
    out["n"] = out["n"].astype("int64")
    return out


def tokens_lookup(tokens: pd.DataFrame, concepts: Concepts) -> pd.DataFrame:
    """Replace each token by the concept(s) it matches (quanteda's ``tokens_lookup``).

    Parameters
    ----------
    tokens : pandas.DataFrame
        From :func:`analysis.tokenize`, or a term-count table (``doc_id``, ``term``,
        ``n``). Not modified.
    concepts : mapping label -> glob pattern(s)

    Returns
    -------
    pandas.DataFrame
        The rows of ``tokens`` that match a concept, with ``term`` replaced by the
        concept label (category, categories in dictionary order); a token matching
        ``k`` concepts gives ``k`` rows, in dictionary order. Other columns unchanged
        (a count table's rows keep their ``n``).

    Examples
    --------
    >>> toks = pd.DataFrame({"doc_id": list("aab"), "term": ["法治政府", "执法", "数字政府"]})
    >>> tokens_lookup(toks, {"法治": "法治*", "政府": "*政府"})[["doc_id", "term"]].values.tolist()
    [['a', '法治'], ['a', '政府'], ['b', '政府']]
    """
    codes, vocabulary = category_codes(tokens["term"])
    masks = _matches(vocabulary, concepts)
    labels = list(masks)
    if not len(tokens):
        hits = np.zeros((0, len(labels)), dtype=bool)
    else:
        table = np.column_stack([masks[label] for label in labels]) if len(vocabulary) else np.zeros((0, len(labels)), dtype=bool)
        hits = np.zeros((len(codes), len(labels)), dtype=bool)
        known = codes >= 0
        hits[known] = table[codes[known]]
    rows, which = np.nonzero(hits)  # row-major: token order, then dictionary order
    out = tokens.iloc[rows].copy()
    out["term"] = pd.Categorical.from_codes(which.astype(np.int32), categories=pd.Index(labels, dtype=object))
    return out.reset_index(drop=True)
