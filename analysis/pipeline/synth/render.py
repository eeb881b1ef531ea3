"""The forms real corpora take: plain text or an HTML page, codec, punctuation, line ends.

:func:`draw_form` draws a form for one report; :func:`render_txt` and :func:`render_html`
write its text (HTML pages with navigation, breadcrumb, 发布日期/来源 line, share buttons
and a footer with ICP and 公网安备 numbers, some with a stale header clock); :func:`encode`
turns it into bytes.
"""

from __future__ import annotations

import dataclasses
import datetime
import html
import random
import re

from analysis.pipeline.synth.places import PROVINCE_ABBR, Issuer, county_prefix

__all__ = ["Form", "draw_form", "encode", "render_html", "render_txt"]

_FULLWIDTH = str.maketrans({",": "，", "(": "（", ")": "）", ":": "：", ";": "；", "%": "％", "!": "！", "?": "？"})
_FULLWIDTH_DIGITS = str.maketrans({str(d): chr(0xFF10 + d) for d in range(10)})



@dataclasses.dataclass(frozen=True)
class Form:
    kind: str  # "txt" or "html"
    encoding: str  # codec used to write: utf-8, utf-8-sig, gb18030, gbk
    charset: str  # declared <meta charset> (html) or ""
    newline: str  # "\n" or "\r\n"
    fullwidth: bool  # full-width punctuation in the body
    fullwidth_digits: bool
    indent: str  # paragraph indentation ("", "  ", "\u3000\u3000")
    chrome: bool  # txt: a 来源/发布时间 line; html: always has chrome
    no_title: bool


def draw_form(rng: random.Random, issuer_type: str) -> Form:
    kind = "html" if rng.random() < 0.25 else "txt"
    r = rng.random()
    if r < 0.5:
        encoding = "utf-8"
    elif r < 0.55:
        encoding = "utf-8-sig"
    elif r < 0.85:
        encoding = "gb18030"
    else:
        encoding = "gbk"
    charset = ""
    if kind == "html":
        if encoding == "utf-8-sig":
            encoding = "utf-8"
        charset = {"utf-8": rng.choice(["utf-8", "UTF-8"]), "gb18030": "gb18030", "gbk": rng.choice(["gbk", "GBK"])}[encoding]
    no_title = kind == "txt" and issuer_type in {"subdistrict", "township"} and rng.random() < 0.06
    return Form(
        kind=kind,
        encoding=encoding,
        charset=charset,
        newline="\r\n" if rng.random() < 0.2 else "\n",
        fullwidth=rng.random() < 0.6,
        fullwidth_digits=rng.random() < 0.1,
        indent=rng.choice(["", "", "  ", "\u3000\u3000"]),
        chrome=kind == "html" or rng.random() < 0.3,
        no_title=no_title,
    )


def _body_text(line: str, form: Form) -> str:
    if form.fullwidth:
        line = line.translate(_FULLWIDTH)
    if form.fullwidth_digits:
        line = line.translate(_FULLWIDTH_DIGITS)
    return line


def _site(issuer: Issuer) -> str:
    c = issuer.chain
    if c.county:
        return f"{county_prefix(c)}人民政府"
    if c.city:
        return f"{c.city}人民政府"
    return f"{c.province}人民政府"


def _icp(issuer: Issuer, rng: random.Random) -> tuple[str, str, str]:
    abbr = PROVINCE_ABBR[issuer.chain.province]
    icp = f"{abbr}ICP备{rng.randint(5_000_000, 19_999_999):08d}号-{rng.randint(1, 3)}"
    police = f"{abbr}公网安备 {rng.randint(10_000_000_000_000, 99_999_999_999_999)}号"
    site_code = f"{rng.randint(1_000_000_000, 9_999_999_999)}"
    return icp, police, site_code


def render_txt(title: str, lines: list[str], signature: list[str], issuer: Issuer, date, form: Form, rng) -> str:  # noqa: ANN001
    y, m, d = date
    out: list[str] = []
    if not form.no_title:
        out.append(title)
        if form.chrome:
            out.append(
                f"来源: {issuer.name} 发布时间:{y}-{m:02d}-{d:02d} {rng.randint(8, 18):02d}:{rng.randint(0, 59):02d} 累计次数: 字体:[ ]"
            )
            out.append("")
    blank = rng.random() < 0.3
    for ln in lines:
        out.append(form.indent + _body_text(ln, form))
        if blank:
            out.append("")
    if signature:
        out.append("")
        out.extend(_body_text(s, form) for s in signature)
    return form.newline.join(out) + form.newline


_WEEKDAYS = "一二三四五六日"


def render_html(title: str, lines: list[str], signature: list[str], issuer: Issuer, date, form: Form, rng) -> str:  # noqa: ANN001
    y, m, d = date
    site = _site(issuer)
    icp, police, site_code = _icp(issuer, rng)
    esc = html.escape
    head_meta = (
        f'<meta charset="{form.charset}">'
        if rng.random() < 0.5
        else f'<meta http-equiv="Content-Type" content="text/html; charset={form.charset}">'
    )
    clock = ""
    if rng.random() < 0.3:
        stale = datetime.date(rng.randint(2018, 2026), rng.randint(1, 12), rng.randint(1, 28))
        clock = f'<div class="clock">今天是:{stale.year}年{stale.month}月{stale.day}日 星期{_WEEKDAYS[stale.weekday()]}</div>'
    paragraphs = "\n".join(
        f'<p style="text-indent:2em;">{esc(_body_text(ln, form))}</p>' for ln in lines
    )
    sig = "\n".join(f'<p style="text-align:right;">{esc(_body_text(s, form))}</p>' for s in signature)
    source = esc(issuer.name if rng.random() < 0.8 else "")
    views = rng.randint(10, 5000)
    doc = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
{head_meta}
<title>{esc(title)}_{esc(site)}</title>
<style>body{{font-family:SimSun;}} .footer{{color:#666;}}</style>
<script>var _hmt = _hmt || []; function share(){{return false;}}</script>
</head>
<body>
<div class="top">{esc(site)}门户网站 {clock}</div>
<nav><a href="/">首页</a> <a href="/zwgk/">政务公开</a> <a href="/hdjl/">互动交流</a> <a href="/bsfw/">办事服务</a></nav>
<div class="breadcrumb">您当前所在的位置:<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 法治政府建设 &gt; 年度报告</div>
<div class="article">
<h1>{esc(title)}</h1>
<div class="info">发布日期:{y}-{m:02d}-{d:02d} {rng.randint(8, 18):02d}:{rng.randint(0, 59):02d} 来源:{source} 浏览量:{views}</div>
<div class="share">分享到: 微信 微博 【字体:大 中 小】</div>
<div class="content">
{paragraphs}
{sig}
</div>
<div class="related">附件: 相关文章</div>
</div>
<footer class="footer">
<p>联系我们 | 网站地图 | 友情链接</p>
<p>主办:{esc(site)}办公室 承办:{esc(site)}政务服务数据管理局</p>
<p>网站标识码:{site_code} {icp} {police}</p>
</footer>
</body>
</html>
"""
    return doc.replace("\n", form.newline)


def encode(text: str, form: Form) -> tuple[bytes, str]:
    """Encode; a GBK form that cannot hold a character falls back to GB18030 (label too)."""
    try:
        return text.encode(form.encoding), form.encoding
    except UnicodeEncodeError:
        if form.kind == "html":
            text = re.sub(r"charset=[\"']?gbk|charset=\"GBK\"|charset=\"gbk\"", lambda m: m.group(0)[:-3] + "gb18030", text, flags=re.I)
        return text.encode("gb18030"), "gb18030"
