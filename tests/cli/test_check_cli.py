"""`gongkai check`, `rollup`, `schema` as a user runs them."""
import json

from typer.testing import CliRunner

from gongkai import examples
from gongkai.cli import app

runner = CliRunner()


def write(tmp_path, name, data):
    p = tmp_path / name
    p.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(p)


def test_help_explains_every_command():
    out = runner.invoke(app, ["--help"]).output
    for cmd in ("check", "rollup", "schema"):
        assert cmd in out
    assert "退出码" in runner.invoke(app, ["check", "--help"]).output


def test_check_bundled_example_passes():
    res = runner.invoke(app, ["check", str(examples.path("qizheng-2023"))])
    assert res.exit_code == 0, res.output
    assert "南岗区七政街道办事处" in res.output and "错误 0" in res.output


def test_check_finds_an_error_and_exits_1(tmp_path):
    p = write(tmp_path, "r.json", {"format": "2021", "year": 2024, "agency": "某局",
                                   "cells": {"s4.review.upheld": 1, "s4.review.corrected": 0, "s4.review.other": 0,
                                             "s4.review.pending": 0, "s4.review.total": 2}})
    res = runner.invoke(app, ["check", p])
    assert res.exit_code == 1 and "I5" in res.output
    res = runner.invoke(app, ["check", p, "--json"])
    data = json.loads(res.stdout)
    f = next(f for f in data["findings"] if f["id"] == "I5")
    assert f["level"] == "error" and "s4.review.total" in f["cells"] and f["lhs"]["value"] == 2
    assert {"id", "level", "message", "cells"} <= set(f)


def test_check_previous_year(tmp_path):
    cur = examples.load("qizheng-2023").with_cells({"s3.carried_over.natural": 1, "s3.carried_over.total": 1,
                                                    "s3.carry_forward.natural": 1, "s3.carry_forward.total": 1})
    prev = examples.load("qizheng-2023").with_metadata(year=2022)
    res = runner.invoke(app, ["check", write(tmp_path, "c.json", cur.to_json()),
                              "--previous", write(tmp_path, "p.json", prev.to_json())])
    assert res.exit_code == 0 and "X1" in res.output and "X4" in res.output


def test_check_stdin():
    res = runner.invoke(app, ["check", "-", "--json"], input='{"cells": {"s3.new.natural": -2}}')
    assert res.exit_code == 1 and any(f["id"] == "I6" for f in json.loads(res.stdout)["findings"])


def test_unusable_input_exits_2_with_one_line(tmp_path):
    cases = {
        "bad.json": "{not json",
        "key.json": '{"cells": {"s3.nope.natural": 1}}',
        "text.json": '{"cells": {"s3.new.natural": "三件"}}',
        "mixed.json": '{"format": "2021", "cells": {"s2.rules.new_made": 1}}',
    }
    for name, text in cases.items():
        res = runner.invoke(app, ["check", write(tmp_path, name, text)])
        assert res.exit_code == 2, (name, res.output)
        assert "Traceback" not in res.output and "错误" in res.output
    assert runner.invoke(app, ["check", str(tmp_path / "nope.json")]).exit_code == 2


def test_rollup_command(tmp_path):
    p = str(examples.path("qizheng-2023"))
    res = runner.invoke(app, ["rollup", p, p, "--agency", "两个街道"])
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert data["metadata"]["agency"] == "两个街道" and "findings" in data


def test_schema_command():
    res = runner.invoke(app, ["schema"])
    assert res.exit_code == 0 and json.loads(res.stdout)["title"] == "gongkai Report"
