"""Demo data: a body hierarchy, users per role, a year of applications handled through the services, a few
review and litigation cases, and the 七政街道 2023 report as history. Deterministic for a given ``seed``."""
from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from ...law.calendar import WorkingCalendar
from ..bodies.models import Body, Role
from ..bodies.services import body_create, membership_grant, user_create

DEMO_PASSWORD = "gongkai-demo"
QIZHENG = "南岗区七政街道办事处"

# username, full name, [(body short name, role)], superuser
USERS: list[tuple[str, str, list[tuple[str, str]], bool]] = [
    ("admin", "系统管理员", [], True),
    ("dengji", "王登记", [("七政", Role.CLERK)], False),
    ("chengban", "李承办", [("七政", Role.HANDLER)], False),
    ("shenhe", "赵审核", [("七政", Role.REVIEWER), ("七政", Role.HANDLER), ("七政", Role.CLERK)], False),
    ("fuze", "刘负责", [("七政", Role.HEAD)], False),
    ("guanli", "陈管理", [("七政", Role.ADMIN)], False),
    ("ducha", "孙督查", [("南岗区", Role.SUPERVISOR)], False),
    ("gexin", "周革新", [("革新", Role.CLERK), ("革新", Role.HANDLER), ("革新", Role.REVIEWER)], False),
]

NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强", "周杰", "吴霞", "徐亮", "孙丽", "马超", "朱琳",
         "胡军", "郭蕾", "何平", "高峰", "林晓", "罗鹏"]
ORGS = {"commercial": ["哈尔滨某某物业管理有限公司", "黑龙江某某建筑工程有限公司", "哈尔滨某某商贸有限公司"],
        "research": ["某某大学公共管理学院"], "social_welfare": ["南岗区某某志愿者协会"],
        "legal_service": ["黑龙江某某律师事务所", "哈尔滨某某律师事务所"], "other_org": ["某某小区业主委员会"]}
TOPICS = ["七政街道办事处{y}年部门预算及“三公”经费", "辖区老旧小区改造项目的批复文件和施工合同", "木兰街沿街门市房屋征收补偿方案",
          "本人户籍所在社区{y}年最低生活保障审批结果", "七政街道{y}年度政府采购项目目录及实施情况", "辖区违法建设拆除决定书",
          "街道办事处内设机构及职能设置文件", "本小区供热管网改造的资金来源和审批文件", "{y}年度城市管理行政处罚案件统计",
          "辖区某地块土地征收的批准文件", "社区网格员招聘公告及录用结果", "街道应急预案及防汛物资储备情况"]
REPLIES = [("granted", 40), ("partial", 10), ("unable.not_held", 18), ("unable.needs_creation", 4), ("denied.third_party", 3),
           ("denied.process_info", 3), ("denied.internal_affairs", 1), ("not_processed.petition", 4),
           ("not_processed.duplicate", 3), ("not_processed.confirm_reissue", 1), ("other.other", 3)]
TYPES = [("natural", 72), ("commercial", 9), ("legal_service", 8), ("research", 3), ("social_welfare", 3),
         ("other_org", 5)]
CHANNELS = [("in_person", 35), ("registered_mail", 15), ("ordinary_mail", 5), ("online", 35), ("email", 5), ("oral", 5)]


def _pick(rng: random.Random, table: list[tuple[str, int]]) -> str:
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


# The 统一社会信用代码 of the demo bodies are made up (shaped like real ones: 11 = 机关, 230103 = 南岗区), and so is
# the local rule for the 街道 report deadline: both are what an administrator sets on the body page.
DEMO_TOWNSHIP_DEADLINE = ("01-31", "演示数据：南岗区政务公开工作安排（示例，非真实文件，请按本地实际规定修改）")


def _bodies(actor: Any) -> dict[str, Body]:
    city = body_create(name="哈尔滨市人民政府", short_name="哈政", kind="government", level="prefecture", actor=actor,
                       code="11230100MB0000001A")
    district = body_create(name="哈尔滨市南岗区人民政府", short_name="南岗区", kind="government", level="county",
                           parent=city, actor=actor, code="11230103MB0000002B",
                           township_report_deadline=DEMO_TOWNSHIP_DEADLINE[0],
                           township_report_deadline_basis=DEMO_TOWNSHIP_DEADLINE[1])
    qizheng = body_create(name=QIZHENG, short_name="七政", kind="government", level="township", parent=district,
                          actor=actor, office_name="综合办", address="南岗区木兰街149-2号", postcode="150080",
                          phone="0451-86319233", office_hours="工作日 8:30—11:30，13:30—17:00",
                          code="11230103MB0000003C")
    gexin = body_create(name="南岗区革新街道办事处", short_name="革新", kind="government", level="township",
                        parent=district, actor=actor, code="11230103MB0000004D")
    return {"哈政": city, "南岗区": district, "七政": qizheng, "革新": gexin}


@transaction.atomic
def load_demo(*, today: dt.date | None = None, count: int = 150, seed: int = 2023) -> dict[str, Any]:
    """Create the demo; returns what to print. Does nothing (and says so) when the demo bodies exist."""
    from django.apps import apps

    from ..clock.selectors import working_calendar

    if Body.objects.filter(name=QIZHENG).exists():
        return {"created": False, "users": USERS, "password": DEMO_PASSWORD}
    today = today or timezone.localdate()
    bodies = _bodies(None)
    users: dict[str, Any] = {}
    for username, full_name, roles, su in USERS:
        users[username] = user_create(username=username, password=DEMO_PASSWORD, full_name=full_name,
                                      is_superuser=su)
        for short, role in roles:
            membership_grant(user=users[username], body=bodies[short], role=role)
    rng = random.Random(seed)
    cal = working_calendar()
    made = [_one(rng, cal, today, bodies["七政"], users, i) for i in range(count)]
    made += _due_soon(cal, today, bodies["七政"], users)
    made += [_one(rng, cal, today, bodies["革新"], {**users, "dengji": users["gexin"], "shenhe": users["gexin"],
                                                    "chengban": users["gexin"], "fuze": users["admin"]}, i)
             for i in range(max(3, count // 10))]
    _appeals(rng, [a for a in made if a.body_id == bodies["七政"].pk and a.closed_on], users, today)
    if apps.is_installed("gongkai.web.catalog"):  # the catalog app's own demo (proactive disclosure)
        from ..catalog.demo import load_catalog_demo

        load_catalog_demo(bodies=bodies, users=users, today=today)
    if apps.is_installed("gongkai.web.channels"):  # the channel log: 七政's 2023 section 一 figures
        from ..channels.demo import load_channels_demo

        load_channels_demo(bodies=bodies, users=users)
    if apps.is_installed("gongkai.web.letters"):  # letters on a few recent cases (登记回执, 答复告知书)
        from ..letters.demo import load_letters_demo

        load_letters_demo(bodies=bodies, users=users, made=made)
    history = _history(bodies["七政"])
    waiting = _report_awaiting_sign(bodies["七政"], users, today)
    return {"created": True, "users": USERS, "password": DEMO_PASSWORD, "applications": len(made),
            "history": history + waiting}


def _wd(cal: WorkingCalendar, start: dt.date, n: int, today: dt.date) -> dt.date:
    try:
        return min(cal.add_working_days(start, n), today)
    except Exception:  # noqa: BLE001 - beyond the calendar: stay at today
        return today


def _org_fields(rng: random.Random) -> dict[str, str]:
    """A 法人's 统一社会信用代码 (a valid GB 32100 check character), 法定代表人 and 联系人, from their own random
    source (the demo's main sequence, which other tests rely on, is left as it was)."""
    from ..applications.validators import USCC_CHARS, uscc_check_char

    first = "91230103" + "".join(rng.choice(USCC_CHARS) for _ in range(9))
    return {"credit_code": first + uscc_check_char(first), "legal_representative": rng.choice(NAMES),
            "contact_name": rng.choice(NAMES)}


def _one(rng: random.Random, cal: WorkingCalendar, today: dt.date, body: Body, users: dict[str, Any], i: int) -> Any:
    from ..applications import services as s

    received = today - dt.timedelta(days=rng.randint(0, 364))
    while received.weekday() >= 5:
        received -= dt.timedelta(days=1)
    channel = _pick(rng, CHANNELS)
    kind = _pick(rng, TYPES)
    name = rng.choice(NAMES) if kind == "natural" else rng.choice(ORGS[kind])
    if rng.random() < 0.06 and i > 0:
        name = NAMES[0]  # a frequent applicant, for the duplicate and excessive hints
    extra: dict[str, Any] = {}
    if channel == "registered_mail":
        extra["signed_for_on"] = received
    elif channel == "ordinary_mail":
        extra["confirmed_on"] = received
    app = s.application_register(
        body=body, channel=channel, submitted_on=received, applicant_type=kind, applicant_name=name,
        description=rng.choice(TOPICS).format(y=received.year - rng.randint(0, 1)), actor=users["dengji"],
        id_type="居民身份证", id_number=f"2301031980{rng.randint(10000000, 99999999)}" if kind == "natural" else "",
        contact_phone=f"13{rng.randint(100000000, 999999999)}", contact_address="哈尔滨市南岗区", **extra,
        **({} if kind == "natural" else _org_fields(random.Random(f"{body.pk}-{i}"))))
    age = (today - received).days
    handler = users["shenhe"] if rng.random() < 0.7 else users["chengban"]
    app = s.application_assign(application=app, actor=handler, handler=handler)
    if rng.random() < 0.12:
        notice = _wd(cal, received, rng.randint(1, 6), today)
        reply_by = _wd(cal, notice, 10, today + dt.timedelta(days=30))
        app = s.correction_notice(application=app, actor=handler, on=notice, items="请补充所需信息的名称或文号",
                                  reply_by=reply_by)
        if age < 20:
            return app
        if rng.random() < 0.35:
            if reply_by < today:
                return s.application_lapse(application=app, actor=handler, on=_wd(cal, reply_by, 1, today),
                                           reason="no_correction")
            return app
        received = _wd(cal, notice, rng.randint(2, 8), today)
        app = s.correction_received(application=app, actor=handler, on=received)
    if age < 25 or rng.random() < 0.015:
        return app  # still open (a few of them overdue)
    if rng.random() < 0.06:
        app = s.extension_grant(application=app, actor=users["fuze"], on=_wd(cal, received, 15, today), days=15,
                                reason="涉及信息量大，需调取历年档案")
    if rng.random() < 0.04:
        s.fee_notice(application=app, actor=handler, on=_wd(cal, received, 5, today), method="pages",
                     quantity=rng.randint(120, 260))
        app = s.fee_paid(application=app, actor=handler, on=_wd(cal, received, 9, today),
                         receipt_no=f"黑财票{rng.randint(100000, 999999)}").application
    reply = _pick(rng, REPLIES)
    last = max(e.on for e in app.events.all() if e.kind != "assigned")  # assignment is dated today
    on = max(_wd(cal, received, rng.randint(3, 18), today), last)
    app = s.decision_record(application=app, actor=handler, on=on, reply_type=reply,
                            summary="经查，现将相关情况答复如下。")
    if app.status == "review":
        app = s.decision_approve(application=app, actor=users["shenhe"])
    return app


def _due_soon(cal: WorkingCalendar, today: dt.date, body: Body, users: dict[str, Any]) -> list[Any]:
    """Three open applications that fall due within the next few working days (for the due-soon list)."""
    from ..applications import services as s

    out = []
    for i, back in enumerate((16, 17, 19)):
        received = today
        try:
            for _ in range(back):
                received = _previous_working_day(cal, received)
        except Exception:  # noqa: BLE001 - outside the calendar: skip
            break
        app = s.application_register(body=body, channel="in_person", submitted_on=received, applicant_type="natural",
                                     applicant_name=NAMES[-1 - i], description=TOPICS[i].format(y=received.year),
                                     actor=users["dengji"], contact_phone="13900000000")
        out.append(s.application_assign(application=app, actor=users["shenhe"], handler=users["chengban"]))
    return out


def _previous_working_day(cal: WorkingCalendar, d: dt.date) -> dt.date:
    d -= dt.timedelta(days=1)
    while not cal.is_working_day(d):
        d -= dt.timedelta(days=1)
    return d


def _appeals(rng: random.Random, closed: list[Any], users: dict[str, Any], today: dt.date) -> None:
    from ..appeals.services import appeal_create, appeal_decide

    candidates = [a for a in closed if a.reply_type not in ("granted",) and (today - a.closed_on).days > 10]
    for i, app in enumerate(candidates[:3]):
        filed = min(app.closed_on + dt.timedelta(days=7), today)
        kind = "litigation_direct" if i == 2 else "review"
        ap = appeal_create(application=app, kind=kind, filed_on=filed, actor=users["shenhe"],
                           authority="哈尔滨市南岗区人民法院" if kind != "review" else "哈尔滨市南岗区人民政府",
                           case_number=f"（{filed.year}）{'黑0103行初' if kind != 'review' else '南政复'}{10 + i}号")
        if i == 0 and (today - filed).days > 40:
            appeal_decide(appeal=ap, result="upheld", decided_on=filed + dt.timedelta(days=35), actor=users["shenhe"])


def _report_awaiting_sign(body: Body, users: dict[str, Any], today: dt.date) -> str:
    """Last year's report of 七政, written and submitted by 王登记 (dengji), approved by 赵审核 (shenhe): it waits
    for 刘负责 (fuze, 负责人) to sign it off (签发); then shenhe publishes it. The texts only the office knows are
    filled with sentences that say they are demo data."""
    from django.apps import apps

    if not apps.is_installed("gongkai.web.reports"):
        return ""
    from ...compose import placeholders
    from ..reports import services as rs
    from ..reports.selectors import finding_key, findings_of

    rep = rs.report_start(body=body, year=today.year - 1, actor=users["dengji"])
    texts = {}
    for sec in rep.report.sections:
        if sec.number in (1, 5, 6):
            text = sec.text
            for p in placeholders(text):
                text = text.replace(f"【待填写：{p}】", "（演示数据：此处由工作人员据实填写。）")
            texts[sec.number] = text
    rep = rs.report_save_texts(report=rep, actor=users["dengji"], texts=texts)
    rep = rs.report_acknowledge(report=rep, actor=users["dengji"],
                                keys=[finding_key(f) for f in findings_of(rep) if f.level == "warning"])
    rep = rs.report_submit(report=rep, actor=users["dengji"])
    rs.report_approve(report=rep, actor=users["shenhe"], note="演示：审核通过")
    return f"；{today.year - 1}年度报告已审核，等待负责人 fuze 签发"


def _history(body: Body) -> str:
    from django.apps import apps

    if not apps.is_installed("gongkai.web.reports"):
        return "（年报模块未安装，未导入2023年报告）"
    from ...examples import load
    from ..reports.services import report_import_published

    report_import_published(body=body, report=load("qizheng-2023"))
    return "已导入七政街道2023年政府信息公开工作年度报告"
