"""PDF layout stages: a page's glyphs and rulings → ruled tables and text lines.

pdfium (through pypdfium2, a C library and already a dependency of pdfplumber) extracts the glyphs and
the vector paths of a page about ten times faster than pdfminer; the table geometry then uses
pdfplumber's pure stages (``merge_edges`` → ``edges_to_intersections`` → ``intersections_to_cells`` →
``cells_to_tables``). Each stage here is a pure function on plain geometry:

    extract_page (pdfium)  →  PageContent(chars, edges, image_area)
    find_tables(edges, chars)     →  [RuledTable]   cells snapped to a row/column grid, spans kept
    text_lines(chars)             →  [Line]         glyphs outside the tables grouped into lines
"""
from __future__ import annotations

import bisect
import ctypes
import itertools
import math
import re
from dataclasses import dataclass, field

from pdfplumber import table as plumber_table
from pypdfium2 import raw

from ._cjk import is_cjk as _is_cjk
from ._cjk import normalize_cjk

MAX_EDGES_PER_PAGE = 2000  # more rulings than any report table has: skip table finding (no quadratic blow-up)
MAX_INTERSECTIONS = 1200  # table 三 has about 350
OUTLINED_TEXT_PATHS = 300  # a page of text converted to outlines has a path per glyph or per line
MAX_CHARS_PER_PAGE = 60000


@dataclass(frozen=True, slots=True)
class Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def size(self) -> float:
        return max(self.bottom - self.top, 1.0)

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class PageContent:
    number: int  # 1-based
    width: float
    height: float
    chars: list[Char] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)
    image_area: float = 0.0  # page area covered by image objects
    paths: int = 0  # vector path objects: thousands on a page without text are text drawn as outlines
    turned_text: bool = False  # some text object is rotated or skewed (landscape table, watermark)
    undecodable: int = 0  # glyphs without a Unicode mapping (private use, U+FFFD, none at all)

    @property
    def has_text(self) -> bool:
        seen = 0
        for c in self.chars:
            if not c.text.isspace():
                seen += 1
                if seen >= 3:
                    return True
        return False

    @property
    def garbled(self) -> bool:
        """Most glyphs have no Unicode mapping: the text layer is there but unreadable (OCR it)."""
        return self.undecodable >= 20 and self.undecodable > 0.3 * (len(self.chars) + self.undecodable)

    @property
    def image_only(self) -> bool:
        """No text layer, but something to read: a scan, or text converted to outlines (OCR reads both)."""
        return not self.has_text and (self.image_area >= 0.1 * self.width * self.height
                                      or self.paths >= OUTLINED_TEXT_PATHS)


# --- extraction (pdfium) ------------------------------------------------------------------------

def _edge(x0: float, top: float, x1: float, bottom: float) -> dict:
    orientation = "h" if (x1 - x0) >= (bottom - top) else "v"
    if orientation == "h":
        y = (top + bottom) / 2
        top = bottom = y
    else:
        x = (x0 + x1) / 2
        x0 = x1 = x
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top, "width": x1 - x0,
            "height": bottom - top, "orientation": orientation, "object_type": "edge"}


def _is_light(rgb: tuple[int, int, int]) -> bool:
    return min(rgb) >= 200


def _path_edges(obj, matrix: tuple[float, ...], height: float) -> list[dict]:
    """Axis-parallel rulings drawn by one path object: stroked segments, and thin dark filled rectangles."""
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    raw.FPDFPath_GetDrawMode(obj, ctypes.byref(fill_mode), ctypes.byref(stroke))
    n = raw.FPDFPath_CountSegments(obj)
    if n <= 0 or n > 5000:
        return []
    a, b, c, d, e, f = matrix
    subpaths: list[list[tuple[float, float]]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for i in range(n):
        seg = raw.FPDFPath_GetPathSegment(obj, i)
        raw.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
        px, py = a * x.value + c * y.value + e, b * x.value + d * y.value + f
        point = (px, height - py)
        kind = raw.FPDFPathSegment_GetType(seg)
        if kind == raw.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append([point])
        elif kind == raw.FPDF_SEGMENT_LINETO:
            subpaths[-1].append(point)
        else:  # a curve: not a ruling; start a fresh subpath from its end point
            subpaths.append([point])
        if raw.FPDFPathSegment_GetClose(seg) and len(subpaths[-1]) > 1:
            subpaths[-1].append(subpaths[-1][0])
    edges: list[dict] = []
    if stroke.value:
        for pts in subpaths:
            for (x0, y0), (x1, y1) in itertools.pairwise(pts):
                if abs(x0 - x1) < 1.0 or abs(y0 - y1) < 1.0:
                    edges.append(_edge(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))
    elif fill_mode.value:
        r, g, bl, al = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
        raw.FPDFPageObj_GetFillColor(obj, ctypes.byref(r), ctypes.byref(g), ctypes.byref(bl), ctypes.byref(al))
        if _is_light((r.value, g.value, bl.value)):
            return []  # a background (white paragraph boxes, cell shading), not a ruling
        for pts in subpaths:
            xs, ys = [p[0] for p in pts], [p[1] for p in pts]
            w, h = max(xs) - min(xs), max(ys) - min(ys)
            if len(pts) >= 4 and min(w, h) < 2.5 and max(w, h) > 2.0:
                edges.append(_edge(min(xs), min(ys), max(xs), max(ys)))
    return [e for e in edges if max(e["x1"] - e["x0"], e["bottom"] - e["top"]) >= 2.0]


def _compose(m1: tuple[float, ...], m2: tuple[float, ...]) -> tuple[float, ...]:
    """m1 applied first, then m2 (PDF row-vector convention)."""
    a1, b1, c1, d1, e1, f1 = m1
    a2, b2, c2, d2, e2, f2 = m2
    return (a1 * a2 + b1 * c2, a1 * b2 + b1 * d2, c1 * a2 + d1 * c2, c1 * b2 + d1 * d2,
            e1 * a2 + f1 * c2 + e2, e1 * b2 + f1 * d2 + f2)


_M = raw.FS_MATRIX()
_M_REF = ctypes.byref(_M)


def _matrix(obj) -> tuple[float, ...]:
    if not raw.FPDFPageObj_GetMatrix(obj, _M_REF):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (_M.a, _M.b, _M.c, _M.d, _M.e, _M.f)


def _walk_objects(objs, parent: tuple[float, ...], height: float, out: PageContent, depth: int = 0) -> None:
    identity = parent == (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    for obj in objs:
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_PATH:
            out.paths += 1
            if len(out.edges) < MAX_EDGES_PER_PAGE + 1:
                out.edges.extend(_path_edges(obj, _compose(_matrix(obj), parent), height))
        elif kind == raw.FPDF_PAGEOBJ_IMAGE:
            left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
            if raw.FPDFPageObj_GetBounds(obj, ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right),
                                         ctypes.byref(top)):
                out.image_area += max(right.value - left.value, 0) * max(top.value - bottom.value, 0)
        elif kind == raw.FPDF_PAGEOBJ_TEXT and not out.turned_text:
            m = _matrix(obj)
            a, b, c, d, _e, _f = m if identity else _compose(m, parent)
            out.turned_text = abs(b) + abs(c) > 0.02 * (abs(a) + abs(d))
        elif kind == raw.FPDF_PAGEOBJ_FORM and depth < 8:
            m = _compose(_matrix(obj), parent)
            count = raw.FPDFFormObj_CountObjects(obj)
            _walk_objects((raw.FPDFFormObj_GetObject(obj, i) for i in range(max(count, 0))), m, height, out, depth + 1)


def extract_page(page, number: int) -> PageContent:
    """Glyphs (with loose boxes, top-down coordinates), rulings and image coverage of one pdfium page."""
    width, height = page.get_size()
    if page.get_rotation() in (90, 270):  # pdfium gives the displayed size; glyphs and paths are unrotated
        width, height = height, width
    out = PageContent(number=number, width=width, height=height)
    n = raw.FPDFPage_CountObjects(page.raw)
    _walk_objects((raw.FPDFPage_GetObject(page.raw, i) for i in range(n)), (1.0, 0.0, 0.0, 1.0, 0.0, 0.0),
                  height, out)
    angles: list[float] = []
    textpage = page.get_textpage()
    try:
        tp = textpage.raw
        count = min(textpage.count_chars(), MAX_CHARS_PER_PAGE)
        buf = (ctypes.c_ushort * (count + 1))()
        written = raw.FPDFText_GetText(tp, 0, count, buf) if count else 0
        codes = list(buf[: max(written - 1, 0)])
        if len(codes) != count or any(0xD800 <= u <= 0xDFFF for u in codes):  # surrogates: ask glyph by glyph
            codes = [raw.FPDFText_GetUnicode(tp, i) for i in range(count)]
        rect = raw.FS_RECTF()
        left, right, bottom, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
        get_loose, rect_ref, get_angle = raw.FPDFText_GetLooseCharBox, ctypes.byref(rect), raw.FPDFText_GetCharAngle
        for i, code in enumerate(codes):
            if code == 0 or code == 0xFFFD or 0xE000 <= code <= 0xF8FF:
                out.undecodable += 1
                continue
            if code < 32 or code == 0xFFFE or code == 0xFFFF:
                continue
            if code == 32 and raw.FPDFText_IsGenerated(tp, i) == 1:
                continue  # a space pdfium made up between words; real gaps are measured instead
            if not get_loose(tp, i, rect_ref):
                continue
            box = (rect.left, height - rect.top, rect.right, height - rect.bottom)
            if max(box[3] - box[1], box[2] - box[0]) > 40.0 and raw.FPDFText_GetCharBox(
                    tp, i, ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom), ctypes.byref(top)):
                em = max(right.value - left.value, top.value - bottom.value, 2.0)
                if max(box[3] - box[1], box[2] - box[0]) > 4 * em:
                    # a broken font matrix blows the loose box up: centre an em box on the glyph instead
                    cy = height - (top.value + bottom.value) / 2
                    box = (left.value, cy - em / 2, right.value, cy + em / 2)
            out.chars.append(Char(chr(code), *box))
            if out.turned_text:
                angles.append(get_angle(tp, i))
    finally:
        textpage.close()
    if not out.turned_text:
        return out
    turns = _text_turns([a for a, c in zip(angles, out.chars, strict=True) if not c.text.isspace()])
    out.chars = _upright(out.chars, angles)
    return reorient(out, turns) if turns else out


def _upright(chars: list[Char], angles: list[float], tol: float = 0.2) -> list[Char]:
    """The glyphs set square to the page: a slanted watermark (``内部资料`` at 45°) is dropped; text turned by
    a quarter (a rotated column header) stays."""
    quarter = math.pi / 2
    return [c for c, a in zip(chars, angles, strict=True)
            if a < 0 or abs((a + quarter / 2) % quarter - quarter / 2) <= tol]


def _text_turns(angles: list[float]) -> int:
    """Quarter turns that make most of the page's text run left to right (0 when it already does)."""
    votes = [0, 0, 0, 0]
    for a in angles:
        if a >= 0:
            votes[round(a / (math.pi / 2)) % 4] += 1
    best = max(range(4), key=lambda k: votes[k])
    return best if votes[best] > votes[0] * 2 and votes[best] >= 5 else 0


def reorient(page: PageContent, turns: int) -> PageContent:
    """Rotate a page's geometry so that text measured at ``turns`` quarter turns (pdfium's angle) reads upright."""
    w, h = page.width, page.height

    def box(x0: float, top: float, x1: float, bottom: float) -> tuple[float, float, float, float, float, float]:
        if turns == 3:  # text running up the page: (X, Y) → (H - Y, X)
            return h - bottom, x0, h - top, x1, h, w
        if turns == 1:  # text running down the page: (X, Y) → (Y, W - X)
            return top, w - x1, bottom, w - x0, h, w
        return w - x1, h - bottom, w - x0, h - top, w, h  # upside down

    out = PageContent(number=page.number, width=w, height=h, image_area=page.image_area, paths=page.paths,
                      undecodable=page.undecodable)
    for c in page.chars:
        x0, top, x1, bottom, out.width, out.height = box(c.x0, c.top, c.x1, c.bottom)
        out.chars.append(Char(c.text, x0, top, x1, bottom))
    for e in page.edges:
        x0, top, x1, bottom, out.width, out.height = box(e["x0"], e["top"], e["x1"], e["bottom"])
        out.edges.append(_edge(x0, top, x1, bottom))
    return out


# --- tables -------------------------------------------------------------------------------------

@dataclass
class RuledTable:
    bbox: tuple[float, float, float, float]
    col_x: list[float]  # column boundaries, left to right (n_cols + 1)
    row_y: list[float]  # row boundaries, top to bottom (n_rows + 1)
    cells: list[tuple[int, int, int, int, str]]  # (row, col, rowspan, colspan, text)
    open_bottom: bool = False  # the bottom ruling was missing (table runs to the page end)

    @property
    def n_rows(self) -> int:
        return len(self.row_y) - 1

    @property
    def n_cols(self) -> int:
        return len(self.col_x) - 1


def _close_open_ends(edges: list[dict], tol: float = 3.0) -> tuple[list[dict], set[float]]:
    """Add the missing top/bottom rulings of a table that a page break cut open.

    WPS leaves out the bottom border of a table that continues on the next page (and sometimes the top
    border of the continuation): vertical rulings then end where no horizontal ruling does.
    """
    hs = [e for e in edges if e["orientation"] == "h"]
    vs = [e for e in edges if e["orientation"] == "v"]
    added: list[dict] = []
    synthetic: set[float] = set()
    for end in ("top", "bottom"):
        loose: list[dict] = []
        for v in vs:
            y = v[end]
            if any(abs(h["top"] - y) <= tol and h["x0"] - tol <= v["x0"] <= h["x1"] + tol for h in hs):
                continue
            level = [h for h in hs if abs(h["top"] - y) <= tol]
            if level:  # a ruling at this height stops short of the vertical: carry it across
                near = min(level, key=lambda h: min(abs(h["x0"] - v["x0"]), abs(h["x1"] - v["x0"])))
                x0, x1 = sorted((v["x0"], near["x0"] if abs(near["x0"] - v["x0"]) < abs(near["x1"] - v["x0"])
                                 else near["x1"]))
                added.append(_edge(x0, near["top"], x1, near["top"]))
            else:
                loose.append(v)
        loose.sort(key=lambda v: v[end])
        group: list[dict] = []
        for v in loose + [None]:  # type: ignore[list-item]
            if v is not None and (not group or abs(v[end] - group[0][end]) <= tol):
                group.append(v)
                continue
            if len(group) >= 2:
                y = sum(g[end] for g in group) / len(group)
                x0, x1 = min(g["x0"] for g in group), max(g["x0"] for g in group)
                added.append(_edge(x0, y, x1, y))
                synthetic.add(round(y, 1))
            group = [v] if v is not None else []
    return edges + added, synthetic


_NUMERIC_TOKEN = re.compile(r"^[-+]?\d[\d,，]*(\.\d+)?%?$")


def _under_ruled(text: str) -> bool:
    """A cell holding several separate numbers: the table lacks rulings between its columns."""
    tokens = text.split()
    numbers = sum(1 for token in tokens if _NUMERIC_TOKEN.match(token))
    return numbers >= 3 and numbers >= 0.6 * len(tokens)


def _cluster(values: list[float], tol: float) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def _index(bounds: list[float], v: float, tol: float) -> int:
    return min(range(len(bounds)), key=lambda i: abs(bounds[i] - v)) if bounds else 0


class CharIndex:
    """A page's glyphs sorted by their vertical centre, for fast 'glyphs inside this box' queries."""

    def __init__(self, chars: list[Char]) -> None:
        self.chars = sorted(chars, key=lambda c: c.cy)
        self.cys = [c.cy for c in self.chars]

    def within(self, bbox: tuple[float, float, float, float]) -> list[Char]:
        x0, top, x1, bottom = bbox
        lo, hi = bisect.bisect_left(self.cys, top), bisect.bisect_right(self.cys, bottom)
        return [c for c in self.chars[lo:hi] if x0 <= c.cx <= x1]


def chars_in(chars: list[Char] | CharIndex, bbox: tuple[float, float, float, float]) -> list[Char]:
    index = chars if isinstance(chars, CharIndex) else CharIndex(chars)
    return index.within(bbox)


def find_tables(edges: list[dict], chars: list[Char]) -> list[RuledTable]:
    """Ruled tables of a page, each cell placed on the table's row/column grid with its spans."""
    if not edges or len(edges) > MAX_EDGES_PER_PAGE:
        return []
    edges = plumber_table.merge_edges(edges, 3, 3, 3, 3)
    edges = [e for e in edges if max(e["x1"] - e["x0"], e["bottom"] - e["top"]) >= 3]
    edges, synthetic = _close_open_ends(edges)
    edges = plumber_table.merge_edges(edges, 3, 3, 3, 3)
    intersections = plumber_table.edges_to_intersections(edges, 3, 3)
    if len(intersections) > MAX_INTERSECTIONS:
        return []
    cells = plumber_table.intersections_to_cells(intersections)
    index = CharIndex(chars)
    tables: list[RuledTable] = []
    for group in plumber_table.cells_to_tables(cells):
        col_x = _cluster([c[0] for c in group] + [c[2] for c in group], 2.0)
        row_y = _cluster([c[1] for c in group] + [c[3] for c in group], 2.0)
        if len(col_x) < 3 or len(row_y) < 2:
            continue  # a single column: a boxed paragraph, not a table
        placed = []
        for x0, top, x1, bottom in sorted(group, key=lambda c: (c[1], c[0])):
            r0, r1 = _index(row_y, top, 2.0), _index(row_y, bottom, 2.0)
            c0, c1 = _index(col_x, x0, 2.0), _index(col_x, x1, 2.0)
            if r1 <= r0 or c1 <= c0:
                continue
            text = cell_text(index.within((x0, top, x1, bottom)))
            placed.append((r0, c0, r1 - r0, c1 - c0, text))
        if any(_under_ruled(cell[4]) for cell in placed):
            continue  # rulings missing inside: read its text as lines, which keep the columns apart
        bbox = (col_x[0], row_y[0], col_x[-1], row_y[-1])
        tables.append(RuledTable(bbox, col_x, row_y, placed, open_bottom=round(row_y[-1], 1) in synthetic
                                 or any(abs(row_y[-1] - s) <= 3 for s in synthetic)))
    return tables


# --- text ---------------------------------------------------------------------------------------

@dataclass
class Line:
    top: float
    bottom: float
    x0: float
    x1: float
    text: str
    segments: list[tuple[float, float, str]]  # (x0, x1, text) pieces separated by wide gaps


def group_lines(chars: list[Char]) -> list[list[Char]]:
    """Glyphs → visual lines (top to bottom), each sorted left to right."""
    lines: list[list[Char]] = []
    bands: list[tuple[float, float]] = []
    for c in sorted(chars, key=lambda c: ((c.top + c.bottom) / 2, c.x0)):
        mid = (c.top + c.bottom) / 2
        if lines:
            top, bottom = bands[-1]
            if top - 0.5 <= mid <= bottom + 0.5 and mid - top < 0.8 * max(bottom - top, c.size):
                lines[-1].append(c)
                bands[-1] = (min(top, c.top), max(bottom, c.bottom))
                continue
        lines.append([c])
        bands.append((c.top, c.bottom))
    return [sorted(line, key=lambda c: c.x0) for line in lines]


def _join_chars(chars: list[Char], gap_factor: float = 0.3) -> str:
    out: list[str] = []
    prev: Char | None = None
    for c in chars:
        if prev is not None and not c.text.isspace() and not prev.text.isspace():
            gap = c.x0 - prev.x1
            if gap > gap_factor * min(c.size, prev.size) and not (_is_cjk(c.text) and _is_cjk(prev.text)):
                out.append(" ")
        out.append(c.text)
        prev = c
    return " ".join("".join(out).split()) if out else ""


def cell_text(chars: list[Char]) -> str:
    """A cell's text: its lines joined, without a space between CJK line ends (a wrapped label)."""
    pieces = [_join_chars(line) for line in group_lines(chars)]
    text = ""
    for piece in pieces:
        if not piece:
            continue
        if text and not (_is_cjk(text[-1]) or _is_cjk(piece[0])):
            text += " "
        text += piece
    return normalize_cjk(text)


def text_lines(chars: list[Char]) -> list[Line]:
    lines: list[Line] = []
    for line in group_lines(chars):
        if all(c.text.isspace() for c in line):
            continue
        segments: list[list[Char]] = [[]]
        prev: Char | None = None  # the last glyph that is not a space
        for c in line:
            if c.text.isspace():
                segments[-1].append(c)
                continue
            if prev is not None and c.x0 - prev.x1 > 2.2 * min(c.size, prev.size):
                segments.append([])
            segments[-1].append(c)
            prev = c
        segments = [s for s in segments if any(not c.text.isspace() for c in s)]
        segs = [(s[0].x0, s[-1].x1, normalize_cjk(_join_chars(s))) for s in segments]
        segs = [s for s in segs if s[2]]
        if not segs:
            continue
        lines.append(Line(min(c.top for c in line), max(c.bottom for c in line), line[0].x0, line[-1].x1,
                          " ".join(s[2] for s in segs), segs))
    return lines
