"""What a report says about itself: title, document number, report year and kind of page.

The title is read from the page's lines (joined when split over two lines, cleaned of
bullets, labels and a leading document number), else from an info-table 标题 field, else
from the HTML ``<h1>``/``<title>``; the year from the title, else the opening; the kind of
page (:data:`DOC_TYPES`) from the title and the shape of the text. The issuer is read by
:mod:`analysis.corpus.issuer`, places by :mod:`analysis.corpus.places`, dates and fields
in the web-page furniture by :mod:`analysis.corpus.chrome`.
"""

from __future__ import annotations

import re

from analysis.corpus.chrome import DOC_NUMBER_RE, is_chrome
from analysis.corpus.issuer import ORG_END_RE
from analysis.corpus.read import normalize_text

__all__ = ["DOC_TYPES", "find_title", "clean_title", "find_doc_number", "report_year", "doc_type"]

#: Values of the ``doc_type`` column (see :func:`doc_type`).
DOC_TYPES = ("annual_report", "interpretation", "other")

# --------------------------------------------------------------------------- title

# What a title names: a report on rule of law ("法治政府建设", "依法行政", "法制建设", "述法").
_TITLE_KEY_RE = re.compile(r"法治|依法行政|依法治|法制|述法")
# How a title ends: 报告, 总结, 情况, then at most a bracket ("(全文)", "(2021年度)") or a
# few characters ("的报告》"): "…建设情况的报告", "…工作总结", "…建设工作情况".
_TITLE_END_RE = re.compile(
    r"(?:报告|報告|总结|總結|情况)(?:\s*\([^()]{1,16}\)|\s*[》」』\]】]|[的之]?[^,。,;:]{0,2})$|(?:报告|总结|情况)》?\s*[:]?\s*(?:政策)?(?:解读|图解)$"
)
# A year in a title (2023年, 二〇二三年度) and an issuer before the report's name (某某区, 某某局)
_TITLE_YEAR_RE = re.compile(r"(?:19|20)\d{2}\s*年|[〇零○一二三四五六七八九]{4}\s*年")
_ISSUER_BEFORE_RE = re.compile(r"(?:政府|委员会|办公室|管委会|局|厅|委|办|署|处|部|中心|街道|镇|乡|苏木|区|县|市|州|盟|旗|省)")
_SENTENCE_END_RE = re.compile(r"[。;!?]$")
# Lines that mention a report but are not its title: "现将2023年法治政府建设情况报告如下:",
# headings "一、…报告", sentences ending in punctuation.
_NOT_TITLE_RE = re.compile(r"如下|现将|[,:;,]$|^(?:[一二三四五六七八九十]+、|\(?[一二三四五六七八九十\d]+\)|\d+[.、])")
# How the first part of a split title ends: "某某市人民政府关于" / "某某县2023年度" / "…法治政府"
_SPLIT_HEAD_RE = re.compile(r"(?:关于|(?:19|20)\d{2}\s*年度?|[〇零○一二三四五六七八九]{4}年度?)$")
# How the second part of a split title starts: "2023年度…" / "关于…" / "法治政府建设…报告"
_SPLIT_TAIL_RE = re.compile(r"^(?:关于|(?:19|20)\d{2}|二〇|二○|法治|依法|法制|全面|推进|年度)")
# A year, 关于 or an organisation in the first part of a title split after 法治政府: "某某县2023年法治政府"
_TITLE_HEAD_HINT_RE = re.compile(r"关于|(?:19|20)\d{2}\s*年|[〇零○一二三四五六七八九]{4}年|(?:政府|局|厅|委|办|街道|镇|乡|区|县|市|省)")
_TITLE_HEAD_LINES = 25
# Bullets, labels and brackets around a title: "• 标题:…", "[ 标题 ] …", "【…】"
_TITLE_LABEL_RE = re.compile(r"^[\s•·●◆◇■□▪○\-*>|]*(?:[\[【]\s*)?(?:标\s*题|名\s*称|文章标题|题\s*名)\s*(?:[\]】]\s*)?:?\s*")
#: A document number: 某政发〔2026〕3号, 川府函[2017]52号, 某办发(2024)第12号
# A document number at the start of a title, in brackets or not: "[某政发〔2026〕3号]某某…"
_LEADING_NUMBER_RE = re.compile(r"^[\[【(]?\s*(" + DOC_NUMBER_RE.pattern + r")\s*[\]】)]?\s*")


def _names_report(line: str) -> bool:
    """Names a rule-of-law report and ends like a title."""
    key = _TITLE_KEY_RE.search(line)
    end = _TITLE_END_RE.search(line)
    return bool(key and end and key.start() < end.start())


def _titled(line: str) -> bool:
    """A complete title: names a rule-of-law report, ends like one, and says whose or when.

    A bare "法治政府建设年度报告" names a column of a site, not a report: a title also
    holds a year, 关于, or an issuer before the words naming the report.
    """
    if not _names_report(line):
        return False
    key = _TITLE_KEY_RE.search(line)
    return bool(_TITLE_YEAR_RE.search(line) or "关于" in line or _ISSUER_BEFORE_RE.search(line[: key.start()]))


def _candidate(line: str) -> bool:
    return not (is_chrome(line) or len(line) > 90 or "。" in line or _NOT_TITLE_RE.search(line))


def find_title(lines: list[str], html_titles: list[str]) -> tuple[int, int, str | None]:
    """The report's title line(s) among the first lines of a page.

    A title names a report on rule of law (法治, 依法行政, 法制 …) and ends like one (…报告,
    …工作总结, …建设情况, a bracket after it); furniture lines, sentences, headings and
    column labels ("工作报告") are skipped, and the search stops at the first paragraph of
    the body. A title split over two lines is joined: after its issuer or year
    ("…人民政府关于" + "2023年度…的报告") or inside the title ("…2023年法治政府" +
    "建设情况报告"). Bullets, labels and a leading document number are stripped
    (:func:`clean_title`). When no line qualifies, the first HTML title (``<h1>``,
    ``<title>``) that does is used.

    Parameters
    ----------
    lines
        The page's lines in :func:`analysis.corpus.normalize_text` form.
    html_titles
        Title candidates from the page's markup (empty for plain text).

    Returns
    -------
    tuple
        Index of the title's first and last line in ``lines`` (``-1, -1`` when the title
        is not in them) and the title (None when there is none).

    Examples
    --------
    >>> find_title(["首页 > 政务公开", "某某县人民政府关于", "2023年度法治政府建设情况的报告", "2023年,我县…"], [])
    (1, 2, '某某县人民政府关于2023年度法治政府建设情况的报告')
    >>> find_title(["工作报告", "某某镇2022年法治政府", "建设工作总结", "2022年,某某镇…"], [])
    (1, 2, '某某镇2022年法治政府建设工作总结')
    """
    limit = min(len(lines), _TITLE_HEAD_LINES)
    for i in range(limit):
        line = lines[i]
        if not _candidate(line):
            continue
        if any("。" in prev or len(prev) > 60 for prev in lines[:i] if not is_chrome(prev)):
            break  # report paragraphs come before it: a sentence of the body, not the title
        prev = lines[i - 1] if i > 0 else ""
        prev_ok = bool(prev) and _candidate(prev) and len(prev) <= 40 and not _SENTENCE_END_RE.search(prev)
        # "某某人民政府关于" / "某某县2023年度" + "法治政府建设情况的报告"
        if (
            prev_ok and _names_report(line) and (_SPLIT_HEAD_RE.search(prev) or ORG_END_RE.search(prev))
            and _SPLIT_TAIL_RE.match(line) and not _names_report(prev) and _titled(prev + line)
        ):
            return i - 1, i, clean_title(prev + line)
        if _titled(line):
            return i, i, clean_title(line)
        # "某某县2023年法治政府" + "建设情况报告": the second part ends the title, the first names it
        if (
            prev_ok and len(line) <= 24 and _TITLE_END_RE.search(line) and not _TITLE_KEY_RE.search(line)
            and _TITLE_KEY_RE.search(prev) and _TITLE_HEAD_HINT_RE.search(prev) and _titled(prev + line)
        ):
            return i - 1, i, clean_title(prev + line)
        if line.endswith("关于") and i + 1 < len(lines) and len(lines[i + 1]) <= 40 and _titled(line + lines[i + 1]):
            return i, i + 1, clean_title(line + lines[i + 1])
    for t in html_titles:
        t = normalize_text(t).replace("\n", "")
        if _titled(t):
            return -1, -1, clean_title(t)
    return -1, -1, None


def find_other_title(lines: list[str], html_titles: list[str]) -> tuple[int, int, str | None]:
    """The title of a document of another kind, for a page without a report's title.

    A notice, opinion or plan of the government (…关于印发…的通知, …的意见; see
    :func:`doc_type`): taken from the page's ``<h1>``/``<title>`` first, else from its first
    lines. Returned as :func:`find_title` returns (the line's index when the title is one
    of ``lines``), so that the page's furniture and issuer are read around it.

    Examples
    --------
    >>> find_other_title(["首页 > 政府文件", "某某市人民政府关于印发《某某市法治政府建设实施方案》的通知", "各镇人民政府:"], [])
    (1, 1, '某某市人民政府关于印发《某某市法治政府建设实施方案》的通知')
    """
    found = None
    for t in html_titles:
        t = clean_title(normalize_text(t).replace("\n", ""))
        if _NOTICE_RE.search(t) and _candidate(t):
            found = t
            break
    for i, line in enumerate(lines[:_TITLE_HEAD_LINES]):
        if found is not None:
            if clean_title(line) == found:
                return i, i, found
        elif _NOTICE_RE.search(line) and _candidate(line):
            return i, i, clean_title(line)
    return -1, -1, found


def clean_title(title: str) -> str:
    """A title without bullets, a 标题 label, brackets around it or a leading document number.

    Examples
    --------
    >>> clean_title("• 标题:某某县2023年法治政府建设年度报告")
    '某某县2023年法治政府建设年度报告'
    >>> clean_title("[某政发〔2026〕3号]某某县人民政府关于2025年度法治政府建设情况的报告")
    '某某县人民政府关于2025年度法治政府建设情况的报告'
    """
    t = _TITLE_LABEL_RE.sub("", title.strip())
    t = _LEADING_NUMBER_RE.sub("", t).strip()
    if t[:1] in "【[" and t[-1:] in "】]":
        t = t[1:-1].strip()
    return t.lstrip("•·●◆◇■□▪○-*> ").strip()


def find_doc_number(lines: list[str]) -> str | None:
    """The document number written in ``lines`` (the page above the report), without brackets.

    Examples
    --------
    >>> find_doc_number(["首页 > 政务公开", "[某府发〔2024〕5号]", "某某县人民政府关于…报告"])
    '某府发〔2024〕5号'
    """
    for line in lines:
        m = DOC_NUMBER_RE.search(line)
        if m and len(line) <= 90:
            return re.sub(r"\s+", "", m.group(0))
    return None


# --------------------------------------------------------------------------- year

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


def report_year(title: str | None, text: str) -> tuple[int | None, str]:
    """The year the report covers, and where it came from.

    From the title, else the opening sentence ("2023年,…"), else the opening paragraph;
    never a range such as (2021-2025年), a year inside a 《cited document》 or a date in
    brackets after the title.

    Returns
    -------
    tuple
        The year (None when not found) and its source: ``"title"``, ``"opening
        sentence"``, ``"opening paragraph"`` or ``""``.

    Examples
    --------
    >>> report_year("某某县人民政府关于二〇二一年度法治政府建设情况的报告", "")
    (2021, 'title')
    >>> report_year(None, "根据《法治政府建设实施纲要(2021-2025年)》,2020年,某某县坚持…")
    (2020, 'opening paragraph')
    """
    if title:
        arabic = _cn_years_to_arabic(title)
        years = [int(y) for y in _YEAR_IN_TITLE_RE.findall(_strip_non_cover_years(arabic))]
        if not years:  # an interpretation's title: the report's own title in 《》
            years = [int(y) for book in _BOOK_RE.findall(arabic) for y in _YEAR_IN_TITLE_RE.findall(_RANGE_RE.sub("#", book))]
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


# --------------------------------------------------------------------------- kind of page

# An interpretation of a report: 政策解读, 图解, 一图读懂 …
_INTERPRETATION_RE = re.compile(r"解读|图解|一图读懂|一图看懂|图读|动漫|问答")
# A line of a column index: a report's title with its date at the end (or the start).
_INDEX_LINE_RE = re.compile(r"(?:报告|总结|情况|[\u4e00-\u9fff])\s*\(?(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}\)?$|^(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}\s*\S")


def _index_line(line: str) -> bool:
    """``_INDEX_LINE_RE.search(line)``, tried only on a line that ends in a digit or ")" or
    starts with one (a date can then stand at its end or start): most lines do not."""
    return bool(line) and (line[-1].isdecimal() or line[-1] == ")" or line[0].isdecimal()) and bool(_INDEX_LINE_RE.search(line))
# The title of a document of another kind: "…关于印发2024年法治政府建设工作要点的通知"
_NOTICE_RE = re.compile(r"(?:关于|印发|转发).{2,60}?的?(通知|意见|方案|要点|办法|规定|决定|批复|通报|公告|函)$")
#: Below this many characters of text, a page is not a report.
MIN_REPORT_CHARS = 50


def doc_type(title: str | None, lines: list[str], text: str) -> tuple[str, str]:
    """What kind of page this is (one of :data:`DOC_TYPES`), and why when it is not a report.

    ``interpretation``: the title (or, without one, a line above the text) announces a
    解读/图解 of a report. ``other``: a 述法 report of one official, a document of another kind
    with no report title (…关于印发…的通知, …方案, …意见), a column index (three or
    more of the first 40 lines list titles with dates), a text of a few dozen characters, or
    a page that never mentions 法治/依法/法制 in its title and opening. Else ``annual_report`` (the title
    may say 报告, 工作总结 or 情况).

    Parameters
    ----------
    title
        The title found, if any.
    lines
        All the page's lines.
    text
        The report text (the page without its furniture).

    Returns
    -------
    tuple
        The type and the reason (``""`` for an annual report).

    Examples
    --------
    >>> doc_type("一图读懂某某县2023年度法治政府建设年度报告", [], "…" * 200)
    ('interpretation', 'an interpretation (解读/图解) of a report, not the report')
    >>> doc_type("某某局局长2023年度述法报告", [], "…" * 200)[0]
    'other'
    """
    head = title or " ".join(line for line in lines[:6] if len(line) <= 60)
    if _INTERPRETATION_RE.search(head):
        return "interpretation", "an interpretation (解读/图解) of a report, not the report"
    if title is None:
        notice = next((line for line in lines[:12] if _NOTICE_RE.search(line) and _candidate(line)), None)
        if notice:
            return "other", f"a document of another kind ({_NOTICE_RE.search(notice).group(1)}), not a report"
    if title and _NOTICE_RE.search(title) and not _names_report(title):
        return "other", f"a document of another kind ({_NOTICE_RE.search(title).group(1)}), not a report"
    if title and "述法" in title:
        return "other", "a 述法 report of one official, not the government's annual report"
    # index lines above the first paragraph of prose: below a report, titles with dates are
    # its related articles (相关文章), not a column index
    prose = next((i for i, line in enumerate(lines) if len(line) > 60 and "。" in line), len(lines))
    if sum(1 for line in lines[: min(40, prose)] if len(line) <= 80 and _index_line(line)) >= 3:
        return "other", "a column index (a list of titles with dates), not a report"
    if len(text) < MIN_REPORT_CHARS:
        return "other", f"only {len(text)} characters of text: not a report"
    if not (_TITLE_KEY_RE.search(title or "") or re.search(r"法治|依法|法制", text[:1000])):
        return "other", "no mention of 法治/依法/法制 in the title or opening: not a rule-of-law report"
    return "annual_report", ""
