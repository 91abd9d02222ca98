"""HTML reader: a report page (often with the site's menus and footers around it) → blocks.

    decode (BOM → <meta charset> → UTF-8 → GB18030/Big5 by charset-normalizer)
      → parse (lxml) → drop chrome (script/style/nav/…, and menu/footer boxes without tables)
      → walk in document order: a data <table> → TableBlock (rowspan/colspan expanded),
        a layout table (one holding tables, or a single column) → walked like a <div>,
        text between block elements and <br> → Paragraph
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..errors import CorruptDocument
from ._cjk import join_lines, normalize_cjk, squash
from ._sniff import check_bytes, is_html, is_mht, translated
from .blocks import Block, Paragraph, TableBlock
from .limits import check_markup
from .registry import Document, ReadOptions, reader

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "gb_2312-80": "gb18030",
            "big5": "big5hkscs", "x-big5": "big5hkscs", "cp950": "big5hkscs", "utf8": "utf-8",
            "unicode": "utf-8", "iso-8859-1": "utf-8", "latin1": "utf-8", "us-ascii": "utf-8"}

_DROP_TAGS = {"script", "style", "noscript", "template", "iframe", "svg", "object", "embed", "canvas", "select",
              "button", "input", "textarea", "nav", "head", "map", "audio", "video"}
_CHROME_TAGS = {"header", "footer", "aside", "form"}
_CHROME_WORDS = re.compile(
    r"(^|[\s_\-])(nav|navbar|menu|breadcrumbs?|crumbs?|footer|foot|header|topbar|top-bar|sidebar|side|share|"
    r"copyright|toolbar|search|login|friendlink|links?|weizhi|dqwz|bottom|banner|skip|print|close|fenxiang)"
    r"($|[\s_\-\d])", re.IGNORECASE)
_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section",
               "article", "main", "blockquote", "pre", "center", "address", "figure", "figcaption", "caption",
               "body", "html", "hr", "tr", "td", "th", "tbody", "thead", "tfoot", "table"}
MAX_SPAN = 500
MAX_COLS = 200
MAX_ROWS = 20000


def decode_html(data: bytes) -> tuple[str, str]:
    """Decode an HTML page: BOM, then a declared charset, then UTF-8, then the CJK legacy encodings."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace"), "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace"), "utf-16"
    m = _META_CHARSET.search(data[:8192])
    if m:
        declared = m.group(1).decode("ascii").lower()
        enc = _ALIASES.get(declared, declared)
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            pass  # declarations lie (a GBK page labelled UTF-8 …): detect instead
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    enc = "gb18030"
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data, cp_isolation=["gb18030", "big5", "utf_8"]).best()
        if best is not None and best.encoding:
            enc = _ALIASES.get(best.encoding.replace("_", "-"), best.encoding)
    except Exception:  # noqa: BLE001 - detection is a hint; GB18030 decodes anything
        enc = "gb18030"
    try:
        return data.decode(enc), enc
    except (UnicodeDecodeError, LookupError):
        return data.decode("gb18030", "replace"), "gb18030"


def mht_html(data: bytes) -> bytes:
    """The HTML part of a MIME web archive (.mht), transfer encoding undone, as UTF-8 with a declaration."""
    import email
    import email.policy

    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True) or b""
            charset = part.get_content_charset()
            if charset:
                enc = _ALIASES.get(charset.lower(), charset.lower())
                try:
                    return b'<meta charset="utf-8">' + payload.decode(enc).encode("utf-8")
                except (LookupError, UnicodeDecodeError):
                    pass
            return payload
    raise CorruptDocument("MHT 网页存档中没有 HTML 内容")


_CHROME_ROLES = ("navigation", "banner", "contentinfo", "search")


@lru_cache(maxsize=4096)  # pure; tags, ids and class names recur (every cell of a table, every page of a site)
def _looks_chrome(tag: str, id_: str | None, cls: str | None, role: str | None) -> bool:
    """A menu, header, footer … by its tag and attributes (its content may still say otherwise: _is_chrome)."""
    if tag in _CHROME_TAGS or role in _CHROME_ROLES:
        return True
    if not (id_ or cls or role):
        return False  # no words to read it by (most elements)
    return _CHROME_WORDS.search(f"{id_ or ''} {cls or ''} {role or ''}") is not None


def _is_chrome(el, tag: str) -> bool:
    """``el`` (an element, whose tag is ``tag``) is a menu, header, footer … to drop."""
    if not _looks_chrome(tag, el.get("id"), el.get("class"), el.get("role")):
        return False
    # never drop the report itself: a box holding a table or a lot of text is content
    if _holds_table(el):
        return False
    if len(_text_of(el)) >= 600:
        return False
    # an article header holding the report's title is content, a breadcrumb naming it is not
    return not any("报告" in _text_of(h) for h in el.iter("h1", "h2", "h3"))


_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def _invisible(el) -> bool:
    style = el.get("style")
    return el.get("hidden") is not None or (style is not None and _HIDDEN_STYLE.search(style) is not None)


def _holds_table(el) -> bool:
    """``el.find(".//table") is not None``, without ElementPath."""
    return next(el.iterdescendants("table"), None) is not None


def _text_of(el) -> str:
    return "".join(el.itertext())


def _drop(el) -> None:
    """Remove an element and its content, keeping the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


_RULE_ATTRS = frozenset(("id", "class", "role", "hidden", "style"))  # the attributes _invisible and _is_chrome read
_RULE_TAGS = _DROP_TAGS | _CHROME_TAGS


def _strip(root) -> list:
    """Drop what the page shows around the report (see _DROP_TAGS, _invisible, _is_chrome). Returns every node of
    the page as parsed: while that list lives, lxml hands out the same Python object for a node each time it is
    reached (the walk that follows reaches each again) instead of making a new one."""
    no_rule_attr = _RULE_ATTRS.isdisjoint
    nodes = list(root.iter())
    # The nodes a rule may drop, with their attribute names, in document order and listed before any drop: the
    # others (most: no drop or chrome tag, none of the attributes the rules read) are neither invisible nor chrome.
    candidates = [(el, keys) for el in nodes
                  if not no_rule_attr(keys := el.keys()) or (tag := el.tag) in _RULE_TAGS or not isinstance(tag, str)]
    for el, keys in candidates:
        tag = el.tag
        if not isinstance(tag, str) or tag in _DROP_TAGS:  # a comment or processing instruction, or never shown
            _drop(el)
        elif "hidden" in keys or "style" in keys:  # _invisible reads these two only
            if _invisible(el) or (tag != "body" and tag != "html" and _is_chrome(el, tag)):
                _drop(el)
        elif tag != "body" and tag != "html" and _is_chrome(el, tag):
            _drop(el)
    return nodes


def _cell_text(cell) -> str:
    if len(cell) == 0:  # no child elements (most cells): its text is its one line
        return _cell_line_text(cell.text or "")
    lines: list[str] = []
    buf: list[str] = []

    def walk(el) -> None:
        if el.tag == "br" or (isinstance(el.tag, str) and el.tag in _BLOCK_TAGS and buf):
            lines.append("".join(buf))
            buf.clear()
        if el.text and el.tag != "br":
            buf.append(el.text)
        for child in el:
            if isinstance(child.tag, str):
                walk(child)
            if child.tail:
                buf.append(child.tail)

    walk(cell)
    lines.append("".join(buf))
    return _cell_lines_text(tuple(lines))


@lru_cache(maxsize=8192)  # pure; the same cell texts recur (labels, 0, 1)
def _cell_lines_text(lines: tuple[str, ...]) -> str:
    return normalize_cjk(join_lines([squash(line) for line in lines]))


@lru_cache(maxsize=8192)  # the same for a cell of one line, keyed by the string itself (no tuple to make and hash)
def _cell_line_text(line: str) -> str:
    return normalize_cjk(join_lines([squash(line)]))


@lru_cache(maxsize=512)  # pure; a page's rowspan/colspan values are a few small numbers, over and over
def _span(value: str | None) -> int:
    if value is None or value == "1":
        return 1
    try:
        n = int(str(value).strip().split(".")[0])
    except (TypeError, ValueError):
        return 1
    return max(1, min(n, MAX_SPAN))


def _grid(rows: list) -> TableBlock:
    """The grid of a table's rows, built row by row (as :func:`grid_from_spans` would from the spans)."""
    rows = rows[:MAX_ROWS]
    n_rows = len(rows)
    # below[c]: the first row not covered at column c by a rowspan of an earlier row. A cell without a rowspan
    # covers only its own row, left of where that row's next cell goes: it never needs recording.
    below: list[int] = []
    covered_to = 0  # max(below): from this row on no column lies under a rowspan
    lines: list[list[str | None]] = []
    line_text = _cell_line_text
    for r, tr in enumerate(rows):
        line: list[str | None] = []  # the row so far: its length is where the next cell may go (c)
        c = 0
        # Some column of this row lies under a rowspan of an earlier row. A rowspan of this row's own cells covers
        # only columns left of where the next cell goes, so without one from above no column is ever skipped.
        under = covered_to > r
        for td in tr:
            tag = td.tag
            if tag != "td" and tag != "th":
                continue
            if under:  # skip the columns under a rowspan (None)
                while c < len(below) and below[c] > r:
                    c += 1
                if len(line) < c:
                    line.extend([None] * (c - len(line)))
            if c >= MAX_COLS:
                break
            text = _cell_text(td) if len(td) else line_text(td.text or "")
            keys = td.keys()
            if not keys or ("rowspan" not in keys and "colspan" not in keys):  # a plain cell (most)
                line.append(text)
                c += 1
                continue
            rs = td.get("rowspan")
            cs = td.get("colspan")
            rs = 1 if rs is None else min(_span(rs), n_rows - r)
            cs = 1 if cs is None else min(_span(cs), MAX_COLS - c)
            if rs > 1:
                end = r + rs
                if len(below) < c + cs:
                    below.extend([0] * (c + cs - len(below)))
                for k in range(c, c + cs):
                    below[k] = max(below[k], end)
                covered_to = max(covered_to, end)
            line.append(text)
            if cs > 1:
                line.extend([None] * (cs - 1))
            c += cs
        # the rest of the row (this row's own cells all lie left of it): under a rowspan from above, or empty
        if len(line) < len(below):
            line.extend([None if below[k] > r else "" for k in range(len(line), len(below))])
        lines.append(line)
    # every row is as wide as the right edge of its last cell or of a rowspan over it: the widest is the table's
    n_cols = max(map(len, lines), default=0)
    return TableBlock(rows=tuple(tuple(line) if len(line) == n_cols else tuple(line + [""] * (n_cols - len(line)))
                                 for line in lines))


LAYOUT_CELL_CHARS = 400  # a data cell hardly holds this much text; a page column (of a 2–3 column layout) does


def _is_layout_rows(rows: list) -> bool:
    """A table used to lay out the page (around the report), not one of the report's tables, by its rows (a table
    with no table inside; one holding tables is always layout): one column, or 2–3 columns with a cell as long
    as a page column. A row wider than 3 columns decides it (a data table) without the rest."""
    widest = 0
    for tr in rows:
        width = 0
        for td in tr:
            tag = td.tag
            if tag == "td" or tag == "th":
                cs = td.get("colspan")
                width += 1 if cs is None else _span(cs)
        if width > 3:
            return False
        widest = max(widest, width)
    if widest <= 1:
        return True
    return any(len(_text_of(td) if len(td) else td.text or "") > LAYOUT_CELL_CHARS
               for tr in rows for td in tr if td.tag in ("td", "th"))


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.buf: list[str] = []

    def flush(self) -> None:
        if not self.buf:  # nothing since the last flush (most block boundaries): no paragraph
            return
        text = normalize_cjk(squash("".join(self.buf)))
        self.buf.clear()
        if text:
            self.blocks.append(Paragraph(text=text))

    def walk(self, el) -> None:
        tag = el.tag
        if not isinstance(tag, str):
            tag = ""
        if tag == "table" and not _holds_table(el):  # a table holding tables lays out the page
            rows = list(el.iter("tr"))  # all its own (no table inside)
            if not _is_layout_rows(rows):
                self.flush()
                grid = _grid(rows)
                if any(any(row) for row in grid.rows):  # some cell has text
                    self.blocks.append(grid)
                return
        if tag == "br":
            self.flush()
            return
        if tag == "pre":  # preformatted: its line breaks are the paragraphs
            self.flush()
            for line in _text_of(el).splitlines():
                self.buf.append(line)
                self.flush()
            return
        block = tag in _BLOCK_TAGS
        if block:
            self.flush()
        # (lxml makes a new string each time .text or .tail is read: each is read once)
        text = el.text
        if text:
            self.buf.append(text)
        for child in el:
            if isinstance(child.tag, str):
                self.walk(child)
            tail = child.tail
            if tail:
                self.buf.append(tail)
        if block:
            self.flush()


_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)(?:</script\s*>|$)", re.IGNORECASE | re.DOTALL)
_SCRIPT_MARKUP = re.compile(r"<\\?/?\s*(?:p|table|tr|td|div|br|span)\b", re.IGNORECASE)
_JS_ESCAPES = (('\\"', '"'), ("\\'", "'"), ("\\/", "/"), ("\\n", "\n"), ("\\t", "\t"), ("\\r", ""))
_JS_UNICODE = re.compile(r"\\u([0-9a-fA-F]{4})")
_PARTIAL_TAG = re.compile(r"(?:<[^<>]{0,400}|&[#a-zA-Z0-9]{0,8})$")  # a page cut inside a tag or an entity
# "<script" in text.lower(), without lowering the page: lower() makes ASCII letters of only two other characters,
# İ (→ i + U+0307, never followed by "pt") and the Kelvin sign (→ k), neither of which can be part of "<script"
_SCRIPT_OPEN = re.compile("<script", re.IGNORECASE | re.ASCII)


def unescape_script(text: str) -> str:
    """Undo a JavaScript string's escapes (``\\"``, ``\\/``, ``\\n``, ``\\u4e00``) around HTML source."""
    if not any(e in text for e, _ in _JS_ESCAPES) and "\\u" not in text:
        return text
    text = _JS_UNICODE.sub(lambda m: chr(int(m.group(1), 16)), text)
    for esc, ch in _JS_ESCAPES:
        text = text.replace(esc, ch)
    return text


def unwrap_scripts(text: str) -> str:
    """A report written by a script (``var content = "<p>…</p><table>…";``, ``document.write('…')``): the
    script's markup is the page's content, so it is taken out of the script (which the walk drops) and its
    string escapes undone. Scripts without markup are left alone (dropped later as chrome)."""
    if _SCRIPT_OPEN.search(text) is None:
        return text

    def repl(m: re.Match[str]) -> str:
        body = m.group(1)
        if len(_SCRIPT_MARKUP.findall(body)) < 4:
            return m.group(0)
        return unescape_script(body)

    return _SCRIPT.sub(repl, text)


def _cut_partial_tag(text: str) -> str:
    """``_PARTIAL_TAG.sub("", text)``, searching only the end: a match is at most 402 characters long (``<`` and
    400 more, or ``&`` and 8, then at most the final newline ``$`` may stand before) and there is at most one
    (after it comes the end or that newline, neither of which starts another)."""
    m = _PARTIAL_TAG.search(text, max(0, len(text) - 410))
    return text if m is None else text[:m.start()] + text[m.end():]


def html_to_blocks(text: str) -> list[Block]:
    from lxml import etree

    text = _XML_DECL.sub("", text, count=1)
    text = _cut_partial_tag(unwrap_scripts(text))  # a page cut inside a tag (…<td>0</) keeps what it printed
    if not text or text.isspace():  # (not text.strip(), without copying the page)
        return []
    try:  # plain lxml elements: no per-node class lookup as in lxml.html
        root = etree.fromstring(text, etree.HTMLParser(remove_comments=True, remove_pis=True))
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise CorruptDocument("网页无法解析（HTML 结构损坏）") from exc
    if root is None:
        return []
    nodes = _strip(root)
    walker = _Walker()
    body = root.find("body")
    walker.walk(body if body is not None else root)
    walker.flush()
    del nodes  # (kept alive until the walk is done: see _strip)
    return walker.blocks


def _is_page(data: bytes) -> bool:
    return is_html(data) or is_mht(data)


@reader("html", extensions=(".html", ".htm", ".shtml", ".xhtml", ".mht", ".mhtml"), sniff=_is_page)
def read_html(data: bytes, options: ReadOptions) -> Document:
    """Read an HTML page into blocks."""
    check_bytes(data, options)
    check_markup(data)
    with translated("网页文件"):
        if is_mht(data):
            data = mht_html(data)
        text, encoding = decode_html(data)
        return Document(html_to_blocks(text), kind="html", encoding=encoding)


__all__ = ["decode_html", "html_to_blocks", "mht_html", "read_html", "unescape_script", "unwrap_scripts"]
