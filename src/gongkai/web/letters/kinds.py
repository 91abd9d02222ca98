"""The letter kinds, their default templates and the articles each decision's 答复告知书 must cite.

A template is a title (the kind of document, printed under the body's name) and a text: the first line is the
addressee (``{申请人}：``), each further line a paragraph. ``{占位符}`` are filled by :mod:`.compose`; the
placeholders each kind offers are listed in ``PLACEHOLDERS`` (shown on the template editor).

Articles are those of 《中华人民共和国政府信息公开条例》 (2019); 救济途径 follows 《中华人民共和国行政复议法》
(2023) 第二十条 (sixty days), 第二十三条第一款第（四）项 (a refusal to disclose must first go to review) and
《中华人民共和国行政诉讼法》 第四十五、四十六条 (fifteen days after review; six months directly).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ...law.decisions import reply_types
from .models import Recipient

REG = "《中华人民共和国政府信息公开条例》"
A14, A15, A16_1, A16_2 = "第十四条", "第十五条", "第十六条第一款", "第十六条第二款"
A30, A35, A37, A38, A42 = "第三十条", "第三十五条", "第三十七条", "第三十八条", "第四十二条"
A39_1, A39_2 = "第三十九条第一款", "第三十九条第二款"


def a36(item: str) -> str:
    return f"第三十六条第（{item}）项"


# The grounds of refusal: (what the information is, the article(s)) — the 条例's own words.
GROUNDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "denied.state_secret": ("依法确定为国家秘密的政府信息", (A14,)),
    "denied.law_prohibited": ("法律、行政法规禁止公开的政府信息", (A14,)),
    "denied.three_securities": ("公开后可能危及国家安全、公共安全、经济安全、社会稳定的政府信息", (A14,)),
    "denied.third_party": ("涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的政府信息", (A15,)),
    "denied.internal_affairs": ("人事管理、后勤管理、内部工作流程等方面的内部事务信息", (A16_1,)),
    "denied.process_info": ("行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息",
                            (A16_2,)),
    "denied.enforcement_file": ("行政执法案卷信息", (A16_2,)),
}
REFUSAL_ARTICLES = (A14, A15, A16_1, A16_2)


@dataclass(frozen=True)
class Kind:
    key: str
    label: str  # what the staff see, e.g. 补正告知书
    title: str  # the default title
    text: str  # the default text
    recipient: str = Recipient.APPLICANT
    reply_type: str = ""  # for 答复告知书: the decision
    # L1: each inner tuple is a set of alternatives, one of which the text must cite
    required: tuple[tuple[str, ...], ...] = ()
    forbidden: tuple[str, ...] = ()  # articles that do not fit this decision
    remedy: bool = False  # carries 救济途径 (L2)
    review_first: bool = False  # 复议前置 (行政复议法第二十三条第一款第（四）项)
    fields: tuple[str, ...] = field(default_factory=tuple)  # extra facts the issue form asks for


OPEN = "{申请人}：\n本机关于{收到日期}收到{称谓}提出的政府信息公开申请（申请编号：{申请编号}），申请获取“{申请内容}”。{办理过程}"
TAIL = "{送达方式}\n{救济途径}"

RECEIPT = Kind(
    "receipt", "登记回执", "政府信息公开申请登记回执",
    "{申请人}：\n本机关于{收到日期}收到{称谓}通过{申请方式}提交的政府信息公开申请，申请获取“{申请内容}”，现已登记。"
    "\n申请编号：{申请编号}；查询码：{查询码}。{称谓}可以凭查询码在本机关政府信息公开网站查询办理进度、下载本机关出具的文书。"
    "\n根据" + REG + "第三十三条的规定，本机关将自收到申请之日起二十个工作日内予以答复，答复期限至{答复期限}。"
    "需要延长答复期限的，本机关将另行书面告知。",
)
CORRECTION = Kind(
    "correction", "补正告知书", "政府信息公开申请补正告知书",
    "{申请人}：\n本机关于{收到日期}收到{称谓}提出的政府信息公开申请（申请编号：{申请编号}），申请获取“{申请内容}”。"
    "经审查，{称谓}的申请内容不明确。根据" + REG + "第二十九条、第三十条的规定，请{称谓}对以下事项作出补正："
    "\n{补正事项}"
    "\n请{称谓}于{补正期限}前将补正后的申请提交本机关（可以邮寄、当面提交，或者凭查询码在线补正）。"
    "答复期限自本机关收到补正后的申请之日起计算。{称谓}无正当理由逾期不补正的，视为放弃申请，"
    "本机关不再处理该政府信息公开申请。",
    fields=("reply_by",),
)
EXTENSION = Kind(
    "extension", "延期答复告知书", "政府信息公开申请延期答复告知书",
    OPEN + "\n因{延期理由}，本机关不能在法定期限内作出答复。经本机关政府信息公开工作机构负责人同意，根据" + REG
    + "第三十三条第二款的规定，答复期限延长{延长工作日}个工作日，本机关将于{答复期限}前作出答复。",
)
CONSULTATION = Kind(
    "consultation", "第三方意见征询函", "政府信息公开第三方意见征询函",
    "{第三方}：\n本机关收到一件政府信息公开申请（申请编号：{申请编号}），申请获取“{申请内容}”。经审查，该申请所涉及的政府信息"
    "可能涉及{第三方称谓}的商业秘密、个人隐私等合法权益。根据" + REG + "第三十二条的规定，现书面征求{第三方称谓}的意见。"
    "\n请{第三方称谓}自收到本函之日起十五个工作日内，以书面形式向本机关提出是否同意公开的意见；不同意公开的，请说明理由。"
    "逾期未提出意见的，由本机关依照" + REG + "的规定决定是否公开。"
    "\n{第三方称谓}不同意公开且有合理理由的，本机关不予公开；本机关认为不公开可能对公共利益造成重大影响的，可以决定予以公开，"
    "并将决定公开的政府信息内容和理由书面告知{第三方称谓}。",
    recipient=Recipient.THIRD_PARTY, fields=("party",),
)
FEE = Kind(
    "fee", "收费通知书", "政府信息公开信息处理费收费通知书",
    OPEN + "\n{称谓}申请公开政府信息的数量、频次明显超过合理范围。根据" + REG
    + "第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，本机关收取信息处理费。"
    "\n计费方式：{收费方式}，{收费数量}；计费明细：{收费明细}；应缴金额：人民币{收费金额}元。"
    "\n请{称谓}自收到本通知书之日的次日起二十个工作日内缴纳上述费用。缴费方式：持本通知书到本机关（{机关地址}）办理，"
    "或者按照本机关提供的非税收入缴款通知缴入国库；本机关收到费用后出具财政票据。"
    "\n{称谓}逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。自本机关发出收费通知之日至收到费用之日，"
    "不计算在答复期限内。",
)

_REPLY: dict[str, tuple[str, tuple[tuple[str, ...], ...]]] = {
    # decision: (the answer paragraph, the articles it must cite)
    "granted": ("经审查，{称谓}申请获取的政府信息属于可以公开的政府信息。根据" + REG + a36("二")
                + "的规定，本机关向{称谓}提供该政府信息。{答复内容}", ((a36("一"), a36("二")),)),
    "partial": ("经审查，{称谓}申请获取的政府信息中，有关内容属于{不予公开情形}，根据" + REG + "{不予公开依据}的规定，"
                "不予公开；其余内容可以公开。根据" + REG + "第三十七条的规定，本机关对可以公开的部分予以提供，"
                "对不予公开的内容作区分处理。{答复内容}", ((A37,),)),
    "denied.query_matter": ("经审查，{称谓}申请获取的信息属于工商、不动产登记资料等信息，有关法律、行政法规对信息的获取有特别规定。"
                            "根据" + REG + a36("七") + "的规定，请{称谓}按照有关法律、行政法规的规定办理。{答复内容}",
                            ((a36("七"),),)),
    "unable.not_held": ("经审查，{检索结果}{答复内容}", ((a36("四"), a36("五")),)),
    "unable.needs_creation": ("经审查，{称谓}申请获取的信息需要本机关对现有政府信息进行加工、分析后另行制作。根据" + REG
                              + "第三十八条的规定，行政机关向申请人提供的信息，应当是已制作或者获取的政府信息，"
                              "本机关不予另行制作，无法提供。{答复内容}", ((A38,),)),
    "unable.unclear": ("本机关已于{补正告知日期}向{称谓}发出补正告知书，{称谓}补正后的申请内容仍不明确，本机关无法确定{称谓}"
                       "所需的政府信息。根据" + REG + "第二十九条第二款、第三十条的规定，本机关无法提供。{答复内容}",
                       ((A30,),)),
    "not_processed.petition": ("经审查，{称谓}提出的申请实质是以政府信息公开申请的形式进行信访、投诉、举报等活动。根据" + REG
                               + "第三十九条第一款的规定，本机关不作为政府信息公开申请处理，{称谓}可以通过信访、投诉、举报等"
                               "相应渠道提出。{答复内容}", ((A39_1,),)),
    "not_processed.duplicate": ("经审查，{称谓}的申请与{称谓}此前提出、本机关已经答复的政府信息公开申请内容相同，属于重复申请。根据"
                                + REG + a36("六") + "的规定，本机关不予重复处理。{答复内容}", ((a36("六"),),)),
    "not_processed.publication": ("经审查，{称谓}申请获取的是政府公报、报刊、书籍等公开出版物。根据" + REG
                                  + "第三十九条第二款的规定，本机关告知获取的途径，不作为政府信息公开申请处理。{答复内容}",
                                  ((A39_2,),)),
    "not_processed.excessive": ("经审查，{称谓}申请公开政府信息的数量、频次明显超过合理范围，本机关已要求{称谓}说明理由，"
                                "{称谓}未说明理由或者理由不合理。根据" + REG + "第三十五条的规定，本机关不予处理。{答复内容}",
                                ((A35,),)),
    "not_processed.confirm_reissue": ("经审查，{称谓}的申请实质是要求本机关确认或者重新出具{称谓}已经获取的信息，不属于" + REG
                                      + "所规定的获取政府信息的申请，本机关不作为政府信息公开申请处理。{答复内容}", ()),
    "other.no_correction": ("本机关于{补正告知日期}向{称谓}发出补正告知书，{称谓}无正当理由逾期未补正。根据" + REG
                            + "第三十条的规定，视为{称谓}放弃申请，本机关不再处理该政府信息公开申请。", ((A30,),)),
    "other.no_fee": ("本机关于{收费通知日期}向{称谓}发出收费通知书，{称谓}未在规定期限内缴纳信息处理费。根据" + REG
                     + "第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，视为{称谓}放弃申请，"
                     "本机关不再处理该政府信息公开申请。", ((A42,), ("109号",))),
    "other.other": ("{称谓}于{办结日期}撤回上述政府信息公开申请，本机关终止办理。", ()),
}
for _key, (_what, _articles) in GROUNDS.items():
    _REPLY[_key] = ("经审查，{称谓}申请获取的政府信息属于" + _what + "。根据" + REG + "、".join(_articles) + "、" + a36("三")
                    + "的规定，本机关不予公开。{答复内容}", ((_articles[0],), (a36("三"),)))


def _reply_kind(row_key: str) -> Kind:
    answer, required = _REPLY[row_key]
    refusal = row_key.startswith("denied.") and row_key != "denied.query_matter"
    own = set(GROUNDS.get(row_key, ("", ()))[1])
    forbidden = () if row_key == "partial" else tuple(a for a in REFUSAL_ARTICLES if a not in own)
    forbidden += () if row_key == "partial" else (A37,)
    fields: tuple[str, ...] = ()
    if row_key == "partial":
        fields = ("withheld",)
    elif row_key == "unable.not_held":
        fields = ("responsible_body",)
    return Kind(f"reply.{row_key}", "答复告知书", "政府信息公开申请答复告知书",
                OPEN + "\n" + answer + "\n" + TAIL, reply_type=row_key, required=required, forbidden=forbidden,
                remedy=True, review_first=refusal or row_key == "partial", fields=fields)


KINDS: dict[str, Kind] = {k.key: k for k in (RECEIPT, CORRECTION, EXTENSION, CONSULTATION, FEE)}
KINDS |= {f"reply.{t.row_key}": _reply_kind(t.row_key) for t in reply_types()}

PLACEHOLDERS: dict[str, str] = {
    "申请人": "申请人姓名或名称（主送）", "称谓": "“您”（自然人）或“你单位”（法人或其他组织）", "申请编号": "本机关的申请编号",
    "收到日期": "收到申请日期", "申请内容": "所需信息描述", "申请方式": "申请方式", "查询码": "查询码", "答复期限": "答复期限",
    "办理过程": "补正、征求意见、延期、缴费的经过（自动生成）", "答复内容": "承办人填写的答复内容",
    "送达方式": "提供信息的方式（自动生成）", "救济途径": "行政复议和行政诉讼（自动生成，写明复议机关和法院）",
    "复议机关": "行政复议机关", "人民法院": "人民法院", "机关": "本机关全称", "机关地址": "本机关办公地址",
    "补正事项": "需要补正的事项", "补正期限": "补正期限", "补正告知日期": "补正告知日期", "延期理由": "延期理由",
    "延长工作日": "延长的工作日数", "第三方": "第三方姓名或名称", "第三方称谓": "“您”或“你单位”（第三方）",
    "收费方式": "按件计收或按量计收", "收费数量": "件数或页数", "收费明细": "分档计费明细", "收费金额": "应缴金额",
    "收费通知日期": "收费通知日期", "办结日期": "办结日期", "不予公开情形": "部分公开：不予公开部分的情形",
    "不予公开依据": "部分公开：不予公开部分的条款", "检索结果": "不掌握：检索结果及第三十六条第（四）或（五）项",
}


def kind_of(key: str) -> Kind | None:
    return KINDS.get(key)


def reply_key(reply_type: str) -> str:
    return f"reply.{reply_type}"


def plain_label(row_key: str) -> str:
    """The decision in plain words, e.g. 「不予公开：属于国家秘密」, 「部分公开」 (never the statistics label)."""
    import re

    from ...law.decisions import reply_type

    t = reply_type(row_key)
    strip = re.compile(r"^(?:[（(][一二三四五六七八九十]+[）)]|\d+\.)")
    label = strip.sub("", t.label).split("（")[0]
    return f"{strip.sub('', t.group)}：{label}" if t.group else label


def kind_label(key: str) -> str:
    kind = KINDS[key]
    return f"{kind.label}（{plain_label(kind.reply_type)}）" if kind.reply_type else kind.label
