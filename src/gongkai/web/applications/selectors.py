"""Reads on applications: visibility, lists, hints, the public status, due lists and the ledger."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.utils import timezone
from rapidfuzz import fuzz

from ...errors import LawError
from ...formats import get_format
from ...law.decisions import CARRY_FORWARD, reply_types
from ...report import Report, zero_report
from ..bodies.models import Body
from ..bodies.permissions import visible_bodies
from ..clock.selectors import working_calendar
from ..core.errors import NotFound
from .models import OPEN_STATUSES, ApplicantType, Application, Status

DUE_SOON_WORKING_DAYS = 5
SIMILARITY_THRESHOLD = 80  # rapidfuzz ratio over the text without spaces and punctuation, 0–100
EXCESSIVE_PER_MONTH = 10  # 109号: beyond 10 a natural month a fee by items may apply (第三十五条 hint)


def applications_visible_to(*, user: Any) -> QuerySet[Application]:
    # The body ids as a literal list (a user sees few bodies): the planner then uses the (body, …) indexes.
    ids = list(visible_bodies(user=user).values_list("pk", flat=True))
    return Application.objects.filter(body_id__in=ids)


def application_get(*, user: Any, pk: int) -> Application:
    app = applications_visible_to(user=user).select_related("body", "handler").filter(pk=pk).order_by().first()
    if app is None:
        raise NotFound("未找到该申请")
    return app


def due_soon_limit(today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    try:
        return working_calendar().add_working_days(today, DUE_SOON_WORKING_DAYS)
    except LawError:
        return today + dt.timedelta(days=7)


def application_list(*, user: Any, body: int | None = None, status: str | None = None, q: str | None = None,
                     due: str | None = None, applicant_type: str | None = None, channel: str | None = None,
                     year: int | None = None, reply_type: str | None = None) -> QuerySet[Application]:
    qs = applications_visible_to(user=user).select_related("body", "handler")
    if body:
        qs = qs.filter(body_id=body)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if applicant_type:
        qs = qs.filter(applicant_type=applicant_type)
    if channel:
        qs = qs.filter(channel=channel)
    if year:
        qs = qs.filter(received_on__year=year)
    if reply_type:
        qs = qs.filter(reply_type=reply_type)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(applicant_name__icontains=q) | Q(description__icontains=q)
                       | Q(query_code__iexact=q))
    today = timezone.localdate()
    if due == "overdue":
        qs = qs.filter(status__in=OPEN_STATUSES, due_on__lt=today).order_by("due_on", "id")
    elif due == "soon":
        qs = qs.filter(status__in=OPEN_STATUSES, due_on__gte=today, due_on__lte=due_soon_limit(today)).order_by("due_on", "id")
    return qs


def due_rows(*, bodies: QuerySet[Body] | list[Body], today: dt.date | None = None) -> QuerySet[Application]:
    """Open applications overdue or due within five working days, soonest first."""
    today = today or timezone.localdate()
    return (Application.objects.filter(body__in=bodies, status__in=OPEN_STATUSES, due_on__lte=due_soon_limit(today))
            .select_related("body", "handler").order_by("due_on", "id"))


def dashboard_for(*, user: Any) -> dict[str, Any]:
    today = timezone.localdate()
    bodies = visible_bodies(user=user)
    rows = list(due_rows(bodies=bodies, today=today)[:50])
    base = Application.objects.filter(body__in=bodies, status__in=OPEN_STATUSES)
    return {"due_soon": rows, "today": today,
            "overdue_count": base.filter(due_on__lt=today).count(),
            "due_soon_count": base.filter(due_on__gte=today, due_on__lte=due_soon_limit(today)).count(),
            "open_count": base.count()}


def _normal(text: str) -> str:
    return re.sub(r"[\s\W_]+", "", text)


def application_hints(*, application: Application) -> list[str]:
    """Duplicate (第三十六条第六项) and excessive (第三十五条) hints: same applicant, similar text."""
    return applicant_hints(body=application.body, applicant_name=application.applicant_name,
                           id_number=application.id_number, description=application.description,
                           on=application.received_on, exclude=application.pk)


def applicant_hints(*, body: Body, applicant_name: str, description: str, id_number: str = "",
                    on: dt.date | None = None, exclude: int | None = None) -> list[str]:
    """The hints for an application not registered yet (the registration form asks as the clerk types)."""
    on = on or timezone.localdate()
    hints: list[str] = []
    if not applicant_name.strip() and not id_number.strip():
        return hints
    same = Q(applicant_name=applicant_name.strip())
    if id_number.strip():
        same |= Q(id_number=id_number.strip())
    others = Application.objects.filter(body=body).filter(same)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    for other in others.order_by("-received_on")[:200]:
        score = fuzz.ratio(_normal(description), _normal(other.description)) if description.strip() else 0
        if score >= SIMILARITY_THRESHOLD:
            state = "已办结" if other.status == Status.CLOSED else "办理中"
            hints.append(f"可能重复：与{other.number}（{other.received_on:%Y-%m-%d}，{state}）内容相似度{score:.0f}%"
                         f"，请核对是否属于重复申请（第三十六条第（六）项）。")
    n = others.filter(received_on__gte=on.replace(day=1), received_on__lte=on).count() + (1 if exclude else 0)
    if n > EXCESSIVE_PER_MONTH:
        hints.append(f"同一申请人本月已提出{n}件申请，超过{EXCESSIVE_PER_MONTH}件：如明显超出合理范围，"
                     "可要求说明理由（第三十五条），或按件收取信息处理费（国办函〔2020〕109号）。")
    return hints[:6]


def application_by_code(query_code: str) -> Application | None:
    """The application of a query code (typed with or without the dashes, any case), or None."""
    code = (query_code or "").strip().upper()
    if len(code) == 12 and "-" not in code:
        code = f"{code[:4]}-{code[4:8]}-{code[8:]}"
    if len(code) != 14:
        return None
    return Application.objects.select_related("body").filter(query_code=code).first()


# The decision in plain words for the applicant (the report's row labels are statistics, not answers).
PLAIN_DECISIONS = {
    "granted": "予以公开：您申请的政府信息予以公开，或已告知获取该信息的方式和途径。",
    "partial": "部分公开：您申请的政府信息中可以公开的部分予以提供，其余部分不予公开并说明理由。",
    "denied.state_secret": "不予公开：所申请的信息属于国家秘密。",
    "denied.law_prohibited": "不予公开：法律、行政法规禁止公开所申请的信息。",
    "denied.three_securities": "不予公开：公开后可能危及国家安全、公共安全、经济安全或者社会稳定。",
    "denied.third_party": "不予公开：公开会损害第三方的合法权益。",
    "denied.internal_affairs": "不予公开：所申请的信息属于人事管理、后勤管理、内部工作流程等内部事务信息。",
    "denied.process_info": "不予公开：所申请的信息属于讨论记录、过程稿、磋商信函、请示报告等过程性信息。",
    "denied.enforcement_file": "不予公开：所申请的信息属于行政执法案卷信息。",
    "denied.query_matter": "按专门规定查询：所申请的信息有专门的查询规定（如工商、不动产登记资料），请按相关规定办理。",
    "unable.not_held": "无法提供：经检索，本机关没有制作或保存所申请的信息，或该信息不由本机关负责公开。",
    "unable.needs_creation": "无法提供：所申请的信息需要另行制作或者加工、分析，本机关不另行制作。",
    "unable.unclear": "无法提供：补正后申请内容仍不明确，无法确定所申请的信息。",
    "not_processed.petition": "不予处理：申请内容属于信访、投诉、举报等事项，请通过相应渠道提出。",
    "not_processed.duplicate": "不予处理：与您已获答复的申请内容重复。",
    "not_processed.publication": "不予处理：所申请的是公开出版物，可通过公开发行渠道获取。",
    "not_processed.excessive": "不予处理：申请的数量、频次明显超过合理范围，且未说明合理理由。",
    "not_processed.confirm_reissue": "不予处理：所申请的是对已获取信息的确认或重新出具。",
    "other.no_correction": "终止办理：未在补正期限内补正，视为放弃申请。",
    "other.no_fee": "终止办理：未在期限内缴纳信息处理费，视为放弃申请。",
    "other.other": "办理终结（例如申请人已撤回申请）。",
}


def plain_decision(reply_type: str) -> str:
    """The decision as the applicant reads it (never the statistics label)."""
    return PLAIN_DECISIONS.get(reply_type, "已作出答复，详见答复告知书。")


def correction_request(app: Application) -> dict[str, Any] | None:
    """What the 补正 notice asked for and by when (the latest notice), or None."""
    from .models import EventKind

    ev = app.events.filter(kind=EventKind.CORRECTION_NOTICE).order_by("-on", "-id").first()
    if ev is None:
        return None
    reply_by = (ev.data or {}).get("reply_by")
    return {"on": ev.on, "items": (ev.data or {}).get("items", ""),
            "reply_by": dt.date.fromisoformat(reply_by) if reply_by else None}


FEE_METHODS = {"items": "按件计收", "pages": "按量计收"}


def fee_request(app: Application) -> dict[str, Any] | None:
    """The fee asked for: amount, method, the last day to pay (20 working days from the day after the notice was
    received, 109号; 预计 when counted through a year whose notice is not entered) and how to pay; or None."""
    from ...law.deadlines import fee_payment_due
    from .models import Fee

    fee = Fee.objects.filter(application=app).first()
    if fee is None:
        return None
    calendar = working_calendar()
    start = fee.notice_received_on or fee.noticed_on
    try:
        pay_by = fee_payment_due(start, calendar=calendar)
        provisional = bool(calendar.provisional_years_between(start, pay_by))
    except LawError:
        pay_by, provisional = None, False
    body = app.body
    where = "、".join(x for x in (f"地址：{body.address}" if body.address else "",
                                   f"电话：{body.phone}" if body.phone else "") if x)
    how = ("请按收费通知书载明的缴款方式和账户缴纳，费用缴入国库，本机关开具财政票据；"
           f"如需了解缴费方式，请联系{body.office_name or body.name}" + (f"（{where}）" if where else "") + "。")
    return {"amount": fee.amount, "method": FEE_METHODS.get(fee.method, fee.method), "quantity": fee.quantity,
            "noticed_on": fee.noticed_on, "pay_by": pay_by, "pay_by_provisional": provisional,
            "paid_on": fee.paid_on, "how": how}


def application_public_status(*, query_code: str) -> dict[str, Any] | None:
    """:func:`public_status_of` the application of a query code, or None."""
    app = application_by_code(query_code)
    return public_status_of(app) if app is not None else None


def public_status_of(app: Application) -> dict[str, Any]:
    """What the public status page shows: the case's progress, what the applicant is asked to do (补正, fee), the
    decision in plain words and the reply's dates. No personal data, no staff names, no internal notes."""
    closed = app.status == Status.CLOSED
    replied = closed and bool(app.reply_type)
    due = app.due_on if not closed else None
    provisional = due is not None and app.due_provisional
    awaiting = app.status == Status.CORRECTION
    fee = fee_request(app) if app.status == Status.FEE or (closed and app.reply_type == "other.no_fee") else None
    return {"number": app.number, "body": app.body.name, "received_on": app.received_on,
            "status": app.status, "status_label": Status(app.status).label, "due_on": due,
            "due_provisional": provisional, "due_provisional_reason": (app.due_note or None) if provisional else None,
            "closed_on": app.closed_on, "reply_type": app.reply_type if replied else None,
            "reply_label": plain_decision(app.reply_type) if replied else None,
            "reply_made_on": app.reply_on if closed else None, "reply_sent_on": app.reply_sent_on if closed else None,
            "reply_delivered_on": app.reply_delivered_on if closed else None,
            "correction": correction_request(app) if awaiting else None, "can_correct": awaiting,
            "fee": fee}


# --- the ledger: sections 三 and 四 from the database ------------------------------------------------------------

def ledger_s3(*, bodies: list[int], year: int) -> dict[str, int]:
    """Section 三 for ``year``: one grouped aggregate query over the applications of ``bodies``.

    新收 = received in the year; 上年结转 = received earlier and still open on 1 January; each result leaf =
    closed in the year with that reply type; 结转下年度 = received by 31 December and open on it. The identity
    新收 + 上年结转 = 总计 + 结转 holds by construction, and next year's 上年结转 is this year's 结转."""
    fmt = get_format("2021")
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    leaves = [t.row_key for t in reply_types("2021")]
    # GROUP BY the applicant column, the reply type and two flags: the database counts a few hundred groups
    # at most, and the cells are sums over those groups (no loop over applications).
    flags = {"is_new": ExpressionWrapper(Q(received_on__gte=start), output_field=BooleanField()),
             "done": ExpressionWrapper(Q(closed_on__isnull=False, closed_on__lte=end), output_field=BooleanField())}
    groups = (Application.objects.filter(body_id__in=bodies, received_on__lte=end)
              .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))
              .annotate(**flags).values("applicant_type", "reply_type", "is_new", "done").order_by()
              .annotate(n=Count("id")))
    cols = [c.key for c in fmt.s3.columns if c.key != "total"]
    row_keys = ["new", "carried_over", *leaves, "total", CARRY_FORWARD]
    cells: dict[str, int] = {f"s3.{r}.{c}": 0 for r in row_keys for c in [*cols, "total"]}
    known = set(leaves)
    for g in groups:
        col, n = g["applicant_type"], g["n"]
        if col not in cols:
            continue
        cells[f"s3.{'new' if g['is_new'] else 'carried_over'}.{col}"] += n
        if g["done"] and g["reply_type"] in known:
            cells[f"s3.{g['reply_type']}.{col}"] += n
            cells[f"s3.total.{col}"] += n
        else:
            cells[f"s3.{CARRY_FORWARD}.{col}"] += n
    for r in row_keys:
        cells[f"s3.{r}.total"] = sum(cells[f"s3.{r}.{c}"] for c in cols)
    return cells


def ledger_cells(*, body: Body, year: int, include_subordinates: bool = False) -> dict[str, int]:
    """Sections 三 and 四 for a body (optionally adding up the bodies below it, as a supervisor's roll-up)."""
    ids = [body.pk] if not include_subordinates else list(
        Body.objects.filter(path__startswith=body.path).values_list("pk", flat=True))
    cells = ledger_s3(bodies=ids, year=year)
    try:
        from ..appeals.selectors import ledger_s4
    except ImportError:  # pragma: no cover
        return cells
    cells.update(ledger_s4(bodies=ids, year=year))
    return cells


def ledger_report(*, body: Body, year: int, include_subordinates: bool = False) -> Report:
    """A :class:`gongkai.report.Report` with sections 三 and 四 from the ledger (section 二 and texts left zero/empty)."""
    report = zero_report("2021", year=year, agency=body.name)
    return report.with_cells(ledger_cells(body=body, year=year, include_subordinates=include_subordinates))


def ledger_rows(cells: dict[str, int]) -> list[dict[str, Any]]:
    """The section 三 table for a template: label, kind, and the seven numbers of each printed row."""
    fmt = get_format("2021")
    cols = [c.key for c in fmt.s3.columns]
    out = []
    for row in fmt.s3.rows:
        out.append({"key": row.key, "label": row.label, "kind": row.kind.value,
                    "values": [cells.get(f"s3.{row.key}.{c}") for c in cols] if row.key else None})
    return out


def applicant_type_label(key: str) -> str:
    return ApplicantType(key).label
