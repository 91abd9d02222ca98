"""Blocks → lines: the unit every later stage works on.

A :class:`Line` is one of

* a heading of one of the six sections (``section`` set),
* a row candidate: a label and its value cells (from a table row, a tab-separated line, or a text
  line ending in numbers), or a label and a *run* of digits with no cell boundaries (crawler text
  that flattened an HTML table, V16: ``行政规范性文件693665``),
* plain text.

Flattened text is cut into rows by finding the known labels of every format in it (labels, column
headers, captions and headings all end the digit run before them).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from .._nfkc import nfkc
from ..formats import FORMATS, RowKind, Section
from ..formats._common import SECTIONS
from .blocks import Block, Paragraph, TableBlock
from .layout import is_value
from .normalize import cjk_count, fold, fold_keep_length, label_key, leading_number
from .numbers import CHANGE_WORDS


@dataclass
class Line:
    index: int
    text: str  # the line as printed (cells joined by " | ")
    label: str = ""  # the label part, as printed
    label_cells: tuple[str, ...] = ()
    cells: tuple[str, ...] = ()  # value cells, as printed ("" for an empty cell)
    confidence: tuple[float | None, ...] = ()  # the OCR engine's confidence of each value cell, when read by OCR
    run: str | None = None  # a flattened digit run (no cell boundaries), instead of cells
    section: int | None = None  # set for a section heading
    page: int | None = None
    line: int | None = None
    table: int | None = None
    row: int | None = None
    from_table: bool = False
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def has_values(self) -> bool:
        return bool(self.cells) or bool(self.run and (re.search(r"\d", self.run) or len(self.run.split()) >= 2
                                                      or fold(self.run) in BLANKS))

    @property
    def key(self) -> str:
        return label_key(self.label)


# --- value-like cells ---------------------------------------------------------------------------
_VALUE_CELL = re.compile(
    r"^[+\-]?\d[\d,，]*(?:\.\d+)?\s*(?:万元|元|件|个|项)?\s*(?:[(（][^()（）]*[)）])?$")
_MULTI_VALUE = re.compile(r"^(?:[+\-]?\d[\d,]*(?:\.\d+)?\s+)+[+\-]?\d[\d,]*(?:\.\d+)?$")
BLANKS = frozenset({"", "/", "／", "-", "－", "—", "——", "–", "无", "空", "\\", "×", "—-", "--", "─"})


@lru_cache(maxsize=16384)  # pure; a report's cells are its labels and numbers, which recur from report to report
def is_value_cell(cell: str) -> bool:
    s = fold(cell)
    if s in BLANKS:
        return True
    if _VALUE_CELL.match(s) or _MULTI_VALUE.match(s) or is_value(s):
        return True
    # a stray OCR token: one or two latin letters / symbols standing for a digit
    if len(s) <= 2 and cjk_count(s) == 0 and re.match(r"^[A-Za-z|!Il]{1,2}$", s):
        return True
    # CJK noise with a trailing standalone number (组织 0)
    return bool(re.match(r"^\S{1,3}\s+\d+$", s) and cjk_count(s) <= 2)


def split_label_values(cells: list[str | None]) -> tuple[list[str], list[str]]:
    """Split a row into its label cells and its value cells (the run of value-like cells at the end)."""
    labels, value_at = _split_row(cells)
    return labels, [cells[i] or "" for i in value_at]


def _split_row(cells: Sequence[str | None]) -> tuple[list[str], list[int]]:
    """The label cells of a row and the positions of its value cells (see :func:`split_label_values`)."""
    last_label = _label_end(cells)
    return ([c for c in cells[:last_label + 1] if c],
            [i for i in range(last_label + 1, len(cells)) if cells[i] is not None])


def _label_end(cells: Sequence[str | None]) -> int:
    """The last text cell of a row that is not value-like (-1 if none): found from the right."""
    last = len(cells) - 1
    while last >= 0 and (not (c := cells[last]) or is_value_cell(c)):
        last -= 1
    return last


def _confidence_at(conf: tuple[float | None, ...] | None, positions: list[int]) -> tuple[float | None, ...]:
    """The OCR confidence of the cells at ``positions`` of a table row (``()`` when the table has none)."""
    if not conf or not any(c is not None for c in conf):
        return ()
    return tuple(conf[i] if i < len(conf) else None for i in positions)


# --- catalog of known labels ---------------------------------------------------------------------
@dataclass(frozen=True)
class Marker:
    pattern: re.Pattern[str]
    kind: str  # "row" (a row label of s2/s3), "marker" (header, caption, group) or "heading"
    ref: str = ""
    probes: tuple[str, ...] = ()  # substrings one of which the text must contain (a cheap pre-filter)
    core: str = ""  # the label key: a match implies it occurs in the text once 、 and , are taken out
    literal: str = ""  # a substring every match holds (a cheap pre-filter for the patterns with no label)


@lru_cache(maxsize=1)
def markers() -> tuple[Marker, ...]:
    out: list[Marker] = []
    seen: set[str] = set()

    def add(label: str, kind: str, ref: str = "", *, need_number: bool = False) -> None:
        core = label_key(label)
        if not core:
            return
        num = leading_number(label)
        sig = f"{kind}|{core}|{num}|{ref}"
        if sig in seen:
            return
        seen.add(sig)
        body = "[、,]?".join(re.escape(c) for c in core)
        if num:
            if num.startswith("("):
                prefix = r"\(" + re.escape(num[1:-1]) + r"\)"
            elif num.isdigit():
                prefix = re.escape(num) + r"[.、,]"
            else:
                prefix = re.escape(num) + r"[、.,]"
            # an optional numbering, spelt as two alternatives (each starting with a literal character,
            # which lets the regex engine skip ahead instead of trying every position of a long line)
            rx = f"{prefix}{body}" if (need_number or len(core) <= 2) else f"(?:{prefix}{body}|{body})"
        else:
            rx = body
        out.append(Marker(re.compile(rx), kind, ref, (core[0],), core))

    for fmt in FORMATS.values():
        for table in fmt.tables:
            if table.caption:
                add(table.caption, "marker")
            for col in table.columns:
                for lab in col.labels:
                    add(lab, "marker")
            for row in table.rows:
                if not row.label:
                    continue
                kind = "row" if row.kind is not RowKind.GROUP else "marker"
                ref = f"{table.id}:{row.key}" if row.key else f"{table.id}:group:{row.label}"
                for lab in row.labels:
                    add(lab, kind, ref)
            for grp, _ in table.column_groups:
                add(grp, "marker")
            if table.stub:
                add(table.stub, "marker")
            if table.note:
                add(table.note, "marker")
    out.append(Marker(re.compile(r"第二十条第?\(?[一二三四五六七八九十]+\)?项"), "marker", literal="第二十条"))
    out.append(Marker(re.compile(r"[一二三四五六七八九十]{1,2}、(?=[\u4e00-\u9fff])"), "heading", literal="、"))
    out.append(Marker(re.compile(r"\([一二三四五六七八九十]{1,2}\)(?=[\u4e00-\u9fff])"), "heading", literal="("))
    return tuple(out)


@lru_cache(maxsize=1)
def _probed() -> tuple[tuple[str, tuple[Marker, ...]], ...]:
    """Markers grouped by the first character of their label: a group is tried only when its
    character occurs in the text (a cheap pre-filter before the regular expressions)."""
    groups: dict[str, list[Marker]] = {}
    for m in markers():
        groups.setdefault(m.probes[0] if m.probes else "", []).append(m)
    return tuple((k, tuple(v)) for k, v in groups.items())


_RUN_OK = re.compile(r"^[\d\s.,+\-/元万—–无]*$")
_PAREN_AFTER = re.compile(r"\s*\([^()]{0,40}\)")  # matched at a position (no "^": it would mean the text's start)
_DIGIT = re.compile(r"\d")


_SQUEEZE_OUT = re.compile(r"[\s\"']+")


def _squeeze(folded: str) -> tuple[str, list[int], list[int]]:
    """The folded text without whitespace and quotes; and for each run taken out (in order), where it was in
    the squeezed text and how many characters were taken out up to its end (see :func:`_unsqueezed`)."""
    kept: list[str] = []
    at: list[int] = []
    shift: list[int] = []
    removed = prev = 0
    for m in _SQUEEZE_OUT.finditer(folded):
        kept.append(folded[prev:m.start()])
        at.append(m.start() - removed)
        removed += m.end() - m.start()
        shift.append(removed)
        prev = m.end()
    if not at:
        return folded, at, shift
    kept.append(folded[prev:])
    return "".join(kept), at, shift


def _unsqueezed(pos: int, at: list[int], shift: list[int]) -> int:
    """The position in the folded text of the character at ``pos`` in the squeezed text: shifted by every
    run taken out before it (a run at ``pos`` itself was before that character)."""
    k = bisect_right(at, pos)
    return pos + shift[k - 1] if k else pos


Pieces = Sequence[tuple[str, str, str, str]]


def segment_flat(text: str) -> list[tuple[str, str, str, str]]:
    """Cut a line of flattened table text into (kind, ref, label, run) pieces.

    ``kind`` is "row" for a known row label followed by a digit run, "marker" for a header/caption
    followed by a digit run (the single row of section 四), "heading" for a section heading.
    """
    return _segment(text, fold_keep_length(text))


@lru_cache(maxsize=4096)  # pure; a table cell's text (a label, a caption) recurs in every report
def _cell_segments(text: str) -> tuple[str, Pieces]:
    """The :func:`fold_keep_length` of a table cell's text and its :func:`segment_flat` pieces (a tuple: shared)."""
    folded = fold_keep_length(text)
    return folded, tuple(_segment(text, folded))


def _segment(text: str, folded: str) -> list[tuple[str, str, str, str]]:
    """:func:`segment_flat` of ``text``, given its :func:`fold_keep_length` (computed once per line)."""
    # the squeezed text first (one substitution in C); where each run was taken out is worked out only for a text
    # with some marker in it (most lines of prose have none)
    squeezed = _SQUEEZE_OUT.sub("", folded)
    if not squeezed:
        return []
    # (start, -length, not a row label, order found, end, marker): sorted as tuples, the order found breaking
    # ties (so no marker is compared), the same order as a stable sort on the first three
    found: list[tuple[int, int, bool, int, int, Marker]] = []
    unseparated = squeezed.replace("、", "").replace(",", "")  # the label patterns allow 、 or , between characters
    for probe, group in _probed():
        if probe and probe not in squeezed:
            continue
        for m in group:
            if (m.core and m.core not in unseparated) or (m.literal and m.literal not in squeezed):
                continue
            not_row = m.kind != "row"
            for hit in m.pattern.finditer(squeezed):
                s, e = hit.span()
                found.append((s, s - e, not_row, len(found), e, m))
    if not found:
        return []
    _, at, shift = _squeeze(folded)
    # leftmost, then longest, non-overlapping (a row label wins over a marker of the same span)
    found.sort()
    chosen: list[tuple[int, int, Marker]] = []
    end = -1
    for s, _, _, _, e, m in found:
        if m.kind == "row":
            paren = _PAREN_AFTER.match(squeezed, e)
            if paren:
                e = paren.end()
        if s >= end:
            chosen.append((s, e, m))
            end = e
        elif m.kind == "row" and chosen and chosen[-1][2].kind != "row" and s == chosen[-1][0] and e >= end:
            chosen[-1] = (s, e, m)
            end = e
    pieces: list[tuple[str, str, str, str]] = []
    for k, (s, e, m) in enumerate(chosen):
        o_start = _unsqueezed(s, at, shift)
        o_end = _unsqueezed(e - 1, at, shift) + 1
        nxt = _unsqueezed(chosen[k + 1][0], at, shift) if k + 1 < len(chosen) else len(text)
        label = text[o_start:o_end]
        rest = folded[o_end:nxt]
        if m.kind == "heading":
            pieces.append(("heading", "", text[o_start:o_start + 40], ""))
            continue
        run = rest.strip().lstrip("\"'").strip()
        if run and _RUN_OK.match(run) and (_DIGIT.search(run) or len(run.split()) >= 2
                                           or (m.kind == "row" and fold(run) in BLANKS)):
            pieces.append((m.kind, m.ref, label, run))
        elif m.kind == "row":
            pieces.append(("label", m.ref, label, ""))
    return pieces


# --- section headings ------------------------------------------------------------------------------
_HEAD_NUM = re.compile(r"^\s*(?:第?([一二三四五六])\s*[、.,]|([1-6])\s*[、.,](?!\d)|\(([一二三四五六])\))\s*")


_WHITESPACE = re.compile(r"\s+")
_STOP = re.compile(r"[。；;:：]")


def heading_section(text: str, *, strict: bool = True) -> int | None:
    """The section (1–6) a heading-like text names, by its key phrases (V9), or None."""
    if len(text) <= 64:
        return _short_heading_section(text, strict)
    return _heading_section(text, strict)


@lru_cache(maxsize=8192)  # pure; the headings and labels of the national format recur in every report
def _short_heading_section(text: str, strict: bool) -> int | None:
    return _heading_section(text, strict)


def _heading_section(text: str, strict: bool) -> int | None:
    s = fold(text)
    m = _HEAD_NUM.match(s)
    if strict and not m:
        return None
    body = s[m.end():] if m else s
    body = _WHITESPACE.sub("", body)
    if not body or len(body) > 60:
        return None
    head = _STOP.split(body, maxsplit=1)[0][:26]  # a run-in heading ends at its first stop
    return match_section(head)


def match_section(head: str) -> int | None:
    for sec in SECTIONS:
        if _section_matches(sec, head):
            return sec.number
    return None


def _section_matches(sec: Section, head: str) -> bool:
    if sec.number == 1:
        return head.startswith(("总体情况", "基本情况", "概述"))
    if sec.number == 3 and not ("申请" in head and ("收到" in head or "处理" in head)):
        return False
    if sec.number == 2 and "主动公开" not in head[:8]:
        return False
    if sec.number == 6 and not head.startswith("其他"):
        return False
    if sec.number == 5 and "问题" not in head[:20]:
        return False
    for group in sec.key_phrases:
        if all(p in head for p in group):
            return True
    return False


# --- blocks → lines -------------------------------------------------------------------------------
_VALUE_TOKEN = re.compile(rf"(?:[+\-]?\d[\d,]*(?:\.\d+)?|[/—–\-]+|无|(?:{CHANGE_WORDS})\d[\d,]*)")


def _trailing_values_start(folded: str) -> int | None:
    """Where the run of value tokens that ends the line starts (None if the line ends in text).
    A scan from the right, linear in the length of the line."""
    start = None
    rest = folded.rstrip()
    while rest:
        # str.split's whitespace is the regex \s (Unicode whitespace): the same tokens as \S+, taken from the
        # right; what is left of the text stays a prefix of it, so positions hold
        parts = rest.rsplit(None, 1)
        tok = parts[-1]
        if not _VALUE_TOKEN.fullmatch(tok):
            break
        start = len(rest) - len(tok)
        rest = parts[0] if len(parts) == 2 else ""
    return start


def blocks_to_lines(blocks: list[Block]) -> list[Line]:
    lines: list[Line] = []
    for t_index, block in enumerate(blocks):
        if isinstance(block, TableBlock):
            pages, n_pages, conf = block.pages, len(block.pages), block.confidence
            for r_index, row in enumerate(block.rows):
                texts = list(filter(None, row))  # the cells with text
                if not texts or is_page_footer(" ".join(texts)):
                    continue
                cells = row  # (read only: a tuple serves as the list did)
                joined = " | ".join(texts)
                page = pages[r_index] if r_index < n_pages else block.page
                row_conf = conf[r_index] if conf and r_index < len(conf) else None
                if len(texts) == 1:
                    # (nothing below reads the split of a one-cell row: it is made for rows of two cells or more)
                    at = cells.index(texts[0])  # the text cell (the cells before it are empty: none equal to it)
                    seg = None  # (fold_keep_length, pieces) of the single text cell, when already computed
                    if len(cells) > at + 1 and not is_value_cell(texts[0]):
                        seg = _cell_segments(texts[0])
                        pieces = seg[1]
                        if len(pieces) == 1 and pieces[0][0] == "label":
                            # a row label whose cells are all empty (blank cells, V4), perhaps after empty label columns
                            blank_at = [i for i in range(at + 1, len(cells)) if cells[i] is not None]
                            lines.append(Line(
                                index=len(lines), text=joined, label=texts[0], label_cells=(texts[0],),
                                cells=tuple(cells[i] or "" for i in blank_at),
                                confidence=_confidence_at(row_conf, blank_at), page=page, line=block.line,
                                table=t_index, row=r_index, from_table=True))
                            continue
                    # a one-cell row is text (a heading or a stray line inside a table)
                    _text_line(lines, texts[0], page=page, line=block.line, table=t_index, row=r_index, seg=seg)
                    continue
                # as _split_row: the label cells are the text cells up to the label's end, the value cells every
                # cell after it but those under a span (their positions are wanted only for the OCR confidence)
                last = _label_end(cells)
                lab = [c for c in cells[:last + 1] if c]
                vals = [c or "" for c in cells[last + 1:] if c is not None]
                if lab:
                    sec = heading_section(" ".join(lab)) if not vals else None
                    if sec:
                        lines.append(Line(index=len(lines), text=joined, section=sec, page=page, line=block.line,
                                          table=t_index, row=r_index))
                        continue
                # a label cell that is itself flattened text (label + digits in one cell)
                if not vals and len(lab) >= 1:
                    pieces = _cell_segments(lab[-1])[1]
                    rows = [p for p in pieces if p[0] in ("row", "marker") and p[3]]
                    if len(rows) == 1 and len(pieces) <= 2:
                        _, _, plabel, prun = rows[0]
                        lines.append(Line(
                            index=len(lines), text=joined, label=" ".join(lab[:-1] + [plabel]),
                            label_cells=tuple(lab[:-1]) + (plabel,), run=prun, page=page, line=block.line,
                            table=t_index, row=r_index, from_table=True))
                        continue
                lines.append(Line(
                    index=len(lines), text=joined, label=" ".join(lab), label_cells=tuple(lab), cells=tuple(vals),
                    confidence=() if not row_conf else _confidence_at(
                        row_conf, [i for i in range(last + 1, len(cells)) if cells[i] is not None]),
                    page=page, line=block.line, table=t_index, row=r_index, from_table=True))
        elif isinstance(block, Paragraph):
            for k, part in enumerate(block.text.split("\n")):
                if part.strip():
                    _text_line(lines, part, page=block.page, line=(block.line or 0) + k if block.line else None)
    return lines


def mark_cut(lines: list[Line]) -> Line | None:
    """The row a page was cut in: the last line with values when no text follows it (a complete report
    ends in sections 五/六, never on a number). Its last number may be cut short (12 of 125), and a row
    short of cells is short at its end, not its start."""
    for ln in reversed(lines):
        if ln.has_values and not ln.section:
            ln.extra["cut"] = True
            return ln
        if cjk_count(ln.text) >= 1:
            return None
    return None


_FOOTER = re.compile(r"^\s*(?:[-—–]+\s*\d{1,4}\s*[-—–]+|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4})\s*$")


# A printable ASCII character other than a digit, "-", "," or "/" survives fold (opencc and the quote table
# change only non-ASCII characters, NFKC leaves ASCII as it is, the space rule only spaces), so a text holding
# one after NFKC is no page footer ("<" is left out: fold removes markup tags first).
_FOOTER_ASCII_NOISE = re.compile(r"[!-+.:-;=-~]")


# The same characters and their full-width forms (U+FF01–U+FF5E, which NFKC maps to them), looked for in the
# text as given: NFKC keeps such a character or composes it with the combining marks after it into a letter
# or symbol that is no more a digit, dash, comma, slash, space or 第/页/共 than it was (no allowed character
# has a canonical decomposition), so it is no page footer either, and no NFKC is needed to tell.
_RAW_FOOTER_NOISE = re.compile(r"[!-+.:-;=-~！-＋．：-；＝-～]")


def is_page_footer(text: str) -> bool:
    """A page number line (— 3 —, 第3页, 3/7) that a PDF conversion left inside the text (V19)."""
    if "<" not in text and (_RAW_FOOTER_NOISE.search(text) or (
            len(text) > 24 and _FOOTER_ASCII_NOISE.search(nfkc(text)))):
        return False  # a paragraph: not worth folding (fold is the costly part of reading long text)
    return bool(_FOOTER.match(fold(text)))


def _text_line(lines: list[Line], text: str, *, page: int | None, line: int | None, table: int | None = None,
               row: int | None = None, seg: tuple[str, Pieces] | None = None) -> None:
    stripped = text.strip()
    # the fold and the pieces of the text, when the caller computed them for the same (already stripped) text
    folded, known = seg if seg is not None and stripped == text else (None, None)
    if is_page_footer(stripped):
        return
    sec = heading_section(stripped) if len(stripped) <= 60 else None
    if sec and len(stripped) <= 60:
        lines.append(Line(index=len(lines), text=stripped, section=sec, page=page, line=line, table=table, row=row))
        return
    # only a line with digits (or blank-cell tokens) can hold table values
    maybe_values = len(stripped) > 1 and (any(map(str.isdigit, stripped)) or any(b in stripped for b in "—-/无無"))
    pieces: Pieces = ()
    if maybe_values:
        if folded is None:
            folded = fold_keep_length(stripped)
        pieces = known if known is not None else _segment(stripped, folded)
    useful = [p for p in pieces if p[0] in ("row", "marker") and p[3]]
    if useful or any(p[0] == "heading" and heading_section(p[2]) for p in pieces):
        # keep the text for the narrative
        lines.append(Line(index=len(lines), text=stripped, page=page, line=line, table=table, row=row))
        for kind, ref, label, run in pieces:
            if kind == "heading":
                sec = heading_section(label[:60])
                if sec:
                    lines.append(Line(index=len(lines), text=label, section=sec, page=page, line=line,
                                      extra={"inline": True}))
            elif run:
                lines.append(Line(index=len(lines), text=f"{label}{run}", label=label, label_cells=(label,), run=run,
                                  page=page, line=line, extra={"ref": ref, "kind": kind}))
        return
    if folded is None:  # maybe_values is False: a line with no digit (a caption, a label, prose) or of one character
        folded = fold_keep_length(stripped)
    start = _trailing_values_start(folded)
    if start is not None and cjk_count(label_key(stripped[:start])) <= 30:  # a long remark in parentheses is allowed
        label = stripped[:start].strip()
        vals = stripped[start:].split()
        if len(vals) >= 2 or (label and len(vals) == 1 and cjk_count(label) >= 2
                              and not re.search(r"[。，；]", label)):
            lines.append(Line(index=len(lines), text=stripped, label=label, label_cells=(label,), cells=tuple(vals),
                              page=page, line=line, table=table, row=row))
            return
    lines.append(Line(index=len(lines), text=stripped, page=page, line=line, table=table, row=row))


__all__ = ["BLANKS", "Line", "blocks_to_lines", "heading_section", "is_value_cell", "mark_cut", "markers", "segment_flat",
           "split_label_values"]
