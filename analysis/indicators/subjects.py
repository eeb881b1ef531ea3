"""What a quantity counts: the subject before (and after) each number.

The subject is the clause's text before the number, trimmed of time words (全年, 截至目前),
totals (共, 累计), actors (市司法局, 人民调解组织), adverbs, framings (对…, 通过…,
在门户网站…) and linking verbs (达到, 保持在, 压缩至), plus the noun after a classifier
(开展12次执法检查). A quantity that continues another (5,600余人次 after 2,300余批次、;
从60%提高到100%; 326件,占31.9%) takes its subject. ``tests/fixtures/unseen_indicators.yaml``
holds the hand-annotated sentences these rules are measured on.

Every look-around is bounded (a clause is at most 60 characters back, a phrase after
the unit at most 40 ahead), so attaching subjects is linear in the text.

Examples
--------
>>> from analysis.indicators.quantities import tokenize_numbers
>>> t = "我街共对各类违法行为立案80宗,开展执法检查12次。"
>>> [q.subject for q in attach_subjects(t, tokenize_numbers(t))]
['立案', '开展执法检查']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from analysis.indicators.clauses import BOUNDARY, SENT_END_RE, clause_start, is_boundary, post_end
from analysis.indicators.quantities import Token
from analysis.numbers import CN_NUMERALS, DIGITS, RATE_UNITS

__all__ = ["Quantity", "attach_subjects", "clean_pre"]

# 一 … 亿, 0-9: any numeral
_NUMERAL_RE = re.compile(f"[0-9{CN_NUMERALS}]")

# Verbs with which a counted activity starts (to drop an actor or a 对-phrase before it),
# e.g. 我街共对各类违法行为|立案80宗 -> 立案.
_VERBS = (
    "开展|举办|组织|召开|办理|受理|调处|化解|出具|审查|审核|审议|研究|发放|派发|提供|参与|参加|完成|接收|接待|"
    "处理|收集|解答|整治|整改|立案|作出|做出|发布|发出|签订|悬挂|约谈|指导|发送|帮扶|采集|走访|拆除|查获|查处|"
    "摸查|排查|检查|抽查|清查|巡查|传达|印发|制定|推进|建成|建立|成立|举行|协助|代理|编印|培训|聘请|设立|"
    "配备|新增|收到|征集|录入|处置|上报|回访|调解|挽回|减免|获得|申报|引进|帮助|促成|评选|获评|办结|实施|"
    "推送|推文|播放|张贴|制作|印制|讲授|授课|承办|回复|答复|公开|公示|备案|清理|修订|起草|出动|投入|培育|"
    "打造|落实|督办|督查|督促|通报|表彰|命名|创建|下沉|结案|胜诉|败诉|出庭|应诉|审结|录制|刊发|报送|转办|"
    "列席|出席|不予|予以|给予|减轻|从轻|免予|责令|移送|没收|吊销|暂扣|查扣|取消|废止|修改|讨回|追回|追缴|"
    "聘用|招录|选派|派驻|接听|接入|归集|梳理|公布|新建|覆盖|惠及|安置|评查|旁听|发生|收缴|督导|"
    "慰问|救助|听取|牵头|查办|下达|下发|制发|抓拍|开设|开通|判决|裁定|调取|核发|颁发|下放|抽调|选调|抽派|"
    # 市生态环境局|编制清单 (not 行政编制: a verb only before its object), 会议|集体学习
    "编制(?![0-9一二三四五六七八九十两内外数人])|集体学习|"
    "接受|派出|纠正|罚款|登记|注销|核准|认定|验收|视察|调研|宣讲|购买|进驻|组成|组建|安排|细化|搭建|入驻|接访|"
    # services, health, policing and works (网格员人均|联系服务住户, 窗口日均|注册)
    "联系|代办|注册|诊疗|接诊|救治|收治|巡逻|侦破|破获|抓获|批捕|核查|核实|审批|开工|改造|种植|检定|检测|抽检|"
    "监测|调查|执行|缴纳|征收|退还|返还|兑现|化验|体检|疏导|转运|转介|转送|护送|调运|救援|营救|"
    "补植|栽植|植树|造林|复垦|复绿|修缮|维修|更新|更换|安装|铺设|硬化|修建|购置|采购|"
    # allocating, building a system, being selected (各|明确专职监管员, 局|构建了…网络, 入选|第二批)
    "明确|确定|指定|构建|构筑|健全|完善|入选|入围|列入|纳入|评为|参训|参学|参赛|通报|"
    "选聘|聘任|招募|制定修改|批准|出台|颁布|常驻|"
    # training people, raising funds (司法所|培养“法律明白人”)
    "培养|培植|吸纳|发展|筹集|筹措|募集|"
    # certificates and licences (全市|换发行政执法证)
    "换发|补发|换证|申领|延续|变更|表决|表决通过|"
    # persuading and warning (劝导流动摊贩, 劝离)
    "劝导|劝离|劝阻|劝返|警示|提醒"
)
# Nouns that make a body's name of the verb before them: 督查室, 调解委员会, 执法队, 审查组
_BODY_AFTER_VERB = r"室|站|所|队|组|中心|委员会|办公室|科|处(?!理|置|罚)"
# 平均|办理时限, 平均|审理周期 (to the end of the subject): an average time is a measure's name,
# not an average of what was done (平均|接待来访群众)
_NOT_AVERAGE_TIME = r"(?![^,]{0,6}(?:时限|时长|时间|周期|期限|用时|时效|天数)$)"
# 已拆除复耕案件占比 (to the end of the subject): 已 + verb names the part a share measures
_NOT_DONE_SHARE = f"(?!(?:{_VERBS})[^,]{{1,16}}(?:占比|比例|比重)$)"
# An actor (no verb in it, ending in a body's last character or an adverb) and 将/把 taking the
# object the quantity is about: 县财政已将|法律援助经费, 市政府将|(12项民生实事列为年度目标); not
# the future 将 before a verb (县里将新建), 将近, 把关, nor 将 in a name (小将镇, 将乐县)
# What follows a verb that is part of a body's name (登记|中心, 审批|局, 服务|窗口): the rest of
# the name, up to its last characters
_BODY_NAME_AHEAD = r"[^,;:。将把]{0,4}?(?:中心|大厅|窗口|[局委办厅院所队站处科室])"
_DISPOSAL_RE = re.compile(
    # (a verb inside the actor's name is no verb: 县不动产登记中心|把)
    rf"^(?:(?!(?:{_VERBS})(?!{_BODY_NAME_AHEAD}))[^,;:。]){{1,12}}?"
    rf"(?:已经|已|均|又|还|也|(?<=[局委院办所会部厅府队站心处室团司政]))[将把]"
    rf"(?!{_VERBS}|来|近|要|会|继续|进一步|关|握|控|脉|手)"
)
# Leading time words, actors and adverbs that are not part of what is counted.
_ACTOR_NEXT = (
    r"在今年|今年|全年|共|累计|先后|已|均|成功|积极|主动|及时|依法|持续|深入|妥善|高效|针对|依托|围绕|"
    r"通过|对|向|为|与|在|将|现有|共有|拥有|专题|联合|会同|带头|牵头|"
    r"按照|按|根据|依据|依照|遵照|对照|对标|结合|参照|"
    # 县市场监管局|拟开展: a plan's modal after the actor
    r"拟|计划(?![\u4e00-\u9fff]{0,4}(?:率|比例|占比))|力争|确保|预计|争取|提请|报请|"
    # 县人社局|明年将新建, 区司法局|下一步将开展: a planned time after the actor
    r"明年|来年|下一步|下一年度|今后|年内|"
    # 中心|月均接待: an average of what the actor did (中心日均办件量 is a measure)
    f"(?:月均|日均|周均|年均|平均)(?={_VERBS}){_NOT_AVERAGE_TIME}"
)
_LEAD_RES = [
    # 截至目前, 截止2023年10月底, 自2023年3月成立以来
    re.compile(r"^(?:截至|截止)(?:目前|今年|[0-9]{4}年)?(?:[0-9]{1,2}月)?(?:底|末)?"),
    re.compile(r"^自[^,]{0,14}?以来"),
    # 三月初至六月, 2023年3月至5月, 8月以来: dates opening the clause
    re.compile(
        r"^(?:[0-9]{4}年)?(?:[0-9]{1,2}|十[一二]|[一二三四五六七八九十])月(?:份|初|底|末|上旬|中旬|下旬)?(?:[0-9]{1,2}日)?"
        r"(?:(?:至|到|-|—)(?:[0-9]{4}年)?(?:[0-9]{1,2}|十[一二]|[一二三四五六七八九十])月(?:份|初|底|末|上旬|中旬|下旬)?"
        r"(?:[0-9]{1,2}日)?)?(?:以来|期间|起)?"
    ),
    # 2023年, 今年以来, 全年, 目前, 其中, 共, 累计 …
    re.compile(
        r"^(?:[0-9]{4}年度?(?:[0-9]{1,2}月(?:份)?|末|底|初)?|今年以来|今年来|今年|去年|全年|本年度|本年|年内|年底前?|年初|年末|当年|上半年|下半年|"
        r"一年来|近年来|近年|目前|现(?=我|本)|至今|此外|另外|同时|其中|期间|累计|共计|总计|合计|"
        rf"共(?!建(?!成|立|设)|[治享同识融商赢济产青性])|先后|已经{_NOT_DONE_SHARE}|已{_NOT_DONE_SHARE}|均(?!衡)|并(?!联|购)|还(?!原)|全部|分别|期内|同期|本期|"
        r"在今年|在本年度|在年内|保证|确保|力争|争取(?=到|在|于|实现|达到)|预计|计划(?![\u4e00-\u9fff]{0,4}(?:率|比例|占比))|要求|拟|"
        # 争取|办理: a striving before the planned activity (争取资金 obtained stays)
        rf"争取(?=(?:{_VERBS}))|"
        # 将|力争, 要|确保: the future marker before a modal
        r"(?:将|要)(?=力争|争取|确保|努力|全力|持续|进一步)|努力|"
        # 三是|将|回访满意率提升至95%: 将/把 taking the measure a change moves, with no actor before
        r"[将把](?=[^,;:。将把]{2,24}?(?:提升|提高|降低|压减|压缩|缩短|控制|增加|减少|扩大|增长|下降)(?:至|到|在))|"
        r"现有|共有|明年|来年|下一步|下一年度|下年度|今后|未来|"
        # 拟|于明年上半年|出台
        r"于(?:明年|今年|年内|年底前?)(?:上半年|下半年|年底前?|底前?|内)?"
        # 力争|到2027年底|将…压缩至: a planned year (its end) before the plan
        r"|(?:到|至)[0-9]{4}年(?:底|末)?前?)"
    ),
    # 全市|受理, 在全市|设立, 全区各级行政机关共|发生: a scope before the verb
    re.compile(
        r"^(?:在?(?:全[省市区县镇乡街]|全街道|辖区内?|本[省市区县镇乡])(?:范围内|各级[\u4e00-\u9fff]{0,6}?)?"
        # 市、县、镇三级联动|处置 (向社会|公开 stays: the annotated sets keep it in the subject)
        r"|在?(?:[省市县区镇乡村街]、?){2,5}[二两三四五]级(?:联动|协同|同步)?)"
        # (全县|计划完成: a plan's modal may stand between the scope and the verb)
        # (全区|实现地区生产总值: a scope before a work report's 实现 too)
        f"(?=(?:计划|力争|争取|确保|预计|拟|将|要|共|累计|依法|先后|已|率先|首次|全面|日均|月均|平均|仅)?(?:{_VERBS}|实现))"
    ),
    # 一季度、二季度、三季度分别|办理; 在门户网站|开设专栏
    re.compile(
        r"^(?:(?:第?[一二三四1-4]季度|前三季度|上半年|下半年)(?:、|和|及)?)+(?:分别|共|累计)?"
        f"|^在[^,]{{1,16}}?(?:上|中|内|里|网站|平台|公众号|期间|范围内|层面|中心|大厅)(?=(?:{_VERBS}))"
    ),
    # 我街, 我局, 本单位
    re.compile(r"^(?:我|本)(?:单位|中心|[街局区镇市县乡委办所院队司厅部处])"),
    # 观湖街道|成功调处, 社区法律顾问|开展, 驻街法律顾问|参与: an actor before the activity
    re.compile(
        f"^(?!{_VERBS})(?!提请|提交|报请|报送|经(?!开|济))"
        # (市、县、乡三级|交通运输执法机构: the tiers of the bodies, then their name)
        r"(?:(?:[省市县区镇乡村街]、?){2,5}[二两三四五]级)?"
        # (为所联系村, 其所属: 所 a particle, not a body)
        r"(?:[\u4e00-\u9fff]|\([^()]{0,10}\)){0,14}?(?:街道办事处|街道办|街道|办事处|司法局|司法所|执法队|中队|大队|局|(?<![为被其之])所|"
        # (省人大常委会, 村调委会, 村委会, 法工委, 卫健委, 发改委: committees by their short
        # names, not 委托, 委派, 委员; 宣传部, 统战部: a party department, not 干部, 全部, 内部;
        # 县供电公司, 城投集团: a company)
        r"公司|集团|常委会|委会|(?<=[\u4e00-\u9fff])委(?![托派员屈婉任会])|(?<=[\u4e00-\u9fff]{2})(?<![干全内外局细总])部(?![门分署长队])|站点|(?<=[\u4e00-\u9fff]{2})(?<![网车])站|团队|律师|顾问|中心|委员会|小组|调解组织|经济组织|社会组织|自治组织|党组织|法院|检察院|政府|部门|机关|机构|系统|书记|主任|"
        r"主席团|讲师团|宣讲团|服务团|办公室|督查室|公证处|法制处|处室|常务会议|会议|中心组|工作组|工作专班|专班|"
        # (法律顾问室, 调解室: a room's staff; not 室内, 室外)
        r"(?<=[\u4e00-\u9fff]{2})室(?![内外])|"
        # 局党组|专题研究, 主要负责人|带头讲法治课: a leading body or its head
        r"党组|党委|党工委|负责人|领导班子|班子成员|领导|"
        # 网格员|上报, 调解员|化解, 执法人员|开展: people by their role (not 员工, 委员会)
        r"(?<=[\u4e00-\u9fff])员(?![工会额])|"
        # 桃溪镇|围绕…, 马坪乡|开展: a town or township by its name (not 城镇, 乡镇, 城乡)
        r"(?<=[\u4e00-\u9fff]{2})(?<![城乡集村])镇|(?<=[\u4e00-\u9fff]{2})(?<![城下返老家还])乡(?![村镇])|"
        # 省生态环境厅|执法监督处|审计科: a department and its divisions
        r"厅|(?<=[\u4e00-\u9fff]{2})[处科]|"
        # 区人防办, 依法治县办: an office's short name (not 举办, 督办, 网上办 …)
        r"(?<![举创承开主合协督代包查兴首领交转经帮上式可好难即必要来去再速限快通一])办|"
        # 镇里|建立了, 村里|组织: a place standing for its government
        # (县长, 镇长 head a government; 时长, 增长, 成长 are no one)
        r"[^增成延助擅生时专特擅]长|[^大]队|街区|街|(?<=[省市县区镇乡村])里)"
        # (not before a rate named after a verb: 法律顾问|覆盖率; not before 出庭: 县长出庭应诉 is the indicator)
        # (县政府|督查室开展: a verb that begins a body's name, 督查室 调解委员会, is no activity)
        # (镇司法所 调解纠纷 64件: spaces between the actor and the activity in a label-like line)
        f"(?=[^\\S\\n]*(?:(?:{_ACTOR_NEXT})|(?!出庭)(?:一审|二审|再审)?(?:{_VERBS})(?![率比]|{_BODY_AFTER_VERB})))"
    ),
    # adverbs: 持续, 积极, 深入 …
    re.compile(
        # (主动公开, 及时受理率 are terms: 主动|公开政府信息 and 及时|办理检察建议书 are adverbs)
        r"^(?:持续|积极|深入|切实|主动(?=[\u4e00-\u9fff]{3})|及时(?![\u4e00-\u9fff]{1,3}率)|认真|扎实|大力|全力|不断|进一步|依法|妥善|高效|按规定|定期|共同|累计|"
        rf"共计|先后|已经{_NOT_DONE_SHARE}|已{_NOT_DONE_SHARE}|均(?!衡)|并(?!联|购)|还(?!原)|又|再|率先|首次|(?:至少|最少|至多|最多)有?|逐项|逐一|逐条|全面|按要求|按计划|按标准|按程序"
        # 各|配备专职调解员3名: each (of the holders counted before)
        f"|各(?=(?:{_VERBS}))"
        # 仅|建成, 只|办理: "only" before the activity
        f"|(?:仅|只)(?=(?:{_VERBS}))"
        # 月均|接待, 日均|受理: an average (the averaged activity follows; 日均办件量 is a measure)
        f"|(?:月均|日均|周均|季均|平均)(?=(?:{_VERBS})){_NOT_AVERAGE_TIME})"
    ),
]
# The characters each of _LEAD_RES can begin with (None: any), in the same order; the
# tests check them against matches generated from the patterns.
_LEAD_FIRST: tuple[str | None, ...] = (
    "截",
    "自",
    DIGITS + "一二三四五六七八九十",
    DIGITS + "今去全本年当上下一近目现至此另同其期累共总合先已均并还分在保确力争预计要拟明来未于将努把到",
    "在全辖本省市县区镇乡村街",
    "第一二三四1234前上下在",
    "我本",
    None,  # the actor: any character (a name, then 局, 所, 中心 …)
    "持积深切主及认扎大全不进依妥高按定共累先已均并还又再率首至最逐月日周季平各仅只",
)
# Internal markers after which the counted activity starts: 我街共|立案, 获得…累计|获得
# Lead patterns that may consume the whole text (其中|1家实行…, 目前|全街15个社区)
_LEAD_FULL = frozenset({0, 1, 2, 3, 8})
_LEAD_ACTOR = 7
# 区政府|将推动…覆盖率: the actor does something to the measure (not its owner)
_ACTOR_THEN_VERB_RE = re.compile(r"将|已|正在|要|拟|推动|促进|督促")
# 覆盖率, 占比: a measure named after its owner (matches at most _RATE_END_WIDTH characters)
_RATE_END_RE = re.compile(r"(?:率|占比|比例|比重)$")
_RATE_END_WIDTH = 2
# 、 , 以及 和 与 at the start: a joiner left from the quantity before
_LEAD_CONNECTOR_RE = re.compile(r"^(?:[、,;:\s]+|以及|和|与|及(?!时|早|格))")
# (every whitespace character, which \s matches: the largest is U+3000)
_WHITESPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
_LEAD_CONNECTOR_FIRST = "、,;:以和与及" + _WHITESPACE
# (人均培训学时: the measure's name stays, as 人均办案量)
_PER_HEAD_VERB_RE = re.compile(f"(?:人均|户均)(?=(?:{_VERBS}|服务)(?![^,]*(?:[数量率额比]|学时|课时|时长)))")
# a verb naming a body (行政审批局, 综合执法队, 政务服务中心): no verb of the clause
_BODY_VERB_RE = re.compile(f"(?:{_VERBS})(?={_BODY_NAME_AHEAD})")
# a quoted name (“一枚印章管审批”窗口): its words are no verbs of the clause
_QUOTED_RE = re.compile(r"“[^“”]{0,20}”|《[^《》]{0,30}》")
# 日均|办理, 月均|接待: an average, the averaged activity after it (日均办件量, 平均办理时限 stay)
_AVERAGE_VERB_RE = re.compile(f"(?:日均|月均|周均|季均|平均)(?=(?:{_VERBS})){_NOT_AVERAGE_TIME}")
# A pivot verb before a scope and the number: 推动|全市128个部门…纳入清单, 督促|12家企业完成整改
# 推动|市场主体增长至12.6万户: what the pivot moves grows to the number (the change verb is
# trimmed with the trailing words before the pivot is looked at)
_PIVOT_GROWS_RE = re.compile(r"^(?:推动|促进|带动|促使|助推)(?=[^,]{2,12}$)")
_GROWS_TO_RE = re.compile(r"(?:提升|提高|增长|增加|上升|扩大|下降|减少|降低|[增升降减])(?:到|至)$")
_PIVOT_RE = re.compile(
    # (督促|纠正 is one activity: a verb after the pivot is no object)
    rf"^(?:推动|督促|指导|引导|带动|促使|动员|帮助)(?!{_VERBS})(?=(?:全[省市区县镇乡街]|全街道|辖区|各)?[\u4e00-\u9fff]{{0,3}}$)"
    # 推动|行政执法数字化平台覆盖率达到100%: the rate is what is measured
    r"|^(?:推动|促进|督促|指导|引导|带动|促使|实现)(?=[^,]*(?:率|比例|占比|比重)$)"
)
# In a phrase that runs into the next number, where the next subject starts: 16个村…委员会|共排查…1,024起
# (a total word first; else a verb that does not name a body: 人民调解委员会, 执法人员 are nouns)
_NEXT_TOTAL_RE = re.compile(r"共计|总计|合计|累计|(?<![公总合])共(?!建(?!成|立|设)|[治享同识融商赢济产青性])")
_NEXT_VERB_RE = re.compile(
    f"(?:{_VERBS})(?!委员会|员|人员|中心|组织|机构|室|站|所|队|小组|平台|机制|工作室|服务|案件|事项|率)"
)
_POST_GOAL_RE = re.compile(r"^(?:工作)?(?:目标|要求|标准|任务|指标|大关|关口)")
_SPLIT_RE = re.compile(
    r"(?:共计|总计|合计|累计|共有|(?<![公总合])共(?!建(?!成|立|设)|[治享同识融商赢济产青性])|全年|今年以来|今年|本年度|年内|先后|其中)"
)
# Time words among _SPLIT_RE's, and the end of a measure's name (点击量, 受理数, 办结率)
_TIME_WORDS = frozenset({"全年", "今年以来", "今年", "本年度", "年内"})
_OWNER_GAP_WORDS = _TIME_WORDS | {"累计", "共计", "总计", "合计"}
_MEASURE_END_RE = re.compile(r"(?:[量数率额]|总值|增加值|收入|支出|人口)$")
# 公众号|全年|阅读人次: a count of visits named without a verb of the list is a measure of
# the owner before it (档案馆|全年|接待…人次 is the actor's activity)
_VISITS_END_RE = re.compile(r"人次$")
# Trailing words that join the subject to the number: 共, 达到, 为, 了, 的 …
_TRAIL_RE = re.compile(
    r"(?:共计|总计|合计|累计|共有|(?<!公)共|达到了|达到|高达|多达|(?<![传表送通下抵直转雷豁畅发])达|分别为|分别是|分别|"
    # (审理周期为, 办理期限是, 接待批次为: a measure's name, then the linking verb)
    r"(?<=[率数额量度值别例重比限间长积期次])[为是]|(?<=[得评总均]分)[为是]|进行了|进行|"
    r"(?:提升|提高|增长|增加|上升|下降|减少|降低|发展|扩大|扩充|精简|缩减|调整|压减|削减|调减|缩短|压缩)(?:到|至|为)|[增升降减]至|已经?有|"
    r"(?<=[\u4e00-\u9fff])(?:压缩|缩短|缩减|减少|降低|提高|提升|控制|稳定|保持|维持)(?:在|到|至)|"
    r"(?<=[率数额量度值比])(?:保持|维持)|(?<![人户平场年])均(?:为|是|在|达到?|有)?|人民币|"
    r"预计|有望|将|计划|连续|首次|再次|首度|仅有|仅为|仅|只有|"
    # 培训率要|达到100%, 覆盖率应|达到: a modal before the linking verb
    # (办理时长拟|压减到: a plan's modal, as a duty's)
    r"(?<=[率数额量度值比长限间])(?:要|应|须|需|应当|必须|拟)|"
    # 一般公共预算收入完成|21.3亿元: a measure's name, then the verb linking it to its amount
    r"(?<=[入额值资])(?:完成|实现)|"
    r"(?<=[共现拥已尚还仍均])有|占|为期|了|的|等|和|及|与|、|平均|人均|\s)$"
)
_TRAIL_WIDTH = 3  # its longest words: 达到了, 分别为, 提高到, 人民币 …
# 流转率从0逐步提升到|30%: the subject is what comes before 从
_FROM_TO_RE = re.compile(r"^(?P<subj>[^,]+?)(?:从|由)[^,]*?(?:到|至|调整为|精简为|压减为|减少为|降低为|下降为|提高为|提升为|增加为)$")
# 调解成功率达到了试点方案要求|超过20%: the subject is what reaches the requirement
_REACH_RE = re.compile(r"^(?P<subj>[^,]+?)(?:达到了?|达|实现)[^,]{0,12}?(?:要求|标准|目标)的?$")
# A preposition without its own object: 依托|两级平安建设中心, 对|338名…, 将|3类…
_PREP_ONLY_RE = re.compile(
    r"^(?:依托|针对|围绕|根据|按照|依据|通过|结合|利用|借助|对|向|在|将|把|与|从|按|据|经|由|就|给|为|同|跟)$"
)
_LEAD_PREP_RE = re.compile(
    # (为|全区4所中学…配备: 为 before a scope; 为受援人|挽回 keeps its beneficiary)
    r"^(?:依托|针对|围绕|根据|按照|依据|通过|结合|利用|借助|将|把|为(?=全[省市区县镇乡街]|辖区))(?=[\u4e00-\u9fff])"
)
# 对各类违法行为|立案, 围绕法治建设工作|组织召开: a preposition phrase before the activity's verb
# (按照“双随机、一公开”要求|抽查: a quoted name is one unit, its words are no verbs of the clause)
_DUI_RE = re.compile(
    f"^(?:对|围绕|针对|按照|依据|依照|遵照|参照|对照|根据|结合|通过|依托|利用)(?:“[^“”,]{{1,20}}”|[^,“]){{1,24}}?(?=(?:{_VERBS}))"
)
# Per-unit phrases removed from subjects: 每位执法人员每季度|接受, 每月平均|上报
_PER_UNIT_PHRASE_RE = re.compile(
    # 各乡镇(街道)|配备: each holder
    r"各(?![类级项种地界方自有])[\u4e00-\u9fff]{0,6}?(?:乡镇|镇|乡|街道|村|社区|部门|单位|机关|学校|网格|中队|司法所)"
    r"(?:\([^()]{0,8}\))?(?=[\u4e00-\u9fff])|"
    # 每千名儿童|拥有: a counted population of any name, up to the verb of the norm
    r"每[十百千万]+(?:名|位|户|个)?[\u4e00-\u9fff]{1,6}?(?=拥有|配备|有|享有|建有)|"
    # a period right after 每 (每年, 每个月, 每季度; not the 年 of 每千名老年人)
    r"每(?:一|个)?半?(?:季度|月|年|周|天|日|工作日|星期|学期|半年|次)(?:平均)?|"
    r"每(?:位|个|名|家|户|所|间|一)?[\u4e00-\u9fff]{0,6}?"
    # (每万名常住人口|拥有, 每个站点|配备: the holder's whole noun, not its first character)
    # (每家乡镇卫生院: the holder's whole name, not the 乡镇 it starts with)
    r"(?:人员|人口|人|社区|村|居|单位|企业|部门|机关|乡镇(?![卫中学医政])|镇(?![卫中学医政])|乡|街道|县|区|市|网格|小区|学校|"
    r"中小学|小学|中学|幼儿园|医院|卫生院|"
    r"队|所|站点|站|点位|网点|"
    r"季度|星期|学期|半年|次)(?:\([^()]{0,8}\))?(?:平均)?"
)
_PER_UNIT_END_RE = re.compile(f"(?:{_PER_UNIT_PHRASE_RE.pattern})$")
# After a verb + number, a new predicate ends the counted thing: 规划约100亩|工业园|进行升级改造
_POST_STOP_RE = re.compile(
    r"进行|实行|位于|正在|顺利|成功|完成|担任|参与|结对|下沉|已|均|全部|建立|实现|达到|开展|成为|纳入|列入|作为|为|与|并|以"
    # 选派律师2名|进驻调解中心: a movement of the persons counted
    r"|进驻|入驻|派驻|前往|奔赴|赶赴|赴"
)
_PIVOT_END_RE = re.compile(r"(?:推动|督促|指导|引导|带动|促使|动员|帮助|组织|邀请|发动|要求)$")
_FROM_TO_LINK_RE = re.compile(
    r"^(?:逐步|逐年|进一步|大幅)?(?:提高|提升|增加|增长|上升|下降|减少|降低|压缩|缩短|扩大|发展|精简|缩减|调整|压减|削减|调减)(?:到|至|为)$"
    # 由46亿元|增至|81.5亿元
    r"|^(?:逐步|逐年|进一步|大幅)?[增升降减]至$"
)
# 事项由|6,015项精简至4,872项, 配备率从|60%提高到100%: 由/从 opens a change, not the subject
_FROM_AHEAD_RE = re.compile(
    r"(?:逐步|逐年|进一步|大幅)?(?:提高|提升|增加|增长|上升|下降|减少|降低|压缩|缩短|扩大|发展|精简|缩减|调整|压减|削减|调减)?(?:到|至)"
    r"|(?:逐步|逐年|进一步|大幅)?(?:提高|提升|增加|增长|上升|下降|减少|降低|压缩|缩短|扩大|精简|缩减|调整|压减|削减|调减)为"
    r"|(?:逐步|逐年|进一步|大幅)?[增升降减]至"
)
_POST_START_VERB_RE = re.compile(f"(?:{_VERBS}|建设|用于)")
_LINK_ONLY_RE = re.compile(r"^(?:保持|稳定|控制|持续)(?:在|为|于)?$|^(?:达到?|为|是)$")
_LINK_ONLY_FIRST = "保稳控持达为是"  # (its words' first characters: a pre-check)
_TOTAL_ONLY_RE = re.compile(r"^\s*(?:累计|总计|合计|共计|总数|总量)(?:达到?|为|有)?\s*$")
_SHARE_ONLY_RE = re.compile(r"^\s*(?:约|仅|分别)?占(?:比|比例|总数|总量|全部)?(?:的)?(?:约|达|为)?\s*$")
_CONNECTOR_ONLY_RE = re.compile(r"^[、,和及与以等\s]*$")
_SCOPE_ONLY_RE = re.compile(r"^(?:全[街区市县镇乡省]|辖区|全年|全街道|各[\u4e00-\u9fff]{1,3})$")
# 均 各 都 分别 双双 (distributive words) and 、 和 及 与 ”“ (list separators): a list may share
# the value after it (see analysis.indicators.lists)
_DISTRIBUTIVE_RE = re.compile("均|各|都|分别|双双")
_LIST_MARK_RE = re.compile("[、和及与]|”“")
# match(): up to the last preposition of a text (针对 in 九村镇针对辖区)
_LAST_PREP_RE = re.compile(r".*(?:针对|围绕|依托|对|为|向|给|把|将)", re.DOTALL)
# A phrase after a unit that ends with one of these runs into a list of objects
_LIST_SEPARATORS = frozenset("、和及与")
# Tokens that end the text searched for a subject (a heading or an ordinal is not subject)
_BOUND_GROUPS = frozenset({"hparen", "hline", "party", "docno", "code", "ordinal", "timespan"})
# Before a time span, a comparison with a past point: 比五年前, 较三年前
_COMPARE_CHARS = ("比", "较")
# Tokens a post-number phrase may run through: 开展12次|“五个一”融合社区活动
_PASS_GROUPS = frozenset({"book", "quoted", "lexicon", "onex", "plus", "plan", "dash"})


def _tail_start(n: int, width: int) -> int:
    """Where to start searching a text of length ``n`` for a pattern ``X$`` whose matches
    span at most ``width`` characters: a match ends at the end of the text or before a
    final newline, so none starts earlier, and search(s, pos) sees the text before pos for
    look-behinds. The search returns the same match as one from 0, with less scanning."""
    return max(0, n - width - 1)


def _strip_trailing(s: str, times: int = 6) -> str:
    for _ in range(times):
        m = _TRAIL_RE.search(s, _tail_start(len(s), _TRAIL_WIDTH))
        if not m or m.start() == len(s):
            break
        s = s[: m.start()]
    return s


_LEAD_CAN_START: dict[str, tuple[bool, ...]] = {}


def _lead_can_start(c: str) -> tuple[bool, ...]:
    """For a text starting with ``c`` ("" for the empty text): whether _LEAD_CONNECTOR_RE and
    each of _LEAD_RES can match at its start (False only when provably impossible).

    clean_pre tries up to 10 anchored patterns in up to 8 rounds; most fail at the first
    character, which this answers with one dict look-up per character seen.
    """
    out = _LEAD_CAN_START.get(c)
    if out is None:
        out = tuple(c != "" and (first is None or c in first) for first in (_LEAD_CONNECTOR_FIRST, *_LEAD_FIRST))
        if len(_LEAD_CAN_START) < 1 << 16:
            _LEAD_CAN_START[c] = out
    return out


def _in_prep_object(pre: str) -> bool:
    """Whether the text before a number ends inside a preposition's object: 针对辖区|134个基础网格,
    对全县|18个乡镇 (the number and the noun after it complete the object; no verb yet)."""
    m = _LAST_PREP_RE.match(pre)
    return m is not None and _VERB_IN_RE.search(pre, m.end()) is None


def clean_pre(pre: str) -> tuple[int, str]:
    """Trim the text before a number to the counted activity; return (offset, subject).

    >>> clean_pre("我街共对各类违法行为立案")
    (10, '立案')
    >>> clean_pre("涉及处罚金额总计达到")
    (0, '涉及处罚金额')
    """
    off = 0
    s = pre.rstrip()
    grows_to = _GROWS_TO_RE.search(s) is not None
    if "将" in s or "把" in s:
        m = _DISPOSAL_RE.match(s)
        if m is not None:  # 县财政已将|法律援助经费由…提高至…, 市政府将|12项民生实事列为…
            off, s = m.end(), s[m.end() :]
    # (pre-checks: _FROM_TO_RE ends in 到|至|为 and _REACH_RE in 求|准|标|的 before $, which
    # may also stand before a final newline)
    if s[-1:] in ("到", "至", "为", "\n"):
        m = _FROM_TO_RE.match(s)
        if m:
            s = m.group("subj")
    if s[-1:] in ("求", "准", "标", "的", "\n"):
        m = _REACH_RE.match(s)
        if m:
            s = m.group("subj")
    s = _strip_trailing(s)
    # split after 共 / 累计 / 全年 …: the activity follows
    last = None
    for m in _SPLIT_RE.finditer(s):
        last = m
    if last is not None and len(s) - last.end() >= 2:
        rest = s[last.end() :]
        if (
            last.start() > 0
            and last.group() in _OWNER_GAP_WORDS
            and (_MEASURE_END_RE.search(rest) or (_VISITS_END_RE.search(rest) and not _VERB_IN_RE.search(rest)))
            and (not _VERB_IN_RE.search(rest) or not _VERB_IN_RE.search(s, 0, last.start()))
        ):
            # 普法网站|全年|点击量, 普法短视频|累计|播放次数: a measure of the owner before it
            # (a time or total word between them; the owner names no activity)
            s = s[: last.start()] + rest
        else:
            off += last.end()
            s = rest
    # per-unit phrases: 每位执法人员每季度接受 -> 接受
    if "每" in s or "各" in s:
        lastp = None
        for m in _PER_UNIT_PHRASE_RE.finditer(s):
            lastp = m
        if lastp is not None:
            rest = _strip_trailing(s[lastp.end() :], 2)
            head = _strip_trailing(s[: lastp.start()])
            if rest or not head or _VERB_END_RE.search(head):
                off += lastp.end()
                s = rest
            else:  # 购买法律服务的支出|每年|保持在8万元: what is counted came before (落实|每个社区…
                # 1名网格员: after a verb it comes after the number); per-unit phrases that
                # end it go too (养老金最低标准提高到|每人|每月183元)
                while (ends := _PER_UNIT_END_RE.search(head)) is not None and ends.start() > 0:
                    head = _strip_trailing(head[: ends.start()])
                s = head
    # 人民调解员人均|调解纠纷 (人均办案量 is a measure's name and stays)
    m = _PER_HEAD_VERB_RE.search(s) if "均" in s else None  # (its words are 人均, 户均)
    if m is not None:
        off += m.end()
        s = s[m.end() :]
    # 市卫健委政务服务窗口日均|办理: an average of an activity; before it, who did it (no verb)
    m = _AVERAGE_VERB_RE.search(s) if "均" in s else None
    if m is not None and m.start() > 0 and not _VERB_IN_RE.search(_BODY_VERB_RE.sub("", _QUOTED_RE.sub("", s[: m.start()]))):
        off += m.end()
        s = s[m.end() :]
    # leading punctuation, time, actors, adverbs
    for _ in range(8):
        before = s
        # can[0]: the connector, can[i + 1]: _LEAD_RES[i] (skip patterns that cannot match)
        can = _lead_can_start(s[:1])
        if can[0]:
            m = _LEAD_CONNECTOR_RE.match(s)
            if m:
                off += m.end()
                s = s[m.end() :]
                can = _lead_can_start(s[:1])
        for i, rx in enumerate(_LEAD_RES):
            if not can[i + 1]:
                continue
            m = rx.match(s)
            if (
                m
                and i == _LEAD_ACTOR
                and _RATE_END_RE.search(s, _tail_start(len(s), _RATE_END_WIDTH))
                and not _ACTOR_THEN_VERB_RE.match(s, m.end())
            ):
                continue  # 城市社区法律顾问覆盖率, 部门联合抽查占比: the owner is part of the measure
            if m and m.end() > 0 and (i in _LEAD_FULL or len(s) - m.end() >= 1):
                off += m.end()
                s = s[m.end() :]
                can = _lead_can_start(s[:1])
        if s == before:
            break
    m = _DUI_RE.match(s)
    if m:
        off += m.end()
        s = s[m.end() :]
    if _PREP_ONLY_RE.match(s):
        off += len(s)
        s = ""
    else:
        m = _LEAD_PREP_RE.match(s)
        if m and len(s) - m.end() >= 2:
            off += m.end()
            s = s[m.end() :]
    m = _PIVOT_RE.match(s) or (_PIVOT_GROWS_RE.match(s) if grows_to else None)
    if m:
        off += m.end()
        s = s[m.end() :]
    return off, _strip_trailing(s, 4)


# 各, 均, 每村 after the noun of a classifier: a new predicate about each (8个街道各配备2名)
_POST_EACH_RE = re.compile(r"(?:各|均|都|分别)(?![类级项种地界方自有衡])|每(?=[\u4e00-\u9fff]{0,3}(?:村|社区|人|户|个|名|家|年|月|周|季度|天|日))")
_POST_TRAIL_RE = re.compile(r"(?:[、,; ]|的|等|以及|和|及|与|(?<=[件项类品者])中)+$")
_POST_IN_RE = re.compile(r"(?<=[件项类品者])中$")  # 1,023件行政复议案件|中
# A verb or a direction after the unit: a predicate of its own, not part of what is counted
_POST_PREDICATE_RE = re.compile(f"(?:至|到|向|给|于|(?:{_VERBS})|组成|用于|建设)")
# The clause ends in its own verb: 审查|合同 no, 组织抽查| yes (the noun after the number is its object)
_VERB_END_RE = re.compile(f"(?:{_VERBS}|进行|为期|完成|实现|建成|成立|组建)$")
_VERB_IN_RE = re.compile(f"(?:{_VERBS})")


def _clean_post(
    post: str, *, verbal_pre: bool, cut: bool = False, money: bool = False, named: bool = False
) -> tuple[int, str]:
    """Trim the text after a unit to the counted thing; return (offset, phrase).

    ``named``: the clause already named the counted thing before the number (下放执法事项186项|至镇街,
    抽调执法骨干20人|组成督查组), so a phrase opening with a verb or a direction is a new predicate.
    """
    off = 0
    s = post
    if s.startswith("的"):  # 为期三个月|的|执法队伍教育整顿活动
        off, s = 1, s[1:]
    if _POST_GOAL_RE.match(s) or _FROM_TO_LINK_RE.match(s):  # 超过20%|的工作目标; 从60%|提高到100%
        return off, ""
    if named and _POST_PREDICATE_RE.match(s):
        return off, ""
    m = _POST_EACH_RE.search(s) if cut else None
    if m is not None:  # 8个街道|各配备2名…, 186个行政村|每村配备1名…: a per-unit rule follows
        s = s[: m.start()]
    if verbal_pre:
        m = _POST_STOP_RE.match(s) or (money and _POST_START_VERB_RE.match(s)) or _POST_STOP_RE.search(s, 2)
        if m:
            s = s[: m.start()]
    # 法律工作者与|23个…: a joiner before the next number; 群众参与 keeps its 与
    s = _POST_TRAIL_RE.sub("", s) if cut else _POST_IN_RE.sub("", s.rstrip("、,; 的等"))
    return off, s


@dataclass
class Quantity:
    """A quantity token with what it counts: ``subject``, the quoted span
    ``t[q_start:q_end]`` (subject + number + unit), the subject written before the
    number (``pre_subject``), where its clause starts, ``k``, its index among the tokens, and
    whether its subject was taken over from the quantity before it (``inherited``)."""

    tok: Token
    subject: str
    q_start: int
    q_end: int
    pre_subject: str
    clause_start: int
    k: int  # index of tok in the token list
    inherited: bool = False  # the subject continues the quantity before (2,300余批次、5,600余人次)
    may_share: bool = False  # a list and 均 各 都 分别 before it, or a counted value (“三个100%”)


def attach_subjects(
    t: str, tokens: list[Token], clean_pre: Callable[[str], tuple[int, str]] = clean_pre
) -> list[Quantity]:
    """Attach a subject to every quantity token; tokens are in text order.

    ``clean_pre`` is :func:`clean_pre` or a memoised copy of it (the extractor memoises it
    within one call).
    """
    out: list[Quantity] = []
    prev_q: Quantity | None = None
    bound = 0  # end of the last token that a subject may not reach back over
    span_start = -1  # start of that token when it is a time span (近3年, 连续3年)
    n_t = len(t)
    # next_stop[k]: qstart of the first token after k that a phrase may not run through
    next_stop = [n_t] * len(tokens)
    stop = n_t
    for k in range(len(tokens) - 1, -1, -1):
        next_stop[k] = stop
        if tokens[k].group not in _PASS_GROUPS:
            stop = tokens[k].qstart
    for k, tok in enumerate(tokens):
        if tok.cls != "indicator":
            # (比五年前提高: a past point compared with is part of the change, not a frame)
            # (新增|第五批|省级示范村4个, 接待|第十四届|全国人大代表: an ordinal right after a verb
            # is in its object)
            if (
                tok.group in _BOUND_GROUPS
                and not (tok.group == "timespan" and t[tok.start - 1 : tok.start] in _COMPARE_CHARS)
                and not (tok.group == "ordinal" and _VERB_END_RE.search(t, max(0, tok.start - 6), tok.start))
                # (在|第十五次常务会议上|审议: an ordinal in a framing after 在/于 is part of it)
                and not (tok.group == "ordinal" and t[tok.start - 1 : tok.start] in ("在", "于"))
            ):
                bound = tok.end
                span_start = tok.start if tok.group == "timespan" else -1
            continue
        cs = clause_start(t, tok.qstart)
        lo = max(cs, bound)
        if prev_q is not None and lo <= prev_q.q_end <= tok.qstart:
            lo = prev_q.q_end
        raw_pre = t[lo : tok.qstart]
        if raw_pre[-1:] in ("从", "由") and _FROM_AHEAD_RE.match(t, tok.end):
            raw_pre = raw_pre[:-1]
        off, pre = clean_pre(raw_pre)
        if pre[:1] in _LINK_ONLY_FIRST and _LINK_ONLY_RE.match(pre):
            pre = ""  # 保持|100%, 达到|98%: a linking verb alone names nothing
        if not pre and lo == bound and span_start >= cs and (prev_q is None or prev_q.q_end <= span_start):
            # 出庭应诉率|连续3年|保持100%: what is counted stands before the time span
            off2, pre2 = clean_pre(t[cs:span_start])
            if pre2:
                lo, off, pre = cs, off2, pre2
        object_pre = len(pre) > 1 and pre[0] == "对"  # 对全县|18个乡镇…: no verb before the number
        if object_pre:
            off, pre = off + 1, pre[1:]
        inherited = (
            not pre
            and prev_q is not None
            and prev_q.clause_start == cs
            and bool(prev_q.pre_subject)
            and (
                # 接待来访群众2,300余批次、5,600余人次; 1,856批3,212人次; 配备率从60%提高到100%
                (bool(raw_pre.strip()) and bool(_CONNECTOR_ONLY_RE.match(raw_pre)))
                or (not raw_pre and prev_q.q_end == tok.qstart)
                or bool(_FROM_TO_LINK_RE.match(raw_pre))
            )
        )
        # the phrase after the unit: 8个|企业安全标准化创建
        nxt = next_stop[k]
        post = ""
        post_off = 0
        # (A、B、C“三个100%”|全部实现: the listed subjects come before a counted value; what
        # follows it is their predicate, not part of what is counted)
        if tok.end < n_t and not tok.shares and (t[tok.end] >= "\u4e00" or t[tok.end] in "“《‘「"):
            pe = post_end(t, tok.end, nxt)
            runs_on = pe == nxt
            # a verb before the number, or another number right after: the phrase is a noun
            # (but 对全县|18个乡镇开展法治督察: the 对-phrase's verb comes after the number, and
            # 行政决策100%|开展风险评估: a share of things that did what follows)
            subject_pre = prev_q.pre_subject if inherited and prev_q is not None else pre
            # (组织|12个部门开展联合执法: after a pivot verb the phrase is its own clause)
            named_before = (
                bool(subject_pre)
                and not _SCOPE_ONLY_RE.match(subject_pre)
                and not object_pre
                and _PIVOT_END_RE.search(subject_pre) is None
            )
            if runs_on:
                if t[pe - 1] in _LIST_SEPARATORS:
                    pass  # 建成1个综治中心、14个社区综治站: a list of objects of the verb before
                elif _NEXT_VERB_RE.match(t, tok.end) or (
                    named_before and _VERB_END_RE.search(subject_pre) is None and not _in_prep_object(subject_pre)
                ):
                    # 立案5起|结案5起, 开展普法讲座24场|受教育群众1,600余人次: a quantity that names
                    # what it counts closes its clause, punctuation or not; the words after it
                    # name the next one
                    pe = tok.end
                else:
                    # 为1.2万名农民工|讨回欠薪1.6亿元: the next number's activity starts at its verb;
                    # 组织培训3期|培训人员420人次: no verb, but the clause named its activity
                    nm = _NEXT_TOTAL_RE.search(t, tok.end + 1, pe) or _NEXT_VERB_RE.search(t, tok.end + 1, pe)
                    if nm is not None:
                        pe = nm.start()
                    elif named_before and not _in_prep_object(subject_pre):
                        pe = tok.end
            # (年度考核目标中的12项|法治指标全部完成, 县人大审议的6件|报告均已办结: after a phrase
            # ending in 的 that modifies it, the noun after the number is the topic and what it
            # did stays in the subject)
            verbal = ((named_before and raw_pre[-1:] != "的") or runs_on) and tok.unit not in RATE_UNITS
            # 投入资金2,800万元|建设智慧执法平台: after an amount of money a verb starts its purpose
            money = tok.unit.endswith("元")
            named = (
                bool(subject_pre)
                and not object_pre
                and tok.unit not in RATE_UNITS
                # (搭建“区—街—社区”三级|调解网络: tiers name the structure after them)
                and tok.unit != "级"
                and _VERB_IN_RE.search(subject_pre) is not None
                and _VERB_END_RE.search(subject_pre) is None
            )
            post_off, post = _clean_post(
                t[tok.end : pe], verbal_pre=verbal, cut=runs_on, money=money, named=named
            )
        subject_pre = prev_q.pre_subject if inherited and prev_q is not None else pre
        subject = (subject_pre + post).strip()
        q_start = lo + off if pre else tok.qstart
        if not subject and cs > 0 and t[cs - 1] in ",:" and is_boundary(t, cs - 1) and lo == cs and (prev_q is None or prev_q.q_end < cs):
            # 受理行政复议案件,共计56件; 审结:198件: what is counted was named in the clause before
            pcs = max(clause_start(t, cs - 1), bound)
            poff, prev_text = clean_pre(t[pcs : cs - 1])
            if prev_text and _NUMERAL_RE.search(prev_text) is None:
                subject = prev_text
                q_start = pcs + poff
        if not subject and _TOTAL_ONLY_RE.match(raw_pre):
            # 新增…800名,累计达5,200名: a running total
            subject = raw_pre.strip()[:2]
            q_start = lo + raw_pre.index(subject)
        if (
            not subject
            and prev_q is not None
            and prev_q.subject
            and (_SHARE_ONLY_RE.match(raw_pre) or _LINK_ONLY_RE.match(raw_pre.strip()))
            and SENT_END_RE.search(t, prev_q.q_end, tok.qstart) is None
        ):
            # 涉及征地拆迁的326件,占31.9%: the share of the same thing; 粮食总产量52.6万吨,连续五年
            # 稳定在50万吨以上: a level the same thing kept
            subject = prev_q.subject
        q_end = tok.end + post_off + len(post) if post else tok.end
        # (a list before the number, with a distributive word: see analysis.indicators.lists)
        may_share = bool(tok.shares) or (
            _DISTRIBUTIVE_RE.search(raw_pre) is not None and _LIST_MARK_RE.search(raw_pre) is not None
        )
        q = Quantity(tok, subject, q_start, q_end, subject_pre, cs, k, inherited, may_share)
        out.append(q)
        prev_q = q
    return out


