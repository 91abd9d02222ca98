"""Findings, options and the check registry."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, field_serializer

from ..report import Status

if TYPE_CHECKING:
    from ..outreach import OutreachFacts
    from ..report import Report

Number = int | Decimal


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


LEVEL_NAMES = {Level.ERROR: "错误", Level.WARNING: "警告", Level.INFO: "提示"}


class Side(BaseModel):
    """One side of an equation: what it adds up, and the sum."""

    model_config = ConfigDict(frozen=True)
    expr: str
    keys: tuple[str, ...] = ()
    value: Number | None = None

    @field_serializer("value")
    def _ser(self, v: Number | None) -> int | str | None:
        return str(v) if isinstance(v, Decimal) else v


class Finding(BaseModel):
    model_config = ConfigDict(frozen=True)
    id: str
    level: Level
    message: str
    cells: tuple[str, ...] = ()
    lhs: Side | None = None
    rhs: Side | None = None
    scope: str | None = None  # the column, row or block an identity instance is about


@dataclass(frozen=True)
class CheckOptions:
    """Settings for the checks (each with the default the spec gives)."""

    township_deadline: tuple[int, int] | None = (3, 31)  # [SETTING] 乡镇/街道 report deadline (month, day)
    accepted: frozenset[str] = frozenset()  # finding ids marked as accepted exceptions (e.g. X1 after a merger)
    repetition_limit: float = 0.5  # X4: share of repeated narrative above which supervisors deduct points
    small_body_fee_limit: Decimal = Decimal(1000)  # W3: 万元 above which a township/county fee looks like 元


@dataclass
class Context:
    report: Report
    previous: Report | None = None
    options: CheckOptions = field(default_factory=CheckOptions)
    outreach: OutreachFacts | None = None  # the body's channel log for the year (W10), when the caller has one

    @cached_property
    def collapsed(self) -> frozenset[str]:
        """``report.collapsed``, worked out once for all the checks."""
        return self.report.collapsed

    @cached_property
    def numbers(self) -> dict[str, Number]:
        """Each cell's number for arithmetic (:attr:`Cell.number`: blank counts as 0), missing cells left
        out, worked out once for the identity checks."""
        missing = Status.MISSING
        return {k: 0 if c.value is None else c.value  # Cell.number, without the property call
                for k, c in self.report.cells.items() if c.status is not missing}


CheckFunc = Callable[[Context], Iterable[Finding]]


@dataclass(frozen=True)
class Check:
    id: str
    title: str
    func: CheckFunc
    cross_year: bool = False


_CHECKS: dict[str, Check] = {}


def check(check_id: str, title: str, *, cross_year: bool = False) -> Callable[[CheckFunc], CheckFunc]:
    """Register a check; built-in checks use this exactly as an extension would."""

    def register(func: CheckFunc) -> CheckFunc:
        _CHECKS[check_id] = Check(check_id, title, func, cross_year)
        return func

    return register


def registered() -> dict[str, Check]:
    return dict(_CHECKS)


def iter_findings(ctx: Context, ids: Iterable[str] | None = None) -> Iterator[Finding]:
    wanted = set(ids) if ids is not None else None
    for c in _CHECKS.values():
        if wanted is not None and c.id not in wanted:
            continue
        if c.cross_year and ctx.previous is None:
            continue
        for f in c.func(ctx):
            if f.id in ctx.options.accepted and f.level is not Level.INFO:
                f = f.model_copy(update={"level": Level.INFO, "message": f.message + "（已标记为例外）"})
            yield f
