"""Keyword analysis: tokens, term tables, trends, keyness, keyword-in-context.

The verbs follow quanteda's design (tokens -> document-feature matrix -> textstat_*),
on tidy pandas tables; the figures drawn from them live in :mod:`analysis.plots.keywords`.

==============================  ==========================================================
:func:`tokenize`                reports (or sections) -> one row per kept token
:func:`term_frequencies`        tokens -> counts, rate per 10,000 tokens, document frequency
:func:`document_term_matrix`    tokens -> scipy CSR matrix + vocabulary + doc ids
:func:`tfidf_top_terms`         tokens -> distinctive terms per report or group
:func:`keyword_trends`          tokens + corpus -> rate per year, its interval, the reports behind it
:func:`keyness`                 tokens + target docs -> G2 (or chi2) against the rest
:func:`kwic`                    corpus + pattern -> keyword in context with offsets
:func:`collocations`            tokens -> adjacent pairs scored by G2 and PMI
:func:`tokens_lookup`           tokens + concept dictionary -> tokens labelled by concept
==============================  ==========================================================

Vocabulary: the segmenter keeps whole the terms of a rule-of-law dictionary and of a
policy vocabulary (both shipped, sourced) and of the user's own list (``userdict=``);
``drop_places=`` leaves the gazetteer's place names out of term tables and word clouds;
concept dictionaries (``{"法治": ["法治*", "*依法治*"]}``) count families of terms.

One job per module:

``dictionaries`` the word lists: rule-of-law dictionary, policy vocabulary, the user's
               words, stopword lists
``segmenter``  the package's jieba-compatible segmenter, cached by dictionary content
``placenames`` gazetteer place names as terms (``drop_places=``)
``concepts``   concept dictionaries with glob patterns (quanteda's ``dictionary()``)
``terms``      tokenize and the term tables (frequencies, document-term matrix, TF-IDF)
``tables``     shared helpers: group columns, category codes, joining report metadata
``trends``     keyword trends per year
``keyness``    keyness against a reference
``context``    keyword in context, collocations
"""

from __future__ import annotations

import importlib
from typing import Any

from analysis.keywords.concepts import concept_dictionary, concept_matches, glob_pattern, tokens_lookup
from analysis.keywords.context import collocations, kwic
from analysis.keywords.keyness import keyness, keyness_statistic, keyness_table
from analysis.keywords.dictionaries import (
    load_policy_vocabulary,
    load_stopwords,
    load_user_dictionary,
    read_userdict,
    stopword_set,
    userdict_bytes,
)
from analysis.keywords.placenames import place_terms
from analysis.keywords.segmenter import BACKENDS, Segmenter, get_segmenter
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
    "concept_dictionary",
    "concept_matches",
    "document_term_matrix",
    "get_segmenter",
    "glob_pattern",
    "keyness",
    "keyness_statistic",
    "keyness_table",
    "keyword_trends",
    "kwic",
    "load_policy_vocabulary",
    "load_stopwords",
    "load_user_dictionary",
    "outermost_rows",
    "place_terms",
    "read_userdict",
    "stopword_set",
    "term_filter",
    "term_frequencies",
    "tfidf_top_terms",
    "tokenize",
    "tokens_lookup",
    "userdict_bytes",
]

# The figures moved to analysis.plots.keywords; their old names here still work, looked
# up on first use (this package never imports matplotlib itself).
_MOVED_TO_PLOTS = ("plot_keyness", "plot_keyword_trends", "plot_top_terms", "plot_wordcloud", "plot_wordclouds")


def __getattr__(name: str) -> Any:
    if name in _MOVED_TO_PLOTS:
        return getattr(importlib.import_module("analysis.plots.keywords"), name)
    raise AttributeError(f"module 'analysis.keywords' has no attribute {name!r}")
