from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from ..applications.models import Application
from ..audit.services import audit_record, snapshot
from ..bodies.permissions import require
from ..core.errors import Conflict, Invalid
from .models import Appeal, AppealKind, AppealResult


@transaction.atomic
def appeal_create(*, application: Application, kind: str, authority: str, filed_on: dt.date, actor: Any,
                  case_number: str = "", review: Appeal | None = None, note: str = "") -> Appeal:
    require(user=actor, action="appeal", body=application.body)
    errors: dict[str, list[str]] = {}
    if kind not in AppealKind.values:
        errors["kind"] = ["请选择类型"]
    if not authority.strip():
        errors["authority"] = ["请填写复议机关或法院"]
    if filed_on < application.received_on:
        errors["filed_on"] = ["不能早于收到申请日期"]
    if filed_on > timezone.localdate():
        errors["filed_on"] = ["不能晚于今天"]
    if kind == "litigation_after_review":
        if review is None or review.application_id != application.pk or review.kind != "review":
            errors["review"] = ["复议后起诉须关联本申请的行政复议案件"]
    elif review is not None:
        errors["review"] = ["只有复议后起诉才关联复议案件"]
    if errors:
        raise Invalid("复议诉讼信息有误：" + "、".join(errors), details=errors)
    appeal = Appeal.objects.create(application=application, kind=kind, authority=authority.strip(),
                                   case_number=case_number.strip(), filed_on=filed_on, review=review, note=note,
                                   created_by=actor if getattr(actor, "is_authenticated", False) else None)
    audit_record(actor=actor, action="appeal.create", subject=appeal, body=application.body, after=snapshot(appeal))
    return appeal


@transaction.atomic
def appeal_decide(*, appeal: Appeal, result: str, decided_on: dt.date | None, actor: Any) -> Appeal:
    appeal = Appeal.objects.select_for_update().select_related("application__body").get(pk=appeal.pk)
    require(user=actor, action="appeal", body=appeal.application.body)
    if result not in AppealResult.values:
        raise Invalid("无效的结果", details={"result": ["无效"]})
    if result == "pending":
        decided_on = None
    elif decided_on is None:
        raise Invalid("请填写审结日期", details={"decided_on": ["请填写审结日期"]})
    elif decided_on < appeal.filed_on:
        raise Invalid("审结日期不能早于立案日期", details={"decided_on": ["不能早于立案日期"]})
    if appeal.result != "pending" and result == appeal.result and decided_on == appeal.decided_on:
        raise Conflict("结果未变化")
    before = snapshot(appeal, ["result", "decided_on"])
    appeal.result, appeal.decided_on = result, decided_on
    appeal.save(update_fields=["result", "decided_on"])
    audit_record(actor=actor, action="appeal.decide", subject=appeal, body=appeal.application.body, before=before,
                 after=snapshot(appeal, ["result", "decided_on"]))
    return appeal
