"""A :class:`LetterDoc` as DOCX (python-docx) and as PDF (WeasyPrint, as the reports are made: see write/_pdf.py),
laid out after GB/T 9704-2012 《党政机关公文格式》:

* A4; 版心 156 mm × 225 mm: margins top 37, bottom 35, left 28, right 26 mm; 22 lines of 28 characters;
* title in 2号 (22 pt) 小标宋, centred, the body's name over the kind of document; 发文字号 under it, centred;
* 主送 (the addressee) flush left; paragraphs in 3号 (16 pt) 仿宋, indented two characters;
* 落款: the date 右空四字, the body's name centred over the date, room above both for the seal (印章 covers
  署名 and 成文日期, its top within one line of the text); 附注 (contact) under the date, indented two characters;
* page numbers in 4号 (14 pt) 宋体 as 「— 1 —」, 7 mm under the 版心, odd pages right and even pages left, one
  character in.

Faces. The DOCX names the official faces (仿宋_GB2312, 方正小标宋简体, 宋体) that an office's computers have.
The PDF embeds what Debian ships: no 仿宋 is installed, so the body is set in Noto Serif CJK SC (a 宋-style face,
the closest in structure; the reports use it for 仿宋 too, write/fonts.conf) and the title in Noto Serif CJK SC
Bold for 小标宋. LXGW WenKai, the other CJK face installed, is a 楷体 and would read as handwriting.
"""
from __future__ import annotations

import html
import io
import logging
import re

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from ...errors import WriteError
from .compose import LetterDoc

BODY_PT, TITLE_PT, PAGE_NO_PT = 16, 22, 14
LINE_PT = 28.95  # 225 mm / 22 lines
TRACKING_PT = -0.25  # 28 characters of 16 pt fill the 156 mm line
DOCX_BODY_FACE, DOCX_TITLE_FACE, DOCX_PAGE_FACE = "仿宋_GB2312", "方正小标宋简体", "宋体"
PDF_BODY_FACE, PDF_TITLE_FACE = "Noto Serif CJK SC", "Noto Serif CJK SC"
SEAL_LINES = 2  # blank lines between the text and the signature (the seal's room)


def _width_chars(text: str) -> float:
    """Printed width in characters of 16 pt: ASCII digits and letters are half width."""
    return sum(0.5 if ord(c) < 128 else 1 for c in text)


def signature_indent(doc: LetterDoc) -> float:
    """Right indent of the signature, in characters: centred over the date, which is 右空四字."""
    return max(0.0, 4 + (_width_chars(doc.date) - _width_chars(doc.signature)) / 2)


# --- DOCX -------------------------------------------------------------------------------------------------

def _font(run_or_style, face: str, size: float, *, ascii_face: str = "Times New Roman") -> None:
    run_or_style.font.size = Pt(size)
    run_or_style.font.name = ascii_face
    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), face)
    fonts.set(qn("w:ascii"), ascii_face)
    fonts.set(qn("w:hAnsi"), ascii_face)


def _page_number(paragraph) -> None:
    run = paragraph.add_run("— ")
    _font(run, DOCX_PAGE_FACE, PAGE_NO_PT, ascii_face="宋体")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    inner = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    inner.append(text)
    field.append(inner)
    paragraph._p.append(field)
    run = paragraph.add_run(" —")
    _font(run, DOCX_PAGE_FACE, PAGE_NO_PT, ascii_face="宋体")


def render_docx(doc: LetterDoc) -> bytes:
    d = Document()
    section = d.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(21)
    normal = d.styles["Normal"]
    _font(normal, DOCX_BODY_FACE, BODY_PT)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(int(TRACKING_PT * 20)))
    normal.element.get_or_add_rPr().append(spacing)
    pf = normal.paragraph_format
    pf.line_spacing_rule, pf.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(LINE_PT)
    pf.space_before = pf.space_after = Pt(0)
    pf.widow_control = True

    def para(text: str = "", *, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent: float = 0, right: float = 0,
             face: str | None = None, size: float | None = None, line: float | None = None) -> None:
        p = d.add_paragraph()
        p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Pt(BODY_PT * indent)
        if right:
            p.paragraph_format.right_indent = Pt(BODY_PT * right)
        if line:
            p.paragraph_format.line_spacing = Pt(line)
        if text:
            run = p.add_run(text)
            if face:
                _font(run, face, size or BODY_PT)

    for line in doc.title_lines:
        para(line, align=WD_ALIGN_PARAGRAPH.CENTER, face=DOCX_TITLE_FACE, size=TITLE_PT, line=36)
    para()
    para(doc.number, align=WD_ALIGN_PARAGRAPH.CENTER)
    para()
    para(doc.addressee, align=WD_ALIGN_PARAGRAPH.LEFT)
    for text in doc.paragraphs:
        para(text, indent=2)
    for _ in range(SEAL_LINES):
        para()
    para(doc.signature, align=WD_ALIGN_PARAGRAPH.RIGHT, right=signature_indent(doc))
    para(doc.date, align=WD_ALIGN_PARAGRAPH.RIGHT, right=4)
    if doc.note:
        para(doc.note, indent=2, align=WD_ALIGN_PARAGRAPH.LEFT)

    d.settings.odd_and_even_pages_header_footer = True
    odd = section.footer.paragraphs[0]
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    odd.paragraph_format.right_indent = Pt(PAGE_NO_PT)
    _page_number(odd)
    even = section.even_page_footer.paragraphs[0]
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    even.paragraph_format.left_indent = Pt(PAGE_NO_PT)
    _page_number(even)
    core = d.core_properties
    core.title, core.author, core.comments = doc.title_lines[-1], doc.signature, doc.number
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


# --- PDF --------------------------------------------------------------------------------------------------

CSS = f"""
@page {{ size: A4; margin: 37mm 26mm 35mm 28mm;
  @bottom-right {{ content: "— " counter(page) " —"; font: {PAGE_NO_PT}pt "Noto Serif CJK SC";
                   vertical-align: top; padding-top: 7mm; padding-right: 1em; width: 8em; white-space: nowrap;
                   text-align: right; }} }}
@page :left {{ @bottom-right {{ content: none; }}
  @bottom-left {{ content: "— " counter(page) " —"; font: {PAGE_NO_PT}pt "Noto Serif CJK SC";
                  vertical-align: top; padding-top: 7mm; padding-left: 1em; width: 8em; white-space: nowrap;
                  text-align: left; }} }}
html {{ font-family: "{PDF_BODY_FACE}"; font-size: {BODY_PT}pt; line-height: {LINE_PT}pt;
        letter-spacing: {TRACKING_PT}pt; color: #000; }}
body {{ margin: 0; }}
p {{ margin: 0; text-align: justify; orphans: 2; widows: 2; }}
.title {{ font-family: "{PDF_TITLE_FACE}"; font-weight: bold; font-size: {TITLE_PT}pt; line-height: 36pt;
          text-align: center; letter-spacing: 0; }}
.number {{ text-align: center; margin-top: {LINE_PT}pt; margin-bottom: {LINE_PT}pt; }}
.text {{ text-indent: 2em; }}
.sign {{ text-align: right; margin-top: {LINE_PT * SEAL_LINES}pt; page-break-before: avoid; }}
.date {{ text-align: right; padding-right: 4em; }}
.note {{ text-indent: 2em; }}
.last {{ widows: 2; }}
.keep {{ break-inside: avoid; }}
"""


def letter_html(doc: LetterDoc, *, line_pt: float = LINE_PT, last_on_new_page: bool = False) -> str:
    e = html.escape
    parts = [f'<p class="title">{e(t)}</p>' for t in doc.title_lines]
    parts.append(f'<p class="number">{e(doc.number)}</p>')
    if doc.addressee:
        parts.append(f'<p class="addressee">{e(doc.addressee)}</p>')
    for i, t in enumerate(doc.paragraphs):
        last = i == len(doc.paragraphs) - 1
        style = ' style="break-before: page"' if last and last_on_new_page else ""
        parts.append(f'<p class="text{" last" if last else ""}"{style}>{_unbroken(e(t))}</p>')
    parts.append(f'<div class="keep"><p class="sign" style="padding-right:{signature_indent(doc)}em">'
                 f'{e(doc.signature)}</p><p class="date">{e(doc.date)}</p>'
                 + (f'<p class="note">{e(doc.note)}</p>' if doc.note else "") + "</div>")
    title = e(" ".join(doc.title_lines))
    css = CSS if line_pt == LINE_PT else CSS.replace(f"line-height: {LINE_PT}pt", f"line-height: {line_pt}pt")
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>'
            f"<style>{css}</style></head><body>{''.join(parts)}</body></html>")


CODE = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")


def _unbroken(text: str) -> str:
    """A query code is never split at its hyphens."""
    return CODE.sub(lambda m: f'<span style="white-space: nowrap">{m.group(0)}</span>', text)


def _signature_alone(document) -> bool:
    """Whether the last page holds the 落款 without any line of the text (GB/T 9704 7.3.5.1 forbids it)."""
    for box in document.pages[-1]._page_box.descendants():
        element = getattr(box, "element", None)
        if element is not None and element.tag == "p" and "text" in (element.get("class") or "").split():
            return False
    return True


def render_pdf(doc: LetterDoc) -> bytes:
    """The PDF. When the 落款 would stand alone on a page, the lines are set closer (GB/T 9704 allows adjusting
    line spacing for this), and failing that the last paragraph starts the page of the 落款."""
    try:
        from weasyprint import HTML
    except ImportError as exc:  # pragma: no cover - weasyprint is a dependency
        raise WriteError("生成 PDF 需要 WeasyPrint") from exc
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    document = None
    for options in ({}, {"line_pt": LINE_PT * 0.92}, {"last_on_new_page": True}):
        document = HTML(string=letter_html(doc, **options)).render()
        if len(document.pages) == 1 or not _signature_alone(document):
            break
    pdf = document.write_pdf() if document is not None else None
    if not pdf:
        raise WriteError("WeasyPrint 未生成 PDF")
    return bytes(pdf)
