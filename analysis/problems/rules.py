"""What a codebook rule needs: literal strings every match of it contains.

The fast coder (:mod:`analysis.problems.prefilter`) runs a rule on an item only when the
item holds the strings the rule needs. They are read off the rule's text by a small
reader of the regex syntax codebook rules use (written here, so that nothing depends on
the private parser of :mod:`re`): :func:`read_rule` gives a tree of nodes,
:func:`rule_needs` the literal sets, :func:`min_width` the shortest match,
:func:`exact_strings` the finite set of strings a sequence matches.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["MAX_EXACT", "Unsupported", "exact_strings", "min_width", "read_rule", "rule_needs", "strength"]

#: Cap on the strings an exact sub-pattern expands to ("(?:a|b)(?:c|d)" -> 4 strings).
MAX_EXACT = 64

# ---------------------------------------------------------------------------
# the reader
#
# A rule is read into a tree of nodes (tuples, the first item names the kind):
#   ("lit", c)            one literal character, e.g. 专 or an escaped "\-"
#   ("set", chars)        a class of literal characters, e.g. [,，]
#   ("any",)              one character of no known literal set: . \d [^。] [a-z]
#   ("zero",)             an assertion that consumes nothing: ^ $ \b (?=…) (?<!…)
#   ("group", seq, plain) a group; ``plain``: no scoped flags, e.g. (?:…) (…) (?P<n>…)
#   ("atomic", seq)       (?>…)
#   ("repeat", lo, seq)   seq (one node) repeated at least ``lo`` times: * + ? {m,n}
#   ("branch", seqs)      alternatives a|b|c
# Anything else (backreferences, conditionals, verbose mode, \N{…}, octal escapes) is
# Unsupported: the field is then run whole, which gives the same results, only slower.
# Only soundness matters: every string set a rule is said to need must hold a substring
# of each of its matches. The reader never needs to accept every valid regex.


class Unsupported(ValueError):
    """A construct the reader does not model (the field is then run whole)."""


# escapes standing for one literal character, e.g. "\n" in "[^,;:!?。\n]"
_CHAR_ESCAPES = {"a": "\a", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
# escapes of a character category (one character, no literal set), e.g. "\d"
_CATEGORY_ESCAPES = frozenset("dDsSwW")
# escapes of an assertion outside a class (a "\b" inside a class is a backspace)
_ASSERT_ESCAPES = frozenset("bBAZ")
# a counted repeat at the reader's position, e.g. "{0,8}", "{2}", "{,4}", "{3,}"
_COUNT_RE = re.compile(r"\{(\d*)(?:(,)(\d*))?\}")
# inline flags, global "(?i)" or scoped "(?i:"; "-" only in scoped ones, e.g. "(?-i:"
_FLAGS_RE = re.compile(r"\(\?([aiLmsux]*)(?:-([imsx]+))?([:)])")


class _Reader:
    """Reads one rule into the node tree described above (see :func:`read_rule`)."""

    def __init__(self, rule: str) -> None:
        self.s = rule
        self.i = 0
        self.ignorecase = False

    def alternatives(self, depth: int) -> list[Any]:
        """The sequence up to a closing ")" (not consumed) or the end: alternatives
        become one ("branch", …) node, as the standard parser makes them."""
        seqs: list[list[Any]] = [[]]
        while self.i < len(self.s):
            c = self.s[self.i]
            if c == "|":
                self.i += 1
                seqs.append([])
            elif c == ")":
                if depth == 0:
                    raise Unsupported("unbalanced parenthesis")
                break
            else:
                node = self.atom(depth, at_start=self.i == 0)
                if node is not None:
                    seqs[-1].append(self.quantified(node))
        return seqs[0] if len(seqs) == 1 else [("branch", seqs)]

    def quantified(self, node: Any) -> Any:
        """``node`` with the repeat that follows it, if any (a lazy "?" or possessive "+"
        after it changes what a match is, not what it must contain)."""
        s, i = self.s, self.i
        lo: int | None = None
        if i < len(s) and s[i] in "*+?":
            lo = 1 if s[i] == "+" else 0
            self.i = i + 1
        elif i < len(s) and s[i] == "{":
            m = _COUNT_RE.match(s, i)
            if m is not None and m.group() != "{}":
                lo = int(m.group(1) or 0)
                self.i = m.end()
        if lo is None:
            return node
        if self.i < len(s) and s[self.i] in "?+":
            self.i += 1
        if self.i < len(s) and (s[self.i] in "*+?" or _COUNT_RE.match(s, self.i)):
            raise Unsupported("multiple repeat")
        return ("repeat", lo, [node])

    def atom(self, depth: int, *, at_start: bool) -> Any:
        s, i = self.s, self.i
        c = s[i]
        if c == "(":
            return self.group(depth, at_start=at_start)
        if c == "[":
            return self.char_class()
        self.i = i + 1
        if c == "\\":
            return self.escape(in_class=False)
        if c == ".":
            return ("any",)
        if c in "^$":
            return ("zero",)
        if c in "*+?" or (c == "{" and _COUNT_RE.match(s, i) and not s.startswith("{}", i)):
            raise Unsupported("nothing to repeat")
        return ("lit", c)

    def group(self, depth: int, *, at_start: bool) -> Any:
        s, i = self.s, self.i
        if s.startswith("(?#", i):  # a comment
            end = s.find(")", i)
            if end < 0:
                raise Unsupported("unterminated comment")
            self.i = end + 1
            return None
        zero = any(s.startswith(p, i) for p in ("(?=", "(?!", "(?<=", "(?<!"))
        flags = _FLAGS_RE.match(s, i) if not zero else None
        if flags is not None and flags.group(3) == ")":  # global flags, e.g. "(?i)"
            if not at_start or flags.group(2) or set(flags.group(1)) & set("xL"):
                raise Unsupported("global flags")
            self.ignorecase |= "i" in flags.group(1)
            self.i = flags.end()
            return None
        if zero:
            self.i = s.index("(", i) + (4 if s.startswith("(?<", i) else 3)
            kind = "zero"
        elif s.startswith("(?:", i):
            self.i, kind = i + 3, "plain"
        elif s.startswith("(?>", i):
            self.i, kind = i + 3, "atomic"
        elif s.startswith("(?P<", i):
            end = s.find(">", i)
            if end < 0:
                raise Unsupported("bad group name")
            self.i, kind = end + 1, "plain"
        elif flags is not None:  # scoped flags, e.g. "(?i:"
            if "x" in flags.group(1) or "L" in flags.group(1):
                raise Unsupported("verbose or locale flags")
            self.i, kind = flags.end(), "scoped"
        elif s.startswith("(?", i):  # (?P=name), (?(1)…), anything else
            raise Unsupported("group reference or unknown extension")
        else:
            self.i, kind = i + 1, "plain"
        seq = self.alternatives(depth + 1)
        if self.i >= len(s) or s[self.i] != ")":
            raise Unsupported("missing )")
        self.i += 1
        if kind == "zero":
            return ("zero",)
        if kind == "atomic":
            return ("atomic", seq)
        return ("group", seq, kind == "plain")

    def escape(self, *, in_class: bool) -> Any:
        """The node of an escape whose backslash was just read."""
        s, i = self.s, self.i
        if i >= len(s):
            raise Unsupported("trailing backslash")
        c = s[i]
        self.i = i + 1
        if c in _CATEGORY_ESCAPES:
            return ("any",)
        if in_class and c == "b":
            return ("lit", "\b")
        if c in _ASSERT_ESCAPES:
            return ("zero",)
        if c in _CHAR_ESCAPES:
            return ("lit", _CHAR_ESCAPES[c])
        width = {"x": 2, "u": 4, "U": 8}.get(c)
        if width is not None:
            digits = s[i + 1 : i + 1 + width]
            if len(digits) != width or any(d not in "0123456789abcdefABCDEF" for d in digits):
                raise Unsupported("bad hex escape")
            self.i = i + 1 + width
            return ("lit", chr(int(digits, 16)))
        if c.isascii() and c.isalnum():  # \0, \1 (backreference), \N{…}, unknown letters
            raise Unsupported(f"escape \\{c}")
        return ("lit", c)

    def char_class(self) -> Any:
        """A ``[…]`` class: ("set", chars) when it lists literal characters only, else
        ("any",) (negated, ranges, categories)."""
        s = self.s
        self.i += 1
        negate = self.i < len(s) and s[self.i] == "^"
        if negate:
            self.i += 1
        chars: set[str] = set()
        exact = not negate
        first = True
        while True:
            if self.i >= len(s):
                raise Unsupported("unterminated class")
            c = s[self.i]
            self.i += 1
            if c == "]" and not first:
                break
            first = False
            if c == "\\":
                node = self.escape(in_class=True)
            elif c == "[":
                raise Unsupported("possible nested set")
            else:
                node = ("lit", c)
            if s.startswith("-", self.i) and not s.startswith("-]", self.i):
                exact = False  # a range, e.g. "a-z"
                self.i += 1
                if self.i >= len(s):
                    raise Unsupported("unterminated class")
                if s[self.i] == "\\":
                    self.i += 1
                    self.escape(in_class=True)
                else:
                    self.i += 1
                continue
            if node[0] == "lit":
                chars.add(node[1])
            else:
                exact = False
        return ("set", frozenset(chars)) if exact and chars else ("any",)


def read_rule(rule: str) -> tuple[list[Any], bool]:
    """(node tree, whether the rule sets IGNORECASE) of one rule; Unsupported when the
    rule uses a construct the reader does not model or is not a regex by itself."""
    re.compile(rule)  # a rule that is no regex alone ("a)|(b") is no whole alternative
    reader = _Reader(rule)
    seq = reader.alternatives(0)
    if reader.i != len(rule):  # pragma: no cover - alternatives() reads to the end at depth 0
        raise Unsupported("unread text")
    return seq, reader.ignorecase


def min_width(seq: list[Any]) -> int:
    """Fewest characters a match of the node sequence consumes."""
    total = 0
    for node in seq:
        kind = node[0]
        if kind in ("lit", "set", "any"):
            total += 1
        elif kind in ("group", "atomic"):
            total += min_width(node[1])
        elif kind == "repeat":
            total += node[1] * min_width(node[2])
        elif kind == "branch":
            total += min(min_width(alt) for alt in node[1])
    return total


def exact_strings(items: list[Any]) -> frozenset[str] | None:
    """The finite set of strings a node sequence matches when it is made only of
    literals, classes of literals, plain groups and alternations of them, e.g.
    {"不规范", "不严谨"} for "不(?:规范|严谨)"; else (or beyond MAX_EXACT strings) None."""
    out = {""}
    for node in items:
        kind = node[0]
        strings: set[str] | frozenset[str] | None
        if kind == "lit":
            strings = {node[1]}
        elif kind == "set":
            strings = node[1]
        elif kind == "group" and node[2]:
            strings = exact_strings(node[1])
        elif kind == "branch":
            alts = [exact_strings(alt) for alt in node[1]]
            strings = None if any(a is None for a in alts) else set().union(*alts)  # type: ignore[arg-type]
        else:
            return None
        if strings is None:
            return None
        out = {a + b for a in out for b in strings}
        if len(out) > MAX_EXACT:
            return None
    return frozenset(out)


def strength(need: frozenset[str]) -> tuple[int, int, list[str]]:
    """How selective a literal set is: longer shortest string, then fewer strings (then
    the strings themselves, for a deterministic choice)."""
    return min(map(len, need)), -len(need), sorted(need)


def _needs(items: list[Any]) -> list[frozenset[str]]:
    """Literal sets such that every match of a node sequence contains a string of each,
    e.g. [{"专业"}, {"不足", "不够", …}] for "专业{w}{0,8}{deficit}". Only what the match
    itself consumes counts; assertions, optional parts and wildcards need nothing."""
    needs: list[frozenset[str]] = []
    run: frozenset[str] | None = None  # the strings the current run of exact items matches
    for node in items:
        strings = exact_strings([node])
        if strings is not None:  # consecutive exact items: their concatenations
            joined = strings if run is None else frozenset(a + b for a in run for b in strings)
            if run is not None and len(joined) > MAX_EXACT:
                needs.append(run)
                joined = strings
            run = joined
            continue
        if run is not None:
            needs.append(run)
            run = None
        kind = node[0]
        if kind == "group" and node[2]:
            needs += _needs(node[1])
        elif kind == "repeat" and node[1] >= 1:
            needs += _needs(node[2])
        elif kind == "atomic":
            needs += _needs(node[1])
        elif kind == "branch":
            alts = [_needs(alt) for alt in node[1]]
            if all(alts):  # each alternative needs something: one of their strongest sets
                needs.append(frozenset().union(*(max(a, key=strength) for a in alts)))
    if run is not None:
        needs.append(run)
    return [n for n in needs if "" not in n]


def rule_needs(rule: str) -> frozenset[frozenset[str]] | None:
    """The literal sets a rule needs (see _needs), those with a string shorter than two
    characters left out (too common to filter anything); None when it needs nothing known
    (it is always run). Unsupported for a rule the reader does not model."""
    seq, ignorecase = read_rule(rule)
    if ignorecase:
        return None
    needs = frozenset(n for n in _needs(seq) if min(map(len, n)) >= 2)
    return needs or None
