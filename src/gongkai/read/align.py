"""Alignment: lines → rows and columns of the format.

* Regions: the headings of sections 二, 三, 四 (key phrases, V9) cut the lines into regions; when a
  heading is missing, the labels decide.
* Section 二: each table row by its label (fuzzy, parentheticals stripped, V3/V7); the format of the
  section from the signals of each format (V1/V2).
* Section 三: a monotone alignment (dynamic programming) of the candidate rows to the official row
  order, scoring fuzzy label similarity (rapidfuzz) and letting unlabeled rows fill the gaps by
  position (V12, V18). Three row orders are tried: 2021 with （六） as three children, 2021 with
  （六） printed as one row (V17), and 2019-trial; the best wins. Group rows that carry numbers are
  kept as subtotals (V15).
* Section 四: the numbers of its region, in order (one row of 15, three rows of 5, or a digit run).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from ..formats import FORMATS, Format, Row, RowKind, get_format
from .layout import is_header
from .lines import Line
from .normalize import cjk_count, fold, label_key, leading_number


@dataclass
class S3Match:
    row: Row  # a row of the format's table 三 (a group row when a subtotal)
    line: Line
    score: float
    by_position: bool = False  # placed only by row order, in a gap whose size does not match


@dataclass
class Alignment:
    s2_format: str | None = None
    s2: dict[str, Line] = field(default_factory=dict)  # row key -> line
    s2_loose: list[tuple[str, str | None, Line]] = field(default_factory=list)  # (number, annotation, line)
    s2_unknown: list[Line] = field(default_factory=list)  # table rows of 二 with numbers and an unknown label
    s3_format: str | None = None
    s3_collapsed: bool = False
    s3: list[S3Match] = field(default_factory=list)
    s4: list[Line] = field(default_factory=list)
    regions: dict[int, tuple[int, int]] = field(default_factory=dict)
    headings: dict[int, Line] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


# --- similarity ---------------------------------------------------------------------------------
@lru_cache(maxsize=8192)
def similarity(a: str, b: str) -> float:
    """Similarity of two label keys, 0..1 (ratio, or a discounted partial ratio for fragments)."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    r = fuzz.ratio(a, b) / 100
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 4:
        p = fuzz.partial_ratio(short, long_) / 100
        cover = len(short) / len(long_)
        r = max(r, p * (0.75 + 0.2 * min(1.0, cover * 2)))
    return r


@lru_cache(maxsize=1024)
def _row_keys(labels: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(label_key(lab) for lab in labels))


def _line_keys(line: Line) -> tuple[tuple[str, ...], str | None, bool]:
    """The label keys a line is compared on (its whole label and each label cell), its numbering,
    and whether it is unlabeled (worked out once per line)."""
    cached = line.extra.get("_keys")
    if cached is None:
        cached = line.extra["_keys"] = _label_keys(line.label, line.label_cells)
    return cached  # type: ignore[return-value]


@lru_cache(maxsize=16384)  # a function of the label texts alone, which recur across the reports of a corpus
def _label_keys(label: str, label_cells: tuple[str, ...]) -> tuple[tuple[str, ...], str | None, bool]:
    cands = [label] + [c for c in label_cells if cjk_count(c) >= 2]
    keys = tuple(k for k in dict.fromkeys(label_key(c) for c in cands) if cjk_count(k) >= 2)
    num = leading_number(label_cells[-1]) if label_cells else None
    unlabeled = not keys or cjk_count(label_key(label)) < 2
    return keys, num, unlabeled


@lru_cache(maxsize=65536)  # the same labels recur across the reports of a corpus
def _keys_similarity(keys: tuple[str, ...], num_l: str | None, row_keys: tuple[str, ...], num_r: str | None) -> float:
    best = 0.0
    for k in keys:
        for rk in row_keys:
            sc = similarity(k, rk)
            best = max(best, sc)
    # numbering agreement helps with short or damaged labels
    if num_l and num_r and num_l == num_r and best > 0.3:
        best = min(1.0, best + 0.08)
    return best


def line_similarity(line: Line, row: Row) -> float:
    keys, num_l, _ = _line_keys(line)
    return _keys_similarity(keys, num_l, _row_keys(row.labels), leading_number(row.label))


def is_unlabeled(line: Line) -> bool:
    return _line_keys(line)[2]


# --- regions --------------------------------------------------------------------------------------
def find_headings(lines: list[Line]) -> dict[int, Line]:
    """The chosen heading line of each section found (best match to the official title)."""
    best: dict[int, tuple[float, Line]] = {}
    for ln in lines:
        if not ln.section:
            continue
        score = _heading_score(ln.section, ln.text)
        prev = best.get(ln.section)
        if prev is None or score > prev[0] + 0.05:
            best[ln.section] = (score, ln)
    # sections come in order: a heading found before an earlier section's heading is a phrase in the text
    out: dict[int, Line] = {}
    last = -1
    for sec in sorted(best):
        ln = best[sec][1]
        if ln.index > last:
            out[sec] = ln
            last = ln.index
    return out


@lru_cache(maxsize=4096)  # a function of a heading's text: the same headings recur across reports
def _heading_score(section: int, text: str) -> float:
    """How well a heading line of ``section`` reads as that section's official heading."""
    sec = get_format("2021").sections[section - 1]
    body = label_key(text)
    score = max(similarity(body[: len(label_key(v)) + 4], label_key(v)) for v in (sec.heading, *sec.variants))
    # the section's own numeral (二、) beats a subsection's ((一)主动公开情况 in section 一's narrative)
    num = leading_number(text)
    if num == sec.numeral:
        score += 0.2
    elif num is not None:
        score -= 0.2
    return score


def regions(lines: list[Line], headings: dict[int, Line]) -> dict[int, tuple[int, int]]:
    """Section number → [start, end) line indexes, from the headings in order."""
    found = sorted((ln.index, sec) for sec, ln in headings.items())
    out: dict[int, tuple[int, int]] = {}
    for i, (start, sec) in enumerate(found):
        end = len(lines)
        for start2, _sec2 in found[i + 1:]:
            if start2 > start:
                end = start2
                break
        out[sec] = (start, end)
    return out


# --- section 二 -----------------------------------------------------------------------------------
def detect_s2_format(text: str, lines: list[Line]) -> str:
    """The format of section 二 by its signals (counts of format-only labels)."""
    folded = re.sub(r"\s+", "", fold(text))
    scores: dict[str, int] = {}
    for fmt in FORMATS.values():
        scores[fmt.id] = sum(1 for s in fmt.signals if label_key(s) in folded)
    only_2019 = _rows_only_in("2019-trial")
    for ln in lines:
        if ln.key in only_2019:
            scores["2019-trial"] += 2
    if scores.get("2019-trial", 0) > scores.get("2021", 0):
        return "2019-trial"
    return "2021"


@lru_cache(maxsize=2)
def _rows_only_in(format_id: str) -> frozenset[str]:
    """Label keys of the section 二 rows that only this format has (其他对外管理服务事项 …)."""
    mine = {label_key(r.label) for t in get_format(format_id).tables_of(2) for r in t.data_rows}
    others = {label_key(lab) for f in FORMATS.values() if f.id != format_id
              for t in f.tables_of(2) for r in t.data_rows for lab in r.labels}
    return frozenset(mine - others)


_LOOSE_NUMBER = re.compile(r"^\s*[+\-]?\d[\d,]*(?:\.\d+)?\s*$")
_ANNOTATION = re.compile(r"^\s*[(（][^()（）]{1,40}[)）]\s*$")


@lru_cache(maxsize=16384)  # a function of the label key alone (and the format): labels recur across reports
def _best_s2_row_cached(key: str, format_id: str) -> tuple[float, Row | None]:
    return _best_s2_row(key, get_format(format_id))


def _best_s2_row(key: str, fmt: Format) -> tuple[float, Row | None]:
    """The row of section 二 a label key reads as, and its score (1.01 for an exact key)."""
    best, best_row = 0.0, None
    for table in fmt.tables_of(2):
        for row in table.data_rows:
            for lab in row.labels:
                sc = similarity(key, label_key(lab))
                if key == label_key(lab):
                    sc = 1.01
                if sc > best:
                    best, best_row = sc, row
    return best, best_row


def align_s2(lines: list[Line], fmt: Format) -> tuple[dict[str, Line], list[tuple[str, str | None, Line]]]:
    out: dict[str, Line] = {}
    loose: list[tuple[str, str | None, Line]] = []
    for pos, ln in enumerate(lines):
        if not ln.has_values and not ln.section and _LOOSE_NUMBER.match(ln.text):
            # a detached cell (V20): a number alone, perhaps with its annotation on the next line
            nxt = lines[pos + 1].text if pos + 1 < len(lines) else ""
            note = fold(nxt).strip()[1:-1].strip() if _ANNOTATION.match(nxt) else None
            loose.append((ln.text.strip(), note, ln))
            continue
        if ln.section or not (ln.has_values or ln.extra.get("kind") == "label"):
            continue
        if is_unlabeled(ln):
            continue
        best, best_row = (_best_s2_row_cached(ln.key, fmt.id) if FORMATS.get(fmt.id) is fmt
                          else _best_s2_row(ln.key, fmt))
        if best_row is not None and best >= 0.8 and best_row.key not in out:
            out[best_row.key or ""] = ln
        elif best < 0.6 and ln.from_table and any(re.search(r"\d", c) for c in ln.cells):
            ln.extra["unknown_s2"] = True
    return out, loose


# --- section 三 -----------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def s3_orders() -> tuple[tuple[str, bool, list[Row]], ...]:
    """(format id, collapsed, rows in printed order) for each row order a report may use. The
    2019-trial table prints the same rows as a 2021 table with （六） as one row; section 二 tells them apart."""
    out = []
    f21 = get_format("2021")
    full = list(f21.s3.rows)
    out.append(("2021", False, full))
    groups = f21.collapsible_groups()
    collapsed: list[Row] = []
    folded: set[str] = set()
    for r in full:
        if r.kind is RowKind.GROUP and r.collapsible:
            key = next((g for g, kids in groups.items()
                        if any(x.key in kids and x.parent == r.label for x in full)), "other")
            collapsed.append(Row(key, r.label, RowKind.LEAF, parent=r.parent))
            folded.add(r.label)
        elif r.parent in folded:
            continue
        else:
            collapsed.append(r)
    out.append(("2021", True, collapsed))
    return tuple(out)


MAX_S3_CANDIDATES = 300


@lru_cache(maxsize=1)
def _s3_trigrams() -> frozenset[str]:
    keys = {label_key(lab) for _, _, rows in s3_orders() for r in rows for lab in r.labels}
    return frozenset(k[i:i + 3] for k in keys for i in range(max(len(k) - 2, 1)))


def _candidate(line: Line) -> bool:
    if line.section or not line.has_values:
        return False
    if line.label_cells and all(is_header(c) for c in line.label_cells):
        return False  # a header row (申请人情况 | 自然人 | …) is not a row of values
    if line.run is not None:
        return True
    cells = line.cells
    if line.extra.get("cut") and any(c.strip() for c in cells) and not is_unlabeled(line):
        return True  # the row the page was cut in: the cells it has
    # 5 to 10 cells, or 4 of which at least 3 are not empty
    return 5 <= len(cells) <= 10 or (len(cells) == 4 and sum(1 for c in cells if c.strip()) >= 3)


def align_s3(lines: list[Line]) -> tuple[str, bool, list[S3Match], float]:
    cands = [ln for ln in lines if _candidate(ln)]
    if len(cands) > MAX_S3_CANDIDATES:  # a real table 三 has about 30 rows: keep those that look like its rows
        grams = _s3_trigrams()
        cands = [ln for ln in cands if is_unlabeled(ln) or any(k[i:i + 3] in grams for k in _line_keys(ln)[0]
                                                               for i in range(max(len(k) - 2, 1)))]
        cands = cands[:MAX_S3_CANDIDATES]
    best: tuple[float, str, bool, list[Row], tuple[tuple[int, int, float], ...]] | None = None
    line_keys = [_line_keys(ln) for ln in cands]
    # (the unlabeled test first: it is the cheaper of the two, and both are pure)
    may_collapse = not cands or any(unl for _, _, unl in line_keys) or any(
        _keys_similarity(keys, num_l, row_keys, num_r) >= 0.75  # line_similarity(ln, group row)
        for keys, num_l, unl in line_keys if not unl for row_keys, num_r in _collapsible_group_keys())
    sig = _signature(cands, line_keys)
    for (fmt_id, collapsed, rows), row_info in zip(s3_orders(), _s3_row_infos(), strict=True):
        if collapsed and not may_collapse:
            continue  # no row reads as （六） with numbers of its own: only the full order can apply
        # the alignment depends only on what each line is compared on and on the rows: worked out once
        # per signature (the reports of a corpus mostly print the same labels)
        score, plan = _dp_plan(sig, row_info)
        if best is None or score > best[0] + 1e-9:
            best = (score, fmt_id, collapsed, rows, plan)
    assert best is not None
    score, fmt_id, collapsed, rows, plan = best
    matches = [S3Match(rows[j], cands[i], ms) for i, j, ms in plan]
    _mark_unsure_positions(cands, matches, rows)
    return fmt_id, collapsed, matches, score


def _mark_unsure_positions(cands: list[Line], matches: list[S3Match], rows: list[Row]) -> None:
    """An unlabeled row placed by order is sure only when its gap between two well-labelled rows
    holds exactly as many value rows as the format has rows there (V12, V18)."""
    if not any(is_unlabeled(m.line) for m in matches):
        return  # every row placed by its label: nothing to mark
    row_pos = {(r.key, r.label): i for i, r in enumerate(rows)}
    cand_pos = {id(c): i for i, c in enumerate(cands)}
    anchors = [(-1, -1)] + [(cand_pos[id(m.line)], row_pos[(m.row.key, m.row.label)]) for m in matches
                            if not is_unlabeled(m.line) and m.score > 0.5] + [(len(cands), len(rows))]
    for m in matches:
        if not is_unlabeled(m.line):
            continue
        ci, ri = cand_pos[id(m.line)], row_pos[(m.row.key, m.row.label)]
        lo = max((a for a in anchors if a[0] < ci), default=anchors[0])
        hi = min((a for a in anchors if a[0] > ci), default=anchors[-1])
        n_cands = hi[0] - lo[0] - 1
        n_rows = sum(1 for r in rows[lo[1] + 1: hi[1]] if r.kind is not RowKind.GROUP)
        if n_cands != n_rows or not lo[1] < ri < hi[1]:
            m.by_position = True


_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=1)
def _collapsible_group_keys() -> tuple[tuple[tuple[str, ...], str | None], ...]:
    """What :func:`line_similarity` compares a line with for each collapsible group row of table 三."""
    return tuple((_row_keys(r.labels), leading_number(r.label)) for r in s3_orders()[0][2]
                 if r.kind is RowKind.GROUP and r.collapsible)


def _row_info(rows: list[Row]) -> tuple[tuple[str, tuple[str, ...], str | None, bool], ...]:
    return tuple((row.label, _row_keys(row.labels), leading_number(row.label), row.kind is RowKind.GROUP)
                 for row in rows)


@lru_cache(maxsize=1)
def _s3_row_infos() -> tuple[tuple[tuple[str, tuple[str, ...], str | None, bool], ...], ...]:
    """:func:`_row_info` of each row order of :func:`s3_orders` (the orders are fixed: worked out once)."""
    return tuple(_row_info(rows) for _, _, rows in s3_orders())


def _signature(cands: list[Line], line_keys: list[tuple[tuple[str, ...], str | None, bool]],
               ) -> tuple[tuple[object, object], ...]:
    """What the alignment compares each candidate line on: its label keys and numbering or, for an
    unlabeled line, whether it is blank (``line_keys``: :func:`_line_keys` of each)."""
    sig = []
    for ln, (keys, num_l, unl) in zip(cands, line_keys, strict=True):
        if unl:
            sig.append((None, ln.run is None and all(not _DIGIT.search(c) for c in ln.cells)))
        else:
            sig.append((keys, num_l))
    return tuple(sig)


@lru_cache(maxsize=512)
def _dp_plan(sig: tuple[tuple[object, object], ...],
             row_info: tuple[tuple[str, tuple[str, ...], str | None, bool], ...],
             ) -> tuple[float, tuple[tuple[int, int, float], ...]]:
    n, m = len(sig), len(row_info)
    neg = float("-inf")
    match_score = [[neg] * m for _ in range(n)]
    for i, (keys, second) in enumerate(sig):
        scores = match_score[i]
        if keys is None:  # unlabeled: fills a gap by position
            for j, (_, _, _, group) in enumerate(row_info):
                if not group:
                    scores[j] = 0.05 if second else 0.3
            continue
        for j, (_, row_keys, num_r, group) in enumerate(row_info):
            sc = 3 * _keys_similarity(keys, second, row_keys, num_r) - 1.8  # type: ignore[arg-type]
            if group:
                sc -= 0.3  # a subtotal row is rarer than a leaf
            scores[j] = sc
    skip_cand = -0.25
    # D[i][j]: best score using the first i candidates and the first j rows (skipping a row costs 0)
    D = [[0.0] * (m + 1) for _ in range(n + 1)]
    back = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        D[i][0] = D[i - 1][0] + skip_cand
        back[i][0] = 1
    for j in range(1, m + 1):
        back[0][j] = 2
    for i in range(1, n + 1):
        di, dp, bi, ms_row = D[i], D[i - 1], back[i], match_score[i - 1]
        for j in range(1, m + 1):
            best, b = dp[j] + skip_cand, 1
            v = di[j - 1]
            if v >= best:
                best, b = v, 2
            ms = ms_row[j - 1]
            if ms != neg:
                v = dp[j - 1] + ms
                if v >= best:
                    best, b = v, 3
            di[j] = best
            bi[j] = b
    i, j = n, m
    out: list[tuple[int, int, float]] = []
    while i > 0 or j > 0:
        b = back[i][j]
        if b == 3:
            out.append((i - 1, j - 1, match_score[i - 1][j - 1]))
            i, j = i - 1, j - 1
        elif b == 1:
            i -= 1
        else:
            j -= 1
    out.reverse()
    return D[n][m], tuple(out)


# --- whole document ---------------------------------------------------------------------------------
def align(lines: list[Line], *, format_hint: str | None = None) -> Alignment:
    al = Alignment()
    heads = find_headings(lines)
    al.headings = heads
    regs = regions(lines, heads)
    al.regions = regs
    n = len(lines)
    # section 三 region: its heading to 四's heading; otherwise the span of rows with s3 labels
    s3_start = regs[3][0] if 3 in regs else None
    s4_start = regs[4][0] if 4 in regs else None
    s2_start = regs[2][0] if 2 in regs else None
    if s3_start is None:
        s3_start = _first_s3_label(lines, s2_start or 0)
    if s3_start is None:
        # no table 三 at all (a page cut inside section 二): section 二 runs to the next heading
        later = [regs[k][0] for k in (4, 5, 6) if k in regs and regs[k][0] >= (s2_start or 0)]
        s3_start = _section_end(regs, 2, n) if s2_start is not None else min(later, default=n)
    if s4_start is None or s4_start < s3_start:
        s4_start = _after_carry_forward(lines, s3_start)
    s3_end = s4_start if s4_start is not None else _section_end(regs, 3, n)
    s3_lines = lines[s3_start:s3_end]
    fmt_id, collapsed, matches, _ = align_s3(s3_lines)
    al.s3_format, al.s3_collapsed, al.s3 = fmt_id, collapsed, matches
    # section 二: from its heading (or the start) to the start of 三
    s2_from = s2_start if s2_start is not None and s2_start < s3_start else 0
    s2_lines = lines[s2_from:s3_start]
    s2_text = "\n".join(ln.text for ln in s2_lines)
    al.s2_format = detect_s2_format(s2_text, s2_lines)
    if format_hint in FORMATS and not _has_signals(s2_text):
        al.s2_format = format_hint
    al.s2, al.s2_loose = align_s2(s2_lines, get_format(al.s2_format))
    if len(al.s2) < 2:
        # the heading chosen for 二 or 三 was a phrase of the narrative (an old outline's (二)…申请的情况):
        # section 二's tables are wherever its rows are, before table 三
        first_s3 = min((m.line.index for m in al.s3 if m.score > 0.5 and not m.by_position), default=n)
        wide = lines[:first_s3]
        wide_text = "\n".join(ln.text for ln in wide)
        fmt2 = detect_s2_format(wide_text, wide)
        found, loose = align_s2(wide, get_format(fmt2))
        if len(found) > len(al.s2):
            al.s2_format, al.s2, al.s2_loose, s2_lines = fmt2, found, loose, wide
    al.s2_unknown = [ln for ln in s2_lines if ln.extra.get("unknown_s2")]
    if al.s3_collapsed and (al.s2_format == "2019-trial" or (not al.s2 and format_hint == "2019-trial")):
        al.s3_format, al.s3_collapsed = "2019-trial", False
    # section 四
    if s4_start is not None:
        s4_end = _section_end(regs, 4, n) if 4 in regs else n
        count = 0
        for ln in lines[s4_start:s4_end]:
            if ln.section and ln.index != s4_start and ln.section in (5, 6):
                break
            if _KEY_LABEL.match(ln.label):
                break  # a machine-readable key listing (s4.review.upheld …) is not the printed table
            if ln.has_values and not ln.section and (ln.run is not None or any(c.strip() for c in ln.cells)):
                # (a header row's empty cells are not values: 行政复议 | | | | | 行政诉讼 …)
                al.s4.append(ln)
                if ln.run is not None:
                    break
                count += sum(1 for c in ln.cells if c.strip())
                if count >= 15:
                    break
    return al


_KEY_LABEL = re.compile(r"^\s*(?:s[234]\.[a-z_.]+|agency|year|format)\b")


def _has_signals(text: str) -> bool:
    folded = re.sub(r"\s+", "", fold(text))
    return any(label_key(s) in folded for f in FORMATS.values() for s in f.signals)


def _section_end(regs: dict[int, tuple[int, int]], sec: int, n: int) -> int:
    return regs[sec][1] if sec in regs else n


def _first_s3_label(lines: list[Line], start: int) -> int | None:
    f = get_format("2021")
    new_row = f.s3.row("new")
    for ln in lines[start:]:
        if ln.has_values and not is_unlabeled(ln) and line_similarity(ln, new_row) >= 0.8:
            return ln.index
    return None


def _after_carry_forward(lines: list[Line], start: int) -> int | None:
    f = get_format("2021")
    row = f.s3.row("carry_forward")
    for ln in lines[start:]:
        if ln.has_values and not is_unlabeled(ln) and line_similarity(ln, row) >= 0.8:
            return ln.index + 1
    return None


__all__ = ["Alignment", "S3Match", "align", "align_s2", "align_s3", "find_headings", "line_similarity", "similarity"]
