"""`gongkai corpus build`: the dataset equals the parser, builds are incremental, a dask cluster gives the same."""
import shutil
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from gongkai.cli import app
from gongkai.corpus import TABLES, assign, build, name_key
from gongkai.errors import GongkaiError
from gongkai.read import parse_file

SHARED = Path("/work/shared/corpus")
for parent in Path(__file__).resolve().parents:
    if (parent / "shared" / "corpus" / "dev").is_dir():
        SHARED = parent / "shared" / "corpus"
        break
DEV, WILD = SHARED / "dev", SHARED / "wild"
pytestmark = pytest.mark.skipif(not DEV.is_dir(), reason="needs ../shared/corpus")


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    out = tmp_path_factory.mktemp("ds")
    summary = build([DEV, WILD], out, workers=2)
    return out, summary


def tables(out):
    return {t: pq.read_table(out / f"{t}.parquet") for t in TABLES}


def test_duckdb_cells_equal_the_parser(dataset):
    out, summary = dataset
    con = duckdb.connect(str(out / "corpus.duckdb"), read_only=True)
    counts = dict(con.execute("SELECT f.path, count(c.key) FROM files f JOIN cells c USING (report_id) "
                              "GROUP BY f.path").fetchall())
    expected, failed = {}, set()
    for f in sorted([*DEV.iterdir(), *WILD.iterdir()]):
        if f.suffix == ".json" or f.name.startswith("."):
            continue
        try:
            expected[str(f.resolve())] = len(parse_file(f).report.cells)
        except GongkaiError:
            failed.add(str(f.resolve()))
    assert counts == expected
    assert sum(expected.values()) == con.execute("SELECT count(*) FROM cells").fetchone()[0] == summary.cells
    errors = {r[0] for r in con.execute("SELECT path FROM errors").fetchall()}
    assert errors == failed and str((DEV / "README.md").resolve()) in errors
    assert summary.failed == len(failed) and summary.reports == len(expected)
    # every finding of the parser is there too (per report, by id)
    n = con.execute("SELECT count(*) FROM findings WHERE prev_report_id IS NULL AND report_id = "
                    "(SELECT report_id FROM files WHERE path = ?)", [str((DEV / "pingtan-2023.txt").resolve())])
    assert n.fetchone()[0] == len(parse_file(DEV / "pingtan-2023.txt").findings)


def test_bodies_series_run_x1_x2(dataset):
    out, _ = dataset
    con = duckdb.connect(str(out / "corpus.duckdb"), read_only=True)
    rows = con.execute("SELECT body_id, year, x1, x2 FROM reports WHERE body_name LIKE '%洪泽区%' ORDER BY year").fetchall()
    assert len({r[0] for r in rows}) == 1, "洪泽区人民政府 and 淮安市洪泽区人民政府 are one body"
    assert [(r[1], r[2], r[3]) for r in rows] == [(2023, None, None), (2024, "holds", "holds")]
    pingtan = con.execute("SELECT year, x1, x2 FROM reports WHERE body_name = '平潭综合实验区' ORDER BY year").fetchall()
    assert pingtan == [(2020, None, None), (2021, "holds", None), (2022, "holds", "holds"), (2023, "holds", "breaks"),
                       (2024, "holds", "breaks"), (2025, "holds", "breaks")]
    x2 = con.execute("SELECT count(*) FROM findings WHERE check_id = 'X2' AND prev_report_id IS NOT NULL").fetchone()[0]
    assert x2 == 3


def test_second_build_reads_nothing_again(dataset, tmp_path):
    out, _ = dataset
    before = tables(out)
    again = build([DEV, WILD], out, workers=2)
    assert (again.opened, again.parsed, again.removed) == (0, 0, 0) and again.reused == again.reports
    after = tables(out)
    assert all(before[t].equals(after[t]) for t in TABLES)


def test_changed_moved_and_removed_files(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name in ("pingtan-2023.txt", "pingtan-2024.txt", "seed-qizheng-2023.txt"):
        shutil.copy(DEV / name, src / name)
    out = tmp_path / "ds"
    first = build([src], out, workers=1)
    assert first.parsed == 3 and first.series_pairs == 1
    (src / "seed-qizheng-2023.txt").rename(src / "qizheng.txt")  # moved: hashed, not parsed
    text = (src / "pingtan-2024.txt").read_text(encoding="utf-8")
    (src / "pingtan-2024.txt").write_text(text.replace("平潭综合实验区", "平潭綜合實驗區", 1), encoding="utf-8")
    second = build([src], out, workers=1)
    assert (second.opened, second.parsed, second.removed) == (2, 1, 1)
    con = duckdb.connect(str(out / "corpus.duckdb"), read_only=True)
    assert con.execute("SELECT count(DISTINCT body_id), count(*) FROM reports "
                       "WHERE body_name LIKE '平潭%'").fetchone() == (1, 2)  # Traditional name, same body
    (src / "qizheng.txt").unlink()
    third = build([src], out, workers=1)
    assert (third.parsed, third.removed, third.reports) == (0, 1, 2)
    inside = build([src], src / "dataset", workers=1)  # a dataset inside an input folder is not an input
    assert (inside.inputs, inside.failed) == (2, 0)
    assert (build([src], src / "dataset", workers=1).inputs, inside.reports) == (2, 2)


def test_dask_local_cluster_gives_the_same_dataset(tmp_path):
    distributed = pytest.importorskip("distributed")
    src = tmp_path / "in"
    src.mkdir()
    for name in ("pingtan-2022.txt", "pingtan-2023.txt", "shuyang-2025.txt", "README.md"):
        shutil.copy(DEV / name, src / name)
    local = build([src], tmp_path / "local", workers=1)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = build([src], tmp_path / "dask", scheduler=cluster.scheduler_address)
    assert (remote.parsed, remote.failed, remote.reports) == (local.parsed, local.failed, local.reports) == (4, 1, 3)
    a, b = tables(tmp_path / "local"), tables(tmp_path / "dask")
    assert all(a[t].equals(b[t]) for t in TABLES)


def test_body_names():
    assert name_key("洪泽區政府") == name_key("洪泽区人民政府")
    bodies = assign(["淮安市洪泽区人民政府", "洪泽区人民政府", "南岗区七政街道办事处", "七政街道",
                     "南京市鼓楼区人民政府", "福州市鼓楼区人民政府", "鼓楼区人民政府"])
    assert bodies["洪泽区人民政府"].id == bodies["淮安市洪泽区人民政府"].id
    assert bodies["七政街道"].id == bodies["南岗区七政街道办事处"].id
    ids = {bodies[n].id for n in ("南京市鼓楼区人民政府", "福州市鼓楼区人民政府", "鼓楼区人民政府")}
    assert len(ids) == 3, "an ambiguous short name is never merged"
    # ids are stable: a fuller name seen later keeps the id through the alias table
    known = {k: bodies["洪泽区人民政府"].id for k in bodies["洪泽区人民政府"].keys}
    later = assign(["江苏省淮安市洪泽区人民政府", "洪泽区人民政府"], known)
    assert later["江苏省淮安市洪泽区人民政府"].id == bodies["洪泽区人民政府"].id


def test_cli_build_summary_and_errors(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(DEV / "pingtan-2023.txt", src / "a.txt")
    (src / "bad.txt").write_text("这不是年报。", encoding="utf-8")
    res = CliRunner().invoke(app, ["corpus", "build", str(src), "-o", str(tmp_path / "ds"), "-j", "1"])
    assert res.exit_code == 1, res.output
    assert "读取失败" in res.output and "bad.txt" in res.output and "单元格" in res.output
