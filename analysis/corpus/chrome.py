"""Web-page furniture ("chrome"): recognising it, and the dates and sources it states.

Scraped report pages carry breadcrumbs, date and source lines, share/font/print widgets,
header clocks, footers and ICP numbers around the report. This module tells such lines
apart from the report (:func:`is_chrome`, :func:`split_furniture`) and reads the two
facts they hold: the page's publication date (:func:`publish_date`) and its 来源 field
(:func:`source_field`).
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["MAX_CHROME_LEN", "is_chrome", "split_furniture", "publish_date", "source_field"]

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
    r"|网站标识码|网站识别码|[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]ICP|ICP备|.{0,4}公网安备"
    r"|今天是|文件已失效|已失效|已废止|有效性\s*:|索引号|主题分类|发文机关|成文日期|文\s*号\s*:|主\s*题\s*词|发文字号|标\s*题\s*:|名\s*称\s*:"
    r"|转载|本文来源|原文链接|来源于|视力保护色|无障碍|长者模式|繁体版|简体版|English\b"
    r"|【?\s*(?:大|中|小)\s*(?:中|小)?\s*】"
    r")",
    re.IGNORECASE,
)
# Footer markers: from the first of these near the end, everything after is furniture.
_FOOTER_RE = re.compile(
    r"^(?:相关(?:文章|链接|阅读|新闻)|附件\s*:?\s*$|访问总数|联系我们|网站地图|友情链接|主办|承办|版权所有|copyright|"
    r"网站标识码|上一篇|下一篇|扫一扫|.{0,8}ICP|.{0,4}公网安备)",
    re.IGNORECASE,
)
#: Lines longer than this are never furniture (a sentence of the report).
MAX_CHROME_LEN = 120
# 2023-12-13 / 2023/12/13 / 2023.12.13 / 2023年12月13日
_DATE_RE = re.compile(r"((?:19|20)\d{2})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})")
# Date fields in order of preference: the page's publication date before any other date.
_PUBLISH_RES = (
    re.compile(r"(?:发布(?:日期|时间)|发布于|公开日期|发表时间)\s*:?\s*" + _DATE_RE.pattern),
    re.compile(r"(?<!成文)(?:日期|时间)\s*:?\s*" + _DATE_RE.pattern),
)
_SOURCE_RE = re.compile(
    r"(?:信息)?来源\s*:\s*(.*?)\s*(?=(?:发布(?:日期|时间)|日期|时间|作者|浏览|点击|阅读|累计|字体|【|\[|\s{2,}|$))"
)
_CLOCK_RE = re.compile(r"^今天是")


# A header clock not introduced by 今天是: "2019年10月31日 星期四" / "2019-10-31 星期四 农历九月初三"
_CLOCK_LINE_RE = re.compile(r"^.{0,20}(?:19|20)\d{2}\s*(?:[-/.]|年)\s*\d{1,2}\s*(?:[-/.]|月)\s*\d{1,2}日?\s*(?:星期|周)[一二三四五六日天]")


def is_chrome(line: str) -> bool:
    """Whether one line of a page is web-page furniture wherever it stands.

    Examples
    --------
    >>> is_chrome("【字体:大 中 小】"), is_chrome("发布日期:2024-03-28 来源:区司法局")
    (True, True)
    >>> is_chrome("今天是:2019年10月31日 星期四"), is_chrome("2023年,某某镇坚持依法行政。")
    (True, False)
    """
    if len(line) > MAX_CHROME_LEN:
        return False
    return bool(_CHROME_LINE_RE.match(line)) or (len(line) <= 60 and bool(_CLOCK_LINE_RE.match(line)))


def split_furniture(lines: list[str], title: str | None) -> tuple[list[str], list[str]]:
    """Split the lines below a page's title into report lines and furniture lines.

    The footer starts at the first footer marker (相关文章, 版权所有, ICP …) after which
    only short lines follow; above it, furniture lines (:func:`is_chrome`) and the title
    repeated under itself are furniture too.

    Parameters
    ----------
    lines
        The page's lines after its title (or all its lines when it has none).
    title
        The title found above them, if any.

    Returns
    -------
    tuple of two lists of str
        The report's lines, and the furniture lines in page order.

    Examples
    --------
    >>> split_furniture(["【字体:大 中 小】", "2023年,某某镇…", "版权所有:某某镇人民政府"], None)
    (['2023年,某某镇…'], ['【字体:大 中 小】', '版权所有:某某镇人民政府'])
    """
    # Footer: from the first footer marker after which only short lines follow.
    cut = len(lines)
    for i in range(len(lines) - 1, -1, -1):
        if len(lines[i]) > MAX_CHROME_LEN:
            break
        if _FOOTER_RE.match(lines[i]):
            cut = i
    chrome: list[str] = []
    body: list[str] = []
    started = False
    for line in lines[:cut]:
        if is_chrome(line):
            chrome.append(line)
            continue
        if not started and title and (line == title or (len(line) <= 90 and line in title)):
            chrome.append(line)  # the title repeated under itself
            continue
        started = True
        body.append(line)
    chrome.extend(lines[cut:])
    return body, chrome


def publish_date(chrome: list[str], meta_date: str | None = None) -> pd.Timestamp | None:
    """The page's publication date from its furniture lines, else its date ``<meta>`` field.

    A 发布日期/发布时间 field wins over a bare 日期/时间 field; a header clock (今天是…,
    "2019年10月31日 星期四") and a 成文日期 are never taken.

    Examples
    --------
    >>> publish_date(["今天是:2019年10月31日 星期四", "成文日期:2024-03-20", "发布日期:2024-03-28"])
    Timestamp('2024-03-28 00:00:00')
    >>> publish_date([], "2023-12-13 10:57")
    Timestamp('2023-12-13 00:00:00')
    """
    lines = [line for line in chrome if not (_CLOCK_RE.match(line) or _CLOCK_LINE_RE.match(line))]
    for rx in _PUBLISH_RES:
        for line in lines:
            m = rx.search(line)
            if m:
                return _date(*m.groups())
    if meta_date:
        m = _DATE_RE.search(meta_date)
        if m:
            return _date(*m.groups())
    return None


def _date(y: str, m: str, d: str) -> pd.Timestamp | None:
    try:
        return pd.Timestamp(year=int(y), month=int(m), day=int(d))
    except ValueError:
        return None


def source_field(chrome: list[str]) -> str | None:
    """The value of the page's 来源 field (None when absent or empty).

    Examples
    --------
    >>> source_field(["发布日期:2023-12-13 10:57:35 来源:海珠区司法局"])
    '海珠区司法局'
    """
    for line in chrome:
        m = _SOURCE_RE.search(line)
        if m:
            value = m.group(1).strip()
            return value or None
    return None


