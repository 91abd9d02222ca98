"""DOCX: the report as a clerk hands it in (A4, 公文 faces, the tables exactly as the national template).

Page and faces follow GB/T 9704 (党政机关公文格式): A4, margins 3.7/3.5/2.8/2.6 cm; title in 方正小标宋简体
二号, section headings in 黑体 三号, body in 仿宋 三号 with a two-character indent. Where those faces are
not installed (Linux, LibreOffice), :file:`fonts.conf` aliases them to Noto Serif/Sans CJK SC.

Tables are written as WordprocessingML directly (one ``parse_xml`` per table): horizontal spans as
``w:gridSpan``, vertical spans as ``w:vMerge`` restart/continue cells, the header rows of 三 and 四
marked ``w:tblHeader`` so Word, WPS and LibreOffice repeat them on a new page, every row
``w:cantSplit``. That is the encoding Word itself writes, and ten times faster than ``cell.merge``.
"""
from __future__ import annotations

import io
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import ParagraphStyle as _ParagraphStyle

from ._layout import Grid, GridCell, Layout

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋"
LATIN_FONT = "Times New Roman"

_CONTENT_DXA = round((21.0 - 2.8 - 2.6) / 2.54 * 1440)  # text width of the page in twentieths of a point
_WIDTHS = {"s2": (34, 22, 22, 22), "s3": (5, 8, 24) + (9,) * 7}
_TABLE_PT = {"s2": 10.5, "s3": 9, "s4": 9}  # 五号 / 小五


def _fonts(style: _ParagraphStyle, east_asia: str, size: float, *, bold: bool | None = None,
           color: RGBColor | None = None) -> None:
    """A style's faces: Times New Roman for Latin and digits, ``east_asia`` for Chinese (no theme fonts)."""
    font = style.font
    font.name = LATIN_FONT  # creates w:rFonts
    font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if color is not None:
        font.color.rgb = color
    rfonts = style.element.get_or_add_rPr().find(qn("w:rFonts"))
    for attr, value in (("w:ascii", LATIN_FONT), ("w:hAnsi", LATIN_FONT), ("w:eastAsia", east_asia),
                        ("w:cs", LATIN_FONT)):
        rfonts.set(qn(attr), value)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)


def _setup(doc: Document) -> None:  # type: ignore[valid-type]
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Cm(3.7), Cm(3.5), Cm(2.8), Cm(2.6)
    styles = doc.styles
    normal = styles["Normal"]
    _fonts(normal, BODY_FONT, 16)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(28)
    pf.space_before = pf.space_after = Pt(0)
    lang = normal.element.get_or_add_rPr().makeelement(qn("w:lang"), {qn("w:val"): "en-US",
                                                                       qn("w:eastAsia"): "zh-CN"})
    normal.element.get_or_add_rPr().append(lang)
    h1 = styles["Heading 1"]
    _fonts(h1, HEADING_FONT, 16, bold=False, color=RGBColor(0, 0, 0))
    h1.paragraph_format.space_before = Pt(6)
    h1.paragraph_format.space_after = Pt(0)
    h1.paragraph_format.first_line_indent = Pt(32)
    h1.paragraph_format.keep_with_next = True
    title = styles["Title"]
    _fonts(title, TITLE_FONT, 22, bold=False, color=RGBColor(0, 0, 0))
    tpf = title.paragraph_format
    tpf.alignment = WD_ALIGN_PARAGRAPH.CENTER
    tpf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    tpf.line_spacing = Pt(36)
    tpf.space_before, tpf.space_after = Pt(12), Pt(24)
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):  # the default Title style draws a rule under the title
        ppr.remove(border)


def _page_numbers(doc: Document) -> None:  # type: ignore[valid-type]
    """A centred footer “— 1 —” (the 公文 page number), as a PAGE field Word, WPS and LibreOffice update."""
    footer = doc.sections[0].footer
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("— ")
    p._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    p.add_run(" —")
    for run in p.runs:
        run.font.size = Pt(14)


def _body(doc: Document, text: str, *, indent: bool = True, align: WD_ALIGN_PARAGRAPH | None = None) -> None:  # type: ignore[valid-type]
    p = doc.add_paragraph()
    if indent:
        p.paragraph_format.first_line_indent = Pt(32)
    if align is not None:
        p.alignment = align
    if text:
        p.add_run(text)


def _notices(doc: Document, layout: Layout) -> None:  # type: ignore[valid-type]
    red = RGBColor(0xB0, 0, 0)
    lines = ["发布前检查提示（本框不属于报告正文，核对后删除）"]
    lines += [n.text for n in layout.notices]
    border = ("<w:pBdr {ns}>" + "".join(f'<w:{s} w:val="single" w:sz="12" w:space="4" w:color="B00000"/>'
                                        for s in ("top", "left", "bottom", "right")) + "</w:pBdr>")
    for i, line in enumerate(lines):
        p = doc.add_paragraph()
        # schema order in w:pPr: pBdr, shd, then spacing (python-docx inserts spacing in its place)
        ppr = p._p.get_or_add_pPr()
        ppr.append(parse_xml(border.format(ns=nsdecls("w"))))
        ppr.append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="FFF4F2"/>'))
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        run = p.add_run(line)
        run.font.size = Pt(12)
        run.font.color.rgb = red
        run.font.bold = i == 0


def _cell_xml(c: GridCell | None, width: int, span: int, *, cont: bool, size: float) -> str:
    half = round(size * 2)
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if cont:
        props += "<w:vMerge/>"
    elif c is not None and c.rowspan > 1:
        props += '<w:vMerge w:val="restart"/>'
    props += '<w:vAlign w:val="center"/>'
    text = "" if cont or c is None else c.text
    left = c is not None and not cont and c.role in ("label", "corner") and c.colspan > 0
    jc = "left" if left else "center"
    ppr = (f'<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
           f'<w:ind w:firstLine="0" w:firstLineChars="0"/><w:jc w:val="{jc}"/></w:pPr>')
    run = ""
    if text:
        bold = "<w:b/>" if c is not None and c.role == "caption" else ""
        run = (f'<w:r><w:rPr><w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" w:eastAsia="{BODY_FONT}"/>'
               f'{bold}<w:sz w:val="{half}"/><w:szCs w:val="{half}"/></w:rPr>'
               f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r>')
    return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p>{ppr}{run}</w:p></w:tc>"


def table_xml(grid: Grid) -> str:
    weights = _WIDTHS.get(grid.id) or (1,) * grid.n_cols
    total = sum(weights)
    widths = [_CONTENT_DXA * w // total for w in weights]
    size = _TABLE_PT.get(grid.id, 9)
    origin: dict[tuple[int, int], GridCell] = {(c.row, c.col): c for c in grid.cells}
    covering: dict[tuple[int, int], GridCell] = {}
    for c in grid.cells:
        for r in range(c.row + 1, c.row + c.rowspan):
            covering[(r, c.col)] = c
    head_rows = {r for b in grid.bands if b.caption is None for r in range(*b.head)}
    rows = []
    for r in range(grid.n_rows):
        tcs = []
        col = 0
        while col < grid.n_cols:
            c = origin.get((r, col))
            cont = c is None and (r, col) in covering
            if cont:
                c_cov = covering[(r, col)]
                span = c_cov.colspan
            else:
                span = c.colspan if c is not None else 1
            width = sum(widths[col: col + span])
            tcs.append(_cell_xml(c, width, span, cont=cont, size=size))
            col += span
        trpr = "<w:cantSplit/>" + ("<w:tblHeader/>" if r in head_rows else "")
        rows.append(f"<w:tr><w:trPr>{trpr}</w:trPr>{''.join(tcs)}</w:tr>")
    borders = "".join(f'<w:{s} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                      for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
    grid_cols = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
            f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
            f'<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
            f'<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
            f'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid_cols}</w:tblGrid>{"".join(rows)}</w:tbl>')


def render_docx(layout: Layout) -> bytes:
    doc = Document()
    _setup(doc)
    _page_numbers(doc)
    cp = doc.core_properties
    cp.title = layout.title
    cp.subject = "政府信息公开工作年度报告"
    cp.author = layout.agency or ""
    cp.keywords = f"政府信息公开;年度报告;{layout.year or ''};format={layout.format_id}"
    cp.language = "zh-CN"
    cp.comments = "由 gongkai 生成"
    doc.add_paragraph(layout.title, style="Title")
    if layout.notices:
        _notices(doc, layout)
    for text in layout.preamble:
        _body(doc, text)
    body = doc.element.body
    sect_pr = body[-1]  # w:sectPr stays last
    for s in layout.sections:
        doc.add_paragraph(s.heading, style="Heading 1")
        if s.grid is not None:  # a table section: the table right under its heading, then any notes
            tbl = parse_xml(table_xml(s.grid))
            sect_pr.addprevious(tbl)
            doc.add_paragraph().paragraph_format.line_spacing = Pt(12)
        for text in s.paragraphs:
            _body(doc, text)
        if not s.paragraphs and s.grid is None:
            _body(doc, "")  # the marked placeholder: an empty paragraph for the clerk to fill
    for text in layout.signature:
        _body(doc, text, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
