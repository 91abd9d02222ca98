"""Year-on-year review of one body's reports (LAST → THIS), as data.

    cmp = compare(last, this)         # two Reports (any file gongkai reads, or Report JSON, loaded by the caller)
    cmp.cells                         # every cell side by side with its change
    cmp.cross                         # X1–X4 with their evidence (each instance, holding or not)
    cmp.sections                      # the texts of 一/五/六 aligned sentence by sentence, 重复率 per section
    cmp.problems                      # last year's 五 problems and whether this year's 五 reports on each
    cmp.narrative                     # numbers stated in the prose against the tables, both years (W1)
    render(cmp, "html" | "docx" | "xlsx" | "json") -> bytes

No Django here: the command line (``gongkai compare``) and the supervising office's web view both call this.
"""
from __future__ import annotations

import difflib
import re
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_serializer
from rapidfuzz import fuzz

from ..checks import Finding, Level, run_checks
from ..checks._describe import describe
from ..checks.crossyear import NARRATIVE_SECTIONS, ChainRow, repetition_rate, x1_rows, x2_rows, x3_rows
from ..checks.warnings import fact_against_table, fact_label
from ..errors import WriteError
from ..narrative import report_facts
from ..report import NUMERALS, Number, Report, Status

Kind = Literal["html", "docx", "xlsx", "json"]
KINDS: tuple[Kind, ...] = ("html", "docx", "xlsx", "json")
SUFFIXES: dict[str, Kind] = {".html": "html", ".htm": "html", ".docx": "docx", ".xlsx": "xlsx", ".json": "json"}
SECTION_TITLES = {1: "一、总体情况", 5: "五、存在的主要问题及改进情况", 6: "六、其他需要报告的事项"}
REPEATED = 90  # a sentence at least this similar (rapidfuzz ratio, 0–100) to one of last year's is repeated
SIMILAR = 55  # below this a sentence is new; between, it is a rewrite of last year's sentence


class _M(BaseModel):
    model_config = ConfigDict(frozen=True)


def _num(v: Number | None) -> int | str | None:
    return str(v) if isinstance(v, Decimal) else v


class Side(_M):
    """One report of the pair, in brief."""

    agency: str | None = None
    year: int | None = None
    format: str
    source: str | None = None
    errors: int = 0
    warnings: int = 0


class CellRow(_M):
    key: str
    section: int
    label: str
    last: Number | None = None
    this: Number | None = None
    last_status: str = "missing"
    this_status: str = "missing"
    change: Number | None = None  # this − last, when both are present
    ratio: float | None = None  # change / last, when last ≠ 0

    @field_serializer("last", "this", "change")
    def _ser(self, v: Number | None) -> int | str | None:
        return _num(v)

    @property
    def changed(self) -> bool:
        return self.last != self.this


class Evidence(_M):
    """One instance of a cross-year identity: both sides and whether it holds."""

    scope: str
    label: str
    lhs_expr: str
    lhs: Number
    rhs_expr: str
    rhs: Number
    holds: bool

    @field_serializer("lhs", "rhs")
    def _ser(self, v: Number) -> int | str | None:
        return _num(v)


class CrossCheck(_M):
    id: str
    title: str
    status: Literal["holds", "breaks", "not_applicable", "figure"]
    summary: str
    evidence: tuple[Evidence, ...] = ()
    findings: tuple[Finding, ...] = ()


class Segment(_M):
    kind: Literal["same", "ins", "del"]
    text: str


class SentenceRow(_M):
    """A sentence of this year's text beside the nearest of last year's (either may be absent)."""

    status: Literal["repeated", "rewritten", "added", "removed"]
    last: str = ""
    this: str = ""
    similarity: float = 0.0  # 0–100
    last_diff: tuple[Segment, ...] = ()
    this_diff: tuple[Segment, ...] = ()


class SectionDiff(_M):
    number: int
    title: str
    rate: float  # 重复率: share of this year's characters in 8-character runs found in last year's text (X4)
    sentences_this: int
    sentences_repeated: int
    rows: tuple[SentenceRow, ...] = ()


class Problem(_M):
    """A problem named in last year's section 五 and what this year's 五 says about it."""

    text: str
    status: Literal["reported", "partly", "absent"]
    score: float  # share of the problem's content bigrams found in this year's 五
    evidence: str | None = None  # this year's sentence that speaks of it most


class NarrativeRow(_M):
    key: str
    label: str
    text: str
    stated: int
    table: Number | None = None
    agrees: bool | None = None

    @field_serializer("table")
    def _ser(self, v: Number | None) -> int | str | None:
        return _num(v)


class NarrativeCheck(_M):
    year: int | None
    rows: tuple[NarrativeRow, ...] = ()
    findings: tuple[Finding, ...] = ()


class Comparison(_M):
    last: Side
    this: Side
    notes: tuple[str, ...] = ()
    cells: tuple[CellRow, ...] = ()
    cross: tuple[CrossCheck, ...] = ()
    sections: tuple[SectionDiff, ...] = ()
    problems: tuple[Problem, ...] = ()
    follow_up_mentioned: bool = False  # this year's 五 refers to last year's problems explicitly
    narrative: tuple[NarrativeCheck, ...] = ()

    @property
    def title(self) -> str:
        who = self.this.agency or self.last.agency or "（未识别机关）"
        return f"{who}政府信息公开工作年度报告 {self.last.year or '上年'}—{self.this.year or '本年'} 年度对比"

    def to_json(self, *, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)


# --- the comparison -------------------------------------------------------------------------------------------
def compare(last: Report, this: Report) -> Comparison:
    """Compare last year's report with this year's (given the other way round, they are swapped, with a note)."""
    notes: list[str] = []
    if last.year and this.year and last.year > this.year:
        last, this = this, last
        notes.append(f"两份报告按年度排列：{last.year} 年为上年，{this.year} 年为本年")
    if last.year and this.year and this.year - last.year != 1:
        notes.append(f"两份报告不是相邻年度（{last.year} 年、{this.year} 年）：跨年检查按相邻年度解读")
    if last.agency and this.agency and last.agency != this.agency:
        notes.append(f"两份报告印出的机关名称不同：{last.agency} / {this.agency}")
    if last.format != this.format:
        notes.append(f"两年的报告格式不同（{last.format} → {this.format}）：第二部分的单元格不一一对应")
    findings_this = run_checks(this, previous=last)
    findings_last = run_checks(last)
    five_this = this.section(5)
    five_last = last.section(5)
    problems = tuple(follow_up(five_last.text if five_last else "", five_this.text if five_this else ""))
    return Comparison(
        last=_side(last, findings_last), this=_side(this, [f for f in findings_this if not f.id.startswith("X")]),
        notes=tuple(notes), cells=tuple(cell_rows(last, this)), cross=tuple(cross_checks(last, this, findings_this)),
        sections=tuple(section_diffs(last, this)), problems=problems,
        follow_up_mentioned=bool(five_this and _FOLLOW_UP.search(five_this.text)),
        narrative=(narrative_check(last, findings_last), narrative_check(this, findings_this)))


def _side(report: Report, findings: list[Finding]) -> Side:
    return Side(agency=report.agency, year=report.year, format=report.format, source=report.metadata.source_file,
                errors=sum(f.level is Level.ERROR for f in findings),
                warnings=sum(f.level is Level.WARNING for f in findings))


def _label(report: Report, key: str) -> str:
    return describe(report.format_for(key), key)


def cell_rows(last: Report, this: Report) -> list[CellRow]:
    """Every cell of either report, in the order of the format (this year's first), with the change."""
    order: list[str] = []
    for report in (this, last):
        order += [k for k in report.expected_keys() if k in report.cells]
        order += sorted(k for k in report.cells if k not in order)
    seen: set[str] = set()
    rows = []
    for key in order:
        if key in seen:
            continue
        seen.add(key)
        a, b = last.cell(key), this.cell(key)
        change = ratio = None
        if a.status is not Status.MISSING and b.status is not Status.MISSING and a.value is not None \
                and b.value is not None:
            change = b.value - a.value
            ratio = float(change) / float(a.value) if a.value else None
        rows.append(CellRow(key=key, section=int(key[1]), label=_label(this if key in this.cells else last, key),
                            last=a.value if a.status is not Status.MISSING else None,
                            this=b.value if b.status is not Status.MISSING else None,
                            last_status=a.status.value, this_status=b.status.value, change=change, ratio=ratio))
    return rows


def _evidence(rows: list[ChainRow]) -> tuple[Evidence, ...]:
    return tuple(Evidence(scope=r.scope, label=r.label, lhs_expr=r.lhs_expr, lhs=r.lhs, rhs_expr=r.rhs_expr,
                          rhs=r.rhs, holds=r.holds) for r in rows)


def cross_checks(last: Report, this: Report, findings: list[Finding] | None = None) -> list[CrossCheck]:
    """X1–X4 for the pair, each with every instance as evidence."""
    if findings is None:
        findings = run_checks(this, previous=last, only=("X1", "X2", "X3", "X4"))
    by_id: dict[str, list[Finding]] = {}
    for f in findings:
        by_id.setdefault(f.id, []).append(f)
    out = []
    titles = {"X1": "上年结转 = 上年报告的结转下年度（第三部分，每一列）",
              "X2": "现行有效 = 上年现行有效 + 本年制发 − 本年废止（2021 格式，规章和行政规范性文件）",
              "X3": "上一年项目数量 = 上年的上一年项目数量 + 上年的本年增/减（2019 试行格式）"}
    for check_id, rows in (("X1", x1_rows(this, last)), ("X2", x2_rows(this, last)), ("X3", x3_rows(this, last))):
        broken = [r for r in rows if not r.holds]
        if not rows:
            status, summary = "not_applicable", "不适用或缺少数据（两年格式不符，或单元格缺失）"
        elif broken:
            status = "breaks"
            summary = "、".join(r.label for r in broken) + f"两边不等（{len(broken)}/{len(rows)} 处）"
        else:
            status, summary = "holds", f"{len(rows)} 处全部相等"
        out.append(CrossCheck(id=check_id, title=titles[check_id], status=status, summary=summary,
                              evidence=_evidence(rows), findings=tuple(by_id.get(check_id, ()))))
    x4 = by_id.get("X4", [])
    summary = x4[0].message if x4 else "未计算"
    out.append(CrossCheck(id="X4", title="正文重复率（第一、五、六部分）", status="figure", summary=summary,
                          findings=tuple(x4)))
    return out


# --- texts ----------------------------------------------------------------------------------------------------
_SENTENCE_END = re.compile(r"(?<=[。；！？!?;])|\n+")
_NOISE = re.compile(r"[\s\u3000，。、；：！？,.;:!?“”\"'（）()《》【】\-—]+")


def sentences(text: str) -> list[str]:
    """The sentences of a section text (split after 。；！？ and at line breaks), without blank ones."""
    return [s.strip() for s in _SENTENCE_END.split(text or "") if s and _NOISE.sub("", s)]


def _segments(a: str, b: str) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    left: list[Segment] = []
    right: list[Segment] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            left.append(Segment(kind="same", text=a[i1:i2]))
            right.append(Segment(kind="same", text=b[j1:j2]))
            continue
        if i2 > i1:
            left.append(Segment(kind="del", text=a[i1:i2]))
        if j2 > j1:
            right.append(Segment(kind="ins", text=b[j1:j2]))
    return tuple(left), tuple(right)


def align_sentences(last_text: str, this_text: str) -> list[SentenceRow]:
    """This year's sentences in order, each beside the most similar of last year's; last year's sentences that
    nothing matches are shown where they stood."""
    old, new = sentences(last_text), sentences(this_text)
    old_clean = [_NOISE.sub("", s) for s in old]
    rows: list[SentenceRow] = []
    used: set[int] = set()
    next_old = 0

    def flush(upto: int) -> None:
        nonlocal next_old
        for k in range(next_old, upto):
            if k not in used:
                rows.append(SentenceRow(status="removed", last=old[k]))
                used.add(k)
        next_old = max(next_old, upto)

    for sentence in new:
        clean = _NOISE.sub("", sentence)
        best, score = -1, 0.0
        for k, o in enumerate(old_clean):
            s = fuzz.ratio(clean, o)
            if s > score:
                best, score = k, s
        if best < 0 or score < SIMILAR:
            rows.append(SentenceRow(status="added", this=sentence, similarity=round(score, 1)))
            continue
        flush(best)
        used.add(best)
        next_old = max(next_old, best + 1)
        status = "repeated" if score >= REPEATED else "rewritten"
        left, right = _segments(old[best], sentence)
        rows.append(SentenceRow(status=status, last=old[best], this=sentence, similarity=round(score, 1),
                                last_diff=left, this_diff=right))
    flush(len(old))
    return rows


def section_diffs(last: Report, this: Report) -> list[SectionDiff]:
    out = []
    for n in NARRATIVE_SECTIONS:
        a, b = last.section(n), this.section(n)
        if not (a and a.text.strip()) and not (b and b.text.strip()):
            continue
        ta, tb = a.text if a else "", b.text if b else ""
        rows = align_sentences(ta, tb)
        out.append(SectionDiff(number=n, title=(b or a).heading if (b or a) else SECTION_TITLES[n],  # type: ignore[union-attr]
                               rate=repetition_rate(tb, ta), rows=tuple(rows),
                               sentences_this=sum(1 for r in rows if r.this),
                               sentences_repeated=sum(1 for r in rows if r.status == "repeated")))
    return out


# --- last year's problems -------------------------------------------------------------------------------------
_IMPROVE = re.compile(r"针对(以上|上述|存在的?|这些)?(问题|不足)|下一步|下阶段|今后|改进(措施|情况|方向)[：:]|"
                      r"20\d\d年[，,]?(我|将|本)|(我们|我区|我市|我县|我局|本机关)?将(采取|从以下|重点|切实|继续|进一步)")
_ENUM_MARK = re.compile(r"[一二三四五六七八九十]是|（[一二三四五六七八九十]）|(?<![\d.])\d{1,2}[.、．](?!\d)")
_LIST_LEAD = re.compile(r"(?:如|主要是|主要有|主要表现在|表现为|具体为|包括)[：:]?(.+?)(?:等(?:方面|问题|不足)?[。；]|$)", re.DOTALL)
_PROBLEM_WORDS = re.compile(r"不足|有待|不够|欠缺|较弱|尚需|还需|仍需|不强|不高|滞后|不到位|不完善|不规范|短板|薄弱|差距|问题")
_GENERIC = re.compile(r"取得(了)?(一定|新|较好|明显)|对照.{0,10}(要求|期盼)|仍(然)?存在(一定|一些|不少)?(差距|不足|问题)")
_FOLLOW_UP = re.compile(r"(上一?年度?|去年|20\d\d年度?)(报告)?(中)?(提出|指出|发现|存在)的(主要)?问题|整改(情况|落实|完成)")
_STOP = re.compile(r"有待|进一步|还需|仍需|尚需|还不够|不够|不足|加强|提高|提升|存在|部分|个别|工作|方面|问题|还|仍|需要|有所|一定|"
                   r"[一二三四五六七八九十]是|[，。、；：:;,.\s“”]")


def problems(text: str) -> list[str]:
    """The problems named in a section 五 (the part before the improvements), one per item."""
    if not text:
        return []
    cut = _IMPROVE.search(text)
    part = text[: cut.start()] if cut and cut.start() >= 10 else text
    marks = list(_ENUM_MARK.finditer(part))
    items: list[str] = []
    if len(marks) >= 2:
        for m, nxt in zip(marks, [*marks[1:], None], strict=True):
            items.append(part[m.end(): nxt.start() if nxt else len(part)])
    else:
        lead = _LIST_LEAD.search(part)
        if lead:
            items = re.split(r"[、；;，,]", lead.group(1))
        else:
            items = [s for s in sentences(part) if _PROBLEM_WORDS.search(s) and not _GENERIC.search(s)]
    out = []
    for item in items:
        item = item.strip(" 　\n，,。；;：:、")
        if len(_NOISE.sub("", item)) >= 4 and not (_GENERIC.search(item) and len(item) < 40):
            out.append(item)
    return out


def _bigrams(text: str) -> set[str]:
    t = _STOP.sub("|", text)
    return {t[i:i + 2] for i in range(len(t) - 1) if "|" not in t[i:i + 2]}


def follow_up(last_five: str, this_five: str) -> list[Problem]:
    """Each of last year's problems with the share of its content words found in this year's 五 (by text, for a
    person to confirm): reported ≥ 60 %, partly ≥ 35 %, absent below."""
    this_sentences = sentences(this_five)
    out = []
    for item in problems(last_five):
        grams = _bigrams(item)
        if not grams:
            continue
        best, best_score = None, 0.0
        for s in this_sentences:
            score = len(grams & _bigrams(s)) / len(grams)
            if score > best_score:
                best, best_score = s, score
        whole = len(grams & _bigrams(this_five)) / len(grams)
        score = max(whole, best_score)
        status = "reported" if score >= 0.6 else "partly" if score >= 0.35 else "absent"
        out.append(Problem(text=item, status=status, score=round(score, 3),
                           evidence=best if best_score > 0 else None))
    return out


PROBLEM_STATUS = {"reported": "已回应", "partly": "部分提及", "absent": "未提及"}
SENTENCE_STATUS = {"repeated": "重复", "rewritten": "改写", "added": "新增", "removed": "删去"}
CROSS_STATUS = {"holds": "成立", "breaks": "不成立", "not_applicable": "不适用", "figure": "数值"}


# --- narrative ------------------------------------------------------------------------------------------------
def narrative_check(report: Report, findings: list[Finding] | None = None) -> NarrativeCheck:
    """The numbers the prose states, each against its table cell, and the W1 findings."""
    if findings is None:
        findings = run_checks(report, only=("W1",))
    rows = []
    for fact in report_facts(report):
        table, agrees = fact_against_table(report, fact)
        rows.append(NarrativeRow(key=fact.key, label=fact_label(report.format_for(fact.key), fact.key),
                                 text=fact.text, stated=fact.value, table=table, agrees=agrees))
    return NarrativeCheck(year=report.year, rows=tuple(rows), findings=tuple(f for f in findings if f.id == "W1"))


# --- output ---------------------------------------------------------------------------------------------------
def kind_of(path: str, kind: str | None = None) -> Kind:
    """The output kind from ``kind`` or the file's suffix."""
    if kind:
        if kind not in KINDS:
            raise WriteError(f"不支持的输出格式 {kind!r}，可选：{'、'.join(KINDS)}")
        return kind  # type: ignore[return-value]
    for suffix, k in SUFFIXES.items():
        if path.lower().endswith(suffix):
            return k
    raise WriteError(f"无法从文件名 {path} 判断输出格式，请用 .html、.docx、.xlsx 或 .json")


def render(cmp: Comparison, kind: str) -> bytes:
    """The comparison as an HTML page, a DOCX or XLSX file, or JSON."""
    kind = kind_of("", kind)
    if kind == "json":
        return cmp.to_json().encode()
    if kind == "html":
        from ._html import render_html
        return render_html(cmp).encode()
    if kind == "docx":
        from ._docx import render_docx
        return render_docx(cmp)
    from ._xlsx import render_xlsx
    return render_xlsx(cmp)


def section_name(n: int) -> str:
    return f"第{NUMERALS[n - 1]}部分"


__all__ = ["KINDS", "Comparison", "CrossCheck", "Problem", "SectionDiff", "align_sentences", "compare", "cross_checks",
           "follow_up", "kind_of", "narrative_check", "problems", "render", "sentences"]
