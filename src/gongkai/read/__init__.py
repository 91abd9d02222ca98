"""Reading reports: any published form → a :class:`~gongkai.report.Report`.

One pipeline behind every reader, each stage a module of its own, data flowing one way::

    bytes ──reader──▶ Document(blocks)            registry.find_reader / _text, _html, _docx, _pdf …
          ──layout──▶ blocks with table rows       layout.normalize_blocks (pipe rows, one cell per line,
                                                   bare "|" lines, tabs; pinyin readings, entities)
          ──lines───▶ [Line]                       lines.blocks_to_lines (label + value cells, digit runs)
          ──align───▶ Alignment                    align.align (regions, 二 by label, 三 by DP, 四 by position)
          ──cells───▶ cells as read                cells.read_cells (numbers.parse_cell / split_run)
          ──repair──▶ cells (repaired/uncertain)   repair.repair (I1/I3/I4/I5, narrative numbers, the cut)
          ──meta────▶ Report                       metadata.read_metadata / split_sections

    >>> result = parse_file("report.pdf")
    >>> result.report.cells["s3.new.total"].value

Errors (see :mod:`gongkai.errors`): :class:`InputError` for a path that is missing or cannot be read,
:class:`UnsupportedInput` for a kind of file no reader takes,
:class:`CorruptDocument` for a damaged one, :class:`NotAReport` for a readable document that is not
a 政府信息公开工作年度报告.
"""
from __future__ import annotations

import importlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CorruptDocument, NotAReport, ReadError, UnsupportedInput
from ..report import Report
from . import _text
from ._sniff import check_bytes, read_path_safely
from .align import Alignment, align
from .blocks import Block, Paragraph, TableBlock
from .cells import read_cells
from .layout import normalize_blocks
from .limits import check_blocks
from .lines import Line, blocks_to_lines, mark_cut
from .metadata import full_text, narrative_facts, read_metadata, split_sections
from .normalize import fold
from .registry import Document, ReadOptions, find_reader, reader, readers
from .repair import repair

# Readers of other document kinds register on import; a missing one simply is not offered.
try:
    from . import _readers  # noqa: F401
except ModuleNotFoundError as _exc:  # pragma: no cover - while the document readers are being written
    if _exc.name != f"{__name__}._readers":
        raise

NOT_A_REPORT = "不是政府信息公开工作年度报告"


@dataclass(frozen=True)
class ParseResult:
    """A parsed report with the findings of the checks and what the reader noticed."""

    report: Report
    findings: tuple[Any, ...] = ()
    kind: str = "text"
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        data = self.report.to_dict()
        data["findings"] = [json.loads(f.model_dump_json(exclude_none=True)) for f in self.findings]
        return data

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)


def parse_file(path: str | Path, *, options: ReadOptions | None = None) -> ParseResult:
    """Read and parse one file (any kind a reader is registered for).

    A missing, unreadable or non-regular path is an :class:`InputError`; an empty (0 bytes) or oversized
    file a :class:`CorruptDocument` (see :func:`~gongkai.read._sniff.read_path_safely`).
    """
    p = Path(path)
    options = options or ReadOptions()
    data = read_path_safely(p, options)
    try:
        return parse_bytes(data, name=str(p), options=options)
    except ReadError as exc:
        if exc.path is None:
            exc.path = str(p)
        raise


def parse_bytes(data: bytes, *, name: str | None = None, options: ReadOptions | None = None) -> ParseResult:
    """Parse a document given as bytes; ``name`` (a file name) helps choose the reader."""
    options = options or ReadOptions()
    check_bytes(data, options)  # empty or oversized, as for a file
    if not data.strip():
        raise NotAReport(f"{NOT_A_REPORT}：文件只有空白，没有文字")
    found = find_reader(data, name)
    if found is None:
        if _text.looks_like_text(data):
            found = readers()["text"]
        else:
            raise UnsupportedInput("不支持的文件类型（可读取 TXT、Markdown、HTML、DOCX、DOC、WPS、XLSX、PDF）")
    try:
        document = found.func(data, options)
    except ReadError:
        raise
    except (MemoryError, RecursionError) as exc:
        raise CorruptDocument(f"文件无法读取：{type(exc).__name__}") from exc
    check_blocks(document.blocks)
    report, notes = blocks_to_report(document, options=options, source_file=name)
    return ParseResult(report=report, findings=tuple(_findings(report)), kind=document.kind, notes=tuple(notes))


def parse_text(text: str, *, options: ReadOptions | None = None, name: str | None = None) -> ParseResult:
    """Parse a report given as text (plain text or Markdown)."""
    options = options or ReadOptions()
    document = Document(blocks=_text.text_to_blocks(text), kind="text", encoding="str")
    report, notes = blocks_to_report(document, options=options, source_file=name)
    return ParseResult(report=report, findings=tuple(_findings(report)), kind="text", notes=tuple(notes))


def blocks_to_report(document: Document, *, options: ReadOptions | None = None,
                     source_file: str | None = None) -> tuple[Report, list[str]]:
    """The shared stages: blocks → lines → alignment → cells → repair → Report (plus reader notes)."""
    options = options or ReadOptions()
    lines = blocks_to_lines(normalize_blocks(document.blocks))
    cut = mark_cut(lines)
    al = align(lines, format_hint=options.format_hint)
    text = full_text(lines)
    _require_report(lines, al, text)
    sections = split_sections(text)
    facts = narrative_facts(sections, text)
    read = read_cells(al, facts)
    assembled = repair(read.cells, read.format_id, read.collapsed, facts, ocr=document.kind == "ocr", cut=cut)
    fmt_id, section_formats = read.format_id, read.section_formats
    if options.format_hint and not al.s3 and not al.s2:
        fmt_id = options.format_hint
    meta = read_metadata(lines, text, format_detected=fmt_id if (al.s3 or al.s2) else None,
                         source_file=source_file, source_kind=document.kind)
    cells = {k: v.as_dict() for k, v in assembled.cells.items()}
    report = Report(format=fmt_id, section_formats=section_formats, metadata=meta, sections=tuple(sections),  # type: ignore[arg-type]
                    cells=cells, extras=tuple(assembled.extras), narrative=tuple(facts))
    notes = list(document.notes) + al.notes + assembled.notes
    return report, notes


def _require_report(lines: list[Line], al: Alignment, text: str) -> None:
    labelled_s3 = sum(1 for m in al.s3 if m.score > 0.5)
    head = fold(text[:400])  # Traditional titles too (政府資訊公開)
    titled = ("政府信息公开" in head or "政务公开" in head or "信息公开" in head) and "报告" in head
    if (labelled_s3 >= 3 or len(al.s2) >= 2 or len(al.headings) >= 3 or (titled and len(al.headings) >= 1)
            or (al.s2 and (titled or al.headings))):  # a report's title or headings and a row of 二: a cut report
        return
    raise NotAReport(f"{NOT_A_REPORT}：没有找到年度报告的章节或表格")


def _findings(report: Report) -> list[Any]:
    try:
        checks = importlib.import_module("gongkai.checks")
        run_checks = checks.run_checks
    except (ImportError, AttributeError):
        return []
    try:
        return list(run_checks(report))
    except Exception as exc:  # noqa: BLE001 - a check failing must not lose the parsed report, nor hide it
        return [checks.Finding(id="CHECK", level=checks.Level.ERROR,
                               message=f"检查未能完成（{type(exc).__name__}: {exc}），请用 gongkai check 复核")]


__all__ = [
    "NOT_A_REPORT",
    "Block",
    "Document",
    "Paragraph",
    "ParseResult",
    "ReadOptions",
    "TableBlock",
    "blocks_to_report",
    "find_reader",
    "parse_bytes",
    "parse_file",
    "parse_text",
    "reader",
    "readers",
]
