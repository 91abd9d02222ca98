"""Demo catalog: items of 七政街道 and 革新街道 taken through the real services (draft → review → publish),
plus a few that must never appear publicly (a draft, one awaiting review, one returned, one 依申请公开)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from ..bodies.models import Body
from . import services as s

# title, category, doc_number, doc_kind, subject, keywords, text, days before today (written), local category
ITEMS: list[tuple[str, str, str, str, str, str, str, int, str]] = [
    ("七政街道办事处机构职能及内设机构", "duties", "", "", "综合政务\\机构设置", "机构职能 内设机构",
     ("七政街道办事处是南岗区人民政府的派出机关，负责辖区党的建设、经济发展、城市管理、社会治理和公共服务等工作。"
      "内设党政综合办公室、社区建设办公室、城市管理办公室、公共服务办公室和平安建设办公室。"), 400, ""),
    ("七政街道办事处领导分工", "duties", "", "", "综合政务\\机构设置", "领导分工", "主任主持街道办事处全面工作。", 380, ""),
    ("七政街道老旧小区改造居民议事规则", "documents", "七政办发〔2025〕3号", "normative", "城乡建设\\住房",
     "老旧小区 改造 议事规则", "为规范老旧小区改造中的居民议事，保障居民的知情权、参与权和监督权，制定本规则。", 330, "urban"),
    ("七政街道临时救助实施办法", "documents", "七政办发〔2024〕5号", "normative", "民政\\社会救助",
     "临时救助 社会救助", "为做好辖区临时救助工作，切实保障困难群众基本生活，根据有关规定，制定本办法。", 600, "social_assistance"),
    ("七政街道网格化管理工作规定", "documents", "七政办发〔2023〕2号", "normative", "综合政务\\基层治理",
     "网格化 基层治理", "本规定适用于七政街道辖区网格化服务管理工作。（已废止，由2025年新规定替代）", 900, ""),
    ("七政街道2026年政务公开工作要点", "plans", "", "", "综合政务\\政务公开", "政务公开 工作要点",
     "坚持以公开为常态、不公开为例外，全面推进基层政务公开标准化规范化。", 120, ""),
    ("七政街道政府信息公开保密审查制度", "documents", "七政办发〔2025〕1号", "", "综合政务\\政务公开",
     "保密审查 先审查后公开", "信息公开前，须经起草人以外的审查人进行保密审查，一事一审，未经审查不得公开。", 350, ""),
    ("七政街道2025年部门预算及“三公”经费预算说明", "finance", "", "", "财政\\预算", "部门预算 三公经费",
     "2025年七政街道办事处一般公共预算支出安排如下，“三公”经费预算较上年下降。", 300, ""),
    ("七政街道2024年部门决算", "finance", "", "", "财政\\决算", "部门决算", "2024年度收入支出决算总表及说明。", 180, ""),
    ("七政街道2025年政府采购意向公开", "procurement", "", "", "财政\\政府采购", "政府采购 采购意向",
     "为便于供应商及时了解政府采购信息，现将七政街道2025年采购意向公开如下。", 260, ""),
    ("2025年第三季度城市管理行政处罚结果公示", "penalty", "", "", "城乡建设\\城市管理", "行政处罚 城市管理",
     "对辖区内违规占道经营、乱堆乱放等行为依法作出的行政处罚决定。", 70, ""),
    ("七政街道最低生活保障对象公示（2025年10月）", "welfare", "", "", "民政\\社会救助", "最低生活保障 低保 公示",
     "根据《黑龙江省最低生活保障办法》，现将2025年10月新增最低生活保障对象公示如下。", 40, "social_assistance"),
    ("七政街道防汛应急预案", "emergency", "", "", "安全生产\\应急管理", "防汛 应急预案",
     "为做好辖区防汛工作，最大限度减少灾害损失，制定本预案。", 200, ""),
    ("七政街道2025年社区网格员招聘公告", "personnel", "", "", "人事\\招聘", "网格员 招聘",
     "因工作需要，七政街道面向社会公开招聘社区网格员10名。", 150, ""),
    ("七政街道2025年社区网格员拟录用人员公示", "personnel", "", "", "人事\\招聘", "网格员 录用 公示",
     "经笔试、面试、体检和考察，拟录用以下人员。", 110, ""),
    ("关于木兰街沿街门市房屋征收补偿方案的公告", "projects", "南岗征字〔2025〕8号", "", "城乡建设\\房屋征收",
     "房屋征收 补偿方案 木兰街", "木兰街沿街门市房屋征收补偿方案已经区政府批准，现予公告。", 90, "housing_expropriation"),
    ("七政街道2025年安全生产监督检查情况", "inspection", "", "", "安全生产\\监督检查", "安全生产 监督检查",
     "2025年街道共组织安全生产检查48次，发现隐患112处，已全部整改。", 30, ""),
    ("七政街道2024年政务公开工作总结", "other", "", "", "综合政务\\政务公开", "政务公开 工作总结",
     "2024年七政街道政务公开工作总结。", 320, ""),
]

NEVER_PUBLIC = [  # title, what happens to it, 公开属性 and its reason (only the second one is meant for 主动公开)
    ("七政街道内部考勤管理办法（征求意见稿）", "draft", "internal", ""),
    ("七政街道2026年重点工作任务分解（待审查）", "submitted", "proactive", ""),
    ("辖区困难群众名单（含身份证号）", "returned", "withheld", "含身份证号码等个人信息，公开会损害第三方合法权益（条例第十五条）"),
    # held by the reviewer as 公开与保密界限不清: waits for the 负责人 (fuze) in 暂缓公开
    ("七政街道辖区重点单位消防设施分布情况", "held", "proactive", ""),
]


def load_catalog_demo(*, bodies: dict[str, Body], users: dict[str, Any], today: dt.date | None = None) -> int:
    """Create the demo items; returns how many were published. ``users``: dengji (drafts), shenhe (reviews)."""
    today = today or timezone.localdate()
    author, reviewer = users["dengji"], users["shenhe"]
    qizheng = bodies["七政"]
    published = 0
    for title, cat, docno, kind, subject, kw, text, days, local in ITEMS:
        written = today - dt.timedelta(days=days)
        lateness = 45 if title.endswith("领导分工") else 6  # one item published late, for the overdue list
        item = s.item_create(body=qizheng, author=author, title=title, category=cat, doc_number=docno,
                             doc_kind=kind, subject=subject, keywords=kw, text=text, summary=text[:60],
                             written_on=written, local_category=local,
                             validity="valid" if kind else "", valid_from=written if kind else None)
        s.item_submit(item=item, actor=author)
        s.item_review(item=item, reviewer=reviewer, approve=True,
                      basis="经审查，不涉及国家秘密、工作秘密、商业秘密和个人隐私，可以主动公开。")
        when = timezone.make_aware(dt.datetime.combine(written + dt.timedelta(days=lateness), dt.time(9, 30)))
        s.item_publish(item=item, actor=author, when=min(when, timezone.now()))
        published += 1
        if "已废止" in text:
            s.item_set_validity(item=item, actor=author, validity="repealed", on=written + dt.timedelta(days=600))
    for title, fate, disclosure, reason in NEVER_PUBLIC:
        item = s.item_create(body=qizheng, author=author, title=title, category="other", text=title,
                             disclosure=disclosure, withheld_reason=reason,
                             internal_note="内部备注：不得公开", written_on=today - dt.timedelta(days=40))
        if fate in ("submitted", "returned", "held"):
            s.item_submit(item=item, actor=author)
        if fate == "held":
            s.item_review(item=item, reviewer=reviewer, approve=False, hold=True,
                          checklist={"check_reviewed": True, "check_declassified": True,
                                     "check_boundary_clear": False},
                          reasons="分布图标注了重点单位消防设施的具体位置，是否属于工作秘密界限不清，请负责人裁定")
        if fate == "returned":
            s.item_review(item=item, reviewer=reviewer, approve=False, reasons="含个人隐私，不予公开")
    s.item_create(body=qizheng, author=author, title="七政街道信访件办理台账", category="other",
                  disclosure="on_request", text="依申请公开类信息", written_on=today - dt.timedelta(days=60))
    for year, lic, pen, coe, fee in ((today.year - 3, 0, 12, 0, "0"), (today.year - 2, 0, 15, 1, "0"),
                                     (today.year - 1, 0, 18, 2, "0")):
        s.figures_set(body=qizheng, year=year, actor=author, licensing=lic, penalty=pen, coercion=coe,
                      fees_wan_yuan=Decimal(fee))
    gexin = bodies.get("革新")
    if gexin is not None and "gexin" in users:
        item = s.item_create(body=gexin, author=users["gexin"], title="革新街道机构职能", category="duties",
                             text="革新街道办事处机构职能。", written_on=today - dt.timedelta(days=100))
        s.item_submit(item=item, actor=users["gexin"])  # 革新 has one person: nobody else can review it
    return published
