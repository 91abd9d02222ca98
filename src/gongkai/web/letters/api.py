"""``/api/letters/``: the letters of a case, a draft with the gate's findings, issuing, the files."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from ..applications.selectors import application_get
from . import services
from .selectors import letter_get, letters_for_application
from .views import _file

router = Router(tags=["文书"])


class IssueIn(Schema):
    on: dt.date | None = None
    withheld: str = ""
    responsible_body: str = ""
    late_reason: str = ""
    party_name: str = ""
    party_organisation: bool = False
    party_id_number: str = ""
    party_phone: str = ""
    party_address: str = ""


def _out(x: Any) -> dict[str, Any]:
    return {"id": x.pk, "key": x.key, "title": x.title, "number": x.number, "issued_on": x.issued_on.isoformat(),
            "recipient": x.recipient, "addressee": x.addressee, "template_version": x.template.version,
            "findings": x.findings, "docx": f"/api/letters/{x.pk}.docx", "pdf": f"/api/letters/{x.pk}.pdf"}


@router.get("/applications/{app_id}", response=dict, summary="本件的文书：已出具的和可以出具的")
def case_letters(request: HttpRequest, app_id: int) -> Any:
    app = application_get(user=request.user, pk=app_id)
    return {"issued": [_out(x) for x in letters_for_application(app)],
            "available": [{"key": k, "on": d.isoformat() if d else None, "blocked_by": why}
                          for k, d, why in services.available(app)]}


@router.post("/applications/{app_id}/{key}/draft", response=dict, summary="预览文书及审查结果（不出具）")
def draft(request: HttpRequest, app_id: int, key: str, payload: IssueIn) -> Any:
    app = application_get(user=request.user, pk=app_id)
    d = services.draft(application=app, key=key, on=payload.on, facts=payload.dict(exclude={"on"}))
    return {"text": d.doc.text, "findings": [f.model_dump(mode="json") for f in d.findings], "blocked": d.blocked,
            "template_version": d.template.version}


@router.post("/applications/{app_id}/{key}", response=dict, summary="出具文书（审查有错误时拒绝）")
def issue(request: HttpRequest, app_id: int, key: str, payload: IssueIn) -> Any:
    app = application_get(user=request.user, pk=app_id)
    letter = services.letter_issue(application=app, actor=request.user, key=key, on=payload.on,
                                   facts=payload.dict(exclude={"on"}))
    return _out(letter)


@router.get("/{letter_id}.{fmt}", summary="下载文书（docx 或 pdf）")
def download(request: HttpRequest, letter_id: int, fmt: str) -> HttpResponse:
    return _file(letter_get(user=request.user, pk=letter_id), fmt)
