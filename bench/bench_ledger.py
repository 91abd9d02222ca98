"""The annual report from the ledger: sections 三 and 四 for one body and year over 1,000,000 applications,
on SQLite and on PostgreSQL, beside a baseline that loads the rows and counts them in Python (gongkai.tally).

    .venv/bin/python bench/bench_ledger.py              # SQLite, then PostgreSQL via scripts/with-postgres.sh
    GONGKAI_BENCH_N=200000 .venv/bin/python bench/bench_ledger.py
    .venv/bin/python bench/bench_ledger.py --here       # only the database of DATABASE_URL (or SQLite)

Rows are generated inside the database (a recursive CTE on SQLite, generate_series on PostgreSQL): 1M
applications received 2022–2024 by one body, 8% still open, random applicant types and reply types, and
2,000 review/litigation cases.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time

from _common import sqlite_then_postgres

N = int(os.environ.get("GONGKAI_BENCH_N", "1000000"))


def _setup() -> None:
    if not os.environ.get("GONGKAI_DATA_DIR"):  # (setdefault would make a directory even when it is set)
        os.environ["GONGKAI_DATA_DIR"] = tempfile.mkdtemp(prefix="gongkai-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.web.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _fill(body_id: int, n: int) -> None:
    from django.db import connection

    from gongkai.law.decisions import applicant_types, reply_types

    types = [t.column_key for t in applicant_types()]
    replies = [t.row_key for t in reply_types()]
    pg = connection.vendor == "postgresql"
    # Deterministic pseudo-random spreads (multiplicative hashing of the row number): the same rows on every
    # database, and no volatile random() that a query planner may evaluate more than once per row.
    t_case = ("CASE WHEN t < 70 THEN 'natural' WHEN t < 80 THEN 'commercial' WHEN t < 83 THEN 'research' "
              "WHEN t < 86 THEN 'social_welfare' WHEN t < 94 THEN 'legal_service' ELSE 'other_org' END")
    assert set(types) == {"natural", "commercial", "research", "social_welfare", "legal_service", "other_org"}
    r_case = "CASE " + " ".join(f"WHEN r = {i} THEN '{v}'" for i, v in enumerate(replies)) + " END"
    if pg:
        received, closed = "date '2022-01-01' + d::int", "date '2022-01-01' + (d + c)::int"
        series = f"(SELECT g::bigint AS i FROM generate_series(1, {n}) AS g) AS s"
        head = ""
    else:
        received, closed = "date('2022-01-01', '+' || d || ' days')", "date('2022-01-01', '+' || (d + c) || ' days')"
        series = "s"
        head = f"WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n}) "
    now = "now()" if pg else "datetime('now')"
    sql = f"""{head}
    INSERT INTO applications_application (body_id, number, year, seq, query_code, channel, submitted_on, received_on,
        applicant_type, applicant_name, id_type, id_number, contact_phone, contact_email, contact_address, postcode,
        description, requested_form, delivery, status, deadline_status, deadline_text, reply_type, reply_summary,
        reply_on, closed_on, created_at, updated_at)
    SELECT {body_id}, 'B' || i, 0, i, 'Q' || i, 'in_person', {received}, {received}, {t_case}, '申请人', '', '', '', '',
        '', '', '合成', 'any', 'post', CASE WHEN o THEN 'open' ELSE 'closed' END, '', '',
        CASE WHEN o THEN '' ELSE {r_case} END, '', CASE WHEN o THEN NULL ELSE {closed} END,
        CASE WHEN o THEN NULL ELSE {closed} END, {now}, {now}
    FROM (SELECT i, (i * 7919) % 1096 AS d, (i * 104729) % 60 AS c, (i * 31337) % 100 AS t,
                 (i * 15485863) % {len(replies)} AS r, ((i * 7) % 100 < 8) AS o FROM {series}) AS x"""
    with connection.cursor() as cur:
        cur.execute(sql)
        cur.execute(f"""INSERT INTO appeals_appeal (application_id, kind, authority, case_number, filed_on, result, note,
                        created_at) SELECT id, CASE WHEN id % 3 = 0 THEN 'litigation_direct' ELSE 'review' END, '合成', '',
                        closed_on, CASE id % 4 WHEN 0 THEN 'upheld' WHEN 1 THEN 'corrected' WHEN 2 THEN 'other'
                        ELSE 'pending' END, '', {now} FROM applications_application
                        WHERE body_id = {body_id} AND closed_on IS NOT NULL AND id % 500 = 0""")
        cur.execute("UPDATE appeals_appeal SET decided_on = filed_on WHERE result <> 'pending'")
        cur.execute("ANALYZE")


def _baseline(body, year: int):
    """Load the rows and count in Python with the reference tally."""
    from gongkai.tally import ApplicationRecord, CaseRecord, tally
    from gongkai.web.appeals.models import Appeal
    from gongkai.web.applications.models import Application

    apps = (ApplicationRecord(t, r, c, o or None) for t, r, c, o in Application.objects.filter(body=body)
            .values_list("applicant_type", "received_on", "closed_on", "reply_type").iterator(chunk_size=20000))
    cases = [CaseRecord(k, f, d, None if res == "pending" else res) for k, f, d, res in
             Appeal.objects.filter(application__body=body).values_list("kind", "filed_on", "decided_on", "result")]
    return tally(apps, cases, year=year)


def run_here() -> None:
    _setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gongkai.web.applications.models import Application
    from gongkai.web.applications.selectors import ledger_cells
    from gongkai.web.bodies.services import body_create

    body = body_create(name="基准测试街道办事处", short_name="基准", kind="government", level="township")
    t0 = time.perf_counter()
    _fill(body.pk, N)
    fill_s = time.perf_counter() - t0
    count = Application.objects.filter(body=body).count()
    vendor = f"{connection.vendor} {connection.Database.sqlite_version if connection.vendor == 'sqlite' else connection.pg_version}"
    times = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as q:
            t0 = time.perf_counter()
            cells = ledger_cells(body=body, year=2023)
            times.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    reference = _baseline(body, 2023)
    base = time.perf_counter() - t0
    agree = all(reference.value(k) == v for k, v in cells.items())
    print(f"[{vendor}] {count:,} applications generated in {fill_s:.1f} s")
    print(f"  ledger sections 三+四 for 2023: {min(times):.2f} s (best of 3; {len(q.captured_queries)} queries)  "
          f"new={cells['s3.new.total']:,} total={cells['s3.total.total']:,} carry_forward={cells['s3.carry_forward.total']:,}")
    print(f"  baseline (load rows, count in Python with gongkai.tally): {base:.2f} s   "
          f"speed-up ×{base / min(times):.1f}   same numbers: {'yes' if agree else 'NO'}")
    if not agree:
        sys.exit(1)


if __name__ == "__main__":
    sqlite_then_postgres(__file__, run_here, prefix="gongkai-bench-")
