from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet

from ..bodies.permissions import visible_bodies
from ..core.errors import NotFound
from .models import Appeal, AppealKind, AppealResult


def appeals_visible_to(*, user: Any) -> QuerySet[Appeal]:
    return Appeal.objects.filter(application__body__in=visible_bodies(user=user))


def appeal_get(*, user: Any, pk: int) -> Appeal:
    appeal = appeals_visible_to(user=user).select_related("application", "application__body").filter(pk=pk).first()
    if appeal is None:
        raise NotFound("未找到该复议或诉讼案件")
    return appeal


def ledger_s4(*, bodies: list[int], year: int) -> dict[str, int]:
    """Section 四 for ``year``: cases filed in the year, with their result as of 31 December (a case decided
    later is 尚未审结). One grouped aggregate query."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    decided = Q(decided_on__isnull=False, decided_on__lte=end)
    aggregates = {r: Count("id", filter=decided & Q(result=r)) for r in AppealResult.values if r != "pending"}
    aggregates["pending"] = Count("id", filter=~decided | Q(result="pending"))
    rows = (Appeal.objects.filter(application__body_id__in=bodies, filed_on__gte=start, filed_on__lte=end)
            .values("kind").order_by().annotate(**aggregates))
    cells = {f"s4.{k}.{r}": 0 for k in AppealKind.values for r in [*AppealResult.values, "total"]}
    for row in rows:
        for r in AppealResult.values:
            cells[f"s4.{row['kind']}.{r}"] += row[r]
    for k in AppealKind.values:
        cells[f"s4.{k}.total"] = sum(cells[f"s4.{k}.{r}"] for r in AppealResult.values)
    return cells
