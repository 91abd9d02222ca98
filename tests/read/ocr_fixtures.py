"""Scanned-report test material: a labelled report drawn as a table-heavy A4 scan, then degraded.

Until (and besides) gongkai's own PDF writer, pages are drawn with PIL: ruled tables with merged cells
in the official layout (labels from ``gongkai.formats``), Noto CJK fonts, values as printed. The
degradations are those of real scans: skew, noise, JPEG artefacts, a red 公章 over part of a table,
low contrast, an upside-down page.
"""
from __future__ import annotations

import io
import json
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from gongkai.formats import get_format
from gongkai.formats._model import RowKind, Table

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "dev"  # shared/ beside the checkout
SERIF = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
SANS = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
A4_MM = (210.0, 297.0)


def labelled_reports() -> list[Path]:
    return sorted(CORPUS.glob("*.expected.json"))


def load_expected(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def fmt_value(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.6f}".rstrip("0").rstrip(".")
    return str(v)


@dataclass
class DrawnCell:
    r: int
    c: int
    rs: int
    cs: int
    text: str
    key: str | None = None  # the cell key when it holds a value


@dataclass
class DrawnTable:
    widths_mm: list[float]
    cells: list[DrawnCell]
    n_rows: int
    row_h_mm: list[float] = field(default_factory=list)


@dataclass
class Page:
    image: Image.Image
    values: dict[str, str]  # cell key -> printed value on this page
    tables: list[DrawnTable] = field(default_factory=list)


class Canvas:
    """An A4 page at a given dpi, drawing in millimetres."""

    def __init__(self, dpi: int) -> None:
        self.dpi = dpi
        self.px = dpi / 25.4
        self.image = Image.new("RGB", (round(A4_MM[0] * self.px), round(A4_MM[1] * self.px)), "white")
        self.draw = ImageDraw.Draw(self.image)
        self._fonts: dict[tuple[str, float], ImageFont.FreeTypeFont] = {}

    def font(self, size_pt: float, path: str = SERIF) -> ImageFont.FreeTypeFont:
        key = (path, size_pt)
        if key not in self._fonts:
            self._fonts[key] = ImageFont.truetype(path, max(6, round(size_pt / 72 * self.dpi)), index=2)
        return self._fonts[key]

    def p(self, mm: float) -> int:
        return round(mm * self.px)

    def text_width_mm(self, text: str, font: ImageFont.FreeTypeFont) -> float:
        return self.draw.textlength(text, font=font) / self.px

    def wrap(self, text: str, width_mm: float, font: ImageFont.FreeTypeFont) -> list[str]:
        lines, cur = [], ""
        for ch in text:
            if cur and self.text_width_mm(cur + ch, font) > width_mm:
                lines.append(cur)
                cur = ch
            else:
                cur += ch
        if cur:
            lines.append(cur)
        return lines or [""]


TABLE_PT = 9.0
LINE_MM = TABLE_PT * 0.3528 * 1.35
PAD_MM = 1.2


def _layout_rows(cv: Canvas, t: DrawnTable) -> list[float]:
    font = cv.font(TABLE_PT)
    need = [LINE_MM + 2 * PAD_MM] * t.n_rows
    for cell in t.cells:
        if cell.rs != 1:
            continue
        w = sum(t.widths_mm[cell.c:cell.c + cell.cs]) - 2 * PAD_MM
        h = len(cv.wrap(cell.text, w, font)) * LINE_MM + 2 * PAD_MM
        need[cell.r] = max(need[cell.r], h)
    for cell in t.cells:  # a tall merged label stretches its rows evenly
        if cell.rs > 1:
            w = sum(t.widths_mm[cell.c:cell.c + cell.cs]) - 2 * PAD_MM
            h = len(cv.wrap(cell.text, w, font)) * LINE_MM + 2 * PAD_MM
            have = sum(need[cell.r:cell.r + cell.rs])
            if h > have:
                for r in range(cell.r, cell.r + cell.rs):
                    need[r] += (h - have) / cell.rs
    return need


def draw_table(cv: Canvas, t: DrawnTable, x_mm: float, y_mm: float) -> float:
    """Draw a ruled table; returns its bottom in mm."""
    font = cv.font(TABLE_PT)
    heights = _layout_rows(cv, t)
    xs = [x_mm]
    for w in t.widths_mm:
        xs.append(xs[-1] + w)
    ys = [y_mm]
    for h in heights:
        ys.append(ys[-1] + h)
    line_w = max(1, round(cv.dpi / 150))
    for cell in t.cells:
        x0, x1 = xs[cell.c], xs[cell.c + cell.cs]
        y0, y1 = ys[cell.r], ys[cell.r + cell.rs]
        cv.draw.rectangle([cv.p(x0), cv.p(y0), cv.p(x1), cv.p(y1)], outline="black", width=line_w)
        lines = cv.wrap(cell.text, x1 - x0 - 2 * PAD_MM, font)
        total = len(lines) * LINE_MM
        ty = y0 + (y1 - y0 - total) / 2
        for line in lines:
            lw = cv.text_width_mm(line, font)
            tx = x0 + (x1 - x0 - lw) / 2
            cv.draw.text((cv.p(tx), cv.p(ty + LINE_MM * 0.12)), line, font=font, fill="black")
            ty += LINE_MM
    return ys[-1]


def _s2_table(table: Table, cells: dict) -> DrawnTable:
    n = len(table.columns)
    widths = [170.0 * 0.3] + [170.0 * 0.7 / n] * n
    out = [DrawnCell(0, 0, 1, n + 1, table.caption or ""), DrawnCell(1, 0, 1, 1, table.stub)]
    out += [DrawnCell(1, i + 1, 1, 1, c.label) for i, c in enumerate(table.columns)]
    for r, row in enumerate(table.data_rows, start=2):
        out.append(DrawnCell(r, 0, 1, 1, row.label))
        for i, col in enumerate(table.columns):
            key = table.cell_key(row, col)
            out.append(DrawnCell(r, i + 1, 1, 1, fmt_value(cells.get(key)), key))
    return DrawnTable(widths, out, 2 + len(table.data_rows))


def _s3_table(table: Table, cells: dict) -> DrawnTable:
    cols = table.columns
    groups = dict(table.column_groups)
    sub = [c for c in cols if c.group]
    widths = [9.0, 15.0, 50.0] + [96.0 / len(cols)] * len(cols)
    out = [DrawnCell(0, 0, 3, 3, table.note or "")]
    out.append(DrawnCell(0, 3, 1, len(cols), next(iter(groups), "申请人情况")))
    c = 3
    for col in cols:
        if col.group is None:
            out.append(DrawnCell(1, c, 2, 1, col.label))
        elif col is sub[0]:
            out.append(DrawnCell(1, c, 1, len(sub), col.group))
        if col.group:
            out.append(DrawnCell(2, c, 1, 1, col.label))
        c += 1
    # rows: collapse a printed-as-one group when the labels say so
    rows = []
    collapsed: set[str] = set()
    for row in table.rows:
        if row.kind is RowKind.GROUP and row.collapsible:
            gk = (next(r.key for r in table.rows if r.parent == row.label and r.key) or "").split(".")[0]
            if f"s3.{gk}.total" in cells:
                collapsed.add(row.label)
                rows.append((row, gk))
                continue
        if row.parent in collapsed:
            continue
        rows.append((row, row.key))
    r = 3
    top_groups: dict[str, int] = {}
    sub_groups: dict[str, int] = {}
    placed: list[tuple[int, object, str | None]] = []
    for row, key in rows:
        placed.append((r, row, key))
        if row.kind is RowKind.GROUP and key is None:
            if row.parent is None:
                top_groups[row.label] = r
            continue
        r += 1
    n_rows = r
    # spans of the group labels
    def descendants(label: str) -> list[int]:
        idx = []
        for rr, row, _ in placed:
            p = row.parent
            while p:
                if p == label:
                    idx.append(rr)
                    break
                p = next((x.parent for _, x, _ in placed if x.label == p), None)
        return idx

    for rr, row, key in placed:
        if row.kind is RowKind.GROUP and row.parent is None:
            d = descendants(row.label)
            out.append(DrawnCell(min(d), 0, max(d) - min(d) + 1, 1, row.label))
        elif row.kind is RowKind.GROUP and key is None:
            d = descendants(row.label)
            out.append(DrawnCell(min(d), 1, max(d) - min(d) + 1, 1, row.label))
            sub_groups[row.label] = rr
        if row.kind is RowKind.GROUP and key is None:
            continue
        if row.parent is None:
            out.append(DrawnCell(rr, 0, 1, 3, row.label))
        elif row.parent in top_groups:
            out.append(DrawnCell(rr, 1, 1, 2, row.label))
        else:
            out.append(DrawnCell(rr, 2, 1, 1, row.label))
        for i, col in enumerate(cols):
            k = f"s3.{key}.{col.key}"
            out.append(DrawnCell(rr, 3 + i, 1, 1, fmt_value(cells.get(k)), k))
    return DrawnTable(widths, out, n_rows)


def _s4_table(table: Table, cells: dict) -> DrawnTable:
    cols = table.columns
    widths = [170.0 / len(cols)] * len(cols)
    out = []
    top = [g for g, ks in table.column_groups if len(ks) > 5]
    review = next(g for g, ks in table.column_groups if ks[0].startswith("review"))
    out.append(DrawnCell(0, 0, 1, 5, review))
    out.append(DrawnCell(0, 5, 1, 10, top[0] if top else "行政诉讼"))
    for i, col in enumerate(cols):
        if col.key.startswith("review"):
            out.append(DrawnCell(1, i, 2, 1, col.label))
        else:
            if i in (5, 10):
                out.append(DrawnCell(1, i, 1, 5, col.group or ""))
            out.append(DrawnCell(2, i, 1, 1, col.label))
        k = f"s4.{col.key}"
        out.append(DrawnCell(3, i, 1, 1, fmt_value(cells.get(k)), k))
    return DrawnTable(widths, out, 4)


def _heading(cv: Canvas, text: str, y: float, size: float = 12.0, path: str = SANS) -> float:
    cv.draw.text((cv.p(20), cv.p(y)), text, font=cv.font(size, path), fill="black")
    return y + size * 0.3528 * 1.9


def _para(cv: Canvas, text: str, y: float) -> float:
    font = cv.font(11.0)
    lh = 11.0 * 0.3528 * 1.7
    for i, line in enumerate(cv.wrap(text, 170 - 8, font)):
        cv.draw.text((cv.p(20 + (8 if i == 0 else 0)), cv.p(y)), line, font=font, fill="black")
        y += lh
    return y


def render_pages(expected: dict, *, dpi: int = 150) -> list[Page]:
    """Draw a labelled report as A4 pages: narrative headings, section 二's tables, 三 and 四."""
    fmt = get_format(expected["format"])
    cells = expected["cells"]
    pages: list[Page] = []

    cv = Canvas(dpi)
    values: dict[str, str] = {}
    tables: list[DrawnTable] = []
    title = f"{expected.get('agency', '')}{expected.get('year', '')}年政府信息公开工作年度报告"
    y = 18.0
    cv.draw.text((cv.p(20), cv.p(y)), title, font=cv.font(14.0, SANS), fill="black")
    y += 12
    y = _heading(cv, "一、总体情况", y)
    y = _para(cv, "本年度，本机关认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、"
              "不公开为例外，持续推进主动公开、依申请公开和政府信息管理各项工作。", y)
    y += 3
    y = _heading(cv, "二、主动公开政府信息情况", y)
    for table in fmt.tables_of(2):
        t = _s2_table(table, cells)
        values.update({c.key: c.text for c in t.cells if c.key})
        tables.append(t)
        y = draw_table(cv, t, 20, y) + 4
        if y > 270:
            pages.append(Page(cv.image, values, tables))
            cv, values, y, tables = Canvas(dpi), {}, 18.0, []
    pages.append(Page(cv.image, values, tables))

    cv, values = Canvas(dpi), {}
    y = _heading(cv, "三、收到和处理政府信息公开申请情况", 15.0)
    t = _s3_table(fmt.s3, cells)
    values.update({c.key: c.text for c in t.cells if c.key})
    draw_table(cv, t, 20, y)
    pages.append(Page(cv.image, values, [t]))

    cv, values = Canvas(dpi), {}
    y = _heading(cv, "四、政府信息公开行政复议、行政诉讼情况", 18.0)
    t = _s4_table(fmt.s4, cells)
    values.update({c.key: c.text for c in t.cells if c.key})
    y = draw_table(cv, t, 20, y) + 8
    y = _heading(cv, "五、存在的主要问题及改进情况", y)
    y = _para(cv, "政府信息公开工作仍存在公开内容不够全面、更新不够及时等问题。下一步将进一步加强培训。", y) + 3
    y = _heading(cv, "六、其他需要报告的事项", y)
    _para(cv, "本机关未收取信息处理费。", y)
    pages.append(Page(cv.image, values, [t]))
    return pages


# --- degradations --------------------------------------------------------------------------------------

def skew(img: Image.Image, degrees: float) -> Image.Image:
    return img.rotate(degrees, resample=Image.BICUBIC, expand=True, fillcolor="white")


def add_noise(img: Image.Image, *, sigma: float = 12.0, seed: int = 0) -> Image.Image:
    rng = np.random.default_rng(seed)
    arr = np.asarray(img).astype(np.int16)
    arr = arr + rng.normal(0, sigma, arr.shape[:2])[..., None].astype(np.int16)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def jpeg(img: Image.Image, quality: int = 60) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def low_contrast(img: Image.Image) -> Image.Image:
    arr = np.asarray(img).astype(np.float32)
    return Image.fromarray((110 + arr * (90 / 255)).astype(np.uint8))


def red_stamp(img: Image.Image, centre: tuple[float, float], *, dpi: int, alpha: float = 0.75) -> Image.Image:
    """A red 公章 (ring, star, curved text) printed over the page, multiplied onto the ink like real ink."""
    r = 21 / 25.4 * dpi  # a 42 mm official seal
    size = int(2 * r + 4)
    seal = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(seal)
    c = size / 2
    w = max(2, int(r * 0.06))
    d.ellipse([c - r, c - r, c + r, c + r], outline=255, width=w)
    star = []
    for k in range(10):
        ang = -math.pi / 2 + k * math.pi / 5
        rad = r * (0.28 if k % 2 == 0 else 0.11)
        star.append((c + rad * math.cos(ang), c + rad * math.sin(ang)))
    d.polygon(star, fill=255)
    font = ImageFont.truetype(SANS, max(8, int(r * 0.22)), index=2)
    text = "政府信息公开专用章办公室"
    for k, ch in enumerate(text):
        ang = math.radians(-150 + k * (120 / (len(text) - 1)))
        x, y = c + r * 0.72 * math.cos(ang), c + r * 0.72 * math.sin(ang)
        d.text((x, y), ch, font=font, fill=255, anchor="mm")
    seal = seal.filter(ImageFilter.GaussianBlur(0.6))
    a = np.asarray(seal).astype(np.float32) / 255 * alpha
    base = np.asarray(img.convert("RGB")).astype(np.float32)
    x0, y0 = int(centre[0] - c), int(centre[1] - c)
    h, w = base.shape[:2]
    ys, xs = slice(max(0, y0), min(h, y0 + size)), slice(max(0, x0), min(w, x0 + size))
    aa = a[ys.start - y0:ys.stop - y0, xs.start - x0:xs.stop - x0][..., None]
    red = np.array([215, 30, 35], np.float32)
    region = base[ys, xs]
    base[ys, xs] = region * (1 - aa) + (region * red / 255) * aa  # multiply: black stays black
    return Image.fromarray(base.clip(0, 255).astype(np.uint8))


def degrade(img: Image.Image, *, dpi: int, seed: int, stamp: bool = True) -> bytes:
    """The benchmark's degradations: skew ±2°, noise, a red stamp over part of a table, JPEG quality 60."""
    rnd = random.Random(seed)
    if stamp:
        img = red_stamp(img, (img.width * rnd.uniform(0.55, 0.8), img.height * rnd.uniform(0.25, 0.55)), dpi=dpi)
    img = skew(img, rnd.choice([-1, 1]) * rnd.uniform(0.5, 2.0))
    img = add_noise(img, sigma=10.0, seed=seed)
    return jpeg(img, 60)


# --- scoring the blocks OCR gives against what was drawn ------------------------------------------------

def _norm(text: str | None) -> str:
    return "".join((text or "").split()).replace("（", "(").replace("）", ")")


@dataclass
class Score:
    cells: int = 0
    right: int = 0
    confident_wrong: list[tuple[str, str, str, float | None]] = field(default_factory=list)
    flagged_wrong: list[tuple[str, str, str, float | None]] = field(default_factory=list)
    shape_mismatch: int = 0

    def add(self, other: Score) -> None:
        self.cells += other.cells
        self.right += other.right
        self.confident_wrong += other.confident_wrong
        self.flagged_wrong += other.flagged_wrong
        self.shape_mismatch += other.shape_mismatch

    @property
    def accuracy(self) -> float:
        return self.right / self.cells if self.cells else 1.0


def expected_grid(t: DrawnTable) -> list[list[tuple[str | None, str | None]]]:
    """The drawn table as the grid a reader should give: (text, key) at origins, None under spans."""
    grid: list[list[tuple[str | None, str | None]]] = [[("", None)] * len(t.widths_mm) for _ in range(t.n_rows)]
    for c in t.cells:
        for dr in range(c.rs):
            for dc in range(c.cs):
                grid[c.r + dr][c.c + dc] = (None, None)
        grid[c.r][c.c] = (c.text, c.key)
    return grid


def score_page(blocks: list, page: Page, *, confident: float = 0.8) -> Score:
    """Compare the OCR tables of a page with the drawn ones, position by position.

    A value cell is right when its text equals the printed value. A wrong value whose cell confidence is
    at least ``confident`` is a *confident* error (the engine would not have flagged it).
    """
    from gongkai.read.blocks import TableBlock

    got = [b for b in blocks if isinstance(b, TableBlock)]
    score = Score()
    for i, t in enumerate(page.tables):
        want = expected_grid(t)
        keyed = [(r, c, text, key) for r, row in enumerate(want) for c, (text, key) in enumerate(row) if key]
        score.cells += len(keyed)
        tb = got[i] if i < len(got) else None
        if tb is None or len(tb.rows) != len(want) or tb.width != len(want[0]):
            score.shape_mismatch += 1
            for _, _, text, key in keyed:
                score.flagged_wrong.append((key or "", text or "", "<table shape>", None))
            continue
        for r, c, text, key in keyed:
            have = tb.rows[r][c]
            conf = tb.confidence[r][c] if tb.confidence else None
            if _norm(have) == _norm(text):
                score.right += 1
            elif conf is not None and conf >= confident:
                score.confident_wrong.append((key or "", text or "", have or "", conf))
            else:
                score.flagged_wrong.append((key or "", text or "", have or "", conf))
    return score


# --- the scanned-report benchmark: gongkai's own PDF, rasterised, degraded, read back ------------------

def labelled_report(name: str):
    from gongkai.report import Report

    d = load_expected(CORPUS / f"{name}.expected.json")
    return Report.from_data({"format": d["format"], "agency": d["agency"], "year": d["year"], "cells": d["cells"]})


def writer_pages(name: str, *, dpi: int) -> list[Image.Image]:
    """The labelled report written to PDF by gongkai's writer, rasterised at ``dpi``."""
    import cv2
    import pypdfium2 as pdfium

    from gongkai.read.ocr import rasterise_pdf_page
    from gongkai.write import render

    pdf = render(labelled_report(name), "pdf")
    n = len(pdfium.PdfDocument(pdf))
    return [Image.fromarray(cv2.cvtColor(rasterise_pdf_page(pdf, i, dpi=dpi), cv2.COLOR_BGR2RGB)) for i in range(n)]


def stamp_centre(img: Image.Image, seed: int) -> tuple[float, float]:
    """A point over the table part of a page (the values columns, between the rules)."""
    rnd = random.Random(seed)
    return img.width * rnd.uniform(0.5, 0.75), img.height * rnd.uniform(0.3, 0.6)


def scanned(pages: list[Image.Image], *, dpi: int, seed: int = 0, degraded: bool = True,
            as_pdf: bool = False) -> bytes:
    """A scan of the pages: each skewed (±2°), noisy, JPEG q60, and a red stamp over part of a table on
    the page with the most ruled lines; as a multi-page TIFF (or an image-only PDF)."""
    out = []
    for i, img in enumerate(pages):
        if degraded:
            data = degrade(img, dpi=dpi, seed=seed * 100 + i, stamp=(i == 1 or len(pages) == 1))
            img = Image.open(io.BytesIO(data)).convert("RGB")
        out.append(img)
    buf = io.BytesIO()
    if as_pdf:
        out[0].save(buf, "PDF", save_all=True, append_images=out[1:], resolution=dpi)
    else:
        out[0].save(buf, "TIFF", save_all=True, append_images=out[1:], compression="tiff_deflate")
    return buf.getvalue()


@dataclass
class ReportScore:
    name: str
    cells: int
    right: int
    silent: list[str]
    uncertain_wrong: list[str]
    seconds: float

    @property
    def accuracy(self) -> float:
        return self.right / self.cells if self.cells else 1.0


def score_report(name: str, report, seconds: float = 0.0) -> ReportScore:
    """Compare a parsed report with the labels, as /work/shared/tools/score.py does: a wrong cell is
    silent unless its status is ``uncertain``."""
    from decimal import Decimal

    expected = load_expected(CORPUS / f"{name}.expected.json")["cells"]
    right, silent, unsure = 0, [], []
    for key, want in expected.items():
        cell = report.cells.get(key)
        got = None if cell is None else cell.value
        if got is not None and Decimal(str(got)) == Decimal(str(want)):
            right += 1
        elif cell is not None and str(cell.status) == "uncertain":
            unsure.append(f"{key}: got {got!r} ({cell.raw!r}), want {want!r}")
        else:
            silent.append(f"{key}: got {got!r} ({None if cell is None else cell.raw!r}), want {want!r}")
    return ReportScore(name, len(expected), right, silent, unsure, seconds)
