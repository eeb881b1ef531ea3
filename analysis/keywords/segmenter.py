"""The segmenter: jieba-compatible word cutting with the package's dictionaries.

A package-owned segmenter is built once per process, setting and dictionary content by a
cached factory (:func:`get_segmenter`); the global ``jieba`` tokenizer is never touched.
It loads the rule-of-law dictionary ``analysis/resources/userdict.txt``, then the policy
vocabulary ``analysis/resources/policy_vocabulary.txt`` (origins of every entry noted
there; see :mod:`analysis.keywords.dictionaries`), then the user's own words if given
(``userdict=``). Two backends give the same tokens:

``"rjieba"`` (default)
    The Rust port of jieba (``rjieba``): segmenting and tagging run 15-20x faster than
    ``jieba.posseg`` here. It has no user-dictionary file loader, so each entry is added
    with ``add_word(word, freq, tag)``.
``"jieba"``
    The reference ``jieba.Tokenizer`` (``jieba.posseg`` for tags), cache file in
    :func:`analysis.config.cache_dir`.

HMM new-word discovery is off by default (``hmm=False``): segmentation then depends on
the dictionaries only and the two backends agree on 100% of the tokens of the seed
reports with the dictionaries loaded (``tests/keywords/test_keywords_segmenter.py``
measures it). With HMM on, rjieba agrees with ``jieba.Tokenizer.cut`` on 99.90% and with
``jieba.posseg`` (which segments unknown runs with its own POS model) on 97.2% of the
tokens — below the 99.9% bar — so ``hmm=True`` uses the jieba backend unless told
otherwise (``benchmarks/tokenize_speed.py`` prints these figures). The price of HMM off:
a name absent from the dictionaries (e.g. a small place name) falls apart into single
characters, which are not terms.

Part-of-speech tags come from the segmenter's dictionary; entries of the package's and
the user's dictionaries always carry their listed tag (rjieba keeps the main
dictionary's tag for a word that is already there, jieba.posseg the user's: the override
makes both agree).

Dictionary entries containing characters that jieba never joins into a word, such as
"双随机、一公开" (the enumeration comma), are re-joined after segmentation.

jieba and rjieba are imported inside the functions that need them (heavy imports).
"""

from __future__ import annotations

import bisect
import functools
import io
import itertools
import logging
import re
import warnings
from collections.abc import Callable, Iterable, Mapping
from operator import itemgetter
from typing import Any, Literal, NamedTuple

from analysis import config
from analysis.keywords.dictionaries import Entry, UserDict, dictionary_entries, read_userdict, userdict_bytes

__all__ = ["BACKENDS", "Segmenter", "get_segmenter"]


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


BACKENDS = ("rjieba", "jieba")
Backend = Literal["rjieba", "jieba"]

# Characters jieba's cut joins into words (its re_han_default); a dictionary entry with
# any other character, e.g. the "、" in "双随机、一公开", is never produced by it.
_JIEBA_WORD_CHARS = re.compile(r"^[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+$")

_LOGGER_SILENCED = False


# ----------------------------------------------------------------------------------------
# segmenter
# ----------------------------------------------------------------------------------------


class Segmenter:
    """A jieba-compatible segmenter with the package's dictionaries (and the user's words).

    ``Segmenter(backend, hmm=..., userdict=...)`` builds one; :func:`get_segmenter` returns
    a cached one for the same arguments. Segmenters with the same backend, setting and
    dictionary content share one loaded engine (built once per process), whatever path
    or list the words came from; nothing global is changed, so results never depend on
    what ran before. ``tag(text)`` returns ``(word, pos)`` pairs whose words concatenate
    to ``text`` exactly.

    Parameters
    ----------
    backend : {"rjieba", "jieba"}, optional
        Default ``"rjieba"`` with ``hmm=False`` (identical tokens to jieba, measured),
        ``"jieba"`` with ``hmm=True``.
    hmm : bool, default False
        jieba's HMM discovery of words missing from the dictionaries.
    userdict : path or iterable, optional
        The user's own words, loaded after the shipped dictionaries: a file in jieba's
        format or a list (see :func:`analysis.keywords.dictionaries.read_userdict`).

    Attributes
    ----------
    backend : str
    hmm : bool
    userdict : tuple of (word, freq, pos)
        The user's entries as read (empty without ``userdict``).
    user_tags : mapping word -> pos
        Every dictionary word the segmenter loaded (shipped and user's), with its tag.
    joined_terms : re.Pattern or None
        Dictionary words re-joined after segmentation (e.g. 双随机、一公开).

    Examples
    --------
    >>> Segmenter(userdict=["法治化营商环境"]).cut("打造法治化营商环境")
    ['打造', '法治化营商环境']
    """

    __slots__ = ("_cut", "_tag", "backend", "hmm", "joined_terms", "user_tags", "userdict")

    def __init__(self, backend: Backend | None = None, *, hmm: bool = False, userdict: UserDict = None) -> None:
        hmm = bool(hmm)
        backend = _resolve_backend(backend, hmm)
        entries = read_userdict(userdict)
        engine = _build_engine(backend, hmm, entries)
        self.backend = backend
        self.hmm = hmm
        self.userdict = entries
        self.user_tags = engine.user_tags
        self.joined_terms = engine.joined_terms
        self._tag = engine.tag
        self._cut = engine.cut

    def __repr__(self) -> str:
        return f"Segmenter(backend={self.backend!r}, hmm={self.hmm}, userdict=<{len(self.userdict)} words>)"

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


class _Engine(NamedTuple):
    """A loaded backend: what every :class:`Segmenter` with the same key shares."""

    tag: Callable[[str], list[tuple[str, str]]]
    cut: Callable[[str], list[str]] | None
    user_tags: Mapping[str, str]
    joined_terms: re.Pattern[str] | None


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


def _resolve_backend(backend: str | None, hmm: bool) -> str:
    backend = backend or _default_backend(hmm)
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")
    return backend


def get_segmenter(backend: Backend | None = None, *, hmm: bool = False, userdict: UserDict = None) -> Segmenter:
    """The package's segmenter for these arguments, built once per process and content.

    Parameters
    ----------
    backend : {"rjieba", "jieba"}, optional
        Default ``"rjieba"`` with ``hmm=False`` (identical tokens to jieba, measured),
        ``"jieba"`` with ``hmm=True``.
    hmm : bool, default False
        jieba's HMM discovery of words missing from the dictionaries.
    userdict : path or iterable, optional
        The user's own words (a file in jieba's format, or a list of words, jieba lines
        or ``(word, freq, pos)`` tuples), loaded after the shipped dictionaries. The
        cache is keyed by the words, not by the path: an edited file gives a new
        segmenter, the same words from a list or a file give the same one.

    Returns
    -------
    Segmenter
        Loaded with the rule-of-law dictionary, the policy vocabulary and ``userdict``;
        never the global jieba state.

    Examples
    --------
    >>> get_segmenter().cut("深入学习贯彻习近平法治思想")
    ['深入', '学习', '贯彻', '习近平法治思想']
    >>> get_segmenter().cut("推动高质量发展")
    ['推动', '高质量发展']
    >>> get_segmenter(userdict=["枫桥式派出所"]) is get_segmenter(userdict=[("枫桥式派出所", 20000, "nz")])
    True
    """
    hmm = bool(hmm)
    return _segmenter(_resolve_backend(backend, hmm), hmm, read_userdict(userdict))


@functools.lru_cache(maxsize=16)
def _segmenter(backend: str, hmm: bool, entries: tuple[Entry, ...]) -> Segmenter:
    return Segmenter(backend, hmm=hmm, userdict=entries)


@functools.lru_cache(maxsize=16)
def _build_engine(backend: str, hmm: bool, user: tuple[Entry, ...]) -> _Engine:
    """Load a backend with the shipped dictionaries and ``user`` (once per key and process)."""
    entries = dictionary_entries(user)
    user_tags = {term: pos for term, _, pos in entries}
    joined = sorted((t for t in user_tags if not _JIEBA_WORD_CHARS.match(t)), key=len, reverse=True)
    joined_re = re.compile("|".join(map(re.escape, joined))) if joined else None

    if backend == "rjieba":
        import rjieba

        seg = rjieba.Jieba()
        for term, freq, pos in entries:
            seg.add_word(term, int(freq), pos)
        rj_tag = seg.tag
        rj_cut = seg.cut

        def tag(text: str) -> list[tuple[str, str]]:
            return rj_tag(text, hmm)

        def cut(text: str) -> list[str]:
            return rj_cut(text, hmm)

        return _Engine(tag=tag, cut=cut, user_tags=user_tags, joined_terms=joined_re)

    _silence_jieba()
    jieba = _jieba()
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = str(config.cache_dir())
    tokenizer.cache_file = f"jieba-{jieba.__version__}.cache"
    tokenizer.initialize()
    tokenizer.load_userdict(io.BytesIO(userdict_bytes(user)))
    postokenizer = jieba.posseg.POSTokenizer(tokenizer)
    pos_cut = postokenizer.cut

    def jieba_tag(text: str) -> list[tuple[str, str]]:
        return [(p.word, p.flag) for p in pos_cut(text, HMM=hmm)]

    return _Engine(tag=jieba_tag, cut=None, user_tags=user_tags, joined_terms=joined_re)
