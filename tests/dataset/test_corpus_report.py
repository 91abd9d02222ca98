"""`gongkai corpus report`: the overview page, its charts and the 通报 table, from a small real dataset."""
import csv
import shutil
from pathlib import Path

import duckdb
import openpyxl
import pytest
from typer.testing import CliRunner

from gongkai.cli import app
from gongkai.corpus import build

DEV = Path("/work/shared/corpus/dev")
for parent in Path(__file__).resolve().parents:
    if (parent / "shared" / "corpus" / "dev").is_dir():
        DEV = parent / "shared" / "corpus" / "dev"
        break
pytestmark = pytest.mark.skipif(not DEV.is_dir(), reason="needs ../shared/corpus/dev")


def test_overview_page_charts_and_tongbao(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name in ("pingtan-2020.txt", "pingtan-2021.txt", "pingtan-2022.txt", "huaian-hongze-2023.pdf",
                 "huaian-hongze-2024.pdf"):
        shutil.copy(DEV / name, src / name)
    build([src], tmp_path / "ds", workers=1)
    out = tmp_path / "web" / "overview.html"
    res = CliRunner().invoke(app, ["corpus", "report", str(tmp_path / "ds"), "-o", str(out)])
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    for heading in ("各年度各层级新收申请数量", "办理结果构成", "纠错率", "行政事业性收费", "数据质量", "有错误的机关", "通报表"):
        assert heading in html
    assert html.count("data:image/png;base64,") == 6
    charts = out.parent / "overview_图表"
    for name in ("applications", "outcomes", "partial_denied", "corrections", "fees", "quality"):
        assert (charts / f"{name}.png").stat().st_size > 5000
        assert "<svg" in (charts / f"{name}.svg").read_text(encoding="utf-8")[:2000]
    # the bodies with errors link to their findings: 平潭 2020 (I3) and 洪泽区 2023 (I5)
    con = duckdb.connect(str(tmp_path / "ds" / "corpus.duckdb"), read_only=True)
    bad = con.execute("SELECT report_id, year FROM reports WHERE errors > 0 ORDER BY year").fetchall()
    assert [y for _, y in bad] == [2020, 2023]
    for rid, _ in bad:
        assert f'href="#r-{rid}"' in html and f'id="r-{rid}"' in html
    assert "I3" in html and "I5" in html
    n = con.execute("SELECT count(*) FROM findings WHERE level IN ('error', 'warning')").fetchone()[0]
    rows = list(csv.reader((out.parent / "overview_通报.csv").open(encoding="utf-8-sig")))
    assert rows[0] == ["机关", "年度", "层级", "级别", "编号", "检查结果", "依据", "文件"] and len(rows) == n + 1
    i5 = next(r for r in rows if r[4] == "I5")
    assert i5[0] == "淮安市洪泽区人民政府" and i5[3] == "错误" and "=" in i5[6]
    ws = openpyxl.load_workbook(out.parent / "overview_通报.xlsx")["通报"]
    assert ws.max_row == n + 1


def test_report_on_a_folder_that_is_not_a_dataset(tmp_path):
    res = CliRunner().invoke(app, ["corpus", "report", str(tmp_path), "-o", str(tmp_path / "x.html")])
    assert res.exit_code == 2 and "corpus build" in res.output
