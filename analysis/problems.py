"""Recurring problems: code shortcoming items by theme, find recurrence, reuse and follow-through.

Each report must confess its shortcomings (存在的不足和原因, art. 25 of the 2019
《法治政府建设与责任落实督察工作规定》).  This module answers three questions about
those confessions, on any number of reports:

* which problems recur across governments and years -- :func:`code_problems`
  (rule-based, multi-label theme codebook in ``resources/problem_themes.yaml``),
  :func:`theme_recurrence`, :func:`theme_matrix`, :func:`plot_theme_heatmap`,
  :func:`theme_persistence`;
* which statements are boilerplate copied between reports -- :func:`template_reuse`
  (character n-gram TF-IDF cosine; sparse products in row blocks, so memory stays
  bounded, and at most ``top_k`` partners per item, so the output stays linear) and
  :func:`template_clusters` (templates shared by many reports);
* whether the plans answer the problems -- :func:`follow_through` (problem -> plan
  item of the same report sharing its themes or its words; last year's plans -> this
  year's measures), on the items of a part given by :func:`plan_items` /
  :func:`part_items`.

and lets researchers validate the codebook: :func:`export_for_coding` writes the
items for blind manual coding, :func:`coding_agreement` computes Cohen's kappa.

Conventions
-----------
``themes`` is a ``"|"``-joined string of theme ids in codebook order (e.g.
``"staffing|workload_backlog"``), or ``"uncoded"`` -- a plain string so that the
table survives CSV, Parquet and Stata unchanged; :func:`themes_long` gives one row
per item and theme.  Inputs are never mutated.  Outputs are deterministic: stable
sorts, no randomness, scores rounded to 4 decimals.
"""

from __future__ import annotations

import functools
import operator
import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import yaml

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = [
    "UNCODED",
    "load_codebook",
    "code_problems",
    "themes_long",
    "theme_matrix",
    "theme_recurrence",
    "plot_theme_heatmap",
    "theme_persistence",
    "part_items",
    "plan_items",
    "template_reuse",
    "template_clusters",
    "follow_through",
    "export_for_coding",
    "coding_agreement",
]

#: Label of an item that no theme of the codebook matches (kept, never dropped).
UNCODED = "uncoded"
#: Separator of theme ids in the ``themes`` column.
THEME_SEP = "|"

#: Default cosine threshold of :func:`template_reuse` (see its docstring).
REUSE_THRESHOLD = 0.4
#: Default cosine threshold of :func:`follow_through` (see its docstring).
FOLLOW_THRESHOLD = 0.15

_CODEBOOK_NAME = "problem_themes.yaml"

# ---------------------------------------------------------------------------
# module-level patterns

# a line that is only a date, e.g. "2023年12月22日"
_DATE_LINE = re.compile(r"^\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")
# an issuing body's name in a signature block, e.g. "深圳市龙华区观湖街道办事处"
_ORGAN_LINE = re.compile(
    r"^[^,;:!?。,;:!?()（）]{2,40}"
    r"(?:委员会|工作委员会|办事处|人民政府|政府|司法局|局|委|办公室|街道|镇|乡|司法所|中心|党委|党工委|党组)$"
)
# an enumerator opening a heading or item: "一、" "(一)" "1、" "1." "一是" "第一,"
_ENUMERATOR = re.compile(
    r"^\s*(?:[(（]\s*[一二三四五六七八九十百\d]+\s*[)）]|[一二三四五六七八九十百]+\s*[、.．]"
    r"|\d+\s*[、.．](?!\d)|[一二三四五六七八九十]+是\s*[,，:：]?|第[一二三四五六七八九十]+\s*[,，、])"
)
# an inline enumerator inside a paragraph, e.g. "...;二是加强..." or "。(二)执法..."
_INLINE_ENUM = re.compile(
    r"(?:^|(?<=[。;!?:；！？：]))\s*(?:[一二三四五六七八九十]+是|[(（][一二三四五六七八九十]+[)）])"
)
# punctuation and symbols -> space before n-gram vectorising, e.g. "单一,针对性" -> "单一 针对性"
_PUNCT = re.compile(r"[^\w]+")
# digit runs -> "0": years and counts differ between reports but not the template
_DIGITS = re.compile(r"\d+")


# ---------------------------------------------------------------------------
# codebook


@dataclass(frozen=True)
class _Theme:
    id: str
    label_zh: str
    label_en: str
    definition: str
    example: str
    example_source: str
    headline: re.Pattern[str] | None
    anywhere: re.Pattern[str] | None
    n_rules: int
    # the rules ``headline`` / ``anywhere`` alternate, in order (for the pre-filter of _Matcher)
    headline_rules: tuple[str, ...] = ()
    anywhere_rules: tuple[str, ...] = ()


def _read_codebook_text(codebook: str | os.PathLike[str] | None) -> str:
    if codebook is None:
        return (resources.files("analysis") / "resources" / _CODEBOOK_NAME).read_text(encoding="utf-8")
    return Path(codebook).read_text(encoding="utf-8-sig")


def _expand(rule: str, macros: Mapping[str, str]) -> str:
    for name, value in macros.items():
        rule = rule.replace("{" + name + "}", value)
    return rule


def _compile(rules: list[str], theme_id: str, field: str) -> re.Pattern[str] | None:
    if not rules:
        return None
    for rule in rules:
        try:
            re.compile(rule)
        except re.error as exc:
            raise ValueError(f"codebook theme {theme_id!r}: bad regex in {field}: {rule!r} ({exc})") from exc
    return re.compile("|".join(f"(?:{r})" for r in rules))


def _parse_codebook(spec: Mapping[str, Any]) -> tuple[_Theme, ...]:
    if not isinstance(spec, Mapping) or not isinstance(spec.get("themes"), list):
        raise ValueError("codebook must be a mapping with a 'themes' list")
    macros = {str(k): str(v) for k, v in (spec.get("macros") or {}).items()}
    themes: list[_Theme] = []
    seen: set[str] = set()
    for entry in spec["themes"]:
        tid = str(entry.get("id", "")).strip()
        if not tid or tid == UNCODED or THEME_SEP in tid or tid in seen:
            raise ValueError(f"codebook: invalid or duplicate theme id {tid!r}")
        seen.add(tid)
        headline = [_expand(str(r), macros) for r in entry.get("headline") or []]
        keywords = [re.escape(unicodedata.normalize("NFKC", str(k))) for k in entry.get("keywords") or []]
        patterns = [_expand(str(r), macros) for r in entry.get("patterns") or []]
        if not (headline or keywords or patterns):
            raise ValueError(f"codebook theme {tid!r} has no rules")
        themes.append(
            _Theme(
                id=tid,
                label_zh=str(entry.get("label_zh", tid)),
                label_en=str(entry.get("label_en", tid)),
                definition=" ".join(str(entry.get("definition", "")).split()),
                example=str(entry.get("example", "")),
                example_source=str(entry.get("example_source", "")),
                headline=_compile(headline, tid, "headline"),
                anywhere=_compile(keywords + patterns, tid, "keywords/patterns"),
                n_rules=len(headline) + len(keywords) + len(patterns),
                headline_rules=tuple(headline),
                anywhere_rules=tuple(keywords + patterns),
            )
        )
    return tuple(themes)


@functools.lru_cache(maxsize=8)
def _codebook_from_text(text: str) -> tuple[_Theme, ...]:
    return _parse_codebook(yaml.safe_load(text))


def _themes(codebook: str | os.PathLike[str] | Mapping[str, Any] | None) -> tuple[_Theme, ...]:
    if isinstance(codebook, Mapping):
        return _parse_codebook(codebook)
    return _codebook_from_text(_read_codebook_text(codebook))


def load_codebook(codebook: str | os.PathLike[str] | Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Return the problem-theme codebook as a table.

    Parameters
    ----------
    codebook
        ``None`` for the packaged ``analysis/resources/problem_themes.yaml``, a path
        to a YAML file of the same form, or the parsed mapping.

    Returns
    -------
    pandas.DataFrame
        One row per theme, in codebook order: ``theme``, ``label_zh``,
        ``label_en``, ``definition``, ``n_rules``, ``example``, ``example_source``.

    Examples
    --------
    >>> cb = load_codebook()
    >>> cb.loc[0, "theme"], cb.loc[0, "label_en"]
    ('staffing', 'Staffing and legal expertise')
    """
    themes = _themes(codebook)
    return pd.DataFrame(
        {
            "theme": [t.id for t in themes],
            "label_zh": [t.label_zh for t in themes],
            "label_en": [t.label_en for t in themes],
            "definition": [t.definition for t in themes],
            "n_rules": [t.n_rules for t in themes],
            "example": [t.example for t in themes],
            "example_source": [t.example_source for t in themes],
        }
    )


def _labels(themes: tuple[_Theme, ...]) -> dict[str, tuple[str, str]]:
    out = {t.id: (t.label_zh, t.label_en) for t in themes}
    out[UNCODED] = ("未编码", "Uncoded")
    return out


# ---------------------------------------------------------------------------
# coding


def _norm(text: object) -> str:
    if text is None or (isinstance(text, float) and np.isnan(text)) or text is pd.NA:
        return ""
    return unicodedata.normalize("NFKC", str(text))


def _hits(pattern: re.Pattern[str] | None, text: str) -> list[str]:
    if pattern is None or not text:
        return []
    return [m.group(0) for m in pattern.finditer(text) if m.group(0)]


# ---------------------------------------------------------------------------
# fast coding: a literal pre-filter in front of the theme regexes
#
# _code_one runs two alternations per theme over every item (about 60 regex scans per
# item), and almost all of them find nothing. Most rules cannot match unless the text
# contains certain literal strings: "专业(?:人才|…){w}{0,8}{deficit}" needs "专业" AND one of
# the deficit words. _Matcher derives these requirements from the parsed rules, finds the
# required strings present in all items at once (numpy, over the characters), and runs, per
# theme, only the rules whose requirements are met. The result is exactly _code_one's: a
# rule that cannot match anywhere in the text wins no alternative of the alternation at
# any position, so leaving it out changes no match of finditer (only group 0 is read; a
# field whose rules use backreferences, whose group numbers would shift, is run whole).

try:  # the standard library's regex parser: private, used only to derive the pre-filter
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - without it every field is run whole: same results
    _sre = _sre_parse = None  # type: ignore[assignment]

#: Cap on the strings an exact sub-pattern expands to ("(?:a|b)(?:c|d)" -> 4 strings).
_MAX_EXACT = 64
#: Cap on the remembered plans (rules to run) per field.
_MAX_PLANS = 4096
# a backreference or a conditional on a group: group numbers must not shift
_GROUP_REF = re.compile(r"\\[1-9]|\(\?P=|\(\?\(")
# code points fit in 21 bits: a pair of characters is one integer
_CP_BITS = 21


def _exact(items: Any) -> frozenset[str] | None:
    """The finite set of strings a parsed sequence matches when it is made only of
    literals, classes of literals, plain groups and alternations of them, e.g.
    {"不规范", "不严谨"} for "不(?:规范|严谨)"; else (or beyond _MAX_EXACT strings) None."""
    out = {""}
    for op, av in items:
        strings: set[str] | frozenset[str] | None
        if op is _sre.LITERAL:
            strings = {chr(av)}
        elif op is _sre.IN and all(kind is _sre.LITERAL for kind, _ in av):
            strings = {chr(c) for _, c in av}
        elif op is _sre.SUBPATTERN and not av[1] and not av[2]:  # a group without scoped flags
            strings = _exact(av[3].data)
        elif op is _sre.BRANCH:
            alts = [_exact(alt.data) for alt in av[1]]
            strings = None if any(a is None for a in alts) else set().union(*alts)  # type: ignore[arg-type]
        else:
            return None
        if strings is None:
            return None
        out = {a + b for a in out for b in strings}
        if len(out) > _MAX_EXACT:
            return None
    return frozenset(out)


def _strength(need: frozenset[str]) -> tuple[int, int, list[str]]:
    """How selective a literal set is: longer shortest string, then fewer strings (then
    the strings themselves, for a deterministic choice)."""
    return min(map(len, need)), -len(need), sorted(need)


def _needs(items: Any) -> list[frozenset[str]]:
    """Literal sets such that every match of a parsed sequence contains a string of each,
    e.g. [{"专业"}, {"不足", "不够", …}] for "专业{w}{0,8}{deficit}". Only what the match
    itself consumes counts; assertions, optional parts and wildcards need nothing."""
    needs: list[frozenset[str]] = []
    run: frozenset[str] | None = None  # the strings the current run of exact items matches
    for item in items:
        strings = _exact([item])
        if strings is not None:  # consecutive exact items: their concatenations
            joined = strings if run is None else frozenset(a + b for a in run for b in strings)
            if run is not None and len(joined) > _MAX_EXACT:
                needs.append(run)
                joined = strings
            run = joined
            continue
        if run is not None:
            needs.append(run)
            run = None
        op, av = item
        if op is _sre.SUBPATTERN and not av[1] and not av[2]:
            needs += _needs(av[3].data)
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT) and av[0] >= 1:
            needs += _needs(av[2].data)
        elif op is _sre.ATOMIC_GROUP:
            needs += _needs(av.data)
        elif op is _sre.BRANCH:
            alts = [_needs(alt.data) for alt in av[1]]
            if all(alts):  # each alternative needs something: one of their strongest sets
                needs.append(frozenset().union(*(max(a, key=_strength) for a in alts)))
    if run is not None:
        needs.append(run)
    return [n for n in needs if "" not in n]


def _rule_needs(rule: str) -> frozenset[frozenset[str]] | None:
    """The literal sets a rule needs (see _needs), those with a string shorter than two
    characters left out (too common to filter anything); None when it needs nothing known
    (it is always run)."""
    parsed = _sre_parse.parse(rule)
    if parsed.state.flags & re.IGNORECASE:
        return None
    needs = frozenset(n for n in _needs(parsed.data) if min(map(len, n)) >= 2)
    return needs or None


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
        _sre_parse is None
        or pattern is None
        or not rules
        # the alternation _compile builds, with the default flags: it is made of these rules
        or pattern.pattern != "|".join(f"(?:{r})" for r in rules)
        or pattern.flags != re.compile("").flags
        or any(_GROUP_REF.search(r) for r in rules)
    ):
        return _Field(pattern)
    try:  # every rule parses on its own, so it is one whole alternative of the pattern
        needs = tuple(_rule_needs(r) for r in rules)
        empty = any(_sre_parse.parse(r).getwidth()[0] == 0 for r in rules)
    except Exception:  # noqa: BLE001 - a rule the parser rejects alone: run the field whole
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
    strongest literal set (``_strength``) of one of its rules is met, and of its rules
    those whose sets are all met are run (:meth:`hits`)."""

    def __init__(self, themes: tuple[_Theme, ...]) -> None:
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
                    key = max(needs, key=_strength)
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
        # a headline the full text starts with (as _statement builds it) holds no literal the
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
def _matcher(themes: tuple[_Theme, ...]) -> _Matcher:
    return _Matcher(themes)


def _code_one(themes: tuple[_Theme, ...], headline: str, full: str) -> tuple[str, int, str]:
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


def _norm_values(column: pd.Series) -> list[str]:
    """``column.map(_norm).tolist()``, without the intermediate Series (a categorical
    column keeps ``map``, which works on its categories)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.map(_norm).tolist()
    return [_norm(v) for v in column.tolist()]


def _join_statements(text: list[str], body: list[str]) -> list[str]:
    return [b if (t and b.startswith(t)) else (t + "\n" + b if b else t) for t, b in zip(text, body)]


def _statement(frame: pd.DataFrame, *, text_col: str = "text", body_col: str = "body") -> pd.Series:
    """Headline plus body (body alone when it already starts with the headline)."""
    text = frame[text_col].map(_norm) if text_col in frame else pd.Series("", index=frame.index)
    if body_col not in frame:
        return text
    body = frame[body_col].map(_norm)
    return pd.Series(_join_statements(text.tolist(), body.tolist()), index=frame.index, dtype=object)


def code_problems(
    problems: pd.DataFrame,
    *,
    codebook: str | os.PathLike[str] | Mapping[str, Any] | None = None,
    text_col: str = "text",
    body_col: str = "body",
) -> pd.DataFrame:
    """Code each shortcoming item with the themes of a transparent codebook.

    A theme is assigned when any of its rules fires: a ``headline`` regex in the
    item's headline sentence (``text``), or a ``keywords`` string / ``patterns``
    regex in headline + ``body`` (see the comments at the top of
    ``analysis/resources/problem_themes.yaml``).  Matching runs on NFKC-normalised
    text, so raw pages with full-width ，（）：１２３ code the same as the
    normalised corpus text.  Items no theme matches are kept as ``"uncoded"``.

    Parameters
    ----------
    problems
        At least ``text``; usually the output of ``analysis.extract_problems``
        (``doc_id``, ``item``, ``text``, ``body``, ``start``, ``end``).
    codebook
        ``None`` (packaged codebook), a YAML path, or a parsed mapping.
    text_col, body_col
        Column names of the headline and the body (the body is optional).

    Returns
    -------
    pandas.DataFrame
        The input columns plus ``themes`` (theme ids joined by ``"|"`` in codebook
        order, or ``"uncoded"``), ``n_themes`` (int) and ``matched`` (the rule
        hits that fired, per theme: ``"theme:「hit」「hit」; theme2:「hit」"``), for
        auditing.  Same index and row order as the input.

    Examples
    --------
    >>> items = pd.DataFrame({"doc_id": ["a", "a"], "item": [1, 2],
    ...                       "text": ["法治队伍人员力量不足。", "今年天气晴朗。"]})
    >>> code_problems(items)["themes"].tolist()
    ['staffing', 'uncoded']
    """
    if text_col not in problems.columns:
        raise KeyError(f"code_problems needs a {text_col!r} column")
    matcher = _matcher(_themes(codebook))
    out = problems.copy()
    # plain lists (as _statement builds it, without its intermediate Series)
    headline = _norm_values(out[text_col])
    full = _join_statements(headline, _norm_values(out[body_col])) if body_col in out else headline
    coded = matcher.code_all(headline, full)
    out["themes"] = pd.array([c[0] for c in coded], dtype="str")
    out["n_themes"] = np.array([c[1] for c in coded], dtype="int64")
    out["matched"] = pd.array([c[2] for c in coded], dtype="str")
    return out


def _split_themes(value: object) -> list[str]:
    s = _norm(value).strip()
    if not s:
        return []
    return [p.strip() for p in re.split(r"[|;,、，;]", s) if p.strip()]


def themes_long(
    coded: pd.DataFrame, *, codebook: str | os.PathLike[str] | Mapping[str, Any] | None = None
) -> pd.DataFrame:
    """One row per item and theme (``uncoded`` items keep one ``uncoded`` row).

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``item`` (when present), ``theme``, ``label_zh``, ``label_en``,
        plus ``start``/``end`` when present; rows in input order, themes in
        codebook order.

    Examples
    --------
    >>> coded = pd.DataFrame({"doc_id": ["a"], "item": [1], "themes": ["staffing|innovation"]})
    >>> themes_long(coded)["theme"].tolist()
    ['staffing', 'innovation']
    """
    labels = _labels(_themes(codebook))
    keep = [c for c in ("doc_id", "item", "start", "end") if c in coded.columns]
    base = coded[keep].copy()
    base["theme"] = coded["themes"].map(lambda v: _split_themes(v) or [UNCODED])
    long = base.explode("theme", ignore_index=True)
    long["label_zh"] = long["theme"].map(lambda t: labels.get(t, (t, t))[0])
    long["label_en"] = long["theme"].map(lambda t: labels.get(t, (t, t))[1])
    cols = [c for c in ("doc_id", "item") if c in long] + ["theme", "label_zh", "label_en"]
    cols += [c for c in ("start", "end") if c in long]
    return long[cols].astype({"theme": "str", "label_zh": "str", "label_en": "str"})


# ---------------------------------------------------------------------------
# recurrence


def _report_frame(coded: pd.DataFrame, corpus: pd.DataFrame | None) -> pd.DataFrame:
    """One row per report with its metadata (from corpus when given)."""
    if corpus is not None:
        reports = corpus.drop(columns=[c for c in ("text", "chrome") if c in corpus.columns])
        if "status" in reports.columns:
            reports = reports[reports["status"].astype(str) != "error"]
        return reports.drop_duplicates("doc_id").reset_index(drop=True)
    meta = [c for c in coded.columns if c not in ("item", "text", "body", "start", "end", "themes", "matched")]
    return coded[meta].drop_duplicates("doc_id").reset_index(drop=True)


def _with_groups(coded: pd.DataFrame, reports: pd.DataFrame, by: str) -> pd.DataFrame:
    long = themes_long(coded)
    if by == "doc_id":
        long["_group"] = long["doc_id"]
        return long
    if by in coded.columns:
        groups = coded[["doc_id", by]].drop_duplicates("doc_id")
    elif by in reports.columns:
        groups = reports[["doc_id", by]]
    else:
        raise KeyError(f"group column {by!r} is in neither the coded items nor the corpus")
    return long.merge(groups.rename(columns={by: "_group"}), on="doc_id", how="left")


def _theme_order(codebook: Any) -> list[str]:
    return [t.id for t in _themes(codebook)] + [UNCODED]


def theme_matrix(
    coded: pd.DataFrame,
    *,
    corpus: pd.DataFrame | None = None,
    by: str = "doc_id",
    value: str = "items",
    codebook: str | os.PathLike[str] | Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Theme x group matrix (groups: reports by default).

    Parameters
    ----------
    coded
        Output of :func:`code_problems` (needs ``doc_id`` and ``themes``).
    corpus
        Optional ``load_corpus`` table: adds reports with no coded item as
        all-zero columns, and metadata columns to group by (``report_year``,
        ``issuer_type``, ``province`` ...).
    by
        Column to group reports by (``doc_id`` = one column per report).
    value
        ``"items"``: number of items coded with the theme; ``"reports"``: number
        of reports in the group with at least one such item; ``"share"``: that
        number divided by the number of reports in the group.

    Returns
    -------
    pandas.DataFrame
        Index ``theme`` (every codebook theme in codebook order, then
        ``uncoded``), one column per group value (sorted); int64 counts or float
        shares.

    Examples
    --------
    >>> coded = pd.DataFrame({"doc_id": ["a", "a", "b"], "themes": ["staffing", "staffing|innovation", "uncoded"]})
    >>> m = theme_matrix(coded)
    >>> int(m.loc["staffing", "a"]), int(m.loc["uncoded", "b"])
    (2, 1)
    """
    if value not in ("items", "reports", "share"):
        raise ValueError("value must be 'items', 'reports' or 'share'")
    reports = _report_frame(coded, corpus)
    long = _with_groups(coded, reports, by)
    if by == "doc_id":
        all_groups = reports["doc_id"]
        sizes = pd.Series(1, index=reports["doc_id"].astype(str))
    else:
        if by in reports.columns:
            rg = reports[["doc_id", by]]
        else:
            rg = coded[["doc_id", by]].drop_duplicates("doc_id")
        all_groups = rg[by]
        sizes = rg.dropna(subset=[by]).groupby(rg[by].dropna().astype(str)).size()
    groups = sorted({str(g) for g in all_groups.dropna()} | {str(g) for g in long["_group"].dropna()})
    long = long.dropna(subset=["_group"]).assign(_group=lambda d: d["_group"].astype(str))
    if value == "items":
        counts = long.groupby(["theme", "_group"]).size()
    else:
        counts = long.drop_duplicates(["theme", "doc_id"]).groupby(["theme", "_group"]).size()
    matrix = counts.unstack("_group").reindex(index=_theme_order(codebook), columns=groups).fillna(0)
    matrix = matrix.astype("int64")
    if value == "share":
        denom = sizes.reindex(groups).astype(float).to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            matrix = (matrix / np.where(denom > 0, denom, np.nan)).round(4)
    matrix.index.name = "theme"
    matrix.columns.name = by
    return matrix


def theme_recurrence(
    coded: pd.DataFrame,
    *,
    corpus: pd.DataFrame | None = None,
    by: str = "doc_id",
    codebook: str | os.PathLike[str] | Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """How often each theme recurs across reports and report years.

    Parameters
    ----------
    coded
        Output of :func:`code_problems`.
    corpus
        Optional ``load_corpus`` table; gives ``report_year`` and the number of
        reports (reports with status ``error`` excluded) for ``share_reports``.
        Without it, ``report_year`` is taken from ``coded`` if present.
    by
        Grouping of the matrix columns appended on the right (see
        :func:`theme_matrix`).

    Returns
    -------
    pandas.DataFrame
        One row per theme: ``theme``, ``label_zh``, ``label_en``, ``n_items``
        (items coded with it), ``n_reports`` (reports with at least one),
        ``share_reports`` (of all reports), ``n_years`` and ``years`` (distinct
        report years, ``"|"``-joined; 0 and ``""`` when years are unknown),
        followed by one column per group holding item counts.  Sorted by
        ``n_reports`` then ``n_items`` (descending), ties in codebook order;
        ``uncoded`` last.

    Examples
    --------
    >>> coded = pd.DataFrame({"doc_id": ["a", "b", "b"], "item": [1, 1, 2],
    ...                       "themes": ["staffing", "staffing", "innovation"]})
    >>> rec = theme_recurrence(coded)
    >>> print(rec[["theme", "n_reports", "n_items"]].head(2).to_string(index=False))
         theme  n_reports  n_items
      staffing          2        2
    innovation          1        1
    """
    themes = _themes(codebook)
    labels = _labels(themes)
    order = _theme_order(codebook)
    reports = _report_frame(coded, corpus)
    long = themes_long(coded, codebook=codebook)
    if "report_year" in reports.columns:
        long = long.merge(reports[["doc_id", "report_year"]], on="doc_id", how="left")
    elif "report_year" in coded.columns:
        long = long.merge(coded[["doc_id", "report_year"]].drop_duplicates("doc_id"), on="doc_id", how="left")
    else:
        long["report_year"] = pd.NA
    n_total = int(reports["doc_id"].nunique())
    rows = []
    for theme in order:
        sub = long[long["theme"] == theme]
        years = sorted({int(y) for y in sub["report_year"].dropna()})
        n_rep = int(sub["doc_id"].nunique())
        rows.append(
            {
                "theme": theme,
                "label_zh": labels[theme][0],
                "label_en": labels[theme][1],
                "n_items": int(len(sub)),
                "n_reports": n_rep,
                "share_reports": round(n_rep / n_total, 4) if n_total else float("nan"),
                "n_years": len(years),
                "years": THEME_SEP.join(str(y) for y in years),
            }
        )
    summary = pd.DataFrame(rows).astype({"theme": "str", "label_zh": "str", "label_en": "str", "years": "str"})
    matrix = theme_matrix(coded, corpus=corpus, by=by, codebook=codebook)
    matrix = matrix.rename(columns=lambda c: str(c)).reset_index()
    clash = set(matrix.columns[1:]) & set(summary.columns)
    if clash:
        matrix = matrix.rename(columns={c: f"{by}={c}" for c in clash})
    out = summary.merge(matrix, on="theme", how="left")
    out["_uncoded"] = out["theme"] == UNCODED
    out["_order"] = [order.index(t) for t in out["theme"]]
    out = out.sort_values(
        ["_uncoded", "n_reports", "n_items", "_order"], ascending=[True, False, False, True], kind="stable"
    )
    return out.drop(columns=["_uncoded", "_order"]).reset_index(drop=True)


def _group_labels(groups: list[str], reports: pd.DataFrame, by: str) -> list[str]:
    """Column labels: "issuer / year" for reports, "value (n=k)" for groups of reports."""
    if by != "doc_id":
        if by not in reports.columns:
            return groups
        sizes = reports.dropna(subset=[by]).groupby(reports[by].dropna().astype(str)).size()
        return [f"{g} (n={int(sizes.get(g, 0))})" for g in groups]
    if not {"issuer", "report_year"} <= set(reports.columns):
        return groups
    meta = reports.set_index(reports["doc_id"].astype(str))
    labels = []
    for g in groups:
        if g not in meta.index:
            labels.append(g)
            continue
        issuer = _norm(meta.at[g, "issuer"]) or g
        year = meta.at[g, "report_year"]
        short = issuer if len(issuer) <= 12 else "…" + issuer[-11:]
        labels.append(f"{short} {'' if pd.isna(year) else int(year)}".strip())
    return labels


def plot_theme_heatmap(
    coded: pd.DataFrame,
    *,
    corpus: pd.DataFrame | None = None,
    by: str = "doc_id",
    value: str = "items",
    label: str = "zh",
    max_groups: int = 40,
    drop_empty: bool = False,
    codebook: str | os.PathLike[str] | Mapping[str, Any] | None = None,
) -> Figure:
    """Heatmap of themes (rows) by report or group (columns).

    Parameters
    ----------
    coded, corpus, by, value, codebook
        As in :func:`theme_matrix`.  With ``by="doc_id"`` and a corpus holding
        ``issuer`` and ``report_year``, columns are labelled "issuer / year".
    label
        ``"zh"`` (Chinese theme labels, default), ``"en"`` or ``"id"``.
    max_groups
        At most this many columns: groups with the most coded items are kept
        (ties by name) and the title says how many were left out.  For large
        corpora group by ``report_year`` or ``issuer_type`` instead.
    drop_empty
        Drop themes with no item anywhere.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    from analysis.plots.fonts import use_cjk_font

    use_cjk_font()
    themes = _themes(codebook)
    labels = _labels(themes)
    matrix = theme_matrix(coded, corpus=corpus, by=by, value=value, codebook=codebook)
    if drop_empty:
        matrix = matrix[matrix.fillna(0).sum(axis=1) > 0]
    n_all = matrix.shape[1]
    if n_all > max_groups:
        totals = matrix.fillna(0).sum(axis=0)
        keep = sorted(matrix.columns, key=lambda c: (-totals[c], c))[:max_groups]
        matrix = matrix[sorted(keep)]
    reports = _report_frame(coded, corpus)
    xlabels = _group_labels([str(c) for c in matrix.columns], reports, by)
    key = {"zh": 0, "en": 1}.get(label)
    ylabels = [labels[t][key] if key is not None else t for t in matrix.index]
    data = matrix.to_numpy(dtype=float)
    if data.shape[1] == 0:
        fig, ax = plt.subplots(figsize=(4, 2))
        ax.set_axis_off()
        ax.text(0.5, 0.5, "no reports to show", ha="center", va="center")
        return fig
    width = min(2.0 + 0.75 * max(1, matrix.shape[1]), 24.0)
    height = 1.2 + 0.38 * max(1, matrix.shape[0])
    fig, ax = plt.subplots(figsize=(width, height))
    if value == "share":
        vmax = 1.0
    else:
        vmax = float(np.nanmax(data)) if data.size and np.nanmax(data) > 0 else 1.0
    im = ax.imshow(np.nan_to_num(data), aspect="auto", cmap="Blues", vmin=0, vmax=vmax)
    upright = matrix.shape[1] <= 8 and max((len(x) for x in xlabels), default=0) <= 10
    ax.set_xticks(range(matrix.shape[1]), labels=xlabels, rotation=0 if upright else 50,
                  ha="center" if upright else "right", rotation_mode="anchor", fontsize=8)
    ax.set_yticks(range(matrix.shape[0]), labels=ylabels, fontsize=9)
    for i in range(data.shape[0]):
        for j in range(data.shape[1]):
            v = data[i, j]
            if v and not np.isnan(v):
                text = f"{v:.0%}" if value == "share" else f"{int(v)}"
                ax.text(j, i, text, ha="center", va="center", fontsize=7,
                        color="white" if v > 0.6 * vmax else "black")
    what = {"items": "items coded", "reports": "reports", "share": "share of reports"}[value]
    title = f"Shortcoming themes by {'report' if by == 'doc_id' else by} ({what})"
    if n_all > max_groups:
        title += f"; {max_groups} of {n_all} groups shown"
    ax.set_title(title, fontsize=10)
    bar = fig.colorbar(im, ax=ax, fraction=0.03, pad=0.02)
    if value != "share":
        from matplotlib.ticker import MaxNLocator

        bar.locator = MaxNLocator(integer=True)
        bar.update_ticks()
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------------------
# persistence


def theme_persistence(
    coded: pd.DataFrame,
    corpus: pd.DataFrame,
    *,
    by: str = "issuer",
    codebook: str | os.PathLike[str] | Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Whether an issuer's themes recur from one report year to the next.

    For every issuer (``by``) with reports for two or more years, each pair of
    successive report years (``year_from`` < ``year_to``, no year in between in
    the corpus) is compared theme by theme.  Reports without any extracted item
    still count (their themes are all absent); several reports of one issuer
    in one year are pooled.  ``uncoded`` is not a theme and is left out.

    Parameters
    ----------
    coded
        Output of :func:`code_problems` (``doc_id``, ``themes``).
    corpus
        Table with ``doc_id``, ``report_year`` and the ``by`` column.
    by
        Column identifying the issuer (default ``issuer``).

    Returns
    -------
    pandas.DataFrame
        One row per issuer, year pair and theme present in either year:
        ``issuer`` (the ``by`` value), ``theme``, ``label_zh``, ``year_from``,
        ``year_to``, ``consecutive`` (years adjacent), ``in_from``, ``in_to``,
        ``recurs`` (present in both years AND consecutive), ``docs_from``,
        ``docs_to`` (doc_ids, ``"|"``-joined).  Sorted by issuer, year_from,
        codebook order.  Empty (same columns) when no issuer has two years.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a", "b"], "issuer": ["X街道", "X街道"], "report_year": [2022, 2023]})
    >>> coded = pd.DataFrame({"doc_id": ["a", "b"], "themes": ["staffing", "staffing|innovation"]})
    >>> theme_persistence(coded, corpus)[["theme", "recurs"]].values.tolist()
    [['staffing', True], ['innovation', False]]
    """
    cols = ["issuer", "theme", "label_zh", "year_from", "year_to", "consecutive",
            "in_from", "in_to", "recurs", "docs_from", "docs_to"]
    missing = {"doc_id", "report_year", by} - set(corpus.columns)
    if missing:
        raise KeyError(f"theme_persistence needs corpus columns {sorted(missing)}")
    themes = _themes(codebook)
    labels = _labels(themes)
    order = [t.id for t in themes]
    reports = _report_frame(coded, corpus)[["doc_id", by, "report_year"]].dropna()
    reports = reports.assign(report_year=reports["report_year"].astype(int), _key=reports[by].astype(str))
    long = themes_long(coded, codebook=codebook)
    present = long[long["theme"] != UNCODED].groupby("doc_id")["theme"].agg(set).to_dict()
    rows: list[dict[str, Any]] = []
    n_years = reports.groupby("_key")["report_year"].nunique()
    multi = reports[reports["_key"].isin(n_years[n_years >= 2].index)]
    for key, sub in multi.groupby("_key", sort=True):
        years = sorted(sub["report_year"].unique())
        per_year: dict[int, tuple[set[str], list[str]]] = {}
        for y in years:
            docs = sorted(sub.loc[sub["report_year"] == y, "doc_id"].astype(str))
            found: set[str] = set()
            for d in docs:
                found |= present.get(d, set())
            per_year[y] = (found, docs)
        for y0, y1 in zip(years[:-1], years[1:]):
            (t0, d0), (t1, d1) = per_year[y0], per_year[y1]
            for theme in order:
                if theme not in t0 and theme not in t1:
                    continue
                rows.append(
                    {
                        "issuer": key,
                        "theme": theme,
                        "label_zh": labels[theme][0],
                        "year_from": int(y0),
                        "year_to": int(y1),
                        "consecutive": bool(y1 - y0 == 1),
                        "in_from": theme in t0,
                        "in_to": theme in t1,
                        "recurs": bool(theme in t0 and theme in t1 and y1 - y0 == 1),
                        "docs_from": THEME_SEP.join(d0),
                        "docs_to": THEME_SEP.join(d1),
                    }
                )
    out = pd.DataFrame(rows, columns=cols)
    return out.astype({"year_from": "int64", "year_to": "int64", "consecutive": bool,
                       "in_from": bool, "in_to": bool, "recurs": bool})


# ---------------------------------------------------------------------------
# items of a part (plans, measures)


def _nesting(rows: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(is_leaf, has_parent) for every row, by span containment within each doc.

    Rows are sorted by (doc, start, -end); a row has a child when the next row of
    the same doc starts inside it, and a parent when an earlier row of the same
    doc ends after its start.  Vectorised: no per-report loop.
    """
    g = rows[["doc_id", "start", "end"]].assign(_neg=-rows["end"], _doc=rows["doc_id"].astype(str))
    g = g.sort_values(["_doc", "start", "_neg"], kind="stable")
    same_next = g["_doc"].shift(-1) == g["_doc"]
    child = same_next & (g["start"].shift(-1) < g["end"]) & ~(
        (g["start"].shift(-1) == g["start"]) & (g["end"].shift(-1) == g["end"])
    )
    prev_max = g.groupby("_doc", sort=False)["end"].cummax().groupby(g["_doc"], sort=False).shift(1)
    parent = (g["start"] < prev_max).fillna(False)
    return (~child).reindex(rows.index).astype(bool), parent.reindex(rows.index).astype(bool)


def _is_signature(line: str) -> bool:
    s = line.strip()
    return bool(_DATE_LINE.match(s) or _ORGAN_LINE.match(s))


def _is_heading_line(line: str, heading: str) -> bool:
    """The line is the section's own heading, e.g. "三、2024年工作计划" for heading "2024年工作计划"."""
    if not heading:
        return False
    def bare(s: str) -> str:
        return _ENUMERATOR.sub("", _norm(s).strip(), count=1).strip().rstrip("。.:;,!?")

    return bare(line) == bare(heading)


def _split_inline(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Split text[lo:hi] at inline enumerators (一是 … 二是 …) when there are two or more.

    Text before the first enumerator (an intro) is not an item.
    """
    seg = text[lo:hi]
    marks = sorted({m.end() - len(m.group(0).lstrip()) for m in _INLINE_ENUM.finditer(seg)})
    if len(marks) < 2:
        return [(lo, hi)]
    out = []
    for a, b in zip(marks, marks[1:] + [len(seg)]):
        piece = seg[a:b]
        stripped = piece.rstrip()
        if stripped.strip():
            out.append((lo + a, lo + a + len(stripped)))
    return out


def _section_items(text: str, heading: str, nested: bool) -> list[tuple[int, int]]:
    """Item spans (relative to ``text``) of one leaf section."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        lead = len(line) - len(line.lstrip())
        body = line.strip()
        if body and not _is_signature(body):
            spans.append((pos + lead, pos + lead + len(body)))
        pos += len(line) + 1
    if not spans:
        return []
    if nested:
        # a numbered sub-section: its heading and body are one item
        return [(spans[0][0], spans[-1][1])]
    if _is_heading_line(text[spans[0][0]:spans[0][1]], heading):
        spans = spans[1:]
    numbered = [bool(_ENUMERATOR.match(text[a:b])) for a, b in spans]
    groups: list[list[int]] = []
    current: list[int] | None = None
    for (a, b), is_num in zip(spans, numbered):
        if is_num:
            current = [a, b]
            groups.append(current)
        elif current is not None:
            current[1] = b  # continuation of the numbered item above
        elif not any(numbered):
            groups.append([a, b])  # unnumbered paragraphs: one item each
        # else: an intro paragraph before the first numbered item -- not an item
    out: list[tuple[int, int]] = []
    for a, b in groups:
        out.extend(_split_inline(text, a, b) if "\n" not in text[a:b] else [(a, b)])
    return out


def _empty_items(cols: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="int64" if c in ("item", "start", "end") else "str") for c in cols})


def part_items(sections: pd.DataFrame, part: str) -> pd.DataFrame:
    """The items of one regulated part (e.g. ``"plans"``, ``"measures"``).

    Items are the deepest sections of the part.  A numbered sub-section (its
    heading plus body) is one item.  A section with no sub-sections is split
    into its numbered paragraphs (一是…, 1、…, (一)…; an unnumbered paragraph
    after a numbered one continues it; an intro paragraph before the first is
    not an item), or into its paragraphs when none is numbered; a single
    paragraph holding two or more inline enumerators (…;二是…) is split at
    them.  The section's own heading line and signature-block lines (issuing
    bodies, a date) are never part of an item.

    Parameters
    ----------
    sections
        Output of ``analysis.parse_sections``: ``doc_id``, ``part``, ``text``,
        ``start``, ``end`` (``text`` is the corpus text from ``start`` to
        ``end``); ``heading`` and ``path`` are used when present.
    part
        The part label to take items from.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``item`` (1..n per report, in text order), ``path`` (of the
        section the item comes from; ``""`` when absent), ``text``, ``start``,
        ``end`` (offsets into the corpus text: ``text == corpus_text[start:end]``).

    Examples
    --------
    >>> sections = pd.DataFrame({"doc_id": ["a", "a"], "part": ["plans", "plans"],
    ...     "heading": ["下一年度工作计划", "加强队伍建设"],
    ...     "text": ["三、下一年度工作计划\\n(一)加强队伍建设\\n充实人员。", "(一)加强队伍建设\\n充实人员。"],
    ...     "start": [0, 11], "end": [27, 27]})
    >>> part_items(sections, "plans")[["item", "text", "start"]].values.tolist()
    [[1, '(一)加强队伍建设\\n充实人员。', 11]]
    """
    cols = ["doc_id", "item", "path", "text", "start", "end"]
    need = {"doc_id", "part", "text", "start", "end"}
    if not need <= set(sections.columns):
        raise KeyError(f"part_items needs section columns {sorted(need)}")
    rows = sections[sections["part"].astype(str) == part]
    if rows.empty:
        return _empty_items(cols)
    rows = rows.assign(start=rows["start"].astype("int64"), end=rows["end"].astype("int64"))
    leaf, nested = _nesting(rows)
    rows = rows[leaf].assign(_nested=nested[leaf], _doc=lambda d: d["doc_id"].astype(str))
    rows = rows.sort_values(["_doc", "start"], kind="stable")
    headings = rows["heading"].map(_norm) if "heading" in rows else pd.Series("", index=rows.index)
    paths = rows["path"].map(_norm) if "path" in rows else pd.Series("", index=rows.index)
    out: list[tuple[str, str, str, int, int]] = []
    for doc, text, start, heading, path, is_nested in zip(
        rows["_doc"], rows["text"], rows["start"], headings, paths, rows["_nested"]
    ):
        text = "" if pd.isna(text) else str(text)
        for a, b in _section_items(text, heading.strip(), bool(is_nested)):
            out.append((doc, path, text[a:b], int(start) + a, int(start) + b))
    if not out:
        return _empty_items(cols)
    frame = pd.DataFrame(out, columns=["doc_id", "path", "text", "start", "end"])
    frame = frame.sort_values(["doc_id", "start"], kind="stable").reset_index(drop=True)
    frame.insert(1, "item", frame.groupby("doc_id", sort=False).cumcount() + 1)
    return frame.astype({"doc_id": "str", "path": "str", "text": "str", "item": "int64",
                         "start": "int64", "end": "int64"})


def plan_items(sections: pd.DataFrame) -> pd.DataFrame:
    """The items of the ``plans`` part (下一年度主要安排); see :func:`part_items`.

    Examples
    --------
    >>> sections = pd.DataFrame({"doc_id": ["a"], "part": ["plans"], "level": [1],
    ...     "heading": ["下一年度工作安排"],
    ...     "text": ["四、下一年度工作安排\\n一是加强执法监督。\\n二是深化普法宣传。"], "start": [5], "end": [35]})
    >>> plan_items(sections)["text"].tolist()
    ['一是加强执法监督。', '二是深化普法宣传。']
    """
    return part_items(sections, "plans")


# ---------------------------------------------------------------------------
# similarity


def _prep(text: str) -> str:
    # "普法宣传形式单一,2023年" -> "普法宣传形式单一 0年"
    return _PUNCT.sub(" ", _DIGITS.sub("0", unicodedata.normalize("NFKC", text))).strip()


def _vectorizer(ngram_range: tuple[int, int]) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=ngram_range,
        preprocessor=_prep,
        sublinear_tf=True,
        norm="l2",
        dtype=np.float64,
    )


def _item_ids(items: pd.DataFrame) -> pd.Series:
    if "item" in items.columns:
        return items["item"]
    if "path" in items.columns:
        return items["path"]
    return pd.Series(range(1, len(items) + 1), index=items.index)


def _block_size(n: int, budget: int = 4_000_000) -> int:
    return max(1, min(n, budget // max(n, 1)))


def _similar_pairs(
    X: Any, docs: np.ndarray, *, threshold: float, top_k: int | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (a < b) of rows of the L2-normalised sparse matrix X from different docs with cosine >= threshold.

    Computed in row blocks of ``X[block] @ X.T`` (sparse), so memory is bounded
    by the block size, never n x n.  With ``top_k``, each row keeps only its
    ``top_k`` best partners (ties by row order) before pairs are merged, so the
    output is at most ``n * top_k`` pairs even when a template is copied into
    thousands of reports.  A pair's score is the larger of its two computed
    values (they can differ in the last bit), so the result is exactly
    symmetric and deterministic.
    """
    n = X.shape[0]
    XT = X.T.tocsc()
    keys: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    step = _block_size(n)
    for lo in range(0, n, step):
        block = (X[lo:lo + step] @ XT).tocoo()
        r = block.row.astype(np.int64) + lo
        c = block.col.astype(np.int64)
        v = block.data
        mask = (c != r) & (v >= threshold - 1e-12)
        r, c, v = r[mask], c[mask], v[mask]
        diff = docs[r] != docs[c]
        r, c, v = r[diff], c[diff], v[diff]
        if top_k is not None and r.size:
            order = np.lexsort((c, -v, r))
            r, c, v = r[order], c[order], v[order]
            first = np.searchsorted(r, r, side="left")
            keep = (np.arange(r.size) - first) < top_k
            r, c, v = r[keep], c[keep], v[keep]
        keys.append(np.minimum(r, c) * n + np.maximum(r, c))
        vals.append(v)
    if not keys:
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64), np.array([], dtype=float)
    key = np.concatenate(keys)
    val = np.concatenate(vals)
    if key.size == 0:
        return key, key.copy(), val
    order = np.lexsort((-val, key))
    key, val = key[order], val[order]
    first = np.ones(key.size, dtype=bool)
    first[1:] = key[1:] != key[:-1]
    key, val = key[first], val[first]
    return key // n, key % n, val


def template_reuse(
    items: pd.DataFrame,
    *,
    threshold: float = REUSE_THRESHOLD,
    ngram_range: tuple[int, int] = (2, 4),
    min_chars: int = 8,
    top_k: int | None = 10,
    text_col: str = "text",
    body_col: str = "body",
) -> pd.DataFrame:
    """Near-duplicate statements across different reports (boilerplate, copying).

    Each item (headline + body when a ``body`` column exists) is turned into a
    TF-IDF vector of character 2- to 4-grams (scikit-learn ``char_wb``; digits
    mapped to ``0`` so that changed years and counts do not hide a template,
    punctuation treated as a break, sublinear tf, IDF fitted on ``items``).
    Pairs of items from **different** reports whose cosine similarity is at
    least ``threshold`` are returned.

    Threshold rationale (default 0.4), measured on full shortcoming items
    (headline + body, 50-250 characters): items of the five seed reports,
    written independently, score at most about 0.12 against each other even
    when they share a topic ("执法水平有待提升" vs "执法专业化水平有待进一步
    提高"); a heavy paraphrase of one item (same points, reworded) about
    0.3-0.37; a rewrite that keeps the template and changes some words
    0.45; a copy with a few words changed about 0.75; a verbatim copy 1.0.
    0.4 thus flags reuse of a template while leaving alone statements that
    merely share a topic.  Short statements (headlines only) share a larger
    part of their n-grams by chance (up to about 0.2 in the seeds), so keep
    the threshold at 0.4 or above for them.  The tests pin these orders of
    magnitude.

    The similarity is computed in row blocks of a sparse product, never as a
    dense n x n matrix, so memory stays bounded on tens of thousands of items,
    and ``top_k`` bounds the output.  Compute still grows with the number of
    item pairs that share some n-gram (in the worst case, every pair): on this
    project's 2-core machine about 6 s for 4,000 items of a synthetic corpus
    made of copies of the same 18 items; split a national corpus by province or
    year when only reuse within a region matters.

    Parameters
    ----------
    items
        ``doc_id`` and ``text`` (problem items from ``extract_problems`` or plan
        items from :func:`plan_items`); ``item``/``path``, ``start``, ``end``
        and ``body`` are used when present.
    threshold
        Minimum cosine similarity, in (0, 1].
    ngram_range
        Character n-gram lengths.
    min_chars
        Statements with fewer characters (after normalising) are skipped.
    top_k
        Each item keeps at most its ``top_k`` most similar partners (``None``:
        all pairs).  A template copied into m reports otherwise yields m(m-1)/2
        pairs; with ``top_k`` the output stays linear in the number of items.

    Returns
    -------
    pandas.DataFrame
        One row per pair, side by side: ``doc_a``, ``item_a``, ``text_a``,
        ``doc_b``, ``item_b``, ``text_b``, ``score`` (rounded to 4 decimals),
        plus ``start_a``, ``end_a``, ``start_b``, ``end_b`` when offsets are
        given.  ``doc_a`` < ``doc_b`` by row order of the input; sorted by score
        (descending), then doc and item.

    Examples
    --------
    >>> items = pd.DataFrame({"doc_id": ["a", "b", "c"], "item": [1, 1, 1], "text": [
    ...     "普法宣传形式单一,针对性和实效性不强。",
    ...     "普法宣传形式较为单一,针对性和实效性还不强。",
    ...     "规范性文件备案工作有待加强。"]})
    >>> template_reuse(items)[["doc_a", "doc_b"]].values.tolist()
    [['a', 'b']]
    """
    if not 0 < threshold <= 1:
        raise ValueError("threshold must be in (0, 1]")
    has_pos = {"start", "end"} <= set(items.columns)
    cols = ["doc_a", "item_a", "text_a", "doc_b", "item_b", "text_b", "score"]
    if has_pos:
        cols += ["start_a", "end_a", "start_b", "end_b"]
    statements = _statement(items, text_col=text_col, body_col=body_col)
    keep = statements.map(lambda s: len(_prep(s).replace(" ", "")) >= min_chars).to_numpy()
    data = items.loc[keep].reset_index(drop=True)
    texts = statements[keep].reset_index(drop=True)
    docs = data["doc_id"].astype(str).to_numpy()
    if len(data) < 2 or len(set(docs)) < 2:
        return _empty_pairs(cols)
    X = _vectorizer(ngram_range).fit_transform(texts.tolist()).tocsr()
    a, b, s = _similar_pairs(X, docs, threshold=threshold, top_k=top_k)
    if a.size == 0:
        return _empty_pairs(cols)
    ids = _item_ids(data).to_numpy()
    out = pd.DataFrame(
        {
            "doc_a": docs[a],
            "item_a": ids[a],
            "text_a": texts.to_numpy()[a],
            "doc_b": docs[b],
            "item_b": ids[b],
            "text_b": texts.to_numpy()[b],
            "score": np.minimum(np.round(s, 4), 1.0),
            "_a": a,
            "_b": b,
        }
    )
    if has_pos:
        st = data["start"].to_numpy()
        en = data["end"].to_numpy()
        out["start_a"], out["end_a"], out["start_b"], out["end_b"] = st[a], en[a], st[b], en[b]
    out = out.sort_values(["score", "_a", "_b"], ascending=[False, True, True], kind="stable")
    out = out.drop(columns=["_a", "_b"]).reset_index(drop=True)
    return out.astype({"doc_a": "str", "doc_b": "str", "text_a": "str", "text_b": "str"})[cols]


def template_clusters(
    items: pd.DataFrame,
    *,
    threshold: float = REUSE_THRESHOLD,
    ngram_range: tuple[int, int] = (2, 4),
    min_chars: int = 8,
    top_k: int | None = 10,
    text_col: str = "text",
    body_col: str = "body",
) -> pd.DataFrame:
    """Group near-duplicate statements into templates (connected pairs of :func:`template_reuse`).

    Two items belong to the same template when a chain of cross-report pairs
    with cosine >= ``threshold`` links them (connected components of the pair
    graph, ``scipy.sparse.csgraph``).  Useful on large corpora, where the pair
    list is long: the templates shared by the most reports are the boilerplate.

    Returns
    -------
    pandas.DataFrame
        The input rows (same order and index) plus ``template`` (an int, numbered
        1.. in order of first appearance; items too short to compare get 0),
        ``template_reports`` (number of distinct reports using the template)
        and ``template_items`` (number of items in it).

    Examples
    --------
    >>> items = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": [
    ...     "普法宣传形式单一,针对性和实效性不强。", "普法宣传形式较为单一,针对性和实效性还不强。", "规范性文件备案工作有待加强。"]})
    >>> template_clusters(items)[["template", "template_reports"]].values.tolist()
    [[1, 2], [1, 2], [2, 1]]
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    out = items.copy()
    statements = _statement(items, text_col=text_col, body_col=body_col)
    keep = statements.map(lambda t: len(_prep(t).replace(" ", "")) >= min_chars).to_numpy()
    pos = np.flatnonzero(keep)
    template = np.zeros(len(items), dtype=np.int64)
    if pos.size:
        docs = items["doc_id"].astype(str).to_numpy()[pos]
        X = _vectorizer(ngram_range).fit_transform(statements.iloc[pos].tolist()).tocsr()
        a, b, _ = _similar_pairs(X, docs, threshold=threshold, top_k=top_k)
        graph = coo_matrix((np.ones(a.size), (a, b)), shape=(pos.size, pos.size))
        _, labels = connected_components(graph, directed=False)
        # renumber components 1.. by first appearance
        first: dict[int, int] = {}
        for lab in labels:
            first.setdefault(int(lab), len(first) + 1)
        template[pos] = [first[int(lab)] for lab in labels]
    out["template"] = template
    frame = pd.DataFrame({"template": template, "doc_id": items["doc_id"].astype(str).to_numpy()})
    reports = frame.groupby("template")["doc_id"].nunique()
    sizes = frame.groupby("template").size()
    out["template_reports"] = np.where(template > 0, reports.reindex(template).to_numpy(), 0).astype(np.int64)
    out["template_items"] = np.where(template > 0, sizes.reindex(template).to_numpy(), 0).astype(np.int64)
    return out


def _empty_pairs(cols: list[str]) -> pd.DataFrame:
    dtypes = {"score": "float64", "start_a": "int64", "end_a": "int64", "start_b": "int64", "end_b": "int64",
              "item_a": "object", "item_b": "object"}
    return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, "str")) for c in cols})


# first sentence of an item, e.g. "(二)提高法治建设水平。落实…" -> "(二)提高法治建设水平"
_FIRST_SENTENCE = re.compile(r"^[^。!?;\n]*")


def _item_themes(items: pd.DataFrame, codebook: Any) -> pd.Series:
    """Themes of plan/measure items: headline rules on the first sentence, the rest on the whole item."""
    if items.empty:
        return pd.Series([], dtype=object)
    frame = pd.DataFrame(
        {"text": items["text"].map(lambda t: _FIRST_SENTENCE.match(_norm(t)).group(0)), "body": items["text"]}
    )
    coded = code_problems(frame, codebook=codebook)
    return coded["themes"].map(lambda v: frozenset(_split_themes(v)) - {UNCODED})


def _link(
    src_vec: Any, src_themes: list[frozenset[str]], tgt_vec: Any, tgt_themes: list[frozenset[str]]
) -> list[tuple[int, float, frozenset[str]]]:
    """For each source row: (best target index, cosine, shared themes); best = most shared themes, then cosine."""
    if tgt_vec.shape[0] == 0:
        return [(-1, 0.0, frozenset())] * src_vec.shape[0]
    S = (src_vec @ tgt_vec.T).toarray()
    out = []
    for i, row in enumerate(S):
        shared = [src_themes[i] & t for t in tgt_themes]
        n_shared = np.array([len(x) for x in shared])
        # lexsort: last key is primary -> most shared themes, then highest cosine, then first item
        order = np.lexsort((np.arange(len(row)), -row, -n_shared))
        j = int(order[0])
        out.append((j, float(row[j]), shared[j]))
    return out


def follow_through(
    problems: pd.DataFrame,
    sections: pd.DataFrame,
    *,
    corpus: pd.DataFrame | None = None,
    threshold: float = FOLLOW_THRESHOLD,
    ngram_range: tuple[int, int] = (2, 4),
    by: str = "issuer",
    codebook: str | os.PathLike[str] | Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Do the plans answer the problems, and does next year deliver the plans?

    1. ``kind == "problem_plan"``: every problem item is matched to an item of
       the **same report's** ``plans`` part (:func:`plan_items`).
    2. ``kind == "plan_measure"`` (only with ``corpus`` holding ``by`` and
       ``report_year``): for an issuer with reports for consecutive years Y and
       Y+1, every plan item of Y is matched to an item of the ``measures`` part
       of Y+1 (:func:`part_items`).

    Two transparent criteria, both reported:

    * ``score``: cosine similarity of character 2-4-gram TF-IDF vectors (as in
      :func:`template_reuse`), the IDF fitted on all problem, plan and measure
      items involved, so that words every statement shares (加强, 进一步, 法治)
      weigh little;
    * ``shared_themes``: codebook themes the two items share.  Problems keep the
      ``themes`` column when they have one (your own coding), else they are
      coded with :func:`code_problems`; plan and measure items are coded with
      the same codebook (headline rules on their first sentence, keywords and
      patterns on the whole item).

    The matched item is the one sharing the most themes, ties (and items with
    none) broken by the highest cosine, then by text order.  ``followed`` is
    True when they share a theme or ``score >= threshold``.  Lexical similarity
    alone misses many real answers -- a problem is worded as a deficit
    ("普法宣传活动形式单一") and its plan as an action ("组织普法进校园、进企业") --
    which is why the themes are used too.

    Threshold rationale (default 0.15): a plan that takes up the problem's own
    words (problem "规范性文件备案工作有待加强", plan "进一步规范党内规范性文件
    备案工作") scores about 0.15-0.4; a plan on another topic in the same
    report usually below 0.08, because only generic n-grams are shared.  It
    is a screening device: read the matched texts before concluding.

    Parameters
    ----------
    problems
        ``doc_id``, ``text`` (and ``item``, ``body``, ``start``, ``end``,
        optionally ``themes``) from ``extract_problems``/:func:`code_problems`.
    sections
        ``parse_sections`` output (``doc_id``, ``part``, ``text``, ``start``,
        ``end``; ``heading``, ``path`` used when present).
    corpus
        Optional ``load_corpus`` table for the year-on-year comparison.
    threshold
        Minimum cosine that counts as ``followed`` without a shared theme.
    by
        Corpus column identifying the issuer.

    Returns
    -------
    pandas.DataFrame
        ``kind``, ``doc_id``, ``item``, ``text``, ``start``, ``end``, ``themes``
        (the problem, or last year's plan item), ``target_doc_id``,
        ``target_item``, ``target_text``, ``target_start``, ``target_end``,
        ``target_themes`` (the matched plan item, or next year's measure; NA
        when there is no candidate), ``shared_themes``, ``score`` (4 decimals;
        0.0 without a candidate), ``followed`` (bool), ``basis`` (``"themes"``,
        ``"text"``, ``"themes+text"`` or ``"none"``).  Problem rows first, in
        input order; then plan rows by issuer and year.

    Examples
    --------
    >>> problems = pd.DataFrame({"doc_id": ["a", "a"], "item": [1, 2],
    ...     "text": ["规范性文件备案工作有待加强", "执法人员数量不足"]})
    >>> sections = pd.DataFrame({"doc_id": ["a"], "part": ["plans"], "heading": ["工作安排"],
    ...     "text": ["三、工作安排\\n一是规范规范性文件备案工作。\\n二是做好信访工作。"], "start": [0], "end": [32]})
    >>> follow_through(problems, sections)[["target_item", "followed"]].values.tolist()
    [[1, True], [1, False]]
    """
    cols = ["kind", "doc_id", "item", "text", "start", "end", "themes", "target_doc_id", "target_item",
            "target_text", "target_start", "target_end", "target_themes", "shared_themes", "score",
            "followed", "basis"]
    plans = plan_items(sections)
    prob = problems.reset_index(drop=True)
    if "themes" not in prob.columns:
        prob = code_problems(prob, codebook=codebook)
    pairs = _year_pairs(corpus, by) if corpus is not None else []
    wanted = {d for _, d1 in pairs for d in d1}
    measures = part_items(sections[sections["doc_id"].astype(str).isin(wanted)], "measures") if wanted else plans.iloc[0:0]
    prob_text = _statement(prob)
    texts = pd.concat([prob_text, plans["text"], measures["text"]], ignore_index=True).map(_norm).tolist()
    if not any(_prep(t) for t in texts):
        return pd.DataFrame(columns=cols)
    # one vocabulary and IDF for every statement involved; rows sliced below
    X = _vectorizer(ngram_range).fit_transform(texts).tocsr()
    n_p, n_l = len(prob), len(plans)
    Xp, Xl, Xm = X[:n_p], X[n_p:n_p + n_l], X[n_p + n_l:]
    prob_themes = prob["themes"].map(lambda v: frozenset(_split_themes(v)) - {UNCODED}).tolist()
    plan_themes = _item_themes(plans, codebook).tolist()
    measure_themes = _item_themes(measures, codebook).tolist()
    order = _theme_order(codebook)
    plan_cols, measure_cols = _columns(plans), _columns(measures)

    rows: list[dict[str, Any]] = []
    prob_ids = _item_ids(prob).tolist()
    plan_docs = plans["doc_id"].astype(str).to_numpy()
    prob_docs = prob["doc_id"].astype(str).to_numpy()
    links: list[tuple[int, float, frozenset[str]]] = [(-1, 0.0, frozenset())] * n_p
    plan_index = _positions(plan_docs)
    for doc, src in _positions(prob_docs).items():
        cand = plan_index.get(doc)
        if cand is None:
            continue
        found = _link(Xp[src], [prob_themes[i] for i in src], Xl[cand], [plan_themes[k] for k in cand])
        for i, (j, score, shared) in zip(src, found):
            links[i] = (int(cand[j]), score, shared)
    starts = prob["start"].tolist() if "start" in prob else [pd.NA] * n_p
    ends = prob["end"].tolist() if "end" in prob else [pd.NA] * n_p
    heads = prob["text"].map(_norm).tolist()
    theme_col = prob["themes"].map(_norm).tolist()
    for i in range(n_p):
        j, score, shared = links[i]
        row = {"kind": "problem_plan", "doc_id": prob_docs[i], "item": prob_ids[i], "text": heads[i],
               "start": starts[i], "end": ends[i], "themes": theme_col[i]}
        row.update(_target(plan_cols, plan_themes, j, score, shared, threshold, order))
        rows.append(row)
    measure_docs = measures["doc_id"].astype(str).to_numpy()
    for d0, d1 in pairs:
        src = np.flatnonzero(np.isin(plan_docs, list(d0)))
        tgt = np.flatnonzero(np.isin(measure_docs, list(d1)))
        if src.size == 0:
            continue
        found = _link(Xl[src], [plan_themes[k] for k in src], Xm[tgt], [measure_themes[k] for k in tgt])
        for k, (j, score, shared) in zip(src, found):
            row = {"kind": "plan_measure", "doc_id": plan_docs[k], "item": plan_cols["item"][k],
                   "text": plan_cols["text"][k], "start": plan_cols["start"][k],
                   "end": plan_cols["end"][k], "themes": _theme_str(plan_themes[k], order) or UNCODED}
            row.update(_target(measure_cols, measure_themes, int(tgt[j]) if j >= 0 else -1, score, shared,
                               threshold, order))
            rows.append(row)
    out = pd.DataFrame(rows, columns=cols)
    out["score"] = out["score"].astype(float).round(4)
    out["followed"] = out["followed"].astype(bool)
    return out.astype({"kind": "str", "doc_id": "str", "text": "str", "themes": "str",
                       "shared_themes": "str", "basis": "str"})


def _positions(keys: np.ndarray) -> dict[str, np.ndarray]:
    """Row positions of each key, keys in first-appearance order (one pass, no per-key scan)."""
    if keys.size == 0:
        return {}
    uniq, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    bounds = np.cumsum(np.bincount(inverse, minlength=uniq.size))[:-1]
    groups = np.split(order, bounds)
    return {str(uniq[k]): groups[k] for k in np.argsort(first, kind="stable")}


def _year_pairs(corpus: pd.DataFrame, by: str) -> list[tuple[set[str], set[str]]]:
    """(docs of year Y, docs of year Y+1) for every issuer with reports for consecutive years."""
    if not {by, "report_year", "doc_id"} <= set(corpus.columns):
        return []
    meta = corpus[["doc_id", by, "report_year"] + (["status"] if "status" in corpus.columns else [])]
    if "status" in meta.columns:
        meta = meta[meta["status"].astype(str) != "error"]
    meta = meta.dropna(subset=["doc_id", by, "report_year"])
    meta = meta.assign(doc_id=meta["doc_id"].astype(str), _key=meta[by].astype(str),
                       report_year=meta["report_year"].astype(int))
    out: list[tuple[set[str], set[str]]] = []
    for _, sub in meta.sort_values(["_key", "report_year", "doc_id"], kind="stable").groupby("_key", sort=True):
        years = sorted(sub["report_year"].unique())
        for y0, y1 in zip(years[:-1], years[1:]):
            if y1 - y0 == 1:
                out.append((set(sub.loc[sub["report_year"] == y0, "doc_id"]),
                            set(sub.loc[sub["report_year"] == y1, "doc_id"])))
    return out


def _theme_str(themes: frozenset[str], order: list[str] | None = None) -> str:
    if not themes:
        return ""
    rank = {t: k for k, t in enumerate(order or [])}
    return THEME_SEP.join(sorted(themes, key=lambda t: (rank.get(t, len(rank)), t)))


def _columns(items: pd.DataFrame) -> dict[str, list[Any]]:
    """Plain lists of the item columns _target reads (fast positional access)."""
    return {
        "doc_id": items["doc_id"].astype(str).tolist(),
        "item": items["item"].tolist(),
        "text": items["text"].astype(str).tolist(),
        "start": items["start"].astype("int64").tolist(),
        "end": items["end"].astype("int64").tolist(),
    }


def _target(
    cand: dict[str, list[Any]], cand_themes: list[frozenset[str]], j: int, score: float, shared: frozenset[str],
    threshold: float, order: list[str],
) -> dict[str, Any]:
    if j < 0:
        return {"target_doc_id": pd.NA, "target_item": pd.NA, "target_text": pd.NA, "target_start": pd.NA,
                "target_end": pd.NA, "target_themes": pd.NA, "shared_themes": "", "score": 0.0,
                "followed": False, "basis": "none"}
    by_text = score >= threshold
    basis = "themes+text" if shared and by_text else "themes" if shared else "text" if by_text else "none"
    return {
        "target_doc_id": cand["doc_id"][j],
        "target_item": cand["item"][j],
        "target_text": cand["text"][j],
        "target_start": cand["start"][j],
        "target_end": cand["end"][j],
        "target_themes": _theme_str(cand_themes[j], order),
        "shared_themes": _theme_str(shared, order),
        "score": round(score, 4),
        "followed": bool(shared) or by_text,
        "basis": basis,
    }


# ---------------------------------------------------------------------------
# reliability


def export_for_coding(
    coded: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    blind: bool = True,
    codebook: str | os.PathLike[str] | Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Write the items to a CSV (UTF-8 with BOM, opens in Excel) for manual coding.

    The coder puts ``1`` in each theme column that applies (blank or ``0``
    otherwise) and may leave a ``note``; :func:`coding_agreement` reads the file
    back.  With ``blind=True`` (default, the usual reliability design) the
    machine's codes are not written, so they cannot anchor the coder.

    Parameters
    ----------
    coded
        Output of :func:`code_problems` (``doc_id``, ``item``, ``text``; ``body``,
        ``start``, ``end`` are written when present).
    path
        Output CSV file; parent folders are created.
    blind
        Leave out the ``machine_themes`` and ``matched`` columns.

    Returns
    -------
    pandas.DataFrame
        The table written: ``doc_id``, ``item``, ``start``, ``end``, ``text``,
        ``body`` (those present), [``machine_themes``, ``matched``], one empty
        column per theme id in codebook order, ``note``.
    """
    themes = _themes(codebook)
    keep = [c for c in ("doc_id", "item", "start", "end", "text", "body") if c in coded.columns]
    out = coded[keep].copy().reset_index(drop=True)
    if not blind:
        out["machine_themes"] = coded["themes"].to_numpy()
        out["matched"] = coded["matched"].to_numpy() if "matched" in coded.columns else ""
    for t in themes:
        out[t.id] = ""
    out["note"] = ""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(target, index=False, encoding="utf-8-sig", lineterminator="\n")
    return out


# a manual code meaning "applies": 1, x, ✓, y, yes, true, 是, 有
_YES = re.compile(r"^\s*(?:1(?:\.0+)?|x|✓|✔|√|y|yes|true|是|有)\s*$", re.IGNORECASE)


def _manual_matrix(manual: pd.DataFrame, theme_ids: list[str]) -> pd.DataFrame:
    wide = [t for t in theme_ids if t in manual.columns]
    if wide:
        return pd.DataFrame(
            {t: manual[t].map(lambda v: bool(_YES.match(_norm(v)))) for t in theme_ids if t in manual.columns}
        ).reindex(columns=theme_ids, fill_value=False)
    col = next((c for c in ("manual_themes", "themes", "codes") if c in manual.columns), None)
    if col is None:
        raise KeyError("manual coding needs theme-id columns (1 = applies) or a 'themes' column")
    sets = manual[col].map(lambda v: set(_split_themes(v)))
    unknown = set().union(*sets) - set(theme_ids) - {UNCODED} if len(sets) else set()
    if unknown:
        raise ValueError(f"manual coding uses theme ids not in the codebook: {sorted(unknown)}")
    return pd.DataFrame({t: sets.map(lambda s, t=t: t in s) for t in theme_ids})


def _kappa(a: np.ndarray, b: np.ndarray) -> float:
    from sklearn.metrics import cohen_kappa_score

    if len(a) == 0:
        return float("nan")
    if len(set(a.tolist()) | set(b.tolist())) < 2:
        return float("nan")  # both coders constant and equal: kappa undefined (agreement is 1)
    return float(cohen_kappa_score(a.astype(int), b.astype(int), labels=[0, 1]))


def coding_agreement(
    coded: pd.DataFrame,
    manual: pd.DataFrame | str | os.PathLike[str],
    *,
    codebook: str | os.PathLike[str] | Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Cohen's kappa between the codebook's coding and a manual coding, per theme.

    Items are matched on ``doc_id`` + ``item``; items coded on one side only
    are left out (``n_items`` says how many were compared).  The manual file
    is either the form written by :func:`export_for_coding` (one column per
    theme id, ``1``/``x``/``✓``/``是`` = applies, blank = not) or has a
    ``themes`` column of ids joined by ``|`` (or ``;`` ``,`` ``、``).

    Parameters
    ----------
    coded
        Output of :func:`code_problems`.
    manual
        The manual coding as a DataFrame or a CSV path (UTF-8, BOM allowed).

    Returns
    -------
    pandas.DataFrame
        One row per codebook theme, then ``overall`` (all item x theme decisions
        pooled): ``theme``, ``label_zh``, ``n_items``, ``machine_yes``,
        ``manual_yes``, ``both_yes``, ``agreement`` (share of equal decisions),
        ``kappa`` (``sklearn.metrics.cohen_kappa_score``; NaN when both codings
        are constant and equal, where kappa is undefined).

    Examples
    --------
    >>> coded = pd.DataFrame({"doc_id": ["a", "a", "b"], "item": [1, 2, 1],
    ...                       "themes": ["staffing", "uncoded", "staffing|innovation"]})
    >>> manual = pd.DataFrame({"doc_id": ["a", "a", "b"], "item": [1, 2, 1],
    ...                        "themes": ["staffing", "", "staffing"]})
    >>> agree = coding_agreement(coded, manual).set_index("theme")
    >>> float(agree.loc["staffing", "kappa"]), float(agree.loc["innovation", "kappa"])
    (1.0, 0.0)
    """
    themes = _themes(codebook)
    ids = [t.id for t in themes]
    labels = _labels(themes)
    if not isinstance(manual, pd.DataFrame):
        manual = pd.read_csv(manual, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    for name, frame in (("coded", coded), ("manual", manual)):
        if not {"doc_id", "item"} <= set(frame.columns):
            raise KeyError(f"{name} needs 'doc_id' and 'item' columns")
    left = coded[["doc_id", "item", "themes"]].assign(
        _key=coded["doc_id"].astype(str) + "\x1f" + coded["item"].astype(str)
    )
    right = manual.reset_index(drop=True)
    right_m = _manual_matrix(right, ids)
    right_m["_key"] = (right["doc_id"].astype(str) + "\x1f" + right["item"].astype(str).str.replace(
        r"\.0+$", "", regex=True)).to_numpy()
    right_m = right_m.drop_duplicates("_key")
    merged = left.merge(right_m, on="_key", how="inner")
    machine = merged["themes"].map(lambda v: set(_split_themes(v)))
    rows = []
    all_m: list[np.ndarray] = []
    all_h: list[np.ndarray] = []
    for t in ids:
        m = machine.map(lambda s, t=t: t in s).to_numpy(dtype=bool)
        h = merged[t].to_numpy(dtype=bool)
        all_m.append(m)
        all_h.append(h)
        rows.append(_agreement_row(t, labels[t][0], m, h))
    m_all = np.concatenate(all_m) if all_m else np.array([], dtype=bool)
    h_all = np.concatenate(all_h) if all_h else np.array([], dtype=bool)
    overall = _agreement_row("overall", "总体", m_all, h_all)
    overall["n_items"] = int(len(merged))
    rows.append(overall)
    return pd.DataFrame(rows).astype({"theme": "str", "label_zh": "str"})


def _agreement_row(theme: str, label: str, m: np.ndarray, h: np.ndarray) -> dict[str, Any]:
    n = int(len(m))
    return {
        "theme": theme,
        "label_zh": label,
        "n_items": n,
        "machine_yes": int(m.sum()),
        "manual_yes": int(h.sum()),
        "both_yes": int((m & h).sum()),
        "agreement": round(float((m == h).mean()), 4) if n else float("nan"),
        "kappa": round(_kappa(m, h), 4) if n else float("nan"),
    }
