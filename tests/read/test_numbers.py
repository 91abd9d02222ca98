"""Cells and digit runs (V4, V16, V20)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from gongkai.formats import ValueType
from gongkai.read.numbers import cell_tokens, parse_cell, split_row, split_run, split_s4


@pytest.mark.parametrize(("text", "vtype", "value", "kind"), [
    ("12", ValueType.INT, 12, "ok"),
    ("1,234", ValueType.INT, 1234, "ok"),
    ("１２", ValueType.INT, 12, "ok"),
    ("", ValueType.INT, 0, "blank"),
    ("/", ValueType.INT, 0, "blank"),
    ("—", ValueType.INT, 0, "blank"),
    ("无", ValueType.INT, 0, "blank"),
    ("-18", ValueType.SIGNED_INT, -18, "ok"),
    ("-18", ValueType.INT, None, "garbage"),
    ("190.457379", ValueType.WAN_YUAN, Decimal("190.457379"), "ok"),
    ("191.149", ValueType.INT, None, "garbage"),
    ("n", ValueType.INT, None, "garbage"),
    ("007", ValueType.INT, None, "garbage"),
])
def test_parse_cell(text, vtype, value, kind):
    tok = parse_cell(text, vtype)
    assert (tok.value, tok.kind) == (value, kind)


def test_annotated_cell_keeps_its_note():
    tok = parse_cell("22（其中修订16件）")
    assert tok.value == 22 and tok.note == "其中修订16件"
    tok = parse_cell("55 (含自然失效 29 件)")
    assert tok.value == 55 and "自然失效" in tok.note


def test_unit_in_cell():
    tok = parse_cell("73802895.90元", ValueType.MONEY)
    assert tok.value == Decimal("73802895.90") and tok.unit == "元"


def test_row_tokens_drop_layout_blanks_and_garbage():
    seven = [ValueType.INT] * 7
    toks, fits = cell_tokens(["", "", "0", "0", "组织 0", "191.149 0", "0", "0"], seven)
    assert fits and [t.kind for t in toks].count("garbage") == 1 and len(toks) == 7
    toks, fits = cell_tokens(["1", "0", "0", "0", "0", "0", ""], seven)
    assert fits and toks[-1].kind == "blank"
    toks, fits = cell_tokens(["1", "2"], [ValueType.INT] * 3)
    assert not fits


def test_row_tokens_carry_the_ocr_confidence_of_their_cell():
    # layout blanks dropped at the ends, a merged cell (two numbers) split, a money column re-read:
    # every token keeps the confidence of the cell it was read from
    types = [ValueType.INT, ValueType.INT, ValueType.MONEY]
    toks, fits = cell_tokens(["", "3 4", "12.5"], types, [0.1, 0.62, 0.93])
    assert fits and [t.value for t in toks] == [3, 4, Decimal("12.5")]
    assert [t.confidence for t in toks] == [0.62, 0.62, 0.93]
    toks, _ = cell_tokens(["3", "4"], [ValueType.INT] * 2)
    assert [t.confidence for t in toks] == [None, None]
    assert parse_cell("3").confidence is None  # the shared cached token is never changed
    assert toks[0] == cell_tokens(["3"], [ValueType.INT], [0.5])[0][0]  # confidence is no part of the reading


@pytest.mark.parametrize(("run", "want"), [
    ("15130000154", (151, 3, 0, 0, 0, 0, 154)),  # variants.md V16
    ("640020470", (64, 0, 0, 2, 0, 4, 70)),
    ("500000 5", (5, 0, 0, 0, 0, 0, 5)),  # a stray space is a boundary
    ("200 000121", (20, 0, 0, 0, 0, 1, 21)),
    ("0000000", (0, 0, 0, 0, 0, 0, 0)),
])
def test_row_runs_split_uniquely_under_i4(run, want):
    splits, complete = split_row(run)
    assert complete and splits == [want]


def test_ambiguous_row_run_gives_every_split():
    splits, complete = split_row("270020130")
    assert complete and set(splits) == {(2, 7, 0, 0, 20, 1, 30), (27, 0, 0, 2, 0, 1, 30)}


def test_section_four_run():
    splits, complete = split_s4("25380363300630003")  # variants.md V16
    assert complete and splits == [(25, 3, 8, 0, 36, 3, 3, 0, 0, 6, 3, 0, 0, 0, 3)]
    splits, _ = split_s4("0 1 1 0 2 1 0 0 0 1 0 0 0 0 0")
    assert splits == [(0, 1, 1, 0, 2, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0)]


def test_runs_with_signs_and_money():
    three = [ValueType.INT, ValueType.SIGNED_INT, ValueType.INT]
    splits, _, _ = split_run("2648-18538", three)
    assert (2648, -18, 538) in splits and all(s[0] == 2648 for s in splits)
    splits, unit, _ = split_run("39573802895.90元", [ValueType.INT, ValueType.MONEY])
    assert unit == "元" and (395, Decimal("73802895.90")) in splits
    assert split_run("35-15", [ValueType.INT, ValueType.SIGNED_INT])[0] == [(35, -15)]


def test_search_is_bounded():
    splits, complete = split_row("9" * 60, limit=5000)
    assert not complete or splits == []
