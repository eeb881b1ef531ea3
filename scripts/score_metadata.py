"""Score the report metadata of ``analysis.load_corpus`` against hand-checked expectations.

Reads every page of a folder with :func:`analysis.load_corpus`, compares each metadata
field (issue 15's contract) with an expected YAML file, and prints per-field accuracy,
the accuracy over all fields together, the share of pages with every field right and,
on request, each wrong value with its page.

Usage::

    python scripts/score_metadata.py tests/fixtures/metadata/pages \\
        tests/fixtures/metadata/expected.yaml [--show-errors] [--by-pattern] [--fail-under 0.95]

Expected file: a mapping ``doc_id -> {field: value}`` with every field of ``FIELDS``
(``null`` for absent). ``issuer`` may be a list of accepted spellings (every form the page
itself uses for the issuing body). A ``patterns`` list per page is not scored; it groups
pages for ``--by-pattern``.

Comparison rules (the metadata contract):

- text fields (``title``, ``doc_number``, ``issuer``): Unicode NFKC (full-width forms ->
  ASCII) and all whitespace removed; ``issuer`` also maps 人民政府 -> 政府 and drops a
  trailing 办事处;
- dates (``publish_date``, ``signed_date``): compared as ``YYYY-MM-DD`` whatever the
  column type (datetime64, string, ``2023年3月5日``);
- ``report_year`` as an integer, ``admin_code`` as a 6-digit string;
- a missing value (None, NA, NaT, NaN, empty string) equals ``null`` only;
- a column the loader does not produce counts as wrong on every page, and so does a page
  the loader did not return.

The exit status is 0 unless ``--fail-under`` is given and the all-fields accuracy is lower.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import re
import sys
import unicodedata
import warnings
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import yaml

FIELDS = (
    "title", "doc_number", "issuer", "issuer_type", "issuer_level", "province", "city",
    "county", "subdistrict", "admin_code", "report_year", "publish_date", "signed_date",
    "doc_type", "status",
)  # fmt: skip
TEXT_FIELDS = {"title", "doc_number", "issuer"}
DATE_FIELDS = {"publish_date", "signed_date"}

# Any whitespace, incl. ideographic and no-break spaces: "海珠区 司法局" -> "海珠区司法局"
_SPACE_RE = re.compile(r"\s+")
# A date written with separators or 年月日: "2023-03-05", "2023/3/5 10:14", "2023年3月5日"
_DATE_RE = re.compile(r"((?:19|20)\d{2})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})")
# A trailing 办事处 of a subdistrict office: "粤海街道办事处" -> "粤海街道"
_OFFICE_END_RE = re.compile(r"办事处$")

_MISSING_COLUMN = "<no column>"
_MISSING_ROW = "<no row>"


def is_missing(value: object) -> bool:
    """True for None, pandas NA/NaT, float NaN and empty or blank strings."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str) and not value.strip():
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _text(value: object) -> str:
    return _SPACE_RE.sub("", unicodedata.normalize("NFKC", str(value)))


def _issuer(value: object) -> str:
    return _OFFICE_END_RE.sub("", _text(value).replace("人民政府", "政府"))


def _date(value: object) -> str:
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date)):
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    m = _DATE_RE.search(unicodedata.normalize("NFKC", str(value)))
    if not m:
        return _text(value)
    y, mo, d = (int(g) for g in m.groups())
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _year(value: object) -> str:
    try:
        return str(int(float(str(value))))
    except ValueError:
        return _text(value)


def _code(value: object) -> str:
    s = _text(value)
    return s[:-2] if s.endswith(".0") else s


def normalise(field: str, value: object) -> str | None:
    """Canonical form of one field value (None when missing).

    Examples
    --------
    >>> normalise("issuer", "深圳市南山区粤海街道办事处")
    '深圳市南山区粤海街道'
    >>> normalise("issuer", "大理州 人民政府")
    '大理州政府'
    >>> normalise("publish_date", "2019年4月1日")
    '2019-04-01'
    >>> normalise("report_year", 2023.0), normalise("admin_code", 440105)
    ('2023', '440105')
    >>> normalise("title", "关于（２０２３年）的报告"), normalise("city", pd.NA)
    ('关于(2023年)的报告', None)
    """
    if is_missing(value):
        return None
    if field == "issuer":
        return _issuer(value)
    if field in TEXT_FIELDS:
        return _text(value)
    if field in DATE_FIELDS:
        return _date(value)
    if field == "report_year":
        return _year(value)
    if field == "admin_code":
        return _code(value)
    return str(value).strip()


def matches(field: str, expected: object, got: object) -> bool:
    """Whether a loader value agrees with the expectation (a list: any of its values)."""
    options = expected if isinstance(expected, list) else [expected]
    got_n = normalise(field, got)
    return any(normalise(field, option) == got_n for option in options)


def load_expected(path: Path) -> dict[str, dict[str, object]]:
    """The expected YAML as ``doc_id -> fields``, checked for missing fields."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for doc, fields in data.items():
        missing = [f for f in FIELDS if f not in fields]
        if missing:
            raise SystemExit(f"{path}: {doc} lacks field(s) {', '.join(missing)}")
    return {str(k): v for k, v in data.items()}


def read_pages(folder: Path) -> pd.DataFrame:
    """``analysis.load_corpus`` on the folder (its warnings about other files are shown once)."""
    import analysis

    with warnings.catch_warnings():
        warnings.simplefilter("default")
        return analysis.load_corpus(folder)


def score(corpus: pd.DataFrame, expected: dict[str, dict[str, object]]) -> pd.DataFrame:
    """One row per (doc_id, field): expected, got, ok.

    Examples
    --------
    A missing value matches ``null``; a column the loader lacks is wrong even where the
    expectation is ``null``:

    >>> corpus = pd.DataFrame({"doc_id": ["a"], "issuer": ["海珠区人民政府"], "report_year": [2023],
    ...                        "title": [pd.NA]})
    >>> exp = {"a": dict.fromkeys(FIELDS) | {"issuer": "海珠区政府", "report_year": 2023}}
    >>> s = score(corpus, exp).set_index("field")
    >>> s.loc[["issuer", "report_year", "title", "doc_number"], "ok"].tolist()
    [True, True, True, False]
    >>> s.at["doc_number", "got"]
    '<no column>'
    """
    by_doc = corpus.drop_duplicates("doc_id").set_index("doc_id") if "doc_id" in corpus else pd.DataFrame()
    rows = []
    for doc, fields in expected.items():
        present = doc in by_doc.index
        for field in FIELDS:
            want = fields[field]
            if not present:
                got, ok = _MISSING_ROW, False
            elif field not in by_doc.columns:
                got, ok = _MISSING_COLUMN, False
            else:
                got = by_doc.at[doc, field]
                ok = matches(field, want, got)
            rows.append({"doc_id": doc, "field": field, "expected": want, "got": got, "ok": ok})
    return pd.DataFrame(rows, columns=["doc_id", "field", "expected", "got", "ok"])


def _show(value: object) -> str:
    if isinstance(value, list):
        return " | ".join(_show(v) for v in value)
    if isinstance(value, str) and value in (_MISSING_COLUMN, _MISSING_ROW):
        return value
    if is_missing(value):
        return "null"
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date)):
        return _date(value)
    return str(value)


def report(
    scores: pd.DataFrame,
    expected: dict[str, dict[str, object]],
    *,
    show_errors: bool,
    by_pattern: bool,
    extra_docs: Iterable[str] = (),
) -> float:
    """Print the score tables; return the all-fields accuracy."""
    n_docs = scores["doc_id"].nunique()
    print(f"pages scored: {n_docs}, fields per page: {len(FIELDS)}")
    missing_rows = scores.loc[scores["got"].astype(str).eq(_MISSING_ROW), "doc_id"].unique()
    if len(missing_rows):
        print(f"pages not returned by load_corpus: {', '.join(missing_rows)}")
    missing_cols = sorted(set(scores.loc[scores["got"].astype(str).eq(_MISSING_COLUMN), "field"]))
    if missing_cols:
        print(f"columns not produced (counted wrong): {', '.join(missing_cols)}")
    extra = sorted(extra_docs)
    if extra:
        print(f"pages read but not in the expected file (ignored): {', '.join(extra)}")
    print()
    print(f"{'field':<14}{'right':>10}{'accuracy':>10}")
    per_field = scores.groupby("field", sort=False)["ok"]
    for field, ok in per_field:
        print(f"{field:<14}{f'{int(ok.sum())}/{len(ok)}':>10}{ok.mean():>10.1%}")
    overall = float(scores["ok"].mean())
    per_doc = scores.groupby("doc_id")["ok"].all()
    print(f"{'all fields':<14}{f'{int(scores.ok.sum())}/{len(scores)}':>10}{overall:>10.1%}")
    print(f"{'pages all right':<14}{f'{int(per_doc.sum())}/{len(per_doc)}':>9}{per_doc.mean():>10.1%}")
    if by_pattern:
        print()
        print(f"{'pattern':<28}{'pages':>6}{'fields right':>14}")
        tags: dict[str, list[str]] = {}
        for doc, fields in expected.items():
            for tag in fields.get("patterns") or []:
                tags.setdefault(str(tag), []).append(doc)
        for tag in sorted(tags):
            sub = scores[scores["doc_id"].isin(tags[tag])]
            print(f"{tag:<28}{len(tags[tag]):>6}{sub['ok'].mean():>14.1%}")
    if show_errors:
        wrong = scores[~scores["ok"]]
        print()
        print(f"wrong values: {len(wrong)}")
        for row in wrong.itertuples(index=False):
            print(f"{row.doc_id}  {row.field}: expected {_show(row.expected)}  got {_show(row.got)}")
    return overall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", type=Path, help="folder of pages (.txt/.html) read with load_corpus")
    parser.add_argument("expected", type=Path, help="expected metadata (YAML, doc_id -> fields)")
    parser.add_argument("--show-errors", action="store_true", help="list every wrong value with its page")
    parser.add_argument("--by-pattern", action="store_true", help="accuracy per pattern tag of the pages")
    parser.add_argument("--fail-under", type=float, default=None, help="exit 1 if all-fields accuracy is lower")
    args = parser.parse_args(argv)
    expected = load_expected(args.expected)
    corpus = read_pages(args.pages)
    scores = score(corpus, expected)
    extra = set(corpus["doc_id"]) - set(expected) if "doc_id" in corpus else set()
    overall = report(scores, expected, show_errors=args.show_errors, by_pattern=args.by_pattern, extra_docs=extra)
    if args.fail_under is not None and overall < args.fail_under:
        print(f"all-fields accuracy {overall:.1%} is below {args.fail_under:.1%}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
