"""Writes on letters: issue a letter (compose, gate, render, store), save a template version, the body's settings.
Keyword-only, atomic, audited."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from ...checks import Finding
from ..applications.models import Application, EventKind, Status
from ..audit.services import audit_record, snapshot
from ..bodies.models import Body
from ..bodies.permissions import require
from ..core.db import atomic_retry, bump
from ..core.errors import Conflict, Invalid, NotFound
from .compose import LetterDoc, compose
from .gate import blocking, check_letter
from .kinds import GROUNDS, KINDS, Kind
from .models import CaseParty, Letter, LetterCounter, LetterTemplate, Recipient
from .render import render_docx, render_pdf
from .settings import letter_settings

FACT_KEYS = ("withheld", "responsible_body", "late_reason", "party_name", "party_organisation", "party_id_number",
             "party_phone", "party_address")


def _today() -> dt.date:
    return timezone.localdate()


def _kind(key: str) -> Kind:
    kind = KINDS.get(key)
    if kind is None:
        raise NotFound("未知的文书类型")
    return kind


def _last(app: Application, kind: str, **data: Any) -> Any:
    """The latest event of ``kind`` (filtered further by ``data``, e.g. ``data__reason="third_party"``)."""
    return app.events.filter(kind=kind, **data).order_by("-on", "-id").first()


def _number(prefix: str, year: int, seq: int) -> str:
    """The 发文字号: 某某公开〔2026〕3号."""
    return f"{prefix}〔{year}〕{seq}号"


def available(app: Application) -> list[tuple[str, dt.date | None, str]]:
    """The letters the case can have now: (kind key, its default date, why not yet issuable or "")."""
    out: list[tuple[str, dt.date | None, str]] = [("receipt", app.received_on, "")]
    notice = _last(app, EventKind.CORRECTION_NOTICE)
    if notice:
        out.append(("correction", notice.on, ""))
    pause = _last(app, EventKind.PAUSE_STARTED, data__reason="third_party")
    if pause:
        out.append(("consultation", pause.on, ""))
    ext = _last(app, EventKind.EXTENDED)
    if ext:
        out.append(("extension", ext.on, ""))
    fee = getattr(app, "fee", None)  # a missing one-to-one raises a subclass of AttributeError
    if fee is not None:
        out.append(("fee", fee.noticed_on, ""))
    if app.reply_type:
        wait = "" if app.status == Status.CLOSED else "答复审核通过后方可出具"
        out.append((f"reply.{app.reply_type}", app.reply_on or app.closed_on, wait))
    return out


def issuing_action(key: str) -> str:
    """The permission that issues ``key``: the 登记员 issues the 登记回执, the handlers everything else."""
    return "register" if key == "receipt" else "handle"


def current_template(body: Body, key: str) -> LetterTemplate:
    """The latest version, or an unsaved version 1 holding the default text."""
    tpl = LetterTemplate.objects.filter(body=body, key=key).order_by("-version").first()
    if tpl is not None:
        return tpl
    kind = _kind(key)
    return LetterTemplate(body=body, key=key, version=1, title=kind.title, text=kind.text, note="默认模板")


@dataclass
class Draft:
    kind: Kind
    doc: LetterDoc
    findings: list[Finding]
    template: LetterTemplate
    recipient: str
    party: CaseParty | None
    on: dt.date

    @property
    def blocked(self) -> bool:
        return bool(blocking(self.findings))


def _clean_facts(facts: dict[str, Any] | None) -> dict[str, Any]:
    out = {k: (v.strip() if isinstance(v, str) else v) for k, v in (facts or {}).items() if k in FACT_KEYS}
    if out.get("withheld") and out["withheld"] not in GROUNDS:
        raise Invalid("无效的不予公开理由", details={"withheld": ["无效的不予公开理由"]})
    return {k: v for k, v in out.items() if v not in (None, "")}


def consulted_party(app: Application) -> CaseParty | None:
    """The third party of the latest consultation: as recorded on the case, or (unsaved) by the name the pause
    gave."""
    return _party_for(app, {})


def _party_for(app: Application, facts: dict[str, Any]) -> CaseParty | None:
    name = facts.get("party_name") or ""
    if not name:
        pause = _last(app, EventKind.PAUSE_STARTED, data__reason="third_party")
        name = str(pause.data.get("party") or "") if pause else ""
    if not name:
        return None
    found = app.parties.filter(name=name).first()
    return found or CaseParty(application=app, name=name, id_number=facts.get("party_id_number", ""),
                              phone=facts.get("party_phone", ""), address=facts.get("party_address", ""),
                              is_organisation=bool(facts.get("party_organisation")))


def draft(*, application: Application, key: str, on: dt.date | None = None, facts: dict[str, Any] | None = None,
          number: str | None = None) -> Draft:
    """The letter as it would be issued now, with the gate's findings (no writes)."""
    app = application
    kind = _kind(key)
    offered = {k: (d, why) for k, d, why in available(app)}
    if key not in offered:
        raise Conflict("本件当前不能出具该文书")
    facts = _clean_facts(facts)
    on = on or offered[key][0] or _today()
    settings = letter_settings(app.body)
    party = _party_for(app, facts) if kind.recipient == Recipient.THIRD_PARTY else None
    if party is not None:
        facts["party_organisation"] = party.is_organisation or bool(facts.get("party_organisation"))
    if kind.recipient == Recipient.THIRD_PARTY and party is None:
        raise Invalid("请填写第三方的姓名或名称", details={"party_name": ["请填写第三方的姓名或名称"]})
    if number is None:
        last = LetterCounter.objects.filter(body=app.body, year=on.year).values_list("last", flat=True).first() or 0
        number = _number(settings.prefix, on.year, last + 1)
    tpl = current_template(app.body, key)
    doc = compose(app, kind, title=tpl.title, text=tpl.text, number=number, on=on, settings=settings, facts=facts,
                  party=party)
    findings = check_letter(doc, kind=kind, app=app, settings=settings, on=on, facts=facts, recipient=kind.recipient,
                            party=party, today=_today())
    return Draft(kind, doc, findings, tpl, kind.recipient, party, on)


@atomic_retry(unique=True)
def letter_issue(*, application: Application, actor: Any, key: str, on: dt.date | None = None,
                 facts: dict[str, Any] | None = None) -> Letter:
    """Issue a letter: numbered, checked by the gate (errors block), rendered as DOCX and PDF, stored, audited."""
    app = Application.objects.select_related("body").get(pk=application.pk)
    require(user=actor, action=issuing_action(key), body=app.body)
    why = next((w for k, _, w in available(app) if k == key), None)
    if why:
        raise Conflict(why)
    probe = draft(application=app, key=key, on=on, facts=facts)
    if probe.blocked:
        raise Invalid("文书未通过审查：" + "；".join(f"{f.id} {f.message}" for f in blocking(probe.findings)),
                      details={"findings": [f.model_dump(mode="json") for f in probe.findings]})
    on = probe.on
    settings = letter_settings(app.body)
    seq = bump(LetterCounter, {"body": app.body, "year": on.year})
    number = _number(settings.prefix, on.year, seq)
    final = draft(application=app, key=key, on=on, facts=facts, number=number)
    if final.blocked:  # the number is part of the text: check again
        raise Invalid("文书未通过审查：" + "；".join(f"{f.id} {f.message}" for f in blocking(final.findings)))
    tpl = final.template
    if tpl.pk is None:
        tpl.save()
    party = final.party
    if party is not None and party.pk is None:
        party.save()
        audit_record(actor=actor, action="case_party.add", subject=party, body=app.body, after=snapshot(party))
    facts_stored = dict(final.doc.facts) | ({"party": party.pk} if party else {})
    letter = Letter.objects.create(
        application=app, body=app.body, key=key, title=final.doc.title_lines[-1], number=number, year=on.year, seq=seq,
        issued_on=on, recipient=final.recipient, addressee=final.doc.addressee.rstrip("：:"), template=tpl,
        text=final.doc.text, facts=facts_stored, findings=[f.model_dump(mode="json") for f in final.findings],
        docx=render_docx(final.doc), pdf=render_pdf(final.doc),
        created_by=actor if getattr(actor, "is_authenticated", False) else None)
    audit_record(actor=actor, action="letter.issue", subject=letter, body=app.body,
                 after=snapshot(letter, ["key", "number", "issued_on", "recipient", "addressee", "template"]),
                 note=f"出具{final.kind.label}：{number}（{app.number}）")
    return letter


@transaction.atomic
def template_save(*, body: Body, key: str, title: str, text: str, actor: Any, note: str = "") -> LetterTemplate:
    """Save a new version of the body's template for ``key`` (the 管理员 of the body)."""
    require(user=actor, action="manage", body=body)
    _kind(key)
    title, text = title.strip(), text.strip().replace("\r\n", "\n")
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = ["标题不能为空"]
    if not text:
        errors["text"] = ["正文不能为空"]
    if errors:
        raise Invalid("标题和正文不能为空", details=errors)
    last = LetterTemplate.objects.select_for_update().filter(body=body, key=key).order_by("-version").first()
    if last is None:  # the default becomes version 1, so every version a letter may point to is stored
        kind = _kind(key)
        last = LetterTemplate.objects.create(body=body, key=key, version=1, title=kind.title, text=kind.text,
                                             note="默认模板")
    if last.title == title and last.text == text:
        raise Invalid("模板没有改动", details={"text": ["模板没有改动"]})
    tpl = LetterTemplate.objects.create(body=body, key=key, version=last.version + 1, title=title, text=text,
                                        note=note.strip()[:200],
                                        created_by=actor if getattr(actor, "is_authenticated", False) else None)
    audit_record(actor=actor, action="letter_template.save", subject=tpl, body=body,
                 before=snapshot(last, ["version", "title", "text"]), after=snapshot(tpl, ["version", "title", "text"]),
                 note=f"文书模板第{tpl.version}版")
    return tpl


SETTINGS_FIELDS = ["letter_prefix", "review_authority", "court"]


@transaction.atomic
def body_letter_settings_save(*, body: Body, actor: Any, letter_prefix: str, review_authority: str,
                              court: str) -> Body:
    require(user=actor, action="manage", body=body)
    body = Body.objects.select_for_update().get(pk=body.pk)
    before = snapshot(body, SETTINGS_FIELDS)
    body.letter_prefix, body.review_authority, body.court = letter_prefix.strip(), review_authority.strip(), court.strip()
    body.save(update_fields=SETTINGS_FIELDS)
    audit_record(actor=actor, action="body.letter_settings", subject=body, body=body, before=before,
                 after=snapshot(body, SETTINGS_FIELDS), note="文书设置")
    return body
