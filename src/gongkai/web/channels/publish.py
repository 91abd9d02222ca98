"""Publishing helpers for a published item: a 公众号-ready article and a printable 公告栏 sheet.

* The article is HTML whose every element carries its own ``style`` attribute (the 公众号 editor keeps inline
  styles and drops ``<style>`` sheets and classes when HTML is pasted into it). Images (the item's PNG/JPG
  attachments) are kept as ``<img>`` with their absolute address on the public portal, from which the editor
  copies them; other attachments and the portal page are named in text (an article cannot link out).
* The sheet is an A4 or A3 PDF made by WeasyPrint: title, text, 索引号, 发布日期, 发布机构 and a QR code (the
  ``qrcode`` library) to the item's portal page.
"""
from __future__ import annotations

import base64
import io
import logging

from django.template.loader import render_to_string
from django.urls import reverse

from ..catalog.models import Item

SIZES = {"A4": {"width": "210mm", "title": "22pt", "text": "14pt", "qr": "36mm"},
         "A3": {"width": "297mm", "title": "32pt", "text": "19pt", "qr": "52mm"}}
IMAGE_TYPES = ("image/png", "image/jpeg")


def portal_url(item: Item, *, base: str) -> str:
    """The absolute address of ``item``'s page on the public portal (``base``: scheme and host)."""
    return base.rstrip("/") + reverse("portal:item", kwargs={"index_no": item.index_no})


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in (text or "").replace("\r\n", "\n").split("\n") if p.strip()]


def article_html(item: Item, *, base: str) -> str:
    """The article to paste into the 公众号 editor (an HTML fragment with inline styles)."""
    attachments = list(item.attachments.all())
    images = [{"src": base.rstrip("/") + reverse("portal:attachment", kwargs={"index_no": item.index_no,
                                                                               "att": a.pk}), "alt": a.name}
              for a in attachments if a.content_type in IMAGE_TYPES]
    others = [a.name for a in attachments if a.content_type not in IMAGE_TYPES]
    return render_to_string("channels/article.html", {
        "item": item, "paragraphs": _paragraphs(item.text) or _paragraphs(item.summary), "images": images,
        "others": others, "url": portal_url(item, base=base)}).strip()


def qr_png(url: str) -> bytes:
    """A QR code of ``url`` as PNG (error correction M, a quiet zone of four modules as the standard asks)."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=10, border=4)
    qr.add_data(url)
    qr.make(fit=True)
    out = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(out, format="PNG")
    return out.getvalue()


def sheet_pdf(item: Item, *, base: str, size: str = "A4") -> bytes:
    """The 公告栏 sheet of ``item`` as PDF (``size``: A4 or A3)."""
    from weasyprint import HTML

    if size not in SIZES:
        size = "A4"
    url = portal_url(item, base=base)
    html = render_to_string("channels/sheet.html", {
        "item": item, "paragraphs": _paragraphs(item.text) or _paragraphs(item.summary), "size": size,
        "s": SIZES[size], "url": url, "qr": base64.b64encode(qr_png(url)).decode()})
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    return bytes(HTML(string=html).write_pdf())
