"""The Report model: one annual report as data.

A :class:`Report` holds the metadata of the report, the six section texts, and its numbers as
:class:`Cell` objects keyed by the canonical keys of :mod:`gongkai.formats` (``s3.new.natural`` …).
Every model is immutable; changes return a new report (:meth:`Report.with_cells`).

Cell statuses:

* ``ok``         a number read (or computed) as printed
* ``blank``      printed blank or as ``/``, ``-``, ``无``: counts as 0, kept apart so it is never filled silently
* ``repaired``   a garbled number that the identities determine uniquely; ``raw`` keeps what was printed
* ``uncertain``  a number a human must look at (ambiguous split, unreadable text); the value is a best guess
* ``missing``    not in the document (a cell left out of a minimal JSON is ``missing``, never 0)
"""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_serializer, model_validator

from .errors import InputError
from .formats import FORMATS, BodyKind, Format, Level, ValueType, format_of_key, get_format

Number = int | Decimal
FormatId = Literal["2021", "2019-trial"]
SCHEMA_VERSION = "gongkai.report/1"
NUMERALS = "一二三四五六"


class Status(StrEnum):
    OK = "ok"
    BLANK = "blank"
    REPAIRED = "repaired"
    UNCERTAIN = "uncertain"
    MISSING = "missing"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Source(_Frozen):
    """Where a number was found: page, line, table, row and column (each optional)."""

    page: int | None = None
    line: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None


class Cell(_Frozen):
    value: Number | None = None
    status: Status = Status.OK
    raw: str | None = None  # the text it came from, as printed
    source: Source | None = None
    unit: str | None = None  # a unit printed in the cell (元, 万元)
    note: str | None = None  # an annotation printed with it (其中修订16件), or why it is uncertain/repaired
    confidence: float | None = None  # from an OCR engine, 0..1
    candidates: tuple[Number, ...] = ()  # other values that fit, for an uncertain cell

    @field_serializer("value")
    def _ser_value(self, v: Number | None) -> int | str | None:
        return str(v) if isinstance(v, Decimal) else v

    @field_serializer("candidates")
    def _ser_candidates(self, v: tuple[Number, ...]) -> list[int | str]:
        return [str(x) if isinstance(x, Decimal) else x for x in v]

    @property
    def number(self) -> Number:
        """The value for arithmetic: blank and missing count as 0."""
        return self.value if self.value is not None else 0


MISSING = Cell(value=None, status=Status.MISSING)


class ExtraRow(_Frozen):
    """A row found in a document that the format does not have (V3, V15): kept apart, never dropped."""

    table: str | None = None  # table id of the format (s2.1, s3 …) it was found in
    label: str
    kind: Literal["subtotal", "unknown", "annotation", "column"] = "unknown"
    values: tuple[Cell, ...] = ()
    note: str | None = None


class Contact(_Frozen):
    office: str | None = None
    address: str | None = None
    postcode: str | None = None
    phone: str | None = None
    email: str | None = None


class Metadata(_Frozen):
    agency: str | None = None
    body_kind: BodyKind | None = None
    level: Level | None = None
    year: int | None = Field(default=None, ge=1990, le=2100)
    format_declared: str | None = None  # the format the preamble cites ("2021", "2019-trial"), if any
    format_detected: str | None = None  # the format the tables show
    basis_cited: str | None = None  # the notice as cited (国办公开办函〔2021〕30号 …)
    publish_date: dt.date | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    contact: Contact | None = None
    source_file: str | None = None
    source_kind: str | None = None  # text, html, docx, pdf, ocr …


class SectionText(_Frozen):
    number: int = Field(ge=1, le=6)
    heading: str  # as printed
    text: str = ""
    order: int = 0  # position among the sections found (for W7)


class NarrativeFact(_Frozen):
    """A number stated in the narrative, with the cell it speaks about (for W1 and repair)."""

    key: str
    value: int
    text: str  # the sentence fragment


class Report(_Frozen):
    schema_version: str = SCHEMA_VERSION
    format: FormatId = "2021"
    section_formats: dict[str, FormatId] = Field(default_factory=dict)  # {"s2": "2019-trial"} for mixed reports
    metadata: Metadata = Field(default_factory=Metadata)
    preamble: str | None = None  # the unnumbered opening paragraph(s): basis, period, where published, contact
    sections: tuple[SectionText, ...] = ()
    cells: dict[str, Cell] = Field(default_factory=dict)
    extras: tuple[ExtraRow, ...] = ()
    narrative: tuple[NarrativeFact, ...] = ()

    # --- validation ---------------------------------------------------------------------------
    @model_validator(mode="before")
    @classmethod
    def _accept_minimal(cls, data: Any) -> Any:
        """Accept the minimal hand-written form: metadata fields at the top, cells as bare numbers."""
        if not isinstance(data, dict):
            raise ValueError("报告必须是一个 JSON 对象")
        data = dict(data)
        data.pop("findings", None)  # parse output carries findings; they are derived, not part of the model
        meta = dict(data.get("metadata") or {})
        for name in Metadata.model_fields:
            if name in data and name not in cls.model_fields:
                meta[name] = data.pop(name)
        data["metadata"] = meta
        fmt_id = data.get("format", "2021")
        if fmt_id not in FORMATS:
            raise ValueError(f"未知的报告格式 {fmt_id!r}，应为 2021 或 2019-trial")
        section_formats = data.get("section_formats") or {}
        cells = data.get("cells") or {}
        if not isinstance(cells, dict):
            raise ValueError("cells 必须是从单元格键到数值的对象")
        if section_formats:
            data["cells"] = {key: _coerce_cell(key, raw, _format_for(fmt_id, section_formats, key))
                             for key, raw in cells.items()}
        else:
            fmt = get_format(fmt_id)
            data["cells"] = {key: _coerce_cell(key, raw, fmt) for key, raw in cells.items()}
        return data

    # --- access -------------------------------------------------------------------------------
    @property
    def fmt(self) -> Format:
        return get_format(self.format)

    def format_for(self, key: str) -> Format:
        """The format that defines ``key`` in this report (a mixed report may use 2019 tables in 二)."""
        return get_format(_format_id_for(self.format, self.section_formats, key))

    @property
    def year(self) -> int | None:
        return self.metadata.year

    @property
    def agency(self) -> str | None:
        return self.metadata.agency

    def cell(self, key: str) -> Cell:
        return self.cells.get(key, MISSING)

    def value(self, key: str) -> Number | None:
        return self.cell(key).value

    def section(self, number: int) -> SectionText | None:
        for s in self.sections:
            if s.number == number:
                return s
        return None

    @property
    def collapsed(self) -> frozenset[str]:
        """Groups of table 三 printed as one row (V17), e.g. {"other"} for （六）其他处理 as a data row."""
        if self.format == "2019-trial":
            return frozenset()
        out = set()
        s3 = [k for k in self.cells if k.startswith("s3.")]
        for group, children in self.fmt.collapsible_groups().items():
            prefix = f"s3.{group}."
            has_group = any(k.startswith(prefix) and k.count(".") == 2 for k in s3)
            child_prefixes = tuple(f"s3.{c}." for c in children)
            has_children = any(k.startswith(child_prefixes) for k in s3)
            if has_group and not has_children:
                out.add(group)
        return frozenset(out)

    def expected_keys(self) -> list[str]:
        """Every key this report should have, given its format(s) and collapsed groups."""
        return list(_expected_keys(self.format, self.section_formats.get("s2", self.format), self.collapsed))

    # --- changes ------------------------------------------------------------------------------
    def with_cells(self, updates: dict[str, Cell | Number | None]) -> Report:
        cells = dict(self.cells)
        for key, cell in updates.items():
            if cell is None:
                cells.pop(key, None)
            else:
                cells[key] = cell if isinstance(cell, Cell) else Cell(value=cell)
        return self.model_copy(update={"cells": cells})

    def with_metadata(self, **changes: Any) -> Report:
        return self.model_copy(update={"metadata": self.metadata.model_copy(update=changes)})

    # --- JSON ---------------------------------------------------------------------------------
    def to_json(self, *, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent, exclude_none=True)

    def to_dict(self) -> dict[str, Any]:
        return json.loads(self.model_dump_json(exclude_none=True))

    @classmethod
    def from_json(cls, text: str | bytes, *, path: str | None = None) -> Report:
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            where = f"第{exc.lineno}行第{exc.colno}列" if isinstance(exc, json.JSONDecodeError) else ""
            raise InputError(f"不是有效的 JSON（{where}）：{getattr(exc, 'msg', exc)}", path=path) from exc
        return cls.from_data(data, path=path)

    @classmethod
    def from_data(cls, data: Any, *, path: str | None = None) -> Report:
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise InputError(_explain(exc), path=path) from exc

    @classmethod
    def load(cls, path: str | Path) -> Report:
        p = Path(path)
        try:
            text = p.read_bytes()
        except OSError as exc:
            raise InputError(f"无法读取文件：{exc.strerror}", path=str(p)) from exc
        return cls.from_json(text, path=str(p))


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a Report (the public data contract, with :mod:`gongkai.formats` keys)."""
    schema = Report.model_json_schema()
    schema["$id"] = SCHEMA_VERSION
    schema["title"] = "gongkai Report"
    keys = sorted({k for f in FORMATS.values() for k in [*f.keys(), *f.alternative_keys()]})
    schema["properties"]["cells"]["propertyNames"] = {"enum": keys}
    return schema


def zero_report(format_id: str = "2021", *, year: int | None = None, agency: str | None = None,
                status: Status = Status.OK) -> Report:
    """A report of the format with every cell 0 (a template, or the start of a computed report)."""
    fmt = get_format(format_id)
    cells = {k: Cell(value=Decimal(0) if fmt.value_type(k) in (ValueType.WAN_YUAN, ValueType.MONEY) else 0,
                     status=status) for k in fmt.keys()}  # noqa: SIM118 (a Format)
    return Report(format=fmt.id, metadata=Metadata(year=year, agency=agency), cells=cells)


# --- helpers ----------------------------------------------------------------------------------
@lru_cache(maxsize=64)  # a handful of combinations: two formats, a few collapsed groups
def _expected_keys(format_id: str, s2_format_id: str, collapsed: frozenset[str]) -> tuple[str, ...]:
    keys: list[str] = []
    s2 = get_format(s2_format_id)
    keys += [k for k in s2.keys() if k.startswith("s2.")]  # noqa: SIM118 (a Format)
    fmt = get_format(format_id)
    leaves = set(fmt.s3_leaves(collapsed=collapsed))
    for k in list(fmt.keys()) + list(fmt.alternative_keys()):
        if k.startswith("s3."):
            row = k[3: k.rfind(".")]
            if row in leaves or row in ("new", "carried_over", "total", "carry_forward"):
                keys.append(k)
        elif k.startswith("s4."):
            keys.append(k)
    return tuple(dict.fromkeys(keys))


def _format_id_for(format_id: str, section_formats: dict[str, str], key: str) -> str:
    return section_formats.get(key.split(".", 1)[0], format_id)


def _format_for(format_id: str, section_formats: dict[str, str], key: str) -> Format:
    return get_format(_format_id_for(format_id, section_formats, key))


def _coerce_cell(key: str, raw: Any, fmt: Format) -> Any:
    vtype = fmt.value_type_or_none(key) if isinstance(key, str) else None
    if vtype is None:
        others = format_of_key(key) if isinstance(key, str) else []
        if others:
            raise ValueError(f"单元格键 {key} 属于 {'/'.join(others)} 格式，而本报告为 {fmt.id} 格式"
                             f"（混合格式请用 section_formats 声明）")
        raise ValueError(f"未知的单元格键 {key!r}（键见 `gongkai schema` 或 report-format.md §3）")
    if type(raw) is not dict and isinstance(raw, Cell):
        raw = raw.model_dump()
    if isinstance(raw, dict):
        v = raw.get("value")
        if type(v) is int and vtype not in _AMOUNTS and -_TOO_LARGE < v < _TOO_LARGE and not raw.get("candidates"):
            return raw  # a count with nothing to coerce (most cells): the validator reads it as it is
        cell = dict(raw)
        cell["value"] = _coerce_number(key, cell.get("value"), vtype)
        if cell.get("candidates"):
            cell["candidates"] = tuple(_coerce_number(key, v, vtype) for v in cell["candidates"])
        if cell["value"] is None and cell.get("status", "ok") == "ok":
            cell["status"] = Status.MISSING
        return cell
    if raw is None:
        return {"value": _zero(vtype), "status": Status.BLANK}
    return {"value": _coerce_number(key, raw, vtype), "status": Status.OK}


def _zero(vtype: ValueType) -> Number:
    return Decimal(0) if vtype in (ValueType.WAN_YUAN, ValueType.MONEY) else 0


_AMOUNTS = frozenset({ValueType.WAN_YUAN, ValueType.MONEY})
_TOO_LARGE = 10**15


def _coerce_number(key: str, raw: Any, vtype: ValueType) -> Number | None:
    if raw is None:
        return None
    if type(raw) is int and vtype not in _AMOUNTS and -_TOO_LARGE < raw < _TOO_LARGE:
        return raw  # a count, as the reader holds it (most cells): as it is
    if isinstance(raw, bool):
        raise ValueError(f"{key} 应为数字，而不是 {json.dumps(raw)}")
    if isinstance(raw, str):
        text = raw.strip().replace(",", "")
        try:
            raw = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{key} 应为数字，而不是文字 {raw!r}") from None
    if isinstance(raw, float):
        raw = Decimal(repr(raw))
    if not isinstance(raw, int | Decimal):
        raise ValueError(f"{key} 应为数字，而不是 {type(raw).__name__}")
    if isinstance(raw, Decimal) and not raw.is_finite():
        raise ValueError(f"{key} 应为数字，而不是 {raw}")
    if abs(raw) >= _TOO_LARGE:  # no count or amount of a report comes near; int(1E+400000) would take seconds
        raise ValueError(f"{key} 数值过大（{raw:.3g}）")
    if vtype in _AMOUNTS:
        return Decimal(raw) if not isinstance(raw, Decimal) else raw
    if isinstance(raw, Decimal):
        if raw != raw.to_integral_value():
            raise ValueError(f"{key} 是件数，应为整数，而不是 {raw}")
        return int(raw)
    return raw


def _explain(exc: ValidationError) -> str:
    """One line in Chinese from a pydantic error."""
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err.get("loc", ()) if p != "__root__")
    msg = str(err.get("msg", ""))
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    elif err.get("type") == "extra_forbidden":
        msg = f"未知的字段 {loc}"
        loc = ""
    more = f"（另有 {len(exc.errors()) - 1} 处错误）" if len(exc.errors()) > 1 else ""
    return f"{loc + '：' if loc else ''}{msg}{more}"


__all__ = [
    "MISSING",
    "NUMERALS",
    "SCHEMA_VERSION",
    "Cell",
    "Contact",
    "ExtraRow",
    "Metadata",
    "NarrativeFact",
    "Number",
    "Report",
    "SectionText",
    "Source",
    "Status",
    "json_schema",
    "zero_report",
]
