"""Web-page furniture ("chrome"): recognising it, and the dates and sources it states.

Scraped report pages carry breadcrumbs, date and source lines, share/font/print widgets,
header clocks, footers and ICP numbers around the report. This module tells such lines
apart from the report (:func:`is_chrome`, :func:`split_furniture`) and reads the two
facts they hold: the page's publication date (:func:`publish_date`) and its 来源 field
(:func:`source_field`).
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

import pandas as pd

__all__ = [
    "MAX_CHROME_LEN", "FIELD_LABELS", "Furniture", "info_fields", "is_chrome", "page_fields", "parse_date",
    "publish_date", "signed_field", "source_field", "split_furniture",
]  # fmt: skip

# Lines that are web-page furniture wherever they stand. Each pattern is anchored at the
# line start and only applied to short lines (see is_chrome), e.g.
#   您当前所在的位置: 首页 > 政务公开 > …      当前位置:首页>信息公开
#   发布日期:2023-12-13 10:57:35 来源:海珠区司法局   来源: 海安高新区 发布时间:2024-03-27
#   分享到:   浏览量:-   【字体:大 中 小】   [打印本页] [关闭窗口]   今天是:2019年10月31日 星期四
_CHROME_LINE_RE = re.compile(
    r"^[【\[]?\s*(?:"
    r"您?当前(?:所在)?(?:的)?位置|您(?:所在|现在)的位置|所在位置|首页\s*[>»›/]"
    r"|发布(?:日期|时间|机构|单位)|(?:信息)?来源\s*:|日期\s*:|时间\s*:|作者\s*:|编辑\s*:|责任编辑|审核\s*:"
    r"|浏览(?:量|次数)|阅读(?:量|次数)|点击(?:数|量|率|次数)|访问(?:量|总数|次数)|累计次数|分享到|分享\s*:"
    r"|【?\s*字[体号]\s*[:：]?|\[?\s*字[体号]\s*[:：]|【?\s*(?:打印|关闭)|\[\s*(?:打印|关闭)|打印本页|关闭窗口|返回顶部|收藏"
    r"|相关(?:文章|链接|阅读|新闻|文件|稿件|信息)|附件\s*:?\s*$|上一篇|下一篇|扫一扫|手机版|微信扫"
    r"|联系我们|网站地图|站点地图|友情链接|主办(?:单位)?\s*:|承办(?:单位)?\s*:|协办|技术支持|版权所有|copyright|©"
    r"|网站标识码|网站识别码|.{0,3}ICP|ICP备|.{0,4}公网安备"
    r"|今天是|文件已失效|已失效|已废止|有效性\s*:|索引号|主题分类|发文机关|成文日期|文\s*号\s*:|主\s*题\s*词|发文字号|标\s*题\s*:|名\s*称\s*:"
    r"|转载|本文来源|原文链接|来源于|视力保护色|无障碍|长者模式|繁体版|简体版|English\b"
    r"|【?\s*(?:大|中|小)\s*(?:中|小)?\s*】"
    r")",
    re.IGNORECASE,
)
# Footer markers: from the first of these near the end, everything after is furniture.
# (the last alternative: a registration mark anywhere in the line, "某某市人民政府办公室主办
# 某ICP备05004583号 网站标识码:…")
_FOOTER_RE = re.compile(
    r"^(?:相关(?:文章|链接|阅读|新闻)|附件\s*:?\s*$|访问总数|联系我们|网站地图|友情链接|主办|承办|版权所有|copyright|"
    r"网站标识码|上一篇|下一篇|扫一扫|.{0,8}ICP|.{0,4}公网安备"
    r"|.*?(?:ICP备|ICP证|公网安备|网站标识码|网站识别码|版权所有|copyright|©))",
    re.IGNORECASE,
)
#: Lines longer than this are never furniture (a sentence of the report).
MAX_CHROME_LEN = 120
# 2023-12-13 / 2023/12/13 / 2023.12.13 / 2023年12月13日
_DATE_RE = re.compile(r"((?:19|20)\d{2})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})")
# A date field not named in _FIELD_LABELS ("修改日期:2023-01-05" is taken last), never a
# signing or validity date ("成文日期", "施行日期", "印发时间") or a clock ("当前日期:…").
_ANY_DATE_FIELD_RE = re.compile(
    r"(?<!成文)(?<!印发)(?<!签发)(?<!施行)(?<!实施)(?<!生效)(?<!截止)(?<!当前)(?<!今天)(?<!今日)(?<!系统)(?<!访问)"
    r"(?:日期|时间)\s*[:\]】]?\s*" + _DATE_RE.pattern
)
_CLOCK_RE = re.compile(r"^今天是")


# A header clock not introduced by 今天是: "2019年10月31日 星期四" / "2019-10-31 星期四 农历九月初三"
_CLOCK_LINE_RE = re.compile(r"^.{0,20}(?:19|20)\d{2}\s*(?:[-/.]|年)\s*\d{1,2}\s*(?:[-/.]|月)\s*\d{1,2}日?\s*(?:星期|周)[一二三四五六日天]")

# --------------------------------------------------------------------------- info fields

#: Labels of the fields pages state about a report (info-disclosure tables, date and source
#: lines), by the field they fill; ``other`` labels are furniture whose value is not kept.
#: Publication-date labels are listed in order of preference.
FIELD_LABELS: dict[str, tuple[str, ...]] = {
    "title": ("标题", "名称", "文章标题", "信息名称", "文件名称", "公开事项名称", "题名"),
    "publisher": (
        "发布机构", "发文机关", "发布单位", "发文单位", "发布部门", "公开主体", "信息公开主体",
        "发布主体", "所属机构", "所属单位", "生成机构", "公开责任部门", "责任部门", "制发机关",
    ),
    "source": ("来源", "信息来源", "文章来源", "稿件来源", "来源单位", "本文来源", "新闻来源", "稿源", "出处"),
    "publish_date": (
        "发布日期", "发布时间", "发布于", "公开日期", "公开时间", "发表时间", "发表日期", "上线时间",
        "发文日期", "更新时间", "更新日期", "日期", "时间", "发布",
    ),
    "signed_date": ("成文日期", "成文时间", "印发日期", "签发日期", "成文"),
    "doc_number": ("文号", "发文字号", "发文文号", "文件编号", "文件字号", "发文号"),
    "other": (
        "索引号", "主题分类", "体裁分类", "组配分类", "服务对象分类", "主题词", "关键词", "有效性", "时效性",
        "公开方式", "公开范围", "公开形式", "公开时限", "信息分类", "信息类别", "所属主题", "所属分类", "分类",
        "作者", "编辑", "责任编辑", "审核", "审校", "浏览次数", "浏览量", "访问量", "点击数", "点击量",
        "阅读量", "阅读次数", "字号", "字体", "统一编号", "登记号", "有效期", "废止日期", "施行日期",
        "生效日期", "文件状态", "发布人",
    ),
}  # fmt: skip
_LABEL_FIELD = {label: key for key, labels in FIELD_LABELS.items() for label in labels}
# Any label, its characters possibly spaced ("标  题"), longest first ("发布日期" before "日期").
_LABEL_ALT = "|".join(r"\s*".join(map(re.escape, label)) for label in sorted(_LABEL_FIELD, key=len, reverse=True))
# Bullets, dashes and pipes that start a flattened table row: "• 发布机构:…", "- 标题:…", "| 标题 | … |"
_ROW_LEAD = r"[\s•·●◆◇■□▪○\-*>|]*"
# A label as an info field: bracketed "[ 发布日期 ] 2025-04-02" / "【来源】…", or followed by a
# colon or a pipe "发布机构:…" / "| 标题 | … |"; it starts the line or follows a space, a pipe,
# a bullet or a bracket, never the middle of a word ("成文日期" holds no field "日期").
_FIELD_RE = re.compile(
    r"(?:^|(?<=[\s|\]】•·●◆■▪\-*]))"
    r"(?:[\[【]\s*(?P<b>" + _LABEL_ALT + r")\s*[\]】]\s*:?|(?P<c>" + _LABEL_ALT + r")\s*(?::|\|))"
)
# A row that starts with a field: the above, or a label followed by spaces and a value at the
# start of a line ("标  题 某某区2023年…"), or a label alone on its line (its value is on the
# next line, as a two-cell table row is flattened).
_FIELD_ROW_RE = re.compile(
    "^" + _ROW_LEAD + r"(?:[\[【]\s*(?:" + _LABEL_ALT + r")\s*[\]】]|(?:" + _LABEL_ALT + r")\s*(?::|\||\s|$))"
)
# A label alone on a line, e.g. "发布机构" or "[ 标题 ]" or "发布机构:".
_LABEL_LINE_RE = re.compile("^" + _ROW_LEAD + r"[\[【]?\s*(?P<l>" + _LABEL_ALT + r")\s*[\]】]?\s*:?\s*\|?\s*$")
# A dated line of page furniture: a date with a clock time, or a date followed by a field:
# "2025-04-27 10:14 来源:某某区司法局" / "2024年3月5日 09:30" / "2024-03-05 来源:…"
_DATED_LINE_RE = re.compile(
    "^" + _ROW_LEAD + _DATE_RE.pattern + r"日?\s*(?:\d{1,2}:\d{2}(?::\d{2})?|(?=[\[【]?\s*(?:" + _LABEL_ALT + r")\s*[:\]】|]))"
)
# A date under any label ending in 日期/时间: "信息提供日期:2023-02-10" / "生成时间: 2024-01-05 09:00"
_LABELLED_DATE_RE = re.compile("^" + _ROW_LEAD + r"[\[【]?[\u4e00-\u9fff]{0,6}(?:日期|时间)\s*[:\]】]\s*" + _DATE_RE.pattern)
# A bare date line, e.g. "2024-03-28" / "2024年3月28日", or a byline: a name and a date,
# "某某市人民政府 2023-03-28" (furniture only above the report: below, it is a signature).
_BARE_DATE_RE = re.compile(
    "^" + _ROW_LEAD + r"(?:[\u4e00-\u9fff()]{2,30}\s+)?[\[【(]?" + _DATE_RE.pattern + r"日?[\]】)]?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?$"
)
#: A document number (文号): "某府发〔2024〕5号", "某政办函[2023]第12号".
DOC_NUMBER_RE = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[(【]\s*(?:19|20)\d{2}\s*[〕\])】]\s*第?\s*\d{1,4}\s*号")
# A line holding only a document number, bracketed or not (under a page's title).
_NUMBER_LINE_RE = re.compile(r"^[\[【(]?\s*" + DOC_NUMBER_RE.pattern + r"\s*[\]】)]?$")
# A newspaper or site named as source, followed by the date: "某某日报 2026-03-16"
_SOURCE_DATE_RE = re.compile(r"^(.*?)\s*" + _DATE_RE.pattern + r"日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?\s*$")


def info_fields(lines: list[str]) -> list[tuple[str, str, str]]:
    """The labelled fields stated in page lines: ``(field, label, value)`` in page order.

    Fields are recognised in every flattened form of an info-disclosure table or date line:
    ``发布机构:…``, several on one line, bulleted or dashed rows, bracketed labels
    (``[ 发布日期 ] 2025-04-02``), spaced labels with or without a colon (``标  题 …``),
    pipe tables (``| 标题 | … |``) and a label alone on its line with its value on the next.
    ``field`` is a key of :data:`FIELD_LABELS`; ``label`` the label without spaces.

    Examples
    --------
    >>> info_fields(["• 发布机构:某某县司法局", "[ 发布日期 ] 2025-04-02 | 来源:县司法局"])
    [('publisher', '发布机构', '某某县司法局'), ('publish_date', '发布日期', '2025-04-02'), ('source', '来源', '县司法局')]
    >>> info_fields(["标  题 某某县2024年法治政府建设情况报告", "成文日期", "2025年3月1日"])
    [('title', '标题', '某某县2024年法治政府建设情况报告'), ('signed_date', '成文日期', '2025年3月1日')]
    """
    out: list[tuple[str, str, str]] = []
    skip = False
    for i, line in enumerate(lines):
        if skip:
            skip = False
            continue
        if len(line) > MAX_CHROME_LEN or not _FIELD_ROW_RE.match(line):
            continue
        alone = _LABEL_LINE_RE.match(line)
        if alone:
            label = re.sub(r"\s+", "", alone.group("l"))
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            if nxt and len(nxt) <= MAX_CHROME_LEN and not _FIELD_ROW_RE.match(nxt):
                out.append((_LABEL_FIELD[label], label, _clean_value(nxt)))
                skip = True
            else:
                out.append((_LABEL_FIELD[label], label, ""))  # an empty field: "来源:"
            continue
        matches = list(_FIELD_RE.finditer(line))
        if not matches or matches[0].start() > len(line) - len(line.lstrip(" •·●◆◇■□▪○-*>|")):
            # "标  题 某某…": a label at the start followed by spaces, no colon
            m = re.match(_ROW_LEAD + r"(?P<l>" + _LABEL_ALT + r")\s+", line)
            if m is None:
                continue
            label = re.sub(r"\s+", "", m.group("l"))
            end = matches[0].start() if matches else len(line)
            out.append((_LABEL_FIELD[label], label, _clean_value(line[m.end() : end])))
        for j, m in enumerate(matches):
            label = re.sub(r"\s+", "", m.group("b") or m.group("c"))
            end = matches[j + 1].start() if j + 1 < len(matches) else len(line)
            out.append((_LABEL_FIELD[label], label, _clean_value(line[m.end() : end])))
    return out


def _clean_value(value: str) -> str:
    """A field's value without the table's pipes, brackets and widgets around it."""
    value = value.split("|")[0] if "|" in value.strip(" |") else value
    return value.strip(" \t|[]【】•·").strip()


def is_chrome(line: str) -> bool:
    """Whether one line of a page is web-page furniture wherever it stands.

    Examples
    --------
    >>> is_chrome("【字体:大 中 小】"), is_chrome("发布日期:2024-03-28 来源:区司法局")
    (True, True)
    >>> is_chrome("今天是:2019年10月31日 星期四"), is_chrome("2023年,某某镇坚持依法行政。")
    (True, False)
    >>> is_chrome("- 发文机关:某某县人民政府"), is_chrome("2025-04-27 10:14 来源:某某日报")
    (True, True)
    """
    if len(line) > MAX_CHROME_LEN:
        return False
    return bool(_any_chrome_re().match(line) or (len(line) <= 60 and _CLOCK_LINE_RE.match(line)))


@functools.cache
def _any_chrome_re() -> re.Pattern[str]:
    """One pattern for the four kinds of furniture line (one match call instead of four):
    the alternation of the patterns, each keeping its own flags."""
    parts = []
    for rx in (_CHROME_LINE_RE, _FIELD_ROW_RE, _DATED_LINE_RE, _LABELLED_DATE_RE):
        flags = "i" if rx.flags & re.IGNORECASE else ""
        parts.append(f"(?{flags}:{rx.pattern})" if flags else f"(?:{rx.pattern})")
    return re.compile("|".join(parts))


class Furniture(NamedTuple):
    """A page's lines below its title, split by :func:`split_furniture`."""

    #: The report's lines.
    body: list[str]
    #: The furniture lines, in page order.
    chrome: list[str]
    #: How many of ``chrome`` stand above the report's first line.
    n_head: int


# A line of report prose: it ends a sentence after some length ("…各项任务。"); the footer
# never reaches above one.
_SENTENCE_LINE_RE = re.compile(r"^.{30,}[。;!?]$")


def split_furniture(lines: list[str], title: str | None) -> Furniture:
    """Split the lines below a page's title into report lines and furniture lines.

    The footer starts at the first footer marker (相关文章, 版权所有, ICP …) after which
    only short lines follow; above it, furniture lines (:func:`is_chrome`) are furniture,
    and so are, above the report's first line, the title repeated under itself and a bare
    date (a date under the closing signature stays in the report).

    Parameters
    ----------
    lines
        The page's lines after its title (or all its lines when it has none).
    title
        The title found above them, if any.

    Returns
    -------
    Furniture
        The report's lines, the furniture lines, and how many of those come first.

    Examples
    --------
    >>> split_furniture(["【字体:大 中 小】", "2023年,某某镇…", "版权所有:某某镇人民政府"], None)
    Furniture(body=['2023年,某某镇…'], chrome=['【字体:大 中 小】', '版权所有:某某镇人民政府'], n_head=1)
    """
    # Footer: from the first footer marker after which only short lines follow, and
    # below the first line of content (an ICP number in a site header is no footer).
    first_content = next((i for i, line in enumerate(lines) if not is_chrome(line)), len(lines))
    cut = len(lines)
    for i in range(len(lines) - 1, first_content, -1):
        if len(lines[i]) > MAX_CHROME_LEN or _SENTENCE_LINE_RE.search(lines[i]):
            break
        if _FOOTER_RE.match(lines[i]):
            cut = i
    chrome: list[str] = []
    body: list[str] = []
    started = False
    n_head = 0
    for line in lines[:cut]:
        if is_chrome(line):
            chrome.append(line)
            continue
        if not started and (
            (title and (line == title or (len(line) <= 90 and line in title)))
            or _BARE_DATE_RE.match(line)
            or _NUMBER_LINE_RE.match(line)
            or (chrome and _label_value(chrome[-1], line))
        ):
            # the title repeated under itself, a date or a document number under it, or
            # the value of an info-table label on the line above ("文 号:" / "某府函〔2025〕21号")
            chrome.append(line)
            continue
        if not started:
            n_head = len(chrome)
        started = True
        body.append(line)
    if not started:
        n_head = len(chrome)
    chrome.extend(lines[cut:])
    return Furniture(body, chrome, n_head)


def _label_value(label_line: str, line: str) -> bool:
    """Whether ``line`` is the value of the field ``label_line`` names alone ("文 号:"):
    short, no field row itself, no sentence."""
    return bool(
        _LABEL_LINE_RE.match(label_line)
        and len(line) <= MAX_CHROME_LEN
        and not _FIELD_ROW_RE.match(line)
        and not line.endswith(("。", ";", ":", "!", "?"))
    )


def parse_date(text: str) -> pd.Timestamp | None:
    """The first date written in ``text`` (Arabic or Chinese numerals), or None.

    Examples
    --------
    >>> parse_date("2024-03-05 10:14"), parse_date("二〇二四年三月二十日")
    (Timestamp('2024-03-05 00:00:00'), Timestamp('2024-03-20 00:00:00'))
    >>> parse_date("2024年2月30日") is None
    True
    """
    m = _DATE_RE.search(text)
    if m is None:
        m = _CN_DATE_RE.search(text)
        if m is None:
            return None
        return _date(_cn_number(m.group(1), year=True), _cn_number(m.group(2)), _cn_number(m.group(3)))
    return _date(*m.groups())


# 二〇二四年三月二十日 / 二○二三年十二月三十一日
_CN_DATE_RE = re.compile(r"([〇零○一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日")
_CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0"}


def _cn_number(s: str, *, year: bool = False) -> str:
    """二〇二四 -> 2024 (digit by digit, a year), 十二 -> 12, 二十一 -> 21, 十 -> 10."""
    if year:
        return "".join(_CN_DIGIT[c] for c in s)
    if "十" not in s:
        return _CN_DIGIT[s]
    tens, _, ones = s.partition("十")
    return str(int(_CN_DIGIT.get(tens, "1") if tens else "1") * 10 + (int(_CN_DIGIT[ones]) if ones else 0))


# A labelled date that shows its weekday is no header clock: "发布时间:2024年3月5日 星期二"
_LABELLED_LINE_RE = re.compile(r"^\W*(?:发布|发表|公开|更新|发文|信息|日期|时间)")


def _not_clock(line: str) -> bool:
    return not (_CLOCK_RE.match(line) or (_CLOCK_LINE_RE.match(line) and not _LABELLED_LINE_RE.match(line)))


_PUBLISH_RANK = {label: i for i, label in enumerate(FIELD_LABELS["publish_date"])}


def publish_date(
    chrome: list[str], meta_date: str | None = None, *, head: list[str] | None = None,
    fields: list[tuple[str, str, str]] | None = None,
) -> tuple[pd.Timestamp | None, str]:
    """The page's publication date, and where it was found.

    In order: a labelled date field in the furniture (发布日期 before 发文日期, 更新时间, a
    bare 日期/时间; ``chrome``), any other date field except a signing or validity date
    (``chrome``), a date after the 来源 value ("来源:某某日报 2026-03-16"; ``source``), an
    unlabelled date line above the report (``near_title``), the page's date ``<meta>``
    field (``meta``). A header clock (今天是…, "2019年10月31日 星期四") and 成文日期 are never
    taken.

    Parameters
    ----------
    chrome
        The page's furniture lines.
    meta_date
        The content of an HTML date ``<meta>`` field.
    head
        The furniture lines above the report (default: none).
    fields
        :func:`info_fields` of ``chrome`` when already computed.

    Returns
    -------
    tuple
        The date (None when the page shows none) and its evidence code (``none`` then).

    Examples
    --------
    >>> publish_date(["今天是:2019年10月31日 星期四", "成文日期:2024-03-20", "发布日期:2024-03-28"])
    (Timestamp('2024-03-28 00:00:00'), 'chrome')
    >>> publish_date(["2025-04-27 10:14 来源:某某区司法局"], head=["2025-04-27 10:14 来源:某某区司法局"])
    (Timestamp('2025-04-27 00:00:00'), 'near_title')
    >>> publish_date([], "2023-12-13 10:57")
    (Timestamp('2023-12-13 00:00:00'), 'meta')
    """
    lines = [line for line in chrome if _not_clock(line)]
    best: tuple[int, pd.Timestamp] | None = None
    source_value = None
    for key, label, value in info_fields(lines) if fields is None else fields:
        if key == "publish_date":
            date = parse_date(value[:24])
            if date is not None and (best is None or _PUBLISH_RANK[label] < best[0]):
                best = (_PUBLISH_RANK[label], date)
        elif key == "source" and source_value is None:
            source_value = value
    if best is not None:
        return best[1], "chrome"
    for line in lines:
        m = _ANY_DATE_FIELD_RE.search(line)
        if m:
            date = _date(*m.groups())
            if date is not None:
                return date, "chrome"
    if source_value:
        m = _SOURCE_DATE_RE.match(source_value)
        if m:
            date = _date(*m.groups()[1:])
            if date is not None:
                return date, "source"
    for line in head or []:
        if _not_clock(line) and (_DATED_LINE_RE.match(line) or _BARE_DATE_RE.match(line)):
            date = parse_date(line)
            if date is not None:
                return date, "near_title"
    if meta_date:
        m = _DATE_RE.search(meta_date)
        if m:
            date = _date(*m.groups())
            if date is not None:
                return date, "meta"
    return None, "none"


def _date(y: str, m: str, d: str) -> pd.Timestamp | None:
    try:
        return pd.Timestamp(year=int(y), month=int(m), day=int(d))
    except ValueError:
        return None


def signed_field(chrome: list[str], fields: list[tuple[str, str, str]] | None = None) -> pd.Timestamp | None:
    """The 成文日期 (signing date) a page's info table states, or None.

    Examples
    --------
    >>> signed_field(["索引号:000014349/2024-00031", "成文日期:2024-03-20", "发布日期:2024-03-28"])
    Timestamp('2024-03-20 00:00:00')
    """
    for key, _, value in info_fields(chrome) if fields is None else fields:
        if key == "signed_date":
            date = parse_date(value[:24])
            if date is not None:
                return date
    return None


# Where a 来源 value ends: two spaces, a bracket, a widget ("来源:某某区司法局  浏览量:12")
_SOURCE_END_RE = re.compile(r"\s{2,}|[【\[]|(?:累计|浏览|点击|阅读|访问)")


def source_field(chrome: list[str], fields: list[tuple[str, str, str]] | None = None) -> str | None:
    """The value of the page's 来源 field (None when absent or empty), without a date after it.

    Examples
    --------
    >>> source_field(["发布日期:2023-12-13 10:57:35 来源:海珠区司法局"])
    '海珠区司法局'
    >>> source_field(["[ 来源 ] 某某日报 2026-03-16"])
    '某某日报'
    """
    for key, _, value in info_fields(chrome) if fields is None else fields:
        if key == "source":
            value = _SOURCE_END_RE.split(value, maxsplit=1)[0].strip()
            m = _SOURCE_DATE_RE.match(value)
            if m:
                value = m.group(1).strip()
            return value or None
    return None


def page_fields(chrome: list[str], fields: list[tuple[str, str, str]] | None = None) -> dict[str, str]:
    """The first non-empty value of each field in the furniture (see :func:`info_fields`).

    Examples
    --------
    >>> page_fields(["· 发布机构:某某县司法局", "· 发文字号:某司发〔2024〕3号"])
    {'publisher': '某某县司法局', 'doc_number': '某司发〔2024〕3号'}
    """
    out: dict[str, str] = {}
    for key, _, value in info_fields(chrome) if fields is None else fields:
        if value and key != "other":
            out.setdefault(key, value)
    return out
