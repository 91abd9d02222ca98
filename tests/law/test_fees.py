"""国办函〔2020〕109号: law.md §4's tables, exactly."""
from decimal import Decimal

import pytest

from gongkai.errors import LawError
from gongkai.law import FeeMethod, fee_by_items, fee_by_pages, quote_fee
from gongkai.law.fees import item_tiers


@pytest.mark.parametrize(("count", "yuan"), [
    (0, 0), (1, 0), (10, 0), (11, 100), (30, 2000), (31, 2200), (40, 4000), (45, 5500), (50, 7000), (60, 11000),
])
def test_items_month_totals(count, yuan):
    q = fee_by_items(count)
    assert q.amount == Decimal(yuan) and isinstance(q.amount, Decimal)
    assert q.method is FeeMethod.ITEMS and q.quantity == count


@pytest.mark.parametrize(("pages", "yuan"), [
    (0, 0), (1, 0), (30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740), (250, 4700),
])
def test_pages(pages, yuan):
    assert fee_by_pages(pages).amount == Decimal(yuan)


def test_item_breakdown_45():
    q = fee_by_items(45)
    assert [(t.first, t.last, t.count, t.tier.price, t.subtotal) for t in q.tiers] == [
        (1, 10, 10, 0, 0), (11, 30, 20, 100, 2000), (31, 40, 10, 200, 2000), (41, 45, 5, 300, 1500)]
    assert q.lines[-1] == "合计：5500 元"
    assert "第41–45件：5件 × 300 元/件 = 1500 元" in q.lines


def test_page_breakdown_250():
    q = fee_by_pages(250)
    assert [(t.first, t.last, t.subtotal) for t in q.tiers] == [
        (1, 30, 0), (31, 100, 700), (101, 200, 2000), (201, 250, 2000)]


def test_bands_of_ten_keep_rising():
    tiers = item_tiers(100)
    assert [(t.first, t.last, t.price) for t in tiers[2:5]] == [(31, 40, 200), (41, 50, 300), (51, 60, 400)]
    assert tiers[-1].first == 91 and tiers[-1].price == 800


def test_next_applications_of_a_month():
    assert fee_by_items(1, already=44).amount == 300  # the 45th application of the month
    assert fee_by_items(5, already=8).amount == 300  # the 9th–13th: two free, three at 100
    assert "本月此前已计44件" in fee_by_items(1, already=44).lines[1]


def test_one_method_per_application():
    with pytest.raises(LawError, match="只能选择一种"):
        quote_fee(items=3, pages=40)
    with pytest.raises(LawError):
        quote_fee()
    assert quote_fee(pages=31).amount == 10 and quote_fee(items=11).amount == 100


@pytest.mark.parametrize("bad", [-1, 1.5, "3", True, 10**9])
def test_bad_quantities(bad):
    with pytest.raises(LawError):
        fee_by_items(bad)
    with pytest.raises(LawError):
        fee_by_pages(bad if bad != 10**9 else 10**12)
