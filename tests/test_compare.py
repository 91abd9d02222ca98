"""`gongkai compare` on two real years of the same body (../shared/corpus/dev): the known cross-year facts."""
import io
import json
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongkai.cli import app
from gongkai.compare import compare, follow_up, problems, render
from gongkai.read import parse_file

DEV = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev"
if not DEV.is_dir():
    DEV = Path("/work/shared/corpus/dev")
pytestmark = pytest.mark.skipif(not DEV.is_dir(), reason="needs ../shared/corpus/dev")
runner = CliRunner()


@cache
def report(name):
    return parse_file(DEV / name).report


def cross(cmp):
    return {x.id: x for x in cmp.cross}


def test_pingtan_2023_2024_x1_holds_x2_breaks_on_normative_docs():
    cmp = compare(report("pingtan-2023.txt"), report("pingtan-2024.txt"))
    x = cross(cmp)
    assert x["X1"].status == "holds" and len(x["X1"].evidence) == 7
    assert all(e.lhs == e.rhs for e in x["X1"].evidence)
    assert x["X2"].status == "breaks"
    broken = [e for e in x["X2"].evidence if not e.holds]
    assert [(e.scope, e.lhs, e.rhs) for e in broken] == [("normative_docs", 440, 470 + 62 - 33)]
    assert x["X3"].status == "not_applicable"
    # the 2023 prose says 393 行政规范性文件 in force, the table 470 (dev README)
    last_rows = cmp.narrative[0].rows
    assert any(r.key == "s2.normative_docs.in_force" and r.stated == 393 and r.table == 470 and r.agrees is False
               for r in last_rows)
    assert cmp.narrative[0].findings and cmp.narrative[0].findings[0].id == "W1"


def test_pingtan_x2_chain_breaks_where_the_readme_says():
    holds = {}
    for y in (2021, 2022, 2023, 2024):
        cmp = compare(report(f"pingtan-{y}.txt"), report(f"pingtan-{y + 1}.txt"))
        holds[y + 1] = cross(cmp)["X2"].status
        assert cross(cmp)["X1"].status == "holds"
    assert holds == {2022: "holds", 2023: "breaks", 2024: "breaks", 2025: "breaks"}


def test_hongze_2023_2024_x1_and_x2_hold_and_texts_repeat():
    cmp = compare(report("huaian-hongze-2024.pdf"), report("huaian-hongze-2023.pdf"))  # given the wrong way round
    assert (cmp.last.year, cmp.this.year) == (2023, 2024) and any("按年度排列" in n for n in cmp.notes)
    x = cross(cmp)
    assert x["X1"].status == "holds" and x["X2"].status == "holds"
    assert "50.0%" in x["X4"].summary
    sections = {s.number: s for s in cmp.sections}
    assert sections[6].rate > 0.9 and sections[6].rows[0].status == "repeated"
    assert 0.4 < sections[1].rate < 0.6 and sections[1].sentences_repeated >= 5
    assert len(cmp.cells) == 186 and any(c.changed for c in cmp.cells)
    texts = [p.text for p in cmp.problems]
    assert texts == ["依申请公开工作规范性还有待提高", "政务公开内容的深度和广度还有待提升", "政务公开队伍建设有待加强"]
    assert cmp.problems[0].status == "reported" and "依申请公开" in cmp.problems[0].evidence
    # the 2024 prose says 17 applications, the table 95 (dev README); 2023's prose agrees with its table
    assert [(r.stated, r.table, r.agrees) for r in cmp.narrative[1].rows if r.key == "s3.new.total"] == [(17, 95, False)]
    assert [f.id for f in cmp.narrative[1].findings] == ["W1"]
    assert all(r.agrees for r in cmp.narrative[0].rows)


def test_problems_and_follow_up_on_enumerated_items():
    last = ("存在的问题主要有：一是信息发布属性界定不够精确；二是政策解读形式单一。"
            "2024年，我区将采取以下措施加以改进：一是加强检查。")
    assert problems(last) == ["信息发布属性界定不够精确", "政策解读形式单一"]
    found = follow_up(last, "针对上年度报告指出的问题，我区丰富了政策解读形式，开展图解、视频解读。")
    assert [p.status for p in found] == ["absent", "reported"]


def test_cli_writes_every_kind(tmp_path):
    a, b = str(DEV / "pingtan-2023.txt"), str(DEV / "pingtan-2024.txt")
    for suffix in ("html", "docx", "xlsx", "json"):
        out = tmp_path / f"cmp.{suffix}"
        res = runner.invoke(app, ["compare", a, b, "-o", str(out)])
        assert res.exit_code == 0, res.output
        assert "X2 不成立" in res.output
    html = (tmp_path / "cmp.html").read_text(encoding="utf-8")
    assert "<script" not in html and "<link" not in html and "重复率" in html and "@media print" in html
    import docx
    import openpyxl
    doc = docx.Document(str(tmp_path / "cmp.docx"))
    assert any("跨年检查" in p.text for p in doc.paragraphs)
    wb = openpyxl.load_workbook(tmp_path / "cmp.xlsx")
    assert {"逐格对比", "跨年检查", "正文对比", "上年问题整改", "正文数字与表格"} <= set(wb.sheetnames)
    assert wb["逐格对比"].max_row == 201
    data = json.loads((tmp_path / "cmp.json").read_text(encoding="utf-8"))
    assert data["this"]["year"] == 2024 and len(data["cells"]) == 200
    res = runner.invoke(app, ["compare", a, b, "--json"])
    assert json.loads(res.stdout)["cross"][0]["status"] == "holds"
    res = runner.invoke(app, ["compare", a, b, "-o", str(tmp_path / "x.pdf")])
    assert res.exit_code == 2 and "无法从文件名" in res.output


def test_render_is_bytes_for_the_web_view():
    cmp = compare(report("pingtan-2023.txt"), report("pingtan-2024.txt"))
    assert render(cmp, "html").startswith(b"<!DOCTYPE html>")
    assert io.BytesIO(render(cmp, "xlsx")).read(2) == b"PK"
