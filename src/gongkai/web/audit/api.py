
import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from .selectors import audit_visible_to

router = Router(tags=["审计日志"])


class AuditOut(Schema):
    id: int
    at: dt.datetime
    actor_name: str
    body_id: int | None
    subject_type: str
    subject_id: str
    action: str
    before: Any = None
    after: Any = None
    note: str


@router.get("/", response=list[AuditOut], summary="审计日志（可见机关）")
def list_audit(request: HttpRequest, subject_type: str | None = None, subject_id: str | None = None,
               limit: int = 100) -> Any:
    qs = audit_visible_to(user=request.user).order_by("-at", "-pk")
    if subject_type:
        qs = qs.filter(subject_type=subject_type)
    if subject_id:
        qs = qs.filter(subject_id=subject_id)
    return list(qs[: max(1, min(limit, 1000))])
