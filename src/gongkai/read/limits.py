"""Resource limits on every untrusted input: one table, shared by the CLI, batch reading and web uploads.

A document is checked *before* a parser sees it, with bounded memory (streaming inflation in chunks,
counting, never keeping the output), so a decompression bomb, a sheet of millions of empty rows or an
XML entity bomb fails in well under a second with a Chinese message instead of taking gigabytes:

    name                 default     what it bounds                                   env override
    file_bytes           300 MiB     one input file (before anything is read)         GONGKAI_LIMIT_FILE_MB
    pdf_stream_bytes     128 MiB     inflated bytes of one PDF stream                 GONGKAI_LIMIT_PDF_STREAM_MB
    pdf_total_bytes      512 MiB     inflated bytes of all streams of one PDF         GONGKAI_LIMIT_PDF_TOTAL_MB
    pages                300         pages read from one PDF (the rest: a note)       GONGKAI_LIMIT_PAGES
    image_pixels         100 M       pixels of one image (PDF image, image file, OCR) GONGKAI_LIMIT_IMAGE_MPIXELS
    sheet_rows           100 000     rows of one sheet (XLSX, ODS, XLS after conversion, CSV/TSV tables)
                                                                                      GONGKAI_LIMIT_SHEET_ROWS
    sheet_cells          2 000 000   cells of one sheet                               GONGKAI_LIMIT_SHEET_CELLS
    zip_members          5 000       members of a DOCX/XLSX/ODF package (a ZIP)       GONGKAI_LIMIT_ZIP_MEMBERS
    zip_member_bytes     64 MiB      inflated bytes of one XML part of a package      GONGKAI_LIMIT_ZIP_MEMBER_MB
    zip_total_bytes      512 MiB     inflated bytes of all members together           GONGKAI_LIMIT_ZIP_TOTAL_MB
    zip_ratio            200         inflated/compressed ratio of a member > 1 MiB    GONGKAI_LIMIT_ZIP_RATIO
    html_bytes           64 MiB      one HTML/MHT page or XML document (lxml builds a tree of it)
                                                                                      GONGKAI_LIMIT_HTML_MB
    text_chars           2 M         characters of text read from one document (a report has 10–200
                                     thousand; 2 M take ~15 s and ~150 MB to analyse) GONGKAI_LIMIT_TEXT_MCHARS
    memory_bytes         1 GiB       address space of an isolated parse (web uploads) GONGKAI_LIMIT_MEMORY_MB
    cpu_seconds          60          CPU time of an isolated parse                    GONGKAI_LIMIT_CPU_SECONDS

XML in packages (and a Word 2003 XML file) is refused when it has a DTD (``<!DOCTYPE``/``<!ENTITY``): Office Open XML and
OpenDocument never need one, and that is where entity expansion ("billion laughs") and external
entities (XXE) live. The XML parsers are safe on their own as well (python-docx: ``resolve_entities=False``;
openpyxl: defusedxml; lxml: no network, no huge trees), this check makes the refusal early and clear.

With these limits a document that passes the checks is read in well under 1 GiB (the largest single
allocation is one inflated stream, ≤ ``pdf_stream_bytes``). Web uploads are also parsed in a child
process with ``RLIMIT_AS`` = ``memory_bytes`` and ``RLIMIT_CPU`` = ``cpu_seconds``
(:mod:`gongkai.read.isolate`), so no request can hold more than that whatever a parser does.
"""
from __future__ import annotations

import dataclasses
import functools
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..errors import CorruptDocument

MiB = 1024 * 1024


class LimitExceeded(CorruptDocument):
    """An input over one of the resource limits (a bomb, or simply too big): the web answers 413."""


@dataclass(frozen=True)
class Limits:
    file_bytes: int = 300 * MiB
    pdf_stream_bytes: int = 128 * MiB
    pdf_total_bytes: int = 512 * MiB
    pages: int = 300
    image_pixels: int = 100_000_000
    sheet_rows: int = 100_000
    sheet_cells: int = 2_000_000
    zip_members: int = 5000
    zip_member_bytes: int = 64 * MiB
    zip_total_bytes: int = 512 * MiB
    zip_ratio: int = 200
    html_bytes: int = 64 * MiB
    text_chars: int = 2_000_000
    memory_bytes: int = 1024 * MiB
    cpu_seconds: int = 60


# field → (environment variable, multiplier)
_ENV = {
    "file_bytes": ("GONGKAI_LIMIT_FILE_MB", MiB),
    "pdf_stream_bytes": ("GONGKAI_LIMIT_PDF_STREAM_MB", MiB),
    "pdf_total_bytes": ("GONGKAI_LIMIT_PDF_TOTAL_MB", MiB),
    "pages": ("GONGKAI_LIMIT_PAGES", 1),
    "image_pixels": ("GONGKAI_LIMIT_IMAGE_MPIXELS", 1_000_000),
    "sheet_rows": ("GONGKAI_LIMIT_SHEET_ROWS", 1),
    "sheet_cells": ("GONGKAI_LIMIT_SHEET_CELLS", 1),
    "zip_members": ("GONGKAI_LIMIT_ZIP_MEMBERS", 1),
    "zip_member_bytes": ("GONGKAI_LIMIT_ZIP_MEMBER_MB", MiB),
    "zip_total_bytes": ("GONGKAI_LIMIT_ZIP_TOTAL_MB", MiB),
    "zip_ratio": ("GONGKAI_LIMIT_ZIP_RATIO", 1),
    "html_bytes": ("GONGKAI_LIMIT_HTML_MB", MiB),
    "text_chars": ("GONGKAI_LIMIT_TEXT_MCHARS", 1_000_000),
    "memory_bytes": ("GONGKAI_LIMIT_MEMORY_MB", MiB),
    "cpu_seconds": ("GONGKAI_LIMIT_CPU_SECONDS", 1),
}


def from_env(environ: dict[str, str] | None = None) -> Limits:
    """The defaults, each overridable by its environment variable (a positive number; bad values ignored)."""
    env = os.environ if environ is None else environ
    values = {}
    for name, (var, unit) in _ENV.items():
        raw = env.get(var, "").strip()
        if not raw:
            continue
        try:
            number = float(raw)
        except ValueError:
            continue
        if number > 0:
            values[name] = int(number * unit)
    return dataclasses.replace(Limits(), **values)


@functools.lru_cache(maxsize=1)
def current() -> Limits:
    """The limits in force (read from the environment once per process)."""
    return from_env()


def size(n: int) -> str:
    """A byte count for a message: ``128 MB``, ``3.5 GB``, ``512 字节``."""
    if n >= 1024 * MiB:
        return f"{n / (1024 * MiB):.1f} GB"
    if n >= MiB:
        return f"{n / MiB:.0f} MB"
    return f"{n} 字节"


def count(n: int) -> str:
    """A large count for a message: ``100,000``."""
    return f"{n:,}"


# --- streaming inflation, counted, never kept ---------------------------------------------------------

CHUNK = 1 * MiB


def inflated_size(data: bytes | memoryview, start: int, limit: int, *, wbits: int = 15) -> tuple[int, bool]:
    """How many bytes the zlib stream at ``data[start:]`` inflates to, counting no further than ``limit + 1``.

    Returns (bytes counted, complete); memory stays at one chunk whatever the stream claims. Damaged
    data ends the count where it breaks (the parser will fail there too).
    """
    view = memoryview(data)[start:]
    inflater = zlib.decompressobj(wbits)
    total, pos = 0, 0
    pending = b""
    try:
        while total <= limit:
            if pending:
                out = inflater.decompress(pending, CHUNK)
            else:
                if pos >= len(view):
                    break
                out = inflater.decompress(view[pos:pos + CHUNK], CHUNK)
                pos += CHUNK
            pending = inflater.unconsumed_tail
            total += len(out)
            if inflater.eof:
                return total, True
            if not out and not pending and pos >= len(view):
                break
    except zlib.error:
        return total, False
    return total, False


def scan_chunks(chunks: Iterable[bytes], patterns: dict[str, re.Pattern[bytes]]) -> Iterator[dict[str, int]]:
    """Count matches of XML tag patterns over a stream of chunks; yields the running counts after every
    chunk, so a caller can stop as soon as a limit is passed.

    Every pattern starts with ``<`` and has no other ``<``: each chunk is counted up to its last ``<``
    and the rest carried over, so no match is cut in two or counted twice.
    """
    counts = dict.fromkeys(patterns, 0)
    tail = b""
    for chunk in chunks:
        buf = tail + chunk
        cut = buf.rfind(b"<")
        if cut < 0:
            cut = len(buf)
        for name, pattern in patterns.items():
            counts[name] += len(pattern.findall(buf, 0, cut))
        tail = buf[cut:]
        yield counts
    for name, pattern in patterns.items():
        counts[name] += len(pattern.findall(tail))
    yield counts


# --- text and tables read from any document -----------------------------------------------------------

def check_text_size(chars: int, limits: Limits | None = None) -> None:
    """Refuse more text than a report could have (the pipeline after the reader holds it several times)."""
    lim = limits or current()
    if chars > lim.text_chars:
        raise LimitExceeded(f"文字过多：超过 {count(lim.text_chars)} 字，不是一份年度报告的篇幅，已拒绝读取")


def check_blocks(blocks: Iterable[object], limits: Limits | None = None) -> None:
    """The text and table rows a reader produced (every reader, OCR included), against the limits."""
    lim = limits or current()
    chars = 0
    for block in blocks:
        text = getattr(block, "text", None)
        if isinstance(text, str):
            chars += len(text)
        rows = getattr(block, "rows", None)
        if rows is not None:
            if len(rows) > lim.sheet_rows:
                raise LimitExceeded(f"表格行数过多：一个表格超过 {count(lim.sheet_rows)} 行，已拒绝读取")
            chars += sum(sum(map(len, filter(None, r))) for r in rows)
        if chars > lim.text_chars:
            check_text_size(chars, lim)


def check_markup(data: bytes, limits: Limits | None = None, *, xml: bool = False) -> None:
    """An HTML/MHT page or a Word 2003 XML file: its size, and (XML) no DTD — LibreOffice converts it."""
    lim = limits or current()
    if len(data) > lim.html_bytes:
        raise LimitExceeded(f"网页或 XML 文件过大（{size(len(data))}），超过上限 {size(lim.html_bytes)}，已拒绝读取")
    if xml and _DTD["dtd"].search(data):
        raise LimitExceeded("文件异常：XML 文件含有实体声明（DOCTYPE/ENTITY），可能是“实体炸弹”或外部实体攻击，已拒绝读取")


# --- ZIP packages (DOCX, XLSX, ODF) ------------------------------------------------------------------

_DTD = {"dtd": re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)}
_SHEET = {"rows": re.compile(rb"<(?:\w+:)?row[\s/>]"), "cells": re.compile(rb"<(?:\w+:)?c[\s/>]"), **_DTD}
_XML_MEMBER = re.compile(r"(?:\.xml|\.rels|\.vml)$|^\[Content_Types\]", re.IGNORECASE)
_SHEET_MEMBER = re.compile(r"^xl/worksheets/[^/]+\.xml$", re.IGNORECASE)


def check_zip(data: bytes, limits: Limits | None = None) -> None:
    """Refuse a DOCX/XLSX/ODF package that is a bomb of any kind, before any parser opens it.

    From the central directory (declared sizes; CPython's zipfile never inflates past them): too many
    members, an absurd compression ratio, too many inflated bytes, encryption. Then each XML part is
    inflated in 1 MiB chunks and scanned, never kept: a DTD (entity expansion, external entities) is
    refused, and a worksheet's rows and cells are counted against the sheet limits.
    """
    import io
    import zipfile

    lim = limits or current()
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise CorruptDocument("文件已损坏：压缩包结构不完整（可能下载不完整）") from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > lim.zip_members:
            raise LimitExceeded(f"文件异常：压缩包内有 {len(infos)} 个成员（上限 {lim.zip_members}），疑似恶意文件，已拒绝读取")
        total = 0
        for info in infos:
            total += info.file_size
            if info.flag_bits & 0x1:
                raise CorruptDocument("文件已加密（需要密码），无法读取；请提供未加密的文件")
            if info.file_size > MiB and info.file_size > lim.zip_ratio * max(info.compress_size, 1):
                raise LimitExceeded(
                    f"文件异常：压缩包成员 {info.filename} 压缩比过高（{info.file_size // max(info.compress_size, 1)}:1，"
                    f"上限 {lim.zip_ratio}:1），疑似“压缩炸弹”，已拒绝读取")
            if _XML_MEMBER.search(info.filename) and info.file_size > lim.zip_member_bytes:
                raise LimitExceeded(f"文件异常：压缩包成员 {info.filename} 解压后 {size(info.file_size)}，"
                                    f"超过上限 {size(lim.zip_member_bytes)}，已拒绝读取")
        if total > lim.zip_total_bytes:
            raise LimitExceeded(f"文件异常：解压后总大小 {size(total)}，超过上限 {size(lim.zip_total_bytes)}，已拒绝读取")
        for info in infos:
            if _XML_MEMBER.search(info.filename) and not info.is_dir():
                _check_xml_member(zf, info, lim)


def _member_chunks(zf, info) -> Iterator[bytes]:
    import zipfile

    try:
        with zf.open(info) as fh:
            while chunk := fh.read(CHUNK):
                yield chunk
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError, RuntimeError, ValueError):
        return  # a damaged member: the parser reports it


def _check_xml_member(zf, info, lim: Limits) -> None:
    sheet = bool(_SHEET_MEMBER.match(info.filename))
    for counts in scan_chunks(_member_chunks(zf, info), _SHEET if sheet else _DTD):
        if counts["dtd"]:
            raise LimitExceeded(f"文件异常：{info.filename} 含有 XML 实体声明（DOCTYPE/ENTITY），"
                                "可能是“实体炸弹”或外部实体攻击，已拒绝读取")
        if sheet and counts["rows"] > lim.sheet_rows:
            raise LimitExceeded(f"表格行数过多：工作表 {info.filename.rsplit('/', 1)[-1]} 超过 {count(lim.sheet_rows)} 行"
                                "（疑似大量空行的异常文件），已拒绝读取")
        if sheet and counts["cells"] > lim.sheet_cells:
            raise LimitExceeded(f"表格单元格过多：工作表 {info.filename.rsplit('/', 1)[-1]} 超过 "
                                f"{count(lim.sheet_cells)} 个单元格，已拒绝读取")


# --- PDF -----------------------------------------------------------------------------------------------

_STREAM = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)")
_NAME = re.compile(rb"/([A-Za-z0-9]+)")
_WIDTH = re.compile(rb"/Width\s+(\d++)(?!\s+\d+\s+R\b)")  # not a reference (5 0 R)
_HEIGHT = re.compile(rb"/Height\s+(\d++)(?!\s+\d+\s+R\b)")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_ENCRYPT = re.compile(rb"/Encrypt\s")


def check_pdf(data: bytes, limits: Limits | None = None) -> None:
    """Refuse a PDF whose streams inflate past the limits, or whose images have too many pixels.

    Every Flate stream (also behind ASCIIHex/ASCII85) is inflated in chunks and counted, never kept:
    a 4 MB file that would inflate to 4 GiB is refused after ``pdf_stream_bytes``, in a fraction of a
    second. Encrypted files (an empty user password is common) are decrypted stream by stream by
    pdfminer first. Image dictionaries give the pixel count without decoding anything.
    """
    lim = limits or current()
    streams = _encrypted_streams(data) if _ENCRYPT.search(data) else None
    total = 0
    for n, (attrs, start, raw) in enumerate(streams if streams is not None else _plain_streams(data), 1):
        if _IMAGE.search(attrs):
            w, h = _WIDTH.search(attrs), _HEIGHT.search(attrs)
            if w and h and int(w.group(1)) * int(h.group(1)) > lim.image_pixels:
                raise LimitExceeded(f"PDF 文件异常：第 {n} 个数据流中的图片为 {w.group(1)}×{h.group(1)} 像素，"
                                    f"超过上限 {count(lim.image_pixels)} 像素，已拒绝读取")
        filters = _filters(attrs)
        if "FlateDecode" not in filters and "Fl" not in filters:
            continue
        inflated = _inflated(raw, start, filters, lim.pdf_stream_bytes)
        if inflated > lim.pdf_stream_bytes:
            raise LimitExceeded(f"PDF 文件异常：一个数据流解压后超过 {size(lim.pdf_stream_bytes)}（疑似“解压炸弹”），"
                                "已拒绝读取")
        total += inflated
        if total > lim.pdf_total_bytes:
            raise LimitExceeded(f"PDF 文件异常：数据流解压后合计超过 {size(lim.pdf_total_bytes)}（疑似“解压炸弹”），"
                                "已拒绝读取")


def _filters(attrs: bytes) -> list[str]:
    m = _FILTER.search(attrs)
    return [f.decode("ascii") for f in _NAME.findall(m.group(1))] if m else []


def _plain_streams(data: bytes) -> Iterator[tuple[bytes, int, bytes]]:
    """(dictionary text, start of the stream data, the file) for every stream of an unencrypted PDF."""
    for m in _STREAM.finditer(data):
        lo = max(0, m.start() - 65536)
        head = data.rfind(b"obj", lo, m.start())
        yield data[head if head >= 0 else lo:m.start() + 2], m.end(), data


def _encrypted_streams(data: bytes) -> Iterator[tuple[bytes, int, bytes]] | None:
    """The decrypted streams of an encrypted PDF (pdfminer); None when pdfminer cannot open it (pdfium
    will then say why: a password, an unsupported scheme)."""
    import io

    try:
        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdfparser import PDFParser
        from pdfminer.pdftypes import PDFStream

        document = PDFDocument(PDFParser(io.BytesIO(data)), password="")
        ids = [(xref, objid) for xref in document.xrefs for objid in xref.get_objids()]
    except Exception:  # noqa: BLE001 - any failure here is pdfium's to report
        return None

    def streams() -> Iterator[tuple[bytes, int, bytes]]:
        for xref, objid in ids:
            try:
                if xref.get_pos(objid)[0] is not None:
                    continue  # inside an object stream: never a stream itself (and would be inflated unbounded)
                obj = document.getobj(objid)
            except Exception:  # noqa: BLE001, S112 - a damaged object: pdfium reports it
                continue
            if not isinstance(obj, PDFStream) or obj.rawdata is None:
                continue
            raw = obj.rawdata
            if obj.decipher:
                try:
                    raw = obj.decipher(obj.objid, obj.genno, raw, obj.attrs)
                except Exception:  # noqa: BLE001, S112 - undecryptable: pdfium reports it
                    continue
            attrs = " ".join(f"/{k} {_pdfminer_value(v)}" for k, v in obj.attrs.items()).encode("latin-1", "replace")
            yield attrs, 0, raw
    return streams()


def _pdfminer_value(value: object) -> str:
    if isinstance(value, list):
        return "[" + " ".join(_pdfminer_value(v) for v in value) + "]"
    name = getattr(value, "name", None)
    if isinstance(name, str):
        return "/" + name
    if isinstance(value, int | float):
        return str(value)
    return "0 0 R"  # a reference or anything else: not a number to trust


def _inflated(raw: bytes, start: int, filters: list[str], limit: int) -> int:
    """Inflated size of a stream whose filter chain has Flate (first, or after one ASCII decoder)."""
    first = filters[0] if filters else ""
    if first in ("FlateDecode", "Fl"):
        return inflated_size(raw, start, limit)[0]
    if first in ("ASCIIHexDecode", "AHx", "ASCII85Decode", "A85") and filters[1:2] in (["FlateDecode"], ["Fl"]):
        import base64
        import binascii

        end = raw.find(b"endstream", start)
        text = raw[start:end if end > 0 else len(raw)]
        try:
            if first in ("ASCIIHexDecode", "AHx"):
                digits = re.sub(rb"\s+", b"", text.split(b">", 1)[0])
                decoded = binascii.unhexlify(digits + b"0" * (len(digits) % 2))
            else:
                decoded = base64.a85decode(re.sub(rb"\s+", b"", text).removeprefix(b"<~").split(b"~>", 1)[0])
        except (ValueError, binascii.Error):
            return 0
        return inflated_size(decoded, 0, limit)[0]
    return 0


__all__ = ["CHUNK", "LimitExceeded", "Limits", "MiB", "check_blocks", "check_markup", "check_pdf", "check_text_size", "check_zip", "count", "current", "from_env",
           "inflated_size", "scan_chunks", "size"]
