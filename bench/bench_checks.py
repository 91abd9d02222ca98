"""Checks per second on one core, beside a baseline of summing the same cells with plain Python.

    .venv/bin/python bench/bench_checks.py
"""
from __future__ import annotations

import datetime as dt
import random
import time

from gongkai.checks import run_checks
from gongkai.tally import ApplicationRecord, CaseRecord, tally

N = 300


def ledger(seed: int):
    rnd = random.Random(seed)
    from gongkai.formats import get_format
    fmt = get_format("2021")
    cols = [c.key for c in fmt.s3.columns if c.key != "total"]
    leaves = fmt.s3_leaves()
    apps = []
    for _ in range(rnd.randint(0, 200)):
        received = dt.date(2024, 1, 1) + dt.timedelta(days=rnd.randint(-60, 364))
        closed = received + dt.timedelta(days=rnd.randint(1, 60)) if rnd.random() < 0.9 else None
        apps.append(ApplicationRecord(rnd.choice(cols), received, closed, rnd.choice(leaves) if closed else None))
    cases = [CaseRecord("review", dt.date(2024, 3, 1), dt.date(2024, 5, 1), "upheld")]
    return tally(apps, cases, year=2024)


def main() -> None:
    reports = [ledger(i) for i in range(N)]
    t0 = time.perf_counter()
    for r in reports:
        run_checks(r, previous=r)
    ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    for r in reports:  # baseline: just the I1 sums over plain dicts
        values = {k: c.value for k, c in r.cells.items()}
        for col in ("natural", "total"):
            _ = values[f"s3.new.{col}"] + values[f"s3.carried_over.{col}"] == values[f"s3.total.{col}"] + values[
                f"s3.carry_forward.{col}"]
    base = time.perf_counter() - t0
    print(f"checks: {N / ours:,.0f} reports/s with every check incl. cross-year ({ours / N * 1000:.2f} ms/report); "
          f"baseline plain I1 sums: {N / base:,.0f} reports/s")


if __name__ == "__main__":
    main()
