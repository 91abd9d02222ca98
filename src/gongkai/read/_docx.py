"""DOCX reader: paragraphs and tables in body order, merged cells expanded once.

    check_zip (bombs) → python-docx opens the package → walk the body XML in order:
      w:p   → Paragraph (runs, tabs and breaks of the paragraph; empty paragraphs skipped)
      w:tbl → TableBlock on the table's grid: ``w:gridSpan`` spans columns, ``w:vMerge`` continues a cell
              downwards, ``w:gridBefore``/``w:gridAfter`` skip grid columns; a nested table becomes its own
              block after the table holding it; a one-column "layout" table is walked like the body
      w:sdt / w:customXml (content controls) → their content, in place
"""
from __future__ import annotations

import io

from ..errors import CorruptDocument
from ._cjk import join_lines, normalize_cjk, squash
from ._docx_numbering import Numbering
from ._sniff import check_bytes, check_zip, is_docx, is_html, translated
from .blocks import Block, Paragraph, grid_from_spans
from .registry import Document, ReadOptions, reader

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_COLS = 200
MAX_DEPTH = 20


def _val(el, default: str | None = None) -> str | None:
    return el.get(W + "val", default) if el is not None else default


def _int(value: str | None, default: int = 1, cap: int = MAX_COLS) -> int:
    try:
        return max(0, min(int(value or default), cap))
    except ValueError:
        return default


MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SKIP = {MC_FALLBACK, W + "delText", W + "instrText", W + "rPr", W + "pPr", W + "moveFrom", W + "del"}
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _hidden(run) -> bool:
    rpr = run.find(W + "rPr")
    return rpr is not None and rpr.find(W + "vanish") is not None and _val(rpr.find(W + "vanish"), "1") not in (
        "0", "false")


def paragraph_text(p, numbering: Numbering | None = None) -> str:
    """The visible text of a w:p: runs, hyperlinks, fields' results, tabs as spaces.

    Deleted and hidden (``w:vanish``) text is left out, and so is the fallback copy of a text box
    (``mc:Fallback``), which would otherwise repeat it.
    """
    lines: list[str] = [""]

    def walk(el, depth: int = 0) -> None:
        for child in el:
            tag = child.tag
            if tag in _SKIP or not isinstance(tag, str) or depth > 50:
                continue
            if tag == W + "t":
                lines[-1] += child.text or ""
            elif tag == W + "tab":
                lines[-1] += " "
            elif tag in (W + "br", W + "cr"):
                if child.get(W + "type") in (None, "textWrapping"):
                    lines.append("")
            elif tag == W + "noBreakHyphen":
                lines[-1] += "-"
            elif tag == W + "r" and _hidden(child):
                continue
            else:
                walk(child, depth + 1)

    walk(p)
    text = normalize_cjk(join_lines([squash(line) for line in lines]))
    label = numbering.label(p) if numbering is not None else ""
    return label + text if text and label else text


def _cell_paragraphs(tc) -> list:
    """The w:p of a cell at its own level (inside content controls too), not those of nested tables."""
    out = []
    for child in tc:
        if child.tag == W + "p":
            out.append(child)
        elif child.tag in (W + "sdt", W + "customXml"):
            content = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            if content is not None:
                out.extend(_cell_paragraphs(content))
    return out


def _nested_tables(tc) -> list:
    return [t for t in tc.iter(W + "tbl") if t is not tc and _parent_tbl(t, tc) is None]


def _parent_tbl(tbl, stop):
    el = tbl.getparent()
    while el is not None and el is not stop:
        if el.tag == W + "tbl":
            return el
        el = el.getparent()
    return None


def _rows(tbl) -> list:
    out = []
    for child in tbl:
        if child.tag == W + "tr":
            out.append(child)
        elif child.tag in (W + "sdt", W + "customXml"):
            content = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            if content is not None:
                out.extend(_rows(content))
    return out


def _row_cells(tr) -> list:
    out = []
    for child in tr:
        if child.tag == W + "tc":
            out.append(child)
        elif child.tag in (W + "sdt", W + "customXml"):
            content = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            if content is not None:
                out.extend(_row_cells(content))
    return out


def table_layout(tbl) -> tuple[list[tuple[int, int, int, int, object]], int, int]:
    """Cells of a w:tbl as ``(row, col, rowspan, colspan, tc)`` on the table grid."""
    origins: list[list] = []  # [row, col, rowspan, colspan, tc]
    open_by_col: dict[int, list] = {}  # grid column → the cell a vMerge="continue" below would extend
    rows = _rows(tbl)
    n_cols = 0
    for r, tr in enumerate(rows):
        trpr = tr.find(W + "trPr")
        c = _int(_val(trpr.find(W + "gridBefore")) if trpr is not None else None, 0)
        for tc in _row_cells(tr):
            tcpr = tc.find(W + "tcPr")
            span = max(1, _int(_val(tcpr.find(W + "gridSpan")) if tcpr is not None else None, 1))
            vmerge = tcpr.find(W + "vMerge") if tcpr is not None else None
            if vmerge is not None and _val(vmerge, "continue") == "continue" and c in open_by_col:
                above = open_by_col[c]
                if above[0] + above[2] == r:  # only a cell ending on the row above can continue
                    above[2] += 1
                    c += span
                    continue
            cell = [r, c, 1, span, tc]
            origins.append(cell)
            for k in range(c, c + span):
                open_by_col[k] = cell
            c += span
            if c >= MAX_COLS:
                break
        n_cols = max(n_cols, c)
    return [tuple(o) for o in origins], len(rows), min(n_cols, MAX_COLS)  # type: ignore[misc]


class _Walker:
    def __init__(self, numbering: Numbering | None = None, part=None) -> None:
        self.blocks: list[Block] = []
        self.numbering = numbering
        self.part = part  # the document part, for w:altChunk (imported HTML/RTF/DOCX inside the DOCX)

    def cell_text(self, tc) -> str:
        return join_lines([paragraph_text(p, self.numbering) for p in _cell_paragraphs(tc)])

    def body(self, container, depth: int = 0) -> None:
        for child in container:
            tag = child.tag
            if tag == W + "p":
                text = paragraph_text(child, self.numbering)
                if text:
                    self.blocks.append(Paragraph(text=text))
            elif tag == W + "tbl":
                self.table(child, depth)
            elif tag == W + "altChunk" and depth < MAX_DEPTH:
                self.alt_chunk(child, depth)
            elif tag in (W + "sdt", W + "customXml") and depth < MAX_DEPTH:
                content = child.find(W + "sdtContent") if tag == W + "sdt" else child
                if content is not None:
                    self.body(content, depth + 1)

    def alt_chunk(self, el, depth: int) -> None:
        """Content an OA system pasted in as a whole file (HTML mostly): read it with its own reader."""
        try:
            blob = self.part.related_parts[el.get(R_ID)].blob
        except (AttributeError, KeyError):
            return
        if is_html(blob) or b"<html" in blob[:2048].lower():
            from ._html import decode_html, html_to_blocks

            self.blocks.extend(html_to_blocks(decode_html(blob)[0]))
        elif is_docx(blob) and depth < 3:
            self.blocks.extend(docx_to_blocks(blob, depth=depth + 1))

    def table(self, tbl, depth: int) -> None:
        cells, n_rows, n_cols = table_layout(tbl)
        if n_cols <= 1 and depth < MAX_DEPTH:
            for cell in cells:  # a layout box around content: read what is inside, in order
                self.body(cell[4], depth + 1)
            return
        spans = [(r, c, rs, cs, self.cell_text(tc)) for r, c, rs, cs, tc in cells]
        grid = grid_from_spans(spans, n_rows, n_cols)
        if any(any(v for v in row) for row in grid.rows):
            self.blocks.append(grid)
        if depth < MAX_DEPTH:
            for _r, _c, _rs, _cs, tc in cells:
                for nested in _nested_tables(tc):
                    self.table(nested, depth + 1)


def _numbering(document) -> Numbering | None:
    try:
        numbering_xml = document.part.numbering_part.element
    except (NotImplementedError, KeyError, AttributeError):
        return None
    try:
        styles_xml = document.part.styles.element
    except (NotImplementedError, KeyError, AttributeError):
        styles_xml = None
    return Numbering(numbering_xml, styles_xml)


def docx_to_blocks(data: bytes, *, depth: int = 0) -> list[Block]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    check_zip(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, etree.XMLSyntaxError, OSError, EOFError) as exc:
        raise CorruptDocument("Word 文件已损坏或不完整，无法打开") from exc
    except Exception as exc:  # zipfile/lxml/python-docx raise a variety on damaged parts
        raise CorruptDocument(f"Word 文件无法读取（{type(exc).__name__}）") from exc
    walker = _Walker(_numbering(document), document.part)
    walker.body(document.element.body)
    return walker.blocks


@reader("docx", extensions=(".docx", ".docm", ".dotx"), magic=(b"PK\x03\x04",), sniff=is_docx)
def read_docx(data: bytes, options: ReadOptions) -> Document:
    """Read a Word (.docx) document into blocks."""
    check_bytes(data, options)
    with translated("Word 文件"):
        return Document(docx_to_blocks(data), kind="docx")


__all__ = ["docx_to_blocks", "paragraph_text", "read_docx", "table_layout"]
