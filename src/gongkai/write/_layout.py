"""The printed layout of a report: one structure that every writer walks.

:func:`build_layout` turns a :class:`~gongkai.report.Report` into a :class:`Layout`: the title, the
warning block, the preamble, the six sections and, for sections 二, 三 and 四, a :class:`Grid`: the
table as the national template prints it, with every span explicit. Labels come only from
:mod:`gongkai.formats` (captions, stub, column groups, row labels, the corner note, section headings);
texts only from the report. The HTML, PDF, Markdown, DOCX and XLSX writers all render this one
structure, so a merge or label is right in every output or wrong in all of them.

How a table of the format becomes a grid:

* section 二: one table of ``1 + 3`` columns; each table of the format is a band: a caption row
  (第二十条第（一）项) across the width, a header row with the stub 信息内容, then its rows; a band
  with fewer than three columns lets its last column span the rest (as the template does);
* section 三 / 四: header rows from ``Table.column_groups`` (a group sits one level above every
  group or column it contains; a column with fewer groups above it spans down to the body);
  the corner cell (rows × stub columns) holds ``Table.note``; row labels nest by ``Row.parent``:
  a group row is a vertically merged cell beside its children and carries no numbers; a leaf's
  label spans the remaining stub columns. A collapsed group (``Report.collapsed``) is one leaf row.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal, Protocol

from ..formats import Format, Row, RowKind, Table, ValueType, get_format
from ..formats.vocab import FEE_WORDS, NO_FEE_PATTERNS
from ..report import Cell, Report, Status

Role = Literal["caption", "corner", "head", "stub", "label", "group", "value"]


class FindingLike(Protocol):
    """What a writer needs of a check finding (``gongkai.checks.Finding`` fits)."""

    @property
    def id(self) -> str: ...
    @property
    def level(self) -> str: ...
    @property
    def message(self) -> str: ...


@dataclass(frozen=True)
class GridCell:
    row: int
    col: int
    text: str
    role: Role
    rowspan: int = 1
    colspan: int = 1
    key: str | None = None  # the canonical cell key of a value cell
    value: int | Decimal | None = None  # the value as printed (0 for blank or missing)
    vtype: ValueType | None = None


@dataclass(frozen=True)
class Band:
    """A printed sub-table: ``head`` and ``body`` are [start, stop) ranges of grid rows."""

    caption: str | None
    head: tuple[int, int]
    body: tuple[int, int]


@dataclass(frozen=True)
class Grid:
    id: str  # "s2", "s3", "s4"
    section: int
    n_rows: int
    n_cols: int
    stub_cols: int
    cells: tuple[GridCell, ...]
    bands: tuple[Band, ...]

    def at(self, row: int) -> list[GridCell]:
        return [c for c in self.cells if c.row == row]

    def values(self) -> list[GridCell]:
        return [c for c in self.cells if c.role == "value"]

    def expanded(self) -> list[list[str | None]]:
        """The grid as rows of text, a span's text at its origin and ``None`` where it extends."""
        out: list[list[str | None]] = [["" for _ in range(self.n_cols)] for _ in range(self.n_rows)]
        for c in self.cells:
            for r in range(c.row, c.row + c.rowspan):
                for k in range(c.col, c.col + c.colspan):
                    out[r][k] = None
            out[c.row][c.col] = c.text
        return out


@dataclass(frozen=True)
class Notice:
    """One line of the warning block: a check finding or a note of the writer."""

    level: Literal["error", "warning", "info"]
    id: str
    message: str

    @property
    def text(self) -> str:
        """The line as printed: 【错误】I3：… (the id once; many findings already start with it)."""
        body = self.message if self.message.startswith(self.id) else f"{self.id}：{self.message}"
        return f"【{LEVEL_NAMES[self.level]}】{body}"


@dataclass(frozen=True)
class SectionLayout:
    number: int
    numeral: str
    heading: str
    paragraphs: tuple[str, ...]  # empty: the text is missing (writers print a marked placeholder)
    grid: Grid | None = None


@dataclass(frozen=True)
class Layout:
    title: str
    agency: str | None
    year: int | None
    format_id: str
    preamble: tuple[str, ...]
    sections: tuple[SectionLayout, ...]
    notices: tuple[Notice, ...]
    signature: tuple[str, ...] = ()
    grids: tuple[Grid, ...] = field(default=())


AGENCY_PLACEHOLDER = ""  # no placeholder: a reader would take it for the name
YEAR_PLACEHOLDER = "（年度）"
LEVEL_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}


# --- numbers ------------------------------------------------------------------------------------
def format_number(value: int | Decimal | None, vtype: ValueType | None = None) -> str:
    """A number as printed: integers plain, decimals exact with no padding (96171.60 → 96171.6)."""
    if value is None:
        return "0"
    if isinstance(value, Decimal):
        if value == 0:
            return "0"
        text = format(value.normalize(), "f")
        return text
    return str(value)


def _cell_text(cell: Cell, vtype: ValueType) -> str:
    text = format_number(cell.value, vtype)
    if vtype is ValueType.MONEY and cell.unit:
        text += cell.unit
    return text


# --- grids --------------------------------------------------------------------------------------
def _s2_grid(tables: Sequence[Table], report: Report) -> Grid:
    width = max(len(t.columns) for t in tables)
    n_cols = 1 + width
    cells: list[GridCell] = []
    bands: list[Band] = []
    r = 0
    for t in tables:
        start = r
        if t.caption:
            cells.append(GridCell(r, 0, t.caption, "caption", colspan=n_cols))
            r += 1
        head = r
        cells.append(GridCell(r, 0, t.stub, "stub"))
        for i, c in enumerate(t.columns):
            span = n_cols - 1 - i if i == len(t.columns) - 1 else 1
            cells.append(GridCell(r, 1 + i, c.label, "head", colspan=span))
        r += 1
        for row in t.rows:
            cells.append(GridCell(r, 0, row.label, "label"))
            for i, c in enumerate(t.columns):
                span = n_cols - 1 - i if i == len(t.columns) - 1 else 1
                cells.append(_value_cell(r, 1 + i, t.cell_key(row, c), c.type, report, colspan=span))
            r += 1
        bands.append(Band(t.caption, (start, head + 1), (head + 1, r)))
    return Grid("s2", 2, r, n_cols, 1, tuple(cells), tuple(bands))


def _value_cell(r: int, c: int, key: str, vtype: ValueType, report: Report, *, colspan: int = 1) -> GridCell:
    cell = report.cell(key)
    value = cell.value if cell.value is not None else (Decimal(0) if vtype in (ValueType.WAN_YUAN, ValueType.MONEY)
                                                      else 0)
    return GridCell(r, c, _cell_text(cell, vtype), "value", colspan=colspan, key=key, value=value, vtype=vtype)


def _header_levels(table: Table) -> tuple[int, dict[str, int], list[tuple[str, int, int, int]]]:
    """Header depth, the level of each column, and (label, level, first column index, span) per group."""
    order = [c.key for c in table.columns]
    groups = [(label, set(keys), keys) for label, keys in table.column_groups]
    col_level = {k: sum(1 for _, s, _ in groups if k in s) for k in order}
    depth = max(col_level.values(), default=0) + 1
    placed: list[tuple[str, int, int, int]] = []
    for label, s, keys in groups:
        level = sum(1 for _, other, _ in groups if other > s)
        first = min(order.index(k) for k in keys)
        placed.append((label, level, first, len(keys)))
    return depth, col_level, placed


def _body_rows(table: Table, collapsed: frozenset[str]) -> list[tuple[Row, int, str | None]]:
    """(row, depth, key override) for every printed row, group rows included, collapsed groups as leaves."""
    by_label = {r.label: r for r in table.rows if r.kind is RowKind.GROUP}
    out: list[tuple[Row, int, str | None]] = []
    skip: str | None = None
    for row in table.rows:
        depth = 0
        parent = row.parent
        while parent is not None and parent in by_label:
            depth += 1
            parent = by_label[parent].parent
        if skip is not None and row.parent == skip:
            continue
        skip = None
        if row.kind is RowKind.GROUP and row.collapsible:
            children = [r for r in table.rows if r.parent == row.label and r.key]
            group_key = children[0].key.split(".")[0] if children and children[0].key else None
            if group_key in collapsed:
                skip = row.label
                out.append((Row(group_key, row.label, RowKind.LEAF, parent=row.parent), depth, group_key))
                continue
        out.append((row, depth, None))
    return out


def _matrix_grid(table: Table, report: Report, collapsed: frozenset[str]) -> Grid:
    depth, col_level, placed = _header_levels(table)
    rows = _body_rows(table, collapsed)
    labelled = [d for r, d, _ in rows if r.label]
    stub = (max(labelled) + 1) if labelled else 0
    n_cols = stub + len(table.columns)
    cells: list[GridCell] = []
    if stub:
        cells.append(GridCell(0, 0, table.note or table.stub or "", "corner", rowspan=depth, colspan=stub))
    for label, level, first, span in placed:
        cells.append(GridCell(level, stub + first, label, "head", colspan=span))
    for i, c in enumerate(table.columns):
        level = col_level[c.key]
        cells.append(GridCell(level, stub + i, c.label, "head", rowspan=depth - level))
    # body: group rows take no grid row; their label spans their descendants' rows
    printed = [(r, d, k) for r, d, k in rows if r.kind is not RowKind.GROUP]
    index = {id(r): depth + i for i, (r, _, _) in enumerate(printed)}
    for row, d, key in rows:
        if row.kind is RowKind.GROUP:
            desc = _descendants(row, rows)
            grid_rows = [index[id(x)] for x in desc if id(x) in index]
            if grid_rows:
                cells.append(GridCell(min(grid_rows), d, row.label, "group", rowspan=len(grid_rows)))
            continue
        r = index[id(row)]
        if row.label:
            cells.append(GridCell(r, d, row.label, "label", colspan=stub - d))
        for i, c in enumerate(table.columns):
            ck = f"{table.prefix}.{key}.{c.key}" if key else table.cell_key(row, c)
            cells.append(_value_cell(r, stub + i, ck, c.type, report))
    n_rows = depth + len(printed)
    return Grid(table.id, table.section, n_rows, n_cols, stub, tuple(cells),
                (Band(None, (0, depth), (depth, n_rows)),))


def _descendants(group: Row, rows: list[tuple[Row, int, str | None]]) -> list[Row]:
    labels = {group.label}
    out: list[Row] = []
    for row, _, _ in rows:
        if row.parent in labels:
            out.append(row)
            if row.kind is RowKind.GROUP:
                labels.add(row.label)
    return out


def build_grids(report: Report) -> tuple[Grid, ...]:
    fmt = report.fmt
    s2 = get_format(report.section_formats.get("s2", report.format))
    collapsed = report.collapsed
    return (_s2_grid(s2.tables_of(2), report), _matrix_grid(fmt.s3, report, collapsed),
            _matrix_grid(fmt.s4, report, frozenset()))


# --- texts --------------------------------------------------------------------------------------
def title_of(report: Report) -> str:
    agency = report.metadata.agency or AGENCY_PLACEHOLDER
    year = str(report.metadata.year) if report.metadata.year else YEAR_PLACEHOLDER
    return f"{agency}{year}年政府信息公开工作年度报告"


def _date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def preamble_of(report: Report) -> tuple[str, ...]:
    """The preamble from the metadata: legal basis, statistics period, contact. Nothing invented:
    a sentence whose facts are unknown is left out (the basis defaults to the format rendered)."""
    md, fmt = report.metadata, report.fmt
    basis = md.basis_cited or f"《{fmt.name}》（{fmt.basis}）"
    out = [f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和{basis}要求编制。"]
    start, end = md.period_start, md.period_end
    if start and end:
        out.append(f"本报告中所列数据的统计期限为{_date(start)}至{_date(end)}。")
    c = md.contact
    if c is not None:
        parts = [f"{label}：{v}" for label, v in (("地址", c.address), ("邮编", c.postcode), ("电话", c.phone),
                                                  ("电子邮箱", c.email)) if v]
        who = c.office or md.agency or "本机关"
        if parts:
            out.append(f"如对本报告有疑问，请与{who}联系（{'；'.join(parts)}）。")
    return tuple(out)


def _paragraphs(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in re.split(r"\n+", text) if p.strip())


def _table_labels(fmts: Iterable[Format], section: int) -> list[str]:
    labels: set[str] = {"信息内容"}
    for fmt in fmts:
        for t in fmt.tables_of(section):
            labels.update(x for x in (t.caption, t.stub, t.note, *t.caption_aliases) if x)
            labels.update(label for label, _ in t.column_groups)
            for c in t.columns:
                labels.update(c.labels)
            for r in t.rows:
                labels.update(x for x in r.labels if x)
    return sorted(labels, key=len, reverse=True)


_TABLE_NOISE = re.compile(r"[\s\d.,，、:：;；|/\\()（）\-—－+]+")


def is_table_text(paragraph: str, labels: Sequence[str]) -> bool:
    """Whether a paragraph of a table section is the table itself as text (labels and numbers, as
    readers keep it), which the writer prints as a table and must not print again: a row with cell
    separators, a line of labels and numbers, or a short fragment of a wrapped label (no sentence)."""
    if "|" in paragraph:
        return True
    if len(paragraph) < 20 and not re.search(r"[。；！？]", paragraph) and not paragraph.startswith("注"):
        return True
    rest = paragraph
    for label in labels:
        rest = rest.replace(label, "")
    rest = _TABLE_NOISE.sub("", rest)
    return len(rest) < 0.3 * len(_TABLE_NOISE.sub("", paragraph) or "x")


def states_fee(text: str) -> bool:
    """Whether a section 六 text states the 信息处理费 (an amount or that none was charged)."""
    return any(w in text for w in FEE_WORDS) or any(re.search(p, text, re.MULTILINE) for p in NO_FEE_PATTERNS)


# --- the warning block -------------------------------------------------------------------------
_STATUS_NOTES = {  # status -> (level, id shown, what the writer did)
    Status.BLANK: ("warning", "空白单元格", "原表空白，按 0 列示"),
    Status.MISSING: ("warning", "缺失单元格", "缺少数据，按 0 列示"),
    Status.UNCERTAIN: ("warning", "存疑数值", "数值存疑，需人工核对"),
    Status.REPAIRED: ("info", "修复数值", "依勾稽关系修复，原文另见"),
}


def describe_key(report: Report, key: str) -> str:
    """A key as a clerk reads it: 三·（三）不予公开·1.属于国家秘密·自然人."""
    try:
        fmt: Format = report.format_for(key)
        table, row, col = fmt.locate(key)
    except KeyError:
        return key
    numeral = "一二三四五六"[table.section - 1]
    parts = [numeral]
    if table.caption:
        parts.append(table.caption)
    if row.parent and row.parent != row.label and table.section == 3 and row.parent.startswith("（"):
        parts.append(row.parent)
    if row.label:
        parts.append(row.label)
    if col.group:
        parts.append(col.group)
    parts.append(col.label)
    return "·".join(parts)


def _level(level: object) -> Literal["error", "warning", "info"]:
    value = str(getattr(level, "value", level))
    return value if value in ("error", "warning", "info") else "warning"  # type: ignore[return-value]


def notices_of(report: Report, findings: Iterable[FindingLike], *, template: bool = False) -> tuple[Notice, ...]:
    out = [Notice(_level(f.level), f.id, f.message) for f in findings]
    if template:
        return tuple(out)
    expected = report.expected_keys()
    by_status: dict[Status, list[str]] = {}
    for key in expected:
        cell = report.cell(key)
        status = Status.MISSING if cell.value is None else cell.status
        if status in _STATUS_NOTES:
            by_status.setdefault(status, []).append(key)
    for status, keys in by_status.items():
        level, label, what = _STATUS_NOTES[status]
        names = [describe_key(report, k) for k in keys]
        shown = "；".join(names[:8]) + (f" 等共 {len(names)} 个单元格" if len(names) > 8 else "")
        out.append(Notice(level, label, f"{what}：{shown}"))  # type: ignore[arg-type]
    for extra in report.extras:
        if extra.kind != "annotation":
            out.append(Notice("info", "非格式行", f"原文中的“{extra.label}”不属于国家规定的表格格式，未列入表格"))
    six = report.section(6)
    if not (six and states_fee(six.text)) and not any(f.id == "W4" for f in out):
        out.append(Notice("warning", "W4", "第六部分未说明信息处理费收取情况（应写明收费金额或未收取），"
                                           "本文件未代为填写"))
    return tuple(out)


# --- the whole layout ---------------------------------------------------------------------------
def build_layout(report: Report, findings: Iterable[FindingLike] = (), *, template: bool = False) -> Layout:
    grids = build_grids(report)
    by_section = {g.section: g for g in grids}
    fmts = {report.fmt, get_format(report.section_formats.get("s2", report.format))}
    sections = []
    for s in report.fmt.sections:
        st = report.section(s.number)
        paragraphs = _paragraphs(st.text) if st else ()
        if s.number in by_section and paragraphs:  # a table section: its text, not its table again
            labels = _table_labels(fmts, s.number)
            paragraphs = tuple(p for p in paragraphs if not is_table_text(p, labels))
        sections.append(SectionLayout(s.number, s.numeral, s.heading, paragraphs, by_section.get(s.number)))
    md = report.metadata
    signature = tuple(x for x in (md.agency if md.publish_date else None,
                                  _date(md.publish_date) if md.publish_date else None) if x)
    return Layout(title=title_of(report), agency=md.agency, year=md.year, format_id=report.format,
                  preamble=preamble_of(report), sections=tuple(sections),
                  notices=notices_of(report, findings, template=template), signature=signature, grids=grids)


__all__ = ["Band", "FindingLike", "Grid", "GridCell", "Layout", "Notice", "SectionLayout", "build_grids",
           "build_layout", "describe_key", "format_number", "is_table_text", "states_fee", "title_of"]
