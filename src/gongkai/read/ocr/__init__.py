"""OCR for scanned reports: image-only PDF pages and photos/scans (PNG, JPEG, TIFF, BMP).

    page image → prepare (stamp, contrast, noise, orientation, skew) → OCR text boxes
               → ruled-table grids (merged cells) → text placed in cells → blocks in reading order

The blocks enter the same normalisation, alignment and repair stages as every other reader; a
:class:`~gongkai.read.blocks.TableBlock` from OCR carries the engine's confidence for each cell.

Everything runs offline on the CPU with the models shipped inside the rapidocr wheel. Pages are
processed two at a time on worker threads (each with its own engine); each page has a time limit.
"""
from __future__ import annotations

import itertools
import os
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from ...errors import CorruptDocument, GongkaiError, NeedsOCR, NotAReport, ReadError
from ..blocks import Block, Paragraph, TableBlock, grid_from_spans
from ..registry import Document, ReadOptions
from ._engine import OcrEngine, TextBox
from ._grid import Grid, cluster_lines, columns_from_lines, find_grids, line_text, place_text
from ._preprocess import MAX_SIDE, deskew, frame_count, ink_fraction, load_frame, load_images, prepare

__all__ = ["OcrEngine", "PageResult", "layout", "ocr_image", "ocr_page", "ocr_pdf_pages", "rasterise_pdf_page", "run_pages"]

PDF_DPI = 200
PAGE_TIMEOUT = 180.0  # seconds for one page, preprocessing and OCR included
WORKERS = 2
SHOW_PROGRESS = True  # a per-document progress bar on a terminal's stderr (a caller with its own display
#                       turns it off)


@dataclass
class PageResult:
    page: int
    blocks: list[Block] = field(default_factory=list)
    info: dict[str, float] = field(default_factory=dict)
    error: str | None = None
    seconds: float = 0.0


# --- one page ------------------------------------------------------------------------------------------

def ocr_page(bgr: np.ndarray, *, page: int = 1, engine: OcrEngine | None = None) -> PageResult:
    """OCR one page image (BGR or grey) into blocks in reading order."""
    t0 = time.perf_counter()
    engine = engine or OcrEngine.shared()
    grey, info = prepare(bgr)
    result = PageResult(page=page, info=info)
    if ink_fraction(grey) < 0.0005:
        info["blank"] = 1.0
        result.seconds = time.perf_counter() - t0
        return result
    grey, boxes = _orient(grey, engine.read(grey), engine, info)
    info["score"] = round(_median_score(boxes), 4)
    result.blocks = layout(grey, boxes, page=page)
    result.seconds = time.perf_counter() - t0
    return result


def _quality(boxes: list[TextBox]) -> float:
    """How much text reads well: confident characters on horizontal lines.

    An upside-down page reads little; a sideways one reads as vertical lines (which rapidocr turns and
    reads), so those do not count.
    """
    return sum(len(b.text.strip()) * b.score for b in boxes
               if b.score >= 0.8 and (b.x1 - b.x0) >= 0.8 * b.height)


def _orient(grey: np.ndarray, boxes: list[TextBox], engine: OcrEngine, info: dict[str, float]
            ) -> tuple[np.ndarray, list[TextBox]]:
    """Turn the page upright: 90°, 180° or 270°, decided by how well the text reads."""
    if not boxes:  # nothing reads at all: turning the page will not make text appear
        return grey, boxes
    h, w = grey.shape[:2]
    suspicious = (w > 1.15 * h or len(boxes) < 8 or _median_score(boxes) < 0.9 or _mostly_vertical(boxes))
    if not suspicious:
        flipped, asked = engine.upside_down_votes(grey, boxes)
        if asked < 3 or flipped * 3 < asked * 2:
            return grey, boxes
    best = (_quality(boxes), 0, grey, boxes)
    for k in (2, 1, 3):  # np.rot90 turns: 180°, 90° counter-clockwise, 90° clockwise
        turned = np.ascontiguousarray(np.rot90(grey, k))
        if k in (1, 3):
            turned, _ = deskew(turned)
        tb = engine.read(turned)
        q = _quality(tb)
        if q > best[0] * 1.3 + 5:
            best = (q, k, turned, tb)
            if k == 2 and _median_score(tb) >= 0.95 and len(tb) >= 8 and not _mostly_vertical(tb):
                break  # clearly upright now
    if best[1]:
        info["rot90" if best[1] in (1, 3) else "rot180"] = 1.0
    return best[2], best[3]


def _mostly_vertical(boxes: list[TextBox]) -> bool:
    long = [b for b in boxes if max(b.x1 - b.x0, b.height) > 2.5 * min(b.x1 - b.x0, b.height)]
    tall = sum(1 for b in long if b.height > b.x1 - b.x0)
    return len(long) >= 3 and tall > 0.6 * len(long)


def _median_score(boxes: list[TextBox]) -> float:
    return float(np.median([b.score for b in boxes])) if boxes else 0.0


def layout(grey: np.ndarray, boxes: list[TextBox], *, page: int) -> list[Block]:
    """Blocks in reading order: ruled tables as grids, the other text as paragraphs (or rule-less tables)."""
    placed: list[tuple[float, Block]] = []
    rest = boxes
    for grid in find_grids(grey, boxes):
        cells, conf, rest = place_text(grid, rest, grey)
        if not any(t for *_, t in cells):
            continue
        placed.append((grid.y0, _table_block(grid, cells, conf, page)))
    placed.extend(_text_blocks(rest, page))
    placed.sort(key=lambda p: p[0])
    return [b for _, b in placed]


def _table_block(grid: Grid, cells: list[tuple[int, int, int, int, str]],
                 conf: dict[tuple[int, int], float | None], page: int) -> TableBlock:
    tb = grid_from_spans(cells, grid.n_rows, grid.n_cols)
    confidence = tuple(
        tuple(conf.get((r, c)) if tb.rows[r][c] is not None else None for c in range(grid.n_cols))
        for r in range(grid.n_rows))
    # rows whose every cell is blank (a spacer between rules) carry nothing
    keep = [r for r in range(grid.n_rows) if any(v for v in tb.rows[r])]
    rows = tuple(tb.rows[r] for r in keep)
    return TableBlock(rows=rows, page=page, confidence=tuple(confidence[r] for r in keep))


def _text_blocks(boxes: list[TextBox], page: int) -> list[tuple[float, Block]]:
    lines = cluster_lines(boxes)
    if not lines:
        return []
    heights = [float(np.median([b.height for b in line])) for line in lines]
    left = float(np.percentile([line[0].x0 for line in lines], 10))
    right = float(np.percentile([line[-1].x1 for line in lines], 90))
    out: list[tuple[float, Block]] = []
    i = 0
    para: list[str] = []
    para_y = 0.0
    prev_end = right

    def flush() -> None:
        if para:
            out.append((para_y, Paragraph(text="".join(para), page=page)))
            para.clear()

    while i < len(lines):
        # a run of aligned multi-column lines without rules: a table by text-line clustering
        j = i
        while j < len(lines) and _is_columnar(lines[j]):
            j += 1
        if j - i >= 3:
            flush()
            rows, confs = columns_from_lines(lines[i:j])
            out.append((lines[i][0].y0, TableBlock(rows=tuple(tuple(r) for r in rows), page=page,
                                                   confidence=tuple(tuple(c) for c in confs))))
            prev_end = right
            i = j
            continue
        line = lines[i]
        h = heights[i]
        text = line_text(line)
        starts_new = (line[0].x0 > left + 1.2 * h or prev_end < right - 2.5 * h or len(line) > 1
                      or _looks_like_heading(text))
        if starts_new:
            flush()
        if not para:
            para_y = line[0].y0
        para.append(text)
        prev_end = line[-1].x1
        if len(line) > 1:
            flush()
            prev_end = right
        i += 1
    flush()
    return out


def _is_columnar(line: list[TextBox]) -> bool:
    if len(line) < 2:
        return False
    h = float(np.median([b.height for b in line]))
    return all(b.x0 - a.x1 > 2.0 * h for a, b in itertools.pairwise(line))


_HEADING_STARTS = tuple("一二三四五六七八九十") + ("（", "(")


def _looks_like_heading(text: str) -> bool:
    return text.startswith(_HEADING_STARTS) and ("、" in text[:4] or "）" in text[:5] or ")" in text[:5])


# --- many pages, in parallel ---------------------------------------------------------------------------

Job = tuple[int, str, bytes, int]  # (page, kind "pdf"|"image", data, index)

# Pages run on worker threads, each with an engine of its own (one onnxruntime thread each).
# onnxruntime and OpenCV release the GIL, so two threads use both cores. (A process pool was tried:
# "spawn" re-imports the caller's __main__ — a script without a main guard forks without end — and
# reloads the models in every worker; "fork" is unsafe in threaded hosts such as the web server.)
_ENGINES: queue.SimpleQueue[OcrEngine] = queue.SimpleQueue()
_ENGINES_MADE = 0
_ENGINES_LOCK = threading.Lock()


@contextmanager
def _borrow_engine() -> Iterator[OcrEngine]:
    global _ENGINES_MADE
    try:
        engine = _ENGINES.get_nowait()
    except queue.Empty:
        with _ENGINES_LOCK:
            _ENGINES_MADE += 1
        engine = OcrEngine(threads=1)
    try:
        yield engine
    finally:
        _ENGINES.put(engine)


def _page_image(kind: str, data: bytes, index: int) -> np.ndarray:
    if kind == "pdf":
        return rasterise_pdf_page(data, index)
    return load_frame(data, index)


def _run_job(job: Job, image: np.ndarray | None = None, *, shared: bool = False) -> PageResult:
    page, kind, data, index = job
    t0 = time.perf_counter()
    try:
        img = image if image is not None else _page_image(kind, data, index)
        if shared:
            return ocr_page(img, page=page, engine=OcrEngine.shared())
        with _borrow_engine() as engine:
            return ocr_page(img, page=page, engine=engine)
    except GongkaiError as exc:
        return PageResult(page=page, error=exc.message, seconds=time.perf_counter() - t0)
    except MemoryError:
        return PageResult(page=page, error="内存不足，无法识别此页", seconds=time.perf_counter() - t0)


def run_pages(jobs: list[Job], *, workers: int | None = None, timeout: float = PAGE_TIMEOUT,
              progress: Callable[[int, int], None] | None = None) -> list[PageResult]:
    """OCR pages, two at a time when there are several; results in page order.

    A page that takes longer than ``timeout`` seconds is reported as failed (its worker finishes in
    the background; every page is bounded in size, so it does finish).
    """
    results: dict[int, PageResult] = {}
    workers = min(WORKERS if workers is None else workers, os.cpu_count() or 1, len(jobs))
    workers = max(workers, 1)
    with _progress_bar(len(jobs)) as tick:
        # one worker: the shared engine (all cores for one page); several: an engine per worker
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="gongkai-ocr")
        try:
            futures = [(job[0], pool.submit(_run_job, job, shared=workers == 1)) for job in jobs]
            started = time.monotonic()
            for n, (page, fut) in enumerate(futures):
                # each page has its limit, counted from when a worker could have started it
                deadline = started + timeout * (n // workers + 1)
                try:
                    results[page] = fut.result(timeout=max(1.0, deadline - time.monotonic()))
                except FutureTimeout:
                    fut.cancel()
                    results[page] = PageResult(page=page, error=f"识别超时（超过 {timeout:.0f} 秒）")
                tick()
                if progress:
                    progress(len(results), len(jobs))
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
    return [results[j[0]] for j in jobs]


@contextmanager
def _progress_bar(total: int) -> Iterator[Callable[[], None]]:
    """A per-document progress bar on a terminal's stderr (silent otherwise)."""
    if total < 2 or not SHOW_PROGRESS or not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("OCR 识别"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("ocr", total=total)
        yield lambda: bar.advance(task)


# --- PDF pages and image files -------------------------------------------------------------------------

def rasterise_pdf_page(data: bytes, index: int, *, dpi: int = PDF_DPI) -> np.ndarray:
    """Render page ``index`` (0-based) of a PDF to a BGR image (pypdfium2), no larger than MAX_SIDE."""
    import cv2
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise CorruptDocument("PDF 文件已损坏，无法渲染页面") from exc
    try:
        page = pdf[index]
        w, h = page.get_size()
        scale = min(dpi / 72.0, MAX_SIDE / max(w, h, 1.0))
        bitmap = page.render(scale=scale)
        arr = bitmap.to_numpy()
        mode = bitmap.mode
        page.close()
    except pdfium.PdfiumError as exc:
        raise CorruptDocument(f"PDF 第 {index + 1} 页无法渲染", page=index + 1) from exc
    finally:
        pdf.close()
    if mode == "BGRA":
        return cv2.cvtColor(arr, cv2.COLOR_BGRA2BGR)
    if mode in ("BGR", "BGRX"):
        return np.ascontiguousarray(arr[..., :3])
    if arr.ndim == 2:
        return cv2.cvtColor(arr, cv2.COLOR_GRAY2BGR)
    return np.ascontiguousarray(arr[..., :3])


def ocr_pdf_pages(data: bytes, pages: list[int], options: ReadOptions) -> list[Block]:
    """OCR the given (1-based) pages of a PDF; blocks in reading order, each with its page set.

    Called by the PDF reader for pages without a text layer (and for pages whose table is an image).
    """
    if options.ocr == "never":
        listed = "、".join(str(p) for p in pages[:10])
        raise NeedsOCR(f"第 {listed} 页是扫描图像，没有文字层；请去掉 --ocr never 以启用 OCR 识别")
    if not pages:
        return []
    results = run_pages([(p, "pdf", data, p - 1) for p in pages], timeout=min(PAGE_TIMEOUT, options.timeout * 1.5))
    return _collect(results, what="PDF")[0]


def ocr_image(data: bytes, options: ReadOptions) -> Document:
    """Read a photo or scan (PNG, JPEG, TIFF — every page —, BMP …) by OCR."""
    if options.ocr == "never":
        raise NeedsOCR("这是图像文件，只能通过 OCR 识别；请去掉 --ocr never")
    if len(data) > options.max_bytes:
        raise CorruptDocument(f"文件过大（{len(data) // (1024 * 1024)} MB）")
    n = frame_count(data)
    if n == 1:
        load_images(data)  # a damaged file is a CorruptDocument here, before any worker starts
    results = run_pages([(i + 1, "image", data, i) for i in range(n)],
                        timeout=min(PAGE_TIMEOUT, options.timeout * 1.5))
    blocks, notes = _collect(results, what="图像")
    return Document(blocks=blocks, kind="ocr", pages=len(results), notes=notes)


def _collect(results: list[PageResult], *, what: str) -> tuple[list[Block], list[str]]:
    blocks: list[Block] = []
    notes: list[str] = []
    failed = [r for r in results if r.error]
    for r in results:
        blocks.extend(r.blocks)
        if r.error:
            notes.append(f"第 {r.page} 页 OCR 失败：{r.error}")
        elif r.info.get("blank"):
            notes.append(f"第 {r.page} 页是空白页")
        else:
            done = []
            if r.info.get("rot90") or r.info.get("rot180"):
                done.append("已纠正页面方向")
            if abs(r.info.get("skew", 0.0)) >= 0.1:
                done.append(f"已纠正倾斜 {r.info['skew']:+.1f}°")
            if r.info.get("stamp", 0.0) > 0.001:
                done.append("已去除红色印章")
            notes.append(f"第 {r.page} 页 OCR 识别（{r.seconds:.1f} 秒，置信度中位数 {r.info.get('score', 0):.2f}"
                         + ("，" + "，".join(done) if done else "") + "）")
    if failed and len(failed) == len(results):
        if len(failed) == 1:
            raise ReadError(f"{what}无法识别：{failed[0].error}", page=failed[0].page)
        raise ReadError(f"{what}的 {len(failed)} 页都无法识别：{failed[0].error}")
    if not blocks:
        raise NotAReport(f"{what}中没有识别出任何文字（空白页或不是文字材料）")
    return blocks, notes
