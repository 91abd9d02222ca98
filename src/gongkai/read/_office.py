"""Legacy and other office formats (.doc, .wps, .rtf, .odt; .xls, .et, .ods) through LibreOffice.

    soffice --headless --convert-to docx|xlsx   (own throw-away profile, time limit, process group killed
                                                 on timeout)  →  the DOCX or XLSX reader

LibreOffice detects the real format from the content, so a .wps (Kingsoft Writer) or a .doc with the
wrong name converts the same way.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..errors import CorruptDocument, UnsupportedInput
from ._docx import docx_to_blocks
from ._sniff import OLE2_MAGIC, check_bytes, is_odf, is_word_xml, ole2_kind, translated
from ._xlsx import xlsx_to_blocks
from .limits import check_markup, check_zip
from .registry import Document, ReadOptions, reader

_SPREADSHEET_MIME = ("application/vnd.oasis.opendocument.spreadsheet",)


def soffice_binary() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def has_calc(binary: str) -> bool:
    """Whether this LibreOffice has its spreadsheet module (Debian splits it into libreoffice-calc)."""
    program = Path(os.path.realpath(binary)).parent
    return any(program.glob("libsclo.so*")) or any(program.glob("libsc*lo.dylib")) or any(program.glob("sc*.dll"))


def _kind(data: bytes) -> tuple[str, str]:
    """(input suffix, target format) for LibreOffice."""
    if data.startswith(OLE2_MAGIC):
        return (".xls", "xlsx") if ole2_kind(data) == "xls" else (".doc", "docx")
    if data.startswith(b"{\\rtf"):
        return ".rtf", "docx"
    if is_word_xml(data):
        return ".xml", "docx"
    if is_odf(data):
        mime = data[38:38 + 80].split(b"PK", 1)[0].decode("ascii", "replace")
        if mime.startswith(_SPREADSHEET_MIME):
            return ".ods", "xlsx"
        return ".odt", "docx"
    return ".doc", "docx"


def convert(data: bytes, *, suffix: str, target: str, timeout: float) -> bytes:
    """Convert a document with LibreOffice headless; the converted file's bytes."""
    binary = soffice_binary()
    if binary is None:
        raise UnsupportedInput("读取 .doc/.wps/.rtf/.odt 等格式需要 LibreOffice（soffice），本机未安装")
    if target == "xlsx" and not has_calc(binary):
        raise UnsupportedInput("本机的 LibreOffice 没有安装电子表格组件（Calc），无法读取 .xls/.et/.ods 文件；"
                               "请另存为 .xlsx 后再读取")
    with tempfile.TemporaryDirectory(prefix="gongkai-lo-") as tmp:
        src = Path(tmp, "input" + suffix)
        src.write_bytes(data)
        out = Path(tmp, "out")
        out.mkdir()
        profile = Path(tmp, "profile").as_uri()
        cmd = [binary, f"-env:UserInstallation={profile}", "--headless", "--invisible", "--norestore",
               "--nologo", "--nodefault", "--nolockcheck", "--convert-to", target, "--outdir", str(out), str(src)]
        env = dict(os.environ, HOME=tmp, SAL_USE_VCLPLUGIN="svp")
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                start_new_session=True, env=env, cwd=tmp)
        try:
            _stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            _kill_group(proc)
            raise CorruptDocument(f"文件转换超时（超过 {timeout:.0f} 秒），文件可能已损坏或过于复杂") from exc
        finally:
            if proc.poll() is None:
                _kill_group(proc)
        produced = sorted(out.iterdir())
        result = produced[0] if produced else out / "missing"
        if not result.exists() or result.stat().st_size == 0:
            detail = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] if stderr else []
            raise CorruptDocument("LibreOffice 无法转换此文件（文件可能已损坏或不是有效的文档）"
                                  + (f"：{detail[0][:120]}" if detail else ""))
        return result.read_bytes()


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


def _is_office(data: bytes) -> bool:
    return data.startswith((OLE2_MAGIC, b"{\\rtf")) or is_odf(data) or is_word_xml(data)


@reader("office", extensions=(".doc", ".wps", ".rtf", ".odt", ".xls", ".et", ".ods", ".dot", ".wpt"),
        magic=(OLE2_MAGIC, b"{\\rtf", b"PK\x03\x04", b"<?xml", b"\xef\xbb\xbf<?xml"), sniff=_is_office)
def read_office(data: bytes, options: ReadOptions) -> Document:
    """Read a legacy Word/WPS/Excel file, RTF or OpenDocument by converting it with LibreOffice."""
    check_bytes(data, options)
    if data.startswith(OLE2_MAGIC) and "EncryptedPackage".encode("utf-16-le") in data:
        raise CorruptDocument("文件已加密（Word/Excel 设置了打开密码），无法读取；请去掉密码后再提供")
    if data.startswith(OLE2_MAGIC) and not ole2_kind(data):
        raise CorruptDocument("文件已损坏：不是有效的 Word/WPS/Excel 文件（复合文档结构无法识别）")
    if is_odf(data):
        check_zip(data)  # entity declarations, bombs: before LibreOffice sees the package
    elif is_word_xml(data):
        check_markup(data, xml=True)
    suffix, target = _kind(data)
    converted = convert(data, suffix=suffix, target=target, timeout=options.timeout)
    note = f"已用 LibreOffice 将 {suffix} 文件转换为 .{target} 后读取"
    with translated("转换后的文件"):
        if target == "xlsx":
            blocks, notes = xlsx_to_blocks(converted)
            return Document(blocks, kind="xlsx", notes=[note, *notes])
        return Document(docx_to_blocks(converted), kind="doc", notes=[note])


__all__ = ["convert", "has_calc", "read_office", "soffice_binary"]
