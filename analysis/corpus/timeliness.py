"""Whether each report was made public on time (art. 24 of the 2019 督察工作规定)."""

from __future__ import annotations

import pandas as pd
from analysis.ids import doc_id_table

__all__ = ["PUBLICATION_DEADLINE", "publication_timeliness"]

#: Art. 24 of the 2019 《法治政府建设与责任落实督察工作规定》: reports are made public
#: "每年4月1日之前" (before 1 April) of the year after the year they cover.
PUBLICATION_DEADLINE = (4, 1)


@doc_id_table
def publication_timeliness(corpus: pd.DataFrame) -> pd.DataFrame:
    """Whether each report was made public before 1 April of the following year.

    Rule: art. 24 of the 2019 《法治政府建设与责任落实督察工作规定》 — reports are made
    public "每年4月1日之前", i.e. a report on year *Y* is due before *Y+1*-04-01.

    Parameters
    ----------
    corpus
        Table from :func:`load_corpus` (needs ``doc_id``, ``report_year``, ``publish_date``).

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``report_year``, ``publish_date``, ``deadline`` (*Y+1*-04-01,
        exclusive), ``days_to_deadline`` (positive: published that many days early) and
        ``timeliness``: ``on_time`` (published before the deadline), ``late`` or
        ``unknown`` (no publication date on the page, or no report year).

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a", "b", "c"], "report_year": [2023, 2023, 2023],
    ...                    "publish_date": pd.to_datetime(["2024-03-31", "2024-04-01", None])})
    >>> publication_timeliness(df)["timeliness"].tolist()
    ['on_time', 'late', 'unknown']
    """
    out = corpus[["doc_id", "report_year", "publish_date"]].copy()
    # float: a missing year (NA in an Int64 column, None) becomes NaN, and its deadline NaT
    year = pd.to_numeric(out["report_year"], errors="coerce").astype("float64")
    month, day = PUBLICATION_DEADLINE
    out["deadline"] = pd.to_datetime(
        {"year": year + 1, "month": month, "day": day}, errors="coerce"
    ) if len(out) else pd.Series([], dtype="datetime64[ns]")
    published = pd.to_datetime(out["publish_date"])
    out["days_to_deadline"] = pd.array((out["deadline"] - published).dt.days, dtype="Int64")
    status = pd.Series("unknown", index=out.index, dtype="string")
    known = published.notna() & out["deadline"].notna()
    status[known & (published < out["deadline"])] = "on_time"
    status[known & (published >= out["deadline"])] = "late"
    out["timeliness"] = status
    return out.reset_index(drop=True)

