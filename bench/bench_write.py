"""Time to render each output format for one report and for a batch of 1,000 reports, on one core.

Figures are CPU seconds of the rendering process (``time.process_time``; for LibreOffice, of its
child processes), with wall-clock time beside them: the machine that runs ``make bench`` is often
shared, and CPU time is what one core really spends.

    .venv/bin/python bench/bench_write.py [--n 1000] [--pdf-n 1000] [--jobs 1]

Reports are random but valid (tallied from random ledgers) with the section texts of the bundled
七政街道 example, so every document has the full narrative, three tables and a realistic length.
Checks run once per report outside the timing (``findings=`` is passed), as ``gongkai render`` does.

Baselines beside ours:
* DOCX: the same grid built the usual python-docx way (``add_table`` + ``cell.merge`` per span);
* PDF: LibreOffice converting our DOCX (``soffice --headless --convert-to pdf``), one process per
  report, and one process for a batch of 20 files (its best case);
* JSON (the model serialised) is the floor every other format pays on top of.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from gongkai.checks import run_checks
from gongkai.examples import load as load_example
from gongkai.formats import get_format
from gongkai.report import Report
from gongkai.tally import ApplicationRecord, CaseRecord, tally
from gongkai.write import TO, layout, render

ORDER = ("json", "html", "md", "docx", "xlsx", "pdf")
assert set(ORDER) == set(TO)


def make_report(seed: int) -> Report:
    rnd = random.Random(seed)
    fid = "2021" if seed % 4 else "2019-trial"
    fmt = get_format(fid)
    cols = [c.key for c in fmt.s3.columns if c.key != "total"]
    leaves = fmt.s3_leaves()
    apps = []
    for _ in range(rnd.randint(0, 300)):
        received = dt.date(2024, 1, 1) + dt.timedelta(days=rnd.randint(-60, 364))
        closed = received + dt.timedelta(days=rnd.randint(1, 60)) if rnd.random() < 0.9 else None
        apps.append(ApplicationRecord(rnd.choice(cols), received, closed, rnd.choice(leaves) if closed else None))
    cases = [CaseRecord(rnd.choice(("review", "litigation_direct")), dt.date(2024, 3, 1), dt.date(2024, 5, 1),
                        rnd.choice(("upheld", "corrected", "other"))) for _ in range(rnd.randint(0, 5))]
    report = tally(apps, cases, year=2024, format_id=fid, agency=f"某市第{seed}区人民政府")
    return report.model_copy(update={"sections": load_example("qizheng-2023").sections})


def _render_batch(args: tuple[list[Report], list[list], str]) -> int:
    reports, findings, kind = args
    return sum(len(render(r, kind, findings=f)) for r, f in zip(reports, findings, strict=True))


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def time_batch(reports: list[Report], findings: list[list], kind: str, jobs: int) -> tuple[float, float]:
    """(CPU seconds, wall seconds) for the batch."""
    c0, t0 = _cpu(), time.perf_counter()
    if jobs <= 1:
        _render_batch((reports, findings, kind))
    else:
        chunks = [(reports[i::jobs], findings[i::jobs], kind) for i in range(jobs)]
        with ProcessPoolExecutor(jobs) as pool:
            list(pool.map(_render_batch, chunks))
    return _cpu() - c0, time.perf_counter() - t0


def naive_docx(report: Report) -> bytes:
    """Baseline: the grids built cell by cell with python-docx's ``cell.merge``."""
    import io

    import docx
    doc = docx.Document()
    for grid in layout(report, findings=[]).grids:
        table = doc.add_table(rows=grid.n_rows, cols=grid.n_cols)
        table.style = "Table Grid"
        for c in grid.cells:
            cell = table.cell(c.row, c.col)
            if c.rowspan > 1 or c.colspan > 1:
                cell = cell.merge(table.cell(c.row + c.rowspan - 1, c.col + c.colspan - 1))
            cell.text = c.text
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def libreoffice(paths: list[Path], outdir: Path) -> float:
    """CPU seconds LibreOffice spends converting ``paths``."""
    c0 = _cpu()
    subprocess.run(["soffice", f"-env:UserInstallation=file://{outdir / 'profile'}", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(outdir), *map(str, paths)],
                   capture_output=True, check=True, timeout=600)
    return _cpu() - c0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000, help="reports in the batch")
    ap.add_argument("--pdf-n", type=int, default=1000, help="reports in the PDF batch (PDF is the slow one)")
    ap.add_argument("--jobs", type=int, default=1, help="processes for the batch")
    a = ap.parse_args()
    reports = [make_report(i) for i in range(a.n)]
    findings = [run_checks(r) for r in reports]
    one, f1 = reports[1], findings[1]
    for kind in ORDER:  # warm up imports, fonts, caches
        render(one, kind, findings=f1)
    print(f"write: CPU time on one core (wall clock in brackets); one report = median of 5; {a.jobs} process(es)")
    print(f"{'format':<6} {'one report':>12} {'batch':>14} {'CPU':>10} {'per report':>12} {'wall':>12} {'bytes':>9}")
    for kind in ORDER:
        times = []
        for _ in range(5):
            c0 = time.process_time()
            data = render(one, kind, findings=f1)
            times.append(time.process_time() - c0)
        n = a.pdf_n if kind == "pdf" else a.n
        cpu, wall = time_batch(reports[:n], findings[:n], kind, a.jobs)
        print(f"{kind:<6} {sorted(times)[2] * 1000:>9.1f} ms {n:>6} reports {cpu:>8.1f} s {cpu / n * 1000:>9.1f} ms"
              f" [{wall:>8.1f} s] {len(data):>9,}")
    # baselines
    c0 = time.process_time()
    for _ in range(5):
        naive_docx(one)
    print(f"baseline docx (python-docx add_table + cell.merge): {(time.process_time() - c0) / 5 * 1000:.1f} ms "
          "per report")
    if shutil.which("soffice"):
        with tempfile.TemporaryDirectory() as tmp:
            d = Path(tmp)
            paths = []
            for i in range(20):
                p = d / f"r{i}.docx"
                p.write_bytes(render(reports[i], "docx", findings=findings[i]))
                paths.append(p)
            libreoffice(paths[:1], d / "warm")
            single = libreoffice(paths[:1], d / "one")
            batch = libreoffice(paths, d / "batch")
        print(f"baseline pdf (LibreOffice from our DOCX): {single * 1000:.0f} ms CPU for one report (own soffice "
              f"process); {batch / 20 * 1000:.0f} ms per report in a batch of 20")


if __name__ == "__main__":
    main()
