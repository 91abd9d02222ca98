"""The comparison as a Word document (python-docx): the same parts as the HTML page."""
from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from ..checks import LEVEL_NAMES
from . import CROSS_STATUS, PROBLEM_STATUS, SENTENCE_STATUS, Comparison, Segment, section_name

FONT = "宋体"
RED = RGBColor(0xB0, 0x00, 0x20)
GREEN = RGBColor(0x17, 0x63, 0x17)
YELLOW = "FFF3B0"


def _font(run, size: float | None = None) -> None:  # type: ignore[no-untyped-def]
    run.font.name = FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    if size:
        run.font.size = Pt(size)


def _shade(cell, fill: str) -> None:  # type: ignore[no-untyped-def]
    tc_pr = cell._element.get_or_add_tcPr()
    shd = tc_pr.makeelement(qn("w:shd"), {qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): fill})
    tc_pr.append(shd)


def _widths(t, widths: list[float]) -> None:  # type: ignore[no-untyped-def]
    t.autofit = False
    for col, w in zip(t.columns, widths, strict=False):  # the grid (LibreOffice and WPS read this)
        col.width = Cm(w)
    for row in t.rows:
        for cell, w in zip(row.cells, widths, strict=False):
            cell.width = Cm(w)


def _table(doc, head: list[str], rows: list[list[str]], *, fills: list[str | None] | None = None,  # type: ignore[no-untyped-def]
           widths: list[float] | None = None):
    t = doc.add_table(rows=1, cols=len(head))
    t.style = "Table Grid"
    for i, h in enumerate(head):
        cell = t.rows[0].cells[i]
        cell.text = ""
        run = cell.paragraphs[0].add_run(h)
        run.bold = True
        _font(run, 9)
    for k, row in enumerate(rows):
        cells = t.add_row().cells
        for i, v in enumerate(row):
            cells[i].text = ""
            _font(cells[i].paragraphs[0].add_run(v), 9)
            if fills and fills[k]:
                _shade(cells[i], fills[k])  # type: ignore[arg-type]
    if widths:
        _widths(t, widths)
    return t


def _diff(paragraph, segs: tuple[Segment, ...], fallback: str) -> None:  # type: ignore[no-untyped-def]
    if not segs:
        _font(paragraph.add_run(fallback), 9)
        return
    for s in segs:
        run = paragraph.add_run(s.text)
        _font(run, 9)
        if s.kind == "del":
            run.font.strike = True
            run.font.color.rgb = RED
        elif s.kind == "ins":
            run.font.underline = True
            run.font.color.rgb = GREEN


def render_docx(cmp: Comparison) -> bytes:
    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = sec.page_height, sec.page_width
    sec.left_margin = sec.right_margin = sec.top_margin = sec.bottom_margin = Cm(1.8)  # 26.1 cm of text width
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    style.font.size = Pt(10.5)
    for name in ("Title", "Heading 1", "Heading 2"):
        st = doc.styles[name]
        st.font.name = FONT
        st.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "黑体")
    doc.add_heading(cmp.title, level=0)
    for name, side in (("上年", cmp.last), ("本年", cmp.this)):
        doc.add_paragraph(f"{name}：{side.agency or '（未识别机关）'} {side.year or ''}年度，格式 {side.format}，"
                          f"来源 {side.source or '—'}；本身检查：错误 {side.errors}，警告 {side.warnings}")
    for note in cmp.notes:
        doc.add_paragraph(f"※ {note}")

    doc.add_heading("一、跨年检查 X1–X4", level=1)
    for x in cmp.cross:
        doc.add_heading(f"{x.id} {x.title}：{CROSS_STATUS[x.status]}", level=2)
        doc.add_paragraph(x.summary)
        if x.evidence:
            _table(doc, ["项目", "本年", "值", "按上年推算", "值", "结果"],
                   [[e.label, e.lhs_expr, str(e.lhs), e.rhs_expr, str(e.rhs), "相等" if e.holds else "不等"]
                    for e in x.evidence],
                   fills=[None if e.holds else "FDECEE" for e in x.evidence], widths=[3, 8, 1.8, 8, 1.8, 3])
        for f in x.findings:
            if x.id != "X4":
                doc.add_paragraph(f"{LEVEL_NAMES[f.level]}：{f.message}")

    doc.add_heading("二、正文对比（第一、五、六部分）", level=1)
    doc.add_paragraph("重复率：本年正文中与上年正文连续 8 个字相同的部分所占的比例（X4 的算法）。"
                      "黄色底纹为与上年几乎相同的句子；改写的句子中删去的字加删除线，新增的字加下划线。")
    for s in cmp.sections:
        doc.add_heading(f"{s.title}　重复率 {s.rate:.1%}（本年 {s.sentences_this} 句，与上年相同 "
                        f"{s.sentences_repeated} 句）", level=2)
        t = _table(doc, ["上年", "本年", "对比", "相似度"], [])
        for r in s.rows:
            cells = t.add_row().cells
            for c in cells:
                c.text = ""
            _diff(cells[0].paragraphs[0], r.last_diff if r.status == "rewritten" else (), r.last)
            _diff(cells[1].paragraphs[0], r.this_diff if r.status == "rewritten" else (), r.this)
            _font(cells[2].paragraphs[0].add_run(SENTENCE_STATUS[r.status]), 9)
            if r.status in ("repeated", "rewritten"):
                _font(cells[3].paragraphs[0].add_run(f"{r.similarity:.0f}%"), 9)
            if r.status == "repeated":
                for c in cells:
                    _shade(c, YELLOW)
        _widths(t, [11.2, 11.2, 1.6, 1.6])

    doc.add_heading("三、上年第五部分所列问题的整改情况", level=1)
    if cmp.problems:
        doc.add_paragraph("按文字相似度判断，供人工核对。" + (
            "本年报告明确提到了上年问题的整改。" if cmp.follow_up_mentioned else "本年报告没有明确说明上年问题的整改情况。"))
        _table(doc, ["上年问题", "判断", "吻合度", "本年相关表述"],
               [[p.text, PROBLEM_STATUS[p.status], f"{p.score:.0%}", p.evidence or "—"] for p in cmp.problems],
               widths=[8, 2, 1.6, 14])
    else:
        doc.add_paragraph("上年报告的第五部分没有找到可识别的问题条目。")

    doc.add_heading("四、正文数字与表格（W1）", level=1)
    for n, side in zip(cmp.narrative, (cmp.last, cmp.this), strict=True):
        doc.add_heading(f"{side.year or ''}年度", level=2)
        if not n.rows:
            doc.add_paragraph("正文中没有找到可与表格核对的数字。")
            continue
        _table(doc, ["正文表述", "正文数字", "表格单元格", "表格数值", "结果"],
               [[r.text, str(r.stated), r.label, "" if r.table is None else str(r.table),
                 "—" if r.agrees is None else ("一致" if r.agrees else "不一致")] for r in n.rows],
               fills=[("FDECEE" if r.agrees is False else None) for r in n.rows], widths=[9, 2, 9, 2, 3.6])

    doc.add_heading("五、逐格对比", level=1)
    for number in sorted({c.section for c in cmp.cells}):
        rows = [c for c in cmp.cells if c.section == number]
        doc.add_heading(section_name(number), level=2)
        _table(doc, ["单元格", "项目", "上年", "本年", "变化", "变化率"],
               [[c.key, c.label + ("" if {c.last_status, c.this_status} <= {"ok"} else
                                   f"（上年 {c.last_status}，本年 {c.this_status}）"),
                 "" if c.last is None else str(c.last), "" if c.this is None else str(c.this),
                 "" if c.change is None else str(c.change), "" if c.ratio is None else f"{c.ratio:+.1%}"]
                for c in rows],
               fills=["FFFBE6" if c.changed else None for c in rows], widths=[5.5, 11, 2.4, 2.4, 2.2, 2.2])
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
