"""E-mail notices to the applicant at each step, when they gave an address (Django's e-mail framework: the
backend is a setting — console or file by default, SMTP in production; see ``settings.py``).

A notice is sent after the transaction that changed the case commits (``transaction.on_commit``), so a failed or
slow mail server never undoes or delays the change; a failure is logged and the case stays as it is. The text
names only the applicant's own application: the body, the number, the dates, the query code and what to do —
never a third party, a staff member or another case.
"""
from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse

from ...law.calendar import format_day

log = logging.getLogger(__name__)



STEPS = {
    "registered": "已收到您的申请",
    "correction_notice": "请补正申请内容",
    "correction_received": "已收到您的补正",
    "extended": "答复期限已延长",
    "fee_notice": "信息处理费缴纳通知",
    "closed": "已作出答复",
}


def notify(app: Any, step: str) -> None:
    """Send the notice of ``step`` to the applicant after the current transaction commits (nothing when the
    applicant gave no e-mail address)."""
    if step not in STEPS or not (app.contact_email or "").strip():
        return
    pk = app.pk
    transaction.on_commit(lambda: _send(pk, step))


def _send(pk: int, step: str) -> None:
    from .models import Application

    try:
        app = Application.objects.select_related("body").get(pk=pk)
        address = app.contact_email.strip()
        validate_email(address)
        subject, body = compose(app, step)
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address]).send(fail_silently=False)
    except Exception:
        log.exception("applications: the %s notice of application %s could not be sent", step, pk)


def status_url(app: Any) -> str:
    path = reverse("portal:status") + f"?code={app.query_code}"
    site = getattr(settings, "GONGKAI_SITE_URL", "").rstrip("/")
    return f"{site}{path}" if site else path


def compose(app: Any, step: str) -> tuple[str, str]:
    """The Chinese subject and body of one notice."""
    from .selectors import correction_request, fee_request, plain_decision

    body = app.body
    what = "申请已办结" if step == "closed" and app.reply_type.startswith("other.") else STEPS[step]
    subject = f"【{body.name}】政府信息公开申请{app.number}：{what}"
    who = app.contact_name if app.applicant_type != "natural" and app.contact_name else app.applicant_name
    lines = [f"{who}：", ""]
    received = format_day(app.received_on)
    if step == "registered":
        lines.append(f"{body.name}已于{received}收到您提交的政府信息公开申请，申请编号{app.number}。")
        if app.due_on:
            lines.append(_due_line(app))
    elif step == "correction_notice":
        req = correction_request(app)
        lines.append(f"您于{received}提交的政府信息公开申请（{app.number}）内容需要补正，请补充以下事项：")
        lines.append(req["items"] if req else "")
        if req and req["reply_by"]:
            lines.append(f"请于{format_day(req['reply_by'])}前补正。无正当理由逾期不补正的，视为放弃申请"
                         "（《中华人民共和国政府信息公开条例》第三十条）。")
        lines.append("您可以在办理结果查询页面凭查询码在线提交补正。")
    elif step == "correction_received":
        lines.append(f"已收到您对申请（{app.number}）的补正，答复期限自收到补正之日起重新计算。")
        if app.due_on:
            lines.append(_due_line(app))
    elif step == "extended":
        lines.append(f"因需要延长答复期限，经政府信息公开工作机构负责人同意，您的申请（{app.number}）的"
                     "答复期限已依法延长（《中华人民共和国政府信息公开条例》第三十三条）。")
        if app.due_on:
            lines.append(_due_line(app))
    elif step == "fee_notice":
        fee = fee_request(app)
        if fee:
            lines.append(f"您的申请（{app.number}）需缴纳信息处理费{fee['amount']}元"
                         f"（{fee['method']}，国办函〔2020〕109号）。")
            if fee["pay_by"]:
                lines.append(f"请于{format_day(fee['pay_by'])}前缴纳；逾期未缴纳的，视为放弃申请。")
            lines.append(fee["how"])
    elif step == "closed":
        made = format_day(app.reply_on) if app.reply_on else ""
        if app.reply_type.startswith("other."):
            lines.append(f"您的申请（{app.number}）已办结：{plain_decision(app.reply_type)}")
        else:
            lines.append(f"{body.name}已对您的申请（{app.number}）作出答复{('（' + made + '作出）') if made else ''}"
                         f"：{plain_decision(app.reply_type)}")
        lines.append("答复告知书将按您选择的方式送达，也可在办理结果查询页面查看。")
    lines += ["", f"查询码：{app.query_code}", f"办理进度查询：{status_url(app)}", "",
              body.name + (f"（{body.office_name}）" if body.office_name else ""),
              *([f"联系电话：{body.phone}"] if body.phone else []),
              "", "本邮件由系统自动发送，请勿直接回复。"]
    return subject, "\n".join(lines)


def _due_line(app: Any) -> str:
    mark = f"（预计：{app.due_note}）" if app.due_provisional and app.due_note else ""
    return f"答复期限：{format_day(app.due_on)}{mark}。"
