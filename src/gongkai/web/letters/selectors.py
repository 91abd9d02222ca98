"""Reads on letters."""
from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ..applications.models import Application
from ..applications.selectors import application_by_code, applications_visible_to
from ..bodies.models import Body
from ..core.errors import NotFound
from .kinds import KINDS, kind_label
from .models import Letter, LetterTemplate, Recipient

LIST_FIELDS = ("id", "application_id", "body_id", "key", "title", "number", "issued_on", "recipient", "addressee",
               "template_id", "findings", "created_at")


def letters_for_application(app: Application, *, public: bool = False) -> QuerySet[Letter]:
    """The letters issued on ``app`` (files not loaded). ``public``: only those addressed to the applicant, for the
    applicant's status page — never a 第三方意见征询函."""
    qs = Letter.objects.filter(application=app).select_related("template").only(*LIST_FIELDS, "template__version")
    return qs.filter(recipient=Recipient.APPLICANT) if public else qs


def letter_get(*, user: Any, pk: int) -> Letter:
    letter = Letter.objects.filter(pk=pk, application__in=applications_visible_to(user=user)).first()
    if letter is None:
        raise NotFound("未找到该文书")
    return letter


def letter_public(*, query_code: str, pk: int) -> Letter:
    """A letter addressed to the applicant of the application with this query code (the status page's download)."""
    app = application_by_code(query_code)
    letter = (Letter.objects.filter(pk=pk, recipient=Recipient.APPLICANT, application=app)
              .select_related("application").first() if app is not None else None)
    if letter is None:
        raise NotFound("未找到该文书")
    return letter


def template_rows(*, body: Body) -> list[dict[str, Any]]:
    latest: dict[str, LetterTemplate] = {}
    for t in LetterTemplate.objects.filter(body=body).order_by("key", "-version"):
        latest.setdefault(t.key, t)
    return [{"key": k, "label": kind_label(k), "reply_type": kind.reply_type, "saved": latest.get(k)}
            for k, kind in KINDS.items()]


def template_versions(*, body: Body, key: str) -> QuerySet[LetterTemplate]:
    return LetterTemplate.objects.filter(body=body, key=key).select_related("created_by").order_by("-version")
