"""Document readers: reports per second on one core, beside a baseline for each input kind.

    .venv/bin/python bench/bench_read_documents.py

For each kind: the reader alone (bytes → blocks), the whole parse (bytes → Report, every shared stage
after the reader), and a baseline that only parses the container with the usual library — lxml for
HTML, python-docx for DOCX, openpyxl (read-only, values) for XLSX, and ``pdftotext -layout`` (the
poppler command, as a subprocess) for PDF. Inputs: the real 5–6 page PDFs of the dev corpus, and the
bundled example report rendered by gongkai's own writer as HTML, DOCX, XLSX and PDF.
Targets (issue 3): HTML ≥ 100 reports/s; a 5-page PDF within 3× the time of pdftotext.
parse/s is CPU time of this process (``time.process_time``: the machine is shared, wall time would count
the other processes too); reader/s and baseline/s are wall time, run turn about (pdftotext is a child process).
"""
from __future__ import annotations

import io
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dev"  # shared/ beside the checkout


def per_second(func: Callable[[], object], *, min_seconds: float = 1.5, min_runs: int = 5) -> float:
    func()  # warm up (imports, caches)
    runs, start = 0, time.process_time()
    while runs < min_runs or time.process_time() - start < min_seconds:
        func()
        runs += 1
    return runs / (time.process_time() - start)


def interleaved(a: Callable[[], object], b: Callable[[], object], *, rounds: int = 15) -> tuple[float, float]:
    """Median seconds of ``a`` and of ``b``, run turn about so that a busy machine slows both alike."""
    a()
    b()
    ta, tb = [], []
    for _ in range(rounds):
        t0 = time.perf_counter()
        a()
        t1 = time.perf_counter()
        b()
        t2 = time.perf_counter()
        ta.append(t1 - t0)
        tb.append(t2 - t1)
    return statistics.median(ta), statistics.median(tb)


def inputs() -> dict[str, list[tuple[str, bytes]]]:
    from gongkai import examples
    from gongkai.write import render

    report = examples.load("qizheng-2023")
    out: dict[str, list[tuple[str, bytes]]] = {k: [(f"example.{k}", render(report, k))]
                                                 for k in ("html", "docx", "xlsx")}
    out["pdf"] = [(p.name, p.read_bytes()) for p in sorted(CORPUS.glob("huaian-*.pdf"))]
    out["pdf"].append(("example.pdf", render(report, "pdf")))
    return out


def baseline(kind: str, data: bytes, tmp: Path) -> Callable[[], object] | None:
    if kind == "html":
        import lxml.html

        return lambda: lxml.html.document_fromstring(data)
    if kind == "docx":
        import docx

        return lambda: docx.Document(io.BytesIO(data))
    if kind == "xlsx":
        import openpyxl

        def xlsx() -> None:
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            for ws in wb.worksheets:
                for _row in ws.iter_rows(values_only=True):
                    pass
            wb.close()

        return xlsx
    if kind == "pdf" and shutil.which("pdftotext"):
        path = tmp / "in.pdf"
        path.write_bytes(data)
        return lambda: subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return None


def main() -> None:
    from gongkai import read
    from gongkai.read.registry import ReadOptions, find_reader

    options = ReadOptions(ocr="never")
    names = {"html": "lxml parse", "docx": "python-docx open", "xlsx": "openpyxl values", "pdf": "pdftotext -layout"}
    print(f"{'input':28} {'reader/s':>9} {'parse/s':>9} {'baseline/s':>11}  ratio  baseline")
    with tempfile.TemporaryDirectory() as tmp:
        for kind, docs in inputs().items():
            for name, data in docs:
                reader = find_reader(data, name)
                assert reader is not None, name
                base = baseline(kind, data, Path(tmp))
                ours, theirs = interleaved(lambda reader=reader, data=data: reader.func(data, options),
                                           base or (lambda: None))
                r, b = 1 / ours, (1 / theirs if base else float("nan"))
                p = per_second(lambda data=data, name=name: read.parse_bytes(data, name=name, options=options),
                               min_seconds=1.0)
                pages = ""
                if kind == "pdf":
                    pages = f" ({reader.func(data, options).pages} pp)"
                print(f"{name + pages:28} {r:9.1f} {p:9.1f} {b:11.1f}  {b / r:4.1f}×  {names[kind]}")
    print("reader/s and baseline/s: medians of interleaved runs; ratio = reader time / baseline time "
          "(PDF target ≤ 3×; HTML target ≥ 100 reports/s)")


if __name__ == "__main__":
    main()
