"""The segmenter: jieba-compatible word cutting with the package's dictionaries.

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
reports with the user dictionary loaded (``tests/keywords/test_keywords_segmenter.py``
measures it). With HMM on, rjieba agrees with ``jieba.Tokenizer.cut`` on 99.90% and with
``jieba.posseg`` (which segments unknown runs with its own POS model) on 97.2% of the
tokens — below the 99.9% bar — so ``hmm=True`` uses the jieba backend unless told
otherwise (``benchmarks/tokenize_speed.py`` prints these figures). The price of HMM off:
a name absent from both dictionaries (e.g. a small place name) falls apart into single
characters, which are not terms.

Part-of-speech tags come from the segmenter's dictionary; entries of the user dictionary
always carry their listed tag (rjieba keeps the main dictionary's tag for a word that
is already there, jieba.posseg the user's: the override makes both agree).

Dictionary entries containing characters that jieba never joins into a word, such as
"双随机、一公开" (the enumeration comma), are re-joined after segmentation.

The stopword lists (function words, boilerplate) are read here too.
jieba and rjieba are imported inside the functions that need them (heavy imports).
"""

from __future__ import annotations

import bisect
import functools
import importlib.resources
import io
import itertools
import logging
import re
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, Literal

import pandas as pd

from analysis import config

__all__ = [
    "BACKENDS",
    "Segmenter",
    "get_segmenter",
    "load_stopwords",
    "load_user_dictionary",
    "stopword_set",
    "userdict_bytes",
]


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

USERDICT = "userdict.txt"
STOPWORDS_FUNCTION = "stopwords_function.txt"
STOPWORDS_BOILERPLATE = "stopwords_boilerplate.txt"

# A user-dictionary line, e.g. "习近平法治思想 20000 nz" (jieba's own format).
_USERDICT_LINE = re.compile(r"^(?P<word>\S+) (?P<freq>\d+) (?P<tag>[a-z]+)$")
# Characters jieba's cut joins into words (its re_han_default); a dictionary entry with
# any other character, e.g. the "、" in "双随机、一公开", is never produced by it.
_JIEBA_WORD_CHARS = re.compile(r"^[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+$")

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


def userdict_bytes() -> bytes:
    """The user dictionary without comments, in the bytes jieba's ``load_userdict`` reads.

    Examples
    --------
    >>> userdict_bytes().decode("utf-8").splitlines()[0].count(" ")
    2
    """
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



def stopword_set(value: bool | Iterable[str] | None, kind: Literal["function", "boilerplate"]) -> frozenset[str]:
    """The words a ``stopwords=`` / ``boilerplate=`` option of :func:`analysis.tokenize` removes.

    Parameters
    ----------
    value : bool, iterable of str or None
        True: the shipped list of ``kind`` (:func:`load_stopwords`); False or None: no
        word; an iterable: exactly those words (a single string is refused).
    kind : {"function", "boilerplate"}

    Examples
    --------
    >>> sorted(stopword_set(["执法", "普法"], "function")), len(stopword_set(False, "boilerplate"))
    (['执法', '普法'], 0)
    """
    if value is True:
        return load_stopwords(kind)
    if value is False or value is None:
        return frozenset()
    if isinstance(value, str):
        raise TypeError(f"give {kind} words as a list of strings, not one string")
    return frozenset(value)



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
        tokenizer.load_userdict(io.BytesIO(userdict_bytes()))
        postokenizer = jieba.posseg.POSTokenizer(tokenizer)
        pos_cut = postokenizer.cut

        def tag(text: str) -> list[tuple[str, str]]:
            return [(p.word, p.flag) for p in pos_cut(text, HMM=hmm)]

    return Segmenter(backend=backend, hmm=hmm, _tag=tag, user_tags=user_tags, joined_terms=joined_re)

