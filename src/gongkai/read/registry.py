"""The reader registry: built-in readers register the way an extension would.

    @reader("docx", extensions=(".docx",), magic=(b"PK\\x03\\x04",))
    def read_docx(data: bytes, options: ReadOptions) -> Document: ...

:func:`find_reader` picks a reader by content first (magic bytes / a sniff function), then by
extension. Every reader returns a :class:`Document` of blocks; the shared stages take it from there.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .blocks import Block
from .limits import current


@dataclass(frozen=True)
class ReadOptions:
    format_hint: str | None = None  # "2021" | "2019-trial": used when the tables do not decide
    ocr: str = "auto"  # "auto" | "always" | "never": OCR for image-only pages and images
    max_bytes: int = field(default_factory=lambda: current().file_bytes)  # larger inputs: CorruptDocument
    timeout: float = 120.0  # seconds for external converters (LibreOffice)


@dataclass
class Document:
    blocks: list[Block]
    kind: str  # text, markdown, html, docx, doc, wps, xlsx, pdf, ocr
    pages: int | None = None
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)


ReaderFunc = Callable[[bytes, ReadOptions], Document]


@dataclass(frozen=True)
class Reader:
    name: str
    func: ReaderFunc
    extensions: tuple[str, ...] = ()
    magic: tuple[bytes, ...] = ()
    sniff: Callable[[bytes], bool] | None = None


_READERS: dict[str, Reader] = {}


def reader(name: str, *, extensions: tuple[str, ...] = (), magic: tuple[bytes, ...] = (),
           sniff: Callable[[bytes], bool] | None = None) -> Callable[[ReaderFunc], ReaderFunc]:
    def register(func: ReaderFunc) -> ReaderFunc:
        _READERS[name] = Reader(name, func, tuple(e.lower() for e in extensions), magic, sniff)
        return func
    return register


def readers() -> dict[str, Reader]:
    return dict(_READERS)


def find_reader(data: bytes, path: str | Path | None = None) -> Reader | None:
    """The reader for this content: by magic bytes or sniffing first, then by extension."""
    head = data[:4096]
    for r in _READERS.values():
        if any(head.startswith(m) for m in r.magic) and (r.sniff is None or r.sniff(data)):
            return r
    for r in _READERS.values():
        if not r.magic and r.sniff is not None and r.sniff(data):
            return r
    if path is not None:
        ext = Path(path).suffix.lower()
        for r in _READERS.values():
            if ext in r.extensions:
                return r
    return None
