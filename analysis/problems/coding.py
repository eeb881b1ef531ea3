"""Validating the codebook: export items for blind manual coding, compute Cohen's kappa.

scikit-learn is imported inside :func:`coding_agreement` (a heavy import).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.problems.codebook import UNCODED, codebook_themes, normalize, split_themes, theme_labels
from analysis.safe_csv import write_csv
from analysis.ids import doc_id_table

__all__ = ["coding_agreement", "export_for_coding"]


@doc_id_table
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
    themes = codebook_themes(codebook)
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
    write_csv(out, target)  # UTF-8 with BOM; cells that would run as formulas are neutralised
    return out


# a manual code meaning "applies": 1, x, ✓, y, yes, true, 是, 有
_YES = re.compile(r"^\s*(?:1(?:\.0+)?|x|✓|✔|√|y|yes|true|是|有)\s*$", re.IGNORECASE)


def _manual_matrix(manual: pd.DataFrame, theme_ids: list[str]) -> pd.DataFrame:
    wide = [t for t in theme_ids if t in manual.columns]
    if wide:
        return pd.DataFrame(
            {t: manual[t].map(lambda v: bool(_YES.match(normalize(v)))) for t in theme_ids if t in manual.columns}
        ).reindex(columns=theme_ids, fill_value=False)
    col = next((c for c in ("manual_themes", "themes", "codes") if c in manual.columns), None)
    if col is None:
        raise KeyError("manual coding needs theme-id columns (1 = applies) or a 'themes' column")
    sets = manual[col].map(lambda v: set(split_themes(v)))
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


@doc_id_table
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
    themes = codebook_themes(codebook)
    ids = [t.id for t in themes]
    labels = theme_labels(themes)
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
    machine = merged["themes"].map(lambda v: set(split_themes(v)))
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
