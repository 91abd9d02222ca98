"""The letter gate: checks every letter before it is issued. Errors block issuing; the 审核人 sees all findings.

L1 the articles cited fit the decision (第三十六条's item, 第十四/十五/十六条 for refusals, 第三十七/三十八/三十九条 …)
L2 救济途径 present, naming the 复议机关 and the court (warning while they are inferred, not confirmed)
L3 dated within its deadline (答复 by the due date, 补正 within 7 working days, 延期 and 收费 within the period),
   not in the future; a late letter needs the delay recorded (then a warning)
L4 the addressee is there, by name (never 您（单位）)
L5 the 文号 is there and well formed
L6 no personal data of a third party in a letter to the applicant (nor the applicant's in a letter to a third party)
L7 plain wording: no statistics labels, no unfilled placeholder, dates without leading zeros
L8 a refusal gives its reasons (warning)
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from ...checks import Finding, Level
from ...law.deadlines import correction_notice_due, rules_for
from ...law.decisions import reply_types
from ..applications.deadlines import replay
from ..applications.models import Application, EventKind
from ..clock.selectors import working_calendar
from .compose import LetterDoc, cn_date
from .kinds import GROUNDS, Kind, a36
from .models import CaseParty, Recipient
from .settings import LetterSettings

NUMBER = re.compile(r"^\S+〔\d{4}〕\d+号$")
LEADING_ZERO = re.compile(r"\d{4}年0\d月|月0\d日|年\d{1,2}月0\d日")
PLACEHOLDER = re.compile(r"\{[^{}\s]{1,20}\}")
CHECKS = {"L1": "引用条款与办理结果相符", "L2": "救济途径写明复议机关和人民法院", "L3": "成文日期在期限内",
          "L4": "主送对象", "L5": "发文字号", "L6": "不含第三方个人信息", "L7": "用语规范", "L8": "不予公开说明理由"}


def _f(cid: str, level: Level, message: str) -> Finding:
    return Finding(id=cid, level=level, message=message)


def _stat_labels() -> set[str]:
    labels = {t.full_label for t in reply_types()} | {t.label for t in reply_types() if len(t.label) > 8}
    return labels | {"只计这一情形", "不计其他情形"}


def _due_without(app: Application, kinds: Iterable[str]) -> dt.date | None:
    """The due date as it was before the events of ``kinds`` (e.g. the date an extension had to be given by)."""
    skip = set(kinds)
    try:
        deadline, _ = replay(app, [e for e in app.events.all() if e.kind not in skip], calendar=working_calendar())
    except Exception:  # noqa: BLE001 - a deadline that cannot be computed is reported, not raised
        return None
    return deadline.due if deadline else None


def _deadline_for(app: Application, kind: Kind) -> tuple[dt.date | None, str]:
    if kind.reply_type:
        return app.due_on, "答复期限"
    if kind.key == "correction":
        if rules_for(app.received_on).correction_notice_days is None:  # the 2008 条例 set no limit on the notice
            return None, ""
        return correction_notice_due(app.received_on, calendar=working_calendar()), "补正告知期限（收到申请后7个工作日）"
    if kind.key == "extension":
        return _due_without(app, [EventKind.EXTENDED]), "延期前的答复期限"
    if kind.key == "fee":
        return _due_without(app, [EventKind.FEE_NOTICE, EventKind.FEE_PAID]), "答复期限（收费通知应在办理期限内发出）"
    if kind.key == "consultation":
        return _due_without(app, [EventKind.PAUSE_STARTED, EventKind.PAUSE_ENDED]), "答复期限"
    return None, ""


def _personal(values: Iterable[str]) -> list[str]:
    return [v.strip() for v in values if v and len(v.strip()) >= 2]


def check_letter(doc: LetterDoc, *, kind: Kind, app: Application, settings: LetterSettings, on: dt.date,
                 facts: dict[str, Any], recipient: str, party: CaseParty | None = None,
                 today: dt.date | None = None) -> list[Finding]:
    text = doc.text
    out: list[Finding] = []
    E, W = Level.ERROR, Level.WARNING
    today = today or dt.date.today()

    # L1 articles
    if kind.reply_type:
        if kind.reply_type != app.reply_type:
            out.append(_f("L1", E, "告知书类型与本件登记的办理结果不一致，请按登记的办理结果出具。"))
        for alternatives in kind.required:
            if not any(a in text for a in alternatives):
                out.append(_f("L1", E, f"未引用与办理结果相符的条款：应写明{'或'.join(alternatives)}。"))
        for a in kind.forbidden:
            if a in text:
                out.append(_f("L1", E, f"引用了与办理结果不符的条款：{a}。"))
        if kind.reply_type == "partial":
            withheld = facts.get("withheld")
            if withheld not in GROUNDS:
                out.append(_f("L1", E, "部分公开须选择不予公开部分的理由（第十四条、第十五条或第十六条）。"))
            else:
                for a in (GROUNDS[withheld][1][0], a36("三")):
                    if a not in text:
                        out.append(_f("L1", E, f"不予公开部分未引用{a}。"))
    # L2 remedies
    if kind.remedy:
        missing = [w for w in ("行政复议", "行政诉讼") if w not in text]
        if missing:
            out.append(_f("L2", E, f"未告知救济途径（{'、'.join(missing)}）。"))
        if not settings.review_authority or settings.review_authority not in text:
            out.append(_f("L2", E, "救济途径未写明行政复议机关。"))
        if not settings.court or settings.court not in text:
            out.append(_f("L2", E, "救济途径未写明人民法院。"))
        names = {"review_authority": "复议机关", "court": "人民法院"}
        which = "、".join(names[k] for k in settings.inferred if k in names)
        if which and not missing:
            out.append(_f("L2", W, f"{which}为系统推定，请机关管理员在文书设置中确认。"))
    # L3 date
    if on > today:
        out.append(_f("L3", E, f"成文日期{cn_date(on)}晚于今天。"))
    if on < app.received_on:
        out.append(_f("L3", E, f"成文日期{cn_date(on)}早于收到申请日期。"))
    due, what = _deadline_for(app, kind)
    late = (facts.get("late_reason") or "").strip()
    if due is not None and on > due:
        if late:
            out.append(_f("L3", W, f"成文日期{cn_date(on)}超过{what}{cn_date(due)}，已记录逾期原因：{late}"))
        else:
            out.append(_f("L3", E, f"成文日期{cn_date(on)}超过{what}{cn_date(due)}；如确已逾期，请填写逾期原因。"))
    elif due is None and kind.reply_type and not app.reply_type.startswith("other."):
        out.append(_f("L3", W, "答复期限无法计算，未能核对成文日期。"))
    if kind.reply_type and app.due_provisional and due is not None and on <= due:
        out.append(_f("L3", Level.INFO, "答复期限为预计（当年放假安排尚未录入）。"))
    # L4 addressee
    expected = party.name if recipient == Recipient.THIRD_PARTY and party else app.applicant_name
    if not doc.addressee:
        out.append(_f("L4", E, "缺少主送对象（正文第一行应为“收件人：”）。"))
    elif expected.strip() not in doc.addressee:
        out.append(_f("L4", E, f"主送对象应为“{expected}”。"))
    if "您（单位）" in text or "您(单位)" in text:
        out.append(_f("L4", E, "称谓应使用申请人姓名或名称，不得使用“您（单位）”。"))
    # L5 number
    if not doc.number or not NUMBER.match(doc.number):
        out.append(_f("L5", E, "缺少发文字号或格式不对（应如：七政公开〔2026〕3号）。"))
    # L6 personal data
    body_text = "\n".join([doc.addressee, *doc.paragraphs])
    if recipient == Recipient.APPLICANT:
        data: list[str] = []
        for p in app.parties.all():
            data += _personal([p.name, p.id_number, p.phone, p.address])
        for e in app.events.all():
            if e.kind == EventKind.PAUSE_STARTED:
                data += _personal([str(e.data.get("party") or "")])
        known = (app.applicant_name, app.body.name)  # and what the applicant wrote themselves
        leaked = sorted({d for d in data if d in body_text and d not in known and d not in app.description})
        if leaked:
            out.append(_f("L6", E, f"正文含有第三方的个人信息：{'、'.join(leaked)}。"))
    else:
        mine = [app.id_number, app.contact_phone, app.contact_email, app.contact_address]
        if app.applicant_type == "natural":
            mine.append(app.applicant_name)
        leaked = sorted({d for d in _personal(mine) if d in body_text})
        if leaked:
            out.append(_f("L6", E, f"征询函含有申请人的个人信息：{'、'.join(leaked)}。"))
    # L7 wording
    labels = [s for s in _stat_labels() if s in text]
    if labels:
        out.append(_f("L7", E, f"正文使用了统计表的分类名称：{'、'.join(sorted(labels))}，请用平实的文字说明办理结果。"))
    holes = sorted(set(PLACEHOLDER.findall(text)))
    if holes:
        out.append(_f("L7", E, f"有未填写的占位符：{'、'.join(holes)}。"))
    if LEADING_ZERO.search(text):
        out.append(_f("L7", E, "日期不应有前置的0（应如：2026年12月5日）。"))
    # L8 reasons
    if kind.review_first and not app.reply_summary.strip():
        out.append(_f("L8", W, "不予公开应当说明理由：答复内容未填写具体理由。"))
    order = {Level.ERROR: 0, Level.WARNING: 1, Level.INFO: 2}
    return sorted(out, key=lambda f: (order[f.level], f.id))


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.level is Level.ERROR]
