"""The seed reports cut into pools of items a synthetic report draws from.

Each seed is split into its opening sentence and its top-level parts (measures and
results, the first-responsible duty, shortcomings, next year's plans), each part into
intro paragraphs and numbered items; the place names each seed mentions are recorded so
that :func:`analysis.pipeline.synth.places.replace_places` can rewrite them.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from pathlib import Path

from analysis.pipeline.synth.places import places_in

__all__ = ["OPENING", "OPENING_SUBJECT", "Item", "Pools", "load_pools"]

# Web-page furniture in scraped seed files, e.g. "发布日期:2023-12-13 10:57:35 来源:海珠区司法局",
# "您当前所在的位置: 首页 > 政务公开", "粤ICP备05083207号-1", "文件已失效", "附件:".
_CHROME_LINE = re.compile(
    r"^(?:您当前所在的位置|当前位置|发布日期|发布时间|来源|日期|分享到|浏览量|浏览次数|字体|附件|相关文章|"
    r"访问总数|联系我们|主办|承办|网站标识码|文件已失效|今天是|【)"
    r"|ICP备|公网安备|累计次数|字体:?\[|浏览量:"
)
# A top-level heading, e.g. "一、2024年度法治政府建设主要工作及成效".
_TOP_HEADING = re.compile(r"^[一二三四五六七八九十]{1,3}、")
# A second-level item marker, e.g. "(一)党政主要负责人…" or "（二）…".
_PAREN_ITEM = re.compile(r"^[(（][一二三四五六七八九十]{1,3}[)）]")
# Other item markers opening a paragraph, e.g. "一是在学习…", "二是,坚持…", "1、学习…", "2.积极…".
_OTHER_ITEM = re.compile(r"^(?:[一二三四五六七八九十]{1,3}是[,，:：]?|\d{1,2}[、.．](?!\d))")
# Any item marker at the start of an item's first line (stripped before renumbering).
_ANY_MARKER = re.compile(r"^(?:[(（][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}是[,，:：]?|\d{1,2}[、.．](?!\d))")
# The opening sentence of a report, e.g. "2024年,琶洲街道在…" or "2020年白云湖街以…".
OPENING = re.compile(r"^((?:19|20)\d{2})年")
# A signature line: a date "2023年12月22日" or an issuing body ending the report.
_SIGNATURE_DATE = re.compile(r"^(?:19|20)\d{2}年\d{1,2}月\d{1,2}日$")
_SIGNATURE_BODY = re.compile(r"^[\u4e00-\u9fff()（）]{4,40}(?:委员会|办事处|人民政府|局|委|办公室)$")

# Classifying a top-level part by its heading, e.g. "二、存在的问题和不足" -> problems.
_PART_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("problems", re.compile(r"不足|问题|短板|差距")),
    ("plans", re.compile(r"计划|安排|打算|下一步|下年度|下一年|思路")),
    ("duty", re.compile(r"第一责任人")),
)

# The subject right after the opening year, e.g. "2024年,琶洲街道在" -> "琶洲街道",
# "2023年,我局坚持" -> "我局", "2020年白云湖街以" -> "白云湖街".
OPENING_SUBJECT = re.compile(
    r"^(?:19|20)\d{2}年[,，]?\s*(我局|我街|我区|我县|我市|我镇|本局|[\u4e00-\u9fff]{2,12}?(?:街道|街|镇|乡|区|县|市|局))"
)


@dataclasses.dataclass(frozen=True)
class Item:
    """One numbered item of a part: its lines (first line without its marker)."""

    lines: tuple[str, ...]
    seed: int


@dataclasses.dataclass(frozen=True)
class Pools:
    openings: tuple[tuple[str, int], ...]  # (opening sentence, seed index)
    items: dict[str, tuple[Item, ...]]  # part -> items
    intros: dict[str, tuple[tuple[str, int], ...]]  # part -> intro paragraphs
    seed_years: tuple[int, ...]
    seed_places: tuple[dict[str, tuple[int, str]], ...]  # per seed: name -> (level, form)


def _decode(raw: bytes) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


def _clean_lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ").replace("\xa0", " ")
    return [ln.strip() for ln in text.split("\n") if ln.strip()]


def _part_of(heading: str) -> str:
    for part, pattern in _PART_PATTERNS:
        if pattern.search(heading):
            return part
    return "measures"


def _split_items(lines: list[str], seed: int) -> tuple[list[str], list[Item]]:
    """Split a part's lines into intro paragraphs and items."""
    if any(_PAREN_ITEM.match(ln) for ln in lines):
        starts = [i for i, ln in enumerate(lines) if _PAREN_ITEM.match(ln)]
    else:
        starts = [i for i, ln in enumerate(lines) if _OTHER_ITEM.match(ln)]
    if not starts:
        return [], [Item((ln,), seed) for ln in lines]
    intro = lines[: starts[0]]
    items = []
    for a, b in zip(starts, starts[1:] + [len(lines)]):
        first = _ANY_MARKER.sub("", lines[a], count=1).strip()
        if first:
            items.append(Item((first, *lines[a + 1 : b]), seed))
    return intro, items


def _parse_seed(text: str, seed: int) -> tuple[str, int, dict[str, list[str]], dict[str, list[Item]]] | None:
    lines = [ln for ln in _clean_lines(text) if not _CHROME_LINE.search(ln)]
    opening_at = next((i for i, ln in enumerate(lines) if OPENING.match(ln)), None)
    if opening_at is None:
        return None
    opening = lines[opening_at]
    year = int(OPENING.match(opening).group(1))  # type: ignore[union-attr]
    body = lines[opening_at + 1 :]
    # Drop a closing signature block (bodies and a date) and anything after it.
    while body and (_SIGNATURE_DATE.match(body[-1]) or _SIGNATURE_BODY.match(body[-1])):
        body.pop()
    intros: dict[str, list[str]] = {}
    items: dict[str, list[Item]] = {}
    heads = [i for i, ln in enumerate(body) if _TOP_HEADING.match(ln)]
    for a, b in zip(heads, heads[1:] + [len(body)]):
        part = _part_of(body[a])
        intro, its = _split_items(body[a + 1 : b], seed)
        intros.setdefault(part, []).extend(intro)
        items.setdefault(part, []).extend(its)
    return opening, year, intros, items


def _seed_files(source_dir: Path) -> list[Path]:
    return sorted(p for p in source_dir.rglob("*") if p.is_file() and p.suffix.lower() in {".txt", ".htm", ".html"})


def _html_to_text(raw: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(raw, "lxml")
    for tag in soup(["script", "style", "nav", "footer"]):
        tag.decompose()
    return soup.get_text("\n")


@functools.lru_cache(maxsize=8)
def load_pools(source_dir: str) -> Pools:
    files = _seed_files(Path(source_dir))
    if not files:
        raise FileNotFoundError(f"no seed reports (.txt/.html) under {source_dir}")
    openings: list[tuple[str, int]] = []
    items: dict[str, list[Item]] = {}
    intros: dict[str, list[tuple[str, int]]] = {}
    years: list[int] = []
    places: list[dict[str, tuple[int, str]]] = []
    for path in files:
        text = _decode(path.read_bytes())
        if path.suffix.lower() in {".htm", ".html"}:
            text = _html_to_text(text)
        parsed = _parse_seed(text, len(years))
        if parsed is None:
            continue
        opening, year, its_intro, its = parsed
        seed = len(years)
        years.append(year)
        openings.append((opening, seed))
        for part, lst in its.items():
            items.setdefault(part, []).extend(lst)
        for part, lst in its_intro.items():
            intros.setdefault(part, []).extend((p, seed) for p in lst)
        seed_text = "\n".join([opening, *(ln for it in sum(its.values(), []) for ln in it.lines)])
        seed_text += "\n" + "\n".join(p for lst in its_intro.values() for p in lst)
        subject = OPENING_SUBJECT.match(opening)
        own = subject.group(1) if subject else ""
        extra = {own: 4} if re.search(r"(?:街道|镇|乡)$", own) and len(own) >= 4 else {}
        places.append(places_in(seed_text, extra))
    for part in ("measures", "problems", "plans"):
        if not items.get(part):
            raise ValueError(f"the seed reports under {source_dir} have no {part!r} part to sample from")
    return Pools(
        openings=tuple(openings),
        items={k: tuple(v) for k, v in items.items()},
        intros={k: tuple(v) for k, v in intros.items()},
        seed_years=tuple(years),
        seed_places=tuple(places),
    )
