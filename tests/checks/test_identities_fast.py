"""The identity checks skip an equation that holds by summing a number-per-key dict before asking
equation_findings: their findings must be those of asking equation_findings for every equation."""
import random
from collections.abc import Iterator
from decimal import Decimal

import pytest

from gongkai.checks import Context, Finding, Level, registered
from gongkai.checks._describe import describe
from gongkai.checks.identities import equation_findings
from gongkai.formats import get_format
from gongkai.report import Cell, Report, Status


def _reference(ctx: Context, check_id: str) -> Iterator[Finding]:
    """The identity check as written before the fast path: every equation through equation_findings."""
    report = ctx.report
    missing_all: list[str] = []
    blanks_all: list[str] = []
    for eq in report.fmt.equations(collapsed=ctx.collapsed):
        if eq.id != check_id:
            continue
        finding, missing, blanks = equation_findings(report, eq)
        missing_all += missing
        blanks_all += blanks
        if finding:
            yield finding
    if missing_all:
        uniq = list(dict.fromkeys(missing_all))
        yield Finding(id=check_id, level=Level.INFO, cells=tuple(uniq),
                      message=f"{check_id} 有部分等式因缺少 {len(uniq)} 个单元格未能检查："
                              f"{'、'.join(uniq[:5])}{' 等' if len(uniq) > 5 else ''}")
    if blanks_all:
        uniq = list(dict.fromkeys(blanks_all))
        names = "、".join(describe(report.fmt, k) for k in uniq[:4])
        yield Finding(id="V5", level=Level.WARNING, cells=tuple(uniq),
                      message=f"{check_id} 不成立的等式中有空白单元格（按 0 计算）：{names}"
                              f"{' 等' if len(uniq) > 4 else ''}。空白的总计不应被默认为 0，请核对原件")


def _random_report(rng: random.Random, fid: str) -> Report:
    """A report whose identities mostly hold, with some cells missing, blank, changed or Decimal."""
    fmt = get_format(fid)
    cells: dict[str, Cell] = {}
    for eq in fmt.equations():
        for k in eq.lhs + eq.rhs:
            cells.setdefault(k, Cell(value=0))
    for k in list(cells):
        r = rng.random()
        if r < 0.03:
            del cells[k]
        elif r < 0.06:
            cells[k] = Cell(value=0, status=Status.BLANK, raw="/")
        elif r < 0.08:
            cells[k] = Cell(value=None, status=Status.MISSING)
        elif r < 0.10:
            cells[k] = Cell(value=Decimal(rng.randint(0, 3)))
        elif r < 0.14:
            cells[k] = Cell(value=rng.randint(0, 2))
    return Report(format=fid, cells=cells)


@pytest.mark.parametrize("fid", ["2021", "2019-trial"])
def test_identity_findings_are_those_of_every_equation(fid):
    rng = random.Random(20261204)
    checks = registered()
    for _ in range(150):
        ctx = Context(report=_random_report(rng, fid))
        for check_id in ("I1", "I3", "I4", "I5"):
            assert list(checks[check_id].func(ctx)) == list(_reference(ctx, check_id))
