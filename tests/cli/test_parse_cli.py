"""`gongkai parse`: one file → JSON on stdout; many → one JSON each in --out, a summary, exit 1 on failures."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongkai.cli import app

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "dev"  # shared/ beside the checkout
runner = CliRunner()
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="dev corpus not present")


@needs_corpus
def test_single_file_prints_report_json():
    result = runner.invoke(app, ["parse", str(CORPUS / "seed-qizheng-2023.txt"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["cells"]["s3.new.total"]["value"] == 0
    assert data["metadata"]["agency"] == "南岗区七政街道办事处"
    assert [s["number"] for s in data["sections"]] == [1, 2, 3, 4, 5, 6]


@needs_corpus
def test_stdin():
    text = (CORPUS / "shuyang-2025.txt").read_bytes()
    result = runner.invoke(app, ["parse", "-", "--json"], input=text)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["cells"]["s3.new.total"]["value"] == 713


def test_not_a_report_is_one_line_and_exit_2(tmp_path):
    f = tmp_path / "note.txt"
    f.write_text("今天开会讨论了食堂菜单。", encoding="utf-8")
    result = runner.invoke(app, ["parse", str(f)])
    assert result.exit_code == 2
    assert "不是政府信息公开工作年度报告" in result.output
    assert "Traceback" not in result.output


@needs_corpus
def test_batch_writes_one_json_per_input_and_goes_on_after_failures(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name in ("pingtan-2023.txt", "shanghai-stcsm-2024.md"):
        (src / name).write_bytes((CORPUS / name).read_bytes())
    (src / "broken.txt").write_bytes(b"\x00\x01\x02binary")
    (src / "other.md").write_text("# 会议纪要\n无关内容", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["parse", str(src), "--out", str(out)])
    assert result.exit_code == 1
    written = sorted(p.name for p in out.glob("*.json"))
    assert written == ["pingtan-2023.json", "shanghai-stcsm-2024.json"]
    assert json.loads((out / "pingtan-2023.json").read_text("utf-8"))["cells"]["s3.new.total"]["value"] == 81
    assert "broken.txt" in result.output and "other.md" in result.output
    assert "成功 2，失败 2" in result.output


@needs_corpus
def test_batch_all_good_exits_0(tmp_path):
    out = tmp_path / "out"
    files = [str(CORPUS / "pingtan-2024.txt"), str(CORPUS / "pingtan-2025.txt")]
    result = runner.invoke(app, ["parse", *files, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert len(list(out.glob("*.json"))) == 2


def test_bad_format_hint(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["parse", str(f), "--format-hint", "2020"])
    assert result.exit_code == 2 and "--format-hint" in result.output
