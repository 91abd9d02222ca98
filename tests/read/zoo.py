"""The layout zoo: one random valid report printed as a whole page in every layout real pages use.

A page is rendered from the national template's grid (``gongkai.write._layout.build_grids``: the tables
with every rowspan/colspan of the template) into the text a web page, a mirror site or a crawler gives:

==================  ====================================================================================
layout              how a table row is printed (wild README, ``../shared/corpus/wild``, ``tests/corpus/wild``)
==================  ====================================================================================
pipe-rows           ``规章 | 0 | 0 | 0 |``, captions ``第二十条第(一)项 | |||``, trailing ``| ||`` runs (a006, b002)
pipe-rows-leading   ``| 规章 |       0 |        0 |`` (leading pipe, padded numbers, e005)
one-cell            every cell on its own line (header cells split ``本年新`` / ``制作数量``, a001-like, d004)
one-cell-blank      the same with blank lines between cells (a003, c005)
pipe-cell           every cell on its own line ending in `` |``, ``|||`` spacers where cells were merged,
                    an empty cell a bare ``|`` line (d017, b004, a001, d002)
pipe-cell-lead      the same, every row opened by a bare ``|`` line (d016)
bar-lines           cells on their own lines separated by bare ``|`` lines (d009, "other")
tsv                 tab-separated rows (an Excel or browser copy)
spaces              cells separated by runs of spaces
markdown            Markdown tables with the ``|---|`` rule
html                an HTML page (``<table>`` with the template's rowspan/colspan) fed as ``.html`` bytes
html-source         the same HTML pasted into a text file
html-escaped        HTML source with quotes escaped as ``\\"`` and ``&nbsp;`` entities
html-js             the whole report inside a JavaScript string: ``var content = "<p>…</p><table>…";``
==================  ====================================================================================

Every layout is drawn with: Simplified, Traditional (OpenCC s2t), or Traditional with the pinyin of some
characters inserted (``項(xiàng)``, from a fixed map); zeros printed as ``0``, as an empty cell or as ``/``;
half-width punctuation in labels (``(一)``, ``:``); remarks in labels (``规章(县级无此项)``,
``现行有效件数 (历史累计)``); 2021 tables saying ``规范性文件``; 2019-trial changes printed as ``+22``,
``-5``, ``增3``, ``减少8``; header cells split over lines (``本年新`` / ``制作数量``, ``商业`` / ``企业``); with or
without the title line. Reports: ``synth.valid_reports()`` (both formats), all zeros, or scaled to large
numbers (the identities are linear, so a scaled report stays valid).

:func:`render_page` returns the text (or HTML) and, for every keyed cell, the [start, end) span of its printed
value (for an empty cell: the boundary printed after it), so a test can cut the page anywhere and know which
cells were fully printed before the cut; :func:`judge_uncut` / :func:`judge_cut` state the properties.
``MINIMAL`` lists the shrunk failing examples the zoo found, as data (report cells, printing, cut).
"""
from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import opencc
from hypothesis import strategies as st

from gongkai.formats import ValueType
from gongkai.report import Cell, Report, Status
from gongkai.write._layout import Grid, GridCell, build_grids

from .synth import sample_report, valid_reports

LAYOUTS = ("pipe-rows", "pipe-rows-leading", "one-cell", "one-cell-blank", "pipe-cell", "pipe-cell-lead",
           "bar-lines", "tsv", "spaces", "markdown", "html", "html-source", "html-escaped", "html-js")
HTML_LAYOUTS = ("html", "html-source", "html-escaped", "html-js")
# layouts that cannot print an empty cell (it would vanish): their blank cells are printed "/"
NO_EMPTY_CELL = ("one-cell", "one-cell-blank", "spaces")
SCRIPTS = ("simplified", "traditional", "pinyin")

_S2T = opencc.OpenCC("s2t")
# the reading a mirror site inserts after a character (f018: 鎮(zhèn), 數(shù), 據(jù)); a fixed map, no dependency
PINYIN = {
    "項": "xiàng", "數": "shù", "規": "guī", "區": "qū", "據": "jù", "關": "guān", "開": "kāi", "處": "chǔ",
    "務": "wù", "總": "zǒng", "計": "jì", "請": "qǐng", "結": "jié", "轉": "zhuǎn", "機": "jī", "構": "gòu",
    "業": "yè", "會": "huì", "織": "zhī", "護": "hù", "權": "quán", "屬": "shǔ", "國": "guó", "況": "kuàng",
    "報": "bào", "發": "fā", "廢": "fèi", "內": "nèi", "決": "jué", "許": "xǔ", "強": "qiáng", "費": "fèi",
    "額": "é", "單": "dān", "萬": "wàn", "審": "shěn", "議": "yì", "訟": "sòng", "訴": "sù", "減": "jiǎn",
    "現": "xiàn", "編": "biān", "鎮": "zhèn", "縣": "xiàn", "級": "jí", "無": "wú", "歷": "lì", "採": "cǎi",
    "購": "gòu", "該": "gāi", "來": "lái", "與": "yǔ", "為": "wéi", "覆": "fù", "複": "fù", "維": "wéi",
    "糾": "jiū", "劃": "huà", "經": "jīng", "後": "hòu", "儘": "jǐn",
}


@dataclass(frozen=True)
class Zoo:
    """How one page is printed (see the module docstring)."""

    layout: str = "pipe-rows"
    script: str = "simplified"
    blank: str = "none"  # "none" | "empty" | "slash": how zero cells are printed (each with probability 1/2)
    halfwidth: bool = False
    remarks: bool = False
    old_normative: bool = False  # 2021 tables say 规范性文件
    worded: bool = False  # 2019-trial changes as 增3 / 减少8 / +22
    split_headers: bool = False
    title: bool = True  # False: a bare page (no title, no preamble), as most wild pages start at 一、总体情况
    seed: int = 0
    # for written-down examples: exact printed texts of some value cells ("" or "/" = blank; then no other cell
    # is blank) and of some labels (the format's label -> the printed one)
    texts: tuple[tuple[str, str], ...] = ()
    labels: tuple[tuple[str, str], ...] = ()


@dataclass
class Page:
    text: str  # the page (HTML source for the html layouts)
    spans: dict[str, tuple[int, int]]  # key -> [start, end) of its printed value (an empty cell: the boundary after it)
    printed: dict[str, str]  # key -> the value text as printed ("" for an empty cell)
    expected: dict[str, int | Decimal]  # key -> the value it stands for
    blank_keys: frozenset[str]  # keys printed blank (empty or "/")
    s2_start: int  # offset of section 二's heading
    first_row_end: int  # offset just after section 二's first table row with values
    as_html: bool = False  # parse as .html bytes (parse_bytes) rather than text

    def around(self, key: str, width: int = 60, cut: int | None = None) -> str:
        start, end = self.spans.get(key, (0, 0))
        text = self.text if cut is None else self.text[:cut]
        return text[max(0, start - width): end + width]


# --- reports ---------------------------------------------------------------------------------------
def _scaled(report: Report, mode: str) -> Report:
    if mode == "as-drawn":
        return report
    cells: dict[str, Cell] = {}
    for key, cell in report.cells.items():
        v = cell.value
        if mode == "zeros":
            v = Decimal(0) if isinstance(v, Decimal) else 0
        elif report.fmt.value_type(key) is not ValueType.SIGNED_INT:
            v = v * 1000 if v is not None else v  # type: ignore[operator]
        cells[key] = Cell(value=v, status=Status.OK)
    return report.model_copy(update={"cells": cells})


class Drawn:
    """A drawn report with a short repr (Hypothesis prints it for a failing example)."""

    def __init__(self, report: Report) -> None:
        self.report = report

    def __repr__(self) -> str:
        nonzero = {k: v for k, c in self.report.cells.items() if (v := c.value)}
        collapsed = ", collapsed=True" if self.report.collapsed else ""
        return f"report_with({self.report.format!r}, {nonzero!r}{collapsed})"


@st.composite
def zoo_reports(draw: st.DrawFn) -> Drawn:
    """synth.valid_reports() (both formats), all zeros, or scaled x1000 (large numbers)."""
    report = draw(valid_reports())
    mode = draw(st.sampled_from(["as-drawn", "as-drawn", "zeros", "large"]))
    return Drawn(_scaled(report, mode))


def report_with(fid: str, nonzero: dict[str, int | Decimal], *, collapsed: bool = False) -> Report:
    """A report of format ``fid`` whose cells are all 0 but ``nonzero`` (the caller keeps the identities):
    how a shrunk failing example is written down."""
    base = sample_report(fid, collapsed=collapsed)
    cells = {k: Cell(value=Decimal(0) if isinstance(c.value, Decimal) else 0, status=Status.OK)
             for k, c in base.cells.items()}
    for k, v in nonzero.items():
        cells[k] = Cell(value=v, status=Status.OK)
    md = base.metadata.model_copy(update={"agency": "某县某局", "year": 2023})
    return base.model_copy(update={"cells": cells, "metadata": md})


def zoos(layout: str | None = None, **fixed: object) -> st.SearchStrategy[Zoo]:
    """Ways of printing a page; ``fixed`` pins a field to a value or to a strategy of its own."""
    fields: dict[str, st.SearchStrategy[object]] = {
        "layout": st.just(layout) if layout else st.sampled_from(LAYOUTS), "script": st.sampled_from(SCRIPTS),
        "blank": st.sampled_from(["none", "empty", "slash"]), "halfwidth": st.booleans(), "remarks": st.booleans(),
        "old_normative": st.booleans(), "worded": st.booleans(), "split_headers": st.booleans(),
        "title": st.booleans(), "seed": st.integers(0, 2**16)}
    for name, value in fixed.items():
        fields[name] = value if isinstance(value, st.SearchStrategy) else st.just(value)
    return st.builds(Zoo, **fields)  # type: ignore[arg-type]


# --- texts of cells ------------------------------------------------------------------------------------
_REMARKS = {
    "规章": ("规章(县级无此项)", "规章（设区的市、自治州人民政府应提供相关数据）"),
    "现行有效件数": ("现行有效件数 (历史累计)",),
    "上一年项目数量": ("上一年项目数量（指上年度事项数）",),
    "规范性文件": (("规范性文件（行政机关制定发布的决定、公告、通告、意见、通知，以及标题采用“规定”“办法”“细则”"
                    "“规范”“规程”“规则”等字样的公文，一般情况下属于规范性文件）"),),
}
# header cells split as real pages split them (d009 本年新 / 制作数量, c005 and b004 商业 / 企业, the dev corpus's
# 社会公益 组织 and 法律服务 机构)
_SPLIT_AT = {"本年新制作数量": 3, "本年新公开数量": 3, "商业企业": 2, "科研机构": 2, "社会公益组织": 4, "法律服务机构": 4}
_HALF = str.maketrans({"（": "(", "）": ")", "：": ":"})


class _Texts:
    def __init__(self, report: Report, zoo: Zoo) -> None:
        self.r, self.z = report, zoo
        self.rng = random.Random(zoo.seed)
        self.blank_keys: set[str] = set()

    def label(self, c: GridCell) -> tuple[str, int | None]:
        """A label's text and, when the header is split over two pieces, where."""
        text = c.text
        forced = dict(self.z.labels)
        if text in forced:
            return forced[text], None
        if text == "行政规范性文件" and self.z.old_normative:
            text = "规范性文件"
        if self.z.remarks and text in _REMARKS and self.rng.random() < 0.7:
            text = self.rng.choice(_REMARKS[text])
        if self.z.halfwidth:
            text = text.translate(_HALF)
        split = _SPLIT_AT.get(c.text) if self.z.split_headers and c.role == "head" else None
        return text, split

    def value(self, c: GridCell, *, can_be_empty: bool) -> str:
        assert c.key is not None
        v = self.r.value(c.key)
        forced = dict(self.z.texts)
        if c.key in forced:
            text = forced[c.key]
            if text in ("", "/"):
                self.blank_keys.add(c.key)
                return text if can_be_empty else "/"
            return text
        if not self.z.texts and self.z.blank != "none" and v == 0 and self.rng.random() < 0.5:
            self.blank_keys.add(c.key)
            return "" if (self.z.blank == "empty" and can_be_empty) else "/"
        if c.vtype is ValueType.SIGNED_INT and v is not None:
            n = int(v)
            if self.z.worded and n > 0:
                return self.rng.choice([f"+{n}", f"增{n}", f"增加{n}", str(n)])
            if self.z.worded and n < 0:
                return self.rng.choice([f"-{-n}", f"减{-n}", f"减少{-n}"])
            return str(n)
        if isinstance(v, Decimal):
            return format(v, "f")
        return str(v)


# --- output with spans -------------------------------------------------------------------------------
class _Out:
    def __init__(self, convert: Callable[[str], str]) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.spans: dict[str, tuple[int, int]] = {}
        self.printed: dict[str, str] = {}
        self.pending: list[str] = []
        self.convert = convert
        self.marks: dict[str, int] = {}

    def raw(self, text: str) -> None:
        """Markup or separators: printed as is."""
        self._put(text)

    def text(self, text: str, key: str | None = None) -> None:
        """Page text (converted to the page's script); a keyed value records its span."""
        text = self.convert(text)
        if key is not None:
            self.printed[key] = text
            if text == "":
                self.pending.append(key)  # an empty cell is printed once the boundary after it is
                return
        start = self.pos
        self._put(text)
        if key is not None:
            self.spans[key] = (start, self.pos)

    def _put(self, text: str) -> None:
        if not text:
            return
        start = self.pos
        self.parts.append(text)
        self.pos += len(text)
        if self.pending and (text.strip() or "\t" in text or "\n" in text):  # the boundary after an empty cell
            for k in self.pending:
                self.spans[k] = (start, self.pos)
            self.pending.clear()

    def mark(self, name: str) -> None:
        self.marks[name] = self.pos

    def result(self) -> str:
        for k in self.pending:
            self.spans[k] = (self.pos, self.pos + 1)  # never printed completely
        return "".join(self.parts)


def _converter(script: str) -> Callable[[str], str]:
    if script == "simplified":
        return lambda s: s

    def conv(s: str) -> str:
        t = _S2T.convert(s) if s else s
        if script == "pinyin":
            t = "".join(ch + (f"({PINYIN[ch]})" if ch in PINYIN else "") for ch in t)
        return t

    return conv


# --- the page's prose ---------------------------------------------------------------------------------
def _prose(report: Report, zoo: Zoo) -> dict[str, list[str]]:
    fmt = report.fmt
    y = report.year
    heads = [s.heading for s in fmt.sections]
    return {
        "title": [f"{report.agency}{y}年政府信息公开工作年度报告"] if zoo.title else [],
        "preamble": [(f"本报告根据《中华人民共和国政府信息公开条例》和{fmt.basis}要求编制。"
                      f"本报告所列数据的统计期限为{y}年1月1日至{y}年12月31日。")],
        "1": [heads[0], ("本年度，本机关认真贯彻落实《中华人民共和国政府信息公开条例》，持续推进政府信息公开工作，"
                         "切实保障人民群众的知情权、参与权和监督权。")],
        "2": [heads[1]], "3": [heads[2]], "4": [heads[3]],
        "5": [heads[4], "（一）存在的主要问题：公开内容的及时性有待提高。（二）改进情况：加强培训，规范发布。"],
        "6": [heads[5], "本年度未收取信息处理费。"],
    }


# --- rows of a grid --------------------------------------------------------------------------------------
@dataclass
class _RowCell:
    text: str
    key: str | None
    role: str
    colspan: int
    split: int | None = None
    col: int = 0


@dataclass
class _Table:
    rows: list[list[_RowCell]]
    n_cols: int
    grid: Grid
    bands: list[tuple[int, int]] = field(default_factory=list)  # row ranges printed as separate tables


def _table(grid: Grid, texts: _Texts, *, can_be_empty: bool) -> _Table:
    rows: list[list[_RowCell]] = [[] for _ in range(grid.n_rows)]
    for c in sorted(grid.cells, key=lambda c: (c.row, c.col)):
        if c.role == "value":
            rows[c.row].append(_RowCell(texts.value(c, can_be_empty=can_be_empty), c.key, "value", c.colspan,
                                        col=c.col))
        else:
            text, split = texts.label(c)
            rows[c.row].append(_RowCell(text, None, c.role, c.colspan, split, col=c.col))
    bands = [(b.head[0], b.body[1]) for b in grid.bands]
    return _Table(rows, grid.n_cols, grid, bands)


def _covered(grid: Grid) -> set[tuple[int, int]]:
    out = set()
    for c in grid.cells:
        for r in range(c.row, c.row + c.rowspan):
            for k in range(c.col, c.col + c.colspan):
                if (r, k) != (c.row, c.col):
                    out.add((r, k))
    return out


# --- text layouts -----------------------------------------------------------------------------------------
def _put_cell(out: _Out, cell: _RowCell, sep_in_split: str) -> None:
    if cell.key is not None:
        out.text(cell.text, cell.key)
    elif cell.split and sep_in_split:
        out.text(cell.text[: cell.split])
        out.raw(sep_in_split)
        out.text(cell.text[cell.split:])
    else:
        out.text(cell.text)


def _render_row(out: _Out, row: list[_RowCell], width: int, grid_row: int, table: _Table, zoo: Zoo,
                rng: random.Random) -> None:
    lay = zoo.layout
    printed_cols = sum(c.colspan for c in row)
    spanned = sum(c.colspan - 1 for c in row)
    if lay in ("pipe-rows", "pipe-rows-leading"):
        if lay == "pipe-rows-leading":
            out.raw("| ")
        for i, c in enumerate(row):
            if i:
                out.raw(" | ")
            if c.key is not None and lay == "pipe-rows-leading" and rng.random() < 0.5:
                out.raw(" " * rng.randint(1, 8))
            _put_cell(out, c, " ")
        out.raw(" |")
        pad = spanned + (width - printed_cols)
        if pad and rng.random() < 0.8:
            out.raw(" " + "|" * pad)
        out.raw("\n")
    elif lay in ("one-cell", "one-cell-blank"):
        gap = "\n\n" if lay == "one-cell-blank" else "\n"
        for c in row:
            _put_cell(out, c, gap)
            out.raw(gap)
    elif lay in ("pipe-cell", "pipe-cell-lead"):
        if lay == "pipe-cell-lead":
            out.raw("|\n")
        # the spacer: one '|' per grid column the row does not print, at the row's end, on the last cell's
        # line (a001 '9000 | ||', d016) or on a line of its own (d017 '|||')
        spacer = "|" * (width - len(row))
        same_line_spacer = rng.random() < 0.5 and not (row[-1].key is not None and row[-1].text == "")
        for i, c in enumerate(row):
            last = i == len(row) - 1
            if c.key is not None and c.text == "":
                out.text("", c.key)
                out.raw("|\n")
                continue
            _put_cell(out, c, "\n")
            out.raw(" |")
            if last and spacer and same_line_spacer:
                out.raw(" " + spacer)
            out.raw("\n")
        if spacer and not same_line_spacer:
            out.raw(spacer + "\n")
    elif lay == "bar-lines":
        for c in row:
            _put_cell(out, c, "\n")
            out.raw("\n|\n")
    elif lay == "tsv":
        full = table.full_grid  # type: ignore[attr-defined]
        if full:
            covered = table.covered  # type: ignore[attr-defined]
            by_col = {c.col: c for c in row}
            cols = [k for k in range(width)]
            first = True
            for k in cols:
                if k in by_col:
                    if not first:
                        out.raw("\t")
                    _put_cell(out, by_col[k], " ")
                    first = False
                elif (grid_row, k) in covered:
                    if not first:
                        out.raw("\t")
                    first = False
            out.raw("\n")
        else:
            for i, c in enumerate(row):
                if i:
                    out.raw("\t")
                _put_cell(out, c, " ")
            out.raw("\n")
    elif lay == "spaces":
        for i, c in enumerate(row):
            if i:
                out.raw(" " * rng.randint(1, 4))
            _put_cell(out, c, "")
        out.raw("\n")
    elif lay == "markdown":
        covered = table.covered  # type: ignore[attr-defined]
        by_col = {c.col: c for c in row}
        out.raw("|")
        for k in range(width):
            if k in by_col:
                out.raw(" ")
                _put_cell(out, by_col[k], "<br>" if rng.random() < 0.5 else " ")
                out.raw(" |")
            elif (grid_row, k) in covered:
                out.raw("  |")
        out.raw("\n")
    else:  # pragma: no cover
        raise ValueError(lay)


def _render_text(report: Report, zoo: Zoo) -> Page:
    rng = random.Random(zoo.seed + 1)
    texts = _Texts(report, zoo)
    out = _Out(_converter(zoo.script))
    prose = _prose(report, zoo)
    lay = zoo.layout
    md = lay == "markdown"
    grids = {g.section: g for g in build_grids(report)}
    first_row_end = [0]

    def para(s: str, heading: bool = False) -> None:
        if md and heading:
            out.raw("## ")
        out.text(s)
        out.raw("\n\n" if md or lay in ("one-cell-blank", "tsv", "spaces") else "\n")

    def table(section: int) -> None:
        grid = grids[section]
        t = _table(grid, texts, can_be_empty=lay not in NO_EMPTY_CELL)
        t.covered = _covered(grid)  # type: ignore[attr-defined]
        t.full_grid = rng.random() < 0.5  # type: ignore[attr-defined]
        ranges = t.bands if (md and section == 2 and rng.random() < 0.5) else [(0, grid.n_rows)]
        for a, b in ranges:
            for r in range(a, b):
                _render_row(out, t.rows[r], grid.n_cols, r, t, zoo, rng)
                if md and r == a:
                    out.raw("|" + "---|" * grid.n_cols + "\n")
                if section == 2 and not first_row_end[0] and any(c.key for c in t.rows[r]):
                    first_row_end[0] = out.pos
            if md or lay in ("tsv", "spaces"):
                out.raw("\n")

    for s in prose["title"]:
        para(s)
    if zoo.title and rng.random() < 0.5:
        for s in prose["preamble"]:
            para(s)
    para(prose["1"][0], True)
    para(prose["1"][1])
    out.mark("s2")
    para(prose["2"][0], True)
    table(2)
    para(prose["3"][0], True)
    table(3)
    para(prose["4"][0], True)
    table(4)
    para(prose["5"][0], True)
    para(prose["5"][1])
    para(prose["6"][0], True)
    para(prose["6"][1])
    text = out.result()
    return _page(report, text, out, texts, first_row_end[0], as_html=False)


def _page(report: Report, text: str, out: _Out, texts: _Texts, first_row_end: int, *, as_html: bool) -> Page:
    expected = {k: report.value(k) for k in out.spans}
    return Page(text=text, spans=dict(out.spans), printed=dict(out.printed), expected=expected,  # type: ignore[arg-type]
                blank_keys=frozenset(texts.blank_keys), s2_start=out.marks["s2"], first_row_end=first_row_end,
                as_html=as_html)


# --- HTML ---------------------------------------------------------------------------------------------
_WRAPS = (("", ""), ("<p>", "</p>"), ('<p style="text-align:center">', "</p>"),
          ('<p class="MsoNormal" align="center"><span style="font-family:SimSun;font-size:10.5pt">', "</span></p>"),
          ("<span>", "</span>"))


def _render_html(report: Report, zoo: Zoo) -> Page:
    rng = random.Random(zoo.seed + 2)
    texts = _Texts(report, zoo)
    out = _Out(_converter(zoo.script))
    lay = zoo.layout
    escaped = lay in ("html-escaped", "html-js")
    nbsp = lay == "html-escaped" or (lay == "html-js" and rng.random() < 0.5)
    nl = "" if lay == "html-js" else "\n"

    def m(markup: str) -> None:  # markup, quotes escaped when the page is a string literal
        out.raw(markup.replace('"', '\\"') if escaped else markup)

    prose = _prose(report, zoo)
    grids = {g.section: g for g in build_grids(report)}
    first_row_end = [0]
    if lay == "html-js":
        out.raw('<script type="text/javascript">\nvar content = "')
    elif lay == "html":
        m('<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>')
        out.text(prose["title"][0] if prose["title"] else "正文")
        m("</title></head>\n<body>\n")
    m('<div class="TRS_Editor">' + nl)

    def para(s: str, heading: bool = False) -> None:
        if heading and rng.random() < 0.5:
            m("<p><strong>")
            out.text(s)
            m("</strong></p>" + nl)
        else:
            m('<p style="text-indent:2em">')
            out.text(s)
            m("</p>" + nl)

    def cell_html(c: _RowCell, g: GridCell) -> None:
        tag = "td"
        attrs = ""
        if g.rowspan > 1:
            attrs += f' rowspan="{g.rowspan}"'
        if g.colspan > 1:
            attrs += f' colspan="{g.colspan}"'
        if rng.random() < 0.3:
            attrs += f' width="{rng.randint(40, 200)}"'
        m(f"<{tag}{attrs}>")
        a, b = rng.choice(_WRAPS)
        m(a)
        if c.key is not None:
            if c.text == "":
                if nbsp and rng.random() < 0.5:
                    out.raw("&nbsp;")
                out.text("", c.key)
            else:
                if nbsp and rng.random() < 0.3:
                    out.raw("&nbsp;")
                out.text(c.text, c.key)
        elif c.split:
            out.text(c.text[: c.split])
            m(rng.choice(["<br>", "<br/>", "</p><p>" if a.startswith("<p") else "<br />"]))
            out.text(c.text[c.split:])
        else:
            out.text(c.text)
        m(b)
        m(f"</{tag}>")

    def table(section: int, *, split_bands: bool) -> None:
        grid = grids[section]
        t = _table(grid, texts, can_be_empty=True)
        origin = {(c.row, c.col): c for c in grid.cells}
        ranges = [(b.head[0], b.body[1]) for b in grid.bands] if split_bands else [(0, grid.n_rows)]
        for a, b in ranges:
            m('<table border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse">' + nl + "<tbody>" + nl)
            for r in range(a, b):
                m("<tr>")
                for c in t.rows[r]:
                    cell_html(c, origin[(r, c.col)])
                m("</tr>" + nl)
                if section == 2 and not first_row_end[0] and any(c.key for c in t.rows[r]):
                    first_row_end[0] = out.pos
            m("</tbody>" + nl + "</table>" + nl)

    for s in prose["title"]:
        m("<h1>" if lay != "html-js" else '<p style="text-align:center">')
        out.text(s)
        m(("</h1>" if lay != "html-js" else "</p>") + nl)
    if zoo.title and rng.random() < 0.5:
        para(prose["preamble"][0])
    para(prose["1"][0], True)
    para(prose["1"][1])
    out.mark("s2")
    para(prose["2"][0], True)
    table(2, split_bands=rng.random() < 0.5)
    para(prose["3"][0], True)
    table(3, split_bands=False)
    para(prose["4"][0], True)
    table(4, split_bands=False)
    para(prose["5"][0], True)
    para(prose["5"][1])
    para(prose["6"][0], True)
    para(prose["6"][1])
    m("</div>" + nl)
    if lay == "html-js":
        out.raw('";\ndocument.getElementById("zoom").innerHTML = content;\n</script>\n')
    elif lay == "html":
        m("</body></html>\n")
    text = out.result()
    return _page(report, text, out, texts, first_row_end[0], as_html=lay == "html")


def render_page(report: Report, zoo: Zoo) -> Page:
    """The whole report printed in ``zoo.layout`` (see the module docstring)."""
    if zoo.layout in HTML_LAYOUTS:
        return _render_html(report, zoo)
    return _render_text(report, zoo)





# --- judging a parse ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    kind: str  # "inexact" (uncut) | "wrong" | "lost" (printed before the cut) | "invented" | "refused"
    key: str
    got: object
    status: str
    want: object
    printed: str

    def __str__(self) -> str:
        return f"{self.kind} {self.key}: got {self.got!r} ({self.status}), want {self.want!r} (printed {self.printed!r})"


def parse_page(page: Page, cut: int | None = None) -> Report:
    """Parse the page (cut at ``cut`` characters) as a reader gets it: .html bytes or text."""
    from gongkai.read import parse_bytes, parse_text

    text = page.text if cut is None else page.text[:cut]
    if page.as_html:
        return parse_bytes(text.encode("utf-8"), name="report.html").report
    return parse_text(text).report


def _same(got: object, want: object) -> bool:
    if got is None or want is None:
        return got is want
    return Decimal(got) == Decimal(want)  # type: ignore[arg-type]


def judge_uncut(page: Page, got: Report) -> list[Problem]:
    """A whole page: every cell exactly right, numbers ``ok`` and blank-printed cells ``blank``."""
    out = []
    for key, want in page.expected.items():
        cell = got.cell(key)
        status_ok = cell.status is (Status.BLANK if key in page.blank_keys else Status.OK)
        if not (_same(cell.value, want) and status_ok):
            out.append(Problem("inexact", key, cell.value, cell.status.value, want, page.printed[key]))
    return out


def judge_cut(page: Page, got: Report, cut: int) -> list[Problem]:
    """A page cut at ``cut``: every cell printed completely before it is right or ``uncertain``; no cell that
    was not printed completely comes back ``ok``/``repaired`` with a value (an invented cell)."""
    out = []
    for key, want in page.expected.items():
        cell = got.cell(key)
        _, end = page.spans[key]
        if end <= cut:
            if cell.status is Status.UNCERTAIN or _same(cell.value, want):
                continue
            kind = "lost" if cell.value is None else "wrong"
            out.append(Problem(kind, key, cell.value, cell.status.value, want, page.printed[key]))
        elif cell.status in (Status.OK, Status.REPAIRED) and cell.value is not None:
            out.append(Problem("invented", key, cell.value, cell.status.value, want,
                               page.text[page.spans[key][0]:cut]))
    for key, cell in got.cells.items():  # a key the page does not print at all (the other format's, …)
        if key not in page.expected and cell.status in (Status.OK, Status.REPAIRED) and cell.value is not None:
            out.append(Problem("invented", key, cell.value, cell.status.value, None, ""))
    return out



# --- written-down examples ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Minimal:
    """A shrunk failing example of the zoo, written down: a report (all zeros but ``nonzero``), how it is
    printed (``zoo``), where the page is cut (None: whole; ("after", key, k): k characters after the key's
    printed value; ("in", key, k): after the first k characters of it; ("through", key, text): just after
    the first ``text`` that follows the key's value; ("first-row",): after 二's first row with values), what
    goes wrong, the layouts it fails in (``layouts``) and those where it was fixed and
    must stay fixed (``fixed``)."""

    id: str
    layouts: tuple[str, ...]
    bug: str
    fid: str = "2021"
    nonzero: tuple[tuple[str, int], ...] = ()
    zoo: tuple[tuple[str, object], ...] = ()
    cut: tuple[object, ...] | None = None
    fixed: tuple[str, ...] = ()

    def page(self, layout: str) -> tuple[Page, int | None]:
        report = report_with(self.fid, dict(self.nonzero))
        page = render_page(report, Zoo(layout=layout, **dict(self.zoo)))  # type: ignore[arg-type]
        if self.cut is None:
            return page, None
        kind = self.cut[0]
        if kind == "first-row":
            return page, page.first_row_end
        key = str(self.cut[1])
        start, end = page.spans[key]
        if kind == "through":  # just after the first occurrence of a text after the key's value
            return page, page.text.index(str(self.cut[2]), end) + len(str(self.cut[2]))
        k = int(self.cut[2])  # type: ignore[call-overload]
        return page, (end + k if kind == "after" else start + k)

    def problems(self, layout: str) -> tuple[Page, int | None, list[Problem]]:
        """What the reader gets wrong on this page: the uncut or the cut property (a refusal is a problem)."""
        from gongkai.errors import NotAReport

        page, cut = self.page(layout)
        try:
            got = parse_page(page, cut)
        except NotAReport as exc:
            return page, cut, [Problem("refused", "", None, "NotAReport", None, str(exc))]
        return page, cut, judge_uncut(page, got) if cut is None else judge_cut(page, got, cut)


_S4 = tuple(f"s4.{b}.{k}" for b in ("review", "litigation_direct", "litigation_after_review")
            for k in ("upheld", "corrected", "other", "pending", "total"))
_COLS = ("natural", "commercial", "research", "social_welfare", "legal_service", "other_org", "total")
_PARTIAL = tuple(f"s3.partial.{c}" for c in _COLS)
_NORMATIVE = ("s2.normative_docs.issued", "s2.normative_docs.repealed", "s2.normative_docs.in_force")
_HUBEI = _REMARKS["规范性文件"][0]
_ROW_12 = (("s3.new.natural", 12), ("s3.new.total", 12), ("s3.partial.natural", 12), ("s3.partial.total", 12),
           ("s3.total.natural", 12), ("s3.total.total", 12))
_ROW_39 = (("s3.new.research", 39), ("s3.new.total", 39), ("s3.denied.third_party.research", 39),
           ("s3.denied.third_party.total", 39), ("s3.total.research", 39), ("s3.total.total", 39))

_PIPES = ("pipe-rows", "pipe-rows-leading", "pipe-cell", "pipe-cell-lead")

MINIMAL: tuple[Minimal, ...] = (
    # --- still failing at reader commit 066a6e4 ------------------------------------------------------------
    # printed cells lost (missing) or flagged although exact
    Minimal("spaces-cut-row-dropped", ("spaces",),
            "a space-separated row cut inside its second number (规章   0  1 of 12): the complete first value 0 is "
            "dropped with the rest (missing, not uncertain); so is 四、结转下年度继续办理   0 cut after its first cell",
            nonzero=(("s2.rules.repealed", 12),), cut=("in", "s2.rules.repealed", 1)),
    Minimal("four-row-cut-after-first-value", (*_PIPES, "tsv", "markdown", *HTML_LAYOUTS),
            "四's row cut right after its first value: the printed 结果维持 = 7 is dropped (missing), not uncertain",
            nonzero=(("s4.review.upheld", 7), ("s4.review.total", 7)), zoo=(("seed", 1),),
            cut=("after", "s4.review.upheld", 0)),
    Minimal("empty-cell-at-cut", (*_PIPES, "bar-lines", "tsv", "spaces", "markdown", *HTML_LAYOUTS),
            "the page cut right after an empty cell's closing boundary (规章 |  | …): the printed blank cell is "
            "dropped (missing), not blank or uncertain (spaces: '规章    /')",
            zoo=(("texts", (("s2.rules.issued", ""),)),), cut=("after", "s2.rules.issued", 0)),
    Minimal("four-row-first-cell-empty", ("pipe-rows", "pipe-cell", "pipe-cell-lead", "bar-lines"),
            "四's row whose first cell is empty: all 15 cells come back 'uncertain' (an uncut page)",
            zoo=(("texts", (("s4.review.upheld", ""),)),), fixed=("pipe-rows-leading", "tsv", "markdown", "html")),
    Minimal("four-row-last-cell-empty-bar-lines", (),
            "四's row whose last cell is empty, cells between bare '|' lines: all 15 cells 'uncertain'",
            zoo=(("texts", (("s4.litigation_after_review.total", ""),)),), fixed=("bar-lines",)),
    Minimal("row-of-one-empty-cell", ("pipe-rows",),
            "a row whose only value cell is empty (pipe rows '行政处罚 |  |' without a trailing run, tsv '行政处罚\\t') "
            "is dropped; in bar-lines ('行政处罚' / '|' / '' / '|' / '行政强制' / '|' / '6') the next row's value moves "
            "into it: 行政处罚 = 6 'ok' (silently wrong), 行政强制 missing",
            nonzero=(("s2.coercion.decisions", 6),), zoo=(("texts", (("s2.penalty.decisions", ""),)), ("seed", 4)), fixed=("bar-lines", "tsv")),
    Minimal("two-row-all-empty", ("bar-lines",),
            "a row of 二 whose three cells are all empty (tsv '行政规范性文件\\t\\t\\t') is dropped",
            zoo=(("texts", tuple((k, "") for k in _NORMATIVE)),), fixed=("tsv",)),
    Minimal("long-remark-row-all-empty", (*_PIPES, "bar-lines", "tsv", "markdown", *HTML_LAYOUTS),
            "a row whose label carries a long remark (the Hubei 规范性文件（行政机关制定发布的…）) and whose three cells "
            "are all empty is dropped (with numbers or '/' it is read)",
            zoo=(("labels", (("行政规范性文件", _HUBEI),)), ("texts", tuple((k, "") for k in _NORMATIVE)))),
    Minimal("three-row-all-empty", ("bar-lines",),
            "a row of 三 ((二)部分公开) whose 7 cells are all empty is dropped (all 7 missing)",
            zoo=(("texts", tuple((k, "") for k in _PARTIAL)),), fixed=("markdown", "html", "html-source", "html-escaped", "html-js", "tsv")),
    Minimal("three-row-last-cell-empty", ("markdown",),
            "a Markdown row of 三 (merged label columns printed as empty cells) whose last cell (总计) is empty is "
            "read one place to the right: 自然人 blank, 总计 'ok' (bar-lines: the row uncertain)",
            zoo=(("texts", (("s3.granted.total", ""),)),), fixed=("bar-lines",)),
    Minimal("bar-lines-empty-cell", (),
            "'0' / '|' / '' / '|' / '3': an empty cell between two bare '|' lines vanishes; the row is read short "
            "and uncertain", nonzero=(("s2.rules.in_force", 3),), zoo=(("texts", (("s2.rules.repealed", ""),)),), fixed=("bar-lines",)),
    Minimal("worded-change-in-spaces", (),
            "space-separated 2019-trial rows with a worded change (行政许可 20 减少16 0) come back uncertain with "
            "no value", fid="2019-trial", nonzero=(("s2.licensing.prev_year_items", 20), ("s2.licensing.delta", -16)),
            zoo=(("texts", (("s2.licensing.delta", "减少16"),)),), fixed=("spaces",)),
    Minimal("worded-change-in-spaces-last", (),
            "a space-separated row ending in a worded change (行政事业性收费 0 增加1) is dropped",
            fid="2019-trial", nonzero=(("s2.fees.delta", 1),), zoo=(("texts", (("s2.fees.delta", "增加1"),)),),
            fixed=("spaces",)),
    Minimal("long-remark-in-spaces", (),
            "a space-separated row whose label carries a long remark (the Hubei 规范性文件（行政机关制定发布的…）) is "
            "dropped", fid="2019-trial", zoo=(("labels", (("规范性文件", _HUBEI),)),), fixed=("spaces",)),
    # --- fixed while the zoo was written (reader commits 3d09aa2, 4384107, 066a6e4): regression tests --------
    Minimal("repair-fills-the-cut-row", (),
            "a page cut after the first cell of 四、结转下年度继续办理: the row's other cells, never printed, came back "
            "'repaired' from I3",
            nonzero=(("s3.new.commercial", 10), ("s3.new.total", 10), ("s3.carry_forward.commercial", 10),
                     ("s3.carry_forward.total", 10)), cut=("after", "s3.carry_forward.natural", 0),
            fixed=(*_PIPES, "one-cell", "one-cell-blank", "bar-lines", "tsv", "markdown")),
    Minimal("html-in-javascript-string", (),
            "the whole report inside a JavaScript string (var content = \"<p>…</p><table>…\";) was refused",
            fixed=("html-js",)),
    Minimal("bare-page-cut-after-first-row", (),
            "a page without a title, cut after 二's first row with values, was refused (NotAReport)",
            zoo=(("title", False),), cut=("first-row",), fixed=LAYOUTS),
    Minimal("four-row-cut", (),
            "四's row cut after its third value was placed from the right (printed values in the wrong cells)",
            nonzero=(("s4.review.upheld", 1), ("s4.review.corrected", 2), ("s4.review.other", 3),
                     ("s4.review.pending", 4), ("s4.review.total", 10)), cut=("after", "s4.review.other", 0),
            fixed=("pipe-rows", "pipe-rows-leading", "tsv", "markdown")),
    Minimal("four-row-last-cell-empty", (),
            "四's row whose last cell is empty was read one place to the right",
            zoo=(("texts", (("s4.litigation_after_review.total", ""),)),),
            fixed=("pipe-rows", "pipe-rows-leading", "tsv", "markdown")),
    Minimal("html-cut-mid-number", (),
            "an HTML page cut inside a number (<td>1 of 12) trusted it: 'ok' 1",
            nonzero=(("s2.rules.repealed", 12),), cut=("in", "s2.rules.repealed", 1),
            fixed=("html", "html-source", "html-escaped")),
    Minimal("html-cut-in-closing-tag", (),
            "an HTML page cut inside a closing tag (…<td>0</) lost the whole row that was printed",
            cut=("after", "s3.denied.state_secret.research", 2), fixed=("html", "html-source", "html-escaped")),
    Minimal("html-cut-inside-entity", (),
            "HTML source with &nbsp; entities cut inside one (…<td>0</td><td width=\\\"153\\\">&nbs) lost the "
            "printed row", cut=("through", "s3.granted.natural", "&nbs"), fixed=("html-escaped",)),
    Minimal("spaces-cut-row-splits-a-number", (),
            "a space-separated row cut after its second value (规章   0  34) split the last number: 本年废止件数 = 3 'ok'",
            nonzero=(("s2.rules.repealed", 34),), cut=("after", "s2.rules.repealed", 1), fixed=("spaces",)),
    Minimal("spaces-cut-row-splits-a-change", (),
            "a space-separated 2019-trial row cut after its change (行政许可   20    -16 ) split it: 本年增/减 = -1 'ok'",
            fid="2019-trial", nonzero=(("s2.licensing.prev_year_items", 20), ("s2.licensing.delta", -16)),
            cut=("after", "s2.licensing.delta", 1), fixed=("spaces",)),
    Minimal("merged-label-cut-row-shifts", (),
            "a row of 三 whose merged label columns are printed as empty cells (Markdown, an Excel-copied TSV), cut "
            "before its 总计, was read one place right (自然人 blank, 商业企业 = 12 'ok')", nonzero=_ROW_12,
            zoo=(("seed", 1),), cut=("after", "s3.partial.other_org", 0), fixed=("tsv", "markdown")),
    Minimal("cut-inside-next-label", (),
            "a row starting with '/' followed by the cut inside the next row's numbered label ('5' of 5.属于…) was "
            "read shifted: 商业企业 = 39 'ok' (printed 0)", nonzero=_ROW_39,
            zoo=(("texts", (("s3.denied.third_party.natural", "/"),)),),
            cut=("through", "s3.denied.third_party.total", "5"),
            fixed=("one-cell", "one-cell-blank", "pipe-cell", "pipe-cell-lead", "bar-lines", "tsv")),
)

__all__ = ["HTML_LAYOUTS", "LAYOUTS", "MINIMAL", "PINYIN", "SCRIPTS", "Drawn", "Minimal", "Page", "Problem", "Zoo", "judge_cut", "judge_uncut",
           "parse_page", "render_page", "report_with", "zoo_reports", "zoos"]
