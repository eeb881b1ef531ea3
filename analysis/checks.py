"""Checks: the one place that judges a report against art. 24–25 of the 2019 regulation.

《法治政府建设与责任落实督察工作规定》 (2019) fixes the contents of the annual report (art.
25: five parts) and its publication (art. 24: "每年4月1日之前"); published assessments
add how far a report substantiates its claims (figures, concrete cases). This module
scores each report on all of these, from the tables of the earlier stages, through
their public names only: the sections and parts (:mod:`analysis.structure`), the
publication dates (:func:`analysis.corpus.publication_timeliness`) and the stated
quantities (:func:`analysis.indicators.extract_indicators`).

(The module is not called ``compliance``: a submodule of that name would replace the
lazily exported function ``analysis.compliance`` as an attribute of the package as soon
as anything imported the module first.)
"""

from __future__ import annotations

import collections
from typing import Any

import numpy as np
import pandas as pd

from analysis.corpus import publication_timeliness
from analysis.indicators import extract_indicators
from analysis.structure import PARTS, REGULATED_PARTS, extract_cases, part_profiles
from analysis.ids import doc_id_table

__all__ = ["compliance"]


@doc_id_table
def compliance(
    corpus: pd.DataFrame,
    sections: pd.DataFrame,
    *,
    indicators: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Score each report against the 2019 督察工作规定 and the published criticisms.

    Criteria and sources:

    * **Parts present** (``has_measures``, ``has_shortcomings``, ``has_leadership``,
      ``has_plans``, ``has_other``): art. 25 of 《法治政府建设与责任落实督察工作规定》
      (2019) lists five contents (see ``analysis/resources/parts.yaml``). A part is
      present when a top-level section carries it (:func:`analysis.structure.parse_sections`), or a level-2
      section whose part differs from its parent's (a promoted "(五)存在的问题", the
      "(二)下一步打算" of a combined "存在的问题及下一步打算"); ``other
      counts only a section headed 其他需要报告的情况 (or similar), not an unclassifiable
      one — art. 25 (五) is "if any". ``n_parts`` counts them.
    * **Order** (``part_order``, ``in_order``): the parts as they follow each other
      (preamble and unclassifiable sections left out, repeats collapsed), and whether that
      follows art. 25's order 举措和成效 > 不足和原因 > 第一责任人 > 下一年度安排 > 其他, each
      part in one block; missing parts do not break the order. NA when no part is found.
    * **Shares** (``share_preamble`` … ``share_other``): characters of each part (the
      top-level sections, with such level-2 sections counted for their own part; see
      :func:`analysis.structure.part_shares`) over the report's characters (they sum to 1) — the balance the
      studies discuss (a shortcomings part of a few lines).
    * **Publication** (``deadline``, ``publication``): art. 24 — reports are made public
      "每年4月1日之前": ``on_time`` if ``publish_date`` is before 1 April of
      ``report_year`` + 1, ``late`` if not, ``unknown`` without a date or year (CASS's
      yearly assessments score the same rule). Computed by
      :func:`analysis.corpus.publication_timeliness`.
    * **Figures** (``n_figures``, ``figures_per_1k``): stated quantities per 1,000
      characters, from the rows of ``indicators`` (default:
      :func:`analysis.indicators.extract_indicators` on the corpus) — how far a report
      substantiates its claims with numbers.
    * **Concrete cases** (``n_cases``, ``cases_per_1k``): clauses naming a handled case per
      1,000 characters (rule in :func:`analysis.structure.extract_cases`), after 明天 (闽台关系研究 2017(6)),
      who found the reports 结构不统一、运用事例少、公布不及时.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Needs ``doc_id`` and ``text``; ``report_year`` and ``publish_date`` are used when
        present (else publication is ``unknown``). Not modified.
    sections : pandas.DataFrame
        Output of :func:`analysis.structure.parse_sections` on that corpus.
    indicators : pandas.DataFrame, optional
        One row per stated quantity with a ``doc_id`` column. None computes it with
        :func:`analysis.indicators.extract_indicators`.

    Returns
    -------
    pandas.DataFrame
        One row per report of ``corpus``, in its order: ``doc_id``, ``has_*`` (five
        booleans), ``n_parts``, ``part_order``, ``in_order`` (nullable boolean),
        ``share_*`` (six floats), ``report_year``, ``publish_date``, ``deadline``,
        ``publication``, ``n_chars``, ``n_figures``, ``figures_per_1k``, ``n_cases``,
        ``cases_per_1k``.

    Examples
    --------
    >>> from analysis.structure import parse_sections
    >>> corpus = pd.DataFrame({"doc_id": ["d"], "report_year": [2023],
    ...     "publish_date": pd.to_datetime(["2024-03-27"]), "text": [
    ...     "一、主要举措和成效\\n妥善化解新园学校劳资纠纷。\\n二、存在的不足\\n宣传单一。\\n三、下一年度安排\\n加强培训。"]})
    >>> ind = pd.DataFrame({"doc_id": ["d", "d"]})
    >>> row = compliance(corpus, parse_sections(corpus), indicators=ind).iloc[0]
    >>> row["part_order"], bool(row["in_order"]), row["publication"], int(row["n_cases"])
    ('measures>shortcomings>plans', True, 'on_time', 1)
    """
    if indicators is None:
        indicators = extract_indicators(corpus, sections)

    # Every column is built as a plain array and the table once at the end (a merge and
    # a cast per column cost more than the work on a chunk of a few dozen reports).
    doc_ids = corpus["doc_id"].astype("string").to_numpy()  # object: str, or NA
    texts = corpus["text"].fillna("").astype(str).to_numpy()
    n_chars = np.array([len(t) for t in texts], dtype=np.int64)

    # each report's scores by its doc_id (as a left merge on doc_id: NA matches nothing)
    scores = part_profiles(sections)
    found = [scores.get(d) if isinstance(d, str) else None for d in doc_ids]
    # the doc_id column as a left merge of the reports ("str", NA as NaN) with the scores
    # ("string") gives it: object, or unchanged when there are no scores
    ids = pd.DataFrame({"doc_id": doc_ids})["doc_id"]
    data: dict[str, Any] = {"doc_id": ids.astype(object) if scores else ids}
    for j, p in enumerate(REGULATED_PARTS):
        data[f"has_{p}"] = np.array([f.present[j] if f else False for f in found], dtype=bool)
    data["n_parts"] = np.array([f.n_parts if f else 0 for f in found], dtype=np.int64)
    data["part_order"] = pd.array([f.part_order if f else "" for f in found], dtype="string")
    data["in_order"] = pd.array([f.in_order if f else None for f in found], dtype="boolean")
    for j, p in enumerate(PARTS):
        data[f"share_{p}"] = np.array([f.shares[j] if f else np.nan for f in found], dtype=np.float64)

    timing_in = pd.DataFrame({
        "doc_id": doc_ids,
        "report_year": corpus["report_year"].to_numpy() if "report_year" in corpus else pd.NA,
        "publish_date": pd.to_datetime(corpus["publish_date"]).to_numpy()
        if "publish_date" in corpus else pd.NaT,
    })
    timing = publication_timeliness(timing_in)
    data["report_year"] = pd.array(pd.to_numeric(timing["report_year"], errors="coerce"), dtype="Int64")
    data["publish_date"] = pd.to_datetime(timing["publish_date"]).array
    data["deadline"] = pd.to_datetime(timing["deadline"]).array
    data["publication"] = timing["timeliness"].astype("string").to_numpy()  # inferred: "str"

    data["n_chars"] = n_chars
    per_k = np.full(len(n_chars), np.nan)
    np.divide(1000.0, n_chars, out=per_k, where=n_chars > 0)
    # counts per doc_id (as value_counts mapped on the doc_id: NA counts nothing)
    fig_counts = indicators["doc_id"].astype("string").value_counts().to_dict()
    n_figures = np.array([fig_counts.get(d, 0) if isinstance(d, str) else 0 for d in doc_ids], dtype=np.int64)
    data["n_figures"] = n_figures
    data["figures_per_1k"] = n_figures * per_k
    cases = extract_cases(pd.DataFrame({"doc_id": corpus["doc_id"].tolist(), "text": texts.tolist()}))
    case_counts = collections.Counter(cases["doc_id"].tolist())
    n_cases = np.array([case_counts.get(d, 0) if isinstance(d, str) else 0 for d in doc_ids], dtype=np.int64)
    data["n_cases"] = n_cases
    data["cases_per_1k"] = n_cases * per_k
    return pd.DataFrame(data)
