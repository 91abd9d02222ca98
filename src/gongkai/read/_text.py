"""The plain-text and Markdown reader (also OCR / layout-model transcripts and crawler text).

Blocks produced:

* HTML source given as text (more tags than lines, perhaps inside a JavaScript string) → the HTML reader's blocks
* an HTML ``<table>`` fragment inside the text → one :class:`TableBlock` with spans expanded
* every other non-empty line → a :class:`Paragraph` (Markdown heading marks and list bullets removed; a
  tab-separated line keeps its tabs). Pipe and tab rows, one-cell-per-line tables and the rest are rebuilt
  as table rows by :mod:`~gongkai.read.layout`, the same for every reader.

Encodings: BOMs (UTF-8, UTF-16), UTF-8, then GB18030 / Big5 as detected by charset-normalizer.
"""
from __future__ import annotations

import re

from ..errors import CorruptDocument, UnsupportedInput
from ._html import html_to_blocks, unescape_script
from .blocks import Block, Paragraph, TableBlock, grid_from_spans
from .limits import check_text_size
from .registry import Document, ReadOptions, reader

MAX_GRID_CELLS = 200_000
TEXT_EXTENSIONS = (".txt", ".md", ".markdown", ".text", ".csv", ".tsv")

_PIPE_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$", re.MULTILINE)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")
_BULLET = re.compile(r"^\s*(?:[-*+•·]|\d+\))\s+")
_TABLE_OPEN = re.compile(r"<table\b", re.IGNORECASE)
_TABLE_CLOSE = re.compile(r"</table\s*>", re.IGNORECASE)


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode bytes of a text document; returns (text, encoding)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    head = data[:65536]
    if b"\x00" in head:
        # UTF-16 without a BOM: NULs in one byte parity only, and the decoded text printable
        even, odd = head[0::2].count(0), head[1::2].count(0)
        half = max(len(head) // 2, 1)
        if max(even, odd) > 0.2 * half and min(even, odd) < 0.02 * half:
            enc = "utf-16-le" if odd > even else "utf-16-be"
            text = data.decode(enc, errors="replace")
            sample = text[:5000]
            bad = sum(1 for c in sample if (ord(c) < 32 and c not in "\r\n\t\f") or c == "\ufffd")
            if bad <= 0.02 * max(len(sample), 1):
                return text, enc
        raise UnsupportedInput("不是文本文件（含有二进制内容）")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best_enc = None
    try:
        from charset_normalizer import from_bytes

        match = from_bytes(data, cp_isolation=["gb18030", "big5", "utf_8", "gbk", "big5hkscs"]).best()
        if match is not None and match.encoding:
            best_enc = match.encoding
    except Exception:  # noqa: BLE001 - detection is a hint only
        best_enc = None
    candidates = [e for e in (best_enc, "gb18030", "big5") if e]
    scored = []
    for enc in candidates:
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        scored.append((_plausibility(text), enc, text))
    if scored:
        scored.sort(key=lambda t: -t[0])
        return scored[0][2], scored[0][1]
    return data.decode("gb18030", errors="replace"), "gb18030"


def _plausibility(text: str) -> float:
    """Share of common CJK report characters: tells GB18030 from Big5 decodings apart."""
    common = "的年政府信息公开工作报告情况申请数量本处理行政规章法人组织其他总计一二三四五六"
    n = sum(text.count(c) for c in common)
    return n / max(len(text), 1)


def looks_like_text(data: bytes) -> bool:
    """A cheap test: decodable and mostly printable."""
    try:
        text, _ = decode_text(data[:20000])
    except UnsupportedInput:
        return False
    if not text:
        return True
    bad = sum(1 for c in text if (ord(c) < 32 and c not in "\r\n\t\f") or c == "\ufffd")
    return bad / len(text) < 0.02


_MARKUP = re.compile(r"<\s*/?\s*(?:p|div|td|th|tr|table|tbody|thead|span|br|strong|b|font|section|article|h[1-6]|li|ul)"
                     r"\b[^<>]{0,400}>", re.IGNORECASE)


def looks_like_markup(text: str) -> bool:
    """HTML source saved or pasted as text (a page's source, a report inside a JavaScript string): more
    tags than lines, unlike a text that carries one ``<table>`` fragment among its lines."""
    sample = text[:200_000]
    if sample.count("<") < 8:
        return False  # every tag starts with its own "<" (the matches do not overlap)
    tags = len(_MARKUP.findall(sample))
    return tags >= 8 and tags >= sample.count("\n") + 1


def text_to_blocks(text: str) -> list[Block]:
    """Split a decoded text into blocks (see the module docstring)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if looks_like_markup(text):  # read by the HTML reader's own walk
        try:
            return html_to_blocks(unescape_script(text))
        except CorruptDocument:
            pass  # not parseable as HTML after all: read it line by line
    lines = text.split("\n")
    blocks: list[Block] = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            i += 1
            continue
        if "<" in line and _TABLE_OPEN.search(line):
            j = i
            chunk = []
            while j < n:
                chunk.append(lines[j])
                if _TABLE_CLOSE.search(lines[j]):
                    break
                j += 1
            html = unescape_script("\n".join(chunk))
            pre = html[: _TABLE_OPEN.search(html).start()].strip()  # type: ignore[union-attr]
            if pre:
                blocks.append(Paragraph(_clean_line(pre), line=i + 1))
            blocks.extend(_html_tables(html, line=i + 1))
            i = j + 1
            continue
        # a tab-separated line keeps its tabs: its cells are split, positions kept, by the layout stage
        blocks.append(Paragraph(line if "\t" in line and "\t" in line.strip(" ") else _clean_line(line), line=i + 1))
        i += 1
    return blocks


# possessive runs: a digit run cannot be re-split into shorter numbers on failure (exponential backtracking)
_VALUES_ONLY = re.compile(r"^(?:\s*(?:[+\-]?[\d０-９][\d０-９,，.．]*+|[/／—–\-－]++|无|無))+\s*$")


def _clean_line(line: str) -> str:
    stripped = line.strip()
    if "#" not in line and not (stripped and (stripped[0] in "-*+•·" or stripped[0].isdecimal())):
        return stripped  # no heading mark, no bullet (its first character after the spaces is one of these or a digit)
    # both patterns are anchored at the start (no MULTILINE): a substitution is a cut after the one match
    s = _HEADING.sub("", line) if "#" in line else line
    bullet = _BULLET.match(s)
    if bullet and not _VALUES_ONLY.match(s):  # "- 24 4 13" is a row whose first cell is blank, not a list item
        s = s[bullet.end():]
    return s.strip()


def _html_tables(html: str, *, line: int) -> list[TableBlock]:
    try:
        import lxml.html

        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except Exception:  # noqa: BLE001 - a broken fragment is read as text
        return [TableBlock(rows=((re.sub(r"<[^>]+>", " ", html),),), line=line)]
    out = []
    for table in root.iter("table"):
        cells: list[tuple[int, int, int, int, str]] = []
        occupied: set[tuple[int, int]] = set()
        n_rows = 0
        n_cols = 0
        area = 0
        for r, tr in enumerate(table.iter("tr")):
            c = 0
            for td in tr:
                if td.tag not in ("td", "th"):
                    continue
                while (r, c) in occupied:
                    c += 1
                rs = _span(td.get("rowspan"))
                cs = _span(td.get("colspan"))
                text = " ".join(td.text_content().split())
                cells.append((r, c, rs, cs, text))
                area += rs * cs
                if area > MAX_GRID_CELLS:  # absurd spans: read the cells without them
                    return [_plain_table(table, line)]
                for dr in range(rs):
                    for dc in range(cs):
                        occupied.add((r + dr, c + dc))
                c += cs
                n_cols = max(n_cols, c)
            n_rows = r + 1
        if cells:
            n_rows = max(n_rows, max(r + rs for r, _, rs, _, _ in cells))
            if n_rows * n_cols > MAX_GRID_CELLS:
                return [_plain_table(table, line)]
            block = grid_from_spans(cells, n_rows, n_cols)
            out.append(TableBlock(rows=block.rows, line=line))
    return out


def _plain_table(table: object, line: int) -> TableBlock:
    rows = [tuple(" ".join(td.text_content().split()) for td in tr if td.tag in ("td", "th"))
            for tr in table.iter("tr")]  # type: ignore[attr-defined]
    width = max((len(r) for r in rows), default=0)
    return TableBlock(rows=tuple(r + ("",) * (width - len(r)) for r in rows), line=line)


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 200))
    except ValueError:
        return 1


@reader("text", extensions=TEXT_EXTENSIONS)
def read_text(data: bytes, options: ReadOptions) -> Document:
    """Read a plain-text or Markdown document into blocks."""
    if len(data) > options.max_bytes:
        raise CorruptDocument(f"文件过大（{len(data) // 1024 // 1024} MB），超过上限")
    check_text_size(len(data) // 4)  # UTF-8: at least a character per 4 bytes
    text, encoding = decode_text(data)
    blocks = text_to_blocks(text)
    kind = "markdown" if "|" in text and _PIPE_ROW.search(text) else "text"
    return Document(blocks=blocks, kind=kind, encoding=encoding)


__all__ = ["TEXT_EXTENSIONS", "decode_text", "looks_like_text", "read_text", "text_to_blocks"]
