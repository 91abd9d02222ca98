"""Reply letters (告知书) as DOCX, from an editable template per reply type."""
from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from ...law.decisions import reply_type as law_reply_type
from .models import Application, ReplyTemplate

DEFAULT_TITLE = "政府信息公开申请答复告知书"
DEFAULT_BODY = """{申请人}：
本机关于{收到日期}收到您（单位）提出的政府信息公开申请（{编号}），申请获取“{申请内容}”。
经审查，现答复如下：{答复内容}
本申请的办理结果为：{答复类型}。依据：《中华人民共和国政府信息公开条例》{依据}。
如对本答复不服，可以在收到本告知书之日起六十日内依法申请行政复议，或者在六个月内依法提起行政诉讼。"""


def template_for(reply_type: str) -> tuple[str, str]:
    tpl = ReplyTemplate.objects.filter(reply_type=reply_type).first()
    return (tpl.title, tpl.body) if tpl else (DEFAULT_TITLE, DEFAULT_BODY)


def fields_of(app: Application) -> dict[str, str]:
    rt = law_reply_type(app.reply_type) if app.reply_type else None
    reply_on = app.reply_on or app.closed_on
    return {
        "编号": app.number, "申请人": app.applicant_name, "收到日期": f"{app.received_on:%Y年%m月%d日}",
        "申请内容": app.description, "答复日期": f"{reply_on:%Y年%m月%d日}" if reply_on else "____年__月__日",
        "机关": app.body.name, "答复内容": app.reply_summary or "（答复内容）",
        "依据": rt.basis if rt else "", "答复类型": rt.full_label if rt else "（未确定）",
    }


class _Fields(dict):
    def __missing__(self, key: str) -> str:  # an unknown placeholder is kept as written
        return "{" + key + "}"


def fill(text: str, values: dict[str, Any]) -> str:
    return text.format_map(_Fields(values))


def render_letter(app: Application) -> bytes:
    title, body = template_for(app.reply_type)
    values = fields_of(app)
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "宋体"
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run(fill(title, values))
    run.bold, run.font.size = True, Pt(20)
    number = doc.add_paragraph(values["编号"])
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for i, line in enumerate(fill(body, values).splitlines()):
        if not line.strip():
            continue
        p = doc.add_paragraph(line.strip())
        if i > 0:
            p.paragraph_format.first_line_indent = Pt(28)
    for line in (values["机关"], values["答复日期"]):
        p = doc.add_paragraph(line)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
