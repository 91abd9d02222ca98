"""Uploads to reports: a ZIP unpacked within limits (``gongkai.read.limits``: member count, ratio, inflated size;
the batch's own caps below), each file read by ``gongkai.read.isolate`` in a child process with memory and CPU caps."""
from __future__ import annotations

import dataclasses
import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from ...errors import GongkaiError
from ...read import isolate, limits
from ...report import Report

MAX_FILE = 30 * 1024 * 1024  # one report
MAX_BATCH = 200 * 1024 * 1024  # all files of one upload, ZIPs inflated
MAX_MEMBERS = 300  # files in a ZIP
MAX_RATIO = 100  # inflated/compressed, per member bigger than 1 MB
SKIP = ("__MACOSX/", ".DS_Store", "Thumbs.db")


class UploadRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB" if n >= 1024 * 1024 else f"{max(n // 1024, 1)} KB"




def unpack(files: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """Every report file of an upload: ZIPs expanded (one level), within the limits, else :class:`UploadRefused`."""
    out: list[tuple[str, bytes]] = []
    total = 0
    for name, data in files:
        if len(data) > MAX_BATCH:
            raise UploadRefused(f"{name}：文件过大（{_size(len(data))}），超过上限 {_size(MAX_BATCH)}")
        if name.lower().endswith(".zip") or (data[:4] == b"PK\x03\x04" and not _is_office(data)):
            try:
                lim = dataclasses.replace(limits.current(), zip_total_bytes=MAX_BATCH, zip_ratio=MAX_RATIO,
                                          zip_members=MAX_MEMBERS)
                limits.check_zip(data, lim)
            except GongkaiError as exc:
                raise UploadRefused(f"{name}：{exc.message}") from exc
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                for info in zf.infolist():
                    if info.is_dir() or any(s in info.filename for s in SKIP):
                        continue
                    member = _decode(info)
                    if info.file_size > MAX_FILE:
                        raise UploadRefused(f"{name}/{member}：文件过大（{_size(info.file_size)}），"
                                            f"超过上限 {_size(MAX_FILE)}")
                    total += info.file_size
                    if total > MAX_BATCH:
                        raise UploadRefused(f"上传的文件解压后超过上限 {_size(MAX_BATCH)}")
                    with zf.open(info) as fh:
                        content = fh.read(MAX_FILE + 1)  # never more than declared, never more than the cap
                    if len(content) > MAX_FILE:
                        raise UploadRefused(f"{name}/{member}：文件过大，超过上限 {_size(MAX_FILE)}")
                    out.append((PurePosixPath(member).name, content))
        else:
            if len(data) > MAX_FILE:
                raise UploadRefused(f"{name}：文件过大（{_size(len(data))}），超过上限 {_size(MAX_FILE)}")
            total += len(data)
            if total > MAX_BATCH:
                raise UploadRefused(f"上传的文件合计超过上限 {_size(MAX_BATCH)}")
            out.append((name, data))
    if len(out) > MAX_MEMBERS:
        raise UploadRefused(f"一次最多上传 {MAX_MEMBERS} 份报告（本次 {len(out)} 份）")
    return out


def _is_office(data: bytes) -> bool:
    head = data[:4096]
    return b"[Content_Types].xml" in head or b"mimetype" in head[:100]


def _decode(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & 0x800:  # UTF-8 flag
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


@dataclass(frozen=True)
class Read:
    report: Report | None
    kind: str = ""
    error: str = ""


def read_report(name: str, data: bytes) -> Read:
    """Read one file in a child process (``gongkai.read.isolate``: memory and CPU capped). Never raises."""
    try:
        text, kind = isolate.run("gongkai.web.supervision.worker:parse_to_json", data, name)
        return Read(Report.from_json(text), kind=kind)
    except GongkaiError as exc:
        return Read(None, error=exc.message)
    except (ValueError, OSError) as exc:
        return Read(None, error=f"读取失败（{type(exc).__name__}）")
