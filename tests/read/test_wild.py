"""Real report pages as the web gives them (``shared/corpus/wild`` and our own ``tests/corpus/wild``).

Each page is cut after about 2,000 bytes, mid-report. Scored as ``shared/tools/score.py`` does: a wrong
cell not marked ``uncertain`` is a silent error, a number for a cell the labels do not have is invented,
and a page that is refused has failed. All three must be zero; the cells right must stay at 99%.
"""
from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest

from gongkai.read import parse_file

REPO = Path(__file__).resolve().parents[2]
CORPORA = [REPO.parent / "shared" / "corpus" / "wild", REPO / "tests" / "corpus" / "wild"]
PAGES = sorted(p for c in CORPORA if c.is_dir() for p in c.glob("*.txt"))


def _number(value: object) -> Decimal | None:
    if isinstance(value, dict):
        value = value.get("value")
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None


def _score(page: Path) -> dict[str, object]:
    expected = json.loads(page.with_suffix(".expected.json").read_text("utf-8"))["cells"]
    cells = parse_file(page).to_dict()["cells"]
    right, silent, nonzero, nonzero_right = 0, [], 0, 0
    for key, want in expected.items():
        got = cells.get(key)
        is_nonzero = _number(want) not in (None, 0)
        nonzero += is_nonzero
        if got is None:
            continue
        if _number(got) is not None and _number(got) == _number(want):
            right += 1
            nonzero_right += is_nonzero
        elif got.get("status", "ok") != "uncertain" and _number(got) is not None:
            silent.append((key, got.get("value"), want))
    invented = [k for k, c in cells.items() if k not in expected and c.get("status", "ok") in ("ok", "repaired")
                and _number(c) is not None]
    return {"expected": len(expected), "right": right, "silent": silent, "invented": invented,
            "nonzero": nonzero, "nonzero_right": nonzero_right}


@pytest.mark.skipif(not PAGES, reason="no wild corpus beside the checkout")
@pytest.mark.parametrize("page", PAGES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_no_silent_or_invented_cell_on_a_real_page(page):
    result = _score(page)
    assert result["silent"] == []
    assert result["invented"] == []


@pytest.mark.skipif(not PAGES, reason="no wild corpus beside the checkout")
def test_cells_right_on_real_pages():
    results = [_score(p) for p in PAGES]
    expected = sum(r["expected"] for r in results)
    right = sum(r["right"] for r in results)
    nonzero = sum(r["nonzero"] for r in results)
    nonzero_right = sum(r["nonzero_right"] for r in results)
    assert right / expected >= 0.99, f"{right}/{expected}"
    assert nonzero_right / nonzero >= 0.97, f"{nonzero_right}/{nonzero}"
