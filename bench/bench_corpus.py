"""Corpus build at scale and command start-up, each beside a baseline.

    .venv/bin/python bench/bench_corpus.py [N]          # N reports (default 10,000)

1. Inputs: every report of ../shared/corpus/dev, ../shared/corpus/wild and tests/corpus/wild is parsed once,
   then written N times through gongkai's writers as text (the Markdown writer, saved as .txt), HTML, DOCX,
   XLSX and PDF (PDF a smaller share: rendering one takes ~0.5 s), each copy under another body name and year,
   so that bodies have series. Generated once into /tmp/gongkai-bench-corpus/N (kept; delete it to regenerate).
2. Per kind, reports/s on one core: the build's worker step (read → parse → check → rows) over a sample,
   in CPU time of this process (the machine is shared: wall time would count other processes). Baselines:
   for the dataset step, ``json.loads`` of the Report JSON + a pyarrow table of its cells; for PDF also
   ``pdftotext -layout`` (a child process, wall time); for DOCX/XLSX the container alone (python-docx, openpyxl).
3. The whole ``corpus build`` over the N inputs with local processes (wall time, reports/s), then a second
   build of the same inputs (nothing is read again).
   Beside them, the same step over the corpora's real text/HTML pages, each read once in a fresh process
   (the generated inputs repeat their sources, so label and cell caches are warmer there than in the field).
4. Start-up (whole process, median wall and CPU time of 15): ``gongkai --help``, ``gongkai deadline``, ``gongkai parse``
   on one text file, beside ``python3 -c pass`` and the venv's ``python -c pass``.
Targets (issue 14): start-up ≤ 0.2 s; text/HTML ≥ 300 reports/s per core.
"""
from __future__ import annotations

import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
if not SHARED.is_dir():
    SHARED = Path("/work/shared/corpus")
SOURCES = [SHARED / "dev", SHARED / "wild", ROOT / "tests" / "corpus" / "wild"]
SHARES = {"txt": 0.30, "html": 0.30, "docx": 0.19, "xlsx": 0.18, "pdf": 0.03}
KIND_OF = {"txt": "md", "html": "html", "docx": "docx", "xlsx": "xlsx", "pdf": "pdf"}
CITIES = "甲乙丙丁戊己庚辛壬癸"


def sources() -> list:
    from gongkai.errors import GongkaiError
    from gongkai.read import parse_file

    out = []
    for folder in SOURCES:
        for f in sorted(folder.iterdir()):
            if f.suffix == ".json" or f.name.startswith("."):
                continue
            try:
                r = parse_file(f).report
            except GongkaiError:
                continue
            if len(r.cells) >= 20:
                out.append(r)
    return out


def _variant(report, i: int, n_sources: int):
    rep = i // n_sources
    group, offset = divmod(rep, 5)
    agency = report.agency or "某区人民政府"
    city = f"{CITIES[group % 10]}{group // 10 + 1}市"
    year = (2019 if report.format == "2019-trial" else 2021) + offset
    return report.with_metadata(agency=city + agency, year=year)


def _render_batch(args: tuple[list[tuple[int, str, str]], str]) -> int:
    items, folder = args
    from gongkai.write import render

    reports = _SRC
    for i, ext, name in items:
        r = _variant(reports[i % len(reports)], i, len(reports))
        Path(folder, name).write_bytes(render(r, KIND_OF[ext], findings=[]))
    return len(items)


_SRC: list = []


def generate(n: int) -> Path:
    folder = Path(tempfile.gettempdir()) / "gongkai-bench-corpus" / str(n)
    stamp = folder / ".complete"
    if stamp.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    global _SRC
    _SRC = sources()
    plan: list[tuple[int, str, str]] = []
    i = 0
    for ext, share in SHARES.items():
        for _ in range(round(n * share)):
            plan.append((i, ext, f"r{i:05d}.{ext}"))
            i += 1
    print(f"generating {len(plan)} inputs from {len(_SRC)} parsed reports into {folder} (once) …", flush=True)
    t0 = time.perf_counter()
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    batches = [(plan[k:k + 50], str(folder)) for k in range(0, len(plan), 50)]
    done = 0
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1, mp_context=multiprocessing.get_context("fork")) as pool:
        for k in pool.map(_render_batch, batches):
            done += k
            if done % 1000 < 50:
                print(f"  {done}/{len(plan)} ({time.perf_counter() - t0:.0f} s)", flush=True)
    stamp.write_text(str(len(plan)))
    print(f"generated in {time.perf_counter() - t0:.0f} s", flush=True)
    return folder


def cpu_rate(func, items: list, *, min_seconds: float = 3.0) -> float:
    func(items[0])
    done, start = 0, time.process_time()
    while done < len(items) and (time.process_time() - start < min_seconds or done < 20):
        func(items[done])
        done += 1
    return done / (time.process_time() - start)


def baseline_dataset(jsons: list[bytes]) -> float:
    """json.loads of Report JSON + a pyarrow table of its cells + writing Parquet: the floor of the dataset step."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    start = time.process_time()
    cols: dict[str, list] = {"report_id": [], "key": [], "value": [], "status": []}
    for k, data in enumerate(jsons):
        d = json.loads(data)
        for key, c in d["cells"].items():
            cols["report_id"].append(str(k))
            cols["key"].append(key)
            v = c.get("value")
            cols["value"].append(None if v is None else float(v))
            cols["status"].append(c.get("status", "ok"))
    pq.write_table(pa.table(cols), io.BytesIO())
    return len(jsons) / (time.process_time() - start)


def startup(cmd: list[str], rounds: int = 15) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system, of the child) of a whole process."""
    import resource

    walls, cpus = [], []
    for _ in range(rounds):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def real_pages() -> None:
    """The worker step over the real pages of the corpora (text, Markdown and HTML; each read once, in a fresh
    process so no page's cache is warm, after one tiny input has done the imports): the generated corpus repeats
    its ~90 sources, real reports do not."""
    from gongkai.corpus.build import read_one

    files = [f for folder in SOURCES for f in sorted(folder.iterdir())
             if f.suffix.lower() in (".txt", ".md", ".html", ".htm")]
    datas = [(str(f), f.read_bytes()) for f in files]
    read_one("warm-up.txt", b"\xe4\xb8\x80\xe3\x80\x81")  # the imports and first-call set-up, not a page's caches
    start = time.process_time()
    for path, data in datas:
        read_one(path, data)
    t = time.process_time() - start
    print(f"real pages (dev + wild corpora, {len(datas)} text/HTML files, each once, cold caches): "
          f"{len(datas) / t:.0f} reports/s", flush=True)


def main() -> None:
    if sys.argv[1:] == ["--real"]:
        real_pages()
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    folder = generate(n)
    files = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    by_ext: dict[str, list[Path]] = {}
    for f in files:
        by_ext.setdefault(f.suffix[1:], []).append(f)
    print(f"\n{len(files)} inputs: " + ", ".join(f"{k} {len(v)}" for k, v in by_ext.items()))

    from gongkai.corpus.build import read_one

    print("\n== one core: the build's worker step (read → parse → check → rows), CPU time")
    print(f"{'kind':6} {'reports/s':>10}   baseline")
    jsons: list[bytes] = []
    for ext in SHARES:
        sample = by_ext.get(ext, [])[:400]
        if not sample:
            continue
        rate = cpu_rate(lambda p: read_one(str(p)), sample)
        base = ""
        if ext == "pdf" and shutil.which("pdftotext"):
            t0 = time.perf_counter()
            for p in sample[:20]:
                subprocess.run(["pdftotext", "-layout", str(p), "-"], stdout=subprocess.DEVNULL, check=True)
            base = f"pdftotext -layout {20 / (time.perf_counter() - t0):.1f}/s (wall)"
        elif ext == "docx":
            import docx

            base = f"python-docx open {cpu_rate(lambda p: docx.Document(str(p)), sample):.0f}/s"
        elif ext == "xlsx":
            import openpyxl

            base = f"openpyxl load {cpu_rate(lambda p: openpyxl.load_workbook(p, read_only=True), sample):.0f}/s"
        if ext in ("txt", "html"):
            from gongkai.read import parse_file

            jsons += [parse_file(p).to_json().encode() for p in sample[:200]]
        target = "  (target ≥ 300)" if ext in ("txt", "html") else ""
        print(f"{ext:6} {rate:10.1f}   {base}{target}", flush=True)
    subprocess.run([sys.executable, __file__, "--real"], check=False)
    if jsons:
        print(f"baseline for the dataset step: json.loads + pyarrow table + Parquet: {baseline_dataset(jsons):.0f} "
              "reports/s")

    from gongkai.corpus import build

    keep = os.environ.get("GONGKAI_BENCH_KEEP")  # a folder to keep the dataset in (for gongkai corpus report)
    out = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="gongkai-bench-ds-"))
    if keep:
        shutil.rmtree(out, ignore_errors=True)
    try:
        workers = os.cpu_count() or 1
        print(f"\n== corpus build of {len(files)} inputs, {workers} local processes (wall time)")
        t0 = time.perf_counter()
        s = build([folder], out, workers=workers)
        t = time.perf_counter() - t0
        print(f"first build: {t:.1f} s, {s.parsed / t:.1f} reports/s ({s.parsed / t / workers:.1f} per process); "
              f"reports {s.reports}, cells {s.cells:,}, findings {s.findings:,}, bodies {s.bodies}, "
              f"pairs {s.series_pairs}, failed {s.failed}")
        t0 = time.perf_counter()
        s2 = build([folder], out, workers=workers)
        print(f"second build (nothing changed): {time.perf_counter() - t0:.1f} s, opened {s2.opened}, "
              f"parsed {s2.parsed}")
    finally:
        if not keep:
            shutil.rmtree(out, ignore_errors=True)

    print("\n== start-up, whole process, median of 15: wall time, and CPU time (user + system; less noisy when the "
          "machine is shared)")
    gk = str(Path(sys.executable).with_name("gongkai"))
    one = str(by_ext["txt"][0])
    rows = [("python3 -c pass", ["python3", "-c", "pass"]),
            ("venv python -c pass", [sys.executable, "-c", "pass"]),
            ("gongkai --help", [gk, "--help"]),
            ("gongkai deadline 2024-09-27", [gk, "deadline", "2024-09-27"]),
            ("gongkai parse one.txt --json", [gk, "parse", one, "--json"])]
    for label, cmd in rows:
        target = "  (target ≤ 0.2 s)" if label.startswith("gongkai --help") or "deadline" in label else ""
        w, c = startup(cmd)
        print(f"{label:32} wall {w * 1000:6.0f} ms   cpu {c * 1000:6.0f} ms{target}", flush=True)


if __name__ == "__main__":
    main()
