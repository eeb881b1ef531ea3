"""Score ``analysis.extract_indicators`` on a hand-annotated YAML set of sentences.

The sets are lists of items ``{text, rows[, class][, part][, forbidden]}`` as described in the
header of ``tests/fixtures/indicators_classes.yaml`` (``tests/fixtures/unseen_indicators.yaml``
has the same form without ``class``). Each sentence becomes one document of a corpus table; an
item with ``part`` gets one section of that part covering the whole sentence.

Scores, overall and per class:

- strict recall and precision: a predicted row matches a gold row when subject, value (rounded
  to 2 decimals) and unit are equal (each predicted row matches at most one gold row; the same
  comparison as ``tests/test_indicators.py``);
- qualifier and kind accuracy over the matched rows; indicator accuracy over the matched rows
  whose gold row names one (``other`` accepts ``other`` and ``other_rate``);
- forbidden extractions: unmatched predicted rows whose number is a heading number, a year, an
  ordinal (第N, plenum numbers), sits inside a slogan in quotation marks, or overlaps a span the
  item lists under ``forbidden``;
- exact items: every gold row found with its qualifier and kind, and nothing else.

Usage::

    PYTHONPATH=$PWD python scripts/score_indicators.py tests/fixtures/indicators_classes.yaml
    PYTHONPATH=$PWD python scripts/score_indicators.py SET.yaml --show-errors [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

QUALIFIERS = {"", "more_than", "nearly", "about", "at_least", "at_most"}
KINDS = {"result", "target", "per_capita"}
QUANTITY_CLASSES = {"indicator", "target", "per_capita"}  # audit classes of extracted numbers
FORBIDDEN_KINDS = ("heading", "year", "ordinal", "slogan", "annotated")

# 4-digit year written with 年 or 年度 right after it: 2023年, 2023年度
_YEAR_RE = re.compile(r"(?:19|20)\d\d(?=年)")
# plenum and congress ordinals after the numeral: 十四届, 五次全会, 二中全会
_PLENUM_AFTER_RE = re.compile(r"^(?:届|次全会|中全会|次会议|次党代会)")
# what may precede a heading number on its line: nothing, an opening bracket
_HEADING_LEAD_RE = re.compile(r"^[\s（(]*$")
# what follows a heading numeral: 一、 (三) 4. 二是
_HEADING_TAIL_RE = re.compile(r"^\s*(?:[、.．)）]|是)")
# a matched numeral that already holds the heading mark: "一、", "(三)"
_HEADING_END_RE = re.compile(r"[、.．)）]$")


@dataclass(frozen=True)
class Gold:
    subject: str
    value: float
    unit: str
    qualifier: str
    kind: str
    indicator: str | None


@dataclass(frozen=True)
class Pred:
    subject: str
    value: float
    unit: str
    qualifier: str
    kind: str
    indicator: str
    start: int
    end: int
    quote: str


@dataclass
class ItemResult:
    index: int
    cls: str
    text: str
    matched: list[tuple[Gold, Pred]] = field(default_factory=list)
    missing: list[Gold] = field(default_factory=list)
    extra: list[tuple[Pred, str]] = field(default_factory=list)  # (row, forbidden kind or "")

    @property
    def exact(self) -> bool:
        return (
            not self.missing
            and not self.extra
            and all(g.qualifier == p.qualifier and g.kind == p.kind for g, p in self.matched)
        )


# --------------------------------------------------------------------------- reading the set


def load_items(path: Path) -> list[dict]:
    """The items of a YAML set, checked for form (raises ValueError on a malformed item)."""
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(items, list):
        raise ValueError(f"{path}: expected a list of items")
    for i, item in enumerate(items):
        if not isinstance(item.get("text"), str) or not isinstance(item.get("rows"), list):
            raise ValueError(f"item {i}: needs `text` (str) and `rows` (list)")
        for span in item.get("forbidden") or []:
            if str(span) not in item["text"]:
                raise ValueError(f"item {i}: forbidden span {span!r} not in the text")
        for g in gold_rows(item):
            if not g.subject or not g.unit or g.value < 0:
                raise ValueError(f"item {i}: bad row {g}")
            if g.qualifier not in QUALIFIERS or g.kind not in KINDS:
                raise ValueError(f"item {i}: bad qualifier or kind in {g}")
    return items


def gold_rows(item: dict) -> list[Gold]:
    """[subject, value, unit(, qualifier(, kind(, indicator)))] -> Gold, with the defaults."""
    out = []
    for row in item["rows"]:
        if not 3 <= len(row) <= 6:
            raise ValueError(f"row {row!r}: 3 to 6 fields")
        subject, value, unit, qualifier, kind, indicator = [*row, "", "", None][:6]
        out.append(Gold(str(subject), float(value), str(unit), qualifier or "", kind or "result", indicator or None))
    return out


def item_class(item: dict) -> str:
    return str(item.get("class", "-"))


# --------------------------------------------------------------------------- running the extractor


def doc_ids(items: list[dict]) -> list[str]:
    return [f"s{i:04d}" for i in range(len(items))]


def corpus_and_sections(items: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """One document per sentence; one whole-sentence section for each item with a ``part``."""
    ids = doc_ids(items)
    corpus = pd.DataFrame({"doc_id": ids, "text": pd.Series([x["text"] for x in items], dtype=object)})
    parted = [(d, x) for d, x in zip(ids, items) if x.get("part")]
    if not parted:
        return corpus, None
    sections = pd.DataFrame(
        {
            "doc_id": [d for d, _ in parted],
            "part": [str(x["part"]) for _, x in parted],
            "level": [1] * len(parted),
            "start": [0] * len(parted),
            "end": [len(x["text"]) for _, x in parted],
        }
    )
    return corpus, sections


def extract(items: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(indicator rows, numbers audit) of the set, through the public API of ``analysis``."""
    from analysis import audit_numbers, extract_indicators

    corpus, sections = corpus_and_sections(items)
    return extract_indicators(corpus, sections), audit_numbers(corpus, sections)


# --------------------------------------------------------------------------- matching


def _key(subject: str, value: float, unit: str) -> tuple[str, float, str]:
    return subject, round(value, 2), unit


def match_item(gold: list[Gold], pred: list[Pred]) -> tuple[list[tuple[Gold, Pred]], list[Gold], list[Pred]]:
    """Strict one-to-one matching on (subject, value, unit), gold rows in order.

    Among predicted rows with the same key, one that also agrees on qualifier and kind is taken
    first, so that a duplicate key does not cost accuracy by its order alone.
    """
    free = list(pred)
    matched, missing = [], []
    for g in gold:
        same = [p for p in free if _key(p.subject, p.value, p.unit) == _key(g.subject, g.value, g.unit)]
        if not same:
            missing.append(g)
            continue
        best = next((p for p in same if (p.qualifier, p.kind) == (g.qualifier, g.kind)), same[0])
        free.remove(best)
        matched.append((g, best))
    return matched, missing, free


def _number_spans(p: Pred, audit_doc: pd.DataFrame) -> list[tuple[int, int]]:
    """Where the row's number stands: the audit's quantity matches inside the row's span."""
    if len(audit_doc):
        inside = audit_doc[
            audit_doc["class"].isin(QUANTITY_CLASSES) & (audit_doc["start"] >= p.start) & (audit_doc["end"] <= p.end)
        ]
        spans = [(int(a), int(b)) for a, b in zip(inside["start"], inside["end"])]
        if spans:
            return spans
    return [(p.start, p.end)]


def _inside_quotes(text: str, pos: int) -> bool:
    before = text[:pos]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def forbidden_kind(p: Pred, text: str, item: dict, gold: list[Gold], audit_doc: pd.DataFrame) -> str:
    """Why an unmatched row must never have been extracted, or "" when it is an ordinary error."""
    spans = _number_spans(p, audit_doc)
    for a, b in spans:
        line_start = text.rfind("\n", 0, a) + 1
        if _HEADING_LEAD_RE.match(text[line_start:a]) and (
            _HEADING_TAIL_RE.match(text[b:]) or _HEADING_END_RE.search(text[a:b])
        ):
            return "heading"
    if p.unit in ("年", "年度") and 1900 <= p.value <= 2100:
        return "year"
    for a, b in spans:
        if any(m.start() >= a and m.start() < b for m in _YEAR_RE.finditer(text)):
            return "year"
    for a, b in spans:
        if text[max(0, a - 1) : a] == "第" or text[a:b].startswith("第") or _PLENUM_AFTER_RE.match(text[b : b + 4]):
            return "ordinal"
    same_value = {(round(g.value, 2), g.unit) for g in gold}
    if any(_inside_quotes(text, a) for a, _ in spans) and (round(p.value, 2), p.unit) not in same_value:
        return "slogan"
    for span in item.get("forbidden") or []:
        span = str(span)
        for m in re.finditer(re.escape(span), text):
            if any(a < m.end() and m.start() < b for a, b in spans):
                return "annotated"
    return ""


def score_items(items: list[dict], rows: pd.DataFrame, audit: pd.DataFrame) -> list[ItemResult]:
    ids = doc_ids(items)
    by_doc: dict[str, list[Pred]] = defaultdict(list)
    cols = ["doc_id", "subject", "value", "unit", "qualifier", "kind", "indicator", "start", "end", "quote"]
    for d, s, v, u, q, k, ind, a, b, quote in rows[cols].itertuples(index=False):
        by_doc[str(d)].append(Pred(str(s), float(v), str(u), str(q), str(k), str(ind), int(a), int(b), str(quote)))
    audit_by_doc = {str(d): g for d, g in audit.groupby("doc_id", sort=False)} if len(audit) else {}
    empty = pd.DataFrame({"start": [], "end": [], "class": []})
    out = []
    for i, (d, item) in enumerate(zip(ids, items)):
        gold = gold_rows(item)
        matched, missing, extra = match_item(gold, by_doc.get(d, []))
        audit_doc = audit_by_doc.get(d, empty)
        res = ItemResult(i, item_class(item), item["text"], matched, missing)
        res.extra = [(p, forbidden_kind(p, item["text"], item, gold, audit_doc)) for p in extra]
        out.append(res)
    return out


# --------------------------------------------------------------------------- summaries


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def summarize(results: list[ItemResult]) -> dict[str, float | int | None | dict[str, int]]:
    n_gold = sum(len(r.matched) + len(r.missing) for r in results)
    n_pred = sum(len(r.matched) + len(r.extra) for r in results)
    tp = sum(len(r.matched) for r in results)
    pairs = [pair for r in results for pair in r.matched]
    with_ind = [(g, p) for g, p in pairs if g.indicator]
    forbidden = {k: 0 for k in FORBIDDEN_KINDS}
    for r in results:
        for _, why in r.extra:
            if why:
                forbidden[why] += 1
    empty_items = [r for r in results if not r.matched and not r.missing]
    return {
        "items": len(results),
        "gold": n_gold,
        "pred": n_pred,
        "tp": tp,
        "recall": _ratio(tp, n_gold),
        "precision": _ratio(tp, n_pred),
        "qualifier": _ratio(sum(g.qualifier == p.qualifier for g, p in pairs), tp),
        "kind": _ratio(sum(g.kind == p.kind for g, p in pairs), tp),
        "indicator": _ratio(sum(_indicator_ok(g, p) for g, p in with_ind), len(with_ind)),
        "n_indicator": len(with_ind),
        "forbidden": sum(forbidden.values()),
        "forbidden_by_kind": forbidden,
        "rows_on_empty_items": sum(len(r.extra) for r in empty_items),
        "exact_items": sum(r.exact for r in results),
    }


def _indicator_ok(g: Gold, p: Pred) -> bool:
    if g.indicator == "other":
        return p.indicator.startswith("other")
    return p.indicator == g.indicator


def _class_order(c: str) -> tuple[int, str]:
    return (0, f"{int(c):03d}") if c.isdigit() else (1, c)


def report(results: list[ItemResult]) -> dict[str, dict]:
    """Summaries per class and overall (key "all")."""
    classes = sorted({r.cls for r in results}, key=_class_order)
    out = {c: summarize([r for r in results if r.cls == c]) for c in classes}
    out["all"] = summarize(results)
    return out


def _fmt(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.3f}"


def print_report(table: dict[str, dict], file=sys.stdout) -> None:
    names = ["items", "gold", "pred", "tp", "recall", "prec", "qual", "kind", "indic", "forbid"]
    widths = [5, 5, 5, 5, 6, 6, 6, 6, 6, 6]
    head = f"{'class':>7} " + " ".join(f"{n:>{w}}" for n, w in zip(names, widths)) + f" {'exact':>9}"
    print(head, file=file)
    for c, s in table.items():
        print(
            f"{c:>7} {s['items']:>5} {s['gold']:>5} {s['pred']:>5} {s['tp']:>5} {_fmt(s['recall']):>6} "
            f"{_fmt(s['precision']):>6} {_fmt(s['qualifier']):>6} {_fmt(s['kind']):>6} {_fmt(s['indicator']):>6} "
            f"{s['forbidden']:>6} {s['exact_items']:>4}/{s['items']:<4}",
            file=file,
        )
    total = table["all"]
    kinds = ", ".join(f"{k} {n}" for k, n in total["forbidden_by_kind"].items())
    print(f"forbidden extractions by kind: {kinds}", file=file)
    print(f"rows extracted from sentences annotated with no quantity: {total['rows_on_empty_items']}", file=file)
    print(f"indicator accuracy is over {total['n_indicator']} matched rows whose gold row names one", file=file)


def _show(g: Gold | Pred) -> str:
    tail = "".join(f" {x}" for x in (g.qualifier, g.kind if g.kind != "result" else "") if x)
    return f"[{g.subject}, {g.value:g}, {g.unit}]{tail}"


def print_errors(results: list[ItemResult], file=sys.stdout) -> None:
    for r in results:
        wrong = [(g, p) for g, p in r.matched if (g.qualifier, g.kind) != (p.qualifier, p.kind)]
        wrong_ind = [(g, p) for g, p in r.matched if g.indicator and not _indicator_ok(g, p)]
        if not (r.missing or r.extra or wrong or wrong_ind):
            continue
        print(f"\n[{r.cls}] #{r.index} {r.text}", file=file)
        for g in r.missing:
            print(f"   - missing  {_show(g)}", file=file)
        for p, why in r.extra:
            flag = f"   FORBIDDEN ({why})" if why else ""
            print(f"   + extra    {_show(p)}  quote={p.quote!r}{flag}", file=file)
        for g, p in wrong:
            print(f"   ~ {_show(g)}: got qualifier {p.qualifier!r}, kind {p.kind!r}", file=file)
        for g, p in wrong_ind:
            print(f"   ~ {_show(g)}: indicator {p.indicator!r}, expected {g.indicator!r}", file=file)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("yaml", type=Path, help="annotated set (list of {text, rows, ...})")
    parser.add_argument("--show-errors", action="store_true", help="list every item with a wrong or missing row")
    parser.add_argument("--json", type=Path, help="also write the per-class scores to this JSON file")
    args = parser.parse_args(argv)
    items = load_items(args.yaml)
    rows, audit = extract(items)
    results = score_items(items, rows, audit)
    table = report(results)
    print(f"{args.yaml}: {len(items)} sentences")
    print_report(table)
    if args.show_errors:
        print_errors(results)
    if args.json:
        args.json.write_text(json.dumps(table, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
