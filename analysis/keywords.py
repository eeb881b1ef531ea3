"""Keyword analysis: tokens, term tables, trends, keyness, keyword-in-context, word clouds.

The verbs follow quanteda's design (tokens -> document-feature matrix -> textstat_*),
on tidy pandas tables:

==========================  ==========================================================
:func:`tokenize`            reports (or sections) -> one row per kept token
:func:`term_frequencies`    tokens -> counts, rate per 10,000 tokens, document frequency
:func:`document_term_matrix` tokens -> scipy CSR matrix + vocabulary + doc ids
:func:`tfidf_top_terms`     tokens -> distinctive terms per report or group
:func:`keyword_trends`      tokens + corpus -> rate per year with the reports behind it
:func:`keyness`             tokens + target docs -> G2 (or chi2) against the rest
:func:`kwic`                corpus + pattern -> keyword in context with offsets
:func:`collocations`        tokens -> adjacent pairs scored by G2 and PMI
``plot_*``                  tables -> matplotlib Figures (CJK font registered first)
==========================  ==========================================================

Segmentation
------------
A package-owned segmenter is built once per process and per setting by a cached
factory (:func:`get_segmenter`); the global ``jieba`` tokenizer is never touched.
It loads the rule-of-law user dictionary ``analysis/resources/userdict.txt`` (origins of
every entry noted there). Two backends give the same tokens:

``"rjieba"`` (default)
    The Rust port of jieba (``rjieba``): segmenting and tagging run 15-20x faster than
    ``jieba.posseg`` here. It has no user-dictionary file loader, so each entry is added
    with ``add_word(word, freq, tag)``.
``"jieba"``
    The reference ``jieba.Tokenizer`` (``jieba.posseg`` for tags), cache file in
    :func:`analysis.config.cache_dir`.

HMM new-word discovery is off by default (``hmm=False``): segmentation then depends on
the dictionaries only and the two backends agree on 100% of the tokens of the seed
reports with the user dictionary loaded (``tests/test_keywords.py`` measures it). With
HMM on, rjieba agrees with ``jieba.Tokenizer.cut`` on 99.90% and with ``jieba.posseg``
(which segments unknown runs with its own POS model) on 97.2% of the tokens — below the
99.9% bar — so ``hmm=True`` uses the jieba backend unless told otherwise
(``benchmarks/tokenize_speed.py`` prints these figures). The price of HMM off: a name
absent from both dictionaries (e.g. a small place name) falls apart into single
characters, which are not terms.

Part-of-speech tags come from the segmenter's dictionary; entries of the user dictionary
always carry their listed tag (rjieba keeps the main dictionary's tag for a word that
is already there, jieba.posseg the user's: the override makes both agree).

Dictionary entries containing characters that jieba never joins into a word, such as
"双随机、一公开" (the enumeration comma), are re-joined after segmentation.
"""

from __future__ import annotations

import bisect
import functools
import importlib.resources
import io
import itertools
import logging
import math
import re
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

import numpy as np
import pandas as pd
from scipy import sparse

from analysis import config



@functools.lru_cache(maxsize=None)
def _jieba() -> Any:
    """The ``jieba`` module with ``jieba.posseg``, imported on first use.

    Imported lazily: ``jieba.posseg`` reads its tag dictionary at import (~1.3 s), and
    the default backend (rjieba) never needs it.
    """
    with warnings.catch_warnings():
        # jieba 0.42.1 (unmaintained since 2020) imports pkg_resources at import time:
        # setuptools 67-80 warn "pkg_resources is deprecated as an API" (DeprecationWarning,
        # from 80.9 a UserWarning), and recompiling its .py files on Python 3.12 warns about
        # invalid escape sequences in its regexes. Neither concerns this package; nothing
        # else is silenced.
        warnings.filterwarnings("ignore", message=r"pkg_resources is deprecated", category=DeprecationWarning)
        warnings.filterwarnings("ignore", message=r"pkg_resources is deprecated", category=UserWarning)
        warnings.filterwarnings("ignore", message=r"Deprecated call to `pkg_resources", category=DeprecationWarning)
        warnings.filterwarnings("ignore", message=r"invalid escape sequence", category=SyntaxWarning)
        warnings.filterwarnings("ignore", message=r"invalid escape sequence", category=DeprecationWarning)
        import jieba
        import jieba.posseg
    return jieba


if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = [
    "BACKENDS",
    "DocumentTermMatrix",
    "Segmenter",
    "collocations",
    "document_term_matrix",
    "get_segmenter",
    "keyness",
    "keyword_trends",
    "kwic",
    "load_stopwords",
    "load_user_dictionary",
    "plot_keyness",
    "plot_keyword_trends",
    "plot_top_terms",
    "plot_wordcloud",
    "plot_wordclouds",
    "term_frequencies",
    "tfidf_top_terms",
    "tokenize",
]

BACKENDS = ("rjieba", "jieba")
Backend = Literal["rjieba", "jieba"]

USERDICT = "userdict.txt"
STOPWORDS_FUNCTION = "stopwords_function.txt"
STOPWORDS_BOILERPLATE = "stopwords_boilerplate.txt"

# A user-dictionary line, e.g. "习近平法治思想 20000 nz" (jieba's own format).
_USERDICT_LINE = re.compile(r"^(?P<word>\S+) (?P<freq>\d+) (?P<tag>[a-z]+)$")
# Characters jieba's cut joins into words (its re_han_default); a dictionary entry with
# any other character, e.g. the "、" in "双随机、一公开", is never produced by it.
_JIEBA_WORD_CHARS = re.compile(r"^[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+$")
# A token that can be a term: it holds a Han ideograph or a Latin letter, e.g. "执法",
# "12345热线", "App"; not "2023", "%", "\n", "，".
_HAS_WORD_CHAR = re.compile(r"[A-Za-z\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFF21-\uFF3A\uFF41-\uFF5A]")
# A number written with digits or Chinese numerals, e.g. "2023", "12.5%", "1.4", "二十",
# "第三", "一百余", "１２３"; not "二十大" or "十九届" (those are terms).
# Also numeral + measure word as jieba cuts them: the "余次" of "120余次", the "万元" of
# "1012.36万元", "万余份", "三年", "三级" (but "十九届", "三重一大", "三项制度" are terms).
_NUMBER = re.compile(
    r"^(?:[第约近逾超]?[0-9０-９.,，．％%]+[余多]?"
    r"|[第约近逾超]?[零〇一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟点]+[余多]?"
    r"|(?:[零〇一二三四五六七八九十百千万亿两]+[余多]?|余)[次人份场件家条个名起宗元户期项篇批处块台辆所间座年月日天周轮类种级]+)$"
)

_LOGGER_SILENCED = False


# ----------------------------------------------------------------------------------------
# resources
# ----------------------------------------------------------------------------------------


def _resource_text(name: str) -> str:
    return (importlib.resources.files("analysis") / "resources" / name).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=None)
def load_user_dictionary() -> pd.DataFrame:
    """The shipped rule-of-law user dictionary as a table.

    Returns
    -------
    pandas.DataFrame
        One row per entry of ``analysis/resources/userdict.txt``: ``term``, ``freq``
        (int), ``pos`` (jieba tag), ``source`` (the ``## source:`` heading the entry
        stands under). Comment lines are not entries.

    Examples
    --------
    >>> d = load_user_dictionary()
    >>> bool((d["term"] == "习近平法治思想").any()), len(d) >= 300
    (True, True)
    """
    rows = []
    source = ""
    for lineno, raw in enumerate(_resource_text(USERDICT).splitlines(), 1):
        line = raw.strip()
        if line.startswith("## source:"):
            source = line.removeprefix("## source:").strip()
            continue
        if not line or line.startswith("#"):
            continue
        match = _USERDICT_LINE.match(line)
        if match is None:
            raise ValueError(f"{USERDICT} line {lineno}: expected 'word freq pos', got {raw!r}")
        rows.append((match["word"], int(match["freq"]), match["tag"], source))
    table = pd.DataFrame(rows, columns=["term", "freq", "pos", "source"])
    return table.drop_duplicates("term", keep="first").reset_index(drop=True)


def _userdict_jieba_bytes() -> bytes:
    """The user dictionary without comments, in the bytes jieba's load_userdict reads."""
    d = load_user_dictionary()
    lines = [f"{t} {f} {p}" for t, f, p in zip(d["term"], d["freq"], d["pos"])]
    return ("\n".join(lines) + "\n").encode("utf-8")


@functools.lru_cache(maxsize=None)
def load_stopwords(kind: Literal["function", "boilerplate"] = "function") -> frozenset[str]:
    """A shipped stopword list.

    Parameters
    ----------
    kind : {"function", "boilerplate"}
        ``"function"``: Chinese function words (``stopwords_function.txt``);
        ``"boilerplate"``: bureaucratic boilerplate such as 加强, 推进, 进一步
        (``stopwords_boilerplate.txt``).

    Examples
    --------
    >>> "进一步" in load_stopwords("boilerplate"), "的" in load_stopwords("function")
    (True, True)
    """
    name = {"function": STOPWORDS_FUNCTION, "boilerplate": STOPWORDS_BOILERPLATE}[kind]
    words = []
    for raw in _resource_text(name).splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            words.append(line)
    return frozenset(words)


# ----------------------------------------------------------------------------------------
# segmenter
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Segmenter:
    """A jieba-compatible segmenter with the user dictionary loaded.

    Build it with :func:`get_segmenter` (cached), not directly. ``tag(text)`` returns
    ``(word, pos)`` pairs whose words concatenate to ``text`` exactly.
    """

    backend: str
    hmm: bool
    _tag: Callable[[str], list[tuple[str, str]]]
    user_tags: Mapping[str, str]
    joined_terms: re.Pattern[str] | None
    _cut: Callable[[str], list[str]] | None = None

    def tag(self, text: str) -> list[tuple[str, str]]:
        """Segment ``text`` into ``(word, pos)`` pairs covering it exactly."""
        if not text:
            return []
        pairs = self._tag(text)
        if self.joined_terms is not None and self.joined_terms.search(text):
            pairs = _join_terms(text, pairs, self.joined_terms, self.user_tags)
        return pairs

    def cut(self, text: str) -> list[str]:
        """Segment ``text`` into words (the words of :meth:`tag`).

        Uses the backend's own word cutter where it has one (rjieba's ``cut`` is ~1.8x
        faster than tagging and gives the same words; tested), except in texts holding a
        term that must be re-joined (e.g. 双随机、一公开).
        """
        if self._cut is None:
            return [w for w, _ in self.tag(text)]
        if not text:
            return []
        words = self._cut(text)
        if self.joined_terms is not None and self.joined_terms.search(text):
            words = _join_words(text, words, self.joined_terms)
        return words


def _joined_spans(text: str, words: Iterable[str], pattern: re.Pattern[str]) -> list[tuple[int, int, str]]:
    """``(i, j, term)`` for each match of ``pattern`` covering words ``i..j`` exactly, last first.

    Only matches that start and end on word boundaries count (the enumeration comma of
    "双随机、一公开" is always a word of its own). Last first, so replacing ``out[i:j+1]``
    in that order keeps the earlier indices valid.
    """
    ends = list(itertools.accumulate(map(len, words)))
    starts = [0, *ends[:-1]]
    spans = []
    for m in reversed(list(pattern.finditer(text))):
        i = bisect.bisect_left(starts, m.start())
        j = bisect.bisect_left(ends, m.end())
        if i < len(starts) and j < len(ends) and starts[i] == m.start() and ends[j] == m.end():
            spans.append((i, j, m.group(0)))
    return spans


def _join_terms(
    text: str,
    pairs: list[tuple[str, str]],
    pattern: re.Pattern[str],
    user_tags: Mapping[str, str],
) -> list[tuple[str, str]]:
    """Merge the ``(word, pos)`` pairs covering each match of ``pattern`` into one pair."""
    out = list(pairs)
    for i, j, term in _joined_spans(text, map(itemgetter(0), pairs), pattern):
        out[i : j + 1] = [(term, user_tags.get(term, "nz"))]
    return out


def _join_words(text: str, words: list[str], pattern: re.Pattern[str]) -> list[str]:
    """:func:`_join_terms` for a plain word list (the words of ``tag``, without tags)."""
    out = list(words)
    for i, j, term in _joined_spans(text, words, pattern):
        out[i : j + 1] = [term]
    return out


def _silence_jieba() -> None:
    global _LOGGER_SILENCED
    if not _LOGGER_SILENCED:
        # jieba writes "Building prefix dict ..." etc. to stderr on its one shared logger.
        _jieba().setLogLevel(logging.WARNING)
        _LOGGER_SILENCED = True


def _default_backend(hmm: bool) -> str:
    # rjieba agrees with jieba on 100% of tokens with HMM off, < 99.9% with HMM on
    # (measured on the seeds, user dictionary loaded): fast backend only where >= 99.9%.
    return "jieba" if hmm else "rjieba"


def get_segmenter(backend: Backend | None = None, *, hmm: bool = False) -> Segmenter:
    """The package's segmenter for ``backend``, built once per process and setting.

    Parameters
    ----------
    backend : {"rjieba", "jieba"}, optional
        Default ``"rjieba"`` with ``hmm=False`` (identical tokens to jieba, measured),
        ``"jieba"`` with ``hmm=True``.
    hmm : bool, default False
        jieba's HMM discovery of words missing from the dictionaries.

    Returns
    -------
    Segmenter
        Loaded with ``analysis/resources/userdict.txt``; never the global jieba state.

    Examples
    --------
    >>> get_segmenter().cut("深入学习贯彻习近平法治思想")
    ['深入', '学习', '贯彻', '习近平法治思想']
    """
    backend = backend or _default_backend(hmm)
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")
    return _build_segmenter(backend, bool(hmm))


@functools.lru_cache(maxsize=None)
def _build_segmenter(backend: str, hmm: bool) -> Segmenter:
    """Build (once per process and setting) the segmenter :func:`get_segmenter` returns."""
    d = load_user_dictionary()
    user_tags = dict(zip(d["term"], d["pos"]))
    joined = sorted((t for t in d["term"] if not _JIEBA_WORD_CHARS.match(t)), key=len, reverse=True)
    joined_re = re.compile("|".join(map(re.escape, joined))) if joined else None

    if backend == "rjieba":
        import rjieba

        seg = rjieba.Jieba()
        for term, freq, pos in zip(d["term"], d["freq"], d["pos"]):
            seg.add_word(term, int(freq), pos)
        rj_tag = seg.tag
        rj_cut = seg.cut

        def tag(text: str) -> list[tuple[str, str]]:
            return rj_tag(text, hmm)

        def cut(text: str) -> list[str]:
            return rj_cut(text, hmm)

        return Segmenter(backend=backend, hmm=hmm, _tag=tag, user_tags=user_tags, joined_terms=joined_re, _cut=cut)

    else:
        _silence_jieba()
        jieba = _jieba()
        tokenizer = jieba.Tokenizer()
        tokenizer.tmp_dir = str(config.cache_dir())
        tokenizer.cache_file = f"jieba-{jieba.__version__}.cache"
        tokenizer.initialize()
        tokenizer.load_userdict(io.BytesIO(_userdict_jieba_bytes()))
        postokenizer = jieba.posseg.POSTokenizer(tokenizer)
        pos_cut = postokenizer.cut

        def tag(text: str) -> list[tuple[str, str]]:
            return [(p.word, p.flag) for p in pos_cut(text, HMM=hmm)]

    return Segmenter(backend=backend, hmm=hmm, _tag=tag, user_tags=user_tags, joined_terms=joined_re)


# ----------------------------------------------------------------------------------------
# tokenize
# ----------------------------------------------------------------------------------------


def _wordset(value: bool | Iterable[str] | None, kind: Literal["function", "boilerplate"]) -> frozenset[str]:
    if value is True:
        return load_stopwords(kind)
    if value is False or value is None:
        return frozenset()
    if isinstance(value, str):
        raise TypeError(f"give {kind} words as a list of strings, not one string")
    return frozenset(value)


def _outermost_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Keep the rows not nested in another row of the same document.

    A sections table has one row per section at every level; its top-level rows tile
    the report. Rows inside an earlier row's [start, end) span are dropped, so each
    character is tokenized once.
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


def tokenize(
    corpus: pd.DataFrame,
    *,
    stopwords: bool | Iterable[str] = True,
    boilerplate: bool | Iterable[str] = False,
    min_chars: int = 2,
    drop_numbers: bool = True,
    backend: Backend | None = None,
    hmm: bool = False,
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
        symbols are never terms.
    backend : {"rjieba", "jieba"}, optional
        Segmenter (see :func:`get_segmenter`); both give identical tokens with
        ``hmm=False``.
    hmm : bool, default False
        jieba's HMM guessing of out-of-dictionary words.

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
    segmenter = get_segmenter(backend, hmm=hmm)
    drop = _wordset(stopwords, "function") | _wordset(boilerplate, "boilerplate")

    frame = corpus
    doc_categories = pd.unique(frame["doc_id"].astype(str).to_numpy())
    has_start = "start" in frame.columns
    if has_start and "end" in frame.columns and len(frame):
        frame = _outermost_rows(frame)
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
    has_word_char = _HAS_WORD_CHAR.search
    is_number = _NUMBER.match

    def keep_type(word: str) -> bool:
        if len(word) < min_chars or word in drop or not has_word_char(word):
            return bool(not drop_numbers and len(word) >= min_chars and is_number(word) and word not in drop)
        return not (drop_numbers and is_number(word))

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


# ----------------------------------------------------------------------------------------
# term tables
# ----------------------------------------------------------------------------------------


def _as_list(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return list(by)


def _codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes and their (string) uniques, without converting every row to str.

    Categorical columns (as :func:`tokenize` returns) use their codes; others are
    factorized. Uniques are sorted for object columns, kept in category order otherwise.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        uniques = np.asarray([str(c) for c in values.cat.categories], dtype=object)
        return codes.astype(np.int64), uniques
    codes, uniques = pd.factorize(values.astype(object), sort=True)
    return codes.astype(np.int64), np.asarray([str(u) for u in uniques], dtype=object)


def _doc_index(tokens_doc: pd.Series, doc_ids: Sequence[str]) -> np.ndarray:
    """Position of each token's document in ``doc_ids`` (-1 when absent)."""
    codes, uniques = _codes(tokens_doc)
    where = pd.Index(np.asarray(doc_ids, dtype=object)).get_indexer(uniques)
    out = np.where(codes >= 0, where[np.maximum(codes, 0)] if len(where) else -1, -1)
    return out.astype(np.int64)


def _with_metadata(tokens: pd.DataFrame, by: list[str], corpus: pd.DataFrame | None) -> pd.DataFrame:
    """``tokens`` (doc_id, term + by columns), with ``by`` columns joined from ``corpus``."""
    need = [c for c in by if c not in tokens.columns]
    frame = tokens[["doc_id", "term"] + [c for c in by if c in tokens.columns and c not in ("doc_id", "term")]]
    if need:
        if corpus is None:
            raise KeyError(f"columns {need} are not in tokens: pass corpus= to join them on doc_id")
        missing = [c for c in need if c not in corpus.columns]
        if missing:
            raise KeyError(f"columns {missing} are neither in tokens nor in corpus")
        meta = corpus[["doc_id"] + need].drop_duplicates("doc_id")
        codes = _doc_index(tokens["doc_id"], [str(d) for d in meta["doc_id"]])
        frame = frame.copy()
        for col in need:
            values = meta[col].reset_index(drop=True)
            frame[col] = values.reindex(codes).to_numpy() if len(values) else pd.NA
            if (codes < 0).any():
                frame.loc[codes < 0, col] = pd.NA
    return frame


def term_frequencies(
    tokens: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = None,
    corpus: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Count terms, overall or per group.

    Parameters
    ----------
    tokens : pandas.DataFrame
        From :func:`tokenize` (needs ``doc_id`` and ``term``).
    by : str or list of str, optional
        Group columns: columns of ``tokens`` (``doc_id``, ``part``) or of ``corpus``
        (e.g. ``report_year``, ``issuer_type``), joined on ``doc_id``. None: overall.
    corpus : pandas.DataFrame, optional
        Report metadata for ``by`` columns not in ``tokens``.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, then ``term``, ``n`` (occurrences), ``rate_per_10k``
        (``n`` per 10,000 tokens of the group in ``tokens``, i.e. after stopword
        removal), ``docfreq`` (documents of the group containing the term), ``n_docs``
        (documents of the group with tokens), ``n_tokens`` (tokens of the group).
        Sorted by group, ``n`` descending, then term.

    Examples
    --------
    >>> toks = pd.DataFrame({"doc_id": ["a", "a", "b"], "term": ["执法", "普法", "执法"]})
    >>> term_frequencies(toks)[["term", "n", "rate_per_10k", "docfreq"]].round(1).to_dict("list")
    {'term': ['执法', '普法'], 'n': [2, 1], 'rate_per_10k': [6666.7, 3333.3], 'docfreq': [2, 1]}
    """
    keys = _as_list(by)
    frame = _with_metadata(tokens, keys, corpus)
    group_keys = keys + ["term"]
    counts = frame.groupby(group_keys, observed=True, dropna=False, sort=False).agg(
        n=("doc_id", "size"), docfreq=("doc_id", "nunique")
    )
    counts = counts.reset_index()
    counts["term"] = counts["term"].astype(str).astype(object)
    if keys:
        totals = frame.groupby(keys, observed=True, dropna=False, sort=False).agg(
            n_tokens=("doc_id", "size"), n_docs=("doc_id", "nunique")
        ).reset_index()
        counts = counts.merge(totals, on=keys, how="left")
    else:
        counts["n_tokens"] = len(frame)
        counts["n_docs"] = frame["doc_id"].nunique()
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


def _doc_categories(tokens: pd.DataFrame) -> np.ndarray:
    doc = tokens["doc_id"]
    if isinstance(doc.dtype, pd.CategoricalDtype):
        return np.asarray(doc.cat.categories.astype(str), dtype=object)
    return np.asarray(pd.unique(doc.astype(str).to_numpy()), dtype=object)


def document_term_matrix(tokens: pd.DataFrame, *, min_count: int = 1) -> DocumentTermMatrix:
    """Count every term in every document, as a scipy sparse matrix (never dense).

    Parameters
    ----------
    tokens : pandas.DataFrame
        From :func:`tokenize` (``doc_id``, ``term``).
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
    doc_ids = _doc_categories(tokens)
    rows = _doc_index(tokens["doc_id"], doc_ids)
    cols, vocabulary = _codes(tokens["term"])
    matrix = sparse.csr_matrix(
        (np.ones(len(cols), dtype=np.int32), (rows, cols)),
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


def tfidf_top_terms(
    tokens: pd.DataFrame,
    *,
    by: str | Sequence[str] = "doc_id",
    n: int = 10,
    corpus: pd.DataFrame | None = None,
    sublinear_tf: bool = False,
) -> pd.DataFrame:
    """The terms most distinctive of each report (or group) by TF-IDF.

    Groups are pooled into one pseudo-document each; term weights are scikit-learn's
    ``TfidfTransformer`` (smoothed idf ``ln((1+N)/(1+df)) + 1`` over the N groups, rows
    L2-normalised). With few groups every term keeps some weight; terms found in every
    group rank lowest.

    Parameters
    ----------
    tokens : pandas.DataFrame
        From :func:`tokenize`.
    by : str or list of str, default "doc_id"
        Group columns (of ``tokens`` or ``corpus``).
    n : int, default 10
        Terms per group.
    corpus : pandas.DataFrame, optional
        Metadata for ``by`` columns not in ``tokens``.
    sublinear_tf : bool, default False
        Use ``1 + ln(tf)``.

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

    keys = _as_list(by)
    frame = _with_metadata(tokens, keys, corpus)
    group_frame = frame[keys].astype(object).where(frame[keys].notna(), None)
    labels = pd.MultiIndex.from_frame(group_frame) if len(keys) > 1 else pd.Index(group_frame[keys[0]])
    group_codes, groups = pd.factorize(labels, sort=True, use_na_sentinel=False)
    cols, vocabulary = _codes(frame["term"])
    counts = sparse.csr_matrix(
        (np.ones(len(cols), dtype=np.float64), (group_codes, cols)), shape=(len(groups), len(vocabulary))
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
        From :func:`tokenize`.
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
    frame = _with_metadata(tokens, [by], corpus)
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


# ----------------------------------------------------------------------------------------
# keyness
# ----------------------------------------------------------------------------------------

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


def _keyness_stat(
    a: np.ndarray, b: np.ndarray, total_target: float, total_reference: float, measure: str, correction: str
) -> np.ndarray:
    """Signed keyness statistic per term, as quanteda.textstats' keyness.cpp computes it."""
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


def keyness(
    tokens: pd.DataFrame,
    target: Iterable[str] | pd.Series | str,
    *,
    measure: Literal["lr", "chi2", "pmi"] = "lr",
    correction: Literal["default", "yates", "williams", "none"] = "default",
) -> pd.DataFrame:
    """Terms over- and under-used in the target documents against all the others.

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
        From :func:`tokenize`.
    target : iterable of doc_id, a doc_id, or boolean Series indexed by doc_id
        The target documents; every other document of ``tokens`` is the reference.
    measure : {"lr", "chi2", "pmi"}, default "lr"
    correction : {"default", "yates", "williams", "none"}, default "default"

    Returns
    -------
    pandas.DataFrame
        ``term``, the statistic (column ``G2``, ``chi2`` or ``pmi``), ``p``,
        ``n_target``, ``n_reference`` (counts), ``rate_target``, ``rate_reference``
        (per 10,000 tokens of each side), ``pct_diff`` (%DIFF of Gabrielatos & Marchi
        2012: ``100 * (rate_target - rate_reference) / rate_reference``; ``inf`` for
        a term absent from the reference). Sorted by the statistic, descending, then
        term (as quanteda).

    Examples
    --------
    >>> toks = pd.DataFrame({"doc_id": list("aaaabbbb"), "term": list("甲甲甲乙乙乙乙甲")})
    >>> keyness(toks, ["a"], correction="none")[["term", "G2", "n_target", "n_reference"]].round(4).to_dict("list")
    {'term': ['甲', '乙'], 'G2': [2.093, -2.093], 'n_target': [3, 1], 'n_reference': [1, 3]}
    """
    stat_name = {"lr": "G2", "chi2": "chi2", "pmi": "pmi"}.get(measure)
    if stat_name is None:
        raise ValueError(f"measure must be 'lr', 'chi2' or 'pmi', got {measure!r}")
    if correction not in ("default", "yates", "williams", "none"):
        raise ValueError(f"correction must be default, yates, williams or none, got {correction!r}")
    dtm = document_term_matrix(tokens)
    in_target = _target_mask(target, dtm.doc_ids)
    if not in_target.any():
        raise ValueError("target selects no document")
    if in_target.all():
        raise ValueError("target cannot be all the documents: nothing is left as reference")
    a = np.asarray(dtm.matrix[in_target].sum(axis=0)).ravel().astype(np.float64)
    b = np.asarray(dtm.matrix[~in_target].sum(axis=0)).ravel().astype(np.float64)
    total_t, total_r = a.sum(), b.sum()
    if total_t == 0 or total_r == 0:
        raise ValueError("the target or the reference has no tokens")
    stat = _keyness_stat(a, b, total_t, total_r, measure, correction)
    from scipy import stats  # imported here: ~2 s, only keyness needs it

    p = stats.chi2.sf(np.abs(stat), 1)
    rate_t = a / total_t * 10_000
    rate_r = b / total_r * 10_000
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(rate_r > 0, 100 * (rate_t - rate_r) / np.where(rate_r > 0, rate_r, 1), np.inf)
    out = pd.DataFrame(
        {
            "term": dtm.vocabulary.astype(str),
            stat_name: stat,
            "p": p,
            "n_target": a.astype(np.int64),
            "n_reference": b.astype(np.int64),
            "rate_target": rate_t,
            "rate_reference": rate_r,
            "pct_diff": pct,
        }
    )
    out = out.sort_values([stat_name, "term"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)


# ----------------------------------------------------------------------------------------
# kwic and collocations
# ----------------------------------------------------------------------------------------


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
        From :func:`tokenize` (``doc_id``, ``position``, ``term``).
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
    if len(tokens) < 2:
        return pd.DataFrame({c: [] for c in columns})
    doc, _ = _codes(tokens["doc_id"])
    pos = tokens["position"].to_numpy(dtype=np.int64)
    term, vocabulary = _codes(tokens["term"])
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
    counts["G2"] = _keyness_stat(a, c, a + b, c + d, "lr", "none") if len(counts) else np.zeros(0)
    from scipy import stats  # imported here: ~2 s, only these statistics need it

    counts["p"] = stats.chi2.sf(np.abs(counts["G2"].to_numpy()), 1)
    counts["collocation"] = counts["term1"] + counts["term2"]
    counts["n"] = counts["n"].astype(np.int64)
    counts = counts.sort_values([sort_by, "collocation"], ascending=[False, True], kind="stable")
    return counts[columns].reset_index(drop=True)


# ----------------------------------------------------------------------------------------
# figures
# ----------------------------------------------------------------------------------------


def _frequency_dict(frequencies: pd.DataFrame | Mapping[str, float], value: str = "n") -> dict[str, float]:
    """Frequencies ordered by value desc then term, so ties are laid out reproducibly."""
    if isinstance(frequencies, pd.DataFrame):
        items = zip(frequencies["term"].astype(str), frequencies[value].astype(float))
    else:
        items = ((str(k), float(v)) for k, v in frequencies.items())
    merged: dict[str, float] = {}
    for k, v in items:
        if v > 0:
            merged[k] = merged.get(k, 0.0) + v
    return dict(sorted(merged.items(), key=lambda kv: (-kv[1], kv[0])))


def _wordcloud_image(freqs: dict[str, float], *, max_words: int, random_state: int, width: int, height: int) -> np.ndarray:
    from wordcloud import WordCloud

    from analysis.plots.fonts import cjk_font_path

    cloud = WordCloud(
        font_path=str(cjk_font_path(simplified=True)),
        width=width,
        height=height,
        max_words=max_words,
        background_color="white",
        random_state=random_state,
        prefer_horizontal=0.9,
        colormap="viridis",
        min_font_size=8,
    )
    cloud.generate_from_frequencies(freqs)
    return cloud.to_array()


def plot_wordcloud(
    frequencies: pd.DataFrame | Mapping[str, float],
    *,
    value: str = "n",
    max_words: int = 100,
    random_state: int = 42,
    width: int = 900,
    height: int = 540,
    title: str | None = None,
) -> Figure:
    """A word cloud of term frequencies, drawn in Simplified-Chinese glyphs.

    Parameters
    ----------
    frequencies : DataFrame with ``term`` and ``value`` columns, or mapping term -> weight
        E.g. :func:`term_frequencies` output (rows of one group).
    value : str, default "n"
        Weight column.
    max_words, width, height : int
    random_state : int, default 42
        Seed of the layout and colours: the same input gives the same picture.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        The font is the SC face of Noto Sans CJK (see :mod:`analysis.plots.fonts`).
    """
    import matplotlib.pyplot as plt

    from analysis.plots.fonts import use_cjk_font

    use_cjk_font()
    freqs = _frequency_dict(frequencies, value)
    if not freqs:
        raise ValueError("no term with a positive frequency to draw")
    image = _wordcloud_image(freqs, max_words=max_words, random_state=random_state, width=width, height=height)
    fig, ax = plt.subplots(figsize=(width / 100, height / 100))
    ax.imshow(image, interpolation="bilinear")
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def plot_wordclouds(
    frequencies: pd.DataFrame,
    *,
    by: str = "doc_id",
    value: str = "n",
    titles: Mapping[Any, str] | None = None,
    ncols: int = 2,
    max_panels: int = 12,
    max_words: int = 50,
    random_state: int = 42,
    width: int = 500,
    height: int = 300,
) -> Figure:
    """One word cloud per group (report), in a grid.

    Parameters
    ----------
    frequencies : pandas.DataFrame
        :func:`term_frequencies` output with a ``by`` column.
    by : str, default "doc_id"
    value : str, default "n"
    titles : mapping group -> title, optional
        Panel titles (default: the group value).
    ncols, max_panels, max_words, random_state, width, height : int
        At most ``max_panels`` groups are drawn (the first ones in table order); the
        figure's title says how many were left out. ``width``/``height``: pixels of
        each cloud.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    from analysis.plots.fonts import use_cjk_font

    use_cjk_font()
    groups = list(pd.unique(frequencies[by]))
    shown = groups[:max_panels]
    nrows = max(1, math.ceil(len(shown) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(width / 100 * ncols, (height / 100 + 0.4) * nrows), squeeze=False)
    for ax, group in zip(axes.ravel(), shown):
        freqs = _frequency_dict(frequencies[frequencies[by] == group], value)
        if freqs:
            ax.imshow(
                _wordcloud_image(freqs, max_words=max_words, random_state=random_state, width=width, height=height),
                interpolation="bilinear",
            )
        ax.set_title(str(titles.get(group, group)) if titles else str(group), fontsize=10)
    for ax in axes.ravel():
        ax.set_axis_off()
    if len(groups) > len(shown):
        fig.suptitle(f"first {len(shown)} of {len(groups)} groups")
        fig.tight_layout(rect=(0, 0, 1, 1 - 0.35 / fig.get_figheight()))
    else:
        fig.tight_layout()
    return fig


def plot_top_terms(
    frequencies: pd.DataFrame,
    *,
    n: int = 20,
    value: str = "rate_per_10k",
    by: str | None = None,
    titles: Mapping[Any, str] | None = None,
    ncols: int = 3,
    max_panels: int = 12,
    title: str | None = None,
) -> Figure:
    """Horizontal bar chart of the top ``n`` terms, overall or one panel per group.

    Parameters
    ----------
    frequencies : pandas.DataFrame
        :func:`term_frequencies` output (``term`` and ``value`` columns, plus ``by``).
    n : int, default 20
    value : str, default "rate_per_10k"
    by : str, optional
        Group column: one panel per group (first ``max_panels`` groups).
    titles : mapping group -> panel title, optional
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    from analysis.plots.fonts import use_cjk_font

    use_cjk_font()
    groups = list(pd.unique(frequencies[by]))[:max_panels] if by else [None]
    cols = min(ncols, len(groups))
    rows = math.ceil(len(groups) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 0.22 * n * rows + 1.2), squeeze=False)
    for ax, group in zip(axes.ravel(), groups):
        sub = frequencies if group is None else frequencies[frequencies[by] == group]
        sub = sub.sort_values([value, "term"], ascending=[False, True], kind="stable").head(n)
        ax.barh(range(len(sub))[::-1], sub[value].to_numpy(), color="#4C72B0")
        ax.set_yticks(range(len(sub))[::-1], sub["term"].astype(str).tolist(), fontsize=9)
        ax.set_xlabel({"rate_per_10k": "每万词 (per 10,000 tokens)", "n": "次数 (count)"}.get(value, value))
        if group is not None:
            ax.set_title(str(titles.get(group, group)) if titles else str(group), fontsize=10)
    for ax in axes.ravel()[len(groups) :]:
        ax.set_axis_off()
    if title:
        fig.suptitle(title)
        fig.tight_layout(rect=(0, 0, 1, 1 - 0.35 / fig.get_figheight()))
    else:
        fig.tight_layout()
    return fig


def plot_keyword_trends(trends: pd.DataFrame, *, by: str = "report_year", title: str | None = None) -> Figure:
    """Line chart of :func:`keyword_trends`: rate per 10,000 tokens per group and term.

    The x axis labels carry the number of reports (``2020 (n=1)``); points resting on a
    single report are drawn hollow, so a reader does not take one report for a trend.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    from analysis.plots.fonts import use_cjk_font

    use_cjk_font()
    labels = trends.drop_duplicates(by)[[by, "label"]]
    x_of = {v: i for i, v in enumerate(labels[by].tolist())}
    fig, ax = plt.subplots(figsize=(max(6.0, 1.3 * len(x_of) + 3), 4.5))
    cmap = plt.get_cmap("tab20")
    for k, (term, sub) in enumerate(trends.groupby("term", sort=False)):
        xs = [x_of[v] for v in sub[by]]
        color = cmap(k % 20)
        ax.plot(xs, sub["rate_per_10k"], color=color, label=str(term), linewidth=1.5)
        single = sub["single_report"].to_numpy()
        rates = sub["rate_per_10k"].to_numpy()
        xs_arr = np.asarray(xs)
        ax.scatter(xs_arr[~single], rates[~single], color=color, zorder=3, s=25)
        ax.scatter(xs_arr[single], rates[single], facecolors="white", edgecolors=color, zorder=3, s=25)
    ax.set_xticks(range(len(x_of)), labels["label"].tolist())
    ax.set_ylabel("每万词 (per 10,000 tokens)")
    ax.set_xlabel(f"{by} (n = reports; hollow points: one report)")
    ax.legend(fontsize=8, ncol=2, bbox_to_anchor=(1.01, 1), loc="upper left")
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def plot_keyness(table: pd.DataFrame, *, n: int = 15, target_label: str = "target", reference_label: str = "reference") -> Figure:
    """Diverging bars of the ``n`` most over- and under-used terms (quanteda's textplot_keyness).

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`keyness` output.
    n : int, default 15
    target_label, reference_label : str
        Legend names of the two sides.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    from analysis.plots.fonts import use_cjk_font

    use_cjk_font()
    stat = next(c for c in ("G2", "chi2", "pmi") if c in table.columns)
    top = table[table[stat] > 0].head(n)
    bottom = table[table[stat] < 0].tail(n)
    shown = pd.concat([top, bottom])
    fig, ax = plt.subplots(figsize=(7, 0.25 * len(shown) + 1.5))
    ys = np.arange(len(shown))[::-1]
    colors = np.where(shown[stat].to_numpy() > 0, "#C44E52", "#8C8C8C")
    ax.barh(ys, shown[stat].to_numpy(), color=colors)
    ax.set_yticks(ys, shown["term"].astype(str).tolist(), fontsize=9)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel(f"{stat} (signed: + over-used in {target_label}, − in {reference_label})")
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(color="#C44E52", label=target_label), Patch(color="#8C8C8C", label=reference_label)], fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig
