"""The Report model: minimal and full JSON, lossless round trip, clear errors."""
import json
from decimal import Decimal

import pydantic
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai import examples
from gongkai.errors import InputError
from gongkai.report import Cell, Report, Status, json_schema, zero_report


def test_minimal_form():
    r = Report.from_data({"format": "2021", "year": 2024, "agency": "某局", "cells": {"s3.new.natural": 3}})
    assert r.year == 2024 and r.agency == "某局"
    assert r.value("s3.new.natural") == 3
    assert r.cell("s3.new.total").status is Status.MISSING  # left out → missing, not 0
    assert r.value("s3.new.total") is None


def test_null_is_a_printed_blank():
    r = Report.from_data({"cells": {"s3.total.total": None}})
    assert r.cell("s3.total.total").status is Status.BLANK
    assert r.value("s3.total.total") == 0


def test_decimals_are_kept_exactly():
    r = Report.from_data({"cells": {"s2.fees.amount": "190.457379"}})
    assert r.value("s2.fees.amount") == Decimal("190.457379")
    assert json.loads(r.to_json())["cells"]["s2.fees.amount"]["value"] == "190.457379"
    r2 = Report.from_data({"cells": {"s2.fees.amount": 0.1}})
    assert r2.value("s2.fees.amount") == Decimal("0.1")


@pytest.mark.parametrize("data, message", [
    ({"cells": {"s3.foo.bar": 1}}, "未知的单元格键"),
    ({"cells": {"s2.rules.new_made": 1}}, "属于 2019-trial 格式"),
    ({"format": "2019-trial", "cells": {"s2.rules.issued": 1}}, "属于 2021 格式"),
    ({"cells": {"s3.new.natural": "三"}}, "应为数字"),
    ({"cells": {"s3.new.natural": 1.5}}, "应为整数"),
    ({"cells": {"s3.new.natural": True}}, "应为数字"),
    ({"cells": {"s3.new.natural": "sNaN"}}, "应为数字"),  # a bare decimal.InvalidOperation before
    ({"cells": {"s3.new.natural": "Infinity"}}, "应为数字"),  # OverflowError before
    ({"cells": {"s2.fees.amount": float("inf")}}, "应为数字"),
    ({"cells": {"s3.new.natural": "1e400000"}}, "数值过大"),  # a 400,000-digit count before
    ({"cells": {"s3.new.natural": {"value": 10**20}}}, "数值过大"),
    ({"format": "2020"}, "未知的报告格式"),
    ({"nonsense": 1}, "未知的字段"),
    ([1, 2], "JSON 对象"),
    ({"cells": [1]}, "cells 必须"),
])
def test_bad_input_gives_a_clear_message(data, message):
    with pytest.raises(InputError, match=message):
        Report.from_data(data)


def test_malformed_json():
    with pytest.raises(InputError, match="不是有效的 JSON"):
        Report.from_json("{bad")


def test_negative_counts_load_and_are_left_to_the_checks():
    assert Report.from_data({"cells": {"s3.new.natural": -1}}).value("s3.new.natural") == -1


def test_mixed_formats_by_section():
    r = Report.from_data({"format": "2021", "section_formats": {"s2": "2019-trial"},
                          "cells": {"s2.rules.new_made": 1, "s3.new.natural": 1}})
    assert r.format_for("s2.rules.new_made").id == "2019-trial"


def test_example_round_trips():
    r = examples.load("qizheng-2023")
    assert r.agency == "南岗区七政街道办事处" and len(r.cells) == 200 and len(r.sections) == 6
    assert Report.from_json(r.to_json()) == r


def test_collapsed_other_row():
    r = Report.from_data({"cells": {"s3.other.natural": 1}})
    assert r.collapsed == frozenset({"other"})
    assert "s3.other.natural" in r.expected_keys() and "s3.other.no_fee.natural" not in r.expected_keys()


def test_schema_lists_keys():
    schema = json_schema()
    assert "s3.new.natural" in schema["properties"]["cells"]["propertyNames"]["enum"]


def test_models_are_immutable():
    r = zero_report()
    with pytest.raises(pydantic.ValidationError):  # frozen
        r.format = "2019-trial"  # type: ignore[misc]
    r2 = r.with_cells({"s3.new.natural": 5})
    assert r.value("s3.new.natural") == 0 and r2.value("s3.new.natural") == 5


cells_strategy = st.dictionaries(
    st.sampled_from(zero_report().fmt.keys()),
    st.one_of(st.integers(-5, 10**9), st.builds(lambda v, s: Cell(value=v, status=s, raw=str(v)),
                                               st.integers(0, 999), st.sampled_from(list(Status)))),
    max_size=40)


@settings(max_examples=60, deadline=None)
@given(cells=cells_strategy, year=st.integers(2019, 2030), agency=st.text(max_size=20))
def test_json_round_trip_is_lossless(cells, year, agency):
    cells = {k: v for k, v in cells.items() if k != "s2.fees.amount"}
    r = Report.from_data({"year": year, "agency": agency, "cells": cells})
    assert Report.from_json(r.to_json()) == r
