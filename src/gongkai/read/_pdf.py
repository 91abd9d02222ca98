"""PDF reader: a text-layer PDF → blocks, in reading order.

    open (pdfium)  →  per page: extract_page → find_tables + text_lines   (see ``_pdf_layout``)
                   →  drop page furniture (``— 3 —``, ``第3页 共5页``, repeated headers/footers)
                   →  stitch tables that continue on the next page  →  blocks

Pages without a text layer but with images are image-only: handed to the OCR hook
(``gongkai.read.ocr.ocr_pdf_pages``) when it is installed and allowed, else a scan raises
:class:`NeedsOCR` instead of being read as empty. On pages with a text layer, a large picture that no
glyphs cover (a screenshot of the Excel table pasted into the Word report) is rendered and OCRed
(``gongkai.read.ocr.ocr_page``); its blocks take the picture's place in the reading order, and the
document's notes say which pages had a picture read — or not read, with ``ocr="never"``.
"""
from __future__ import annotations

import re
import statistics
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import CorruptDocument, GongkaiError, NeedsOCR, ReadError
from ._cjk import is_cjk

if TYPE_CHECKING:  # pdfplumber and pypdfium2 load when a PDF is read, not when gongkai starts
    from ._pdf_layout import Line, PageContent, RuledTable
from ._sniff import check_bytes, translated
from .blocks import Block, Paragraph, TableBlock, grid_from_spans
from .limits import check_pdf, current
from .registry import Document, ReadOptions, reader

_PAGE_NUMBER = re.compile(
    r"^[\s\-—–－_·•]*(?:第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d{1,4}(?:\s*/\s*\d{1,4})?"
    r"|[Pp]age\s*\d+(?:\s*of\s*\d+)?|-\s*\d+\s*-)[\s\-—–－_·•]*$")
_DIGITS = re.compile(r"\d+")
_ENUMERATOR = re.compile(r"^[（(]?[一二三四五六七八九十\d]+[）)、.．]")
_NUMBER = re.compile(r"^[\d,，.\s%-]+$")
_MARGIN = 0.12  # top and bottom share of the page where headers and footers live


_IMAGE_MIN_WIDTH = 0.25  # an embedded picture this wide and tall (shares of the page) may be a pasted table
_IMAGE_MIN_HEIGHT = 0.08
_IMAGE_DPI = 200
_IMAGE_MIN_PX = 1600  # small pictures are rendered larger, so the OCR sees table text at a readable size


@dataclass
class _PageLayout:
    content: PageContent
    tables: list[RuledTable]
    lines: list[Line]
    images: list[_ImageRegion] = field(default_factory=list)


@dataclass
class _ImageRegion:
    """A large picture on a text page with no glyphs over it (a pasted screenshot of a table)."""
    page: int
    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom in top-down page points
    crop: object = None  # the rendered region (BGR array) when it is to be OCRed
    blocks: list[Block] = field(default_factory=list)


def _open(data: bytes):
    import pypdfium2 as pdfium
    from pypdfium2 import raw

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if raw.FPDF_GetLastError() == raw.FPDF_ERR_PASSWORD:
            raise CorruptDocument("PDF 文件已加密（需要打开密码），无法读取；请提供未加密的文件") from exc
        if raw.FPDF_GetLastError() == raw.FPDF_ERR_SECURITY:
            raise CorruptDocument("PDF 文件使用了不支持的加密方式，无法读取") from exc
        raise CorruptDocument("PDF 文件已损坏或不完整，无法打开") from exc


def _layout(content: PageContent, images: list[_ImageRegion] | None = None) -> _PageLayout:
    from ._pdf_layout import CharIndex, find_tables, text_lines

    tables = find_tables(content.edges, content.chars)
    inside = set()
    if tables:
        index = CharIndex(content.chars)
        for t in tables:
            inside.update(id(c) for c in index.within(t.bbox))
    free = [c for c in content.chars if id(c) not in inside]
    return _PageLayout(content, tables, text_lines(free), images or [])


def _is_furniture(line: Line, page: PageContent) -> bool:
    in_margin = line.bottom <= page.height * _MARGIN or line.top >= page.height * (1 - _MARGIN)
    return in_margin and bool(_PAGE_NUMBER.match(line.text))


def _drop_furniture(pages: list[_PageLayout]) -> None:
    """Page numbers anywhere in the margins; other margin lines repeated on most pages (running heads)."""
    for p in pages:
        p.lines = [ln for ln in p.lines if not _is_furniture(ln, p.content)]
    if len(pages) < 3:
        return
    seen: dict[tuple[str, int], int] = {}
    for p in pages:
        for ln in p.lines:
            if ln.bottom <= p.content.height * _MARGIN or ln.top >= p.content.height * (1 - _MARGIN):
                key = (_DIGITS.sub("#", ln.text.replace(" ", "")), round(ln.top / 10))
                seen[key] = seen.get(key, 0) + 1
    repeated = {k for k, n in seen.items() if n >= max(3, (len(pages) + 1) // 2)}
    for p in pages:
        p.lines = [ln for ln in p.lines
                   if (_DIGITS.sub("#", ln.text.replace(" ", "")), round(ln.top / 10)) not in repeated]


def _grid(table: RuledTable) -> list[list[str | None]]:
    block = grid_from_spans(table.cells, table.n_rows, table.n_cols)
    return [list(r) for r in block.rows]


def _same_columns(a: RuledTable, b: RuledTable) -> bool:
    if a.n_cols != b.n_cols:
        return False
    tol = max(6.0, 0.02 * (a.col_x[-1] - a.col_x[0]))
    return all(abs(x - y) <= tol for x, y in zip(a.col_x, b.col_x))


def _continue_spans(prev: list[list[str | None]], nxt: list[list[str | None]]) -> None:
    """Join the first continuation row's label cells to the spans they continue (in place).

    A vertically merged label cut by the page break shows up as an empty cell (or the rest of the label,
    ``（四）无`` | ``法提供``) at the top of the next page: it belongs to the span above.
    """
    if not prev or not nxt:
        return
    first, last = nxt[0], prev[-1]
    value_cols = [j for j, v in enumerate(first) if v and _NUMBER.match(v)]
    label_end = min(value_cols) if value_cols else len(first)
    for j in range(min(label_end, len(last))):
        cell = first[j]
        if cell is None or last[j] == "":
            continue
        spans_down = len(nxt) > 1 and nxt[1][j] is None
        if cell == "":
            first[j] = None
        elif last[j] is not None and spans_down and not _ENUMERATOR.match(cell):
            prev[-1][j] = (last[j] or "") + cell
            first[j] = None
        elif last[j] is None and spans_down and not _ENUMERATOR.match(cell):
            for row in reversed(prev):
                if row[j] is not None:
                    row[j] = row[j] + cell
                    break
            first[j] = None


def _margins(pages: list[_PageLayout]) -> dict[int, tuple[float, float]]:
    """Each page's text column (left, right), from its longer lines (the document's, for a page with few)."""
    own = {}
    for p in pages:
        long = [ln for ln in p.lines if len(ln.text) >= 8 and len(ln.segments) == 1]
        if len(long) >= 3:
            own[p.content.number] = (min(ln.x0 for ln in long), max(ln.x1 for ln in long))
    if not own:
        return {}
    typical = (statistics.median(m[0] for m in own.values()), statistics.median(m[1] for m in own.values()))
    return {p.content.number: own.get(p.content.number, typical) for p in pages}


def _continues(prev: Line, prev_page: int, cur: Line, page: int, margins: dict[int, tuple[float, float]],
               adjacent: bool) -> bool:
    """Whether ``cur`` carries on the paragraph that ``prev`` ends: prose wrapped at the right margin."""
    if len(prev.segments) != 1 or len(cur.segments) != 1 or prev_page not in margins or page not in margins:
        return False
    size = max(prev.bottom - prev.top, 1.0)
    left, _right = margins[page]
    if prev.x1 < margins[prev_page][1] - 1.5 * size or cur.x0 > left + 1.0 * size:
        return False  # the line stops short of the margin, or the next one is indented: a new paragraph
    if _ENUMERATOR.match(cur.text) or _PAGE_NUMBER.match(cur.text):
        return False
    if page == prev_page:  # the next line at the usual line pitch, not after a paragraph gap
        pitch = (cur.top + cur.bottom) / 2 - (prev.top + prev.bottom) / 2
        return 0.5 * size < pitch < 1.9 * size
    return page == prev_page + 1 and adjacent


def _join(a: str, b: str) -> str:
    return a + b if (is_cjk(a[-1]) or is_cjk(b[0])) else f"{a} {b}"


def _blocks(pages: list[_PageLayout]) -> list[Block]:
    margins = _margins(pages)
    items: list[tuple[int, float, object]] = []
    for p in pages:
        for t in p.tables:
            items.append((p.content.number, t.bbox[1], t))
        for ln in p.lines:
            items.append((p.content.number, ln.top, ln))
        for im in p.images:
            if im.blocks:
                items.append((p.content.number, im.bbox[1], im))
    items.sort(key=lambda it: (it[0], it[1]))
    from ._pdf_layout import RuledTable

    blocks: list[Block] = []
    open_table: tuple[RuledTable, list[list[str | None]], list[int | None]] | None = None
    last_kind_table_page: int | None = None
    prev_line: tuple[Line, int] | None = None  # the line that ended the last paragraph, and its page
    for i, (page, _top, item) in enumerate(items):
        if isinstance(item, _ImageRegion):
            blocks.extend(item.blocks)
            open_table = None
            last_kind_table_page = None
        elif isinstance(item, RuledTable):
            grid = _grid(item)
            if (open_table is not None and last_kind_table_page == page - 1 and _same_columns(open_table[0], item)
                    and _first_on_page(items, i)):
                _prev_table, prev_grid, prev_pages = open_table
                header = 0
                while header < min(len(grid), len(prev_grid)) and grid[header] == prev_grid[header]:
                    header += 1  # a repeated header row
                grid = grid[header:]
                _continue_spans(prev_grid, grid)
                prev_grid.extend(grid)
                prev_pages.extend([page] * len(grid))
                open_table = (item, prev_grid, prev_pages)
                blocks[-1] = _table_block(prev_grid, prev_pages)
            else:
                open_table = (item, grid, [page] * len(grid))
                blocks.append(_table_block(grid, open_table[2]))
            last_kind_table_page = page if _last_on_page(items, i) else None
            if last_kind_table_page is None:
                open_table = None
        else:
            open_table = None
            last_kind_table_page = None
            line: Line = item  # type: ignore[assignment]
            if prev_line is not None and blocks and isinstance(blocks[-1], Paragraph) and _continues(
                    prev_line[0], prev_line[1], line, page, margins, adjacent=i > 0 and items[i - 1][2] is prev_line[0]):
                blocks[-1] = Paragraph(text=_join(blocks[-1].text, line.text), page=blocks[-1].page)
            else:
                blocks.append(Paragraph(text=line.text, page=page))
            prev_line = (line, page)
            continue
        prev_line = None
    return blocks


def _first_on_page(items: list, i: int) -> bool:
    return i == 0 or items[i - 1][0] != items[i][0]


def _last_on_page(items: list, i: int) -> bool:
    return i == len(items) - 1 or items[i + 1][0] != items[i][0]


def _table_block(grid: list[list[str | None]], pages: list[int | None]) -> TableBlock:
    return TableBlock(rows=tuple(tuple(r) for r in grid), page=pages[0] if pages else None,
                      pages=tuple(pages) if len(set(pages)) > 1 else ())


def _ocr_hook():
    try:
        from . import ocr  # type: ignore[attr-defined]
    except ImportError:
        return None
    return getattr(ocr, "ocr_pdf_pages", None)


def _ocr_page_hook():
    """The OCR module's one-image → blocks function, or None when OCR is not installed."""
    try:
        from . import ocr  # type: ignore[attr-defined]
    except ImportError:
        return None
    return getattr(ocr, "ocr_page", None)


def _image_regions(page, content: PageContent) -> list[_ImageRegion]:
    """Large pictures on a page with a text layer that no glyphs cover (a pasted table, not a background)."""
    area = content.width * content.height
    if not content.has_text or content.image_area < _IMAGE_MIN_WIDTH * _IMAGE_MIN_HEIGHT * area:
        return []  # the cheap test first: most pages have no large picture at all
    if page.get_rotation() != 0:
        return []
    import ctypes

    from pypdfium2 import raw

    regions: list[_ImageRegion] = []
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=4):
        if not raw.FPDFPageObj_GetBounds(obj.raw, ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right),
                                         ctypes.byref(top)):
            continue
        x0, x1 = max(left.value, 0.0), min(right.value, content.width)
        y0, y1 = max(content.height - top.value, 0.0), min(content.height - bottom.value, content.height)
        if x1 - x0 < _IMAGE_MIN_WIDTH * content.width or y1 - y0 < _IMAGE_MIN_HEIGHT * content.height:
            continue
        covered = sum(1 for c in content.chars
                      if not c.text.isspace() and x0 <= c.cx <= x1 and y0 <= c.cy <= y1)
        if covered >= 3:
            continue  # text over the picture: a background, letterhead or watermark, read from the text layer
        if any(abs(r.bbox[0] - x0) < 1 and abs(r.bbox[1] - y0) < 1 for r in regions):
            continue
        regions.append(_ImageRegion(content.number, (x0, y0, x1, y1)))
    return regions


def _render_regions(page, regions: list[_ImageRegion]) -> None:
    """Render each region of the page (what the reader sees there, the picture as drawn) to a BGR array."""
    import numpy as np

    width, height = page.get_size()
    for r in regions:
        x0, y0, x1, y1 = r.bbox
        scale = max(_IMAGE_DPI / 72.0, min(2 * _IMAGE_DPI / 72.0, _IMAGE_MIN_PX / max(x1 - x0, 1.0)))
        try:
            arr = page.render(scale=scale, crop=(x0, height - y1, width - x1, y0)).to_numpy()
        except Exception:  # noqa: BLE001 - a picture that cannot be drawn stays unread (and is noted so)
            arr = None
        if arr is not None and arr.ndim == 3 and arr.shape[2] >= 3:
            arr = np.ascontiguousarray(arr[..., :3])  # pdfium gives BGR(A/X)
        r.crop = arr


def _ocr_regions(regions: list[_ImageRegion], options: ReadOptions) -> list[str]:
    """OCR the rendered pictures in place; the notes saying what was read and what was not."""
    hook = _ocr_page_hook() if options.ocr != "never" else None
    read: list[int] = []
    skipped: list[int] = []
    failed: list[int] = []
    started = time.monotonic()
    for r in regions:
        if hook is None or r.crop is None or time.monotonic() - started > options.timeout:
            skipped.append(r.page)
            continue
        try:
            result = hook(r.crop, page=r.page)
        except Exception:  # noqa: BLE001 - the picture stays unread; the text layer is still good
            failed.append(r.page)
            continue
        r.crop = None
        r.blocks = [b for b in result.blocks if b.page == r.page or b.page is None]
        if r.blocks:
            read.append(r.page)
    notes = []

    def pages(ns: list[int]) -> str:
        return "、".join(str(n) for n in sorted(set(ns)))

    if read:
        notes.append(f"第{pages(read)}页的图片（表格截图）已经 OCR 识别")
    if skipped:
        why = "当前设置不进行 OCR" if options.ocr == "never" else "未能进行 OCR"
        notes.append(f"第{pages(skipped)}页有图片（可能是表格截图），{why}，其中的内容未读取")
    if failed:
        notes.append(f"第{pages(failed)}页的图片 OCR 识别失败，其中的内容未读取")
    return notes


def _run_ocr(hook, data: bytes, pages: list[int], options: ReadOptions) -> list[Block]:
    """The OCR hook's blocks for these pages; its own failures stay errors of the OCR, not of the PDF."""
    try:
        result = hook(data, pages, options)
    except GongkaiError:
        raise
    except Exception as exc:
        raise ReadError(f"OCR 识别失败（{type(exc).__name__}），无法读取扫描页") from exc
    return list(result.blocks if isinstance(result, Document) else result)


def is_pdf(data: bytes) -> bool:
    """A PDF header in the first KB (some servers prepend a few bytes; PDF readers accept that)."""
    return b"%PDF-" in data[:1024]


@reader("pdf", extensions=(".pdf",), sniff=is_pdf)
def read_pdf(data: bytes, options: ReadOptions) -> Document:
    """Read a PDF with a text layer into blocks (image-only pages → OCR or :class:`NeedsOCR`)."""
    check_bytes(data, options)
    check_pdf(data)  # decompression bombs and giant images, before pdfium sees the file
    with translated("PDF 文件"):
        return _read_pdf(data, options)


def extract_page(page, number: int) -> PageContent:  # type: ignore[no-untyped-def]
    """:func:`._pdf_layout.extract_page`, imported on first use (pdfplumber and pypdfium2 load with it)."""
    from ._pdf_layout import extract_page as extract

    return extract(page, number)


def _read_pdf(data: bytes, options: ReadOptions) -> Document:
    doc = _open(data)
    try:
        n_pages = len(doc)
        if n_pages == 0:
            raise CorruptDocument("PDF 文件没有任何页面")
        contents: list[PageContent] = []
        images: dict[int, list[_ImageRegion]] = {}
        max_pages = current().pages  # an annual report has 5 to 30 pages
        started = time.monotonic()
        for i in range(min(n_pages, max_pages)):
            if time.monotonic() - started > options.timeout:
                raise CorruptDocument(f"PDF 文件过于复杂，读取超过 {options.timeout:.0f} 秒，已停止", page=i + 1)
            try:
                page = doc[i]
            except Exception as exc:  # pdfium raises its own error for a damaged page tree
                raise CorruptDocument("PDF 文件已损坏，无法读取页面", page=i + 1) from exc
            try:
                content = extract_page(page, i + 1)
                contents.append(content)
                regions = _image_regions(page, content)
                if regions and options.ocr != "never" and _ocr_page_hook() is not None:
                    _render_regions(page, regions)
                if regions:
                    images[content.number] = regions
            finally:
                page.close()
    finally:
        doc.close()

    notes: list[str] = []
    if n_pages > len(contents):
        notes.append(f"PDF 共 {n_pages} 页，只读取了前 {len(contents)} 页")
        n_pages = len(contents)
    unreadable = [c.number for c in contents if not c.has_text or c.garbled]
    hook = _ocr_hook() if options.ocr != "never" else None
    if options.ocr == "always" and hook is not None:
        return Document(_run_ocr(hook, data, [c.number for c in contents], options), kind="ocr",
                        pages=n_pages, notes=["全部页面经 OCR 识别"])
    if len(unreadable) == n_pages:
        garbled = any(c.garbled for c in contents)
        what = "PDF 的文字层无法解码（字体缺少文字编码）" if garbled else "PDF 没有文字层（扫描件或图片）"
        if hook is None:
            raise NeedsOCR(what + "，需要 OCR 识别" + ("；当前设置不进行 OCR" if options.ocr == "never" else ""))
        return Document(_run_ocr(hook, data, unreadable, options), kind="ocr", pages=n_pages,
                        notes=[what + "，全部页面经 OCR 识别"])

    to_ocr = [c.number for c in contents if c.image_only or (c.garbled and hook is not None)]
    picture_pages = sorted(n for n in images if n not in to_ocr)
    if picture_pages:
        notes.extend(_ocr_regions([r for n in picture_pages for r in images[n]], options))
    layouts = [_layout(c, images.get(c.number)) for c in contents if c.number not in to_ocr]
    _drop_furniture(layouts)
    blocks = _blocks(layouts)
    if to_ocr:
        ocr_blocks = _run_ocr(hook, data, to_ocr, options) if hook is not None else []
        blocks = _merge_by_page(blocks, ocr_blocks)
        listed = "、".join(str(n) for n in to_ocr)
        notes.append(f"第{listed}页没有可用的文字层，已经 OCR 识别" if hook is not None
                     else f"第{listed}页只有图片、没有文字层，未能读取（需要 OCR）")
    garbled_kept = [str(c.number) for c in contents if c.garbled and c.number not in to_ocr]
    if garbled_kept:
        notes.append(f"第{'、'.join(garbled_kept)}页的文字层大部分无法解码，读出的文字可能有误（可用 OCR 识别）")
    return Document(blocks, kind="pdf", pages=n_pages, notes=notes)


def _merge_by_page(blocks: list[Block], extra: list[Block]) -> list[Block]:
    def page_of(b: Block) -> int:
        return b.page or 0

    merged = [(page_of(b), 0, i, b) for i, b in enumerate(blocks)] + [
        (page_of(b), 1, i, b) for i, b in enumerate(extra)]
    merged.sort(key=lambda t: (t[0], t[1], t[2]))
    return [t[3] for t in merged]
