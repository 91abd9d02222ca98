"""Each body's years as a series: bodies recognised across names, X1–X4 run on every pair of consecutive years.

Runs on the stored tables (cells and section texts), so a build never reads a file again for it.
"""
from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from .bodies import assign, region_of
from .build import SERIES_SCHEMA

CROSS_IDS = ("X1", "X2", "X3", "X4")


def _report(meta: dict[str, Any], cells: list[tuple[str, str | None, str]], sections: list[dict[str, Any]]) -> Any:
    from ..report import Report

    data = {
        "format": meta["format"], "section_formats": json.loads(meta["section_formats"] or "{}"),
        "metadata": {"agency": meta["agency"], "year": meta["year"]},
        "sections": [{"number": s["number"], "heading": s["heading"], "text": s["text"] or "", "order": s["order"]}
                     for s in sections],
        "cells": {k: {"value": v, "status": st} for k, v, st in cells},
    }
    return Report.from_data(data)


def run_series(tables: dict[str, Any], known: dict[str, str],
               previous: dict[tuple[str, str], dict[str, Any]] | None = None) -> tuple[dict[str, Any], int]:
    """Add body and series columns to ``reports``, cross-year findings to ``findings``, the ``bodies`` and
    ``aliases`` tables. Returns the tables and the number of consecutive-year pairs checked. ``previous`` holds
    the results of pairs checked in an earlier build (reused as they are: the ids are content hashes)."""
    previous = previous or {}
    import pyarrow as pa

    from ..checks import run_checks
    from ..checks.crossyear import NARRATIVE_SECTIONS, repetition_rate, x1_rows, x2_rows
    from ..formats import infer_body
    from .build import finding_row

    reports = tables["reports"]
    rows = reports.to_pylist()
    bodies = assign([r["agency"] for r in rows if r["agency"]], known)
    for r in rows:
        body = bodies.get(r["agency"]) if r["agency"] else None
        r["body_id"] = body.id if body else None
        r["body_name"] = body.name if body else None
        r["region"] = region_of(body.name) if body else None
        level = infer_body(body.name)[1] if body else None
        r["level"] = level.value if level else None
        r["prev_report_id"] = r["x1"] = r["x2"] = r["x4_rate"] = None

    # one report per body and year (the one with the fewest errors, then the most cells)
    chosen: dict[tuple[str, int], dict[str, Any]] = {}
    for r in sorted(rows, key=lambda r: (r["errors"], -r["n_cells"], r["report_id"])):
        if r["body_id"] and r["year"]:
            chosen.setdefault((r["body_id"], r["year"]), r)
    pairs = [(chosen[(b, y - 1)], cur) for (b, y), cur in sorted(chosen.items()) if (b, y - 1) in chosen]
    needed = {r["report_id"] for pair in pairs for r in pair
              if (pair[1]["report_id"], pair[0]["report_id"]) not in previous}
    cells: dict[str, list[tuple[str, str | None, str]]] = defaultdict(list)
    texts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if needed:
        import pyarrow.compute as pc

        mask = pa.array(sorted(needed), pa.string())
        ct = tables["cells"].filter(pc.is_in(tables["cells"]["report_id"], mask))
        for rid, key, value, status in zip(*(ct.column(c).to_pylist() for c in ("report_id", "key", "value_text",
                                                                               "status")), strict=True):
            cells[rid].append((key, value, status))
        if "number" in tables["sections"].column_names:
            st = tables["sections"].filter(pc.is_in(tables["sections"]["report_id"], mask))
            for s in st.to_pylist():
                texts[s["report_id"]].append(s)
    built: dict[str, Any] = {}

    def report_of(r: dict[str, Any]) -> Any:
        if r["report_id"] not in built:
            built[r["report_id"]] = _report(r, cells[r["report_id"]], texts[r["report_id"]])
        return built[r["report_id"]]

    cross_rows = []
    for prev_row, cur_row in pairs:
        cur_row["prev_report_id"] = prev_row["report_id"]
        done = previous.get((cur_row["report_id"], prev_row["report_id"]))
        if done is not None:
            cur_row.update(x1=done["x1"], x2=done["x2"], x4_rate=done["x4_rate"])
            cross_rows += done["findings"]
            continue
        prev, cur = report_of(prev_row), report_of(cur_row)
        for f in run_checks(cur, previous=prev, only=CROSS_IDS):
            cross_rows.append(finding_row(f, cur_row["report_id"], prev_row["report_id"]))
        x1, x2 = x1_rows(cur, prev), x2_rows(cur, prev)
        cur_row["x1"] = None if not x1 else ("holds" if all(x.holds for x in x1) else "breaks")
        cur_row["x2"] = None if not x2 else ("holds" if all(x.holds for x in x2) else "breaks")
        a, b = ("\n".join(s.text for s in r.sections if s.number in NARRATIVE_SECTIONS) for r in (cur, prev))
        cur_row["x4_rate"] = repetition_rate(a, b) if a.strip() and b.strip() else None

    out = dict(tables)
    if rows:
        out["reports"] = pa.Table.from_pylist(rows, schema=_with_series(reports.schema))
    findings = tables["findings"]
    if cross_rows:
        extra = pa.Table.from_pylist(cross_rows, schema=findings.schema)
        findings = pa.concat_tables([findings, extra])
        findings = findings.sort_by([("report_id", "ascending"), ("check_id", "ascending"), ("message", "ascending")])
    out["findings"] = findings
    distinct = {b.id: b for b in bodies.values()}
    by_body: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        if r["body_id"]:
            by_body[r["body_id"]].append(r)
    body_rows = []
    for bid in sorted(distinct):
        b = distinct[bid]
        level = infer_body(b.name)[1]
        mine = by_body.get(bid, [])
        body_rows.append({"body_id": bid, "name": b.name, "region": region_of(b.name),
                          "level": level.value if level else None, "names": "；".join(sorted(b.names)),
                          "n_reports": len(mine), "years": ",".join(str(y) for y in sorted({
                              r["year"] for r in mine if r["year"]}))})
    out["bodies"] = pa.Table.from_pylist(body_rows, schema=pa.schema([
        ("body_id", pa.string()), ("name", pa.string()), ("region", pa.string()), ("level", pa.string()),
        ("names", pa.string()), ("n_reports", pa.int64()), ("years", pa.string())]))
    alias = sorted((k, b.id) for b in distinct.values() for k in b.keys)
    out["aliases"] = pa.table({"key": pa.array([a[0] for a in alias], pa.string()),
                               "body_id": pa.array([a[1] for a in alias], pa.string())})
    return out, len(pairs)


def _with_series(schema: Any) -> Any:
    import pyarrow as pa

    fields = [f for f in schema if f.name not in SERIES_SCHEMA]
    return pa.schema([*fields, *((name, getattr(pa, t)()) for name, t in SERIES_SCHEMA.items())])
