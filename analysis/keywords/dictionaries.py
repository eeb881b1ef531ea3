"""The word lists of the keyword stage: segmentation dictionaries and stopword lists.

Shipped resources (``analysis/resources/``, UTF-8 text a researcher can read and cite):

``userdict.txt``            rule-of-law terms (习近平法治思想, 双随机、一公开 …)
``policy_vocabulary.txt``   policy terms of government documents since 1954 (生态文明,
                            一带一路, 高质量发展, 中国式现代化 …), each with its source
``stopwords_function.txt``  Chinese function words (的, 以及, 一是 …)
``stopwords_boilerplate.txt`` bureaucratic boilerplate (加强, 推进, 进一步 …)

A user's own words come in through :func:`read_userdict` (a file in jieba's format or a
list), and every segmenter loads :func:`dictionary_entries`: the two shipped dictionaries,
then the user's words.
"""

from __future__ import annotations

import functools
import importlib.resources
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Literal, Union

import pandas as pd

__all__ = [
    "DEFAULT_FREQ",
    "DEFAULT_TAG",
    "Entry",
    "UserDict",
    "dictionary_entries",
    "load_policy_vocabulary",
    "load_stopwords",
    "load_user_dictionary",
    "read_userdict",
    "stopword_set",
    "userdict_bytes",
]

USERDICT = "userdict.txt"
POLICY_VOCABULARY = "policy_vocabulary.txt"
STOPWORDS_FUNCTION = "stopwords_function.txt"
STOPWORDS_BOILERPLATE = "stopwords_boilerplate.txt"

DEFAULT_FREQ = 20000
"""Frequency of a user word given without one: that of every shipped entry."""
DEFAULT_TAG = "nz"
"""Part-of-speech tag of a user word given without one (jieba's "other proper noun")."""

Entry = tuple[str, int, str]
"""A dictionary entry: ``(word, freq, pos)``."""
UserDict = Union[str, os.PathLike, Iterable[Union[str, Entry]], None]
"""What ``userdict=`` accepts: a path, or words / jieba lines / ``(word, freq, pos)``."""

# A shipped dictionary line, e.g. "习近平法治思想 20000 nz", or "十四五 20000 nz = jieba"
# (the mark: jieba's own dictionary already holds the word).
_SHIPPED_LINE = re.compile(r"^(?P<word>\S+) (?P<freq>\d+) (?P<tag>[a-z]+)(?P<in_jieba> = jieba)?$")
# A line of a user dictionary in jieba's format (its re_userdict): the word, then an
# optional frequency and tag, e.g. "新质生产力", "新质生产力 30000", "新质生产力 30000 nz",
# "新质生产力 nz".
_JIEBA_LINE = re.compile(r"^(?P<word>\S+?)(?: (?P<freq>[0-9]+))?(?: (?P<tag>[a-z]+))?$")


def _resource_text(name: str) -> str:
    return (importlib.resources.files("analysis") / "resources" / name).read_text(encoding="utf-8")


def _read_shipped(name: str) -> pd.DataFrame:
    """Entries of a shipped dictionary: term, freq, pos, source, in_jieba."""
    rows = []
    source = ""
    for lineno, raw in enumerate(_resource_text(name).splitlines(), 1):
        line = raw.strip()
        if line.startswith("## source:"):
            source = line.removeprefix("## source:").strip()
            continue
        if not line or line.startswith("#"):
            continue
        match = _SHIPPED_LINE.match(line)
        if match is None:
            raise ValueError(f"{name} line {lineno}: expected 'word freq pos', got {raw!r}")
        rows.append((match["word"], int(match["freq"]), match["tag"], source, match["in_jieba"] is not None))
    table = pd.DataFrame(rows, columns=["term", "freq", "pos", "source", "in_jieba"])
    return table.drop_duplicates("term", keep="first").reset_index(drop=True)


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
    return _read_shipped(USERDICT).drop(columns="in_jieba")


@functools.lru_cache(maxsize=None)
def load_policy_vocabulary() -> pd.DataFrame:
    """The shipped policy vocabulary as a table.

    Several hundred terms of Chinese government documents since 1954 (party congress and
    plenum reports, 政府工作报告, 规划纲要 and other 纲要 titles) that jieba's own
    dictionary cuts into pieces; entries also in the rule-of-law dictionary are left to it.

    Returns
    -------
    pandas.DataFrame
        One row per entry of ``analysis/resources/policy_vocabulary.txt``: ``term``,
        ``freq``, ``pos``, ``source`` (the documents it comes from) and ``in_jieba``
        (True for the few entries jieba's dictionary already holds whole, e.g. 十四五:
        listed for completeness).

    Examples
    --------
    >>> v = load_policy_vocabulary()
    >>> {"生态文明", "一带一路", "高质量发展", "中国式现代化"} <= set(v["term"]) | set(load_user_dictionary()["term"])
    True
    >>> len(v) >= 300, bool(v["source"].str.contains("十八大").any())
    (True, True)
    """
    return _read_shipped(POLICY_VOCABULARY)


def read_userdict(userdict: UserDict) -> tuple[Entry, ...]:
    """A user's own words as dictionary entries, in a canonical form (hashable, comparable).

    Parameters
    ----------
    userdict : path, iterable or None
        A path (``str`` or ``os.PathLike``) to a UTF-8 file in jieba's user-dictionary
        format — one entry per line, ``word [freq] [pos]``; blank lines and lines starting
        with ``#`` are skipped — or an iterable whose items are such lines (a bare word is
        a line) or ``(word, freq, pos)`` tuples. None: no word.
        A word given without frequency gets :data:`DEFAULT_FREQ` (that of every shipped
        entry, enough to keep a term whole in running text), without tag
        :data:`DEFAULT_TAG`. A word listed twice keeps its last line.

    Returns
    -------
    tuple of (word, freq, pos)
        In first-seen order of the words. Two inputs with the same content give equal
        tuples, so segmenters are cached by content, not by path.

    Examples
    --------
    >>> read_userdict(["新质生产力", "数字经济 30000 n", ("东数西算", 20000, "nz")])
    (('新质生产力', 20000, 'nz'), ('数字经济', 30000, 'n'), ('东数西算', 20000, 'nz'))
    """
    if userdict is None:
        return ()
    if isinstance(userdict, (str, os.PathLike)):
        path = Path(userdict)
        if not path.is_file():
            raise FileNotFoundError(f"user dictionary not found: {path} (give a list to pass words directly)")
        items: Iterable[str | Entry] = path.read_text(encoding="utf-8-sig").splitlines()
        where = str(path)
    else:
        items = userdict
        where = "userdict"
    entries: dict[str, Entry] = {}
    for k, item in enumerate(items, 1):
        if isinstance(item, tuple):
            if len(item) != 3:
                raise ValueError(f"{where} item {k}: expected (word, freq, pos), got {item!r}")
            word, freq, tag = str(item[0]), int(item[1]), str(item[2])
        else:
            line = str(item).strip()
            if not line or line.startswith("#"):
                continue
            match = _JIEBA_LINE.match(line)
            if match is None:
                raise ValueError(f"{where} line {k}: expected 'word [freq] [pos]', got {item!r}")
            word = match["word"]
            freq = int(match["freq"]) if match["freq"] else DEFAULT_FREQ
            tag = match["tag"] or DEFAULT_TAG
        if freq <= 0:
            raise ValueError(f"{where} item {k}: frequency must be positive, got {freq}")
        entries.pop(word, None)
        entries[word] = (word, freq, tag)
    return tuple(entries.values())


@functools.lru_cache(maxsize=16)
def dictionary_entries(user: tuple[Entry, ...] = ()) -> tuple[Entry, ...]:
    """Every entry a segmenter loads: rule-of-law dictionary, policy vocabulary, ``user``.

    A word of both shipped dictionaries keeps its rule-of-law line; a user's word replaces
    a shipped line of the same word (its frequency and tag win), in its shipped place.

    Examples
    --------
    >>> entries = dictionary_entries()
    >>> entries[0], ("一带一路", 20000, "nz") in entries
    (('法治政府', 20000, 'nz'), True)
    """
    table: dict[str, Entry] = {}
    for frame in (load_user_dictionary(), load_policy_vocabulary()):
        for term, freq, pos in zip(frame["term"], frame["freq"], frame["pos"]):
            table.setdefault(term, (term, int(freq), pos))
    for entry in user:
        table[entry[0]] = entry
    return tuple(table.values())


def userdict_bytes(user: tuple[Entry, ...] = ()) -> bytes:
    """:func:`dictionary_entries` without comments, in the bytes jieba's ``load_userdict`` reads.

    Examples
    --------
    >>> userdict_bytes().decode("utf-8").splitlines()[0]
    '法治政府 20000 nz'
    """
    lines = [f"{t} {f} {p}" for t, f, p in dictionary_entries(user)]
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
