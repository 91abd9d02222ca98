"""PDF: WeasyPrint from the HTML page.

Chosen over LibreOffice converting the DOCX for fidelity, measured on these reports (bench/bench_write.py,
CPU time on one core):

* fonts: WeasyPrint embeds exactly the faces the stylesheet names (``pdffonts``: Noto-Serif-CJK-SC,
  its Bold, Noto-Sans-CJK-SC, where no 小标宋/仿宋/黑体 is installed). LibreOffice substitutes through
  fontconfig and, even with :file:`fonts.conf`, embedded the JP face of the Noto collection
  (NotoSerifCJKjp) and DejaVu Serif for the digits;
* layout: tables 三/四 kept whole on a page when they fit, their header repeated when they break,
  the bands of table 二 never split, page numbers in the 公文 style: all from CSS we control and
  test. LibreOffice follows the DOCX (header rows repeat, but a table splits wherever it falls);
* operation: in-process; no external program to time out or hang, no profile directory. One report
  costs about 0.4 s of CPU against about 1.2 s for a cold ``soffice``.

The cost: in a large batch one ``soffice`` converting many files amortises its start-up to about 0.25 s
per report, half of WeasyPrint's 0.5 s (1,000 reports: about 4 against 8.5 minutes of one core).
Fidelity wins; the batch spreads over processes. ``render_pdf_libreoffice`` stays for comparison and
for a DOCX edited by hand: it runs ``soffice`` with its own profile and with :file:`fonts.conf` (official
face names aliased to the Noto faces) in that process's environment only, never set in ours.
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
