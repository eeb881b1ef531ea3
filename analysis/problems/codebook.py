"""The problem-theme codebook: read, check and compile it; theme ids, labels and order.

The codebook (``analysis/resources/problem_themes.yaml``, or the researcher's own YAML file
or mapping) lists themes, each with ``headline`` regexes, ``keywords`` and ``patterns``;
:func:`codebook_themes` compiles it once per text. The other modules of
:mod:`analysis.problems` read themes through the public names here.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

__all__ = [
    "THEME_SEP",
    "UNCODED",
    "Theme",
    "codebook_themes",
    "load_codebook",
    "normalize",
    "read_codebook_text",
    "split_themes",
    "theme_labels",
    "theme_order",
]

#: Label of an item that no theme of the codebook matches (kept, never dropped).
UNCODED = "uncoded"
#: Separator of theme ids in the ``themes`` column.
THEME_SEP = "|"

_CODEBOOK_NAME = "problem_themes.yaml"


@dataclass(frozen=True)
class Theme:
    """One theme of the codebook, its rules compiled (see :func:`codebook_themes`)."""

    id: str
    label_zh: str
    label_en: str
    definition: str
    example: str
    example_source: str
    headline: re.Pattern[str] | None
    anywhere: re.Pattern[str] | None
    n_rules: int
    # the rules ``headline`` / ``anywhere`` alternate, in order (for the pre-filter, analysis.problems.prefilter)
    headline_rules: tuple[str, ...] = ()
    anywhere_rules: tuple[str, ...] = ()


def read_codebook_text(codebook: str | os.PathLike[str] | None) -> str:
    """The codebook file's text: the packaged one for None, else the file at that path."""
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


def _parse_codebook(spec: Mapping[str, Any]) -> tuple[Theme, ...]:
    if not isinstance(spec, Mapping) or not isinstance(spec.get("themes"), list):
        raise ValueError("codebook must be a mapping with a 'themes' list")
    macros = {str(k): str(v) for k, v in (spec.get("macros") or {}).items()}
    themes: list[Theme] = []
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
            Theme(
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
def _codebook_from_text(text: str) -> tuple[Theme, ...]:
    return _parse_codebook(yaml.safe_load(text))


def codebook_themes(codebook: str | os.PathLike[str] | Mapping[str, Any] | None) -> tuple[Theme, ...]:
    """The themes of a codebook (None: the packaged one; a path; a parsed mapping), compiled.
    A file is compiled once per distinct text."""
    if isinstance(codebook, Mapping):
        return _parse_codebook(codebook)
    return _codebook_from_text(read_codebook_text(codebook))


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
    themes = codebook_themes(codebook)
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


def theme_labels(themes: tuple[Theme, ...]) -> dict[str, tuple[str, str]]:
    """Theme id -> (Chinese label, English label), ``uncoded`` included."""
    out = {t.id: (t.label_zh, t.label_en) for t in themes}
    out[UNCODED] = ("未编码", "Uncoded")
    return out


def theme_order(codebook: Any) -> list[str]:
    """Theme ids in codebook order, then ``uncoded``."""
    return [t.id for t in codebook_themes(codebook)] + [UNCODED]


def normalize(text: object) -> str:
    """NFKC-normalised text ("" for a missing value): full-width ，（）：１２３ become ASCII."""
    if text is None or (isinstance(text, float) and np.isnan(text)) or text is pd.NA:
        return ""
    return unicodedata.normalize("NFKC", str(text))


def split_themes(value: object) -> list[str]:
    """Theme ids of a ``themes`` cell, e.g. ["staffing", "innovation"] for "staffing|innovation"
    (also split at ``;`` ``,`` ``、``, as coders write them)."""
    s = normalize(value).strip()
    if not s:
        return []
    return [p.strip() for p in re.split(r"[|;,、，;]", s) if p.strip()]
