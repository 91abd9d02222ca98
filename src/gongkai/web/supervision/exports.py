"""The year's review of an office's subordinate reports: a findings table as XLSX and a 通报 as DOCX."""
from __future__ import annotations

import io
from typing import Any

from django.utils import timezone

from .models import Finding, FindingState

HEAD = ["机关", "报告来源", "检查项", "问题", "依据", "级别", "状态", "核实意见", "督办状态", "办理期限"]


def review_rows(submissions: list[Any]) -> list[list[Any]]:
    rows = []
    findings = (Finding.objects.filter(submission__in=submissions)
                .select_related("submission", "submission__body", "duban").order_by("submission__body__path", "pk"))
    for f in findings:
        d = getattr(f, "duban", None)
        rows.append([f.submission.body.name, f.submission.source, f.code, f.message, f.evidence,
                     f.level_name, f.get_state_display(), f.reason,
                     d.get_state_display() if d else "", d.due.isoformat() if d else ""])
    return rows


def review_xlsx(*, office: Any, year: int, submissions: list[Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "问题清单"
    ws.append(HEAD)
    for row in review_rows(submissions):
        ws.append(row)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for col, width in zip("ABCDEFGHIJ", (28, 24, 8, 60, 40, 8, 10, 30, 10, 12), strict=True):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    s = wb.create_sheet("报告情况")
    s.append(["机关", "报告所署机关", "年度", "来源", "上年度对比", "错误", "警告", "已确认", "不予采纳"])
    for sub in submissions:
        fs = list(sub.findings.all())
        s.append([sub.body.name, sub.printed_name, sub.year, sub.source, sub.previous or "无上年度报告",
                  sum(f.level == "error" for f in fs), sum(f.level == "warning" for f in fs),
                  sum(f.state == FindingState.CONFIRMED for f in fs),
                  sum(f.state == FindingState.DISMISSED for f in fs)])
    wb.properties.title = f"{office.name}{year}年度政府信息公开工作年度报告督查问题清单"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _font(run: Any, name: str = "仿宋_GB2312", size: float = 16, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.rPr.rFonts.set(qn("w:eastAsia"), name)


def review_docx(*, office: Any, year: int, submissions: list[Any]) -> bytes:
    """A 通报 in the usual shape: title, the overview, the problems found by body, the requirements, 落款."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(f"关于{year}年度政府信息公开工作年度报告\n督查情况的通报"), "方正小标宋简体", 22)

    def para(text: str, *, bold: bool = False, indent: bool = True, font: str = "仿宋_GB2312") -> None:
        p = doc.add_paragraph()
        if indent:
            p.paragraph_format.first_line_indent = Pt(32)
        _font(p.add_run(text), font, 16, bold)

    para("各有关单位：", indent=False)
    rows = review_rows(submissions)
    confirmed = [r for r in rows if r[6] == FindingState.CONFIRMED.label]
    bodies = sorted({r[0] for r in confirmed})
    para(f"根据《中华人民共和国政府信息公开条例》和政府信息公开工作年度报告格式要求，{office.name}对所属 "
         f"{len(submissions)} 个机关的{year}年度政府信息公开工作年度报告进行了检查，逐项核对了表格数据的勾稽关系，"
         f"并与上一年度报告进行了比对。经核实，{len(bodies)} 个机关的报告存在 {len(confirmed)} 个问题，现将有关情况通报如下。")
    para("一、发现的主要问题", font="黑体", indent=True)
    if not confirmed:
        para("经核实，本次检查未发现需要通报的问题。")
    for i, body in enumerate(bodies, 1):
        para(f"（{'一二三四五六七八九十'[i - 1] if i <= 10 else i}）{body}", font="楷体_GB2312")
        for n, r in enumerate([r for r in confirmed if r[0] == body], 1):
            para(f"{n}. {r[3]}" + (f"（{r[4]}）" if r[4] else ""))
    if confirmed:
        table = doc.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, ("机关", "问题", "依据", "级别", "督办期限"), strict=True):
            cell.text = text
        for r in confirmed:
            cells = table.add_row().cells
            for cell, text in zip(cells, (r[0], r[3], r[4], r[5], r[9] or "—"), strict=True):
                cell.text = str(text)
        from docx.shared import Cm

        table.autofit = False
        for row in table.rows:
            for cell, width in zip(row.cells, (3.2, 6.5, 4.0, 1.3, 2.4), strict=True):
                cell.width = Cm(width)
    para("二、有关要求", font="黑体")
    para("请存在问题的单位对照本通报认真核实，在督办期限内完成整改，并通过系统答复整改情况。年度报告已发布的，应在更正后"
         "重新发布并说明更正情况。")
    end = doc.add_paragraph()
    end.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    today = timezone.localdate()
    _font(end.add_run(f"{office.name}\n{today.year}年{today.month}月{today.day}日"))
    doc.core_properties.title = f"{office.name}{year}年度政府信息公开工作年度报告督查情况的通报"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
