"""Follow-through: do the plans answer the problems, and does next year deliver the plans?

:func:`follow_through` matches each problem item to a plan item of the same report, and
each plan item to a measure item of the same issuer's next report, by shared themes and
character n-gram similarity.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from analysis.problems.codebook import THEME_SEP, UNCODED, normalize, split_themes, theme_order
from analysis.problems.reuse import item_ids, ngram_text, ngram_vectorizer
from analysis.problems.themes import code_problems, item_statements
from analysis.structure import part_items, plan_items
from analysis.ids import doc_id_table

__all__ = ["FOLLOW_THRESHOLD", "follow_through"]

#: Default cosine threshold of :func:`follow_through` (see its docstring).
FOLLOW_THRESHOLD = 0.15


# first sentence of an item, e.g. "(二)提高法治建设水平。落实…" -> "(二)提高法治建设水平"
_FIRST_SENTENCE = re.compile(r"^[^。!?;\n]*")


def _item_themes(items: pd.DataFrame, codebook: Any) -> pd.Series:
    """Themes of plan/measure items: headline rules on the first sentence, the rest on the whole item."""
    if items.empty:
        return pd.Series([], dtype=object)
    frame = pd.DataFrame(
        {"text": items["text"].map(lambda t: _FIRST_SENTENCE.match(normalize(t)).group(0)), "body": items["text"]}
    )
    coded = code_problems(frame, codebook=codebook)
    return coded["themes"].map(lambda v: frozenset(split_themes(v)) - {UNCODED})


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


@doc_id_table
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
    prob_text = item_statements(prob)
    texts = pd.concat([prob_text, plans["text"], measures["text"]], ignore_index=True).map(normalize).tolist()
    if not any(ngram_text(t) for t in texts):
        return pd.DataFrame(columns=cols)
    # one vocabulary and IDF for every statement involved; rows sliced below
    X = ngram_vectorizer(ngram_range).fit_transform(texts).tocsr()
    n_p, n_l = len(prob), len(plans)
    Xp, Xl, Xm = X[:n_p], X[n_p:n_p + n_l], X[n_p + n_l:]
    prob_themes = prob["themes"].map(lambda v: frozenset(split_themes(v)) - {UNCODED}).tolist()
    plan_themes = _item_themes(plans, codebook).tolist()
    measure_themes = _item_themes(measures, codebook).tolist()
    order = theme_order(codebook)
    plan_cols, measure_cols = _columns(plans), _columns(measures)

    rows: list[dict[str, Any]] = []
    prob_ids = item_ids(prob).tolist()
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
    heads = prob["text"].map(normalize).tolist()
    theme_col = prob["themes"].map(normalize).tolist()
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
