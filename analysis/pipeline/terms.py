"""Term counts per document and part, the pipeline's compact form of the token table.

The token table of ten thousand reports runs to tens of millions of rows, so the
pipeline never builds it in one place: each worker reduces its chunk's words to counts
per document and part (:func:`term_counts`, the same rules as :func:`analysis.tokenize`),
and :func:`terms_matrix` turns the concatenated counts into a sparse document-term
matrix. :func:`count_terms` gives the same table from a token table you already have.

:mod:`analysis.keywords` (which loads scipy) and scipy itself are imported inside the
functions that use them, so importing this module stays cheap.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

__all__ = ["TERMS_COLUMNS", "count_terms", "empty_terms", "term_counts", "terms_matrix"]

#: Columns of the ``terms`` table.
TERMS_COLUMNS = ("doc_id", "part", "term", "n")


def count_terms(tokens: pd.DataFrame) -> pd.DataFrame:
    """Term counts per document (and part, when tokens carry one), from a token table.

    Parameters
    ----------
    tokens
        Table from :func:`analysis.tokenize` (``doc_id``, ``term``, optional ``part``;
        categorical or string columns).

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``part`` (NA when the tokens have no part), ``term``, ``n`` (int64):
        one row per document, part and term. Documents in order of first appearance;
        within a document, parts in the order they first appear in it; within a part,
        ``n`` descending, then ``term`` ascending. The order depends only on each
        document's own tokens, so counting chunks of documents and concatenating gives
        the table of the whole.

    Examples
    --------
    >>> tok = pd.DataFrame({"doc_id": ["a", "a", "a", "b"], "part": ["p", "p", "p", "p"],
    ...                     "term": ["执法", "普法", "执法", "调解"]})
    >>> count_terms(tok).values.tolist()
    [['a', 'p', '执法', 2], ['a', 'p', '普法', 1], ['b', 'p', '调解', 1]]
    """
    if tokens.empty:
        return empty_terms()
    d_codes, d_uniques = pd.factorize(tokens["doc_id"], sort=False)
    t_codes, t_uniques = pd.factorize(tokens["term"], sort=False)
    if "part" in tokens.columns:
        p_codes, p_uniques = pd.factorize(tokens["part"], sort=False)  # NA -> -1
    else:
        p_codes, p_uniques = np.full(len(tokens), -1, dtype=np.int64), pd.Index([])
    n_parts = len(p_uniques) + 1
    n_terms = max(len(t_uniques), 1)
    d_codes = d_codes.astype(np.int64)
    p_codes = p_codes.astype(np.int64) + 1
    t_codes = t_codes.astype(np.int64)
    doc_part = d_codes * n_parts + p_codes
    keys, counts = np.unique(doc_part * n_terms + t_codes, return_counts=True)
    k_doc_part = keys // n_terms
    k_term = keys % n_terms
    # parts within a document: in order of their first token in that document
    dp_values, dp_first = np.unique(doc_part, return_index=True)
    dp_rank = np.empty(len(dp_values), dtype=np.int64)
    dp_rank[np.argsort(dp_first, kind="stable")] = np.arange(len(dp_values))
    k_dp_rank = dp_rank[np.searchsorted(dp_values, k_doc_part)]
    term_strings = np.asarray(t_uniques.astype(str), dtype=object)
    term_rank = np.empty(len(term_strings), dtype=np.int64)
    term_rank[np.argsort(term_strings, kind="stable")] = np.arange(len(term_strings))
    order = np.lexsort((term_rank[k_term], -counts, k_dp_rank, k_doc_part // n_parts))
    doc_strings = np.asarray(d_uniques.astype(str), dtype=object)
    part_strings = np.asarray([None, *(str(p) for p in p_uniques)], dtype=object)
    return pd.DataFrame(
        {
            "doc_id": pd.array(doc_strings[(k_doc_part // n_parts)[order]], dtype="string"),
            "part": pd.array(part_strings[(k_doc_part % n_parts)[order]], dtype="string"),
            "term": pd.array(term_strings[k_term[order]], dtype="string"),
            "n": counts[order].astype(np.int64),
        }
    )


# tokenize() options the fast counting path understands (anything else: tokenize itself).
_FAST_OPTIONS = frozenset(
    {"stopwords", "boilerplate", "min_chars", "drop_numbers", "drop_places", "backend", "hmm", "userdict"}
)


def term_counts(corpus: pd.DataFrame, **tokenize_options: Any) -> pd.DataFrame:
    """``count_terms(analysis.tokenize(corpus, **tokenize_options))``, without the token table.

    The pipeline's way of counting terms: the same segmenter, the same stopwords and
    the same rules for what is a term as :func:`analysis.tokenize` (its own helpers,
    so the two cannot drift apart unnoticed: ``tests/pipeline/test_pipeline_engines.py`` checks equality),
    but the words are counted in one vectorised pass (Arrow encoding, numpy counts)
    instead of building one row per token with its offsets and part-of-speech tag: the
    segmenter's own time plus little more. Memory holds the words of one call (a chunk).
    Options :func:`analysis.tokenize` has but this path does not know fall back to it.

    Parameters
    ----------
    corpus
        Reports or sections (``doc_id``, ``text``; optional ``part``, ``start``, ``end``),
        as for :func:`analysis.tokenize`.
    **tokenize_options
        ``stopwords``, ``boilerplate``, ``min_chars``, ``drop_numbers``, ``drop_places``,
        ``backend``, ``hmm``, ``userdict``.

    Returns
    -------
    pandas.DataFrame
        As :func:`count_terms`: ``doc_id``, ``part``, ``term``, ``n``.
    """
    from analysis import keywords

    if set(tokenize_options) - _FAST_OPTIONS:
        return count_terms(keywords.tokenize(corpus, **tokenize_options))
    missing = {"doc_id", "text"} - set(corpus.columns)
    if missing:
        raise KeyError(f"term_counts needs columns {sorted(missing)}")
    defaults = inspect.signature(keywords.tokenize).parameters
    opt = {k: tokenize_options.get(k, defaults[k].default) for k in _FAST_OPTIONS}
    segmenter = keywords.get_segmenter(opt["backend"], hmm=opt["hmm"], userdict=opt["userdict"])
    keep_type = keywords.term_filter(  # the rule of analysis.tokenize, shared
        stopwords=opt["stopwords"],
        boilerplate=opt["boilerplate"],
        min_chars=opt["min_chars"],
        drop_numbers=opt["drop_numbers"],
        drop_places=opt["drop_places"],
        vocabulary=segmenter.user_tags,
    )

    frame = corpus
    if "start" in frame.columns and "end" in frame.columns and len(frame):
        frame = keywords.outermost_rows(frame)
    docs = frame["doc_id"].astype(str).tolist()
    parts = frame["part"].tolist() if "part" in frame.columns else [None] * len(frame)

    # Segment every text into one flat word list; remember each row's bucket (doc, part).
    words: list[str] = []
    lengths: list[int] = []
    row_bucket: list[int] = []
    bucket_of: dict[tuple[str, Any], int] = {}
    cut = segmenter.cut
    for doc, text, part in zip(docs, frame["text"].tolist(), parts):
        if not isinstance(text, str) or not text:
            continue
        if part is not None and not isinstance(part, str) and pd.isna(part):
            part = None
        row_bucket.append(bucket_of.setdefault((doc, part), len(bucket_of)))
        cut_words = cut(text)
        words.extend(cut_words)
        lengths.append(len(cut_words))
    if not words:
        return empty_terms()
    # word ids in order of first appearance (Arrow's hash encoding: faster than
    # pd.factorize on an object array of millions of words)
    encoded = pa.array(words, type=pa.large_string()).dictionary_encode()
    del words
    codes = encoded.indices.to_numpy().astype(np.int64)
    uniques = encoded.dictionary.to_numpy(zero_copy_only=False)
    # the rule of analysis.tokenize, decided once per distinct word
    keep_word = np.fromiter((keep_type(w) for w in uniques), dtype=bool, count=len(uniques))
    row_of_token = np.repeat(np.arange(len(lengths)), lengths)
    kept = keep_word[codes]
    codes, row_of_token = codes[kept], row_of_token[kept]
    if not len(codes):
        return empty_terms()
    bucket_of_row = np.asarray(row_bucket, dtype=np.int64)
    bucket_of_token = bucket_of_row[row_of_token]
    # Order of tokenize's table: documents in order of their first kept token, within a
    # document its (part) buckets in order of their first kept token.
    n_buckets = len(bucket_of)
    first_row = np.full(n_buckets, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first_row, bucket_of_token, row_of_token)
    bucket_doc = np.empty(n_buckets, dtype=object)
    bucket_part = np.empty(n_buckets, dtype=object)
    for (doc, part), b in bucket_of.items():
        bucket_doc[b], bucket_part[b] = doc, part
    doc_codes = pd.factorize(bucket_doc, sort=False)[0]
    doc_first = np.full(doc_codes.max() + 1, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(doc_first, doc_codes, first_row)
    bucket_pos = np.empty(n_buckets, dtype=np.int64)
    bucket_pos[np.lexsort((first_row, doc_first[doc_codes]))] = np.arange(n_buckets)
    # count (bucket, word) pairs; order by bucket, count descending, then word
    n_words = len(uniques)
    keys, n = np.unique(bucket_pos[bucket_of_token] * n_words + codes, return_counts=True)
    pos, word = keys // n_words, keys % n_words
    word_strings = np.asarray(uniques, dtype=object)
    word_rank = np.empty(n_words, dtype=np.int64)
    word_rank[np.argsort(word_strings, kind="stable")] = np.arange(n_words)
    order = np.lexsort((word_rank[word], -n, pos))
    bucket_at = np.empty(n_buckets, dtype=np.int64)
    bucket_at[bucket_pos] = np.arange(n_buckets)
    b = bucket_at[pos[order]]
    return pd.DataFrame(
        {
            "doc_id": _take_strings(bucket_doc, b),
            "part": _take_strings(bucket_part, b),
            "term": _take_strings(word_strings, word[order]),
            "n": n[order].astype(np.int64),
        }
    )


def _take_strings(values: np.ndarray, index: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """``pd.array(values[index], dtype="string")``, gathered in Arrow.

    Converting a few distinct strings once and gathering them by index in Arrow is ~5x
    faster than converting one Python string per row (the terms table has millions).
    """
    return pd.array(pa.array(values, type=pa.large_string()).take(pa.array(index)), dtype="string")


def empty_terms() -> pd.DataFrame:
    """The ``terms`` table with no rows (its columns and dtypes)."""
    return pd.DataFrame(
        {
            "doc_id": pd.Series([], dtype="string"),
            "part": pd.Series([], dtype="string"),
            "term": pd.Series([], dtype="string"),
            "n": pd.Series([], dtype="int64"),
        }
    )



def terms_matrix(terms: pd.DataFrame, *, doc_ids: Sequence[str] | None = None):  # noqa: ANN201
    """Sparse document-term matrix from a ``terms`` table (counts summed over parts).

    Parameters
    ----------
    terms
        Table with ``doc_id``, ``term``, ``n`` (``run_pipeline(...)["terms"]``).
    doc_ids
        Row order (default: documents in order of first appearance). Documents absent
        from ``terms`` get empty rows.

    Returns
    -------
    matrix : scipy.sparse.csr_matrix
        Documents x terms, int64 counts (never dense).
    doc_ids : list of str
    vocabulary : list of str
        Column labels, sorted.

    Examples
    --------
    >>> t = pd.DataFrame({"doc_id": ["a", "a", "b"], "term": ["普法", "执法", "普法"], "n": [2, 1, 3]})
    >>> m, docs, vocab = terms_matrix(t)
    >>> m.toarray().tolist(), docs, vocab
    ([[1, 2], [0, 3]], ['a', 'b'], ['执法', '普法'])
    """
    from scipy import sparse

    d_codes, d_uniques = pd.factorize(terms["doc_id"], sort=False)
    t_codes, t_uniques = pd.factorize(terms["term"], sort=False)
    vocab = np.asarray(t_uniques.astype(str), dtype=object)
    order = np.argsort(vocab, kind="stable")
    col_of = np.empty(len(vocab), dtype=np.int64)
    col_of[order] = np.arange(len(vocab))
    vocab = vocab[order]
    if doc_ids is None:
        docs = [str(d) for d in d_uniques]
        rows = d_codes
    else:
        docs = [str(d) for d in doc_ids]
        row_of = pd.Index(docs).get_indexer(pd.Index(d_uniques.astype(str)))
        rows = np.where(d_codes >= 0, row_of[d_codes], -1)
    cols = col_of[t_codes]
    keep = rows >= 0
    matrix = sparse.csr_matrix(
        (terms["n"].to_numpy(dtype=np.int64)[keep], (rows[keep], cols[keep])),
        shape=(len(docs), len(vocab)),
        dtype=np.int64,
    )
    matrix.sum_duplicates()
    return matrix, docs, vocab.tolist()
