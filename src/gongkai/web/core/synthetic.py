"""A synthetic ledger for tests and benchmarks: many applications written with bulk inserts (no services, no
events), with random receipt and closing dates, applicant types and reply types, and review/litigation cases.
Only for measuring and for checking the ledger's arithmetic — the demo uses the services."""
from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from ...law.decisions import applicant_types, reply_types
from ..bodies.models import Body
from .db import bump

TYPES = [t.column_key for t in applicant_types()]
REPLIES = [t.row_key for t in reply_types()]


def bulk_ledger(*, body: Body, n: int, start: dt.date, end: dt.date, seed: int = 1, open_share: float = 0.08,
                appeals: int = 0, batch: int = 5000) -> int:
    """Insert ``n`` applications of ``body`` received between ``start`` and ``end``; returns how many."""
    from ..appeals.models import Appeal
    from ..applications.models import Application, NumberCounter, Status

    rng = random.Random(seed)
    span = (end - start).days
    with transaction.atomic():  # reserve the block of numbers first (write, then read: core/db.py)
        first = bump(NumberCounter, {"body": body, "year": 0}, by=n) - n
    made = 0
    while made < n:
        rows = []
        for i in range(made, min(n, made + batch)):
            seq = first + i + 1
            received = start + dt.timedelta(days=rng.randint(0, span))
            closed = None if rng.random() < open_share else received + dt.timedelta(days=rng.randint(0, 60))
            reply = rng.choice(REPLIES) if closed else ""
            rows.append(Application(
                body=body, number=f"{body.short_name}〔合成〕依申第{seq}号", year=0, seq=seq, query_code=f"S{body.pk}-{seq}",
                channel="in_person", submitted_on=received, received_on=received,
                applicant_type=rng.choices(TYPES, weights=[70, 10, 3, 3, 8, 6])[0], applicant_name=f"申请人{seq % 977}",
                description="合成数据", status=Status.CLOSED if closed else Status.OPEN,
                reply_type=reply, reply_on=closed, closed_on=closed))
        Application.objects.bulk_create(rows, batch_size=batch)
        made += len(rows)
    if appeals:
        closed_apps = list(Application.objects.filter(body=body, closed_on__isnull=False)
                           .order_by("?").values_list("pk", "closed_on")[:appeals])
        items = []
        for pk, closed_on in closed_apps:
            filed = closed_on + dt.timedelta(days=rng.randint(1, 60))
            result = rng.choice(["upheld", "corrected", "other", "pending"])
            decided = None if result == "pending" else filed + dt.timedelta(days=rng.randint(10, 120))
            items.append(Appeal(application_id=pk, kind=rng.choice(["review", "litigation_direct"]), authority="合成",
                                filed_on=filed, result=result, decided_on=decided))
        Appeal.objects.bulk_create(items, batch_size=batch)
    return n
