"""HTML → text: the page's text, its title candidates, date field, URL and warnings.

Parsed with lxml's HTML parser with ``huge_tree`` (libxml2 then builds trees up to 2,048
levels deep instead of 255); a page deeper still, or one lxml cannot parse, goes to
BeautifulSoup's stdlib parser, which has no depth limit. script/style/nav/header/footer
/form … are dropped; block elements and ``<br>`` become line breaks.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from analysis.corpus.formats.decode import chinese_share

__all__ = ["HtmlText", "html_to_text", "looks_like_html", "HTML_START_RE"]

_DROP_TAGS = ("script", "style", "noscript", "nav", "footer", "header", "iframe", "form", "select", "button", "template", "svg")
_BLOCK_TAGS = (
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
    "table", "ul", "ol", "dd", "dt", "blockquote", "pre", "td", "th",
)  # fmt: skip
# <title> suffixes naming the site: "…的报告_海珠区人民政府门户网站" / "… - 某某网"
_SITE_SUFFIX_RE = re.compile(r"\s*[_|\-–—]+\s*[^_|\-–—]*(网|网站|门户|政府|平台|首页)\s*$")
# <meta name="PubDate" content="2023-12-13 10:57"> and its CMS cousins.
_META_DATE_NAMES = ("pubdate", "publishdate", "firstpublishedtime", "articlepubdate", "date", "dc.date")
# <meta property="og:url" content="http://…"> / <meta name="url" …>
_META_URL_NAMES = ("og:url", "url", "dc.identifier")
# <?xml version="1.0" encoding="gb2312"?>: lxml refuses str input that declares an encoding.
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>")
#: The start of a file that is an HTML page whatever its name: "<!DOCTYPE html", "<html",
#: "<?xml", "<!-- saved from url=(0058)http://…" (Internet Explorer), "<head", "<meta".
HTML_START_RE = re.compile(rb"^\s*(?:<!doctype|<html|<\?xml|<!--\s*saved from url|<head[\s>]|<meta\s|<body[\s>]|<title>)", re.IGNORECASE)
# <!-- saved from url=(0058)http://www.example.gov.cn/zwgk/202403/t20240328_1.html -->
_SAVED_FROM_RE = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.IGNORECASE)
# Fewer CJK characters than this in a page's whole text: check whether its content is
# elsewhere (an <iframe>, or written by JavaScript).
_THIN_PAGE = 80  # Chinese characters: fewer, and an <iframe> or a script may hold the content


@dataclass
class HtmlText:
    """What :func:`html_to_text` got out of a page.

    ``site`` is the site named at the end of the ``<title>`` ("…的报告_某某区人民政府门户网站"),
    as written. ``hint`` says where a page's content is when the page holds little text: inside an
    ``<iframe>`` or built by JavaScript (None otherwise).
    """

    text: str
    titles: list[str] = field(default_factory=list)
    meta_date: str | None = None
    url: str | None = None
    truncated: bool = False
    hint: str | None = None
    site: str | None = None


def looks_like_html(head: bytes) -> bool:
    """Whether the first bytes of a file (BOM and NULs removed) start an HTML page.

    Examples
    --------
    >>> looks_like_html(b"  <!DOCTYPE html><html>"), looks_like_html(b"<!-- saved from url=(0022)http://a.cn/ -->")
    (True, True)
    >>> looks_like_html("2023年 <b>".encode())
    False
    """
    return bool(HTML_START_RE.match(head))


def html_to_text(markup: str) -> HtmlText:
    """Text, title candidates, date and URL of an HTML page.

    Examples
    --------
    >>> got = html_to_text("<html><head><title>某县2023年法治政府建设年度报告_某县人民政府网</title></head>"
    ...                    "<body><nav>首页</nav><p>一、主要举措</p><p>2023年,…</p></body></html>")
    >>> got.titles, got.text.split()
    (['某县2023年法治政府建设年度报告'], ['一、主要举措', '2023年,…'])
    """
    lowered = markup[-2048:].lower()
    truncated = "<html" in markup[:2048].lower() and "</html>" not in lowered and "</body>" not in lowered
    m = _SAVED_FROM_RE.search(markup[:4096])
    saved_from = m.group(1) if m else None
    try:
        from lxml import etree

        parser = _parser()
        doc = etree.fromstring(_XML_DECL_RE.sub("", markup, count=1) or "<html></html>", parser)
        if doc is None:
            raise etree.ParserError("Document is empty")
        too_deep = any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log)
    except Exception:  # malformed beyond lxml's recovery
        too_deep = True
    if too_deep:
        out = _html_to_text_bs4(markup)
    else:
        out = _html_to_text_lxml(doc)
    out.truncated = truncated
    out.url = saved_from or out.url
    return out


@functools.cache
def _parser():  # noqa: ANN202 - an lxml.etree.HTMLParser, built once per process
    # lxml.etree's own HTML parser (lxml.html's with the same options, without its
    # element classes: no Python call per element, the same tree and text)
    from lxml import etree

    return etree.HTMLParser(huge_tree=True)


@functools.cache
def _string_value():  # noqa: ANN202 - an lxml.etree.XPath
    """An element's text: all its text descendants joined (lxml.html's ``text_content``)."""
    from lxml import etree

    return etree.XPath("string()", smart_strings=False)


def _drop_tree(el) -> None:  # noqa: ANN001 - an lxml element
    """Remove ``el`` and what it holds, keeping the text that follows it (its tail)."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + el.tail
        else:
            previous.tail = (previous.tail or "") + el.tail
    parent.remove(el)


def _hint(iframes: list[str], script_chars: int, text: str) -> str | None:
    if not (iframes or script_chars) or chinese_share(text)[0] >= _THIN_PAGE:
        return None
    if iframes:
        return (
            f"the page's content is inside an <iframe> (src={iframes[0]}): save that framed page itself "
            "(open the frame's address, then save it)"
        )
    if script_chars:
        return (
            f"the page's content is built by JavaScript ({script_chars} characters of script): save the page "
            "from a browser after it has rendered (Save Page As, 'Web page, complete' or .mht)"
        )
    return None


def _meta_fields(metas: list[tuple[str, str]]) -> tuple[str | None, str | None]:
    date = next((content for name, content in metas if name in _META_DATE_NAMES and content), None)
    url = next((content for name, content in metas if name in _META_URL_NAMES and content.startswith("http")), None)
    return date, url


def _html_to_text_lxml(doc) -> HtmlText:  # noqa: ANN001 - an lxml.html element
    metas = [
        (str(meta.get("name") or meta.get("property") or "").lower(), str(meta.get("content") or ""))
        for meta in doc.iter("meta")
    ]
    meta_date, url = _meta_fields(metas)
    if url is None:
        canonical = next((el.get("href") for el in doc.iter("link") if str(el.get("rel") or "").lower() == "canonical"), None)
        url = canonical if canonical and str(canonical).startswith("http") else None
    text_of = _string_value()
    titles = [" ".join(text_of(h).split()) for h in doc.iter("h1")]
    title_el = doc.find(".//title")
    site = None
    if title_el is not None and title_el.text:
        titles.append(_SITE_SUFFIX_RE.sub("", title_el.text.strip()))
        site = site_name(title_el.text)
    titles = [t for t in titles if t]
    iframes: list[str] = []
    script_chars = 0
    for el in doc.iter("iframe", "script"):  # wherever they stand, as the text leaves them out
        if el.tag == "iframe" and el.get("src"):
            iframes.append(str(el.get("src")))
        elif el.tag == "script":
            script_chars += len(el.text or "")
    try:
        text = str(_text_transform()(doc))
    except Exception:  # libxslt's limits (depth): the same text, built in Python
        text = _text_by_walk(doc)
    hint = _hint(iframes, script_chars, text)
    return HtmlText(text=text, titles=titles, meta_date=meta_date, url=url, hint=hint, site=site)


def _text_by_walk(doc) -> str:  # noqa: ANN001 - an lxml element (changed in place)
    """The page's text: the body (or the whole page) without :data:`_DROP_TAGS` (their
    tails kept), each block element (:data:`_BLOCK_TAGS`) between line breaks (``br``:
    one after it)."""
    for el in list(doc.iter(*_DROP_TAGS)):
        _drop_tree(el)
    for el in doc.iter(*_BLOCK_TAGS):
        el.tail = "\n" + (el.tail or "")
        if el.tag != "br":
            el.text = "\n" + (el.text or "")
    body = doc.find("body")
    return _string_value()(body if body is not None else doc)


@functools.cache
def _text_transform():  # noqa: ANN202 - an lxml.etree.XSLT
    """:func:`_text_by_walk` as an XSLT transform (libxslt walks the tree in C, no Python
    per element; ``tests/corpus/test_corpus_formats.py`` checks that the two agree)."""
    from lxml import etree

    drop = "|".join(_DROP_TAGS)
    block = "|".join(t for t in _BLOCK_TAGS if t != "br")
    return etree.XSLT(
        etree.fromstring(
            '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
            '<xsl:output method="text" encoding="UTF-8"/>'
            '<xsl:template match="/"><xsl:choose>'
            '<xsl:when test="/*/body"><xsl:apply-templates select="/*/body[1]"/></xsl:when>'
            '<xsl:otherwise><xsl:apply-templates select="/*"/></xsl:otherwise>'
            "</xsl:choose></xsl:template>"
            f'<xsl:template match="{drop}"/>'
            f'<xsl:template match="{block}"><xsl:text>&#10;</xsl:text><xsl:apply-templates/><xsl:text>&#10;</xsl:text></xsl:template>'
            '<xsl:template match="br"><xsl:text>&#10;</xsl:text></xsl:template>'
            "</xsl:stylesheet>"
        )
    )


def site_name(title: str) -> str | None:
    """The site named at the end of a page's ``<title>`` (its suffix), or None.

    >>> site_name("关于2023年度法治政府建设情况的报告_某某区人民政府门户网站")
    '_某某区人民政府门户网站'
    """
    m = _SITE_SUFFIX_RE.search(title.strip())
    return m.group(0).strip() if m else None


def _html_to_text_bs4(markup: str) -> HtmlText:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    metas = [
        (str(meta.get("name") or meta.get("property") or "").lower(), str(meta.get("content") or ""))
        for meta in soup.find_all("meta")
    ]
    meta_date, url = _meta_fields(metas)
    titles: list[str] = []
    for tag in soup.find_all("h1"):
        t = tag.get_text(" ", strip=True)
        if t:
            titles.append(" ".join(t.split()))
    site = None
    if soup.title and soup.title.string:
        t = _SITE_SUFFIX_RE.sub("", str(soup.title.string).strip())
        site = site_name(str(soup.title.string))
        if t:
            titles.append(t)
    text, iframes, script_chars = _bs4_text(soup.body or soup)
    hint = _hint(iframes, script_chars, text)
    return HtmlText(text=text, titles=titles, meta_date=meta_date, url=url, hint=hint, site=site)


def _bs4_text(root) -> tuple[str, list[str], int]:  # noqa: ANN001 - a BeautifulSoup tag
    """Text of a parsed tree, walked with a stack: linear in the size of the page.

    (BeautifulSoup's own ``insert_after`` walks to the last descendant each time, which
    is quadratic on a deeply nested page.) Dropped tags are skipped; block tags are
    surrounded by line breaks; iframes' addresses and the script's length are noted.
    """
    from bs4 import CData, NavigableString, Tag

    out: list[str] = []
    iframes: list[str] = []
    script_chars = 0
    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        if closing:
            out.append("\n")
        elif isinstance(node, Tag):
            if node.name in _DROP_TAGS:
                if node.name == "iframe" and node.get("src"):
                    iframes.append(str(node.get("src")))
                elif node.name == "script":
                    script_chars += len(node.get_text())
                continue
            if node.name in _BLOCK_TAGS:
                out.append("\n")
                stack.append((node, True))
            stack.extend((child, False) for child in reversed(node.contents))
        elif type(node) in (NavigableString, CData):
            out.append(str(node))
    return "".join(out), iframes, script_chars
