"""The catalog's classification as data: the 法定主动公开内容 sub-columns (第二十条 items, portal.md §1),
the 第二十一条 local categories, the 公开属性 and the validity of 规章 and 行政规范性文件."""
from __future__ import annotations

from django.db import models

from ...formats import get_format

_F2021 = get_format("2021")
RULE_LABEL = _F2021.locate("s2.rules.issued")[1].label  # the row labels of section 二 live in gongkai.formats
NORMATIVE_LABEL = _F2021.locate("s2.normative_docs.issued")[1].label

# (code, 第二十条 item, the portal's second-level label). Order is the order of the site map.
ARTICLE_20: tuple[tuple[str, str, str], ...] = (
    ("duties", "（二）", "机构职能"),
    ("documents", "（一）", "法规文件"),
    ("plans", "（三）", "规划计划"),
    ("statistics", "（四）", "统计信息"),
    ("licensing", "（五）", "行政许可和其他对外管理服务"),
    ("penalty", "（六）", "行政处罚和行政强制"),
    ("finance", "（七）", "财政信息"),
    ("fees", "（八）", "行政事业性收费"),
    ("procurement", "（九）", "政府采购"),
    ("projects", "（十）", "重大建设项目"),
    ("welfare", "（十一）", "民生保障"),
    ("emergency", "（十二）", "应急管理"),
    ("inspection", "（十三）", "监督检查"),
    ("personnel", "（十四）", "人事信息"),
    ("other", "（十五）", "其他法定公开信息"),
)
# 第二十一条: added by 设区的市/县 governments and 乡（镇） (a body shows only those it has).
ARTICLE_21: tuple[tuple[str, str], ...] = (
    ("urban", "市政建设"), ("public_service", "公共服务"), ("public_welfare", "公益事业"),
    ("land_expropriation", "土地征收"), ("housing_expropriation", "房屋征收"), ("public_order", "治安管理"),
    ("social_assistance", "社会救助"), ("irrigation", "农田水利"), ("land_contract", "土地承包经营权流转"),
    ("homestead", "宅基地审核"), ("fundraising", "筹资筹劳"),
)


class Category(models.TextChoices):
    DUTIES = "duties", "机构职能"
    DOCUMENTS = "documents", "法规文件"
    PLANS = "plans", "规划计划"
    STATISTICS = "statistics", "统计信息"
    LICENSING = "licensing", "行政许可和其他对外管理服务"
    PENALTY = "penalty", "行政处罚和行政强制"
    FINANCE = "finance", "财政信息"
    FEES = "fees", "行政事业性收费"
    PROCUREMENT = "procurement", "政府采购"
    PROJECTS = "projects", "重大建设项目"
    WELFARE = "welfare", "民生保障"
    EMERGENCY = "emergency", "应急管理"
    INSPECTION = "inspection", "监督检查"
    PERSONNEL = "personnel", "人事信息"
    OTHER = "other", "其他法定公开信息"


LocalCategory = models.TextChoices("LocalCategory", [(code, (code, label)) for code, label in ARTICLE_21])
ARTICLE_OF = {code: item for code, item, _ in ARTICLE_20}


class Disclosure(models.TextChoices):
    """公开属性: only 主动公开 items are ever listed publicly, and only they have the 20 working days of 第二十六条
    (「超期未公开」). 内部管理信息 are working papers of the body (a draft for comment, an attendance rule, 第十六条)
    kept in the catalog for its records, never meant for publication."""

    PROACTIVE = "proactive", "主动公开"
    ON_REQUEST = "on_request", "依申请公开"
    WITHHELD = "withheld", "不予公开"
    INTERNAL = "internal", "内部管理信息（不公开）"


class DocKind(models.TextChoices):
    """What section 二 (第二十条第（一）项) counts an item as."""

    NONE = "", "一般信息"
    RULE = "rule", RULE_LABEL
    NORMATIVE = "normative", NORMATIVE_LABEL


class Validity(models.TextChoices):
    VALID = "valid", "有效"
    AMENDED = "amended", "已修改"
    REPEALED = "repealed", "已废止"
    EXPIRED = "expired", "已失效"


IN_FORCE = (Validity.VALID, Validity.AMENDED)
