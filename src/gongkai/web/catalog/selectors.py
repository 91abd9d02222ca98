"""Reads of the catalog. :func:`items_public` is THE definition of what the public may see; the portal, search,
feeds and the API all start from it."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ...law.calendar import WorkingCalendar
from ..bodies.models import Body
from ..bodies.permissions import visible_bodies
from .categories import IN_FORCE, Category, Disclosure, DocKind
from .models import Attachment, Hold, Item, ItemState, YearFigures

TIMELINESS_DAYS = 20  # 第二十六条


def items_public(*, body: Body | int | None = None) -> QuerySet[Item]:
    """Items anyone may see: published and 主动公开. "Published" implies an approval by someone other than the
    author and a 索引号 — a database constraint (``catalog_item_published_reviewed``) guarantees it."""
    qs = Item.objects.filter(state=ItemState.PUBLISHED, disclosure=Disclosure.PROACTIVE)
    if body is not None:
        qs = qs.filter(body=body)
    return qs


def item_public_get(*, index_no: str) -> Item | None:
    return (items_public().filter(index_no=index_no).select_related("body")
            .prefetch_related("attachments").first())


@dataclass(frozen=True)
class PublicItemPage:
    item: Item
    attachments: list[Attachment]
    related: list[Item]  # the public ones only


def item_public_page(*, index_no: str) -> PublicItemPage | None:
    """What an item's public page shows. The portal's most requested page, so its two lists are plain SQL
    (building the ORM's SQL for two prefetches cost more than running them); the same rules as
    :func:`items_public`: only published, 主动公开 related items."""
    item = next(iter(items_public().filter(index_no=index_no).select_related("body").order_by()[:1]), None)
    if item is None:  # (a 索引号 is unique: no ORDER BY, which ``first()`` would add)
        return None
    att = Attachment._meta.db_table
    related_table = Item.related.through._meta.db_table
    attachments = list(Attachment.objects.raw(
        f"SELECT id, item_id, name, size FROM {att} WHERE item_id = %s ORDER BY id", [item.pk]))
    related = list(Item.objects.raw(
        f"SELECT i.id, i.index_no, i.title, i.validity, i.published_at FROM {Item._meta.db_table} i "
        f"JOIN {related_table} r ON r.to_item_id = i.id WHERE r.from_item_id = %s AND i.state = %s "
        f"AND i.disclosure = %s ORDER BY i.published_at DESC, i.id DESC",
        [item.pk, ItemState.PUBLISHED.value, Disclosure.PROACTIVE.value]))
    return PublicItemPage(item=item, attachments=attachments, related=related)


def category_counts(*, body: Body) -> dict[str, int]:
    return dict(items_public(body=body).values_list("category").annotate(n=Count("pk")).order_by())


def years_of(*, body: Body) -> list[int]:
    """The years from the first to the last publication, newest first (two index lookups, not a scan)."""
    qs = items_public(body=body).order_by("published_at").values_list("published_at", flat=True)
    first, last = qs.first(), qs.last()
    if first is None or last is None:
        return []
    return list(range(timezone.localtime(last).year, timezone.localtime(first).year - 1, -1))


def items_visible_to(*, user: Any) -> QuerySet[Item]:
    return Item.objects.filter(body__in=visible_bodies(user=user)).select_related("body", "author")


def items_to_review(*, user: Any) -> QuerySet[Item]:
    from ..bodies.permissions import bodies_for

    return (Item.objects.filter(body__in=bodies_for(user=user, action="review"), state=ItemState.SUBMITTED)
            .exclude(author=user).select_related("body", "author"))


# --- timeliness (第二十六条) ------------------------------------------------------------------
@dataclass(frozen=True)
class Timeliness:
    item: Item
    start: dt.date
    due: dt.date
    published: dt.date | None
    late_days: int  # working days past the due date (0 if on time or not yet due)
    provisional: bool = False  # counted through a year whose holiday notice is not entered (预计)
    held_since: dt.date | None = None  # held as 公开与保密界限不清 since (not overdue while held)

    @property
    def held(self) -> bool:
        return self.held_since is not None

    @property
    def overdue(self) -> bool:
        """Past the 20 working days, unless held as 公开与保密界限不清 (暂缓公开 is not 超期; the hold is shown)."""
        return self.late_days > 0 and not self.held


def _calendar() -> WorkingCalendar:
    from ..clock.selectors import working_calendar

    return working_calendar()


def timeliness(item: Item, *, calendar: WorkingCalendar, today: dt.date | None = None) -> Timeliness | None:
    start = item.start_date
    if start is None:
        return None
    try:
        due = calendar.add_working_days(start, TIMELINESS_DAYS)
        end = item.published_on or (today or timezone.localdate())
        late = calendar.working_days_between(due, end) if end > due else 0
    except Exception:  # noqa: BLE001 — a year the calendar does not cover: not computable, not "late"
        return None
    held_since = None
    if item.state == ItemState.HELD:
        hold = item.holds.filter(settled_at__isnull=True).order_by("-held_at").first()
        held_since = hold.held_on if hold else timezone.localdate(item.updated_at)
    return Timeliness(item=item, start=start, due=due, published=item.published_on, late_days=late,
                      provisional=bool(calendar.provisional_years_between(start, max(due, end))),
                      held_since=held_since)


def overdue_items(*, user: Any, today: dt.date | None = None) -> list[Timeliness]:
    """Items whose 20 working days have run out: published late, or still unpublished past the due date. Only
    items meant for 主动公开 count: 依申请公开, 不予公开 and 内部管理信息 are never due for publication."""
    cal = _calendar()
    qs = (items_visible_to(user=user).filter(disclosure=Disclosure.PROACTIVE)
          .exclude(state=ItemState.WITHDRAWN).filter(Q(formed_on__isnull=False) | Q(written_on__isnull=False)))
    out = [t for t in (timeliness(i, calendar=cal, today=today) for i in qs) if t and t.overdue]
    return sorted(out, key=lambda t: -t.late_days)


@dataclass(frozen=True)
class HeldRow:
    hold: Hold
    working_days: int  # working days held so far
    urgent: bool  # held longer than GONGKAI_HOLD_REMIND_DAYS working days
    may_settle: bool
    timeliness: Timeliness | None


def held_items(*, user: Any, today: dt.date | None = None) -> list[HeldRow]:
    """The open holds (公开与保密界限不清，暂缓公开) of the bodies the user sees, oldest first, each with how long it
    has waited and whether the user may settle it (the queue of the 负责人 or 保密员, and everyone's view)."""
    from django.conf import settings

    from ..bodies.permissions import bodies_for

    today = today or timezone.localdate()
    cal = _calendar()
    settle = set(bodies_for(user=user, action="settle").values_list("pk", flat=True))
    rows = []
    for hold in (Hold.objects.filter(settled_at__isnull=True, item__body__in=visible_bodies(user=user))
                 .select_related("item__body", "item__author", "held_by").order_by("held_at", "pk")):
        try:
            days = cal.working_days_between(hold.held_on, today) if today > hold.held_on else 0
        except Exception:  # noqa: BLE001 — a year the calendar does not cover
            days = (today - hold.held_on).days
        rows.append(HeldRow(hold=hold, working_days=days, urgent=days >= settings.GONGKAI_HOLD_REMIND_DAYS,
                            may_settle=hold.item.body_id in settle,
                            timeliness=timeliness(hold.item, calendar=cal, today=today)))
    return rows


def held_items_of(*, body: Body) -> list[Hold]:
    """The open holds of one body (for the daily digest)."""
    return list(Hold.objects.filter(settled_at__isnull=True, item__body=body).select_related("item", "held_by")
                .order_by("held_at", "pk"))


def published_late_count(*, body: Body, year: int) -> int:
    cal = _calendar()
    qs = items_public(body=body).filter(published_at__year=year)
    return sum(1 for i in qs if (t := timeliness(i, calendar=cal)) and t.overdue)


# --- section 二 --------------------------------------------------------------------------------
def section2_cells(*, body: Body, year: int) -> dict[str, int | Decimal]:
    """Section 二 (2021 format) for ``body`` and ``year``: 规章/行政规范性文件 from the catalog, the rest from
    the figures entered or imported for the year."""
    end = dt.date(year, 12, 31)
    out: dict[str, int | Decimal] = {}
    docs = items_public(body=body)
    for kind, row in ((DocKind.RULE, "rules"), (DocKind.NORMATIVE, "normative_docs")):
        mine = docs.filter(doc_kind=kind)
        out[f"s2.{row}.issued"] = mine.filter(written_on__year=year).count()
        out[f"s2.{row}.repealed"] = mine.filter(invalid_on__year=year).exclude(validity__in=IN_FORCE).count()
        out[f"s2.{row}.in_force"] = mine.filter(written_on__lte=end).filter(
            Q(validity__in=IN_FORCE) | Q(invalid_on__gt=end)).count()
    fig = YearFigures.objects.filter(body=body, year=year).first()
    out["s2.licensing.decisions"] = fig.licensing if fig else 0
    out["s2.penalty.decisions"] = fig.penalty if fig else 0
    out["s2.coercion.decisions"] = fig.coercion if fig else 0
    out["s2.fees.amount"] = fig.fees_wan_yuan if fig else Decimal(0)
    return out


def catalog_year_facts(*, body: Body, year: int) -> dict[str, Any]:
    """Counts the composer states in section 一: items published in the year, by category, late ones."""
    qs = items_public(body=body)
    this = qs.filter(published_at__year=year)
    labels = dict(Category.choices)
    by_cat = sorted(((labels.get(c, c), n) for c, n in this.values_list("category").annotate(n=Count("pk"))
                     .order_by()), key=lambda p: -p[1])
    return {"published": this.count(), "previous_published": qs.filter(published_at__year=year - 1).count(),
            "by_category": tuple(by_cat), "overdue": published_late_count(body=body, year=year)}
