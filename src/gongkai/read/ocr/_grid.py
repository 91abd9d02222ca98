"""Tables from a page image: ruled lines → cell grid (with merged cells) → OCR text placed in cells.

Stages, each a pure function:

    line_masks(grey)            horizontal and vertical rule masks (OpenCV morphology)
    segments(mask)              the rules as segments (position, start, end)
    table_regions(h, v)         one rectangle per ruled table
    build_grid(region, …)       row and column lines; a cell per grid position; missing rules merge cells
    place_text(grid, boxes)     OCR boxes (split per character where a box crosses a rule) into cells
    cluster_lines(boxes)        text lines, for text outside tables and for tables without rules
    columns_from_lines(lines)   the fallback: a table from aligned text lines
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import cv2
import numpy as np

from ._engine import TextBox


@dataclass(frozen=True)
class Segment:
    pos: float  # y of a horizontal rule, x of a vertical one
    start: float
    end: float


@dataclass
class Grid:
    x0: int
    y0: int
    x1: int
    y1: int
    xs: list[float]  # column rule positions, left to right
    ys: list[float]  # row rule positions, top to bottom
    cells: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row, col, rowspan, colspan)

    @property
    def n_rows(self) -> int:
        return len(self.ys) - 1

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1


def line_masks(grey: np.ndarray, *, text_h: float = 20.0,
               boxes: list[TextBox] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the horizontal and vertical rules (long thin runs of ink).

    ``text_h`` is the typical height of a text line box: rules are much longer than any stroke of a
    character. The middle of every text box is blanked first, so that runs of horizontal strokes
    (一、二、三 …) never pass for a rule.
    """
    bw = cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15)
    hbw = bw.copy()
    for b in boxes or ():
        m = 0.3 * b.height
        ya, yb = int(b.y0 + m), int(b.y1 - m)
        if yb > ya:
            hbw[ya:yb, int(b.x0):int(b.x1) + 1] = 0
    hlen = int(max(25, 2.0 * text_h))
    vlen = int(max(15, 1.15 * text_h))
    hb = cv2.morphologyEx(hbw, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 1)))
    horiz = cv2.morphologyEx(hb, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (hlen, 1)))
    vb = cv2.morphologyEx(bw, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 3)))
    vert = cv2.morphologyEx(vb, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, vlen)))
    return horiz, vert


def segments(mask: np.ndarray, *, horizontal: bool, min_len: int) -> list[Segment]:
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out: list[Segment] = []
    for i in range(1, n):
        x, y, w, h, _area = stats[i]
        if horizontal:
            if w >= min_len and h <= max(12, w // 10):
                out.append(Segment(y + h / 2, float(x), float(x + w)))
        elif h >= min_len and w <= max(12, h // 10):
            out.append(Segment(x + w / 2, float(y), float(y + h)))
    return out


def _cluster(values: list[float], tol: float) -> list[float]:
    if not values:
        return []
    values = sorted(values)
    groups: list[list[float]] = [[values[0]]]
    for v in values[1:]:
        if v - groups[-1][-1] <= tol:
            groups[-1].append(v)
        else:
            groups.append([v])
    return [float(np.median(g)) for g in groups]


def table_regions(horiz: np.ndarray, vert: np.ndarray, *, min_w: int, min_h: int) -> list[tuple[int, int, int, int]]:
    """Bounding boxes (x0, y0, x1, y1) of the connected frames of rules that look like tables."""
    both = cv2.dilate(cv2.bitwise_or(horiz, vert), np.ones((5, 5), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(both, connectivity=8)
    out = []
    for i in range(1, n):
        x, y, w, h, _ = stats[i]
        if w >= min_w and h >= min_h:
            out.append((int(x), int(y), int(x + w), int(y + h)))
    return sorted(out, key=lambda r: (r[1], r[0]))


def _covered(segs: list[Segment], pos: float, a: float, b: float, tol: float) -> float:
    """Fraction of [a, b] covered by segments lying at ``pos`` (± tol)."""
    if b <= a:
        return 0.0
    spans = sorted((max(s.start, a), min(s.end, b)) for s in segs if abs(s.pos - pos) <= tol and s.end > a
                   and s.start < b)
    total, cur = 0.0, a
    for s, e in spans:
        if e <= cur:
            continue
        total += e - max(s, cur)
        cur = e
    return total / (b - a)


def build_grid(region: tuple[int, int, int, int], hsegs: list[Segment], vsegs: list[Segment], *,
               tol: float = 6.0, min_cover: float = 0.12) -> Grid | None:
    """The cell grid of one ruled table; positions not separated by a rule are merged into one cell."""
    x0, y0, x1, y1 = region
    pad = 8
    hs = [s for s in hsegs if y0 - pad <= s.pos <= y1 + pad and s.end > x0 - pad and s.start < x1 + pad]
    vs = [s for s in vsegs if x0 - pad <= s.pos <= x1 + pad and s.end > y0 - pad and s.start < y1 + pad]
    ys = _cluster([s.pos for s in hs], tol)
    xs = _cluster([s.pos for s in vs], tol)
    # an open table side: use the region's edge as a rule
    if not xs or xs[0] - x0 > 15:
        xs.insert(0, float(x0))
        vs.append(Segment(float(x0), float(y0), float(y1)))
    if xs[-1] < x1 - 15:
        xs.append(float(x1))
        vs.append(Segment(float(x1), float(y0), float(y1)))
    if not ys or ys[0] - y0 > 15:
        ys.insert(0, float(y0))
        hs.append(Segment(float(y0), float(x0), float(x1)))
    if ys[-1] < y1 - 15:
        ys.append(float(y1))
        hs.append(Segment(float(y1), float(x0), float(x1)))
    # drop inner "rules" that cross only a sliver of the table: pieces of a stamp's ring, a signature,
    # a scanner streak (a real rule, even between merged cells, runs along a good part of the table)
    xs = [x for i, x in enumerate(xs) if i in (0, len(xs) - 1) or _covered(vs, x, y0, y1, tol) >= min_cover]
    ys = [y for i, y in enumerate(ys) if i in (0, len(ys) - 1) or _covered(hs, y, x0, x1, tol) >= min_cover]
    # drop rules closer than a text line (double rules, thick borders)
    xs = [x for i, x in enumerate(xs) if i == 0 or x - xs[i - 1] > 10]
    ys = [y for i, y in enumerate(ys) if i == 0 or y - ys[i - 1] > 10]
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    if n_rows < 1 or n_cols < 1 or n_rows * n_cols > 4000:
        return None
    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for r in range(n_rows):
        ya, yb = ys[r], ys[r + 1]
        m = (yb - ya) * 0.15
        for c in range(n_cols - 1):
            if _covered(vs, xs[c + 1], ya + m, yb - m, tol) < 0.5:
                union(r * n_cols + c, r * n_cols + c + 1)
    for c in range(n_cols):
        xa, xb = xs[c], xs[c + 1]
        m = (xb - xa) * 0.15
        for r in range(n_rows - 1):
            if _covered(hs, ys[r + 1], xa + m, xb - m, tol) < 0.5:
                union(r * n_cols + c, (r + 1) * n_cols + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            groups.setdefault(find(r * n_cols + c), []).append((r, c))
    grid = Grid(x0, y0, x1, y1, xs, ys)
    taken: set[tuple[int, int]] = set()
    for members in sorted(groups.values()):
        r0 = min(r for r, _ in members)
        c0 = min(c for _, c in members)
        r1 = max(r for r, _ in members)
        c1 = max(c for _, c in members)
        box = {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        if box & taken or len(box) != len(members):  # not a rectangle: keep its positions apart
            for pos in members:
                if pos not in taken:
                    taken.add(pos)
                    grid.cells.append((pos[0], pos[1], 1, 1))
            continue
        taken |= box
        grid.cells.append((r0, c0, r1 - r0 + 1, c1 - c0 + 1))
    return grid


def find_grids(grey: np.ndarray, boxes: list[TextBox] | None = None) -> list[Grid]:
    text_h = float(np.median([b.height for b in boxes])) if boxes else max(15.0, grey.shape[1] / 60)
    horiz, vert = line_masks(grey, text_h=text_h, boxes=boxes)
    w = grey.shape[1]
    hsegs = segments(horiz, horizontal=True, min_len=int(max(25, 2.0 * text_h)))
    vsegs = segments(vert, horizontal=False, min_len=int(max(15, 1.15 * text_h)))
    grids = []
    for region in table_regions(horiz, vert, min_w=w // 5, min_h=int(max(30, 2 * text_h))):
        g = build_grid(region, hsegs, vsegs, tol=max(4.0, text_h * 0.25))
        if g is not None and (g.n_rows >= 2 or g.n_cols >= 2):
            grids.append(g)
    return grids


# --- placing text --------------------------------------------------------------------------------------

@dataclass
class Fragment:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    score: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


def _split_box(box: TextBox, cuts: list[float]) -> list[Fragment]:
    """Split a text box at the vertical rules that cross it, by its character boxes."""
    inner = [x for x in cuts if box.x0 + 4 < x < box.x1 - 4]
    if not inner or not box.chars:
        return [Fragment(box.x0, box.y0, box.x1, box.y1, box.text, box.score)]
    bounds = [box.x0 - 1, *inner, box.x1 + 1]
    out = []
    for a, b in itertools.pairwise(bounds):
        chars = [ch for ch in box.chars if a <= (ch.x0 + ch.x1) / 2 < b]
        if chars:
            out.append(Fragment(chars[0].x0, box.y0, chars[-1].x1, box.y1, "".join(ch.text for ch in chars),
                                min(ch.score for ch in chars)))
    return out


def _join(frags: list[Fragment]) -> str:
    """Text of the fragments in a cell: lines top to bottom, each left to right."""
    if not frags:
        return ""
    lines: list[list[Fragment]] = []
    for f in sorted(frags, key=lambda f: f.cy):
        if lines and abs(f.cy - np.mean([g.cy for g in lines[-1]])) < 0.5 * (f.y1 - f.y0):
            lines[-1].append(f)
        else:
            lines.append([f])
    parts: list[str] = []
    for line in lines:
        for f in sorted(line, key=lambda f: f.x0):
            t = f.text.strip()
            if not t:
                continue
            if parts and parts[-1][-1:].isascii() and parts[-1][-1:].isalnum() and t[:1].isascii() and t[:1].isalnum():
                parts.append(" ")
            parts.append(t)
    return "".join(parts)


def place_text(grid: Grid, boxes: list[TextBox], grey: np.ndarray | None = None
               ) -> tuple[list[tuple[int, int, int, int, str]], dict[tuple[int, int], float | None], list[TextBox]]:
    """Put OCR boxes into the grid's cells.

    Returns the cells as ``(row, col, rowspan, colspan, text)``, a confidence per cell origin (the lowest
    character score in the cell; ``0.0`` for a cell with ink but no recognised text; ``None`` for a blank
    cell) and the boxes that lie outside the table.
    """
    owner: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    for cell in grid.cells:
        r0, c0, rs, cs = cell
        for r in range(r0, r0 + rs):
            for c in range(c0, c0 + cs):
                owner[(r, c)] = cell
    frags: dict[tuple[int, int, int, int], list[Fragment]] = {cell: [] for cell in grid.cells}
    outside: list[TextBox] = []
    for box in boxes:
        if not (grid.x0 - 2 <= box.cx <= grid.x1 + 2 and grid.y0 - 2 <= box.cy <= grid.y1 + 2):
            outside.append(box)
            continue
        r = int(np.searchsorted(grid.ys, box.cy)) - 1
        r = min(max(r, 0), grid.n_rows - 1)
        row_cuts = [grid.xs[c] for c in range(1, grid.n_cols)
                    if owner[(r, c - 1)] != owner[(r, c)]]
        for frag in _split_box(box, row_cuts):
            c = int(np.searchsorted(grid.xs, frag.cx)) - 1
            c = min(max(c, 0), grid.n_cols - 1)
            fr = int(np.searchsorted(grid.ys, frag.cy)) - 1
            fr = min(max(fr, 0), grid.n_rows - 1)
            frags[owner[(fr, c)]].append(frag)
    cells: list[tuple[int, int, int, int, str]] = []
    conf: dict[tuple[int, int], float | None] = {}
    for cell, fs in frags.items():
        r0, c0, rs, cs = cell
        text = _join(fs)
        cells.append((r0, c0, rs, cs, text))
        if text:
            conf[(r0, c0)] = round(min(f.score for f in fs), 4)
        elif grey is not None and _has_ink(grey, grid, cell):
            conf[(r0, c0)] = 0.0  # something is printed here that OCR could not read
        else:
            conf[(r0, c0)] = None
    return cells, conf, outside


def _has_ink(grey: np.ndarray, grid: Grid, cell: tuple[int, int, int, int]) -> bool:
    r0, c0, rs, cs = cell
    xa, xb = int(grid.xs[c0]) + 5, int(grid.xs[c0 + cs]) - 5
    ya, yb = int(grid.ys[r0]) + 5, int(grid.ys[r0 + rs]) - 5
    if xb - xa < 4 or yb - ya < 4:
        return False
    patch = grey[ya:yb, xa:xb]
    dark = patch < 110
    if dark.sum() < 12:
        return False
    # text makes compact blobs; specks of noise do not
    n, _, stats, _ = cv2.connectedComponentsWithStats(dark.astype(np.uint8), connectivity=8)
    return any(stats[i][4] >= 12 and stats[i][3] >= 6 for i in range(1, n))


# --- text lines ----------------------------------------------------------------------------------------

def cluster_lines(boxes: list[TextBox]) -> list[list[TextBox]]:
    """Group boxes into text lines (by vertical overlap), top to bottom, each left to right."""
    lines: list[list[TextBox]] = []
    for b in sorted(boxes, key=lambda b: (b.cy, b.x0)):
        for line in reversed(lines[-3:]):
            ly0 = float(np.median([x.y0 for x in line]))
            ly1 = float(np.median([x.y1 for x in line]))
            overlap = min(ly1, b.y1) - max(ly0, b.y0)
            if overlap > 0.5 * min(ly1 - ly0, b.height):
                line.append(b)
                break
        else:
            lines.append([b])
    return [sorted(line, key=lambda b: b.x0) for line in lines]


def line_text(line: list[TextBox]) -> str:
    parts: list[str] = []
    prev: TextBox | None = None
    for b in line:
        if prev is not None:
            gap = b.x0 - prev.x1
            parts.append("  " if gap > 1.5 * max(prev.height, 1.0) else (" " if gap > 0.4 * prev.height else ""))
        parts.append(b.text.strip())
        prev = b
    return "".join(parts)


def columns_from_lines(lines: list[list[TextBox]]) -> tuple[list[list[str]], list[list[float | None]]]:
    """A table from text lines without rules: columns are the x-intervals the lines' boxes share."""
    intervals: list[list[float]] = []
    for line in lines:
        for b in line:
            intervals.append([b.x0, b.x1])
    intervals.sort()
    cols: list[list[float]] = []
    for a, b in intervals:
        if cols and a <= cols[-1][1]:
            cols[-1][1] = max(cols[-1][1], b)
        else:
            cols.append([a, b])
    rows: list[list[str]] = []
    confs: list[list[float | None]] = []
    for line in lines:
        row: list[str] = [""] * len(cols)
        conf: list[float | None] = [None] * len(cols)
        for b in line:
            i = next(k for k, (a, e) in enumerate(cols) if a <= b.cx <= e) if any(
                a <= b.cx <= e for a, e in cols) else len(cols) - 1
            row[i] = (row[i] + " " + b.text.strip()).strip()
            conf[i] = b.score if conf[i] is None else min(conf[i] or 1.0, b.score)
        rows.append(row)
        confs.append(conf)
    return rows, confs
