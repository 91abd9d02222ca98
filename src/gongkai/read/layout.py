"""Layout: a reader's blocks → the same table rows whatever carried them.

Web pages reach us in whatever shape their CMS, mirror or crawler produced. The same table row may be

* a pipe row without a Markdown rule (``规章 | 0 | 0 | 0 |``, captions ``第二十条第(一)项 | |||``),
* one cell per line, with or without blank lines between (``规章`` / ``0`` / ``0`` / ``0``),
* one cell per line ending in `` |``, with ``|||`` spacer lines where merged cells were,
* cells separated by a bare ``|`` line, by tabs, or a Markdown table,
* an HTML table (pasted as source, quotes escaped as ``\\"``, ``&nbsp;``),

and mirror sites print Traditional characters, some with the pinyin after each one (``項(xiàng)``).
This stage turns every one of these into :class:`~gongkai.read.blocks.TableBlock` rows (a row: its label
cells, then its value cells), so that everything after it (lines, alignment, cells, repair) sees one form.

A stream of one-cell lines is cut into rows at each text cell that follows a value cell; the text cells
before a run of values are its label, except the table's column headers, captions and headings, which
stay text (they name the format and the section; see :func:`is_header`).
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

from rapidfuzz import fuzz

from ..formats import FORMATS
from .blocks import Block, Paragraph, TableBlock
from .normalize import fold, label_key, leading_number
from .numbers import CHANGE_WORDS

# --- text clean-up ---------------------------------------------------------------------------------
# "(" first, then the look-behind (the character before it is CJK): the same matches as a look-behind
# written first, but the regex engine can skip ahead to each "(" instead of trying every position
_RUBY = re.compile(r"\((?<=[\u3400-\u9fff]\()([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ]{1,7})\)")
_ENTITY = re.compile(r"&(?:#\d{2,6}|#x[0-9a-fA-F]{2,5}|[a-zA-Z]{2,8});")


def strip_ruby(text: str) -> str:
    """Drop the pinyin a mirror site inserts after each character (``項(xiàng)目`` → ``項目``)."""
    return _RUBY.sub("", text) if "(" in text else text


def has_ruby(text: str) -> bool:
    """Does the text carry inserted pinyin (several ``字(zì)`` readings, not one stray parenthetical)?"""
    return len(_RUBY.findall(text[:20000])) >= 3


def clean_text(text: str, *, ruby: bool) -> str:
    if ruby:
        text = strip_ruby(text)
    if "&" in text and _ENTITY.search(text):
        text = html.unescape(text).replace("\xa0", " ")
    return text


# --- cells of a line -------------------------------------------------------------------------------
_RULE = re.compile(r"^[\s|:：\-—–=+]*$")
_PIPE_SPLIT = re.compile(r"(?<!\\)\|")


def split_cells(text: str) -> list[str] | None:
    """The cells of a line that prints its cell boundaries (``|`` or tabs); None for a plain line."""
    return _split_stripped(text, text.strip())


def _split_stripped(text: str, s: str) -> list[str] | None:
    """:func:`split_cells` of ``text``, given ``s``, the text stripped."""
    if "|" in s:
        # with no backslash, no "|" is escaped: a plain split is the same as the pattern's
        parts = s.split("|") if "\\" not in s else _PIPE_SPLIT.split(s)
        lo = 1 if s[0] == "|" else 0  # the boundary that opens the line, and the one that closes it, bound no cell
        hi = len(parts) - 1 if s[-1] == "|" and len(parts) > lo else len(parts)
        return list(map(str.strip, parts[lo:hi]))
    if "\t" in text and "\t" in text.strip(" \r\n"):  # trailing tabs are empty cells
        return [c.strip() for c in text.strip("\r\n").split("\t")]  # positions kept: a leading tab is an empty cell
    return None


# a value printed alone in its cell: a count, an amount, a signed or worded change, or a blank mark
_VALUE = re.compile(
    r"^(?:[+\-]?\d[\d,]*(?:\.\d+)?\s*(?:万元|元|件|个|项|条)?(?:\s*[(（][^()（）]{0,30}[)）])?"
    rf"|(?:{CHANGE_WORDS})\s*\d[\d,]*(?:\.\d+)?"
    r"|[/／—–\-－]{1,3}|无|無|\\)$")
_HAS_DIGIT = re.compile(r"[0-9０-９]")
_SPACED_VALUES = re.compile(r"^[+\-]?\d[\d,]*(?:\.\d+)?(?:\s+(?:[+\-]?\d[\d,]*(?:\.\d+)?|[/\-—–]))+$")
_NUMBERISH = re.compile(r"^[\d\s+\-—–/.,，%]*\d[\d\s+\-—–/.,，%]*$")  # a garbled number (--253) is still a value
_BLANK_MARKS = frozenset("/／—–-－无無\\")
_HAS_DIGIT_OR_BLANK_MARK = re.compile("[0-9０-９" + re.escape("".join(sorted(_BLANK_MARKS))) + "]")


def is_value(cell: str) -> bool:
    if len(cell) > 40 or not _HAS_DIGIT_OR_BLANK_MARK.search(cell):
        return False  # cheap: no digit and no blank mark (most text), or far too long for a cell
    return _is_value(cell)


@lru_cache(maxsize=8192)  # pure; the cells of the national tables (0, 1, /, …) recur in every report
def _is_value(cell: str) -> bool:
    s = fold(cell)
    return bool(s) and (bool(_VALUE.match(s)) or (len(s) <= 20 and bool(_NUMBERISH.match(s))))


# --- what is a header ------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Vocabulary:
    headers: frozenset[str]  # label keys of column headers, column groups, captions, stubs, notes
    rows: frozenset[str]  # label keys of row labels (and their aliases)


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    headers: set[str] = {"信息内容", "申请人情况"}
    rows: set[str] = set()
    for fmt in FORMATS.values():
        for table in fmt.tables:
            for text in (table.caption, table.stub, table.note):
                if text:
                    headers.add(label_key(text))
            for col in table.columns:
                headers.update(label_key(lab) for lab in col.labels)
            for grp, _ in table.column_groups:
                headers.add(label_key(grp))
            for row in table.rows:
                rows.update(label_key(lab) for lab in row.labels)
    headers.discard("")
    rows.discard("")
    return _Vocabulary(frozenset(headers), frozenset(rows))


_CAPTION = re.compile(r"第二十条第?\s*[(（]?\s*[一二三四五六七八九十]+\s*[)）]?\s*项")


@lru_cache(maxsize=4096)
def is_header(cell: str) -> bool:
    """A column header, column group, caption, note or section heading (never a row's label)."""
    s = fold(cell)
    if _CAPTION.search(s) or "勾稽关系" in s:
        return True
    from .lines import heading_section  # the section headings are defined with the lines

    if heading_section(s):
        return True
    if leading_number(s):
        return False
    key = label_key(s)
    if not key:
        return False
    voc = _vocabulary()
    if key in voc.headers:
        return True
    if len(key) >= 4 and key not in voc.rows:
        return any(fuzz.ratio(key, h) >= 88 for h in voc.headers if abs(len(h) - len(key)) <= 2)
    return False


def _is_row_label(cell: str) -> bool:
    return label_key(cell) in _vocabulary().rows


# --- one-cell lines → rows ---------------------------------------------------------------------------
MAX_CELL_TEXT = 80  # a longer line is narrative, never a table cell
MAX_LABEL_CELLS = 3
MIN_UNLABELLED_ROW = 4  # fewer values with no label are detached cells, not a row


@dataclass
class _Item:
    # "row" (printed boundaries), "value", "values" (spaced numbers), "empty" (an empty cell), "text" (a cell),
    # "spacer" (|||, a Markdown rule, a separating |), "para" (narrative, or a line that holds a whole row)
    kind: str
    cells: tuple[str, ...] = ()
    block: Paragraph | None = None


_PAREN_OPEN = re.compile(r"[(（]")
_ANNOTATION = re.compile(r"^[(（][^()（）]*[)）]$")
_ENDS_IN_NUMBER = re.compile(r"[\d/]\s*$")


def _value_row(item: _Item, text: str) -> bool:
    """A line of values with cell boundaries that does not open a Markdown row (``0 | 0 | 0 |``): the rest
    of the row whose label is on the line above or whose first cells are on the line before. ``text`` is the
    item's line, stripped."""
    return (item.kind == "row" and item.block is not None and not text.startswith("|")
            and all(is_value(c) for c in item.cells if c))


def _bare_pipe_is_empty_cell(blocks: list[Block]) -> bool:
    """Does a line holding only ``|`` stand for an empty cell (cells printed as ``0 |``, so a bare boundary
    is a cell with nothing in it) or only separate cells (``0`` / ``|`` / ``0``)? Decided by the document."""
    closed = plain = 0
    for b in blocks:
        if isinstance(b, Paragraph):
            t = b.text.strip()
            if t and t != "|" and "\n" not in t and len(t) <= MAX_CELL_TEXT:
                if t.endswith("|") and t.count("|") == 1:
                    closed += 1
                elif "|" not in t:
                    plain += 1
    return closed >= plain


def _classify(p: Paragraph, *, bare_pipe_empty: bool = True, text: str | None = None) -> _Item:
    if text is None:
        text = p.text.strip()
    if "\n" in text:
        return _Item("para", block=p)
    cells = _split_stripped(p.text, text)
    if cells is not None:
        present = list(filter(None, cells))
        if text == "|":
            # an empty cell (cells printed as "0 |"), or only the boundary between cells ("0" / "|" / "0")
            return _Item("empty", ("",), block=p) if bare_pipe_empty else _Item("spacer", block=p)
        if not present or _RULE.match(text):
            return _Item("spacer", block=p)  # ||| where merged cells were, a Markdown rule
        # printed cell boundaries make a row, even with one cell filled (| 规章 | | |); a single cell that
        # only trails boundaries (9000 | ||, 本年处理决定数量 | ||) is one cell of a cell-per-line table
        if (len(present) >= 2 or (len(cells) >= 2 and (text.startswith("|") or "|" not in text))  # tabs: always
                or (len(cells) >= 3 and _is_row_label(present[0]))):  # 政府集中采购 | |||: a row of blanks
            return _Item("row", tuple(cells), block=p)
        text = present[0]
    if len(text) > MAX_CELL_TEXT:
        head = _PAREN_OPEN.split(text, maxsplit=1)[0]
        if len(head) > 30 or not _is_row_label(head):
            return _Item("para", block=p)  # narrative; a row label may carry a long remark in parentheses
    if _HAS_DIGIT.search(text) and _SPACED_VALUES.match(fold(text)):
        return _Item("values", tuple(text.split()), block=p)  # a row's numbers on a line of their own
    if is_value(text):
        return _Item("value", (text,), block=p)
    if not _ENDS_IN_NUMBER.search(text):
        return _Item("text", (text,), block=p)
    # a line that already holds a row (``规章 0 0 0``, flattened ``规章000``; not a value, see above): left
    # to the line stage
    return _Item("para", block=p)


def _label_split(texts: list[str], n_values: int) -> tuple[list[str], list[str]]:
    """The text cells before a run of values → (text lines before the row, the row's label cells)."""
    label: list[str] = []
    if not texts:
        return [], []
    i = len(texts) - 1
    last = texts[i]
    if _ANNOTATION.match(fold(last)) or (is_header(last) and not (_is_row_label(last) and n_values <= 10)):
        return texts, []  # values straight after the headers (section 四's single row), or after a remark
    label.append(last)
    i -= 1
    while i >= 0 and len(label) < MAX_LABEL_CELLS:
        t = texts[i]
        if is_header(t) or (len(t) > 60 and not _is_row_label(t)):
            break
        label.insert(0, t)
        i -= 1
    return texts[: i + 1], label


def _cell_paragraph(text: str, block: Paragraph) -> Paragraph:
    """A paragraph of one cell's text, at the block's place (the block itself when it holds just that text:
    an equal paragraph, not built again)."""
    return block if block.text == text else Paragraph(text, page=block.page, line=block.line)


def group_rows(blocks: list[Block]) -> list[Block]:
    """Rebuild table rows from paragraphs that carry cells (see the module docstring)."""
    if not any(isinstance(b, Paragraph) for b in blocks):
        return blocks
    out: list[Block] = []
    rows: list[tuple[tuple[str, ...], Paragraph]] = []
    texts: list[Paragraph] = []
    values: list[Paragraph] = []

    def close_table() -> None:
        nonlocal open_row
        open_row = None
        if rows:
            first = rows[0][1]
            out.append(TableBlock(rows=tuple(r for r, _ in rows), page=first.page, line=first.line))
            rows.clear()

    def emit_text(ps: list[Paragraph]) -> None:
        if ps:
            close_table()
            out.extend(ps)

    def flush() -> None:
        if not values and not texts:
            return  # nothing to emit, nothing to clear
        if values:
            before, label = _label_split([p.text.strip() for p in texts], len(values))
            if not label and len(values) < MIN_UNLABELLED_ROW:
                # a number or two on their own lines (detached cells, V20): left as text for the line stage
                emit_text(list(texts) + [v for v in values if v.text])
                texts.clear()
                values.clear()
                return
            emit_text(texts[: len(before)])
            cells = tuple(p.text for p in values)
            anchor = texts[len(before)] if label else values[0]
            rows.append(((*label, *cells), anchor))
        else:
            emit_text(list(texts))
        texts.clear()
        values.clear()

    bare_pipe_empty: bool | None = None  # decided by the whole document, when a bare "|" line needs it
    open_row: int | None = None  # the row (index in rows) that cell lines may still continue
    last_bar = False  # the previous line was a bare "|" separating cells
    for block in blocks:
        if not isinstance(block, Paragraph):
            flush()
            close_table()
            out.append(block)
            continue
        text = block.text.strip()
        if text == "|" and bare_pipe_empty is None:
            bare_pipe_empty = _bare_pipe_is_empty_cell(blocks)
        # the flag only matters for a bare "|" line
        item = _classify(block, bare_pipe_empty=bare_pipe_empty is not False, text=text)
        kind = item.kind
        bar = kind == "spacer" and text == "|"
        if bar and last_bar:
            item = _Item("empty", ("",), block=block)  # "|" / (nothing) / "|": the empty cell between separators
            kind = "empty"
        last_bar = bar and kind == "spacer"
        if (open_row is not None and not texts and not values
                and (kind in ("value", "values", "empty") or _value_row(item, text))):
            # a row printed over several lines (label | 25 |, then |, |, | 25 |): its cells continue
            rows[open_row] = ((*rows[open_row][0], *item.cells), rows[open_row][1])
            continue
        open_row = None
        if kind == "values":
            values.extend(Paragraph(c, page=block.page, line=block.line) for c in item.cells)
        elif kind == "value" or (kind == "empty" and (values or (texts and not is_header(texts[-1].text)))):
            values.append(_cell_paragraph(item.cells[0], block))
        elif kind == "empty":
            continue  # an empty cell before any value: a header row's trailing boundary
        elif kind == "text":
            if values:
                flush()
            texts.append(_cell_paragraph(item.cells[0], block))
        elif kind == "spacer":
            continue
        elif texts and _value_row(item, text):
            values.extend(Paragraph(c, page=block.page, line=block.line) for c in item.cells)  # label on the line above
        elif kind == "row":
            if texts or values:
                flush()
            rows.append((item.cells, block))
            filled = list(filter(None, item.cells))
            if len(filled) >= 2 and is_value(filled[-1]) and not is_value(filled[0]):
                open_row = len(rows) - 1
        else:
            flush()
            close_table()
            out.append(block)
    flush()
    close_table()
    return out


def normalize_blocks(blocks: list[Block]) -> list[Block]:
    """Clean the text of every block (pinyin readings, HTML entities), then rebuild rows from cell lines."""
    sample = " ".join([b.text for b in blocks[:400] if isinstance(b, Paragraph)])
    if len(sample) < 20000:
        sample += " ".join([c or "" for b in blocks[:50] if isinstance(b, TableBlock) for r in b.rows for c in r])
    ruby = has_ruby(sample)
    cleaned: list[Block] = []
    for b in blocks:
        if isinstance(b, Paragraph) and not ruby and "&" not in b.text:
            cleaned.append(b)  # clean_text changes nothing (no pinyin to strip, no entity)
        elif isinstance(b, Paragraph):
            t = clean_text(b.text, ruby=ruby)
            cleaned.append(b if t == b.text else Paragraph(t, page=b.page, line=b.line))
        elif not ruby and "&" not in "".join(filter(None, chain.from_iterable(b.rows))):
            cleaned.append(b)  # no cell holds an "&" (no character spans two cells): clean_text changes none
        else:
            rows = tuple(tuple(None if c is None else clean_text(c, ruby=ruby) for c in r) for r in b.rows)
            cleaned.append(b if rows == b.rows else TableBlock(rows=rows, page=b.page, line=b.line,
                                                               confidence=b.confidence, pages=b.pages))
    return group_rows(_join_numerals(cleaned))


_LONE_NUMERAL = re.compile(r"^\s*[一二三四五六七八九十]{1,2}\s*[、.．]\s*$")


def _join_numerals(blocks: list[Block]) -> list[Block]:
    """A section numeral printed on a line of its own (``二、`` / ``主动公开政府信息情况``) joins its heading."""
    out: list[Block] = []
    lone = False  # the last block out is a paragraph holding a lone numeral
    for b in blocks:
        if lone and isinstance(b, Paragraph) and b.text.strip() and "|" not in b.text:
            prev = out[-1]
            out[-1] = Paragraph(prev.text.strip() + b.text.strip(), page=prev.page, line=prev.line)
        else:
            out.append(b)
        last = out[-1]
        lone = isinstance(last, Paragraph) and _LONE_NUMERAL.match(last.text) is not None
    return out


__all__ = ["clean_text", "group_rows", "has_ruby", "is_header", "is_value", "normalize_blocks", "split_cells", "strip_ruby"]
