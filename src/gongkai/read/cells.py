"""Cells: aligned rows → one cell per canonical key, as printed (the stage after alignment).

Every value is read here, once, from the lines alignment chose (:mod:`~gongkai.read.numbers` reads a cell's
text or splits a digit run): section 二 row by row, 三 row by row (a run with several I4-consistent splits
is left *open* for repair), 四 as its 15 numbers. What the printed page alone cannot place is marked
``uncertain`` with the reason. The identities across rows are the next stage's work (:mod:`.repair`).
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from ..formats import Format, Row, RowKind, Table, ValueType, get_format
from ..report import Cell, ExtraRow, NarrativeFact, Status
from .align import Alignment
from .lines import Line
from .numbers import Number, Token, cell_tokens, parse_cell, split_row, split_run, split_s4, with_confidence

S3_TYPES = [ValueType.INT] * 7
S4_TYPES = [ValueType.INT] * 15
TRUSTED = frozenset({Status.OK, Status.BLANK, Status.REPAIRED})


@dataclass
class Assembled:
    cells: dict[str, Draft] = field(default_factory=dict)
    extras: list[ExtraRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # rows of 三 whose split is still open: row key -> candidate tuples
    open_rows: dict[str, list[tuple[Number, ...]]] = field(default_factory=dict)
    open_sources: dict[str, Line] = field(default_factory=dict)


@dataclass(slots=True)
class Draft:
    """A cell while the reader works on it (cheap to make and change); the Report validates it once."""

    value: Number | None = None
    status: Status = Status.OK
    raw: str | None = None
    source: dict[str, int | None] | None = None
    unit: str | None = None
    note: str | None = None
    confidence: float | None = None
    candidates: tuple[Number, ...] = ()

    @property
    def number(self) -> Number:
        return self.value if self.value is not None else 0

    def model_copy(self, *, update: dict[str, object]) -> Draft:
        return replace(self, **update)  # type: ignore[arg-type]

    def as_dict(self) -> dict[str, object]:
        """The fields that are not None, in field order (what :class:`Cell` is validated from)."""
        out: dict[str, object] = {}
        if self.value is not None:
            out["value"] = self.value
        if self.status is not None:
            out["status"] = self.status
        if self.raw is not None:
            out["raw"] = self.raw
        if self.source is not None:
            out["source"] = self.source
        if self.unit is not None:
            out["unit"] = self.unit
        if self.note is not None:
            out["note"] = self.note
        if self.confidence is not None:
            out["confidence"] = self.confidence
        if self.candidates is not None:
            out["candidates"] = self.candidates
        return out

    def to_cell(self) -> Cell:
        return Cell.model_validate(self.as_dict())


_cell = Draft


def _source(line: Line, col: int | None = None) -> dict[str, int | None]:
    out: dict[str, int | None] = {}
    if line.page is not None:
        out["page"] = line.page
    if line.line is not None:
        out["line"] = line.line
    if line.table is not None:
        out["table"] = line.table
    if line.row is not None:
        out["row"] = line.row
    if col is not None:
        out["col"] = col
    return out


def _line_drafts(toks: Sequence[Token], line: Line, first_col: int = 0) -> list[Draft]:
    """The cells the tokens of a line read as, the first in column ``first_col``. The line's part of the
    source is worked out once: each cell still gets a dict of its own, with the same keys in the same order
    as ``_source(line, col)``."""
    base = _source(line)
    out: list[Draft] = []
    append = out.append
    ok, blank = Status.OK, Status.BLANK
    for col, tok in enumerate(toks, first_col):
        source = base.copy()
        source["col"] = col
        kind, raw = tok.kind, tok.raw
        if kind == "garbage":
            append(Draft(None, Status.UNCERTAIN, raw, source, None, "无法识别的数字", tok.confidence))
            continue
        value = tok.value
        # (positional: value, status, raw, source, unit, note, confidence — the cell made most often)
        append(Draft(value, blank if kind == "blank" else ok, raw if raw.strip() != str(value) else None,
                     source, tok.unit, tok.note, tok.confidence))
    return out


def _cell_from_token(tok: Token, line: Line, col: int) -> Draft:
    return _line_drafts((tok,), line, col)[0]


def _line_tokens(line: Line, types: Sequence[ValueType]) -> tuple[list[Token], bool]:
    """:func:`cell_tokens` of the line's value cells, each token with its cell's OCR confidence. The row a
    page was cut in may end in the start of the next row (``5`` of ``5.属于…``): only its first cells count."""
    cells = line.cells
    if line.extra.get("cut") and len(cells) > len(types):
        cells = cells[: len(types)]
    return cell_tokens(cells, types, line.confidence)


def _conf(line: Line, i: int) -> float | None:
    """The OCR confidence of value cell ``i`` of the line (None when not read by OCR)."""
    return line.confidence[i] if i < len(line.confidence) else None


def _run_cells(run: str | None, n: int) -> list[str] | None:
    """A run whose whitespace-separated tokens are exactly the ``n`` cells (``0 1 1 0 2``, ``33 - -``)."""
    if run is None:
        return None
    toks = run.split()
    if len(toks) != n:
        return None
    if any(parse_cell(t, ValueType.SIGNED_INT).kind == "garbage" and parse_cell(t, ValueType.MONEY).kind == "garbage"
           for t in toks):
        return None
    return toks


# --- section 二 -------------------------------------------------------------------------------------
def _s2_rows(fmt: Format) -> tuple[tuple[Table, Row, list[str], list[ValueType]], ...]:
    """Each data row of section 二's tables with its cell keys and column types (shared: read only)."""
    return tuple((table, row, [table.cell_key(row, c) for c in table.columns], [c.type for c in table.columns])
                 for table in fmt.tables_of(2) for row in table.data_rows)


def assemble_s2(al: Alignment, fmt: Format, facts: Sequence[NarrativeFact], out: Assembled) -> None:
    fact_values: dict[str, set[int]] = {}
    for f in facts:
        fact_values.setdefault(f.key, set()).add(f.value)
    for table, row, keys, types in fmt.derived("reader.s2_rows", _s2_rows):
        line = al.s2.get(row.key or "")
        if line is None:
            continue
        cells = _run_cells(line.run, len(types)) if len(types) > 1 else None
        if line.run is not None and cells is None:
            _s2_from_run(line, table, keys, types, fact_values, out)
        else:
            toks, fits = cell_tokens(cells, types) if cells is not None else _line_tokens(line, types)
            if fits:
                out.cells.update(zip(keys, _line_drafts(toks, line), strict=True))
            else:
                _s2_partial(line, keys, types, toks, out)
    _s2_loose_annotations(al, fmt, out)
    for ln in al.s2_unknown:
        # a row the format does not have (V3: 其他主动公开文件): kept apart, its numbers not dropped
        out.extras.append(ExtraRow(table=None, label=ln.label, kind="unknown",
                                   values=tuple(_cell_from_token(with_confidence(parse_cell(c), _conf(ln, i)), ln, i)
                                                .to_cell() for i, c in enumerate(ln.cells)),
                                   note="格式中没有的行，单独保留"))


def _s2_from_run(line: Line, table: Table, keys: list[str], types: list[ValueType],
                 fact_values: dict[str, set[int]], out: Assembled) -> None:
    if len(types) == 1:
        tok = parse_cell(line.run or "", types[0])
        out.cells[keys[0]] = _cell_from_token(tok, line, 0)
        return
    splits, unit, complete = split_run(line.run or "", types)
    if not splits:
        for i, k in enumerate(keys):
            out.cells[k] = _cell(value=None, status=Status.UNCERTAIN, raw=line.run, source=_source(line, i),
                                note="数字连在一起，无法拆分")
        return
    narrowed = splits
    used_facts = False
    for i, k in enumerate(keys):
        if k in fact_values:
            keep = [s for s in narrowed if s[i] in fact_values[k]]
            if keep:
                narrowed, used_facts = keep, True
    ranked = sorted(narrowed, key=lambda s: -_plausibility(keys, s))
    best = ranked[0]
    unique = len(narrowed) == 1 and complete
    for i, k in enumerate(keys):
        alts = tuple(dict.fromkeys(s[i] for s in ranked[:12]))
        if unique:
            note = "数字连在一起，按正文数字拆分" if used_facts and len(splits) > 1 else None
            out.cells[k] = _cell(value=best[i], status=Status.OK, raw=line.run, source=_source(line, i),
                                unit=unit if types[i] is ValueType.MONEY else None, note=note)
        else:
            out.cells[k] = _cell(value=best[i], status=Status.UNCERTAIN, raw=line.run, source=_source(line, i),
                                unit=unit if types[i] is ValueType.MONEY else None,
                                candidates=tuple(a for a in alts if a != best[i]),
                                note=f"数字连在一起（{line.run}），有{len(narrowed)}种拆法，需人工核对")


def _plausibility(keys: list[str], s: tuple[Number, ...]) -> float:
    """A prior for splits of a section 二 row, used only to order candidates of an uncertain row."""
    cols = [k.rsplit(".", 1)[1] for k in keys]
    vals = dict(zip(cols, s, strict=True))
    score = 0.0
    if "amount" not in vals:  # counts of one row are usually of a similar size
        lengths = [len(str(abs(int(v)))) for v in s]
        score -= 0.5 * (max(lengths) - min(lengths))
    if "in_force" in vals:
        issued, in_force = max(int(vals["issued"]), 1), int(vals["in_force"])
        if in_force < int(vals["issued"]) or in_force < int(vals["repealed"]):
            score -= 3
        score -= abs(math.log10(max(in_force, 1) / issued) - 1)
    if "delta" in vals and "prev_year_items" in vals and abs(int(vals["delta"])) > int(vals["prev_year_items"]):
        score -= 0.5  # the yearly change in the number of items is usually smaller than the number
    if "items" in vals and "amount" in vals:
        # centralised procurement: an average project is worth about 10^5 元 (10^3 … 10^7)
        per_item = float(vals["amount"]) / max(int(vals["items"]), 1)
        score -= 0.5 * abs(math.log10(max(per_item, 1e-6)) - 5)
    if "new_published" in vals:
        if vals["new_made"] == vals["new_published"]:
            score += 1
        if vals["total_published"] < vals["new_published"]:
            score -= 3
    return score


def _s2_partial(line: Line, keys: list[str], types: list[ValueType], toks: list[Token], out: Assembled) -> None:
    """Fewer cells than columns: placed from the right (the last column is rarely the lost one), uncertain."""
    n = len(keys)
    vals = [t for t in toks if t.kind != "blank" or t.raw.strip()]
    if len(vals) > n:
        vals = vals[:n]
    offset = 0 if line.extra.get("cut") else n - len(vals)  # a row cut by the page's end lacks its last cells
    for i, k in enumerate(keys):
        j = i - offset
        if 0 <= j < len(vals) and vals[j].kind != "garbage":
            out.cells[k] = _cell(value=vals[j].value, status=Status.UNCERTAIN, raw=vals[j].raw,
                                source=_source(line, i), note="本行单元格数少于表头，位置不确定",
                                confidence=vals[j].confidence)
        else:
            out.cells[k] = _cell(value=None, status=Status.UNCERTAIN, source=_source(line, i),
                                note="本行缺少单元格")
    out.notes.append(f"第二部分“{line.label}”一行缺少单元格")


def _s2_loose_annotations(al: Alignment, fmt: Format, out: Assembled) -> None:
    """Loose annotated numbers (22（其中修订16件）) next to a row short of a cell (V20): placed by
    what the annotation says (修订/制发 → issued, 失效/废止 → repealed), still uncertain."""
    loose: list[tuple[Token, str, Line]] = []
    for raw, annotation, ln in al.s2_loose:
        t = parse_cell(raw)
        if t.kind == "ok" and annotation:
            loose.append((t, annotation, ln))
    if not loose or fmt.id != "2021":
        return
    # annotations printed on the line after the number
    words = {"issued": ("修订", "制发", "制定", "新制"), "repealed": ("失效", "废止")}
    table = fmt.table("s2.1")
    short_rows = [r for r in table.data_rows
                  if any(out.cells.get(table.cell_key(r, c), Draft()).note == "本行缺少单元格" for c in table.columns)]
    for (tok, note, ln), row in zip(loose, short_rows, strict=False):
        col = next((c for c, ws in words.items() if any(w in note for w in ws)), None)
        if col is None:
            continue
        line = al.s2[row.key or ""]
        types = [c.type for c in table.columns]
        vals = [t for t in _line_tokens(line, types)[0] if t.kind == "ok"]
        order = [c.key for c in table.columns]
        target = order.index(col)
        rest = iter(vals)
        for i, c in enumerate(order):
            key = table.cell_key(row, table.columns[i])
            if i == target:
                out.cells[key] = _cell(value=tok.value, status=Status.UNCERTAIN, raw=tok.raw, note=note,
                                      source=_source(ln, i))
            else:
                t = next(rest, None)
                if t is not None:
                    out.cells[key] = _cell(value=t.value, status=Status.UNCERTAIN, raw=t.raw, source=_source(line, i),
                                          note="表格错位，按附注重建", confidence=t.confidence)


# --- section 三 -------------------------------------------------------------------------------------
@lru_cache(maxsize=256)  # a row key of table 三 and its columns: a few dozen of them
def _s3_keys(row_key: str | None, cols: tuple[str, ...]) -> list[str]:
    return [f"s3.{row_key}.{c}" for c in cols]


def assemble_s3(al: Alignment, fmt: Format, out: Assembled) -> None:
    cols = tuple(c.key for c in fmt.s3.columns)
    for m in al.s3:
        line = m.line
        row = m.row
        if row.kind is RowKind.GROUP:
            toks, fits = (_line_tokens(line, S3_TYPES) if line.run is None else ([], False))
            out.extras.append(ExtraRow(table="s3", label=line.label or row.label, kind="subtotal",
                                       values=tuple(d.to_cell() for d in _line_drafts(toks, line)),
                                       note="非官方小计行，不参与勾稽"))
            continue
        keys = _s3_keys(row.key, cols)  # shared: read only
        run_cells = _run_cells(line.run, len(cols))
        if line.run is not None and run_cells is None:
            splits, complete = split_row(line.run)
            if len(splits) == 1 and complete:
                for i, k in enumerate(keys):
                    out.cells[k] = _cell(value=splits[0][i], status=Status.OK, raw=line.run,
                                        source=_source(line, i))
            elif splits:
                out.open_rows[row.key or ""] = list(splits)  # type: ignore[arg-type]
                if not complete:
                    out.notes.append(f"第三部分“{line.label}”一行的拆分搜索未穷尽")
                out.open_sources[row.key or ""] = line
            else:
                for i, k in enumerate(keys):
                    out.cells[k] = _cell(value=None, status=Status.UNCERTAIN, raw=line.run, source=_source(line, i),
                                        note="数字连在一起，没有满足“总计=各列之和”的拆法")
            continue
        toks, fits = cell_tokens(run_cells, S3_TYPES) if run_cells is not None else _line_tokens(line, S3_TYPES)
        placed_sure = True
        if fits and run_cells is None and len(line.cells) > len(cols):
            toks, placed_sure = _surplus_empties_by_i4(line, toks, len(cols))
        if not fits and len(toks) == 8:
            # a non-official 法人或其他组织 subtotal column (V15)
            vals = [t.value for t in toks]
            if all(v is not None for v in vals[1:7]) and vals[1] == sum(vals[2:7]):  # type: ignore[arg-type]
                out.extras.append(ExtraRow(table="s3", label=f"{line.label}（法人或其他组织小计）", kind="column",
                                           values=(_cell_from_token(toks[1], line, 1).to_cell(),)))
                toks, fits = [toks[0], *toks[2:]], True
        if fits and placed_sure and not m.by_position:  # (most rows: the cells as read)
            out.cells.update(zip(keys, _line_drafts(toks, line), strict=True))
        elif fits:
            for k, cell in zip(keys, _line_drafts(toks, line), strict=True):
                if not placed_sure:
                    cell = cell.model_copy(update={"status": Status.UNCERTAIN, "note": _SURPLUS_UNSURE})
                if m.by_position and cell.status is not Status.UNCERTAIN:
                    cell = cell.model_copy(update={"status": Status.UNCERTAIN,
                                                   "note": "行名缺失，按行序推定，该段行数与格式不符"})
                out.cells[k] = cell
        else:
            guess = _one_blank_lost(toks, len(keys)) if not line.extra.get("cut") else None
            placed = guess if guess is not None else toks
            note = ("本行少一个单元格，按“总计=各列之和”补一个空格，位置不确定" if guess is not None
                    else f"本行读到{len(toks)}个数，应为7个，位置不确定")
            for i, k in enumerate(keys):
                t = placed[i] if i < len(placed) else None
                out.cells[k] = _cell(value=t.value if t else None, status=Status.UNCERTAIN,
                                    raw=t.raw if t else None, source=_source(line, i),
                                    note=note, confidence=t.confidence if t else None)


_SURPLUS_UNSURE = "空单元格多于列数，位置不确定"


def _surplus_empties_by_i4(line: Line, toks: list[Token], n: int) -> tuple[list[Token], bool]:
    """A row with empty cells beyond its 7 (merged label columns printed empty, an empty 总计): which end the
    surplus comes off is decided by 总计 = the sum of the others when only one choice satisfies it. Returns
    the tokens and whether their placement is sure (False when more than one choice satisfies it)."""
    cells = list(line.cells)
    surplus = len(cells) - n
    options: dict[tuple[Number | None, ...], list[Token]] = {}
    for lead in range(surplus + 1):
        trail = surplus - lead
        dropped = cells[:lead] + (cells[len(cells) - trail:] if trail else [])
        if any(c.strip() for c in dropped):
            continue
        kept, ok = cell_tokens(cells[lead:len(cells) - trail], S3_TYPES)
        values = tuple(t.value for t in kept)
        if ok and None not in values and sum(values[:-1]) == values[-1]:  # type: ignore[arg-type]
            options.setdefault(values, kept)
    if len(options) == 1:
        return next(iter(options.values())), True
    return toks, len(options) == 0


def _one_blank_lost(toks: list[Token], n: int) -> list[Token] | None:
    """A row of 三 one cell short that prints empty cells (one of them lost in the layout, as a bare "|"
    read as a boundary): the empty cell put back where 总计 = the sum of the other cells holds, choosing
    the values most insertion points agree on. The row stays uncertain: its positions are a guess."""
    if len(toks) != n - 1 or not any(t.kind == "blank" for t in toks) or any(t.value is None for t in toks):
        return None
    blank = Token(0, "blank", "")
    votes: dict[tuple[Number, ...], list[Token]] = {}
    count: dict[tuple[Number, ...], int] = {}
    for pos in range(n):
        cand = [*toks[:pos], blank, *toks[pos:]]
        values = tuple(t.value for t in cand)
        if sum(values[:-1]) == values[-1]:  # type: ignore[arg-type]
            votes.setdefault(values, cand)  # type: ignore[arg-type]
            count[values] = count.get(values, 0) + 1  # type: ignore[index]
    if not count:
        return None
    best = max(count, key=lambda v: count[v])
    return votes[best]


# --- section 四 -------------------------------------------------------------------------------------
def assemble_s4(al: Alignment, fmt: Format, out: Assembled) -> None:
    lines = al.s4
    if not lines:
        return
    s4 = fmt.s4
    keys = [s4.cell_key(s4.rows[0], c) for c in s4.columns]
    runs = [ln for ln in lines if ln.run is not None]
    cell_lines = [ln for ln in lines if ln.run is None]
    toks: list[tuple[Token, Line, int]] = []
    flat_cells: list[tuple[str, Line, int]] = []
    flat_conf: list[float | None] = []
    for ln in cell_lines:
        cells = list(ln.cells)
        skip = 1 if len(cells) == 16 and not cells[0].strip() and ln.from_table else 0  # an empty label column
        flat_cells.extend((c, ln, i) for i, c in enumerate(cells[skip:]))
        flat_conf.extend(_conf(ln, i) for i in range(skip, len(cells)))
    if not runs and cell_lines and cell_lines[-1].extra.get("cut") and len(flat_cells) < 15:
        # the row the page was cut in: its cells in order, empty ones included, none of them trusted
        for k, (c, ln, i), conf in zip(keys, flat_cells, flat_conf, strict=False):
            t = with_confidence(parse_cell(c), conf)
            out.cells[k] = _cell(value=t.value, status=Status.UNCERTAIN, raw=t.raw, source=_source(ln, i),
                                note="第四部分在此截断，按位置读取", confidence=t.confidence)
        return
    read, fits = cell_tokens([c for c, _, _ in flat_cells], S4_TYPES, flat_conf)
    start = 0
    if not runs and fits:
        # cell_tokens only drops empty cells at the ends: map the kept tokens back to their lines
        start = next((j for j in range(len(flat_cells) - 14) if
                      [parse_cell(c).raw for c, _, _ in flat_cells[j:j + 15]] == [t.raw for t in read]), 0)
    # fewer cells than tokens (a cell printed with two numbers): no one-to-one map, read by the general path below
    if not runs and fits and len(flat_cells) - start >= 15:
        values = [t.value if t.value is not None else 0 for t in read]
        # one group off is a report printed with a wrong total (kept as printed); two or three groups off is
        # what a shift of the 15 positions gives
        failing = sum(1 for b in range(0, 15, 5) if sum(values[b:b + 4]) != values[b + 4])  # type: ignore[arg-type]
        confirmed = failing <= 1
        for k, cell in zip(keys, _drafts_by_line(read, flat_cells[start:start + 15]), strict=True):
            if not confirmed and cell.status is not Status.UNCERTAIN:
                # placed by position only and the group totals do not confirm it: a shifted or misread
                # row would be silent, so a human looks
                cell = cell.model_copy(update={"status": Status.UNCERTAIN,
                                               "note": "第四部分按位置读取，各组总计与分项之和不符，请核对原文"})
            out.cells[k] = cell
        return
    for (c, ln, i), conf in zip(flat_cells, flat_conf, strict=True):
        if c.strip():
            toks.append((with_confidence(parse_cell(c), conf), ln, i))
    if not runs and len(toks) > 15:
        # keep the last complete 15 (a header fragment with digits may precede)
        tail = toks[-15:]
        for k, (t, ln, i) in zip(keys, tail, strict=True):
            out.cells[k] = _cell_from_token(t, ln, i).model_copy(
                update={"status": Status.UNCERTAIN, "note": "第四部分读到多于15个数"})
        return
    if runs and not toks:
        run = " ".join(ln.run or "" for ln in runs)
        as_cells = _run_cells(run, 15)
        if as_cells is not None:
            for i, (k, c) in enumerate(zip(keys, as_cells, strict=True)):
                out.cells[k] = _cell_from_token(parse_cell(c), runs[-1], i)
            return
        splits, complete = split_s4(run)
        line = runs[-1]
        if len(splits) == 1 and complete:
            for i, k in enumerate(keys):
                out.cells[k] = _cell(value=splits[0][i], status=Status.OK, raw=run, source=_source(line, i))
            return
        if splits:
            best = splits[0]
            for i, k in enumerate(keys):
                alts = tuple(dict.fromkeys(s[i] for s in splits if s[i] != best[i]))
                out.cells[k] = _cell(value=best[i], status=Status.UNCERTAIN if alts else Status.OK, raw=run,
                                    candidates=alts[:10], source=_source(line, i),
                                    note=f"数字连在一起，有{len(splits)}种拆法" if alts else None)
            return
    # anything else: what we have, in order, uncertain
    for k, (t, ln, i) in zip(keys, toks, strict=False):
        out.cells[k] = _cell(value=t.value, status=Status.UNCERTAIN, raw=t.raw, source=_source(ln, i),
                            note=f"第四部分读到{len(toks)}个数，应为15个", confidence=t.confidence)


def _drafts_by_line(toks: Sequence[Token], placed: Sequence[tuple[str, Line, int]]) -> list[Draft]:
    """``_cell_from_token(t, ln, i)`` of each token and its (cell, line, column), one ``_line_drafts`` per run
    of cells of the same line in consecutive columns (a slice of one line's cells, as section 四 places them)."""
    out: list[Draft] = []
    j, n = 0, len(placed)
    while j < n:
        ln, first = placed[j][1], placed[j][2]
        k = j + 1
        while k < n and placed[k][1] is ln and placed[k][2] == first + (k - j):
            k += 1
        out += _line_drafts(toks[j:k], ln, first)
        j = k
    return out


@dataclass
class ReadCells:
    """The cells as read from the aligned rows, and the formats they were read in."""

    cells: Assembled
    format_id: str  # the report's format (table 三 decides it)
    section_formats: dict[str, str]  # {"s2": id} when section 二 is printed in the other format
    collapsed: frozenset[str]  # groups of 三 printed as one row (（六）其他处理)


def read_cells(al: Alignment, facts: Sequence[NarrativeFact]) -> ReadCells:
    """Every cell of sections 二, 三 and 四 from the alignment (the narrative numbers only choose among the
    splits of a digit run of 二)."""
    out = Assembled()
    s3_fmt_id = al.s3_format or al.s2_format or "2021"
    s2_fmt_id = al.s2_format or s3_fmt_id
    if not al.s3:
        s3_fmt_id = s2_fmt_id
    report_fmt = get_format(s3_fmt_id)
    assemble_s2(al, get_format(s2_fmt_id), facts, out)
    assemble_s3(al, report_fmt, out)
    assemble_s4(al, report_fmt, out)
    collapsed = frozenset({"other"}) if al.s3_collapsed and report_fmt.id == "2021" else frozenset()
    section_formats = {"s2": s2_fmt_id} if s2_fmt_id != report_fmt.id else {}
    return ReadCells(out, report_fmt.id, section_formats, collapsed)


__all__ = ["TRUSTED", "Assembled", "Draft", "ReadCells", "assemble_s2", "assemble_s3", "assemble_s4", "read_cells"]
