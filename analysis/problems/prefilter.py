"""The fast coder: a literal pre-filter in front of the codebook's theme regexes.

:func:`matcher` gives the coder :func:`analysis.problems.code_problems` uses; it returns
exactly what the plain coder (:func:`_code_one`) returns, faster. How: see the comment
below. What each rule needs is read by :mod:`analysis.problems.rules`.
"""

from __future__ import annotations

import functools
import operator
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from analysis.problems.codebook import THEME_SEP, UNCODED, Theme
from analysis.problems.rules import Unsupported, min_width, read_rule, rule_needs, strength

__all__ = ["matcher"]

# ---------------------------------------------------------------------------
# fast coding: a literal pre-filter in front of the theme regexes
#
# _code_one (the plain coder, kept as the reference) runs two alternations per theme over
# every item (about 60 regex scans per item), and almost all of them find nothing. Most
# rules cannot match unless the text contains certain literal strings:
# "专业(?:人才|…){w}{0,8}{deficit}" needs "专业" AND one of the deficit words. _Matcher
# derives these requirements from the rules (analysis.problems.rules), finds the required
# strings present in all items at once (numpy, over the characters), and runs, per theme,
# only the rules whose requirements are met. The result is exactly _code_one's: a
# rule that cannot match anywhere in the text wins no alternative of the alternation at
# any position, so leaving it out changes no match of finditer (only group 0 is read; a
# field whose rules use backreferences, whose group numbers would shift, is run whole).

#: Cap on the remembered plans (rules to run) per field.
_MAX_PLANS = 4096
# a backreference or a conditional on a group: group numbers must not shift
_GROUP_REF = re.compile(r"\\[1-9]|\(\?P=|\(\?\(")
# code points fit in 21 bits: a pair of characters is one integer
_CP_BITS = 21


def _hits(pattern: re.Pattern[str] | None, text: str) -> list[str]:
    """Non-empty matches of ``pattern`` in ``text`` (the plain coder's search)."""
    if pattern is None or not text:
        return []
    return [m.group(0) for m in pattern.finditer(text) if m.group(0)]


@dataclass(frozen=True)
class _Field:
    """One theme's ``headline`` or ``anywhere`` alternation. When ``reducible``: its rules,
    each compiled alone (``alone``; None if one may match the empty string, whose
    handling by finditer _alternation_hits does not emulate) and the literal sets each
    needs (None: always run)."""

    pattern: re.Pattern[str] | None
    rules: tuple[str, ...] = ()
    needs: tuple[frozenset[frozenset[str]] | None, ...] = ()
    alone: tuple[re.Pattern[str], ...] | None = None

    @property
    def reducible(self) -> bool:
        return bool(self.needs)


def _field(pattern: re.Pattern[str] | None, rules: tuple[str, ...]) -> _Field:
    if (
        pattern is None
        or not rules
        # the alternation _compile builds, with the default flags: it is made of these rules
        or pattern.pattern != "|".join(f"(?:{r})" for r in rules)
        or pattern.flags != re.compile("").flags
        or any(_GROUP_REF.search(r) for r in rules)
    ):
        return _Field(pattern)
    try:  # every rule is a regex on its own, so it is one whole alternative of the pattern
        needs = tuple(rule_needs(r) for r in rules)
        empty = any(min_width(read_rule(r)[0]) == 0 for r in rules)
    except (Unsupported, re.error):  # a rule the reader does not model: run the field whole
        return _Field(pattern)
    alone = None if empty else tuple(re.compile(r) for r in rules)
    return _Field(pattern, rules, needs, alone)


def _alternation_hits(rules: list[re.Pattern[str]], text: str) -> list[str]:
    """``finditer`` of the alternation ``(?:r1)|(?:r2)|…`` of ``rules`` (none of which
    matches the empty string), found with the rules' own searches.

    The alternation's next match is at the leftmost position where some rule matches,
    made by the first such rule. A rule's match at a position does not depend on where the
    search began (lookbehinds and ``^`` see the whole string), so each rule's next match
    is kept until the scan passes its start. A rule alone keeps the fast literal-prefix
    search that an alternation of several loses."""
    nxt = [r.search(text) for r in rules]
    out: list[str] = []
    while True:
        best: re.Match[str] | None = None
        for m in nxt:  # leftmost start; on a tie the earlier rule
            if m is not None and (best is None or m.start() < best.start()):
                best = m
        if best is None:
            return out
        out.append(best.group(0))
        pos = best.end()
        for i, m in enumerate(nxt):
            if m is not None and m.start() < pos:
                nxt[i] = rules[i].search(text, pos)


class _Matcher:
    """The codebook's theme regexes behind the literal pre-filter (see the comment above).

    Each distinct literal set a rule needs is a bit; each rule needs a mask of them.
    :meth:`scan` finds the literals present in each text; a field is tried when the
    strongest literal set (``strength``) of one of its rules is met, and of its rules
    those whose sets are all met are run (:meth:`hits`)."""

    def __init__(self, themes: tuple[Theme, ...]) -> None:
        self.themes = themes
        # field 2*i: theme i's headline alternation, 2*i + 1: its anywhere alternation
        self.fields = [_field(p, r) for t in themes for p, r in ((t.headline, t.headline_rules),
                                                                 (t.anywhere, t.anywhere_rules))]
        bit: dict[frozenset[str], int] = {}
        for f in self.fields:
            for needs in f.needs:
                for need in sorted(needs or (), key=sorted):
                    bit.setdefault(need, 1 << len(bit))
        # per field, per rule: the mask of literal sets it needs (None: always run)
        self.rule_masks = [
            tuple(None if n is None else sum(bit[need] for need in n) for n in f.needs) for f in self.fields
        ]
        # per field: the bits any of its rules needs (the part of a text's bits that matters)
        self.field_masks = [functools.reduce(operator.or_, (m or 0 for m in masks), 0) for masks in self.rule_masks]
        self.plans: list[dict[int, Any]] = [{} for _ in self.fields]
        # fields tried on every item: run whole, or with a rule needing nothing known
        self.always = 0
        key_fields: dict[frozenset[str], int] = {}  # set -> fields of rules whose strongest set it is
        for k, f in enumerate(self.fields):
            if f.pattern is None:
                continue
            if not f.reducible or any(n is None for n in f.needs):
                self.always |= 1 << k
            for needs in f.needs:
                if needs:
                    key = max(needs, key=strength)
                    key_fields[key] = key_fields.get(key, 0) | 1 << k
        n = len(self.fields)
        self.parity = (sum(1 << k for k in range(0, n, 2)), sum(1 << k for k in range(1, n, 2)))
        # the literals (all of two characters or more) under their first two characters:
        # (literal, sets it meets, fields it opens, whether the pair is the whole literal)
        by_pair: dict[int, list[tuple[str, int, int, bool]]] = {}
        for w in sorted({w for need in bit for w in need}):
            met = functools.reduce(operator.or_, (b for need, b in bit.items() if w in need), 0)
            opens = functools.reduce(operator.or_, (ks for need, ks in key_fields.items() if w in need), 0)
            pair = ord(w[0]) << _CP_BITS | ord(w[1])
            by_pair.setdefault(pair, []).append((w, met, opens, len(w) == 2))
        self.pairs = np.array(sorted(by_pair), dtype=np.uint64)
        self.pair_entries = [tuple(by_pair[p]) for p in sorted(by_pair)]

    def scan(self, texts: list[str]) -> list[tuple[int, int]]:
        """Per text: (the literal sets it meets, the fields to try).

        All texts at once: their code points joined (with a separator) into one array; the
        pairs of adjacent characters that open a literal are looked up with one
        ``searchsorted``, so Python only sees the (text, pair) hits. A literal longer than
        its pair is then checked with ``in``. (A pair across the separator may be credited
        to a text: that only adds sets, which can never change a result.)"""
        out = [(0, 0)] * len(texts)
        if not texts or not self.pairs.size:
            return out
        joined = "\x00".join(texts)
        cp = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype="<u4").astype(np.uint64)
        if cp.size < 2:
            return out
        codes = (cp[:-1] << np.uint64(_CP_BITS)) | cp[1:]
        where = np.searchsorted(self.pairs, codes)
        np.minimum(where, self.pairs.size - 1, out=where)
        at = np.flatnonzero(self.pairs[where] == codes)
        if not at.size:
            return out
        starts = np.cumsum([0] + [len(t) + 1 for t in texts[:-1]])
        keys = np.unique((np.searchsorted(starts, at, side="right") - 1) * self.pairs.size + where[at])
        entries = self.pair_entries
        size = int(self.pairs.size)
        for key in keys.tolist():
            i, p = divmod(key, size)
            text = texts[i]
            met, fields = out[i]
            for w, m, f, whole in entries[p]:
                if whole or w in text:
                    met |= m
                    fields |= f
            out[i] = (met, fields)
        return out

    def hits(self, k: int, text: str, met: int) -> list[str]:
        """Non-empty matches of field ``k`` in ``text``, as ``_hits(field pattern, text)``,
        given the literal sets ``met`` (a superset of those ``text`` meets)."""
        f = self.fields[k]
        if f.pattern is None or not text:
            return []
        if not f.reducible:
            return [m.group(0) for m in f.pattern.finditer(text) if m.group(0)]
        key = met & self.field_masks[k]
        plan = self.plans[k].get(key)
        if plan is None:
            plan = self._plan(k, key)
        if not plan:
            return []
        if isinstance(plan, re.Pattern):
            return [m.group(0) for m in plan.finditer(text) if m.group(0)]
        return _alternation_hits(plan, text)

    def _plan(self, k: int, met: int) -> Any:
        """What field ``k`` runs when the sets ``met`` are met: its rules needing no more
        (their alternation: a pattern, or the list of rules _alternation_hits runs)."""
        f = self.fields[k]
        keep = [i for i, need in enumerate(self.rule_masks[k]) if need is None or need & met == need]
        plan: Any
        if not keep:
            plan = ()
        elif len(keep) == len(f.rules):
            plan = f.pattern
        elif f.alone is not None:
            plan = f.alone[keep[0]] if len(keep) == 1 else [f.alone[i] for i in keep]
        else:
            plan = re.compile("|".join(f"(?:{f.rules[i]})" for i in keep))
        if len(self.plans[k]) >= _MAX_PLANS:
            self.plans[k].clear()
        self.plans[k][met] = plan
        return plan

    def code_all(self, headlines: list[str], fulls: list[str]) -> list[tuple[str, int, str]]:
        """``[_code_one(self.themes, h, f) for h, f in zip(headlines, fulls)]``, faster."""
        scanned_full = self.scan(fulls)
        # a headline the full text starts with (as item_statements builds it) holds no literal the
        # full text lacks: the full text's sets, a superset, serve for it
        other = [i for i, (h, f) in enumerate(zip(headlines, fulls)) if not f.startswith(h)]
        scanned_head = list(scanned_full)
        for i, s in zip(other, self.scan([headlines[i] for i in other])):
            scanned_head[i] = s
        head_bits, full_bits = self.parity
        out = []
        for h, f, (met_h, todo_h), (met_f, todo_f) in zip(headlines, fulls, scanned_head, scanned_full):
            todo = self.always | (todo_h & head_bits) | (todo_f & full_bits)
            codes: list[str] = []
            audit: list[str] = []
            i = 0
            while todo >> (2 * i):
                if (todo >> (2 * i)) & 3:
                    found = self.hits(2 * i, h, met_h) + self.hits(2 * i + 1, f, met_f)
                    if found:
                        t = self.themes[i]
                        codes.append(t.id)
                        audit.append(t.id + ":" + "".join(f"「{x}」" for x in dict.fromkeys(found)))
                i += 1
            out.append((THEME_SEP.join(codes), len(codes), "; ".join(audit)) if codes else (UNCODED, 0, ""))
        return out


@functools.lru_cache(maxsize=8)
def matcher(themes: tuple[Theme, ...]) -> _Matcher:
    """The fast coder of these themes (built once per codebook): ``matcher(themes).code_all(
    headlines, full_texts)`` gives ``(themes, n_themes, matched)`` per item."""
    return _Matcher(themes)


def _code_one(themes: tuple[Theme, ...], headline: str, full: str) -> tuple[str, int, str]:
    codes: list[str] = []
    audit: list[str] = []
    for t in themes:
        found = _hits(t.headline, headline) + _hits(t.anywhere, full)
        if found:
            codes.append(t.id)
            uniq = list(dict.fromkeys(found))
            audit.append(t.id + ":" + "".join(f"「{h}」" for h in uniq))
    if not codes:
        return UNCODED, 0, ""
    return THEME_SEP.join(codes), len(codes), "; ".join(audit)
