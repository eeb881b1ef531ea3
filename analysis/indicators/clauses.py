"""Clauses and sentences around a number: where they start and end.

A clause ends at , ; : ! ? 。 or a line break (the comma of 1,236, between two digits,
does not end one); a sentence ends at 。 ! ? or a line break. The scans look back or
ahead a bounded number of characters, so the parser stays linear in the text.

Examples
--------
>>> t = "今年受理案件8件,办结6件。"
>>> clause_start(t, t.index("6")), clause_before(t, t.index("6"))
(9, '办结')
>>> sentence_ends(t)
[13]
"""

from __future__ import annotations

import re
from typing import Protocol

from analysis.numbers import DIGITS

__all__ = [
    "BOUNDARY",
    "is_boundary",
    "clause_before",
    "clause_start",
    "post_end",
    "SENT_END_RE",
    "sentence_ends",
    "token_sentences",
]

#: Characters that end a clause (see :func:`is_boundary` for the comma of 1,236).
BOUNDARY = frozenset(",;:!?。\n")
_DIGIT_SET = frozenset(DIGITS)


def is_boundary(t: str, i: int) -> bool:
    """Whether ``t[i]`` ends a clause; the comma of 1,236 (digits on both sides) does not.

    Examples
    --------
    >>> is_boundary("1,236", 1), is_boundary("立案,结案", 2)
    (False, True)
    """
    c = t[i]
    if c not in BOUNDARY:
        return False
    if c == "," and 0 < i < len(t) - 1 and t[i - 1] in _DIGIT_SET and t[i + 1] in _DIGIT_SET:
        return False
    return True


def clause_before(t: str, pos: int, limit: int = 60) -> str:
    """Text from the start of the clause holding ``pos`` up to ``pos`` (at most ``limit``
    characters)."""
    lo = max(0, pos - limit)
    i = pos - 1
    while i >= lo and not (t[i] in BOUNDARY and is_boundary(t, i)):
        i -= 1
    return t[i + 1 : pos]


# The characters the clause scans below stop at (the others they step over one by one):
# the regexes find them in C instead of a Python loop over every character.
_CLAUSE_MARK_RE = re.compile("[,;:!?。\n()]")  # the next one: , in 立案8件,办结
_LAST_CLAUSE_MARK_RE = re.compile(".*[,;:!?。\n()]", re.DOTALL)  # match(): the last one


def clause_start(t: str, pos: int, limit: int = 60) -> int:
    """Start of the clause holding ``pos``: after , ; : ! ? 。 newline or an unclosed (.

    At most ``limit`` characters before ``pos``."""
    lo = max(0, pos - limit)
    depth = 0
    hi = pos
    # the last boundary or parenthesis in t[lo:hi], going left
    while (m := _LAST_CLAUSE_MARK_RE.match(t, lo, hi)) is not None:
        i = m.end() - 1
        c = t[i]
        if c in BOUNDARY and is_boundary(t, i):
            return i + 1
        if c == ")":
            depth += 1
        elif c == "(":
            if depth == 0:
                return i + 1
            depth -= 1
        hi = i
    return lo


def post_end(t: str, pos: int, stop: int, limit: int = 40) -> int:
    """End of the noun phrase after a unit: up to a clause boundary, ``stop`` or an unopened ).

    At most ``limit`` characters after ``pos``."""
    hi = min(len(t), pos + limit, stop)
    depth = 0
    i = pos
    # the next boundary or parenthesis in t[i:hi], going right
    while (m := _CLAUSE_MARK_RE.search(t, i, hi)) is not None:
        i = m.start()
        c = t[i]
        if c in BOUNDARY and is_boundary(t, i):
            return i
        if c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                return i
            depth -= 1
        i += 1
    return max(pos, hi)


#: A sentence end: 。 ! ? or a line break.
SENT_END_RE = re.compile(r"[。!?\n]")
_SENT_END_CHARS = "。!?\n"  # the class of SENT_END_RE


def sentence_ends(t: str) -> list[int]:
    """Offsets of the sentence ends in ``t``, ascending: ``[m.start() for m in
    SENT_END_RE.finditer(t)]``, found with str.find (a few times faster than the regex
    scan, which tests every character)."""
    ends: list[int] = []
    for c in _SENT_END_CHARS:
        i = t.find(c)
        while i >= 0:
            ends.append(i)
            i = t.find(c, i + 1)
    ends.sort()
    return ends


class _Located(Protocol):
    start: int


def token_sentences(t: str, raw: str, toks: list[_Located]) -> list[tuple[int, int, str]]:
    """For each token (anything with a ``start``, in text order): its sentence's bounds and
    text in ``raw`` (same offsets as ``t``).

    A sentence ends at 。 ! ? or a line break (the line break not included) and is
    stripped of spaces. Tokens are in text order, so one walk along the sentence ends
    finds each token's sentence, and each sentence is cut once however many numbers it holds.
    """
    ends = sentence_ends(t)
    n_ends = len(ends)
    out: list[tuple[int, int, str]] = []
    i = 0  # bisect_left(ends, tok.start): the first end at or after the token
    current_i, current = -1, (0, 0, "")
    for tok in toks:
        pos = tok.start
        while i < n_ends and ends[i] < pos:
            i += 1
        if i != current_i:
            start = ends[i - 1] + 1 if i > 0 else 0
            if i < n_ends:
                j = ends[i]
                if t[j] != "\n":
                    j += 1
            else:
                j = len(t)
            while start < j and t[start].isspace():
                start += 1
            while j > start and t[j - 1].isspace():
                j -= 1
            current_i, current = i, (start, j, raw[start:j])
        out.append(current)
    return out
