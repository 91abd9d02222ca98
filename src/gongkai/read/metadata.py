"""Metadata and narrative: agency, year, format declared, statistics period, publish date, contact,
the six section texts (headings matched on key phrases, V9) and the numbers the narrative states."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from .._regex import required
from ..formats import get_format, infer_body
from ..narrative import extract_facts
from ..report import Contact, Metadata, NarrativeFact, SectionText
from .lines import Line, heading_section
from .normalize import fold

_DECLARED = (
    (re.compile(r"国办公开办函\s*[\[〔(（【]\s*2021\s*[\]〕)）】]\s*30\s*号"), "2021"),
    (re.compile(r"[\[〔(（【]\s*2021\s*[\]〕)）】]\s*30\s*号"), "2021"),
    (re.compile(r"国办公开办函\s*[\[〔(（【]\s*2019\s*[\]〕)）】]\s*60\s*号"), "2019-trial"),
    (re.compile(r"[\[〔(（【]\s*2019\s*[\]〕)）】]\s*60\s*号"), "2019-trial"),
    (re.compile(r"年度报告格式\s*[(（]\s*试行\s*[)）]"), "2019-trial"),
)
# each with a literal every match holds: a text without it is not searched (the patterns start with a bracket class)
_DECLARED_BY_LITERAL = tuple((rx, fid, required(rx.pattern)) for rx, fid in _DECLARED)
_TITLE_PREFIX = re.compile(r"^(标题|题目|title)\s*[:：]\s*", re.IGNORECASE)
_TITLE = re.compile(r"^(?P<a1>.*?)(?P<y>(?:19|20)\d{2})\s*年\s*(?:度)?\s*(?P<a2>.*?)\s*"
                    r"(?:政府信息公开|政务公开|信息公开)")
_PERIOD = re.compile(r"统计(?:期限|期间|时限|时间|周期|区间|范围)[^0-9]{0,8}(\d{4})年(\d{1,2})月(\d{1,2})日(?:起)?"
                     r"\s*(?:至|到|—|-|~|－)+\s*(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")
_PUBLISHED = re.compile(r"(?:发布|公开|成文)(?:时间|日期)\s*[:：]\s*(\d{4})[-年./](\d{1,2})[-月./](\d{1,2})")
_DATE_LINE = re.compile(r"^[(（]?\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*[)）]?$")
PREAMBLE_CHARS = 6000
# A numbered heading's start: 一、 (not 十一、 or 第一、) or 1、 (not 11、). Written to start with the numeral itself, the
# lookbehinds after it, so that the regex engine skips to the numerals instead of trying every position:
# the same matches as (?<![一二三四五六七八九十第])(?:[一二三四五六]\s*[、.．]|(?<!\d)[1-6]\s*、).
_HEADING_IN_TEXT = re.compile(r"[一二三四五六1-6](?<![一二三四五六七八九十第].)"
                              r"(?:(?<=[一二三四五六])\s*[、.．]|(?<=[1-6])(?<!\d.)\s*、)")


def _date(y: str | int, m: str | int, d: str | int) -> dt.date | None:
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


def full_text(lines: Sequence[Line]) -> str:
    """The document as plain text, table rows joined with " | ", one line each (inline rows skipped)."""
    out = []
    for ln in lines:
        if ln.extra.get("kind") or ln.extra.get("inline"):
            continue  # pieces of a flattened line: the line itself is already there
        out.append(ln.text)
    return "\n".join(out)


def split_sections(text: str) -> list[SectionText]:
    """The six sections by their headings (numbered headings, also inside flattened lines)."""
    fmt = get_format("2021")
    cands: list[tuple[int, int, int, str]] = []  # (start, body start, section, heading)
    for m in _HEADING_IN_TEXT.finditer(text):
        window = text[m.start(): m.start() + 48]
        first_line = window.split("\n", 1)[0]
        sec = heading_section(first_line)
        if not sec:
            continue
        head = _heading_text(text, m.start(), sec)
        cands.append((m.start(), m.start() + len(head), sec, head))
    # per section: the best-matching heading, preferring the official wording
    chosen: dict[int, tuple[int, int, str]] = {}
    for start, body, sec, head in cands:
        official = fmt.sections[sec - 1]
        words = re.sub(r"\s+", "", fold(head))
        good = any(re.sub(r"\s+", "", v) in words for v in (official.title, *official.variants))
        prev = chosen.get(sec)
        if prev is None or (good and not prev[2]):
            chosen[sec] = (start, body, "1" if good else "")
    order = sorted(chosen.items(), key=lambda kv: kv[1][0])
    out: list[SectionText] = []
    for pos, (sec, (start, body, _)) in enumerate(order):
        end = order[pos + 1][1][0] if pos + 1 < len(order) else len(text)
        heading = text[start:body].strip()
        out.append(SectionText(number=sec, heading=heading, text=text[body:end].strip(), order=pos + 1))
    return sorted(out, key=lambda s: s.number)


def _heading_text(text: str, start: int, sec: int) -> str:
    """The heading itself: to the end of its title words (inline headings), else to the end of its line."""
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    line = text[start:line_end]
    official = get_format("2021").sections[sec - 1]
    best = 0
    for v in (official.title, *official.variants):
        i = line.find(v)
        if 0 <= i < 12:
            best = max(best, i + len(v))
    if best and line[best:best + 1] in ("）", ")"):
        best += 1
    if best:
        return line[:best]
    if len(line) <= 40:
        return line
    m = re.search(r"情况|事项|措施", line[:40])
    return line[: m.end() if m else min(len(line), 12)]


def narrative_facts(sections: Sequence[SectionText], text: str) -> list[NarrativeFact]:
    texts = [s.text for s in sections if s.number in (1, 5, 6)]
    if not texts:
        texts = [text]
    pre = text[: min(len(text), 3000)]
    facts: list[NarrativeFact] = []
    for t in [pre, *texts]:
        for f in extract_facts(t):
            if f not in facts:
                facts.append(f)
    return facts


def read_metadata(lines: Sequence[Line], text: str, *, format_detected: str | None,
                  source_file: str | None = None, source_kind: str | None = None) -> Metadata:
    head = text[:PREAMBLE_CHARS]  # the basis, period and contact are stated in the preamble
    folded = fold(head)
    squeezed = "".join(folded.split())  # no whitespace: str.split and the regex \s agree on what it is
    top = [fold(ln.text) for ln in lines[:20]]  # the title's lines, and where a date line may stand at the top
    agency, year = _title(top)
    declared, basis = None, None
    for rx, fid, literal in _DECLARED_BY_LITERAL:
        m = (rx.search(head) if literal in head else None) or (rx.search(folded) if literal in folded else None)
        if m:
            declared = fid
            basis = re.sub(r"\s+", "", m.group(0))
            break
    period_start = period_end = None
    m = _PERIOD.search(squeezed)
    if m:
        y1, mo1, d1, y2, mo2, d2 = m.groups()
        period_start = _date(y1, mo1, d1)
        period_end = _date(y2 or y1, mo2, d2)
    if year is None and period_start:
        year = period_start.year
    if year is None:
        m2 = re.search(r"((?:19|20)\d{2})\s*年", folded[:600])
        year = int(m2.group(1)) if m2 else None
    publish = None
    m = _PUBLISHED.search(folded[:2000])
    if m:
        publish = _date(*m.groups())
    else:
        for line_text in top[:12] + [fold(ln.text) for ln in lines[-6:]]:
            m3 = _DATE_LINE.match(line_text)
            if m3:
                publish = _date(*m3.groups())
                if publish and year and publish.year >= year:
                    break
                publish = None
    kind, level = infer_body(agency)
    return Metadata(agency=agency, body_kind=kind, level=level, year=year if year and 1990 <= year <= 2100 else None,
                    format_declared=declared, format_detected=format_detected, basis_cited=basis,
                    publish_date=publish, period_start=period_start, period_end=period_end,
                    contact=_contact(folded), source_file=source_file, source_kind=source_kind)


_BODY_NAME = re.compile(r"[\u4e00-\u9fff（）()]{2,40}")


def _title(folded: Sequence[str]) -> tuple[str | None, int | None]:
    """Agency and year from the title: the first line (or two or three joined lines) that reads as one
    (``folded``: the document's first lines, folded)."""
    texts = []
    for text in folded:
        t = _TITLE_PREFIX.sub("", text).strip().lstrip("#").strip()
        if t and t != "正文":
            texts.append("".join(t.split()))
    for span in (1, 2, 3):
        for i in range(len(texts)):
            compact = "".join(texts[i:i + span])
            if "报告" not in compact or len(compact) > 120:
                continue
            m = _TITLE.search(compact)
            if not m:
                continue
            agency = (m.group("a1") or m.group("a2") or "").strip(" ：:—-")
            agency = re.sub(r"^(关于|公布)", "", agency)
            if not agency or len(agency) > 40:
                agency = None
            if agency is None and i > 0 and _BODY_NAME.fullmatch(texts[i - 1]):
                agency = texts[i - 1]  # a title set on two lines: 淮安市人民政府 / 2024年……年度报告
            return agency, int(m.group("y"))
    return None, None


def _contact(folded: str) -> Contact | None:
    s = folded.replace(" ", "").replace("\t", "")
    address = _grab(r"(?:联系)?地址[:：为是]?([^,，;；。)）\n]{4,60})", s) if "地址" in s else None
    postcode = _grab(r"邮(?:政)?编(?:码)?[:：为是]?(\d{6})", s)
    phone = _grab(r"电话(?:/传真)?[:：为是]?((?:\(?0\d{2,3}\)?-?)?\d{7,8}(?:-\d+)?|1\d{10})", s)
    email = _grab(r"([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})", s) if "@" in s else None
    if not any((address, postcode, phone, email)):
        return None
    return Contact(address=address, postcode=postcode, phone=phone, email=email)


def _grab(rx: str, s: str) -> str | None:
    m = re.search(rx, s)
    return m.group(1) if m else None


__all__ = ["full_text", "narrative_facts", "read_metadata", "split_sections"]
