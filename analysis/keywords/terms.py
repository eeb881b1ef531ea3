"""Tokens and term tables: reports -> tokens -> counts, document-term matrix, TF-IDF.

==========================  ==========================================================
:func:`tokenize`            reports (or sections) -> one row per kept token
:func:`term_frequencies`    tokens -> counts, rate per 10,000 tokens, document frequency
:func:`document_term_matrix` tokens -> scipy CSR matrix + vocabulary + doc ids
:func:`tfidf_top_terms`     tokens -> distinctive terms per report or group
==========================  ==========================================================

The term tables also take a term-count table instead of tokens (``doc_id``, ``term``,
an integer ``n``; the command line's ``terms`` table, :func:`analysis.pipeline.count_terms`):
each row then weighs ``n`` tokens, and the result is the one the tokens would give
(:mod:`analysis.keywords.tables`).

What is a term (:func:`term_filter`): a word of the segmentation holding a Han
ideograph or a Latin letter, at least ``min_chars`` long, not a stopword and (by
default) not a number. scikit-learn is imported inside :func:`tfidf_top_terms` only
(a heavy import).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from itertools import repeat
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.keywords.concepts import Concepts, concept_dictionary, tokens_lookup
from analysis.keywords.dictionaries import UserDict, stopword_set
from analysis.keywords.placenames import place_terms
from analysis.keywords.segmenter import Backend, get_segmenter
from analysis.keywords.tables import (
    as_columns,
    category_codes,
    doc_categories,
    doc_positions,
    drop_terms,
    is_count_table,
    join_metadata,
    plain_text_columns,
    positive_counts,
    token_weights,
)
from analysis.ids import doc_id_table

__all__ = [
    "NUMBER_TOKEN",
    "TERM_CHAR",
    "DocumentTermMatrix",
    "document_term_matrix",
    "outermost_rows",
    "term_filter",
    "term_frequencies",
    "tfidf_top_terms",
    "tokenize",
]

# A token that can be a term: it holds a Han ideograph or a Latin letter, e.g. "执法",
# "12345热线", "App"; not "2023", "%", "\n", "，".
TERM_CHAR = re.compile(r"[A-Za-z\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFF21-\uFF3A\uFF41-\uFF5A]")
# A number written with digits or Chinese numerals, e.g. "2023", "12.5%", "1.4", "二十",
# "第三", "一百余", "１２３"; not "二十大" or "十九届" (those are terms).
# Also numeral + measure word as jieba cuts them: the "余次" of "120余次", the "万元" of
# "1012.36万元", "万余份", "三年", "三级" (but "十九届", "三重一大", "三项制度" are terms).
NUMBER_TOKEN = re.compile(
    r"^(?:[第约近逾超]?[0-9０-９.,，．％%]+[余多]?"
    r"|[第约近逾超]?[零〇一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟点]+[余多]?"
    r"|(?:[零〇一二三四五六七八九十百千万亿两]+[余多]?|余)[次人份场件家条个名起宗元户期项篇批处块台辆所间座年月日天周轮类种级]+)$"
)


def term_filter(
    *,
    stopwords: bool | Iterable[str] = True,
    boilerplate: bool | Iterable[str] = False,
    min_chars: int = 2,
    drop_numbers: bool = True,
    drop_places: bool = False,
    vocabulary: Collection[str] = (),
) -> Callable[[str], bool]:
    """The rule of :func:`tokenize` for which words are terms, as a function of one word.

    The options are :func:`tokenize`'s. A word is a term when it is at least
    ``min_chars`` long, is not a removed stopword and holds a Han ideograph or a Latin
    letter (:data:`TERM_CHAR`), is not a place name of :func:`place_terms` when
    ``drop_places=True``, and is not a number (:data:`NUMBER_TOKEN`) unless
    ``drop_numbers=False``, which keeps numbers of at least ``min_chars`` characters.
    A word of ``vocabulary`` (the segmenter's dictionaries: :attr:`Segmenter.user_tags`)
    is never taken for a number: 十四五 is a plan, not fourteen-five.

    Examples
    --------
    >>> keep = term_filter()
    >>> [w for w in ["执法", "的", "以及", "2023", "余次", "，", "12345热线", "十四五"] if keep(w)]
    ['执法', '12345热线']
    >>> term_filter(vocabulary={"十四五"})("十四五"), term_filter(drop_numbers=False)("2023")
    (True, True)
    >>> term_filter(drop_places=True)("海珠区")
    False
    """
    drop = stopword_set(stopwords, "function") | stopword_set(boilerplate, "boilerplate")
    places = place_terms() if drop_places else frozenset()
    has_word_char = TERM_CHAR.search
    is_number = NUMBER_TOKEN.match

    def keep_type(word: str) -> bool:
        if len(word) < min_chars or word in drop or not has_word_char(word):
            return bool(not drop_numbers and len(word) >= min_chars and is_number(word) and word not in drop)
        if word in places:
            return False
        if word in vocabulary:
            return True
        return not (drop_numbers and is_number(word))

    return keep_type


def outermost_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Keep the rows not nested in another row of the same document.

    A sections table has one row per section at every level; its top-level rows tile
    the report. Rows inside an earlier row's [start, end) span are dropped, so each
    character is tokenized once. Needs ``doc_id``, ``start``, ``end``; row order kept.

    Examples
    --------
    >>> sections = pd.DataFrame({"doc_id": ["r", "r", "r"], "start": [0, 5, 7], "end": [5, 10, 9]})
    >>> outermost_rows(sections).index.tolist()
    [0, 1]
    """
    starts = frame["start"].to_numpy(dtype=np.int64, na_value=0)
    ends = frame["end"].to_numpy(dtype=np.int64, na_value=0)
    docs = frame["doc_id"].astype(str).to_numpy()
    order = np.lexsort((-ends, starts, pd.factorize(docs, sort=False)[0]))
    keep = np.zeros(len(frame), dtype=bool)
    last_doc = None
    reach = -1
    for i in order:
        if docs[i] != last_doc:
            last_doc, reach = docs[i], -1
        if starts[i] >= reach:
            keep[i] = True
            reach = max(reach, ends[i])
    return frame.iloc[np.flatnonzero(keep)]


@doc_id_table
def tokenize(
    corpus: pd.DataFrame,
    *,
    stopwords: bool | Iterable[str] = True,
    boilerplate: bool | Iterable[str] = False,
    min_chars: int = 2,
    drop_numbers: bool = True,
    drop_places: bool = False,
    backend: Backend | None = None,
    hmm: bool = False,
    userdict: UserDict = None,
) -> pd.DataFrame:
    """Segment reports (or their sections) into a table of terms, one row per token.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Needs ``doc_id`` and ``text``. Optional ``part`` (e.g. from
        :func:`analysis.parse_sections`) is carried over; optional ``start`` is the
        offset of ``text`` in the report's text, so offsets refer to the report. When
        rows nest (``start``/``end`` spans of sections at several levels), only the
        outermost rows are read, so nothing is counted twice. Not modified.
    stopwords : bool or iterable of str, default True
        True removes the shipped Chinese function words
        (``analysis/resources/stopwords_function.txt``); or give your own list.
    boilerplate : bool or iterable of str, default False
        True also removes bureaucratic boilerplate (加强, 推进, 进一步, 开展, 工作 …;
        ``analysis/resources/stopwords_boilerplate.txt``); or give your own list.
    min_chars : int, default 2
        Shorter tokens (single characters) are dropped.
    drop_numbers : bool, default True
        Drop numbers (``2023``, ``12.5%``, ``二十``, ``第三``). Punctuation, spaces and
        symbols are never terms; dictionary words (十三五) are never numbers.
    drop_places : bool, default False
        Drop place names of the gazetteer (海珠区, 广东, 海安 …; the rule:
        :mod:`analysis.keywords.placenames`), as stopwords are dropped. Off here, so
        the token table keeps every word; :func:`term_frequencies`,
        :func:`tfidf_top_terms` and the word clouds drop them by default.
    backend : {"rjieba", "jieba"}, optional
        Segmenter (see :func:`analysis.keywords.get_segmenter`); both give identical
        tokens with ``hmm=False``.
    hmm : bool, default False
        jieba's HMM guessing of out-of-dictionary words.
    userdict : path or list, optional
        Your own words, kept whole like the shipped dictionaries' terms: a UTF-8 file in
        jieba's user-dictionary format (``word [freq] [pos]`` per line) or a list of
        words (e.g. ``["枫桥式派出所", "民生微实事"]``); see
        :func:`analysis.keywords.read_userdict`. Loaded after the rule-of-law dictionary
        and the policy vocabulary, into a segmenter of its own (nothing global changes).

    Returns
    -------
    pandas.DataFrame
        One row per kept token in document order:

        ``doc_id`` (category, categories in input order, including documents with no
        token), ``part`` (category; NA when the input has no ``part``), ``position``
        (int32: index of the token in the document's full segmentation, counting
        dropped tokens too, so adjacent terms differ by 1), ``term`` (category),
        ``pos`` (category: jieba part-of-speech tag), ``start``, ``end`` (int32:
        ``text[start:end] == term``, offsets into the report text).

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a"], "text": ["深入学习习近平法治思想,开展普法120余次。"]})
    >>> tokenize(docs)[["term", "start", "end"]].to_dict("list")
    {'term': ['深入', '学习', '习近平法治思想', '开展', '普法'], 'start': [0, 2, 4, 12, 14], 'end': [2, 4, 11, 14, 16]}
    >>> tokenize(docs, boilerplate=True)["term"].tolist()
    ['学习', '习近平法治思想', '普法']
    """
    missing = {"doc_id", "text"} - set(corpus.columns)
    if missing:
        raise KeyError(f"tokenize needs columns {sorted(missing)}")
    segmenter = get_segmenter(backend, hmm=hmm, userdict=userdict)
    keep_type = term_filter(
        stopwords=stopwords,
        boilerplate=boilerplate,
        min_chars=min_chars,
        drop_numbers=drop_numbers,
        drop_places=drop_places,
        vocabulary=segmenter.user_tags,
    )

    frame = corpus
    doc_categories = pd.unique(frame["doc_id"].astype(str).to_numpy())
    has_start = "start" in frame.columns
    if has_start and "end" in frame.columns and len(frame):
        frame = outermost_rows(frame)
    has_part = "part" in frame.columns

    doc_ids = frame["doc_id"].astype(str).tolist()
    texts = ["" if (t is None or t is pd.NA or (isinstance(t, float) and math.isnan(t))) else str(t) for t in frame["text"].tolist()]
    bases = frame["start"].fillna(0).astype(np.int64).tolist() if has_start else [0] * len(frame)
    parts = frame["part"].tolist() if has_part else [None] * len(frame)

    doc_code = {d: i for i, d in enumerate(doc_categories)}
    type_id: dict[str, int] = {}
    type_words: list[str] = []
    type_keep: list[bool] = []
    tag_id: dict[str, int] = {}
    tag_words: list[str] = []
    part_id: dict[Any, int] = {}
    part_words: list[Any] = []
    next_position: dict[str, int] = {}
    user_tags = segmenter.user_tags

    def tag_code(tag: str) -> int:
        code = tag_id.get(tag)
        if code is None:
            code = tag_id[tag] = len(tag_words)
            tag_words.append(tag)
        return code

    # With HMM off a word's tag is a dictionary lookup, the same wherever it occurs:
    # it is stored once per word type. With HMM on it is read token by token.
    per_type_tags = not segmenter.hmm
    chunks: dict[str, list[np.ndarray]] = {k: [] for k in ("doc", "part", "position", "term", "pos", "start", "end")}
    keep_flags = np.zeros(0, dtype=bool)
    type_tags = np.zeros(0, dtype=np.int16)
    type_tag_list: list[int] = []
    type_get = type_id.get
    for doc, text, base, part in zip(doc_ids, texts, bases, parts):
        pairs = segmenter.tag(text)
        n = len(pairs)
        first = next_position.get(doc, 0)
        next_position[doc] = first + n
        if n == 0:
            continue
        words, token_tags = zip(*pairs)
        ids = np.fromiter(map(type_get, words, repeat(-1)), dtype=np.int64, count=n)
        new = np.flatnonzero(ids < 0)
        if new.size:
            n_before = len(type_words)
            for i in new.tolist():  # first sighting of a word type in this call
                w = words[i]
                code = type_get(w)
                if code is None:
                    code = len(type_words)
                    type_id[w] = code
                    type_words.append(w)
                    type_keep.append(keep_type(w))
                    type_tag_list.append(tag_code(user_tags.get(w, token_tags[i])))
                ids[i] = code
            if len(type_keep) > keep_flags.size:  # grow the lookup arrays geometrically
                size = max(2 * keep_flags.size, len(type_keep))
                grown_keep = np.zeros(size, dtype=bool)
                grown_keep[:n_before] = keep_flags[:n_before]
                keep_flags = grown_keep
                grown_tags = np.zeros(size, dtype=np.int16)
                grown_tags[:n_before] = type_tags[:n_before]
                type_tags = grown_tags
            keep_flags[n_before : len(type_keep)] = type_keep[n_before:]
            type_tags[n_before : len(type_keep)] = type_tag_list[n_before:]
        keep = np.flatnonzero(keep_flags[ids])
        if keep.size == 0:
            continue
        lengths = np.fromiter(map(len, words), dtype=np.int64, count=n)
        ends = np.cumsum(lengths) + base
        if per_type_tags:
            tags = type_tags[ids[keep]]
        else:
            tags = np.asarray([tag_code(user_tags.get(words[i], token_tags[i])) for i in keep.tolist()], dtype=np.int16)
        if part is None or part is pd.NA or (isinstance(part, float) and math.isnan(part)):
            pcode = -1
        else:
            pcode = part_id.get(part)
            if pcode is None:
                pcode = part_id[part] = len(part_words)
                part_words.append(part)
        k = keep.size
        chunks["doc"].append(np.full(k, doc_code[doc], dtype=np.int32))
        chunks["part"].append(np.full(k, pcode, dtype=np.int16))
        chunks["position"].append((keep + first).astype(np.int32))
        chunks["term"].append(ids[keep].astype(np.int32))
        chunks["pos"].append(tags)
        chunks["start"].append((ends[keep] - lengths[keep]).astype(np.int32))
        chunks["end"].append(ends[keep].astype(np.int32))

    def cat(key: str, dtype: type) -> np.ndarray:
        return np.concatenate(chunks[key]) if chunks[key] else np.zeros(0, dtype=dtype)

    term_codes = cat("term", np.int32)
    # categories: the kept word types, sorted, so equal input gives equal categories
    kept_types = np.flatnonzero(np.asarray(type_keep, dtype=bool)) if type_keep else np.zeros(0, dtype=np.int64)
    kept_words = np.asarray([type_words[i] for i in kept_types], dtype=object)
    order = np.argsort(kept_words, kind="stable") if kept_words.size else np.zeros(0, dtype=np.int64)
    remap = np.full(len(type_words), -1, dtype=np.int32)
    remap[kept_types[order]] = np.arange(order.size, dtype=np.int32)
    term_categories = kept_words[order].tolist()

    pos_codes = cat("pos", np.int16)
    tag_order = np.argsort(np.asarray(tag_words, dtype=object), kind="stable") if tag_words else np.zeros(0, dtype=np.int64)
    tag_remap = np.empty(len(tag_words), dtype=np.int16)
    tag_remap[tag_order] = np.arange(len(tag_words), dtype=np.int16)

    part_codes = cat("part", np.int16)
    if has_part and part_words:
        part_categories = _part_categories(frame["part"], part_words)
        part_remap = np.asarray([part_categories.index(p) for p in part_words], dtype=np.int16)
        part_codes = np.where(part_codes >= 0, part_remap[np.maximum(part_codes, 0)], -1).astype(np.int16)
    else:
        part_categories = _part_categories(frame["part"], []) if has_part else []

    out = pd.DataFrame(
        {
            "doc_id": pd.Categorical.from_codes(cat("doc", np.int32), categories=pd.Index(doc_categories, dtype=object)),
            "part": pd.Categorical.from_codes(part_codes, categories=pd.Index(part_categories, dtype=object)),
            "position": cat("position", np.int32),
            "term": pd.Categorical.from_codes(remap[term_codes] if term_codes.size else term_codes, categories=pd.Index(term_categories, dtype=object)),
            "pos": pd.Categorical.from_codes(tag_remap[pos_codes] if pos_codes.size else pos_codes, categories=pd.Index([tag_words[i] for i in tag_order], dtype=object)),
            "start": cat("start", np.int32),
            "end": cat("end", np.int32),
        }
    )
    return out


def _part_categories(parts: pd.Series, seen: list[Any]) -> list[Any]:
    """Part labels: the input's categories if categorical, else first-seen order."""
    if isinstance(parts.dtype, pd.CategoricalDtype):
        return list(parts.cat.categories)
    return list(seen)


@doc_id_table
def term_frequencies(
    tokens: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = None,
    corpus: pd.DataFrame | None = None,
    concepts: Concepts | None = None,
    drop_places: bool = True,
) -> pd.DataFrame:
    """Count terms (or concepts), overall or per group.

    Parameters
    ----------
    tokens : pandas.DataFrame
        From :func:`tokenize` (needs ``doc_id`` and ``term``), or a term-count table
        (``doc_id``, ``term``, integer ``n``, optional ``part``: the command line's
        ``terms`` table, :func:`analysis.pipeline.count_terms`), whose rows weigh
        ``n`` tokens each: the result equals that of the tokens counted.
    by : str or list of str, optional
        Group columns: columns of ``tokens`` (``doc_id``, ``part``) or of ``corpus``
        (e.g. ``report_year``, ``issuer_type``), joined on ``doc_id``. None: overall.
    corpus : pandas.DataFrame, optional
        Report metadata for ``by`` columns not in ``tokens``.
    concepts : mapping label -> glob pattern(s), optional
        Count concepts instead of terms (:mod:`analysis.keywords.concepts`, e.g.
        ``{"法治": ["法治*", "*依法治*"]}``): ``term`` then holds the concept label, a
        token counts for every concept it matches, and every concept gets a row in every
        group (zeros included).
    drop_places : bool, default True
        Leave out the place names of the gazetteer (:func:`analysis.keywords.place_terms`:
        海珠区, 白云 …), as if they were stopwords, so that a corpus's own district and
        street names do not top its term list. False counts them.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, then ``term``, ``n`` (occurrences), ``rate_per_10k``
        (``n`` per 10,000 tokens of the group in ``tokens``, i.e. after stopword
        removal and, with ``drop_places``, without place names), ``docfreq``
        (documents of the group containing the term), ``n_docs`` (documents of the
        group with tokens), ``n_tokens`` (tokens of the group). Group columns of
        ``tokens`` (``doc_id``, ``part``) come out as ``string`` whatever their dtype
        (categorical from tokens, ``string`` from counts). Sorted by group, ``n``
        descending, then term.

    Examples
    --------
    >>> toks = pd.DataFrame({"doc_id": ["a", "a", "b"], "term": ["执法", "普法", "执法"]})
    >>> term_frequencies(toks)[["term", "n", "rate_per_10k", "docfreq"]].round(1).to_dict("list")
    {'term': ['执法', '普法'], 'n': [2, 1], 'rate_per_10k': [6666.7, 3333.3], 'docfreq': [2, 1]}
    >>> term_frequencies(toks, concepts={"法": "*法", "调解": "调解"})[["term", "n", "docfreq"]].to_dict("list")
    {'term': ['法', '调解'], 'n': [3, 0], 'docfreq': [2, 0]}
    """
    keys = as_columns(by)
    tokens = positive_counts(tokens)
    if drop_places:
        tokens = drop_terms(tokens, place_terms())
    frame = join_metadata(tokens, keys, corpus)
    group_keys = keys + ["term"]
    counted = frame if concepts is None else tokens_lookup(frame, concepts)
    # a token weighs 1 (rows counted), a row of a count table weighs n (n summed)
    size = ("n", "sum") if is_count_table(frame) else ("doc_id", "size")
    counts = counted.groupby(group_keys, observed=True, dropna=False, sort=False).agg(
        n=size, docfreq=("doc_id", "nunique")
    )
    counts = counts.reset_index()
    counts["term"] = counts["term"].astype(str).astype(object)
    # group columns of the tokens (doc_id, part) as plain text, whether categorical
    # (tokens) or string (counts): the same rows and order either way
    own_keys = [k for k in keys if k in tokens.columns]
    counts = plain_text_columns(counts, own_keys)
    if keys:
        totals = frame.groupby(keys, observed=True, dropna=False, sort=False).agg(
            n_tokens=size, n_docs=("doc_id", "nunique")
        ).reset_index()
        totals = plain_text_columns(totals, own_keys)
    else:
        n_tokens = int(frame["n"].sum()) if is_count_table(frame) else len(frame)
        totals = pd.DataFrame({"n_tokens": [n_tokens], "n_docs": [frame["doc_id"].nunique()]})
    if concepts is not None:
        labels = pd.DataFrame({"term": pd.Series(list(concept_dictionary(concepts)), dtype=object)})
        grid = totals[keys].merge(labels, how="cross")
        counts = grid.merge(counts, on=group_keys, how="left")
        counts[["n", "docfreq"]] = counts[["n", "docfreq"]].fillna(0)
    if keys:
        counts = counts.merge(totals, on=keys, how="left")
    else:
        counts["n_tokens"] = totals["n_tokens"].iloc[0]
        counts["n_docs"] = totals["n_docs"].iloc[0]
    counts["n"] = counts["n"].astype("int64")
    counts["docfreq"] = counts["docfreq"].astype("int64")
    counts["n_tokens"] = counts["n_tokens"].astype("int64")
    counts["n_docs"] = counts["n_docs"].astype("int64")
    counts["rate_per_10k"] = counts["n"] / counts["n_tokens"] * 10_000
    counts = counts.sort_values(keys + ["n", "term"], ascending=[True] * len(keys) + [False, True], kind="stable", na_position="last")
    return counts[keys + ["term", "n", "rate_per_10k", "docfreq", "n_docs", "n_tokens"]].reset_index(drop=True)


class DocumentTermMatrix(NamedTuple):
    """A sparse document-term matrix: unpack as ``matrix, vocabulary, doc_ids``."""

    matrix: sparse.csr_matrix
    """Counts, shape (len(doc_ids), len(vocabulary)), int32."""
    vocabulary: np.ndarray
    """Terms (columns), sorted."""
    doc_ids: np.ndarray
    """Documents (rows), in the order of ``tokens["doc_id"]``'s categories (input order)."""



def document_term_matrix(tokens: pd.DataFrame, *, min_count: int = 1) -> DocumentTermMatrix:
    """Count every term in every document, as a scipy sparse matrix (never dense).

    Parameters
    ----------
    tokens : pandas.DataFrame
        From :func:`tokenize` (``doc_id``, ``term``), or a term-count table
        (``doc_id``, ``term``, integer ``n``): each row then adds ``n``.
    min_count : int, default 1
        Keep terms occurring at least this often in the whole table.

    Returns
    -------
    DocumentTermMatrix
        ``(matrix, vocabulary, doc_ids)``: CSR int32 counts with one row per document
        (documents without tokens give empty rows), vocabulary sorted.

    Examples
    --------
    >>> toks = pd.DataFrame({"doc_id": ["a", "a", "b"], "term": ["执法", "普法", "执法"]})
    >>> m, vocab, docs = document_term_matrix(toks)
    >>> m.toarray().tolist(), vocab.tolist(), docs.tolist()
    ([[1, 1], [1, 0]], ['执法', '普法'], ['a', 'b'])
    """
    tokens = positive_counts(tokens)
    doc_ids = doc_categories(tokens)
    rows = doc_positions(tokens["doc_id"], doc_ids)
    cols, vocabulary = category_codes(tokens["term"])
    weights = token_weights(tokens)
    matrix = sparse.csr_matrix(
        (np.ones(len(cols), dtype=np.int32) if weights is None else weights.astype(np.int32), (rows, cols)),
        shape=(len(doc_ids), len(vocabulary)),
        dtype=np.int32,
    )
    matrix.sum_duplicates()
    totals = np.asarray(matrix.sum(axis=0)).ravel()
    keep = np.flatnonzero(totals >= max(min_count, 1))  # unused categories go too
    keep = keep[np.argsort(vocabulary[keep].astype(str), kind="stable")]
    matrix = matrix[:, keep]
    vocabulary = vocabulary[keep]
    return DocumentTermMatrix(matrix.tocsr(), np.asarray(vocabulary, dtype=object), doc_ids)


@doc_id_table
def tfidf_top_terms(
    tokens: pd.DataFrame,
    *,
    by: str | Sequence[str] = "doc_id",
    n: int = 10,
    corpus: pd.DataFrame | None = None,
    sublinear_tf: bool = False,
    drop_places: bool = True,
) -> pd.DataFrame:
    """The terms most distinctive of each report (or group) by TF-IDF.

    Groups are pooled into one pseudo-document each; term weights are scikit-learn's
    ``TfidfTransformer`` (smoothed idf ``ln((1+N)/(1+df)) + 1`` over the N groups, rows
    L2-normalised). With few groups every term keeps some weight; terms found in every
    group rank lowest.

    Parameters
    ----------
    tokens : pandas.DataFrame
        From :func:`tokenize`, or a term-count table (``doc_id``, ``term``, integer
        ``n``): each row then weighs ``n`` tokens, and the result is that of the
        tokens counted.
    by : str or list of str, default "doc_id"
        Group columns (of ``tokens`` or ``corpus``).
    n : int, default 10
        Terms per group.
    corpus : pandas.DataFrame, optional
        Metadata for ``by`` columns not in ``tokens``.
    sublinear_tf : bool, default False
        Use ``1 + ln(tf)``.
    drop_places : bool, default True
        Leave out the place names of the gazetteer before weighting (each report's own
        district and street names are otherwise its most "distinctive" terms); see
        :func:`term_frequencies`.

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, ``rank`` (1..n), ``term``, ``tfidf``, ``n`` (count in the
        group), ``docfreq`` (groups containing the term). Ties broken by term.

    Examples
    --------
    >>> toks = pd.DataFrame({"doc_id": list("aaab"), "term": ["执法", "普法", "普法", "执法"]})
    >>> tfidf_top_terms(toks, n=1)[["doc_id", "term"]].to_dict("list")
    {'doc_id': ['a', 'b'], 'term': ['普法', '执法']}
    """
    from sklearn.feature_extraction.text import TfidfTransformer

    keys = as_columns(by)
    tokens = positive_counts(tokens)
    if drop_places:
        tokens = drop_terms(tokens, place_terms())
    frame = join_metadata(tokens, keys, corpus)
    weights = token_weights(frame)
    group_frame = frame[keys].astype(object).where(frame[keys].notna(), None)
    labels = pd.MultiIndex.from_frame(group_frame) if len(keys) > 1 else pd.Index(group_frame[keys[0]])
    group_codes, groups = pd.factorize(labels, sort=True, use_na_sentinel=False)
    cols, vocabulary = category_codes(frame["term"])
    counts = sparse.csr_matrix(
        (np.ones(len(cols), dtype=np.float64) if weights is None else weights.astype(np.float64), (group_codes, cols)),
        shape=(len(groups), len(vocabulary)),
    )
    counts.sum_duplicates()
    columns = keys + ["rank", "term", "tfidf", "n", "docfreq"]
    if counts.nnz == 0:
        return pd.DataFrame({c: [] for c in columns})
    weights = TfidfTransformer(sublinear_tf=sublinear_tf).fit_transform(counts).tocsr()
    docfreq = np.asarray((counts > 0).sum(axis=0)).ravel()
    rows = []
    for g in range(len(groups)):
        lo, hi = weights.indptr[g], weights.indptr[g + 1]
        idx = weights.indices[lo:hi]
        vals = weights.data[lo:hi]
        order = np.lexsort((vocabulary[idx].astype(str), -vals))[:n]
        key = groups[g] if len(keys) > 1 else (groups[g],)
        for rank, j in enumerate(order, 1):
            col = idx[j]
            rows.append((*key, rank, vocabulary[col], float(vals[j]), int(counts[g, col]), int(docfreq[col])))
    return pd.DataFrame(rows, columns=columns)
