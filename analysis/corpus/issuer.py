"""Who issued a report: the issuing body's name, its type and the level of its government.

A research assistant reads the issuer from the report's own words: the title ("<issuer>关于…
报告"), the subject of the opening sentence (after an addressee line such as "市委、市政府:"
and a leading clause such as "根据…," or "在区委、区政府的坚强领导下,"), the closing
signature. The page's info table (发布机构/发文机关) and its 来源 field name the publisher and
come last. A joint subject ("某某县委、县政府") is the government; a self-reference (我局,
我县, 本委) or a short form (市政府, 区司法局) is completed only from the page's own title,
info table, site header or 来源, never from a body mention.

The type comes from the ending of the issuer's name (:data:`ISSUER_TYPES`), the level from
the places it names (:func:`issuer_level`).
"""

from __future__ import annotations

import re

from analysis.corpus.places import MUNICIPALITIES, Place, name_level

__all__ = [
    "ISSUER_TYPES", "ISSUER_LEVELS", "ORG_END_RE", "issuer_from_title", "opening_subject",
    "signature_bodies", "site_names", "government_of", "complete_issuer", "find_issuer", "issuer_type",
    "issuer_level",
]  # fmt: skip

#: Values of the ``issuer_type`` column (see :func:`issuer_type`).
ISSUER_TYPES = (
    "provincial_government", "city_government", "county_government", "district_government",
    "department", "subdistrict", "township", "other",
)  # fmt: skip

#: Values of the ``issuer_level`` column (see :func:`issuer_level`).
ISSUER_LEVELS = ("national", "province", "city", "county", "township")

# Endings of organisation names, used to cut an issuer out of a title, an opening sentence
# or a signature: 人民政府, 司法局, 街道办事处, 管委会, 海关总署 …
_ORG_END = (
    r"(?:街道党工委|街道办事处|街道|人民政府|政府|办事处|工作委员会|委员会|办公室|管委会|管理委员会|行政公署"
    r"|局|厅|委|办|署|中心|院|所|部|处|队|站|镇|乡|苏木|街|区|县|市|旗|州|盟|省|自治区)"
)
#: A name ending like an organisation ("某某县司法局", "某某街道", "某某市").
ORG_END_RE = re.compile(_ORG_END + r"$")
# The title's issuer: "<issuer>关于2023年度…报告" / "<issuer>2023年(度)…" / "<issuer>法治政府建设…"
_TITLE_ISSUER_RES = (
    re.compile(r"^(.{2,60}?)\s*(?:关于|關於)"),
    re.compile(r"^(.{2,60}?)\s*(?:(?:19|20)\d{2}|[〇零○一二三四五六七八九]{4})\s*年"),
    re.compile(r"^(.{2,60}?" + _ORG_END + r")\s*(?:法治|依法行政|依法治|法制|推进|年度)"),
)
# What an interpretation's title puts before the report's own title: "图解:《…", "一图读懂|…"
_INTERPRETED_RE = re.compile(r"^(?:(?:政策)?解读|图解|一图(?:读懂|看懂)|图读)?\s*[:|]?\s*[《「『\[【]?")
# A self-reference instead of a name: 我局, 本委, 我街道, 全县 …
_SELF_RE = re.compile(r"^(?:我|本|全)(街道|局|委|办|厅|署|处|部|中心|区|市|县|镇|乡|街|旗|州|盟|省|单位|部门)")
# A short form: the level word, then the body: 市政府, 区司法局, 县人民政府, 省司法厅, 镇党委
_SHORT_RE = re.compile(r"^(省|自治区|市|区|县|州|盟|旗|镇|乡|街道)(?!场|域|级|民|属|直|内|外)(?=[\u4e00-\u9fff]{1,20}$)")
# A party organ: 中共某某县委, 某某市委, 某某镇党委, 某某街道党工委 (its government issues the report)
_PARTY_RE = re.compile(r"(?:党委|党工委|党组|工委|[省市区县州盟旗]委|(?<!政府)工作委员会)$")
# A post after a body's name: 某某局局长, 某某县县长, 某某镇党委书记, 某某局主要负责人
_POST_RE = re.compile(r"(?<=[局厅委办署处部院府区县市镇乡街道心会])(?:党组|党委|党工委)?(?:副?(?:局长|厅长|主任|县长|区长|市长|州长|旗长|镇长|乡长|书记|署长|部长|处长)|主要负责人|负责人)$")
# Courts and procuratorates: not a government body.
_JUDICIAL_RE = re.compile(r"(?:法院|检察院)$")

# --------------------------------------------------------------------------- the opening sentence

# An addressee line opening the body: "区委、区人大常委会:" / "市委、市政府:" / "国务院:"
_ADDRESSEE_RE = re.compile(r"^[\u4e00-\u9fff、,()]{2,40}(?:委|会|政府|院|部|厅|局|办公室|省|市|区|县):$")
# Leading clauses before the subject, stripped in turn: a year ("2023年," / "2023年以来,"),
# "今年以来,", a clause "根据…," / "按照…," / "在区委、区政府的坚强领导下,".
_LEAD_RES = (
    re.compile(
        r"^(?:(?:19|20)\d{2}\s*年度?|[〇零○一二三四五六七八九]{4}年度?|今年|本年度|去年|一年来|过去一年|过去的一年|近年来)"
        r"(?:以来|来|全年|上半年)?\s*[,:]?\s*"
    ),
    re.compile(r"^(?:根据|按照|依据|遵照|对照|依照|为了|为|围绕|结合|在)[^,。;:]{1,80}?(?:下|中|上|后|要求|部署|规定|精神|意见|通知|办法|纲要|》|)\s*,\s*"),
)
# What follows the subject of an opening sentence: a verb or adverb, a preposition or a
# punctuation mark ("某某镇坚持…", "某某局在…", "某某县委、县政府…"). 全面 only when it
# does not continue a committee's name (某某区委全面依法治区委员会办公室).
_AFTER_SUBJECT = (
    r"(?=以|在|把|将|从|对|于|坚持|深入|认真|全面(?!依法治)|紧紧|紧密|紧扣|紧盯|紧抓|紧跟|围绕|按照|始终|持续|扎实|着力|着眼|聚焦"
    r"|高度|切实|积极|不断|严格|全力|立足|贯彻|进一步|牢牢|大力|强化|加强|坚定|牢固|主动|注重|突出|多措并举|锚定|秉持"
    r"|狠抓|抓实|抓好|统筹|落实|推进|推动|深化|对标|健全|完善|创新|发挥|坚决|依法|充分|先后|通过|结合|有序|提高|聚力"
    r"|重点|及时|精心|凝心|奋力|致力|全方位|继续|按|共|各级|法治政府|依法行政|[,、:;。]|和|与|及)"
)
_SUBJECT_RE = re.compile(r"^([\u4e00-\u9fff()]{1,40}?" + _ORG_END + r")" + _AFTER_SUBJECT)
# A further member of a joint subject, possibly a short form: "、县政府" / "和市政府" / "、政府"
_MEMBER_RE = re.compile(r"^[、和与及]([\u4e00-\u9fff()]{0,40}?" + _ORG_END + r")" + _AFTER_SUBJECT)
_SENTENCE_END_RE = re.compile(r"[。;!?]")
# A heading of the report's parts: "一、…", "(一)…", "1.…"
_HEADING_RE = re.compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十\d]+\)|\d+[.、])")

# --------------------------------------------------------------------------- signature

# A signature line: "中共某某县委员会" / "某某县人民政府" / "某某市某某区某某街道办事处"
_SIGNATURE_RE = re.compile(r"^[\u4e00-\u9fff()]{2,40}" + _ORG_END + r"$")
# The date under a signature: 2024年3月20日 / 二〇二四年三月二十日 / 2024-03-20
_SIGNATURE_DATE_RE = re.compile(
    r"^(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[〇零○一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月"
    r"[一二三四五六七八九十]{1,3}日|(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2})$"
)
# Endings a signature without a date must have (a real body, not a cut-off heading).
_BODY_END_RE = re.compile(r"(?:人民政府|政府|办事处|街道|局|厅|委员会|办公室|管委会|管理委员会|镇|乡|苏木|行政公署|署|部|中心|处)$")

# --------------------------------------------------------------------------- site names

# A site header or owner: "某某市人民政府门户网站", "欢迎访问某某县人民政府网", "某某省司法厅 首页 …"
_SITE_RE = re.compile(
    r"^(?:欢迎(?:访问|来到|您访问)?)?\s*([\u4e00-\u9fff()]{2,30}?" + _ORG_END + r")"
    r"(?:门户网站|政府网站|官方网站|网站|官网|门户|网)?$"
)
# The footer's site owner: "主办:某某区人民政府办公室" / "版权所有:某某县司法局"
_OWNER_RE = re.compile(r"(?:主办(?:单位)?|版权所有|网站主办)\s*[:©]?\s*([\u4e00-\u9fff()]{2,30}?" + _ORG_END + r")(?=$|\s|[,;|承协技]|版权|主办)")


def _is_self(text: str) -> bool:
    """A self-reference (全县, 我局), not a place that starts like one (全州县, 全椒县)."""
    return bool(_SELF_RE.match(text)) and not _starts_with_place(text)


def _clean_name(name: str) -> str:
    return name.strip(" ,:;()").removeprefix("关于")


def issuer_from_title(title: str) -> str | None:
    """The issuing body named at the start of a title, or None.

    A document number or a year before it is dropped; a joint issuer ("中共某某县委 某某县人民政府",
    "某某县委、县政府") gives its government (:func:`government_of`).

    Examples
    --------
    >>> issuer_from_title("溧阳市社渚镇2022年法治政府建设工作报告")
    '溧阳市社渚镇'
    >>> issuer_from_title("中共芒市委员会 芒市人民政府关于2023年度法治政府建设情况的报告")
    '芒市人民政府'
    >>> issuer_from_title("关于2020年度法治政府建设情况的报告") is None
    True
    """
    t = _INTERPRETED_RE.sub("", title.strip())
    for rx in _TITLE_ISSUER_RES:
        m = rx.search(t)
        if m:
            issuer = m.group(1).strip(" ,:")
            issuer = re.sub(r"(?:19|20)\d{2}\s*年度?$", "", issuer).strip()
            issuer = re.sub(r"^(?:(?:19|20)\d{2}\s*年度?|关于)\s*", "", issuer).strip()
            issuer = _POST_RE.sub("", issuer)  # "某某局局长…述法报告": the body, not the post
            members = [p for p in re.split(r"[\s、]+", issuer) if p]
            if len(members) > 1 and all(ORG_END_RE.search(p) for p in members):
                issuer = government_of(members)
            if len(issuer) >= 2 and ORG_END_RE.search(issuer) and not _is_self(issuer):
                return issuer
    return None


def government_of(members: list[str]) -> str:
    """The government among the members of a joint issuer, with the first member's place.

    ``["某某县委", "县政府"]`` -> ``"某某县政府"``; a party organ and an office give the office;
    without a government, the first member that is not a party organ (else the first).

    Examples
    --------
    >>> government_of(["长治市委", "市政府"]), government_of(["中共大河乡党委", "政府"])
    ('长治市政府', '大河乡政府')
    >>> government_of(["中共某某区委", "某某区人民政府"]), government_of(["某某新区党工委", "管委会"])
    ('某某区人民政府', '某某新区管委会')
    """
    first = members[0]
    place = re.sub(r"^中共", "", first)
    place = re.sub(r"(?:党委|党工委|工委|委员会|委)$", "", place)
    place = re.sub(r"(省|市|区|县|旗)\1$", r"\1", place)  # 歙县县委: 歙县 + 县委
    chosen = next((m for m in members if re.search(r"(?:政府|行政公署|管委会|管理委员会|办事处)$", m)), None)
    if chosen is None:
        chosen = next((m for m in members if not _PARTY_RE.search(m)), first)
    if chosen is first:
        return first
    short = _SHORT_RE.match(chosen)
    if short and place.endswith(short.group(1)):
        return place + chosen[len(short.group(1)) :]
    if not re.match(r"[\u4e00-\u9fff]+?(?:省|市|区|县|州|盟|旗|镇|乡|街道)", chosen) and place:
        return place + chosen  # "政府", "管委会": the first member's place
    return chosen


def opening_subject(body: list[str]) -> tuple[str | None, str]:
    """The subject of the report's opening sentence, and what kind of name it is.

    The opening sentence is the first line that reads as a sentence, after an addressee line
    ("市委、市政府:") and short lines (a site name, a column label); leading clauses (a year,
    "根据…,", "在…领导下,") are skipped.

    Returns
    -------
    tuple
        The subject (None when the sentence has none) and its kind: ``name`` (a full name,
        or the government of a joint subject), ``self`` (我局, 本委: the returned value is
        the unit word, 局 or 委), ``scope`` (全县, 全市: the whole area, said by its
        government or by a department working in it), ``short`` (市政府, 区司法局: no place
        name), or ``""``.

    Examples
    --------
    >>> opening_subject(["区委、区人大常委会:", "2023年,在区委、区政府的坚强领导下,某某街道坚持…"])
    ('某某街道', 'name')
    >>> opening_subject(["2021年,我局在市委、市政府的领导下,…"])
    ('局', 'self')
    >>> opening_subject(["2020年,长治市委、市政府坚持以习近平新时代中国特色社会主义思想为指导,…"])
    ('长治市政府', 'name')
    """
    for sentence in _opening_sentences(body):
        for _ in range(4):
            before = sentence
            for rx in _LEAD_RES:
                sentence = rx.sub("", sentence, count=1)
            if sentence == before:
                break
        m = _SELF_RE.match(sentence)
        if m and _is_self(sentence):
            return m.group(1), "scope" if sentence.startswith("全") else "self"
        m = _SUBJECT_RE.match(sentence)
        if m is None:
            continue  # "根据…要求,现将…报告如下。": a sentence about the report; the next may name it
        members = [_clean_name(m.group(1))]
        rest = sentence[m.end() :]
        while True:
            more = _MEMBER_RE.match(rest)
            if more is None or not more.group(1):
                break
            members.append(more.group(1))
            rest = rest[more.end() :]
        subject = government_of(members) if len(members) > 1 else members[0]
        if _SHORT_RE.match(subject) and _starts_with_place(subject) == 0:
            return subject, "short"
        return subject, "name"
    return None, ""


def _opening_sentences(body: list[str], limit: int = 3) -> list[str]:
    """The first sentences of the report, after an addressee line and short lines above it.

    Stops at the first heading of the report's parts ("一、…", "(一)…").
    """
    out: list[str] = []
    for line in body[:6]:
        if _ADDRESSEE_RE.match(line):
            continue
        if _HEADING_RE.match(line):
            break
        if len(line) <= 20 and not re.search(r"[,。;]", line):
            continue  # a name, a label or a heading above the opening
        out.extend(s for s in _SENTENCE_END_RE.split(line) if s)
        if len(out) >= limit:
            break
    return out[:limit]


def _starts_with_place(name: str) -> int:
    """The level of the gazetteer name ``name`` starts with, else 0 (区司法局 -> 0, 区 alone is no name)."""
    for j in range(min(len(name), 12), 1, -1):
        if name_level(name[:j]):
            return name_level(name[:j])
    return 0


# Notes official documents and pages put under the signature and its date: the document's
# disclosure (此件公开发布, 此件主动公开), a contact, the copy list, the page's own link.
_CLOSING_NOTE_RE = re.compile(
    r"^[(\[【]?\s*(?:此件|本件)[^()\[\]【】]{0,12}(?:公开|发布|公布)[^()\[\]【】]{0,8}[)\]】]?$"
    r"|^[(\[【]?\s*(?:联系人|联系电话|联系方式|抄送|本文链接|原文链接|本页链接|文章链接|网址|链接)\s*[::]"
    r"|^(?:https?://|www\.)\S+$"
)


def signature_bodies(body: list[str]) -> tuple[list[str], str | None]:
    """The issuing bodies signed under the report, and the date line under them.

    The last lines of the report: organisation names, then an optional date. Without a date
    the names must end like a body (人民政府, 局, 街道办事处 …) and follow the end of a
    sentence, so a heading cut off by a page opening is not taken for a signature.

    Examples
    --------
    >>> signature_bodies(["…报告如下。", "中共某某街道工作委员会", "某某街道办事处", "2023年12月22日"])
    (['中共某某街道工作委员会', '某某街道办事处'], '2023年12月22日')
    >>> signature_bodies(["(十)提升行政应诉能力", "某某县"])
    ([], None)
    >>> signature_bodies(["…报告如下。", "某某县人民政府", "2024年3月22日", "(此件公开发布)", "本文链接:http://a.cn/t1.html"])
    (['某某县人民政府'], '2024年3月22日')
    """
    end = len(body)
    while end and len(body) - end < 3 and _CLOSING_NOTE_RE.match(body[end - 1]):
        end -= 1  # a note under the signature: (此件公开发布), 联系人:…, the page's link
    body = body[:end]
    tail = body[-6:]
    date = None
    if tail and _SIGNATURE_DATE_RE.match(tail[-1].replace(" ", "")):
        date = tail[-1]
        tail = tail[:-1]
    names: list[str] = []
    for line in reversed(tail):
        if _SIGNATURE_RE.match(line) and len(line) <= 40:
            names.append(line)
        else:
            break
    names.reverse()
    if names and date is None:
        before = body[len(body) - len(names) - 1] if len(body) > len(names) else ""
        if not (_BODY_END_RE.search(names[-1]) and before.endswith(("。", "!", ";"))):
            return [], None
    if not names:
        date = None
    return names, date


def site_names(lines: list[str]) -> list[str]:
    """Names of the site that published the page: its header and its footer's owner.

    ``lines`` are furniture lines (the page above the title, the footer) and an HTML page's
    site name; only the first word of a header line counts ("某某省司法厅 首页 机构概况").
    A government office running the site stands for the government (某某区人民政府办公室
    -> 某某区人民政府).

    Examples
    --------
    >>> site_names(["长治市人民政府门户网站", "首页 > 信息公开", "主办:某某区人民政府办公室 承办:…"])
    ['长治市人民政府', '某某区人民政府']
    """
    out: list[str] = []
    for line in lines:
        if len(line) > 80:
            continue
        first = line.split()[0] if line.split() else ""
        m = _SITE_RE.match(first)
        name = m.group(1) if m else None
        if name is None:
            owner = _OWNER_RE.search(line)
            name = owner.group(1) if owner else None
        if name:
            name = re.sub(r"(?<=政府)办公室$", "", name)
            if name not in out:
                out.append(name)
    return out


def complete_issuer(name: str, kind: str, sources: list[tuple[str, str]], place_of) -> tuple[str | None, str]:  # noqa: ANN001
    """A self-reference or short form completed from the page's own words, else None.

    Parameters
    ----------
    name
        The unit word of a self-reference (局, 县, 街道 …; ``kind`` ``self``) or a short form
        (市政府, 区司法局; ``kind`` ``short``).
    sources
        ``(name, evidence code)`` of the page's own names for itself, in order of trust:
        the title's issuer, the info table's publisher, the site header, the 来源 field.
    place_of
        Function giving the :class:`~analysis.corpus.places.Place` of a name.

    Returns
    -------
    tuple
        The completed name and the code of its source, or ``(None, "")``.

    Examples
    --------
    >>> from analysis.corpus.places import resolve_places
    >>> complete_issuer("局", "self", [("某某县人民政府", "header"), ("安吉县司法局", "source")], resolve_places)
    ('安吉县司法局', 'source')
    >>> complete_issuer("市政府", "short", [("长治市人民政府", "header")], resolve_places)
    ('长治市政府', 'header')
    >>> complete_issuer("局", "self", [("交通运输局", "header")], resolve_places)
    (None, '')
    """
    for candidate, code in sources:
        if not candidate or not _starts_with_place(candidate) and not place_of(candidate).province:
            continue  # a name without a place identifies nothing
        if kind == "self" and _fits_unit(candidate, name):
            return candidate, code
        if kind == "short":
            level = _SHORT_RE.match(name)
            prefix = _place_prefix(candidate, level.group(1) if level else "")
            if prefix:
                return prefix + name[len(level.group(1)) :] if level else name, code
    return None, ""


def _fits_unit(candidate: str, unit: str) -> bool:
    """Whether a body's name fits a self-reference's unit: 局 <- 某某县司法局, 县 <- 某某县人民政府."""
    gov = re.sub(r"(?:人民政府|政府)$", "", candidate)
    if unit in ("区", "市", "县", "镇", "乡", "旗", "州", "盟", "省"):
        return gov != candidate and gov.endswith(unit) or candidate.endswith(unit)
    if unit in ("街道", "街"):
        return bool(re.search(r"街道(?:办事处)?$", candidate))
    if unit in ("单位", "部门"):
        return bool(re.search(r"(?:局|厅|委|办|署|处|部|中心|委员会|办公室)$", candidate))
    if unit == "委":
        return bool(re.search(r"委(?:员会)?$", candidate))
    if unit == "办":
        return bool(re.search(r"办(?:公室)?$", candidate))
    return candidate.endswith(unit)


def _place_prefix(candidate: str, level_word: str) -> str:
    """The places at the start of ``candidate`` down to ``level_word``'s level.

    "长治市人民政府", 市 -> 长治市; "南京市鼓楼区人民政府", 区 -> 南京市鼓楼区: the longest
    prefix ending with the level word whose last name is a gazetteer name.
    """
    if not level_word:
        return ""
    best = ""
    for j in range(2, min(len(candidate), 24) + 1):
        if candidate[:j].endswith(level_word) and any(name_level(candidate[k:j]) for k in range(j - 2, -1, -1)):
            best = candidate[:j]
    return best


# --------------------------------------------------------------------------- type and level

# Ending of the issuer's name -> type, checked in this order.
_TYPE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (_JUDICIAL_RE, "other"),
    (re.compile(r"(?:街道办事处|街道办|街道党工委|街道工委|街道工作委员会|街道|街道管委会|[\u4e00-\u9fff]街)$"), "subdistrict"),
    (re.compile(r"(?:镇|乡|苏木)(?:人民政府|政府|党委)?$"), "township"),
    (re.compile(r"(?:行政公署|公署)$"), "city_government"),
    (re.compile(r"(?:管委会|管理委员会)$"), "zone"),
    (_PARTY_RE, "other"),
    (re.compile(r"(?:局|厅|委员会|委|办公室|办|署|中心|部|处|所|院|队|站)$"), "department"),
)


def issuer_type(issuer: str | None, place: Place) -> tuple[str, str]:
    """The type of an issuer (one of :data:`ISSUER_TYPES`), and what decided it.

    From the ending of its name (code ``issuer``): 街道 -> subdistrict, 镇/乡/苏木 ->
    township, 局/厅/委/办/部/处/署/中心 … -> department, 法院 and party organs alone ->
    other; a government by its place: 省/自治区 and the four province-level cities ->
    provincial, 市/州/盟/地区 (and 行政公署) -> city, 县/自治县/旗 and county-level cities ->
    county, 区 -> district. A 管委会 is a district government when its zone is a county-level
    unit of the gazetteer, else a department. A bare 人民政府 takes the level of the place
    resolved (code ``place``).

    Examples
    --------
    >>> from analysis.corpus.places import resolve_places
    >>> [issuer_type(n, resolve_places(n))[0] for n in ("昆山市人民政府", "苏州市人民政府", "苏州市姑苏区人民政府")]
    ['county_government', 'city_government', 'district_government']
    >>> [issuer_type(n, resolve_places(n))[0] for n in ("长春经济技术开发区管理委员会", "北京市人民政府", "某某区人民法院")]
    ['district_government', 'provincial_government', 'other']
    """
    if not issuer:
        return "other", "none"
    last = issuer.split()[-1]
    for rx, kind in _TYPE_RULES:
        if rx.search(last):
            if kind == "zone":
                zone = re.sub(r"(?:管委会|管理委员会)$", "", last)
                return ("district_government" if place.county and zone.endswith(place.county) else "department"), "issuer"
            return kind, "issuer"
    core = re.sub(r"(?:人民政府|政府)$", "", last)
    if core.endswith(("省", "自治区")) or core.endswith(MUNICIPALITIES):
        return "provincial_government", "issuer"
    if core.endswith(("地区", "州", "盟")):
        return "city_government", "issuer"
    if core.endswith("市"):
        county_level = (place.county and core.endswith(place.county)) or name_level(core) == 3
        return ("county_government" if county_level else "city_government"), "issuer"
    if core.endswith(("县", "旗", "特区", "林区")):
        return "county_government", "issuer"
    if core.endswith("区"):
        return "district_government", "issuer"
    if core != last or not core:
        # a bare 人民政府: the level of the place resolved
        if place.county:
            return ("district_government" if place.county.endswith("区") else "county_government"), "place"
        if place.city and place.city != place.province:
            return "city_government", "place"
        if place.province:
            return "provincial_government", "place"
    return "other", "none"


_LEVEL_OF_TYPE = {
    "provincial_government": "province", "city_government": "city", "county_government": "county",
    "district_government": "county", "subdistrict": "township", "township": "township",
}  # fmt: skip
_LEVEL_NAMES = {1: "province", 2: "city", 3: "county", 4: "township"}
# The level word a department's name starts with when it names no place: 区司法局, 省司法厅
_LEVEL_WORD_RE = re.compile(r"^(?:中共)?(省|自治区|市|州|盟|区|县|旗|镇|乡|街道)")
_LEVEL_OF_WORD = {"省": 1, "自治区": 1, "市": 2, "州": 2, "盟": 2, "区": 3, "县": 3, "旗": 3, "镇": 4, "乡": 4, "街道": 4}


def issuer_level(issuer: str | None, kind: str, place: Place) -> str | None:
    """The level of the government the issuer belongs to (one of :data:`ISSUER_LEVELS`).

    Governments, 街道 and towns by their type; a department or other body by the most
    specific place its name gives (a province-level city counts as a province), else by
    the level word it starts with (区司法局 -> county); a department naming no place at
    all is national (司法部, 海关总署). None when there is no issuer.

    Examples
    --------
    >>> from analysis.corpus.places import resolve_places
    >>> [issuer_level(n, "department", resolve_places(n)) for n in ("海关总署", "重庆市教育委员会", "宁乡市教育局", "区司法局")]
    ['national', 'province', 'county', 'county']
    """
    if not issuer:
        return None
    if kind in _LEVEL_OF_TYPE:
        return _LEVEL_OF_TYPE[kind]
    level = place.level
    if level == 2 and place.city in MUNICIPALITIES and not place.county:
        level = 1
    if level:
        return _LEVEL_NAMES[level]
    m = _LEVEL_WORD_RE.match(issuer)
    if m:
        return _LEVEL_NAMES[_LEVEL_OF_WORD[m.group(1)]]
    return "national" if kind == "department" else None


# --------------------------------------------------------------------------- the issuer of a page


def find_issuer(
    title: str | None,
    body: list[str],
    *,
    publisher: str | None = None,
    sites: list[str] | None = None,
    source: str | None = None,
    place_of=None,  # noqa: ANN001
) -> tuple[str | None, str, str]:
    """The issuing body of a report page, the evidence code of where it was read, and a note.

    In order: the title's issuer (``title``); the bodies signed under the report
    (``signature``); the subject of the opening sentence (``opening``); the info table's
    publisher (``field``); the 来源 field when it names an organisation (``source``). A
    self-reference in the opening (我局, 我县) is completed from the page's own title, info
    table, site header or 来源 (the code says which: ``field``, ``header``, ``source``), a
    short form (市政府, 区司法局) likewise; a self-reference nothing resolves gives no
    issuer and a note saying so.

    Parameters
    ----------
    title
        The report's title, if any.
    body
        The report's lines.
    publisher, sites, source
        The info table's 发布机构/发文机关 value, the site's names
        (:func:`site_names`) and the 来源 value.
    place_of
        Function giving a name's :class:`~analysis.corpus.places.Place` (default:
        :func:`analysis.corpus.places.resolve_places`).

    Returns
    -------
    tuple
        The issuer (None when not found), its evidence code (``none`` then) and a note for
        the row's message (``""`` when there is nothing to say).

    Examples
    --------
    >>> find_issuer(None, ["2021年,我局坚持…"], sites=["安吉县司法局"])
    ('安吉县司法局', 'header', '')
    >>> find_issuer(None, ["2021年,我局坚持…"], sites=["交通运输局"])[0] is None
    True
    """
    if place_of is None:
        from analysis.corpus.places import resolve_places as place_of
    sources = [(publisher or "", "field"), *((s, "header") for s in sites or []), (source or "", "source")]
    if title:
        issuer = issuer_from_title(title)
        if issuer:
            if _SHORT_RE.match(issuer) and not _starts_with_place(issuer):
                done, _ = complete_issuer(issuer, "short", sources, place_of)
                issuer = done or issuer
            return issuer, "title", ""
    names, _ = signature_bodies(body)
    if names:
        return (government_of(names) if len(names) > 1 else names[0]), "signature", ""
    subject, kind = opening_subject(body)
    if kind == "name":
        return subject, "opening", ""
    title_issuer = issuer_from_title(title) if title else None
    if kind in ("self", "scope", "short"):
        done, code = complete_issuer(str(subject), "short" if kind == "short" else "self", [(title_issuer or "", "title"), *sources], place_of)
        if done:
            return done, code, ""
        if kind == "short":
            return subject, "opening", ""
        if kind == "self":
            word = {"街": "街道"}.get(str(subject), str(subject))
            return None, "none", f"the report names its issuer only as 我{word}/本{word}: nothing on the page says which body that is"
    # The publisher names who posted the page: the last resort. After 全县/全市 (the whole
    # area, said by a department as well), a department's site name counts too.
    headers = [(s, "header") for s in sites or [] if _starts_with_place(s)] if kind == "scope" else []
    for candidate, code in ((publisher, "field"), *headers, (source, "source")):
        if candidate and len(candidate) <= 40 and ORG_END_RE.search(candidate) and "网" not in candidate:
            return candidate, code, ""
    return None, "none", ""
