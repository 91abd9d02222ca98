"""PDF: WeasyPrint from the HTML page.

Why WeasyPrint and not LibreOffice from the DOCX: both give the same grid (the HTML and the DOCX walk
one layout), but WeasyPrint (1) runs in-process, about ten times faster than starting ``soffice``
per report, which matters for the 1,000-report batch; (2) repeats the ``<thead>`` of table 三/四 on
every page a table crosses, keeps table 二's bands and the rows whole, and numbers the pages, all
from CSS we control; (3) embeds subsets of exactly the fonts named in the stylesheet (Noto Serif /
Sans CJK SC where no 小标宋/仿宋/黑体 is installed), so no glyph depends on LibreOffice's font
substitution. ``render_pdf_libreoffice`` is kept for comparison and for a DOCX someone edited by
hand: it runs ``soffice`` with its own profile and with :file:`fonts.conf` (official face names
aliased to the Noto faces) given to that process only, never set in ours.
"""
from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import WriteError
from ._html import render_html
from ._layout import Layout

FONTS_CONF = Path(__file__).with_name("fonts.conf")


def render_pdf(layout: Layout) -> bytes:
    try:
        from weasyprint import HTML
    except ImportError as exc:  # pragma: no cover - weasyprint is a dependency
        raise WriteError("生成 PDF 需要 WeasyPrint") from exc
    html = render_html(layout).decode()
    # WeasyPrint logs every CSS property it does not know at WARNING; our stylesheet is for browsers too.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    pdf = HTML(string=html).write_pdf()
    if not pdf:
        raise WriteError("WeasyPrint 未生成 PDF")
    return bytes(pdf)


def render_pdf_libreoffice(docx: bytes, *, timeout: float = 120.0) -> bytes:
    """A DOCX converted by LibreOffice (``soffice --headless --convert-to pdf``)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise WriteError("未找到 LibreOffice（soffice），无法由 DOCX 生成 PDF")
    with tempfile.TemporaryDirectory(prefix="gongkai-lo-") as tmp:
        d = Path(tmp)
        src = d / "report.docx"
        src.write_bytes(docx)
        env = dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF), HOME=str(d))
        cmd = [soffice, f"-env:UserInstallation=file://{d / 'profile'}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(d), str(src)]
        try:
            subprocess.run(cmd, env=env, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise WriteError(f"LibreOffice 转换超时（{timeout:.0f} 秒）") from exc
        out = d / "report.pdf"
        if not out.exists():
            raise WriteError("LibreOffice 未能把 DOCX 转换为 PDF")
        return out.read_bytes()
