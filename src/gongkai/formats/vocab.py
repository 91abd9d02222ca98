"""Words of the domain that are not table labels: kinds and levels of bodies, narrative phrases,
blank-cell tokens. Kept here so that labels and phrases live in one package."""
from __future__ import annotations

import re
from enum import StrEnum


class Level(StrEnum):
    NATIONAL = "national"  # 国务院部门
    PROVINCIAL = "provincial"  # 省级
    PREFECTURE = "prefecture"  # 设区的市、自治州
    COUNTY = "county"  # 县、县级市、市辖区
    TOWNSHIP = "township"  # 乡镇、街道


class BodyKind(StrEnum):
    GOVERNMENT = "government"  # 人民政府 (and 街道办事处, a township-level body)
    DEPARTMENT = "department"  # 政府部门 (局、委、办、厅 …)


LEVEL_NAMES = {Level.NATIONAL: "国务院部门", Level.PROVINCIAL: "省级", Level.PREFECTURE: "设区的市级",
               Level.COUNTY: "县级", Level.TOWNSHIP: "乡镇（街道）级"}
KIND_NAMES = {BodyKind.GOVERNMENT: "人民政府", BodyKind.DEPARTMENT: "政府部门"}

MUNICIPALITIES = ("北京市", "上海市", "天津市", "重庆市")
_TOWNSHIP = re.compile(r"(街道办事处|街道|乡人民政府|镇人民政府|[乡镇]$|苏木)")
_GOV = re.compile(r"人民政府$")
_DEPT_SUFFIX = re.compile(r"(办公厅|办公室|局|委员会|委|厅|部|署|中心|管理处|办|院|会|总队|支队)$")
_COUNTY_UNIT = re.compile(r"(县|区|旗|县级市)(人民政府)?")
_PROVINCE = re.compile(r"(省|自治区)(人民政府)?$")


def infer_body(agency: str | None) -> tuple[BodyKind | None, Level | None]:
    """Guess the kind and administrative level of a body from its name (None when unsure)."""
    if not agency:
        return None, None
    name = agency.strip()
    if name.startswith(("国务院", "国家", "中华人民共和国")):
        return BodyKind.DEPARTMENT, Level.NATIONAL
    if _TOWNSHIP.search(name):
        return BodyKind.GOVERNMENT, Level.TOWNSHIP
    kind = BodyKind.GOVERNMENT if _GOV.search(name) else (BodyKind.DEPARTMENT if _DEPT_SUFFIX.search(name) else None)
    owner = name[: name.rfind("人民政府")] if "人民政府" in name else name
    level: Level | None = None
    if re.search(r"(县|旗|[^市]区)(人民政府|$)", owner + ("人民政府" if kind is BodyKind.GOVERNMENT else "")) \
            or re.search(r"市.+?(县|区|旗)", owner):
        level = Level.COUNTY
    elif _PROVINCE.search(owner) or any(owner.startswith(m) and len(owner) <= len(m) + 0 for m in MUNICIPALITIES):
        level = Level.PROVINCIAL
    elif any(name.startswith(m) for m in MUNICIPALITIES) and not re.search(r"市.+?(县|区)", name):
        level = Level.PROVINCIAL
    elif re.search(r"(省|自治区).+?(市|州|盟)", owner) or re.search(r"(市|州|盟)$", owner):
        level = Level.PREFECTURE
    elif re.match(r"^[^省市县区]{2,4}市", name):
        level = Level.PREFECTURE
    return kind, level


# Blank-like cell texts (V4): read as 0 with status "blank".
BLANK_TOKENS = frozenset({"", "/", "／", "-", "－", "—", "——", "–", "无", "空", "\\", "×"})

# Words in section 六 that state the 信息处理费 (W4, V11).
FEE_WORDS = ("信息处理费", "信息费", "收取费用", "收费")
NO_FEE_PATTERNS = (
    r"(未|没有|无|不)(收取|收)(任何)?(政府)?信息(处理)?费",
    r"无收取信息(处理)?费",
    r"信息(处理)?费[^。；;]{0,10}(0|零)(\.0+)?\s*(万?元)",
    r"^\s*无[。.]?\s*$",
)

# Statistics period (W8) and publication date phrases.
PERIOD_PATTERN = r"统计(期限|期间|时限|时间)[为是自从:：]*\s*(\d{4})年(\d{1,2})月(\d{1,2})日\s*(至|到|—|-|－)\s*(\d{4})年(\d{1,2})月(\d{1,2})日"

# Narrative facts (W1): a regular expression per canonical key; the number is group "n".
# Phrases seen in real reports: 共收到政府信息公开申请N件, 本年度新收申请N件, 办结N件, 结转下年度N件,
# 行政复议N件/起, 行政诉讼N件/起, 制发规范性文件N件, 现行有效规范性文件N件.
_N = r"(?P<n>\d+)"
NARRATIVE_FACTS: tuple[tuple[str, str], ...] = (
    ("s3.new.total", r"(共|新|累计|全年|本年度?)(收到|受理|新收|接收)[^。；，,]{0,16}?(政府信息公开|信息公开|依申请公开)?申请(数量)?(共计|共|合计)?\s*" + _N + r"\s*[件份个条]"),
    ("s3.new.total", r"(共|新|累计|全年|本年度?)(收到|受理|新收|接收)(了)?\s*" + _N + r"\s*[件份个条](政府信息公开|信息公开|依申请公开)?申请"),
    # 受理政府信息公开申请17件 (no 共/全年 before it: a body's own count, e.g. 区政府办代表区政府受理)
    ("s3.new.total", r"(?<![共新计年度])(收到|受理|新收|接收)(政府信息公开|信息公开|依申请公开)申请(共计|共|合计)?\s*" + _N + r"\s*[件份个条]"),
    ("s3.carried_over.total", r"上年(度)?结转[^。；，,]{0,12}?" + _N + r"\s*[件份个条]"),
    ("s3.carry_forward.total", r"结转(至)?下(一)?年度?[^。；，,]{0,12}?" + _N + r"\s*[件份个条]"),
    ("s4.review.total", r"(被申请|提起|收到)?行政复议(案件)?(共|共计)?\s*" + _N + r"\s*[件起个宗]"),
    ("s4.litigation.total", r"(被提起|提起|被)?行政诉讼(案件)?(共|共计)?\s*" + _N + r"\s*[件起个宗]"),
    ("s2.normative_docs.issued", r"(制发|印发|出台|制定)[^。；，,]{0,8}?(行政)?规范性文件(共|共计)?\s*" + _N + r"\s*[件份个]"),
    ("s2.normative_docs.in_force", r"现行有效[^。；，,]{0,8}?(行政)?规范性文件(共|共计)?\s*" + _N + r"\s*[件份个]"),
    ("s2.normative_docs.in_force", r"(行政)?规范性文件[^。；，,]{0,4}?现行有效(共|共计)?\s*" + _N + r"\s*[件份个]"),
)
NO_APPLICATIONS = r"(未|没有)(收到|接到|受理)[^。；]{0,10}(政府信息公开|信息公开)?申请"
