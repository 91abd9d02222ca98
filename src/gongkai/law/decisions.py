"""The reply taxonomy: every result leaf of section 三, with its 条例 basis, taken from :mod:`gongkai.formats`.

A closed application lands in exactly one leaf. 区分处理 (第三十七条) — some information given, some not —
lands in ``partial`` and in no other row, whatever the reasons for the part withheld. Applications still open
on 31 December are ``carry_forward``. The applicant column is 自然人 or one of the five organisation types.

Nothing here retypes a label: :class:`ReplyType` and :class:`ApplicantType` wrap the format's rows and columns.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache

from ..errors import LawError
from ..formats import Column, Format, Row, RowKind, get_format

GRANTED = "granted"
PARTIAL = "partial"
CARRY_FORWARD = "carry_forward"
NO_CORRECTION = "other.no_correction"
NO_FEE = "other.no_fee"
OTHER = "other.other"


@dataclass(frozen=True, slots=True)
class ReplyType:
    """One result leaf of section 三: what a closed application is counted as."""

    row_key: str
    label: str  # the format's label, e.g. 1.属于国家秘密
    basis: str  # the 条例 article(s), e.g. 第十四条
    group: str | None  # the group label, e.g. （三）不予公开; None for 予以公开 / 部分公开
    format_id: str

    @property
    def discloses(self) -> bool:
        """Whether the applicant gets information (予以公开 or 部分公开)."""
        return self.row_key in (GRANTED, PARTIAL)

    @property
    def full_label(self) -> str:
        """（三）不予公开 — 1.属于国家秘密."""
        return f"{self.group}—{self.label}" if self.group else self.label


@dataclass(frozen=True, slots=True)
class ApplicantType:
    """A column of section 三: 自然人, or one of the five kinds of 法人或其他组织."""

    column_key: str
    label: str
    group: str | None  # 法人或其他组织, None for 自然人


def _row_type(fmt: Format, row: Row) -> ReplyType:
    groups = {r.label for r in fmt.s3.rows if r.kind is RowKind.GROUP}
    group = row.parent if row.parent in groups and row.parent != _results_label(fmt) else None
    return ReplyType(row.key or "", row.label, row.basis, group, fmt.id)


def _results_label(fmt: Format) -> str | None:
    """The label of the top group (三、本年度办理结果), the parent of 予以公开."""
    return fmt.s3.row("granted").parent


@cache
def reply_types(format_id: str = "2021") -> tuple[ReplyType, ...]:
    """Every result leaf of the format's section 三, in printed order."""
    fmt = get_format(format_id)
    return tuple(_row_type(fmt, r) for r in fmt.s3.rows if r.kind is RowKind.LEAF)


def reply_type(row_key: str, format_id: str = "2021") -> ReplyType:
    """The leaf with this row key; in the 2019 trial format ``other.*`` falls back to its single ``other`` row."""
    types = {t.row_key: t for t in reply_types(format_id)}
    if row_key in types:
        return types[row_key]
    head = row_key.split(".", 1)[0]
    if "." in row_key and head in types:
        return types[head]
    raise LawError(f"“{row_key}”不是{get_format(format_id).name}第三部分的办理结果。")


def report_row_for(outcomes: str | ReplyType | Iterable[str | ReplyType], *, format_id: str = "2021",
                   primary: str | None = None) -> ReplyType:
    """The one section 三 row a closed application counts in.

    ``outcomes`` are the results of the parts of one reply. A reply that gives some information and
    withholds the rest (``granted`` with any other result, or ``partial``) is 部分公开 only (第三十七条).
    A reply with several non-disclosing results must name its ``primary`` one — one application, one count.
    """
    items = [outcomes] if isinstance(outcomes, (str, ReplyType)) else list(outcomes)
    if not items:
        raise LawError("没有办理结果。")
    types = [o if isinstance(o, ReplyType) and o.format_id == format_id
             else reply_type(o.row_key if isinstance(o, ReplyType) else o, format_id) for o in items]
    keys = list(dict.fromkeys(t.row_key for t in types))
    if len(keys) == 1:
        return types[0]
    if PARTIAL in keys or GRANTED in keys:
        return reply_type(PARTIAL, format_id)
    if primary is None:
        names = "、".join(reply_type(k, format_id).full_label for k in keys)
        raise LawError(f"一件申请只计入一个办理结果：{names}，请指定主要结果。")
    chosen = reply_type(primary, format_id)
    if chosen.row_key not in keys:
        raise LawError(f"主要结果“{chosen.full_label}”不在本件的办理结果中。")
    return chosen


def year_end_row(closed: date | None, *, year: int) -> str:
    """``carry_forward`` for an application open on 31 December of ``year``, else a sentinel ``"closed"``."""
    return CARRY_FORWARD if closed is None or closed.year > year else "closed"


@cache
def applicant_types(format_id: str = "2021") -> tuple[ApplicantType, ...]:
    """自然人 and the five organisation columns of section 三 (the 总计 column excluded)."""
    fmt = get_format(format_id)
    return tuple(_applicant(c) for c in fmt.s3.columns if c.key != "total")


def applicant_type(column_key: str, format_id: str = "2021") -> ApplicantType:
    for t in applicant_types(format_id):
        if t.column_key == column_key:
            return t
    raise LawError(f"“{column_key}”不是申请人类型。")


def _applicant(col: Column) -> ApplicantType:
    return ApplicantType(col.key, col.label, col.group)


def cell_key_for(reply: ReplyType, applicant: ApplicantType) -> str:
    """The section 三 cell a closed application adds one to, e.g. ``s3.denied.state_secret.natural``."""
    fmt = get_format(reply.format_id)
    return fmt.s3.cell_key(fmt.s3.row(reply.row_key), fmt.s3.columns[[c.key for c in fmt.s3.columns]
                                                                       .index(applicant.column_key)])


__all__ = [
    "CARRY_FORWARD",
    "GRANTED",
    "NO_CORRECTION",
    "NO_FEE",
    "OTHER",
    "PARTIAL",
    "ApplicantType",
    "ReplyType",
    "applicant_type",
    "applicant_types",
    "cell_key_for",
    "reply_type",
    "reply_types",
    "report_row_for",
    "year_end_row",
]
