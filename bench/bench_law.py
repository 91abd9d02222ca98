"""Deadline computations per second on one core, beside a baseline of plain ``datetime`` arithmetic.

    .venv/bin/python bench/bench_law.py

The baseline adds 20 weekdays with ``datetime`` alone (no holidays, no make-up days, no explanation):
the cheapest possible — and legally wrong — answer. Ours replays the events against the real calendar and
writes the Chinese explanation.
"""
from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable

from gongkai.law import (
    CorrectionNoticed,
    CorrectionReceived,
    Extended,
    Pause,
    Received,
    compute_deadline,
    default_calendar,
    fee_by_items,
    fee_by_pages,
)

N = 20_000


def starts(n: int, seed: int = 7) -> list[dt.date]:
    rnd = random.Random(seed)
    return [dt.date(2020, 1, 1) + dt.timedelta(days=rnd.randint(0, 5 * 365)) for _ in range(n)]


def plain_weekdays(start: dt.date, n: int = 20) -> dt.date:
    d = start
    while n:
        d += dt.timedelta(days=1)
        if d.weekday() < 5:
            n -= 1
    return d


def rate(fn: Callable[[dt.date], object], days: list[dt.date]) -> float:
    t0 = time.perf_counter()
    for d in days:
        fn(d)
    return len(days) / (time.perf_counter() - t0)


def main() -> None:
    cal = default_calendar()
    days = starts(N)
    cal.add_working_days(days[0], 20)  # warm up

    def simple(d: dt.date) -> object:
        return compute_deadline([Received(d)], calendar=cal)

    def full(d: dt.date) -> object:
        return compute_deadline([Received(d), CorrectionNoticed(d + dt.timedelta(days=2)),
                                 CorrectionReceived(d + dt.timedelta(days=9)),
                                 Pause(d + dt.timedelta(days=12), d + dt.timedelta(days=20)),
                                 Extended(d + dt.timedelta(days=25), 20, "负责人")], calendar=cal,
                                today=d + dt.timedelta(days=30))

    rows = [
        ("baseline: plain datetime, +20 weekdays", rate(plain_weekdays, days)),
        ("calendar.add_working_days(+20)", rate(lambda d: cal.add_working_days(d, 20), days)),
        ("compute_deadline, receipt only (with explanation)", rate(simple, days)),
        ("compute_deadline, 补正 + pause + extension", rate(full, days[: N // 4])),
        ("fee_by_items(45) + fee_by_pages(250)", rate(lambda d: (fee_by_items(45), fee_by_pages(250)), days)),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"law: {N} start dates 2020–2024, one core")
    for name, per_s in rows:
        print(f"  {name:<{width}}  {per_s:>10,.0f} /s")
    base = rows[0][1]
    print(f"  receipt-only deadline costs {base / rows[2][1]:.1f}× the plain-datetime baseline")


if __name__ == "__main__":
    main()
