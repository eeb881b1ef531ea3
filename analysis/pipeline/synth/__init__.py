"""Generate a deterministic synthetic corpus of rule-of-law reports for benchmarks and tests.

Reports are assembled from the seed reports' own paragraphs: each seed is split into its
opening sentence and its top-level parts (measures and results, the first-responsible
duty, shortcomings, next year's plans), each part into items. A synthetic report draws
items from those pools, renumbers them, and rewrites them for a new issuer and year:

- **Issuers** are real places, sampled from the package's gazetteer
  (``resources/gazetteer.csv``, National Bureau of Statistics 2023 division codes):
  街道 and 镇/乡 offices, district/county and city governments, government departments
  (司法局, 市场监督管理局 …) and a few provincial governments. Place names the seed
  paragraphs mention (广州市, 海珠区, 琶洲街道, 琶洲 …) are found with the same gazetteer and
  replaced, level for level, by the new issuer's.
- **Years** 2019–2025: the title ``XX关于YYYY年度法治政府建设情况的报告`` (or one of two
  other title forms real reports use), an opening ``YYYY年,…`` sentence and the plans
  heading (YYYY+1) agree; years inside paragraphs move by the same offset (years inside
  《》 document titles and ranges such as 2021-2025 stay).
- **Numbers** are perturbed (one factor 0.5–1.5 per paragraph, the same number of decimals; percentages stay
  <= 100; quoted codes such as “1310”, enumerators and years untouched).
- **Forms** real corpora take: UTF-8 (some with a BOM), GB18030/GBK, HTML pages with a
  ``<meta charset>``, navigation, breadcrumb, 发布日期/来源 line, share buttons, footer with
  ICP and 公网安备 numbers (some with a stale header clock); full-width punctuation
  (，（）：；％) in most files and full-width digits in some; CRLF line ends in some;
  indented paragraphs; a few files with no title line; files spread over one folder per
  province.
- **Follow-ups**: about one report in twenty is the next year's report of the issuer of the
  report before it, repeating half of its shortcomings (persistence and follow-through
  analyses need issuers with consecutive years).

Generation is deterministic: the same ``n_reports``, ``seed`` and inputs (seed reports,
gazetteer) give the same bytes, and the first ``n`` reports of a larger corpus are the
``n`` reports of a smaller one (each report draws from its own random stream).

Command line::

    python -m analysis.pipeline.synth OUT_DIR --reports 1000 --seed 0
"""


from __future__ import annotations

import argparse
import dataclasses
import hashlib
import os
import random
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.pipeline.synth.places import MUNICIPALITIES, Chain, Issuer, fill_chain, make_issuer, replace_places
from analysis.pipeline.synth.render import draw_form, encode, render_html, render_txt
from analysis.pipeline.synth.seeds import OPENING, OPENING_SUBJECT, Item, Pools, load_pools

__all__ = ["MANIFEST_COLUMNS", "generate_corpus", "main"]

# A year outside a range, e.g. "2023年立案" (not "2021-2025年", "2023—2025", "2019年至2020年" moves whole).
_YEAR = re.compile(r"(?<![\d\-—–~])((?:19|20)\d{2})(?=年)(?![^《》]*》)")
# A quantity to perturb: "217宗", "210.61万元", "99.7%" — not inside “…” or 《…》, not a
# year, not adjacent to +/- (codes such as "1+N", "30-24"), not an enumerator "1、".
_NUMBER = re.compile(r"(?<![\d.\-+—–])(\d+(?:\.\d+)?)(?![\d.])(?![+\-—–])")
_QUOTED = re.compile(r"“[^”]{0,30}”|《[^》]{0,60}》|\"[^\"]{0,30}\"")
# Self-references of a grass-roots office, e.g. "我街", "全街", "依法治街", "街党工委".
_SELF_REF = re.compile(r"(我|全|依法治|本)街(?!道)")
_CN_NUM = "一二三四五六七八九十"


def _cn(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十."""
    if n <= 10:
        return _CN_NUM[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_NUM[tens - 1]) + "十" + (_CN_NUM[ones - 1] if ones else "")


def _shift_years(text: str, delta: int) -> str:
    if delta == 0:
        return text
    return _YEAR.sub(lambda m: str(int(m.group(1)) + delta), text)


def _perturb_numbers(text: str, rng: random.Random) -> str:
    """Scale the quantities of one paragraph by one factor (so parts stay below totals)."""
    protected = [m.span() for m in _QUOTED.finditer(text)]
    factor = rng.uniform(0.5, 1.5)

    def repl(m: re.Match[str]) -> str:
        s = m.group(1)
        a, b = m.span(1)
        if any(pa <= a < pb for pa, pb in protected):
            return s
        after = text[b : b + 1]
        if after in {"年", "、"} or (after == "." and b + 1 < len(text) and not text[b + 1].isdigit()):
            return s
        if after in {"月", "日", "时", "号"} or text[max(0, a - 1) : a] in {"第"}:
            return s
        if len(s) == 4 and s.isdigit() and s[:2] in {"19", "20"}:
            return s
        decimals = len(s.split(".")[1]) if "." in s else 0
        value = float(s)
        if value == 0:
            return s
        new = value * factor
        if after == "%":
            if value >= 100:
                return s
            new = min(new, 99.9 if decimals else 99)
        if decimals:
            out = f"{new:.{decimals}f}"
            return out if float(out) > 0 else s
        return str(max(1, round(new)))

    return _NUMBER.sub(repl, text)


def _rewrite(text: str, *, seed: int, issuer: Issuer, fill: Chain, year: int, pools: Pools, rng: random.Random) -> str:
    text = replace_places(text, pools.seed_places[seed], fill)
    text = _shift_years(text, year - pools.seed_years[seed])
    text = _perturb_numbers(text, rng)
    if issuer.unit != "街":
        text = _SELF_REF.sub(lambda m: m.group(1) + issuer.unit, text)
    return text

_MEASURES_HEADINGS = (
    "{y}年度法治政府建设主要举措和成效",
    "{y}年推进法治政府建设的主要举措和成效",
    "本年度推进法治政府建设的主要举措和成效",
    "{y}年度法治政府建设主要工作及成效",
)
_DUTY_HEADINGS = ("党政主要负责人履行推进法治建设第一责任人职责情况", "主要负责人履行推进法治建设第一责任人职责情况")
_PROBLEMS_HEADINGS = ("存在的不足和原因", "存在的问题和不足", "存在问题", "存在的问题和原因")
_PLANS_HEADINGS = ("{n}年法治政府建设工作计划", "下一年度推进法治政府建设的主要安排", "{n}年推进法治政府建设的主要安排")
_OTHER_HEADING = "其他需要报告的情况"
_OTHER_TEXT = ("本年度无其他需要报告的情况。", "无。")


@dataclasses.dataclass(frozen=True)
class _Spec:
    """What one synthetic report is: the manifest row plus the drawn items."""

    index: int
    doc_id: str
    issuer: Issuer
    year: int
    problems: tuple[int, ...]  # indices into pools.items["problems"]
    previous: str  # path_id of the same issuer's previous-year report, or ""

    @property
    def path_id(self) -> str:
        """The file's path under the corpus root without extension (the loader's doc_id)."""
        return f"{self.issuer.chain.province}/{self.doc_id}"


def _doc_id(seed: int, index: int, width: int) -> str:
    digest = hashlib.sha256(f"analysis.synth:{seed}:{index}".encode()).hexdigest()[:16]
    return f"{index:0{width}d}_{digest}"


def _sample(rng: random.Random, n: int, k_low: int, k_high: int) -> list[int]:
    k = min(n, rng.randint(k_low, k_high))
    return rng.sample(range(n), k)


def _render_items(items: Sequence[Item], rewrite) -> list[str]:  # noqa: ANN001
    lines: list[str] = []
    for i, item in enumerate(items, 1):
        lines.append(f"({_cn(i)}){rewrite(item.lines[0], item.seed)}")
        lines.extend(rewrite(ln, item.seed) for ln in item.lines[1:])
    return lines


def _report_body(spec: _Spec, pools: Pools, rng: random.Random) -> tuple[list[str], list[str]]:
    """(opening+body lines, signature lines) in ASCII punctuation."""
    issuer, y = spec.issuer, spec.year
    fill = fill_chain(issuer.chain, rng)

    def rewrite(text: str, seed: int) -> str:
        return _rewrite(text, seed=seed, issuer=issuer, fill=fill, year=y, pools=pools, rng=rng)

    opening, oseed = pools.openings[rng.randrange(len(pools.openings))]
    opening = rewrite(opening, oseed)
    opening = OPENING_SUBJECT.sub(f"{y}年,{issuer.short}", opening, count=1)
    if not opening.startswith(f"{y}年"):
        opening = f"{y}年,{issuer.short}" + OPENING.sub("", opening, count=1).lstrip(",，")
    lines = [opening]
    top = 0

    def heading(text: str) -> None:
        nonlocal top
        top += 1
        lines.append(f"{_cn(top)}、{text}")

    heading(rng.choice(_MEASURES_HEADINGS).format(y=y))
    if pools.intros.get("measures") and rng.random() < 0.3:
        lines.append(rewrite(*pools.intros["measures"][rng.randrange(len(pools.intros["measures"]))]))
    measures = pools.items["measures"]
    lines += _render_items([measures[i] for i in _sample(rng, len(measures), 3, 7)], rewrite)
    if pools.items.get("duty") and rng.random() < 0.4:
        heading(rng.choice(_DUTY_HEADINGS))
        duty = pools.items["duty"]
        lines += [rewrite(ln, duty[0].seed) for ln in duty[rng.randrange(len(duty))].lines]
    heading(rng.choice(_PROBLEMS_HEADINGS))
    if pools.intros.get("problems") and rng.random() < 0.3:
        lines.append(rewrite(*pools.intros["problems"][rng.randrange(len(pools.intros["problems"]))]))
    problems = pools.items["problems"]
    lines += _render_items([problems[i] for i in spec.problems], rewrite)
    heading(rng.choice(_PLANS_HEADINGS).format(n=y + 1))
    if pools.intros.get("plans") and rng.random() < 0.3:
        lines.append(rewrite(*pools.intros["plans"][rng.randrange(len(pools.intros["plans"]))]))
    plans = pools.items["plans"]
    lines += _render_items([plans[i] for i in _sample(rng, len(plans), 2, 6)], rewrite)
    if rng.random() < 0.15:
        heading(_OTHER_HEADING)
        lines.append(rng.choice(_OTHER_TEXT))
    signature: list[str] = []
    if rng.random() < 0.5:
        month, day = (12, rng.randint(15, 31)) if rng.random() < 0.3 else (rng.randint(1, 3), rng.randint(1, 28))
        signature = [issuer.name, f"{y if month == 12 else y + 1}年{month}月{day}日"]
    return lines, signature


def _title(issuer: Issuer, y: int, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.8:
        return f"{issuer.name}关于{y}年度法治政府建设情况的报告"
    if r < 0.9:
        return f"{issuer.name}{y}年法治政府建设情况报告"
    return f"{issuer.name}{y}年法治政府建设年度报告"


def _publish_date(y: int, rng: random.Random) -> tuple[int, int, int]:
    r = rng.random()
    if r < 0.1:
        return y, 12, rng.randint(10, 31)
    if r < 0.9:
        return y + 1, rng.randint(1, 3), rng.randint(1, 28)
    return y + 1, rng.randint(4, 6), rng.randint(1, 28)

MANIFEST_COLUMNS = (
    "doc_id", "path", "form", "encoding", "charset", "newline", "fullwidth", "fullwidth_digits",
    "has_title", "title", "issuer", "issuer_type", "province", "city", "county", "subdistrict",
    "report_year", "publish_date", "previous_doc_id", "n_bytes", "sha256",
)  # fmt: skip


def _specs(n_reports: int, seed: int, pools: Pools) -> list[tuple[_Spec, random.Random]]:
    width = max(5, len(str(max(n_reports - 1, 0))))
    n_problems = len(pools.items["problems"])
    out: list[tuple[_Spec, random.Random]] = []
    for i in range(n_reports):
        rng = random.Random(f"analysis.synth:{seed}:{i}")
        doc_id = _doc_id(seed, i, width)
        prev = out[-1][0] if out else None
        follow = (
            prev is not None
            and not prev.previous
            and prev.year < 2025
            and rng.random() < 0.05
        )
        if follow:
            assert prev is not None
            keep = sorted(rng.sample(prev.problems, (len(prev.problems) + 1) // 2))
            fresh = [j for j in range(n_problems) if j not in keep]
            extra = rng.sample(fresh, min(len(fresh), rng.randint(1, 3)))
            order = keep + extra
            rng.shuffle(order)
            spec = _Spec(i, doc_id, prev.issuer, prev.year + 1, tuple(order), prev.path_id)
        else:
            issuer = make_issuer(rng)
            year = rng.randint(2019, 2025)
            spec = _Spec(i, doc_id, issuer, year, tuple(_sample(rng, n_problems, 2, 5)), "")
        out.append((spec, rng))
    return out


def generate_corpus(
    out_dir: str | os.PathLike[str],
    n_reports: int,
    *,
    seed: int = 0,
    source_dir: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """Write ``n_reports`` synthetic reports under ``out_dir`` and return their manifest.

    Reports are assembled from the paragraphs of the reports in ``source_dir`` (default:
    the seed reports, ``analysis.config.SEEDS_DIR``) for real issuers drawn from the
    gazetteer, years 2019–2025, perturbed numbers, in the forms scraped corpora take
    (UTF-8, GB18030/GBK, HTML pages with chrome, full-width punctuation, CRLF); see the
    module docstring. Files go to ``out_dir/<province>/<doc_id>.txt|.html``; only report
    files are written there (write the manifest elsewhere if you keep it).

    Parameters
    ----------
    out_dir
        Folder to write to (created if missing). Existing files with the same names are
        overwritten; other files are left alone.
    n_reports
        Number of reports (>= 0).
    seed
        Random seed. The same ``n_reports``, ``seed`` and inputs give the same bytes, and
        a smaller corpus is a prefix (same ``doc_id`` and bytes) of a larger one.
    source_dir
        Folder of reports to draw paragraphs from.

    Returns
    -------
    pandas.DataFrame
        One row per written file, in generation order: ``doc_id`` (the path without
        its extension, as :func:`analysis.load_corpus` names it), ``path`` (relative to
        ``out_dir``, POSIX), ``form`` (txt/html), ``encoding`` (codec written), ``charset``
        (declared in the HTML, else ""), ``newline`` (LF/CRLF), ``fullwidth``,
        ``fullwidth_digits``, ``has_title``, ``title``, ``issuer`` (as in the title),
        ``issuer_type`` (the loader's categories), ``province``, ``city``, ``county``,
        ``subdistrict`` (the issuer's own levels; "" above it), ``report_year``,
        ``publish_date`` (written on the page or 来源 line; NaT when the file shows none),
        ``previous_doc_id`` (the same issuer's report of the year before, or ""),
        ``n_bytes``, ``sha256``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     m = generate_corpus(d, 3, seed=1)
    >>> len(m), m["report_year"].between(2019, 2025).all()
    (3, np.True_)
    """
    if n_reports < 0:
        raise ValueError(f"n_reports must be >= 0, got {n_reports}")
    src = Path(source_dir) if source_dir is not None else config.SEEDS_DIR
    pools = load_pools(str(src.resolve()))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for spec, rng in _specs(n_reports, seed, pools):
        issuer = spec.issuer
        lines, signature = _report_body(spec, pools, rng)
        title = _title(issuer, spec.year, rng)
        date = _publish_date(spec.year, rng)
        form = draw_form(rng, issuer.issuer_type)
        if form.kind == "html":
            text = render_html(title, lines, signature, issuer, date, form, rng)
        else:
            text = render_txt(title, lines, signature, issuer, date, form, rng)
        data, encoding = encode(text, form)
        if encoding != form.encoding and form.kind == "html":
            form = dataclasses.replace(form, charset="gb18030")
        (out / issuer.chain.province).mkdir(exist_ok=True)
        rel = f"{spec.path_id}.{form.kind}"
        (out / rel).write_bytes(data)
        shows_date = form.kind == "html" or (form.chrome and not form.no_title)
        rows.append(
            {
                "doc_id": rel.rsplit(".", 1)[0],
                "path": rel,
                "form": form.kind,
                "encoding": encoding,
                "charset": form.charset,
                "newline": "CRLF" if form.newline == "\r\n" else "LF",
                "fullwidth": form.fullwidth,
                "fullwidth_digits": form.fullwidth_digits,
                "has_title": not form.no_title,
                "title": "" if form.no_title else title,
                "issuer": issuer.name,
                "issuer_type": issuer.issuer_type,
                "province": issuer.chain.province,
                "city": issuer.chain.city if issuer.chain.city not in MUNICIPALITIES or issuer.chain.county else "",
                "county": issuer.chain.county,
                "subdistrict": issuer.chain.town,
                "report_year": spec.year,
                "publish_date": pd.Timestamp(*date) if shows_date else pd.NaT,
                "previous_doc_id": spec.previous,
                "n_bytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        )
    manifest = pd.DataFrame(rows, columns=list(MANIFEST_COLUMNS))
    manifest["report_year"] = manifest["report_year"].astype("Int64")
    manifest["publish_date"] = pd.to_datetime(manifest["publish_date"])
    manifest["n_bytes"] = manifest["n_bytes"].astype("int64")
    for col in ("fullwidth", "fullwidth_digits", "has_title"):
        manifest[col] = manifest[col].astype(bool)
    return manifest


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m analysis.pipeline.synth OUT_DIR --reports N --seed S [--manifest FILE]``."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis.pipeline.synth",
        description="Write a deterministic synthetic corpus of rule-of-law reports built from the seed reports.",
    )
    parser.add_argument("out_dir", help="folder to write the reports to")
    parser.add_argument("--reports", type=int, default=100, help="number of reports (default 100)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--source", default=None, help="folder of reports to draw paragraphs from (default: seeds/)")
    parser.add_argument("--manifest", default=None, help="also write the manifest to this CSV (UTF-8 with BOM)")
    args = parser.parse_args(argv)
    if args.reports < 0:
        parser.error("--reports must be >= 0")
    manifest = generate_corpus(args.out_dir, args.reports, seed=args.seed, source_dir=args.source)
    if args.manifest:
        manifest.to_csv(args.manifest, index=False, encoding="utf-8-sig")
    size = manifest["n_bytes"].sum() / 1e6
    forms = manifest.groupby(["form", "encoding"]).size().to_dict()
    print(f"wrote {len(manifest)} reports ({size:.1f} MB) to {args.out_dir}")
    print("forms: " + ", ".join(f"{f}/{e}: {n}" for (f, e), n in sorted(forms.items())))
    print(f"follow-up reports (same issuer, next year): {(manifest['previous_doc_id'] != '').sum()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
