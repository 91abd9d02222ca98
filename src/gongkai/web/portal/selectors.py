"""Reads for the public site."""
from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ..bodies.models import Body
from ..core.errors import NotFound

# Events of a case the applicant may see on the status page (dates and labels only, never notes or data).
PUBLIC_EVENTS = {
    "received": "收到申请", "correction_notice": "发出补正告知", "correction_received": "收到补正材料",
    "pause_started": "征求第三方或其他机关意见（暂停计时）", "pause_ended": "恢复计时",
    "extended": "延长答复期限", "fee_notice": "发出收费通知", "fee_paid": "缴纳信息处理费", "closed": "发出答复",
    "pause_recorded": "记录不可抗力等无法办理的期间（不计入期限）", "reply_delivered": "答复送达",
}


def bodies_public() -> QuerySet[Body]:
    return Body.objects.all().order_by("path")


def body_public(pk: int) -> Body:
    body = Body.objects.filter(pk=pk).first()
    if body is None:
        raise NotFound("未找到该机关")
    return body


def public_status(*, query_code: str) -> dict[str, Any] | None:
    """The public view of an application: status and timeline. No applicant data, no internal notes."""
    from ..applications.selectors import application_by_code, public_status_of

    app = application_by_code(query_code)
    if app is None:
        return None
    events = []
    for e in app.events.order_by("on", "id").values("kind", "on"):
        label = PUBLIC_EVENTS.get(e["kind"])
        if label:
            events.append({"on": e["on"], "label": label})
    return {**public_status_of(app), "timeline": events, "letters": public_letters(app)}


def public_letters(app: Any) -> list[dict[str, Any]]:
    """The letters the applicant may download by query code, as ``{"title", "url", "on"}``: the extension point
    where the letters app (登记回执, 补正告知书, 答复告知书 …) lists the issued letters of the case. Only issued
    letters addressed to the applicant belong here."""
    from django.urls import reverse

    from ..letters.selectors import letters_for_application

    out = []
    for x in letters_for_application(app, public=True):
        for fmt, word in (("pdf", "PDF"), ("docx", "Word")):
            out.append({"title": f"{x.title}（{x.number}，{word}）", "on": x.issued_on,
                        "url": reverse("letters:public-download", args=[app.query_code, x.pk, fmt])})
    return out


GUIDE_TITLE = "政府信息公开指南"


def guide_versions(*, body: Body) -> QuerySet[Any]:
    """The published versions of the body's 指南 (each a catalog item with its 索引号), newest first."""
    from ..catalog.selectors import items_public

    return items_public(body=body).filter(title__endswith=GUIDE_TITLE).order_by("-published_at")


def no_function_categories(*, body: Body) -> dict[str, str]:
    """The categories ``body`` has declared it has no function for: {code: basis}."""
    from .models import NoFunction

    return dict(NoFunction.objects.filter(body=body).values_list("category", "basis"))
