"""Draft.as_dict (written out field by field for speed) keeps the contract the Report is built from."""
from dataclasses import fields
from decimal import Decimal

import pytest

from gongkai.read.cells import Draft
from gongkai.report import Cell, Status


def _generic(d: Draft) -> dict[str, object]:
    return {f.name: getattr(d, f.name) for f in fields(d) if getattr(d, f.name) is not None}


@pytest.mark.parametrize("draft", [
    Draft(),
    Draft(3, Status.OK, None, {"table": 1, "row": 2, "col": 0}),
    Draft(None, Status.UNCERTAIN, "l2", {"line": 7, "col": 3}, None, "无法识别的数字", 0.42),
    Draft(Decimal("1.5"), Status.OK, "1.5万元", None, "万元", "其中修订1件", None, (Decimal(15),)),
    Draft(0, Status.BLANK, "/", candidates=(1, 2)),
])
def test_as_dict_is_every_field_that_is_not_none_in_field_order(draft: Draft) -> None:
    got = draft.as_dict()
    assert list(got.items()) == list(_generic(draft).items())
    assert Cell.model_validate(got) == draft.to_cell()


def test_as_dict_names_every_field() -> None:
    # a field added to Draft must be added to as_dict too
    full = Draft(1, Status.OK, "1", {"col": 0}, "元", "n", 0.5, (2,))
    assert list(full.as_dict()) == [f.name for f in fields(Draft)]
