"""Load a folder of scraped reports into one tidy table: metadata plus clean text.

One row per input file, whatever state the file is in. Decoding (BOM, UTF-8, GB18030,
UTF-16, a declared HTML charset), HTML parsing, normalisation of full-width forms and
removal of web-page furniture ("chrome") all happen here, so later steps work on one
canonical ``text`` per report and every offset in every later table points into it.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
import warnings
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.config import corpus_dir
from analysis.places import resolve_places

__all__ = [
    "CorpusWarning", "CorpusError", "load_corpus", "normalize_text", "publication_timeliness",
    "plot_report_lengths", "REPORT_SUFFIXES", "COLUMNS",
]  # fmt: skip

#: File types read as reports; anything else is listed in a :class:`CorpusWarning`.
REPORT_SUFFIXES = frozenset({".txt", ".html", ".htm"})

#: Columns of :func:`load_corpus`, in order.
COLUMNS = [
    "doc_id", "path", "sha256", "encoding", "status", "message", "title", "issuer",
    "issuer_type", "province", "city", "county", "subdistrict", "report_year",
    "publish_date", "source", "chrome", "n_chars", "text",
]  # fmt: skip

ISSUER_TYPES = (
    "provincial_government", "city_government", "district_government", "department",
    "subdistrict", "township", "other",
)  # fmt: skip


class CorpusWarning(UserWarning):
    """Files under the corpus folder that were not read as reports (other types)."""


class CorpusError(ValueError):
    """Raised by ``load_corpus(strict=True)`` for a file that cannot be read as a report."""


# --------------------------------------------------------------------------- text form

# Full-width ASCII forms -> ASCII (，（）：；％！？１２３ …), ideographic and no-break
# spaces -> space, zero-width characters removed. 、。“”《》—… are left as they are.
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH.update({0x3000: 0x20, 0x00A0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20})
_FULLWIDTH.update({0x200B: None, 0x200C: None, 0x200D: None, 0xFEFF: None, 0x00AD: None})

# Stray control characters other than tab/newline, e.g. "\x0b" or "\x1a" from old editors.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_CHARS = frozenset(chr(cp) for cp in range(0x80) if _CONTROL_RE.match(chr(cp)))

# The full-width table as strings ("": deleted), and patterns for a character to map and
# for one to map or delete (a text typically holds a handful of distinct ones).
_REPLACEMENT = {chr(cp): "" if to is None else chr(to) for cp, to in _FULLWIDTH.items()}
_FULLWIDTH_RE = re.compile("[" + "".join(re.escape(c) for c in sorted(_REPLACEMENT)) + "]")
_FULLWIDTH_OR_CONTROL_RE = re.compile(
    "[" + "".join(re.escape(c) for c in sorted(_REPLACEMENT.keys() | _CONTROL_CHARS)) + "]"
)


def normalize_text(raw: str) -> str:
    """Return the canonical text form used by every table of the package.

    LF line ends; each line stripped; empty lines dropped; full-width ASCII forms mapped
    to ASCII (``，（）：；％！？１２３`` -> ``,():;%!?123``); ideographic and no-break
    spaces become spaces; ``、。“”《》`` are kept.

    Examples
    --------
    >>> normalize_text("　一、主要举措（２０２３年）：\\r\\n\\r\\n  完成率９９．７％　")
    '一、主要举措(2023年):\\n完成率99.7%'
    """
    return _normalize(raw)[0]


def _normalize(raw: str) -> tuple[str, bool]:
    """:func:`normalize_text` of ``raw``, and whether ``raw`` holds a control character.

    The steps are: NFC; map :data:`_FULLWIDTH`; CR/CRLF -> LF; delete control characters
    (:data:`_CONTROL_RE`); strip lines and drop empty ones. Instead of a callback per
    character, each distinct character to map is replaced everywhere with str.replace as
    soon as a scan meets it, and the scan resumes there (nothing to map lies before it).
    Equivalent because the replacements are printable ASCII, space or nothing: never a
    character to map, a control character, "\\r" or "\\n". Control characters are
    deleted after the line ends are unified, as before (deleting one between "\\r" and
    "\\n" first would change the result); the first one met only switches the scan to
    the full-width characters. NFC neither adds nor removes control characters (no
    canonical decomposition or composition involves one), so the flag holds for ``raw``.
    """
    text = unicodedata.normalize("NFC", raw)
    has_control = False
    scan = _FULLWIDTH_OR_CONTROL_RE
    m = scan.search(text)
    while m:
        c, pos = m.group(), m.start()
        if c in _CONTROL_CHARS:
            has_control = True
            scan = _FULLWIDTH_RE
        else:
            text = text.replace(c, _REPLACEMENT[c])
        m = scan.search(text, pos)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if has_control:
        text = _CONTROL_RE.sub("", text)
    return "\n".join(filter(None, map(str.strip, text.split("\n")))), has_control


# --------------------------------------------------------------------------- decoding

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# <meta charset="gbk"> or <meta http-equiv="Content-Type" content="text/html; charset=gb2312">
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_CHINESE_LEGACY = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312"}
_BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"GIF8", b"\xff\xd8\xff")


class _DecodeError(Exception):
    pass


def _decode(data: bytes, is_html: bool) -> tuple[str, str]:
    """Decode raw bytes; return (text, encoding name). Raise _DecodeError with a reason."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(name)
            except UnicodeDecodeError as exc:
                raise _DecodeError(f"undecodable: invalid {name} after a byte-order mark ({exc.reason})") from None
            return text, name.replace("-le", "").replace("-be", "") if name.startswith("utf-16") else name
    if data.startswith(_BINARY_MAGIC):
        raise _DecodeError("binary file (PDF, Office, archive or image content), not text")
    if b"\x00" in data:
        # UTF-16 without a BOM: every other byte is NUL in mostly-ASCII text.
        for name in ("utf-16-le", "utf-16-be"):
            if len(data) % 2 == 0:
                try:
                    text = data.decode(name)
                except UnicodeDecodeError:
                    continue
                if not _CONTROL_RE.search(text.replace("\x00", "")) and "\x00" not in text:
                    return text, "utf-16"
        raise _DecodeError("binary file: contains NUL bytes")
    candidates: list[str] = []
    if is_html:
        m = _META_CHARSET_RE.search(data[:4096])
        if m:
            declared = m.group(1).decode("ascii", "replace").lower()
            candidates.append("gb18030" if declared in _CHINESE_LEGACY else declared)
    candidates.append("utf-8")
    for name in dict.fromkeys(candidates):
        try:
            return data.decode(name), name
        except UnicodeDecodeError as exc:
            # UTF-8 that only fails in its last bytes was cut inside a multi-byte character.
            if name == "utf-8" and exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
                raise _DecodeError(
                    f"truncated: file ends inside a multi-byte UTF-8 character at byte {exc.start}"
                ) from None
        except LookupError:
            continue
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
    except Exception:  # pragma: no cover - detector failure is reported as undecodable
        best = None
    if best is not None and best.encoding and best.chaos < 0.2:
        return str(best), best.encoding
    raise _DecodeError("undecodable: not valid UTF-8, GB18030, UTF-16 or a declared charset")


# --------------------------------------------------------------------------- HTML

_DROP_TAGS = ("script", "style", "noscript", "nav", "footer", "header", "iframe", "form", "select", "button", "template", "svg")
_BLOCK_TAGS = (
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
    "table", "ul", "ol", "dd", "dt", "blockquote", "pre", "td", "th",
)  # fmt: skip
# <title> suffixes naming the site: "…的报告_海珠区人民政府门户网站" / "… - 某某网"
_SITE_SUFFIX_RE = re.compile(r"\s*[_|\-–—]+\s*[^_|\-–—]*(网|网站|门户|政府|平台|首页)\s*$")
# <meta name="PubDate" content="2023-12-13 10:57"> and its CMS cousins.
_META_DATE_NAMES = ("pubdate", "publishdate", "firstpublishedtime", "articlepubdate", "publishdate", "date", "dc.date")


@dataclass
class _Html:
    text: str
    titles: list[str] = field(default_factory=list)
    meta_date: str | None = None
    truncated: bool = False


# <?xml version="1.0" encoding="gb2312"?>: lxml refuses str input that declares an encoding.
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>")


def _html_to_text(markup: str) -> _Html:
    """Text, title candidates and date meta field of an HTML page (lxml's HTML parser).

    script/style/nav/header/footer/form … are dropped; block elements and ``<br>``
    become line breaks. Falls back to BeautifulSoup's stdlib parser if lxml fails.
    """
    lowered = markup[-2048:].lower()
    truncated = "<html" in markup[:2048].lower() and "</html>" not in lowered and "</body>" not in lowered
    try:
        import lxml.html

        doc = lxml.html.document_fromstring(_XML_DECL_RE.sub("", markup, count=1) or "<html></html>")
    except Exception:  # malformed beyond lxml's recovery: BeautifulSoup's stdlib parser
        return _html_to_text_bs4(markup, truncated)
    meta_date = None
    for meta in doc.iter("meta"):
        name = str(meta.get("name") or meta.get("property") or "").lower()
        if name in _META_DATE_NAMES and meta.get("content"):
            meta_date = str(meta.get("content"))
            break
    titles = [" ".join(h.text_content().split()) for h in doc.iter("h1")]
    title_el = doc.find(".//title")
    if title_el is not None and title_el.text:
        titles.append(_SITE_SUFFIX_RE.sub("", title_el.text.strip()))
    titles = [t for t in titles if t]
    for el in list(doc.iter(*_DROP_TAGS)):
        el.drop_tree()
    for el in doc.iter(*_BLOCK_TAGS):
        el.tail = "\n" + (el.tail or "")
        if el.tag != "br":
            el.text = "\n" + (el.text or "")
    body = doc.find("body")
    text = (body if body is not None else doc).text_content()
    return _Html(text=text, titles=titles, meta_date=meta_date, truncated=truncated)


def _html_to_text_bs4(markup: str, truncated: bool) -> _Html:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    titles: list[str] = []
    meta_date = None
    for meta in soup.find_all("meta"):
        name = str(meta.get("name") or meta.get("property") or "").lower()
        if name in _META_DATE_NAMES and meta.get("content"):
            meta_date = str(meta["content"])
            break
    for tag in soup.find_all("h1"):
        t = tag.get_text(" ", strip=True)
        if t:
            titles.append(t)
    if soup.title and soup.title.string:
        t = _SITE_SUFFIX_RE.sub("", str(soup.title.string).strip())
        if t:
            titles.append(t)
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    body = soup.body or soup
    return _Html(text=body.get_text(""), titles=titles, meta_date=meta_date, truncated=truncated)


# --------------------------------------------------------------------------- chrome

# Lines that are web-page furniture wherever they stand. Each pattern is anchored at the
# line start and only applied to short lines (see _is_chrome), e.g.
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
_MAX_CHROME_LEN = 120
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


def _is_chrome(line: str) -> bool:
    if len(line) > _MAX_CHROME_LEN:
        return False
    return bool(_CHROME_LINE_RE.match(line)) or (len(line) <= 60 and bool(_CLOCK_LINE_RE.match(line)))


# --------------------------------------------------------------------------- title

# A report title: "…关于2023年度法治政府建设情况的报告", "…2023年法治政府建设年度报告",
# "…依法行政工作情况报告".
_TITLE_RE = re.compile(r"(?:法治|依法行政|依法治).{0,30}(?:报告|報告)|(?:报告|報告).{0,6}$")
_SENTENCE_END_RE = re.compile(r"[。;!?]$")
# Lines that mention a report but are not its title: "现将2023年法治政府建设情况报告如下:",
# headings "一、…报告", sentences ending in punctuation.
_NOT_TITLE_RE = re.compile(r"如下|现将|[,:;,]$|^(?:[一二三四五六七八九十]+、|\(?[一二三四五六七八九十\d]+\)|\d+[.、])")
_TITLE_HEAD_LINES = 25


def _find_title(lines: list[str], html_titles: list[str]) -> tuple[int, int, str | None]:
    """Return (first, last) line index of the title in ``lines`` (or -1, -1) and the title."""
    limit = min(len(lines), _TITLE_HEAD_LINES)
    for i in range(limit):
        line = lines[i]
        if _is_chrome(line) or len(line) > 90 or "。" in line or _NOT_TITLE_RE.search(line):
            continue
        if any("。" in prev or len(prev) > 60 for prev in lines[:i] if not _is_chrome(prev)):
            break  # report paragraphs come before it: a sentence of the body, not the title
        if _TITLE_RE.search(line) and ("报告" in line or "報告" in line):
            # A title split over two lines: "XX人民政府关于" + "2023年度法治政府建设情况的报告".
            if i > 0 and not _is_chrome(lines[i - 1]) and len(lines[i - 1]) <= 40 and (
                lines[i - 1].endswith("关于") or _ORG_END_RE.search(lines[i - 1])
            ) and not _SENTENCE_END_RE.search(lines[i - 1]) and line.startswith(("关于", "20", "19", "二〇", "法治", "依法")):
                return i - 1, i, lines[i - 1] + line
            if i + 1 < len(lines) and line.endswith("关于") and len(lines[i + 1]) <= 40:
                return i, i + 1, line + lines[i + 1]
            return i, i, line
    for t in html_titles:
        t = normalize_text(t).replace("\n", "")
        if "报告" in t:
            return -1, -1, t
    return -1, -1, None


# --------------------------------------------------------------------------- metadata

# A year as reports write it: 2023年 / 2023年度 / 二〇二三年.
_CN_DIGITS = {"〇": "0", "零": "0", "○": "0", "Ｏ": "0", "O": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
_CN_YEAR_RE = re.compile(r"([〇零○一二三四五六七八九]{4})年")
# A range (2021-2025年), (2021—2025年) or a year inside a 《document title》 is not the year covered.
_RANGE_RE = re.compile(r"(?:19|20)\d{2}\s*[-—–~至到]\s*(?:19|20)?\d{2}\s*年")
_BOOK_RE = re.compile(r"《[^《》]*》")
_YEAR_IN_TITLE_RE = re.compile(r"((?:19|20)\d{2})\s*年")
# The opening sentence: "2023年,我局…" / "2020年白云湖街以…" / "2023年度,…"
_OPENING_YEAR_RE = re.compile(r"^(?:在)?((?:19|20)\d{2})\s*年(?:度)?(?:以来|来|,|,|以|是|在|全|我|,|\s|[\u4e00-\u9fff])")
_BODY_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?(?:以来|,|全年|我|本)")


def _cn_years_to_arabic(s: str) -> str:
    return _CN_YEAR_RE.sub(lambda m: "".join(_CN_DIGITS[c] for c in m.group(1)) + "年", s)


# "(2024年3月)" / "(2024年3月20日)": a date under or after the title, not the year covered.
_PAREN_DATE_RE = re.compile(r"\((?:19|20)\d{2}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?\)")


def _strip_non_cover_years(s: str) -> str:
    s = _PAREN_DATE_RE.sub(lambda m: "#" * len(m.group(0)), s)
    s = _BOOK_RE.sub(lambda m: "#" * len(m.group(0)), s)
    return _RANGE_RE.sub(lambda m: "#" * len(m.group(0)), s)


def _report_year(title: str | None, text: str) -> tuple[int | None, str]:
    """The year the report covers, and where it came from."""
    if title:
        t = _strip_non_cover_years(_cn_years_to_arabic(title))
        years = [int(y) for y in _YEAR_IN_TITLE_RE.findall(t)]
        if years:
            return years[0], "title"
    opening = _strip_non_cover_years(_cn_years_to_arabic(text[:400]))
    m = _OPENING_YEAR_RE.search(opening)
    if m:
        return int(m.group(1)), "opening sentence"
    m = _BODY_YEAR_RE.search(opening)
    if m:
        return int(m.group(1)), "opening paragraph"
    return None, ""


# Organisation name endings used to cut an issuer out of a title or an opening sentence.
_ORG_END = (
    r"(?:街道党工委|街道办事处|街道|人民政府|政府|办事处|工作委员会|委员会|办公室|管委会|管理委员会"
    r"|局|厅|委|办|署|中心|院|所|镇|乡|街|区|县|市|旗|州|盟|省|自治区)"
)
# "<issuer>关于2023年度…报告" / "<issuer>2023年(度)法治政府建设…报告" / "<issuer>法治政府建设…报告"
_TITLE_ISSUER_RES = (
    re.compile(r"^(.{2,60}?)\s*(?:关于|關於)"),
    re.compile(r"^(.{2,60}?)\s*(?:(?:19|20)\d{2}|[〇零○一二三四五六七八九]{4})\s*年"),
    re.compile(r"^(.{2,60}?" + _ORG_END + r")\s*(?:法治|依法行政|依法治|推进|年度)"),
)
# Opening sentence "2020年白云湖街以…" / "2024年,琶洲街道在区委…": the subject before the first verb.
_OPENING_ISSUER_RE = re.compile(
    r"^(?:(?:19|20)\d{2}年(?:度)?(?:以来)?[,,]?\s*)([\u4e00-\u9fff()]{2,40}?" + _ORG_END + r")"
    r"(?=以|在|坚持|深入|认真|全面|紧紧|紧密|紧扣|围绕|按照|始终|持续|扎实|着力|聚焦|高度|切实|积极|不断|严格|全力|立足|贯彻|进一步|牢牢|严格|"
    r"[,,:、])"
)
_ORG_END_RE = re.compile(_ORG_END + r"$")
_SELF_REFERENCE = re.compile(r"^(?:我|本|全)(?:局|区|市|县|镇|乡|街|委|办|厅|单位|部门|中心)")
# A signature line: "中共深圳市龙华区观湖街道工作委员会" / "深圳市龙华区观湖街道办事处"
_SIGNATURE_RE = re.compile(r"^[\u4e00-\u9fff()]{4,40}" + _ORG_END + r"$")
_SIGNATURE_DATE_RE = re.compile(r"^(?:(?:19|20)\d{2}|[〇零○一二三四五六七八九]{4})年\d{1,2}月\d{1,2}日$|^[〇零○一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日$")


def _issuer_from_title(title: str) -> str | None:
    t = title.strip()
    for rx in _TITLE_ISSUER_RES:
        m = rx.search(t)
        if m:
            issuer = m.group(1).strip(" ,:")
            issuer = re.sub(r"(?:19|20)\d{2}\s*年度?$", "", issuer).strip()
            issuer = re.sub(r"^(?:(?:19|20)\d{2}\s*年度?|关于)\s*", "", issuer).strip()
            if len(issuer) >= 2 and _ORG_END_RE.search(issuer) and not _SELF_REFERENCE.match(issuer):
                return issuer
    return None


def _signature(lines: list[str]) -> list[str]:
    """Issuing bodies in a closing signature block (the last lines before an optional date)."""
    out: list[str] = []
    for line in reversed(lines[-6:]):
        if _SIGNATURE_DATE_RE.match(line):
            if out:
                break
            continue
        if _SIGNATURE_RE.match(line):
            out.append(line)
        else:
            break
    return list(reversed(out))


def _issuer(title: str | None, text: str, source: str | None = None) -> tuple[str | None, str]:
    if title:
        issuer = _issuer_from_title(title)
        if issuer:
            return issuer, "title"
    lines = text.split("\n")
    sig = _signature(lines)
    if sig:
        return " ".join(sig), "signature"
    m = _OPENING_ISSUER_RE.match(lines[0] if lines else "")
    if m and not _SELF_REFERENCE.match(m.group(1)):
        return m.group(1), "opening sentence"
    if source and len(source) <= 40 and _ORG_END_RE.search(source) and "网" not in source:
        return source, "source field"
    return None, ""


# The organisational unit the issuer ends with decides its type; checked in this order.
_TYPE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?:街道办事处|街道办|街道党工委|街道工作委员会|街道|[\u4e00-\u9fff]街)$"), "subdistrict"),
    (re.compile(r"(?:镇|乡|苏木)(?:人民政府|政府|党委)?$"), "township"),
    (re.compile(r"(?:地区|盟)?行政公署$"), "city_government"),  # 喀什地区行政公署
    (re.compile(r"(?:局|厅|委员会|委|办公室|办|署|中心|院|所|队|站|管委会)$"), "department"),
    # a government, or a bare place name standing for it ("海安市2022年法治政府建设情况报告")
    (re.compile(r"(?:省|自治区)(?:人民政府|政府)?$"), "provincial_government"),
    (re.compile(r"(?:区|县|旗|自治县|特区|林区)(?:人民政府|政府)?$"), "district_government"),
    (re.compile(r"(?:市|州|盟|地区)(?:人民政府|政府)?$"), "city_government"),
)
_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")


def _issuer_type(issuer: str | None, county: str, city: str) -> str:
    if not issuer:
        return "other"
    last = issuer.split()[-1]
    for rx, kind in _TYPE_RULES:
        if rx.search(last):
            if kind == "city_government":
                name = re.sub(r"(?:人民政府|政府)$", "", last)
                if name.endswith(_MUNICIPALITIES):
                    return "provincial_government"
                if county and name.endswith(county):
                    return "district_government"  # a county-level city: 海安市人民政府
            return kind
    if re.search(r"(?:人民政府|政府)$", last):
        return "district_government" if county else ("city_government" if city else "other")
    return "other"


_SUBDISTRICT_RE = re.compile(r"([\u4e00-\u9fff]{2,12}?(?:街道|镇|乡|街))(?:办事处|人民政府|党工委|工作委员会|政府)?$")


def _subdistrict(issuer: str | None, issuer_type: str, township: str) -> str:
    if issuer_type not in ("subdistrict", "township") or not issuer:
        return ""
    last = issuer.split()[-1]
    last = re.sub(r"^.*(?:区|县|市|旗)(?:人民政府)?(?=[\u4e00-\u9fff]{2,12}(?:街道|镇|乡|街))", "", last)
    m = _SUBDISTRICT_RE.search(last)
    name = m.group(1) if m else ""
    if township and (name == township or township.startswith(name)):
        return township
    return name


def _publish_date(chrome: list[str], meta_date: str | None) -> pd.Timestamp | None:
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


def _source(chrome: list[str]) -> str | None:
    for line in chrome:
        m = _SOURCE_RE.search(line)
        if m:
            value = m.group(1).strip()
            return value or None
    return None


# --------------------------------------------------------------------------- one file


def _empty_row(doc_id: str, rel: str) -> dict[str, object]:
    row: dict[str, object] = dict.fromkeys(COLUMNS)
    row.update(doc_id=doc_id, path=rel, status="ok", message="", chrome="", n_chars=0, text="")
    return row


def _read_one(path: Path, root: Path) -> dict[str, object]:
    """Read one file into a row of the corpus table (never raises for bad content)."""
    rel = path.relative_to(root).as_posix()
    doc_id = _doc_id(rel)
    row = _empty_row(doc_id, rel)
    try:
        data = path.read_bytes()
    except OSError as exc:
        row.update(status="error", message=f"unreadable: {exc.strerror or exc}")
        return row
    row["sha256"] = hashlib.sha256(data).hexdigest()
    if not data:
        row.update(status="error", message="empty file (0 bytes)")
        return row
    is_html = path.suffix.lower() in (".html", ".htm") or data.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html"))
    try:
        raw, encoding = _decode(data, is_html)
    except _DecodeError as exc:
        row.update(status="error", message=str(exc))
        return row
    row["encoding"] = encoding
    messages: list[str] = []
    html_titles: list[str] = []
    meta_date = None
    if is_html:
        parsed = _html_to_text(raw)
        raw, html_titles, meta_date = parsed.text, parsed.titles, parsed.meta_date
        if parsed.truncated:
            messages.append("truncated HTML: no closing </body> or </html>")
    # The normalisation scan also tells whether raw holds any control character: only
    # then can the (whole-text) binary-content test below be true.
    text, has_control = _normalize(raw)
    if has_control and _CONTROL_RE.search(raw.replace("\x00", "")) and len(_CONTROL_RE.findall(raw)) > max(8, len(raw) // 200):
        row.update(status="error", message="binary content: too many control characters for text")
        return row
    if not text:
        row.update(status="error", message="no text: the file is empty or whitespace only")
        return row
    _fill_from_text(row, text, html_titles, meta_date, messages)
    notes = [m for m in messages if m.startswith("note:")]
    problems = [m for m in messages if not m.startswith("note:")]
    if problems:
        row["status"] = "warning"
    row["message"] = "; ".join(problems + notes)
    return row


def _fill_from_text(
    row: dict[str, object], text: str, html_titles: list[str], meta_date: str | None, messages: list[str]
) -> None:
    lines = text.split("\n")
    first, last, title = _find_title(lines, html_titles)
    chrome: list[str] = []
    body: list[str] = []
    if first >= 0:
        chrome.extend(line for line in lines[:first])  # everything above the title is page furniture
        after = lines[last + 1 :]
    else:
        after = lines
    # Footer: from the first footer marker after which only short lines follow.
    cut = len(after)
    for i in range(len(after) - 1, -1, -1):
        if len(after[i]) > _MAX_CHROME_LEN:
            break
        if _FOOTER_RE.match(after[i]):
            cut = i
    footer = after[cut:]
    started = False
    for line in after[:cut]:
        if _is_chrome(line):
            chrome.append(line)
            continue
        if not started and title and (line == title or (len(line) <= 90 and line in title)):
            chrome.append(line)  # the title repeated under itself
            continue
        started = True
        body.append(line)
    chrome.extend(footer)
    text_body = "\n".join(body)
    row["title"] = title
    row["chrome"] = "\n".join(chrome)
    row["text"] = text_body
    row["n_chars"] = len(text_body)
    if not text_body:
        row["status"] = "error"
        row["message"] = "no report text after removing web-page furniture"
        return
    year, year_from = _report_year(title, text_body)
    row["report_year"] = year
    if year is None:
        messages.append("report year not found in the title or the opening sentence")
    source = _source(chrome)
    issuer, issuer_from = _issuer(title, text_body, source)
    if issuer is None:
        messages.append("issuer not found in the title, signature or opening sentence")
    context = "\n".join([title or "", text_body[:600], "\n".join(lines[-6:]), source or ""])
    place = resolve_places(issuer or "", context)
    if place.county and place.county == place.city:
        # prefecture-level cities without counties (东莞市, 中山市, 嘉峪关市, 儋州市)
        place = type(place)(province=place.province, city=place.city, county="", township=place.township)
    row["issuer"] = issuer
    row["issuer_type"] = _issuer_type(issuer, place.county, place.city)
    row["province"] = place.province or None
    row["city"] = place.city or None
    row["county"] = place.county or None
    row["subdistrict"] = _subdistrict(issuer, str(row["issuer_type"]), place.township) or None
    row["publish_date"] = _publish_date(chrome, meta_date)
    row["source"] = source
    if title is None:
        messages.append(
            "note: no title line; " + (f"issuer from the {issuer_from}" if issuer else "no issuer")
            + (f", year from the {year_from}" if year else "")
        )


def _doc_id(rel: str) -> str:
    """File path relative to the corpus root, without its extension ("a/b/000_x").

    ``rel`` is a POSIX path from ``Path.as_posix()``; string operations give the same as
    ``Path(rel).with_suffix("").as_posix()`` (pathlib's rule for a suffix: the last
    component's final ".", neither its first nor its last character) at a fraction of
    the cost.
    """
    name = rel.rpartition("/")[2]
    i = name.rfind(".")
    return rel[: len(rel) - len(name) + i] if 0 < i < len(name) - 1 else rel


# --------------------------------------------------------------------------- the table


def _discover(root: Path) -> tuple[list[Path], list[Path]]:
    reports: list[Path] = []
    others: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            p = Path(dirpath) / name
            (reports if p.suffix.lower() in REPORT_SUFFIXES else others).append(p)
    key = lambda p: p.relative_to(root).as_posix()  # noqa: E731
    return sorted(reports, key=key), sorted(others, key=key)


def _files_to_read(path: str | os.PathLike[str] | None, *, stacklevel: int) -> tuple[list[Path], Path]:
    """The report files under ``path`` (or the one file) and the root their ids are relative to.

    Warns (:class:`CorpusWarning`) naming the files of other types that are not read;
    ``stacklevel`` counts from the caller (1: the caller, 2: its caller). Shared by
    :func:`load_corpus` and the pipeline, whose workers read the files themselves.
    """
    root = corpus_dir(path)
    if not root.exists():
        raise FileNotFoundError(f"corpus folder not found: {root}")
    if root.is_file():
        return [root], root.parent
    files, others = _discover(root)
    if others:
        names = ", ".join(p.relative_to(root).as_posix() for p in others[:20])
        more = f" and {len(others) - 20} more" if len(others) > 20 else ""
        warnings.warn(
            f"{len(others)} file(s) under the corpus folder are not .txt/.html/.htm and were not read: {names}{more}",
            CorpusWarning,
            stacklevel=stacklevel + 1,
        )
    return files, root


def load_corpus(
    path: str | os.PathLike[str] | None = None, *, strict: bool = False, n_jobs: int = 1
) -> pd.DataFrame:
    """Read every report under ``path`` into one table: metadata and clean text.

    Parameters
    ----------
    path
        Folder searched recursively for ``.txt``, ``.html`` and ``.htm`` files (hidden
        files and folders are skipped). Default: ``$ANALYSIS_CORPUS`` or the repository's
        ``seeds/``. A single file is accepted too.
    strict
        Raise :class:`CorpusError` naming the first file with status ``error`` instead of
        returning its row.
    n_jobs
        Worker processes for reading and parsing (``1``: in this process; ``-1``: all cores).
        The table is the same whatever the value.

    Returns
    -------
    pandas.DataFrame
        One row per report file, in path order, columns:

        ``doc_id``
            File path relative to the corpus root without extension (stable).
        ``path``
            File path relative to the corpus root (POSIX form).
        ``sha256``
            Hex digest of the raw bytes (provenance; duplicates share it).
        ``encoding``
            Encoding used to decode the bytes (``utf-8``, ``utf-8-sig``, ``gb18030``, ``utf-16`` …).
        ``status``
            ``ok``, ``warning`` (read, with a caveat in ``message``) or ``error`` (not read).
        ``message``
            What went wrong or what to check (a duplicate names its twin); for ``ok`` rows
            empty or a ``note:`` on where metadata came from (e.g. a file with no title).
        ``title``
            The report's title line (joined when split over two lines; from ``<h1>`` or
            ``<title>`` for HTML), or NA when the page has none.
        ``issuer``
            Issuing body, from the title ("<issuer>关于…报告"), else the signature block,
            else the opening sentence ("2020年白云湖街以…").
        ``issuer_type``
            ``provincial_government``, ``city_government``, ``district_government``
            (county level), ``department``, ``subdistrict`` (街道), ``township`` (镇/乡)
            or ``other``, from the ending of the issuer's name.
        ``province``, ``city``, ``county``
            Administrative divisions of the issuer, resolved against the shipped
            gazetteer (NBS 2023 codes) using every place name in the title, opening,
            signature and source; NA above the issuer's own level or when unknown.
        ``subdistrict``
            The 街道/镇/乡 issuing the report (NA for other issuer types).
        ``report_year``
            Year the report covers (Int64): from the title, else the opening sentence;
            never a header clock, a publication date, a range such as (2021-2025年) or a
            year inside a 《cited document》.
        ``publish_date``
            Date in the page's 发布日期/发布时间/日期 field or ``<meta name="PubDate">``
            (datetime64; NaT when absent).
        ``source``
            The page's 来源 field (NA when absent or empty).
        ``chrome``
            The lines removed as web-page furniture, newline-joined (breadcrumbs, date and
            source lines, share/font/print widgets, footers, ICP numbers, stamps such as
            文件已失效, header clocks). A closing signature block stays in ``text``.
        ``n_chars``
            Length of ``text``.
        ``text``
            The report body in canonical form (:func:`normalize_text`): every later
            offset points into it. Empty for rows with status ``error``.

    Warns
    -----
    CorpusWarning
        When files of other types (README, PDF, .docx …) were found and not read.

    Examples
    --------
    >>> corpus = load_corpus()
    >>> corpus["report_year"].tolist()
    [2024, 2023, 2023, 2020, 2023]
    >>> corpus["issuer_type"].tolist()[:2]
    ['subdistrict', 'department']
    """
    files, base = _files_to_read(path, stacklevel=2)
    workers = (os.cpu_count() or 1) if n_jobs == -1 else max(1, n_jobs)
    if workers > 1 and len(files) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            rows = list(pool.map(_read_one, files, [base] * len(files), chunksize=max(1, len(files) // (workers * 8))))
    else:
        rows = [_read_one(f, base) for f in files]
    _flag_duplicates(rows)
    if strict:
        for row in rows:
            if row["status"] == "error":
                raise CorpusError(f"{row['path']}: {row['message']}")
    return _to_frame(rows)


def _flag_duplicates(rows: list[dict[str, object]]) -> None:
    """Mark files whose raw bytes or clean text duplicate an earlier file's (status warning)."""
    seen_bytes: dict[object, str] = {}
    seen_text: dict[str, str] = {}
    for row in rows:
        if row["status"] == "error" or row["sha256"] is None:
            continue
        twin = seen_bytes.get(row["sha256"])
        kind = "identical bytes"
        if twin is None and row["text"]:
            twin = seen_text.get(str(row["text"]))
            kind = "identical report text"
        if twin is not None:
            msg = f"duplicate: {kind} as {twin}"
            row["status"] = "warning"
            row["message"] = f"{row['message']}; {msg}" if row["message"] else msg
        else:
            seen_bytes[row["sha256"]] = str(row["path"])
            if row["text"]:
                seen_text[str(row["text"])] = str(row["path"])


def _to_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=COLUMNS)
    df["report_year"] = pd.array(df["report_year"].tolist(), dtype="Int64")
    df["publish_date"] = pd.to_datetime(df["publish_date"])
    df["n_chars"] = df["n_chars"].astype("int64")
    for col in ("doc_id", "path", "sha256", "encoding", "status", "message", "title", "issuer",
                "issuer_type", "province", "city", "county", "subdistrict", "source", "chrome", "text"):  # fmt: skip
        df[col] = df[col].astype("string")
    return df


# --------------------------------------------------------------------------- timeliness

#: Art. 24 of the 2019 《法治政府建设与责任落实督察工作规定》: reports are made public
#: "每年4月1日之前" (before 1 April) of the year after the year they cover.
PUBLICATION_DEADLINE = (4, 1)


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
    year = pd.to_numeric(out["report_year"], errors="coerce")
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


#: Above this many reports, :func:`plot_report_lengths` draws a histogram instead of bars.
MAX_BARS = 40


def plot_report_lengths(corpus: pd.DataFrame):
    """Report lengths (characters of ``text``): one labelled bar per report, or a histogram.

    Bars are labelled with the issuer (Chinese) and report year; with more than
    :data:`MAX_BARS` readable reports a histogram of lengths is drawn instead. Returns the
    Figure.
    """
    import matplotlib.pyplot as plt

    from analysis.plots.fonts import use_cjk_font

    use_cjk_font()
    ok = corpus[corpus["status"] != "error"]
    if len(ok) > MAX_BARS:
        fig, ax = plt.subplots(figsize=(8, 4))
        ax.hist(ok["n_chars"].to_numpy(), bins=30, color="#4c72b0")
        ax.set_xlabel("characters of report text (after removing web-page furniture)")
        ax.set_ylabel("reports")
        ax.set_title(f"Report lengths ({len(ok):,} reports)")
        fig.tight_layout()
        return fig
    labels = [
        f"{(i if isinstance(i, str) else d)} ({y if pd.notna(y) else '?'})"
        for i, d, y in zip(ok["issuer"].fillna(ok["doc_id"]), ok["doc_id"], ok["report_year"])
    ]
    fig, ax = plt.subplots(figsize=(8, 0.45 * max(len(ok), 3) + 1))
    ax.barh(range(len(ok)), ok["n_chars"].to_numpy(), color="#4c72b0")
    ax.set_yticks(range(len(ok)), labels)
    ax.invert_yaxis()
    ax.set_xlabel("characters of report text (after removing web-page furniture)")
    ax.set_title("Report lengths")
    for i, n in enumerate(ok["n_chars"]):
        ax.text(n, i, f" {n:,}", va="center", fontsize=8)
    fig.tight_layout()
    return fig


# TEMP contract aliases (removed at merge)
# The public loader contract the pipeline codes against, defined from today's private
# helpers until the loader package (analysis/corpus/) lands.
from analysis import places  # noqa: E402  (analysis.corpus.places.resolve_places)


def discover_files(root: Path) -> tuple[list[Path], list[Path]]:
    """(report files, other files) under ``root``, sorted by relative path."""
    return _discover(root)


def find_report_files(path: str | os.PathLike[str] | None = None, *, stacklevel: int = 2) -> tuple[list[Path], Path]:
    """The report files under ``path`` and the root their ids are relative to (warns on others)."""
    return _files_to_read(path, stacklevel=stacklevel + 1)


def read_report(path: Path, root: Path) -> dict[str, object]:
    """Read one file into a row of the corpus table (never raises for bad content)."""
    return _read_one(path, root)


def finish_corpus(rows: list[dict[str, object]]) -> pd.DataFrame:
    """The corpus table from rows of :func:`read_report` (duplicates flagged in place)."""
    _flag_duplicates(rows)
    return _to_frame(rows)
