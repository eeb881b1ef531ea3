"""One short, unique label per report, used by every figure that names reports.

:func:`report_labels` turns the corpus table's metadata into labels such as
``海珠区琶洲街道 2024`` or ``海珠区司法局 2023``: the issuer without the names of the
levels above its own place (province and city before a district; the county too before
a township, when the label is long) and without the organ words 人民政府 / 办事处, at most
14 characters, then the report year.
Two reports that would share a label are told apart by a number in order of the corpus
(``… 2023 (1)``, ``… 2023 (2)``), so a label always points at one report.
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["report_labels"]

# Organ words that say nothing about which office wrote the report, e.g. the 人民政府 and
# 办事处 of "广州市海珠区人民政府琶洲街道办事处".
_ORGAN_WORDS = re.compile(r"人民政府|办事处")
# An autonomous prefecture or county by its common short name: 大理白族自治州 -> 大理州,
# 巍山彝族回族自治县 -> 巍山县, 龙胜各族自治县 -> 龙胜县.
_AUTONOMOUS = re.compile(r"([\u4e00-\u9fff]{2})[\u4e00-\u9fff]*?族自治([州县旗])")
_MAX_CHARS = 14


def _text(value: object) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()


def _short_issuer(row: pd.Series) -> str:
    issuer = _text(row.get("issuer")) or _text(row.get("title")) or _text(row.get("doc_id"))
    short = _ORGAN_WORDS.sub("", issuer) or issuer
    # Drop a leading place name only where the name of the level below follows it, so
    # that 广州市海珠区司法局 -> 海珠区司法局 but 济南市交通运输局 keeps its city; the
    # county goes only before a township, and only from a long label.
    for level, below in (("province", "city"), ("city", "county"), ("county", "subdistrict")):
        name, next_name = _text(row.get(level)), _text(row.get(below))
        if level == "county" and len(short) <= 10:
            break
        rest = short[len(name) :]
        if name and next_name and short.startswith(name) and rest.startswith(next_name[:2]) and len(rest) >= 2:
            short = rest
    short = _AUTONOMOUS.sub(r"\1\2", short)
    if len(short) > _MAX_CHARS:  # keep the place at the start and the office at the end
        short = short[:4] + "…" + short[-(_MAX_CHARS - 5) :]
    return short


def report_labels(corpus: pd.DataFrame) -> pd.Series:
    """A short label per report: issuer (shortened) and year, unique within ``corpus``.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Needs ``doc_id``; uses ``issuer`` (else ``title``, else ``doc_id``),
        ``report_year``, and ``province``, ``city``, ``county`` where present (from
        :func:`analysis.load_corpus`). Not modified.

    Returns
    -------
    pandas.Series
        Labels (str) indexed by ``doc_id`` (as str), in corpus order.

    Examples
    --------
    >>> corpus = pd.DataFrame({
    ...     "doc_id": ["a", "b", "c"],
    ...     "issuer": ["广州市海珠区人民政府琶洲街道办事处", "广州市海珠区司法局", "广州市海珠区司法局"],
    ...     "province": ["广东省"] * 3, "city": ["广州市"] * 3, "county": ["海珠区"] * 3,
    ...     "report_year": [2024, 2023, 2023],
    ... })
    >>> report_labels(corpus).tolist()
    ['海珠区琶洲街道 2024', '海珠区司法局 2023 (1)', '海珠区司法局 2023 (2)']
    """
    if "doc_id" not in corpus.columns:
        raise KeyError("report_labels needs a doc_id column")
    rows = corpus.drop_duplicates("doc_id")
    years = rows["report_year"] if "report_year" in rows.columns else pd.Series(pd.NA, index=rows.index)
    labels = [
        f"{_short_issuer(row)} {'?' if pd.isna(year) else int(year) if float(year).is_integer() else year}"
        for (_, row), year in zip(rows.iterrows(), years)
    ]
    counts = pd.Series(labels).value_counts()
    seen: dict[str, int] = {}
    unique = []
    for label in labels:
        if counts[label] > 1:
            seen[label] = seen.get(label, 0) + 1
            label = f"{label} ({seen[label]})"
        unique.append(label)
    return pd.Series(unique, index=pd.Index(rows["doc_id"].astype(str), name="doc_id"), name="label", dtype=object)
