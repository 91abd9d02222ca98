"""Content sniffing and safety checks, done before any parser sees the bytes.

* :func:`read_path_safely` — a file's bytes, refusing a bad path (:class:`InputError`), an oversized file
  from ``os.stat`` before reading it and an empty file with a clear message;
* :func:`check_bytes` — the same limits for bytes that arrive some other way (an upload);
* :func:`check_zip` — a DOCX/XLSX/ODT container is opened only when it is no bomb of any kind (sizes,
  ratios, XML entity declarations, rows of a sheet: :func:`gongkai.read.limits.check_zip`);
* :func:`sniff` — what a file is by its content (``pdf``, ``docx``, ``xlsx``, ``odt``, ``ole2-doc``,
  ``ole2-xls``, ``rtf``, ``html``, ``image``, ``binary``, ``text``);
* the ``image`` reader (PNG/JPEG/TIFF/BMP/GIF/WebP → OCR, else :class:`NeedsOCR`) and :func:`read_binary`
  (anything that is neither a known format nor text → :class:`UnsupportedInput`), which ``_readers``
  registers after every other reader.
"""
from __future__ import annotations

import functools
import io
import os
import stat
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import CorruptDocument, GongkaiError, InputError, NeedsOCR, UnsupportedInput
from .limits import check_zip, current, size
from .registry import Document, ReadOptions, reader

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"GIF87a", b"GIF89a")


def check_bytes(data: bytes, options: ReadOptions) -> None:
    """Refuse empty and oversized input."""
    if not data:
        raise CorruptDocument("文件为空（0 字节），没有可读取的内容")
    if len(data) > options.max_bytes:
        raise CorruptDocument(f"文件过大（{size(len(data))}），超过上限 {size(options.max_bytes)}")


@contextmanager
def translated(what: str) -> Iterator[None]:
    """Any failure of a third-party parser inside becomes a one-line :class:`CorruptDocument`."""
    try:
        yield
    except GongkaiError:
        raise
    except MemoryError as exc:
        raise CorruptDocument(f"{what}过大或结构异常，内存不足，无法读取") from exc
    except RecursionError as exc:
        raise CorruptDocument(f"{what}结构嵌套过深，无法读取") from exc
    except Exception as exc:
        raise CorruptDocument(f"{what}已损坏或格式异常，无法读取（{type(exc).__name__}）") from exc


def read_path_safely(path: str | os.PathLike[str], options: ReadOptions) -> bytes:
    """The bytes of a regular file, after checking its size without reading it.

    A path that is missing, not a regular file or not readable is an :class:`InputError` (the user gave
    a bad path); an empty or oversized file is a :class:`CorruptDocument`.
    """
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError as exc:
        raise InputError("文件不存在", path=str(p)) from exc
    except OSError as exc:
        raise InputError(f"无法访问文件：{exc.strerror or exc}", path=str(p)) from exc
    if not stat.S_ISREG(st.st_mode):
        raise InputError("不是普通文件（目录、设备或管道）", path=str(p))
    if st.st_size == 0:
        raise CorruptDocument("文件为空（0 字节），没有可读取的内容", path=str(p))
    if st.st_size > options.max_bytes:
        raise CorruptDocument(f"文件过大（{size(st.st_size)}），超过上限 {size(options.max_bytes)}", path=str(p))
    try:
        with p.open("rb") as fh:
            data = fh.read(options.max_bytes + 1)  # the file may have grown since stat
    except OSError as exc:
        raise InputError(f"无法读取文件：{exc.strerror or exc}", path=str(p)) from exc
    if len(data) > options.max_bytes:
        raise CorruptDocument(f"文件过大，超过上限 {size(options.max_bytes)}", path=str(p))
    if not data:
        raise CorruptDocument("文件为空（0 字节），没有可读取的内容", path=str(p))
    return data


def open_zip(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise CorruptDocument("文件已损坏：压缩包结构不完整（可能下载不完整）") from exc


def _zip_names(data: bytes) -> set[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return set(zf.namelist()[:current().zip_members])
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        return set()


def _zip_mimetype(data: bytes) -> str:
    # ODF puts an uncompressed "mimetype" member first: readable at a fixed offset.
    if data[30:38] == b"mimetype":
        return data[38:38 + 80].split(b"PK", 1)[0].decode("ascii", "replace")
    return ""


@functools.lru_cache(maxsize=4)
def ooxml_kind(data: bytes) -> str | None:
    """``docx`` or ``xlsx`` for an Office Open XML package (by its main part), else None."""
    if not data.startswith(b"PK"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist()[:current().zip_members])
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
            info = zf.getinfo("[Content_Types].xml") if "[Content_Types].xml" in names else None
            if info is None or info.file_size > 1024 * 1024:
                return None
            types = zf.read(info)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, KeyError, zlib.error):
        return None
    if b"wordprocessingml.document.main+xml" in types or b"ms-word.document.macroEnabled.main+xml" in types:
        return "docx"
    if b"spreadsheetml.sheet.main+xml" in types or b"ms-excel.sheet.macroEnabled.main+xml" in types:
        return "xlsx"
    return None


def is_docx(data: bytes) -> bool:
    return ooxml_kind(data) == "docx"


def is_xlsx(data: bytes) -> bool:
    return ooxml_kind(data) == "xlsx"


def is_odf(data: bytes) -> bool:
    return data.startswith(b"PK") and _zip_mimetype(data).startswith("application/vnd.oasis.opendocument.")


_OLE_TEXT_STREAMS = tuple(name.encode("utf-16-le") for name in ("WordDocument", "CONTENTS", "MN0"))
_OLE_SHEET_STREAMS = tuple(name.encode("utf-16-le") + b"\x00\x00" for name in ("Workbook", "Book"))


def ole2_kind(data: bytes) -> str | None:
    """``doc`` or ``xls`` for an OLE2 compound file (Word, WPS, Excel, ET) by its stream names; else None."""
    if not data.startswith(OLE2_MAGIC) or data[28:30] != b"\xfe\xff" or data[30] not in (9, 12):
        return None
    if any(name in data for name in _OLE_TEXT_STREAMS):
        return "doc"
    if any(name in data for name in _OLE_SHEET_STREAMS):
        return "xls"
    return None


def is_image(data: bytes) -> bool:
    return data.startswith(IMAGE_MAGIC) or (data[:2] == b"BM" and len(data) > 26 and data[6:10] == b"\0\0\0\0") or (
        data[:4] == b"RIFF" and data[8:12] == b"WEBP")


def is_html(data: bytes) -> bool:
    """An HTML page: starts (after a BOM, blanks, an XML declaration or comments) with an HTML tag."""
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            head = head.decode("utf-16").encode("utf-8", "replace")
        except UnicodeDecodeError:
            return False
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    while head.startswith((b"<?xml", b"<!--")):
        end = head.find(b"?>" if head.startswith(b"<?") else b"-->")
        if end < 0:
            return False
        head = head[end + 3:].lstrip()
    # a whole page, or a bare table; a fragment such as <div>/<p> is left to its file name (Markdown may start so)
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<meta", b"<body", b"<table", b"<title",
                            b"<style", b"<script", b"<link"))


def is_mht(data: bytes) -> bool:
    """A web page saved as one MIME file (.mht/.mhtml, also found renamed to .doc)."""
    head = data[:4096].lstrip().lower()
    return head.startswith((b"mime-version:", b"from:", b"content-type:", b"date:", b"subject:")) and (
        b"multipart/related" in head or b"text/html" in head)


def is_word_xml(data: bytes) -> bool:
    """A Word 2003 XML document (WordprocessingML), often saved with a .doc name."""
    head = data[:4096].lower()
    return head.lstrip().startswith(b"<?xml") and (b"<w:worddocument" in head or b'progid="word.document"' in head)


def looks_binary(data: bytes) -> bool:
    """Not text in any encoding we read: NULs (outside UTF-16) or many control bytes."""
    head = data[:8192]
    if not head or head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return False
    nul = head.count(0)
    if nul:
        even, odd = head[0::2].count(0), head[1::2].count(0)
        utf16 = max(even, odd) > len(head) // 4 and min(even, odd) < len(head) // 50  # UTF-16 without a BOM
        return not utf16
    control = len(head.translate(None, _NOT_CONTROL))  # the control bytes that are left (a loop in C)
    return control > len(head) * 0.02


_NOT_CONTROL = bytes(b for b in range(256) if not (b < 32 and b not in (9, 10, 12, 13, 27)))


def sniff(data: bytes) -> str:
    """The kind of document these bytes are, by content alone."""
    if data.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        if is_docx(data):
            return "docx"
        if is_xlsx(data):
            return "xlsx"
        if is_odf(data):
            return "odt"
        return "zip"
    if data.startswith(OLE2_MAGIC):
        return "ole2-" + (ole2_kind(data) or "doc")
    if data.startswith(b"{\\rtf"):
        return "rtf"
    if is_image(data):
        return "image"
    if is_word_xml(data):
        return "word-xml"
    if is_html(data) or is_mht(data):
        return "html"
    if looks_binary(data):
        return "binary"
    return "text"


def _ocr_image_hook():
    try:
        from . import ocr  # type: ignore[attr-defined]
    except ImportError:
        return None
    return getattr(ocr, "ocr_image", None)


@reader("image", extensions=(".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif", ".webp"),
        magic=IMAGE_MAGIC + (b"BM", b"RIFF"), sniff=is_image)
def read_image(data: bytes, options: ReadOptions) -> Document:
    """An image: only OCR can read it."""
    check_bytes(data, options)
    hook = _ocr_image_hook() if options.ocr != "never" else None
    if hook is None:
        raise NeedsOCR("这是图片文件（扫描件或照片），没有文字层，需要 OCR 识别"
                       + ("；当前设置不进行 OCR" if options.ocr == "never" else ""))
    return hook(data, options)


def read_binary(data: bytes, options: ReadOptions) -> Document:
    """Bytes that are no document format gongkai knows and not text either (registered last, by ``_readers``)."""
    check_bytes(data, options)
    kind = sniff(data)
    if kind == "zip":
        if not _zip_names(data):
            raise CorruptDocument("文件已损坏：压缩包结构不完整（Word/Excel 文件可能下载不完整）")
        raise UnsupportedInput("这是一个压缩包（ZIP），不是 Word/Excel 文档；请解压后读取其中的报告文件")
    raise UnsupportedInput("无法识别的文件格式（二进制内容，不是 PDF、Word、Excel、网页、图片或文本）")


__all__ = ["check_bytes", "check_zip", "is_docx", "is_html", "is_image", "is_mht", "is_odf", "is_word_xml",
           "is_xlsx", "looks_binary", "ole2_kind", "ooxml_kind", "open_zip", "read_binary", "read_image", "read_path_safely",
           "sniff", "translated"]
