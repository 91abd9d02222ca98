"""信息处理费 (国办函〔2020〕109号《政府信息公开信息处理费管理办法》): the two marginal calculators.

Charging is discretionary (可以); an application is charged by **one** method, 按件 or 按量, never both.

- 按件计收 — by the applicant's cumulative count of applications in one natural month: the 1st–10th free;
  the 11th–30th 100 元 each; from the 31st in bands of 10, each band 100 元 more (31–40: 200, 41–50: 300 …).
  :func:`fee_by_items` with ``already`` gives the charge for the next applications of a month.
- 按量计收 — pages per application: 1–30 free; 31–100 10 元/页; 101–200 20 元/页; 201 and up 40 元/页.

Amounts are :class:`~decimal.Decimal` 元; every quote carries its tier breakdown.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from ..errors import LawError

BASIS = "国办函〔2020〕109号"
MAX_ITEMS = 100_000  # a guard against typos; far beyond any real month
MAX_PAGES = 100_000_000


class FeeMethod(StrEnum):
    ITEMS = "items"  # 按件计收
    PAGES = "pages"  # 按量计收

    @property
    def label(self) -> str:
        return "按件计收" if self is FeeMethod.ITEMS else "按量计收"

    @property
    def unit(self) -> str:
        return "件" if self is FeeMethod.ITEMS else "页"


@dataclass(frozen=True, slots=True)
class Tier:
    """A band of the tariff: units ``first``..``last`` (``last`` None: no upper bound) at ``price`` 元 each."""

    first: int
    last: int | None
    price: Decimal


@dataclass(frozen=True, slots=True)
class TierCharge:
    """The part of a quote that falls in one tier."""

    tier: Tier
    first: int  # first unit of the quote in this tier
    last: int
    count: int
    subtotal: Decimal


@dataclass(frozen=True, slots=True)
class FeeQuote:
    method: FeeMethod
    quantity: int  # units charged in this quote
    amount: Decimal  # 元
    tiers: tuple[TierCharge, ...]
    already: int = 0  # 按件: applications already counted this month before these

    @property
    def lines(self) -> list[str]:
        """The breakdown in Chinese, one line per tier touched, then the total."""
        unit = self.method.unit
        out = [f"{self.method.label}（{BASIS}）"]
        if self.already:
            out.append(f"本月此前已计{self.already}{unit}，本次为第{self.already + 1}–{self.already + self.quantity}{unit}")
        for t in self.tiers:
            price = "免费" if t.tier.price == 0 else f"{t.tier.price} 元/{unit}"
            out.append(f"第{t.first}–{t.last}{unit}：{t.count}{unit} × {price} = {t.subtotal} 元")
        out.append(f"合计：{self.amount} 元")
        return out


PAGE_TIERS: tuple[Tier, ...] = (
    Tier(1, 30, Decimal(0)), Tier(31, 100, Decimal(10)), Tier(101, 200, Decimal(20)), Tier(201, None, Decimal(40)),
)
_ITEM_FIXED: tuple[Tier, ...] = (Tier(1, 10, Decimal(0)), Tier(11, 30, Decimal(100)))
ITEM_BAND = 10  # from the 31st, bands of 10 applications
ITEM_BAND_STEP = Decimal(100)  # each band 100 元 more


def item_tiers(up_to: int) -> tuple[Tier, ...]:
    """The 按件 tiers needed to price the first ``up_to`` applications of a month."""
    tiers = list(_ITEM_FIXED)
    first, price = 31, Decimal(200)
    while first <= up_to:
        tiers.append(Tier(first, first + ITEM_BAND - 1, price))
        first += ITEM_BAND
        price += ITEM_BAND_STEP
    return tuple(tiers)


def _charge(method: FeeMethod, tiers: tuple[Tier, ...], lo: int, hi: int, already: int = 0) -> FeeQuote:
    """Price units ``lo``..``hi`` (1-based, inclusive) against ``tiers``."""
    parts: list[TierCharge] = []
    for tier in tiers:
        a = max(lo, tier.first)
        b = hi if tier.last is None else min(hi, tier.last)
        if a <= b:
            n = b - a + 1
            parts.append(TierCharge(tier, a, b, n, tier.price * n))
    amount = sum((p.subtotal for p in parts), Decimal(0))
    return FeeQuote(method, hi - lo + 1 if hi >= lo else 0, amount, tuple(parts), already)


def _check(n: object, what: str, limit: int) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise LawError(f"{what}应为整数，实为 {n!r}。")
    if n < 0:
        raise LawError(f"{what}不能为负数（{n}）。")
    if n > limit:
        raise LawError(f"{what}过大（{n}），请核对。")
    return n


def fee_by_items(count: int, *, already: int = 0) -> FeeQuote:
    """按件计收: the charge for ``count`` applications after ``already`` in the same natural month.

    ``fee_by_items(45)`` is a month of 45 applications (5500 元); ``fee_by_items(1, already=44)`` the 45th alone.
    """
    _check(count, "申请件数", MAX_ITEMS)
    _check(already, "本月已计件数", MAX_ITEMS)
    lo, hi = already + 1, already + count
    return _charge(FeeMethod.ITEMS, item_tiers(hi), lo, hi, already)


def fee_by_pages(pages: int) -> FeeQuote:
    """按量计收: the charge for one application of ``pages`` pages."""
    _check(pages, "页数", MAX_PAGES)
    return _charge(FeeMethod.PAGES, PAGE_TIERS, 1, pages)


def quote_fee(*, items: int | None = None, pages: int | None = None, already: int = 0) -> FeeQuote:
    """One method per application: exactly one of ``items`` or ``pages``."""
    if (items is None) == (pages is None):
        raise LawError("一件申请只能选择一种收费方式：按件计收或按量计收，不能同时适用。")
    if items is not None:
        return fee_by_items(items, already=already)
    assert pages is not None
    return fee_by_pages(pages)


__all__ = [
    "BASIS",
    "ITEM_BAND",
    "PAGE_TIERS",
    "FeeMethod",
    "FeeQuote",
    "Tier",
    "TierCharge",
    "fee_by_items",
    "fee_by_pages",
    "item_tiers",
    "quote_fee",
]
