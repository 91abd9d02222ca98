"""Numbers: cell texts → values, and digit runs → cells (V4, V16, V20).

* :func:`parse_cell` reads one printed cell: ``12``, ``1,234``, ``190.457379``, ``-18``, ``22（其中修订16件）``
  (value 22, the annotation kept as a note), ``/`` ``-`` ``—`` ``无`` or empty (0, blank), ``3985758元``
  (unit kept). Anything else is garbage (an OCR misreading) and has no value.
* :func:`cell_tokens` turns a row's value cells into exactly ``n`` tokens when it can (dropping layout
  blanks and stray garbage) and says when it cannot.
* :func:`split_run` enumerates every way to cut a digit run with no cell boundaries into ``n`` numbers
  (no leading zeros unless the number is 0; whitespace is a boundary), optionally keeping only
  the splits a constraint accepts (I4 for a row of 三, I5 for 四).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from ..formats import ValueType
from .normalize import fold

Number = int | Decimal

_NUM = re.compile(r"^(?P<sign>[+\-]?)\s*(?P<int>\d[\d,]*)(?:\.(?P<frac>\d+))?\s*(?P<unit>万元|元|件|个|项|条)?"
                  r"\s*(?P<note>[(（][^()（）]*[)）])?\s*$")
CHANGE_WORDS = "增加|增长|新增|增|上升|减少|减|下降"  # 2019-trial 本年增/减 printed as words (增加3, 减少8)
_WORDED_CHANGE = re.compile(rf"^({CHANGE_WORDS})\s*(?=\d)")
_DECREASE = frozenset({"减少", "减", "下降"})
MAX_DIGITS = 15  # no count or amount in a report has more digits; longer runs of digits are not numbers
_BLANKS = frozenset({"", "/", "-", "--", "—", "——", "–", "无", "空", "\\", "×", "─", "/ ", "_"})
_MONEY = (ValueType.WAN_YUAN, ValueType.MONEY)


@dataclass(frozen=True)
class Token:
    """One cell's reading: a value, a blank, or garbage (value None)."""

    value: Number | None
    kind: str  # "ok" | "blank" | "garbage"
    raw: str
    unit: str | None = None
    note: str | None = None
    confidence: float | None = field(default=None, compare=False)  # the OCR engine's, of the cell read


@lru_cache(maxsize=8192)
def parse_cell(text: str, vtype: ValueType = ValueType.INT) -> Token:
    """One printed cell as a value, a blank or garbage (see the module docstring)."""
    raw = text
    s = fold(text).replace("，", ",").strip()
    if s in _BLANKS:
        return Token(_zero(vtype), "blank", raw)
    worded = _WORDED_CHANGE.match(s)
    if worded:  # 2019-trial 本年增/减 printed as words: 增加3, 减少8
        if vtype is not ValueType.SIGNED_INT:
            return Token(None, "garbage", raw)
        s = ("-" if worded.group(1) in _DECREASE else "+") + s[worded.end():]
    m = _NUM.match(s)
    if not m:
        return Token(None, "garbage", raw)
    int_part = m.group("int").replace(",", "")
    if len(int_part) > MAX_DIGITS:
        return Token(None, "garbage", raw)
    if len(int_part) > 1 and int_part.startswith("0") and "," not in m.group("int"):
        return Token(None, "garbage", raw)
    sign = m.group("sign")
    frac = m.group("frac")
    unit = m.group("unit")
    note = m.group("note")
    note = note[1:-1].strip() if note else None
    try:
        if vtype in _MONEY:
            value: Number = Decimal(f"{'-' if sign == '-' else ''}{int_part}{'.' + frac if frac else ''}")
            if sign == "-":
                return Token(None, "garbage", raw)
        else:
            if frac and set(frac) != {"0"}:
                return Token(None, "garbage", raw)  # 191.149 in a count column
            value = int(int_part)
            if sign == "-":
                if vtype is not ValueType.SIGNED_INT:
                    return Token(None, "garbage", raw)
                value = -value
    except (InvalidOperation, ValueError):
        return Token(None, "garbage", raw)
    return Token(value, "ok", raw, unit=unit if unit in ("元", "万元") else None, note=note)


def _zero(vtype: ValueType) -> Number:
    return Decimal(0) if vtype in _MONEY else 0


_MERGED = re.compile(r"(?:[+\-]?\d[\d,]*(?:\.\d+)?\s+)+[+\-]?\d[\d,]*(?:\.\d+)?")
_NOISE_NUMBER = re.compile(r"(\S{1,3})\s+(\d+)")
_SIGNED_DIGIT = re.compile(r"[\d+\-]")


@lru_cache(maxsize=16384)  # pure; the same cell texts recur (0, 1, blanks)
def _expand(cell: str) -> tuple[str, ...]:
    """A cell that holds several space-separated numbers (OCR merged two cells) → its parts."""
    s = fold(cell).strip()
    if _MERGED.fullmatch(s):
        return tuple(s.split())
    m = _NOISE_NUMBER.fullmatch(s)
    if m and not _SIGNED_DIGIT.match(m.group(1)):
        return (m.group(2),)  # 组织 0: CJK noise before a number
    return (cell,)


@lru_cache(maxsize=16384)  # pure, of a cell text and a column type (0, 1, blanks recur)
def _single_part(cell: str, vtype: ValueType) -> Token | None:
    """``parse_cell`` of the cell's one part as a ``vtype`` value; None when :func:`_expand` gives it more."""
    parts = _expand(cell)
    return parse_cell(parts[0], vtype) if len(parts) == 1 else None


def with_confidence(tok: Token, confidence: float | None) -> Token:
    """The token with the OCR confidence of the cell it was read from (tokens of parse_cell are shared)."""
    return tok if confidence is None or tok.confidence == confidence else replace(tok, confidence=confidence)


def cell_tokens(cells: Sequence[str], types: Sequence[ValueType],
                confidence: Sequence[float | None] = ()) -> tuple[list[Token], bool]:
    """Exactly ``len(types)`` tokens from a row's value cells; the flag says whether they fit.

    Layout blanks at either end are dropped first, then stray garbage, when there are too many.
    When there are too few, the tokens are returned as read and the flag is False. ``confidence``
    (parallel to ``cells``, from OCR) goes with each token read from a cell, both parts of a merged one.
    """
    n = len(types)
    if len(cells) == n:
        single = list(map(_single_part, cells, types))
        if all(single):  # every cell one part (a Token is always true, None is not)
            # one part per cell and as many cells as columns (most rows): nothing to drop, each part read
            # once with its column's type — what the general path below gives, without its second reading
            if not confidence:  # (with_confidence(tok, None) is tok)
                return single, True  # type: ignore[return-value]
            return [with_confidence(t, confidence[k] if k < len(confidence) else None)  # type: ignore[arg-type]
                    for k, t in enumerate(single)], True
    parts: list[tuple[str, float | None]] = []
    for k, c in enumerate(cells):
        conf = confidence[k] if k < len(confidence) else None
        parts.extend((p, conf) for p in _expand(c))
    toks = [with_confidence(parse_cell(p, types[min(i, n - 1)] if n else ValueType.INT), conf)
            for i, (p, conf) in enumerate(parts)]
    while len(toks) > n and toks and toks[-1].kind == "blank" and not toks[-1].raw.strip():
        toks.pop()
    while len(toks) > n and toks and toks[0].kind == "blank" and not toks[0].raw.strip():
        toks.pop(0)
    while len(toks) > n and toks and toks[-1].kind == "blank":
        toks.pop()
    while len(toks) > n and toks and toks[0].kind == "blank":
        toks.pop(0)
    while len(toks) > n and any(t.kind == "garbage" for t in toks):
        idx = max(i for i, t in enumerate(toks) if t.kind == "garbage")
        toks.pop(idx)
    if len(toks) == n:
        # re-read with the right type per position (money columns)
        toks = [with_confidence(parse_cell(t.raw, types[i]), t.confidence) if t.kind != "garbage" else t
                for i, t in enumerate(toks)]
        return toks, True
    return toks, False


# --- digit runs ----------------------------------------------------------------------------------
_UNIT_TAIL = re.compile(r"(万元|元)\s*$")


def _number_patterns(vtype: ValueType) -> re.Pattern[str]:
    if vtype in _MONEY:
        return re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?")
    if vtype is ValueType.SIGNED_INT:
        return re.compile(r"[+\-]?(?:0|[1-9]\d*)")
    return re.compile(r"0|[1-9]\d*")


def split_run(run: str, types: Sequence[ValueType], *,
              accept: Callable[[tuple[Number, ...]], bool] | None = None,
              limit: int = 200_000) -> tuple[list[tuple[Number, ...]], str | None, bool]:
    """Every split of ``run`` into ``len(types)`` numbers that ``accept`` keeps.

    Returns (splits, unit printed at the end of the run, complete) — ``complete`` is False when the
    search hit ``limit`` steps (the caller must then treat the result as uncertain).
    """
    s = fold(run).replace(",", "").replace("，", "")
    if sum(c.isdigit() for c in s) > MAX_DIGITS * len(types):
        return [], None, False
    unit = None
    m = _UNIT_TAIL.search(s)
    if m:
        unit = m.group(1)
        s = s[: m.start()]
    chunks = [c for c in re.split(r"\s+", s.strip()) if c]
    n = len(types)
    out: list[tuple[Number, ...]] = []
    steps = [0]
    pats = [_number_patterns(t) for t in types]

    def conv(text: str, vtype: ValueType) -> Number:
        if vtype in _MONEY:
            return Decimal(text)
        return int(text)

    def prefixes(chunk: str, pos: int, k: int) -> Iterator[int]:
        """End positions of a number of column k starting at pos in chunk."""
        vtype = types[k]
        sign = 0
        if pos < len(chunk) and chunk[pos] in "+-":
            if vtype is not ValueType.SIGNED_INT:
                return
            sign = 1
        p = pos + sign
        if p >= len(chunk) or not chunk[p].isdigit():
            return
        if chunk[p] == "0":
            ends = [p + 1]
        else:
            ends = []
            q = p
            while q < len(chunk) and chunk[q].isdigit():
                q += 1
                ends.append(q)
        for e in ends:
            if vtype in _MONEY and e < len(chunk) and chunk[e] == ".":
                q = e + 1
                while q < len(chunk) and chunk[q].isdigit():
                    q += 1
                    yield q
            yield e

    cur: list[Number] = []

    def rec(ci: int, pos: int, k: int) -> None:
        if steps[0] > limit:
            return
        steps[0] += 1
        if ci < len(chunks) and pos == len(chunks[ci]):
            ci, pos = ci + 1, 0
        if k == n:
            if ci == len(chunks):
                tup = tuple(cur)
                if accept is None or accept(tup):
                    out.append(tup)
            return
        if ci >= len(chunks):
            return
        remaining_cells = n - k
        remaining_chars = len(chunks[ci]) - pos + sum(len(c) for c in chunks[ci + 1:])
        if remaining_chars < remaining_cells:
            return
        chunk = chunks[ci]
        for e in prefixes(chunk, pos, k):
            text = chunk[pos:e]
            if not pats[k].fullmatch(text):
                continue
            cur.append(conv(text, types[k]))
            rec(ci, e, k + 1)
            cur.pop()

    if chunks:
        rec(0, 0, 0)
    return out, unit, steps[0] <= limit


def i4_accept(values: tuple[Number, ...]) -> bool:
    """A row of 三: the last cell (总计) is the sum of the six before it."""
    return sum(values[:-1]) == values[-1]


def i5_accept(values: tuple[Number, ...]) -> bool:
    """Section 四: each block of five ends with the sum of its first four."""
    return all(sum(values[b:b + 4]) == values[b + 4] for b in range(0, len(values) - 4, 5))


def _prepare(run: str) -> str:
    """Digits with "|" where the text had whitespace (a boundary no number crosses)."""
    s = fold(run).replace(",", "")
    return "|".join(c for c in re.split(r"\s+", s.strip()) if c)


def _numbers_at(s: str, p: int) -> Iterator[tuple[int, int]]:
    """(value, next position) of every count that can start at p (no leading zeros), shortest first."""
    if p >= len(s) or not s[p].isdigit():
        return
    if s[p] == "0":
        ends = [p + 1]
    else:
        ends = []
        q = p
        while q < len(s) and s[q].isdigit() and q - p < MAX_DIGITS:
            q += 1
            ends.append(q)
    for e in ends:
        nxt = e + 1 if e < len(s) and s[e] == "|" else e
        yield int(s[p:e]), nxt


def split_row(run: str, parts: int = 6, *, limit: int = 50_000) -> tuple[list[tuple[int, ...]], bool]:
    """Splits of a row of 三 into ``parts`` counts and their total (I4), the total last.

    The total is chosen first (a suffix of the run); then the parts, by a memoised search over
    (position, parts left, sum left), pruned by length: a number is never longer than what is left
    of the sum, so the digits left must fit in the parts left.
    """
    s = _prepare(run)
    if not s or not re.fullmatch(r"[\d|]+", s):
        return [], True
    if len(s) > 12 * (parts + 1):
        return [], False  # far longer than any real row of 三
    starts = [list(_numbers_at(s, p)) for p in range(len(s))]
    digits_after = [0] * (len(s) + 1)
    for q in range(len(s) - 1, -1, -1):
        digits_after[q] = digits_after[q + 1] + (s[q] != "|")
    out: list[tuple[int, ...]] = []
    steps = 0
    last_sep = s.rfind("|")
    for t_start in range(last_sep + 1, len(s)):
        ttext = s[t_start:]
        if (len(ttext) > 1 and ttext[0] == "0") or t_start == 0:
            continue
        end = t_start  # the parts fill s[:end] (a "|" just before the total is skipped)
        memo: dict[tuple[int, int, int], list[tuple[int, ...]]] = {}

        def solve(p: int, k: int, left: int, end: int = end,
                  memo: dict[tuple[int, int, int], list[tuple[int, ...]]] = memo) -> list[tuple[int, ...]]:
            nonlocal steps
            key = (p, k, left)
            if key in memo:
                return memo[key]
            steps += 1
            res: list[tuple[int, ...]] = []
            if steps > limit:
                return res
            if k == parts:
                if left == 0 and (p == end or (p == end - 1 and s[p] == "|")):
                    res.append(())
            elif _fits(digits_after[p] - digits_after[end], parts - k, left):
                for v, nxt in starts[p] if p < end else ():
                    if v > left or nxt > end:
                        break
                    for tail in solve(nxt, k + 1, left - v):
                        res.append((v, *tail))
            memo[key] = res
            return res

        total = int(ttext)
        out.extend((*t, total) for t in solve(0, 0, total))
    return out, steps <= limit


def _fits(digits: int, numbers: int, total: int) -> bool:
    """Can ``digits`` digits be cut into ``numbers`` counts summing to ``total``? (a necessary condition:
    none is longer than the total, and the largest is at least the average)"""
    if digits < numbers or digits > numbers * len(str(total)):
        return False
    largest = -(-total // numbers)
    return digits >= len(str(largest)) + numbers - 1


def split_s4(run: str, *, blocks: int = 3, parts: int = 4,
             limit: int = 200_000) -> tuple[list[tuple[int, ...]], bool]:
    """Split a run of section 四 into 15 counts, block by block: four results, then their total (I5)."""
    s = _prepare(run)
    if not s or not re.fullmatch(r"[\d|]+", s):
        return [], True
    tokens = s.split("|")
    if len(s) > 10 * blocks * (parts + 1):
        return [], False  # far longer than any real section 四
    if len(tokens) == blocks * (parts + 1) and all(t == "0" or not t.startswith("0") for t in tokens):
        return [tuple(int(t) for t in tokens)], True
    out: list[tuple[int, ...]] = []
    steps = 0
    cur: list[int] = []
    digits_after = [0] * (len(s) + 1)
    for q in range(len(s) - 1, -1, -1):
        digits_after[q] = digits_after[q + 1] + (s[q] != "|")

    def rec(p: int, b: int, k: int, acc: int) -> None:
        nonlocal steps
        steps += 1
        if steps > limit:
            return
        if b == blocks:
            if p == len(s):
                out.append(tuple(cur))
            return
        if digits_after[p] < len(str(acc)) + (parts - k) + (blocks - b - 1) * (parts + 1):
            return  # the rest cannot hold this block's total and the blocks after it
        if k == parts:
            t = str(acc)
            if s.startswith(t, p):
                e = p + len(t)
                if e == len(s) or s[e] == "|" or s[e].isdigit():
                    nxt = e + 1 if e < len(s) and s[e] == "|" else e
                    cur.append(acc)
                    rec(nxt, b + 1, 0, 0)
                    cur.pop()
            return
        for v, nxt in _numbers_at(s, p):
            cur.append(v)
            rec(nxt, b, k + 1, acc + v)
            cur.pop()

    rec(0, 0, 0, 0)
    return out, steps <= limit


__all__ = ["CHANGE_WORDS", "Number", "Token", "cell_tokens", "i4_accept", "i5_accept", "parse_cell", "split_row", "split_run",
           "split_s4", "with_confidence"]
