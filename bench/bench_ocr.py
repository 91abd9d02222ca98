"""OCR of scanned reports: seconds per page and the whole-document time of a 5-page scan, on this machine.

    .venv/bin/python bench/bench_ocr.py

Pages: the labelled report huaian-city-2024 written to PDF by gongkai's writer, rasterised at 150 and
200 dpi and degraded like a real scan (skew, noise, JPEG quality 60, a red stamp over the table).

* per page: gongkai's whole page chain (preprocessing, OCR, orientation check, table grid) beside the
  baseline of a bare rapidocr call on the same image (default settings: detection, direction classifier
  and recognition, no preprocessing, no table structure);
* a 5-page scan (multi-page TIFF) through ``ocr_image`` and through ``parse_bytes`` (the path of
  ``gongkai parse``): two pages at a time (ours) beside one page at a time (the baseline).

The machine has two cores, shared with whatever else runs; the load average is printed with the figures.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "read"))


def timed(func, runs: int = 2) -> float:
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    import ocr_fixtures as fx
    from rapidocr import RapidOCR

    from gongkai.read import ocr, parse_bytes
    from gongkai.read.ocr._preprocess import load_images
    from gongkai.read.registry import ReadOptions

    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    bare = RapidOCR(params={"Global.log_level": "error"})
    engine = ocr.OcrEngine.shared()
    for dpi in (150, 200):
        pages = fx.writer_pages("huaian-city-2024", dpi=dpi)
        page = load_images(fx.scanned([pages[1]], dpi=dpi, seed=1))[0]
        engine.read(page)  # warm up
        bare(page)
        ours = timed(lambda p=page: ocr.ocr_page(p, engine=engine))
        base = timed(lambda p=page: bare(p))
        h, w = page.shape[:2]
        print(f"{dpi} dpi page ({w}×{h}): gongkai {ours:.2f} s/page   baseline bare rapidocr {base:.2f} s/page")

    pages = fx.writer_pages("huaian-city-2024", dpi=150)
    extra = fx.render_pages(fx.load_expected(fx.CORPUS / "seed-qizheng-2023.expected.json"), dpi=150)
    five = (pages + [p.image for p in extra])[:5]
    data = fx.scanned(five, dpi=150, seed=2)
    n = len(five)
    opts = ReadOptions()
    t_two = timed(lambda: ocr.ocr_image(data, opts), runs=1)
    saved = ocr.WORKERS
    try:
        ocr.WORKERS = 1
        t_one = timed(lambda: ocr.ocr_image(data, opts), runs=1)
    finally:
        ocr.WORKERS = saved
    t_parse = timed(lambda: parse_bytes(data, name="scan.tif"), runs=1)
    print(f"{n}-page scan, 150 dpi: ocr_image {t_two:.1f} s with 2 workers   baseline 1 worker {t_one:.1f} s")
    print(f"{n}-page scan, 150 dpi: parse_bytes (gongkai parse) {t_parse:.1f} s, {t_parse / n:.1f} s/page")
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
