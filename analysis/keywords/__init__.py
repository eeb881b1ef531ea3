"""Keyword analysis: tokens, term tables, trends, keyness, keyword-in-context.

The verbs follow quanteda's design (tokens -> document-feature matrix -> textstat_*),
on tidy pandas tables; the figures drawn from them live in :mod:`analysis.plots.keywords`.

==============================  ==========================================================
:func:`tokenize`                reports (or sections) -> one row per kept token
:func:`term_frequencies`        tokens -> counts, rate per 10,000 tokens, document frequency
:func:`document_term_matrix`    tokens -> scipy CSR matrix + vocabulary + doc ids
:func:`tfidf_top_terms`         tokens -> distinctive terms per report or group
:func:`keyword_trends`          tokens + corpus -> rate per year with the reports behind it
:func:`keyness`                 tokens + target docs -> G2 (or chi2) against the rest
:func:`kwic`                    corpus + pattern -> keyword in context with offsets
:func:`collocations`            tokens -> adjacent pairs scored by G2 and PMI
==============================  ==========================================================

One job per module:

``segmenter``  the package's jieba-compatible segmenter, user dictionary, stopword lists
``terms``      tokenize and the term tables (frequencies, document-term matrix, TF-IDF)
``tables``     shared helpers: group columns, category codes, joining report metadata
``trends``     keyword trends per year
``keyness``    keyness against a reference
``context``    keyword in context, collocations
"""

from __future__ import annotations

import importlib
from typing import Any

from analysis.keywords.context import collocations, kwic
from analysis.keywords.keyness import keyness, keyness_statistic
from analysis.keywords.segmenter import (
    BACKENDS,
    Segmenter,
    get_segmenter,
    load_stopwords,
    load_user_dictionary,
    stopword_set,
    userdict_bytes,
)
from analysis.keywords.terms import (
    NUMBER_TOKEN,
    TERM_CHAR,
    DocumentTermMatrix,
    document_term_matrix,
    outermost_rows,
    term_filter,
    term_frequencies,
    tfidf_top_terms,
    tokenize,
)
from analysis.keywords.trends import keyword_trends

__all__ = [
    "BACKENDS",
    "NUMBER_TOKEN",
    "TERM_CHAR",
    "DocumentTermMatrix",
    "Segmenter",
    "collocations",
    "document_term_matrix",
    "get_segmenter",
    "keyness",
    "keyness_statistic",
    "keyword_trends",
    "kwic",
    "load_stopwords",
    "load_user_dictionary",
    "outermost_rows",
    "stopword_set",
    "term_filter",
    "term_frequencies",
    "tfidf_top_terms",
    "tokenize",
    "userdict_bytes",
]

# Names analysis.pipeline.term_counts read before they were public; kept until it uses
# term_filter / outermost_rows / stopword_set (same objects under their public names).
_wordset = stopword_set
_outermost_rows = outermost_rows
_HAS_WORD_CHAR = TERM_CHAR
_NUMBER = NUMBER_TOKEN

# The figures moved to analysis.plots.keywords; their old names here still work, looked
# up on first use (this package never imports matplotlib itself).
_MOVED_TO_PLOTS = ("plot_keyness", "plot_keyword_trends", "plot_top_terms", "plot_wordcloud", "plot_wordclouds")


def __getattr__(name: str) -> Any:
    if name in _MOVED_TO_PLOTS:
        return getattr(importlib.import_module("analysis.plots.keywords"), name)
    raise AttributeError(f"module 'analysis.keywords' has no attribute {name!r}")
