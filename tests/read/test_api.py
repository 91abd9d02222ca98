"""The public API of gongkai.read: exports, errors, options."""
from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai import read
from gongkai.errors import CorruptDocument, GongkaiError, InputError, NotAReport
from gongkai.read import ParseResult, ReadOptions, parse_bytes, parse_file, parse_text

from .synth import Variant, render_text, sample_report, valid_reports


def test_all_is_complete():
    assert read.__all__
    for name in read.__all__:
        assert hasattr(read, name), name
    public = {n for n, v in vars(read).items() if not n.startswith("_") and callable(v)
              and getattr(v, "__module__", "") == read.__name__}
    assert public <= set(read.__all__), public - set(read.__all__)


@pytest.mark.parametrize("text", [
    "今天天气很好，我们去公园散步。\n晚上吃了饺子。",
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit.",
    "1 2 3 4 5 6 7\n8 9 10",
    "   \n\n  ",
])
def test_not_a_report(text):
    with pytest.raises(NotAReport) as err:
        parse_text(text) if text.strip() else parse_bytes(text.encode())
    assert "不是政府信息公开工作年度报告" in str(err.value)


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="文件不存在") as err:
        parse_file(tmp_path / "nope.txt")
    assert err.value.path == str(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="不是普通文件"):
        parse_file(tmp_path)


def test_empty_file_is_refused_the_same_way_from_a_path_and_from_bytes(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"")
    with pytest.raises(CorruptDocument, match="文件为空") as err:
        parse_file(path)
    assert str(path) in str(err.value)
    with pytest.raises(CorruptDocument, match="文件为空"):
        parse_bytes(b"")


def test_truncated_report_gives_what_is_there_and_nothing_invented():
    report = sample_report("2021", seed=3)
    text = render_text(report, Variant(layout="markdown"))
    cut = text[: text.index("（四）无法提供")]
    got = parse_text(cut).report
    assert got.value("s3.new.total") == report.value("s3.new.total")
    assert "s3.total.total" not in got.cells and "s4.review.total" not in got.cells


def test_format_hint_only_when_the_tables_do_not_decide():
    text = "某县人民政府2020年政府信息公开工作年度报告\n一、总体情况\n本年度未收到申请。\n二、主动公开政府信息情况\n"
    assert parse_text(text, options=ReadOptions(format_hint="2019-trial")).report.format == "2019-trial"
    report = sample_report("2021", seed=3)
    text = render_text(report, Variant(layout="markdown"))
    assert parse_text(text, options=ReadOptions(format_hint="2019-trial")).report.format == "2021"


def test_result_json_has_cells_and_metadata():
    report = sample_report("2019-trial", seed=4)
    result = parse_text(render_text(report, Variant()))
    assert isinstance(result, ParseResult)
    data = result.to_dict()
    assert set(data["cells"]) >= set(report.expected_keys())
    assert data["metadata"]["agency"] == report.agency


# --- fuzzing: bad input never crashes or hangs ------------------------------------------------------
_alphabet = st.sampled_from(list("0123456789 \t\n|-/—无（）()、.一二三四五六七总计规章行政许可本年新收申请数量自然人"
                                 "结转复议诉讼第二十条项信息内容#<>tabler"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=_alphabet, max_size=400))
def test_fuzz_text_never_crashes(text):
    start = time.perf_counter()
    try:
        parse_text(text)
    except GongkaiError:
        pass
    assert time.perf_counter() - start < 5


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report=valid_reports(), data=st.data())
def test_fuzz_mutated_reports_never_crash(report, data):
    """Real-looking reports with random damage: lines dropped, characters replaced, digits glued."""
    text = render_text(report, Variant(layout=data.draw(st.sampled_from(["markdown", "tsv", "flat"]))))
    chars = list(text)
    for _ in range(data.draw(st.integers(0, 30))):
        i = data.draw(st.integers(0, len(chars) - 1))
        chars[i] = data.draw(st.sampled_from(["", "9", "|", "\n", "（", "n", "\t", " ", "一、"]))
    start = time.perf_counter()
    try:
        parse_text("".join(chars))
    except GongkaiError:
        pass
    assert time.perf_counter() - start < 5


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=2000))
def test_fuzz_bytes_never_crash(data):
    try:
        parse_bytes(data, name="x.txt")
    except GongkaiError:
        pass


@pytest.mark.parametrize("body", [
    "1 " * 20000 + "x",  # a line of values ending in text (was quadratic in a regular expression)
    "三、收到和处理政府信息公开申请情况\n（七）总计" + "1" * 5000,  # a digit run no row can be (int() limit)
    "四、政府信息公开行政复议、行政诉讼情况\n" + "10" * 5000,
    "二、主动公开政府信息情况\n规章" + "12" * 5000,
    "行政许可" + "9" * 5000 + "\n三、收到和处理政府信息公开申请情况\n" + "\t".join(["1"] * 5000),
])
def test_pathological_lines_stay_fast(body):
    start = time.perf_counter()
    try:
        parse_text("政府信息公开工作年度报告\n一、总体情况\n" + body)
    except GongkaiError:
        pass
    assert time.perf_counter() - start < 5
