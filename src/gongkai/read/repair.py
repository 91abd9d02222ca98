"""Identity-constrained repair: the cells as read → cells with every doubt made explicit.

* A row of 三 read from a digit run (V16) with several splits that satisfy I4 is resolved jointly with
  I1 and I3 across rows, then with the narrative numbers. What stays ambiguous becomes ``uncertain``
  with ``candidates``.
* A garbage cell (OCR) that the identities determine uniquely gets status ``repaired`` with its
  printed text in ``raw``; otherwise it stays ``uncertain``.
* A clean reading that breaks the identities through one cell makes that cell ``uncertain``.
* The last number of the row a page was cut in is never trusted.

The cells come from :mod:`.cells`; this stage only works on them (it reads no text).
"""
from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from decimal import Decimal

from ..formats import Equation, Format, get_format
from ..report import NarrativeFact, Status
from .cells import TRUSTED, Assembled, _cell, _source
from .lines import Line
from .numbers import Number

MAX_COMBINATIONS = 5_000


# --- joint resolution and repair ---------------------------------------------------------------------
def resolve_open_rows(out: Assembled, fmt: Format, collapsed: frozenset[str],
                      facts: Sequence[NarrativeFact]) -> None:
    """Choose among the I4-consistent splits of ambiguous rows with I1 and I3, then the narrative."""
    if not out.open_rows:
        return
    cols = [c.key for c in fmt.s3.columns]
    eqs = [e for e in fmt.equations(collapsed=collapsed) if e.id in ("I1", "I3")]
    rows = list(out.open_rows)
    options = [out.open_rows[r] for r in rows]
    total = math.prod(len(o) for o in options)
    base = {k: c.value for k, c in out.cells.items() if c.value is not None and c.status in TRUSTED}
    where = {f"s3.{r}.{c}": (ri, ci) for ri, r in enumerate(rows) for ci, c in enumerate(cols)}
    # each identity as: a fixed part + one lookup table per open row it involves (per choice of split)
    tables: list[tuple[Number, list[tuple[int, list[Number]]]]] = []
    for e in eqs:
        fixed: Number = 0
        per_row: dict[int, list[Number]] = {}
        usable = True
        for k, sign in [(k, 1) for k in e.lhs] + [(k, -1) for k in e.rhs]:
            if k in where:
                ri, ci = where[k]
                col = [sign * opt[ci] for opt in options[ri]]
                prev = per_row.get(ri)
                per_row[ri] = col if prev is None else [a + b for a, b in zip(prev, col, strict=True)]
            elif k in base:
                fixed += sign * base[k]  # type: ignore[operator]
            else:
                usable = False
                break
        if usable and per_row:
            tables.append((fixed, list(per_row.items())))
    fact_tables = []
    for f in facts:
        if f.key in where:
            ri, ci = where[f.key]
            fact_tables.append((ri, [1 if opt[ci] == f.value else 0 for opt in options[ri]]))
    scored: list[tuple[int, int, tuple[int, ...]]] = []
    exact = _satisfying(options, tables)
    if exact:
        # every usable identity holds: rank only by the narrative numbers
        for combo in exact:
            fk = sum(t[combo[ri]] for ri, t in fact_tables)
            scored.append((len(tables), fk, combo))
    elif total <= MAX_COMBINATIONS:
        for combo in itertools.product(*[range(len(o)) for o in options]):
            ok = 0
            for fixed, parts in tables:
                if fixed + sum(t[combo[ri]] for ri, t in parts) == 0:
                    ok += 1
            fk = sum(t[combo[ri]] for ri, t in fact_tables)
            scored.append((ok, fk, combo))
    if not scored:
        for r in rows:
            _mark_open(out, r, cols, note="数字连在一起，组合过多，无法确定拆法")
        return
    best_ok = max(s[0] for s in scored)
    top = [s for s in scored if s[0] == best_ok]
    best_fk = max(s[1] for s in top)
    top = [s for s in top if s[1] == best_fk]
    for pos, r in enumerate(rows):
        choices = {s[2][pos] for s in top}
        line = out.open_sources[r]
        split = out.open_rows[r][min(choices)]
        if len(choices) == 1:
            for i, c in enumerate(cols):
                out.cells[f"s3.{r}.{c}"] = _cell(value=split[i], status=Status.OK, raw=line.run,
                                                source=_source(line, i), note="数字连在一起，按勾稽关系拆分")
        else:
            alts_all = [out.open_rows[r][ch] for ch in sorted(choices)]
            for i, c in enumerate(cols):
                alts = tuple(dict.fromkeys(a[i] for a in alts_all if a[i] != split[i]))
                out.cells[f"s3.{r}.{c}"] = _cell(
                    value=split[i], status=Status.UNCERTAIN if alts else Status.OK, raw=line.run,
                    candidates=alts, source=_source(line, i),
                    note=f"数字连在一起（{line.run}），{len(choices)}种拆法都满足勾稽关系" if alts else None)
    out.open_rows.clear()


def _satisfying(options: list[list[tuple[Number, ...]]],
                tables: list[tuple[Number, list[tuple[int, list[Number]]]]],
                *, limit: int = 100_000, most: int = 64) -> list[tuple[int, ...]]:
    """Choices of split (one per open row) under which every identity holds: backtracking with
    interval bounds (each identity must still be able to reach 0 with the rows not yet chosen)."""
    n = len(options)
    by_row: dict[int, list[int]] = {}
    for ei, (_, parts) in enumerate(tables):
        for ri, _t in parts:
            by_row.setdefault(ri, []).append(ei)
    bounds = [{ri: (min(t), max(t)) for ri, t in parts} for _, parts in tables]
    order = sorted(range(n), key=lambda r: len(options[r]))
    chosen: list[int | None] = [None] * n
    sols: list[tuple[int, ...]] = []
    steps = 0

    def feasible(ri: int) -> bool:
        for ei in by_row.get(ri, ()):
            fixed, parts = tables[ei]
            lo = hi = fixed
            for r, t in parts:
                ch = chosen[r]
                if ch is None:
                    a, b = bounds[ei][r]
                    lo += a
                    hi += b
                else:
                    lo += t[ch]
                    hi += t[ch]
            if not lo <= 0 <= hi:
                return False
        return True

    def bt(i: int) -> None:
        nonlocal steps
        if steps > limit or len(sols) >= most:
            return
        if i == n:
            sols.append(tuple(c or 0 for c in chosen))
            return
        ri = order[i]
        for ch in range(len(options[ri])):
            steps += 1
            chosen[ri] = ch
            if feasible(ri):
                bt(i + 1)
        chosen[ri] = None

    bt(0)
    return sols if steps <= limit and len(sols) < most else []


def _mark_open(out: Assembled, r: str, cols: list[str], *, note: str) -> None:
    line = out.open_sources[r]
    split = out.open_rows[r][0]
    for i, c in enumerate(cols):
        alts = tuple(dict.fromkeys(s[i] for s in out.open_rows[r] if s[i] != split[i]))
        out.cells[f"s3.{r}.{c}"] = _cell(value=split[i], status=Status.UNCERTAIN, raw=line.run, candidates=alts[:10],
                                        source=_source(line, i), note=note)


def _holds(e: Equation, vals: dict[str, Number | None]) -> bool:
    try:
        lhs = sum(vals[k] for k in e.lhs)  # type: ignore[misc]
        rhs = sum(vals[k] for k in e.rhs)  # type: ignore[misc]
    except (KeyError, TypeError):
        return False
    return lhs == rhs


def repair_garbage(out: Assembled, fmt: Format, collapsed: frozenset[str]) -> None:
    """Fill each unreadable cell that the identities determine uniquely (status ``repaired``)."""
    eqs = fmt.equations(collapsed=collapsed)
    for _ in range(6):
        unknown = {k for k, c in out.cells.items() if c.value is None and c.status is Status.UNCERTAIN}
        if not unknown:
            return
        changed = False
        for key in sorted(unknown):
            solutions: set[Number] = set()
            involved = [e for e in eqs if key in e.lhs or key in e.rhs]
            for e in involved:
                others = [k for k in (*e.lhs, *e.rhs) if k != key]
                if any(k not in out.cells or out.cells[k].value is None or out.cells[k].status not in TRUSTED
                       for k in others):
                    continue
                if (*e.lhs, *e.rhs).count(key) != 1:
                    continue
                lhs = sum(out.cells[k].number for k in e.lhs if k != key)
                rhs = sum(out.cells[k].number for k in e.rhs if k != key)
                v = rhs - lhs if key in e.lhs else lhs - rhs
                solutions.add(v)
            if len(solutions) == 1:
                v = solutions.pop()
                if isinstance(v, Decimal) or v < 0:
                    continue
                old = out.cells[key]
                out.cells[key] = _cell(value=int(v), status=Status.REPAIRED, raw=old.raw, source=old.source,
                                      note=f"原文“{old.raw}”无法识别，由勾稽关系唯一确定为{int(v)}",
                                      confidence=old.confidence)
                changed = True
        if not changed:
            return


_CLEAN_NUMBER = re.compile(r"\d+")


def flag_single_cell_errors(out: Assembled, fmt: Format, collapsed: frozenset[str], *, ocr: bool = False) -> None:
    """When every failing identity runs through one and the same cell, and one value of that cell
    makes them all hold, that cell is the likely misreading (an OCR 8 read as 3): it becomes
    ``uncertain`` with that value as candidate — or ``repaired`` for OCR input, its text kept."""
    eqs = fmt.equations(collapsed=collapsed)
    # each cell's number (Draft.number), looked up once per key below: the cells do not change until the end
    number = {k: 0 if c.value is None else c.value for k, c in out.cells.items()}.__getitem__

    def residual(e: Equation) -> Number | None:
        try:
            return sum(map(number, e.lhs)) - sum(map(number, e.rhs))
        except KeyError:
            return None

    failing = [e for e in eqs if (r := residual(e)) is not None and r != 0]
    if not failing or len(failing) > 6:
        return
    common = set(failing[0].lhs + failing[0].rhs)
    for e in failing[1:]:
        common &= set(e.lhs + e.rhs)
    fixes: dict[str, int] = {}
    for key in common:
        cell = out.cells.get(key)
        if cell is None or cell.status not in (Status.OK,) or not isinstance(cell.value, int):
            continue
        shifts = set()
        for e in (e for e in eqs if key in e.lhs or key in e.rhs):
            r = residual(e)
            if r is None:
                shifts = {None}
                break
            shifts.add(-r if key in e.lhs else r)
        if len(shifts) == 1 and None not in shifts:
            new = cell.value + int(shifts.pop())  # type: ignore[arg-type]
            if new >= 0:
                fixes[key] = new
    if len(fixes) != 1:
        return
    key, new = fixes.popitem()
    old = out.cells[key]
    # OCR input: a garbled text (n, O, 1l …) that only one value fits is a misreading we may repair; a clean
    # number is what the page most likely prints (reports with broken identities exist), so a human decides.
    printed = old.raw if old.raw is not None else str(old.value)  # raw is kept only when it differs from the value
    if ocr and not _CLEAN_NUMBER.fullmatch(printed.strip()):
        out.cells[key] = old.model_copy(update={"value": new, "status": Status.REPAIRED, "raw": old.raw or str(old.value),
                                                "note": f"识别为{old.value}，与勾稽关系不符；唯一能使各式成立的值为{new}"})
    else:
        out.cells[key] = old.model_copy(update={"status": Status.UNCERTAIN, "candidates": (new,),
                                                "note": f"勾稽关系不成立，只有本格改为{new}时全部成立，请核对原文"})


def distrust_cut(out: Assembled, line: Line) -> None:
    """The row a page was cut in: cells it never printed are left out (not blank, not repaired later), and
    its last printed number, which may be cut short (12 of 125), is never trusted."""
    base = _source(line)
    if not base:
        return
    mine = [(k, d) for k, d in out.cells.items() if d.source
            and {kk: v for kk, v in d.source.items() if kk != "col"} == base]
    printed = [(k, d) for k, d in mine if d.value is not None and (d.status is not Status.BLANK or (d.raw or "").strip())
               or (d.value is None and (d.raw or "").strip() and line.run is None)]  # an unsplit run is not read
    col = lambda kd: kd[1].source.get("col", -1) if kd[1].source else -1
    last = max(printed, key=col, default=None)
    for k, d in mine:
        if last is None or col((k, d)) > col(last):
            del out.cells[k]  # after the cut: never printed
    if last is None:
        return
    for k, d in mine:
        if k in out.cells and d.status is not Status.UNCERTAIN:
            # the last number may be cut short; where the cells of a row cut short sit is a guess too
            note = "页面在此截断，最后一个数可能不完整" if k == last[0] else "页面在此截断，本行不完整，位置按顺序推定"
            out.cells[k] = d.model_copy(update={"status": Status.UNCERTAIN, "note": note})


def repair(out: Assembled, fmt_id: str, collapsed: frozenset[str], facts: Sequence[NarrativeFact], *,
           ocr: bool = False, cut: Line | None = None) -> Assembled:
    """The repair stage over the cells as read, in order: open splits, garbage, a single culprit, the cut."""
    fmt = get_format(fmt_id)
    if cut is not None:
        distrust_cut(out, cut)  # first: what the page never printed is not there to repair from
    resolve_open_rows(out, fmt, collapsed, facts)
    repair_garbage(out, fmt, collapsed)
    flag_single_cell_errors(out, fmt, collapsed, ocr=ocr)
    return out


__all__ = ["Assembled", "distrust_cut", "repair", "repair_garbage", "resolve_open_rows"]
