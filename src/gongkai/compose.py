"""Drafts of the narrative sections 一, 五 and 六 of an annual report, from facts only.

The annual report composer pre-fills the narrative for the clerk. Everything it writes comes from
the report's own numbers, last year's report and a few optional facts the caller knows (items
published by the catalog, the 信息处理费 charged, the channel log's meetings and media: :mod:`gongkai.outreach`); anything else is a **placeholder** the clerk must
fill, written ``【待填写：…】`` so that it stands out and so that publication can be blocked while any
remains (:func:`placeholders`).

Pipeline::

    facts_from(report, previous)  ->  Facts            (numbers and changes on last year)
    problems_from(previous 五)    ->  tuple[str, ...]  (last year's problems, for follow-up)
    draft_section_1/5/6(facts)    ->  SectionText
    compose(report, previous=…)   ->  Draft            (the three sections and their placeholders)

Pure Python: no Django, no I/O. Sentences for counts follow the phrases that check W1 reads back
(共收到政府信息公开申请N件, 上年结转N件, 结转下年度继续办理N件 …), so a draft agrees with its tables.
"""
from __future__ import annotations

import re
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from .formats import BodyKind, Format, Level
from .outreach import OutreachFacts, sentences
from .report import Report, SectionText

PLACEHOLDER_OPEN = "【待填写："
PLACEHOLDER_CLOSE = "】"
_PLACEHOLDER = re.compile(r"【待填写：([^】]*)】")


def placeholder(what: str) -> str:
    """The marker for something only the clerk can write (``【待填写：what】``)."""
    return f"{PLACEHOLDER_OPEN}{what}{PLACEHOLDER_CLOSE}"


def placeholders(text: str) -> list[str]:
    """What is still to be filled in ``text`` (the ``what`` of each placeholder, in order)."""
    return _PLACEHOLDER.findall(text or "")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CatalogFacts(_Frozen):
    """What the body's catalog knows about the year (optional: the composer works without it)."""

    published: int  # items published proactively in the year
    previous_published: int | None = None  # the same count for last year, if the catalog has it
    by_category: tuple[tuple[str, int], ...] = ()  # (公开目录 label, count), largest first
    guide_updated: bool | None = None  # the 政府信息公开指南 was updated in the year
    overdue: int | None = None  # items published later than 20 working days (第二十六条)


class FeeFacts(_Frozen):
    """The 信息处理费 of the year (国办函〔2020〕109号); not 行政事业性收费."""

    amount_yuan: Decimal
    notices: int = 0  # fee notices sent


class Facts(_Frozen):
    """The facts a draft may state: this year's numbers and last year's, side by side."""

    agency: str | None
    year: int | None
    is_government: bool  # a 县级以上 government: 一 also reports 工作考核、社会评议和责任追究
    numbers: dict[str, int | Decimal]  # key -> this year's value (only keys present in the report)
    previous: dict[str, int | Decimal]  # key -> last year's value (empty without a previous report)
    labels: dict[str, str]  # key -> row label from the format (行政规范性文件 …)
    previous_problems: tuple[str, ...] = ()
    catalog: CatalogFacts | None = None
    fee: FeeFacts | None = None
    outreach: OutreachFacts | None = None  # the channel log: meetings, lectures, media, 公告栏, 公众号


class Draft(_Frozen):
    sections: tuple[SectionText, ...]  # 一, 五, 六

    @property
    def placeholders(self) -> list[str]:
        return [p for s in self.sections for p in placeholders(s.text)]

    def section(self, number: int) -> SectionText:
        return next(s for s in self.sections if s.number == number)


# --- facts ------------------------------------------------------------------------------------
_S3_ROWS = ("new", "carried_over", "granted", "partial", "total", "carry_forward")
_S3_GROUPS = ("denied", "unable", "not_processed", "other")
_S2_KEYS = ("s2.rules.issued", "s2.rules.repealed", "s2.rules.in_force", "s2.normative_docs.issued",
            "s2.normative_docs.repealed", "s2.normative_docs.in_force", "s2.licensing.decisions",
            "s2.penalty.decisions", "s2.coercion.decisions")
_S4_BLOCKS = ("review", "litigation_direct", "litigation_after_review")


def _numbers(report: Report) -> dict[str, int | Decimal]:
    out: dict[str, int | Decimal] = {}
    for key, cell in report.cells.items():
        if cell.value is not None:
            out[key] = cell.value
    # derived: group totals of 三 (sum of leaves, whatever the collapsed form) and 四 litigation
    for group in _S3_GROUPS:
        vals = [c.value for k, c in report.cells.items()
                if k.startswith(f"s3.{group}") and k.endswith(".total") and c.value is not None]
        if vals:
            out[f"s3.{group}.*"] = sum(vals)
    lit = [report.value(f"s4.{b}.total") for b in _S4_BLOCKS[1:]]
    if any(v is not None for v in lit):
        out["s4.litigation.*"] = sum(v or 0 for v in lit)
    return out


def _labels(fmt: Format) -> dict[str, str]:
    out: dict[str, str] = {}
    for key in fmt.keys():  # noqa: SIM118 (Format is not a mapping)
        _table, row, col = fmt.locate(key)
        out[key] = row.label
        out[f"col:{key}"] = col.label
    return out


def facts_from(report: Report, *, previous: Report | None = None, catalog: CatalogFacts | None = None,
               fee: FeeFacts | None = None, outreach: OutreachFacts | None = None) -> Facts:
    """Collect the facts of ``report`` (and of last year's, for the changes)."""
    prev_text = previous.section(5).text if previous and previous.section(5) else ""
    return Facts(
        agency=report.agency, year=report.year,
        is_government=(report.metadata.body_kind == BodyKind.GOVERNMENT
                       and report.metadata.level != Level.TOWNSHIP),
        numbers=_numbers(report), previous=_numbers(previous) if previous else {},
        labels=_labels(report.format_for("s2.rules.issued")) | _labels(report.fmt),
        previous_problems=problems_from(prev_text), catalog=catalog, fee=fee, outreach=outreach,
    )


# --- last year's problems ---------------------------------------------------------------------
_IMPROVE_START = re.compile(r"(（[一二三四]）|[一二三四][、.．])?\s*(改进(措施|情况|方向)|整改措施|下一步|将采取以下措施|"
                            r"[将拟]从以下[几方]|[0-9]{4}年[，,]?[我本]\S{0,6}将)")
_ITEM = re.compile(r"(?:[一二三四五六七八九十]是|（[一二三四五六七八九十]）|(?<![0-9])[1-9][、.．](?![0-9]))")
_PROBLEM_WORDS = ("不够", "不足", "有待", "欠缺", "问题", "滞后", "不高", "不强", "薄弱", "不到位", "较少", "不及时",
                  "不全面", "不规范", "不完善", "不精确", "需要", "尚未", "仍需", "差距", "不深")
_INTRO = re.compile(r"^.*?(以下几个方面|以下问题|不足之处|主要问题|存在的问题)[^：:]*[：:]")


def problems_from(text: str) -> tuple[str, ...]:
    """The problems a report's section 五 lists (the part before its improvements), one per item.

    Items are found by their markers (一是/二是, （一）, 1.) or, without markers, by sentence;
    only those that read as a problem are kept. Returns ``()`` when nothing is recognisable.
    """
    text = re.sub(r"\s+", "", text or "").replace("(", "（").replace(")", "）")
    text = re.sub(r"(^|[。；])[-*•·]+", r"\1", text)  # list bullets of a markdown or plain-text source
    if not text:
        return ()
    # drop the heading-like opening "（一）存在的主要问题。" and stop where the improvements start
    text = re.sub(r"^(（一）|一[、.．])?(存在的)?主要问题[。：:]?", "", text)
    m = _IMPROVE_START.search(text, 8)
    problem_part = text[: m.start()] if m else text
    problem_part = _INTRO.sub("", problem_part, count=1)
    pieces = [p for p in _ITEM.split(problem_part) if p]
    if len(pieces) <= 1:
        pieces = re.split(r"[。；;]", problem_part)
    out: list[str] = []
    for piece in pieces:
        piece = piece.strip("，,；;。：: -—")
        piece = re.sub(r"^(存在的)?(主要)?问题(主要)?(有|是)?(以下几个方面)?[：:]?", "", piece)
        if len(piece) < 4 or not any(w in piece for w in _PROBLEM_WORDS):
            continue
        out.append(piece if len(piece) <= 120 else piece[:119] + "…")
    return tuple(out[:8])


# --- wording helpers --------------------------------------------------------------------------
def _n(facts: Facts, key: str) -> int | Decimal | None:
    return facts.numbers.get(key)


def change(now: int | Decimal | None, before: int | Decimal | None, unit: str = "件") -> str:
    """``，较上年增加2件`` / ``，较上年减少1件`` / ``，与上年持平`` — or ``""`` when last year is unknown."""
    if now is None or before is None:
        return ""
    diff = now - before
    if diff > 0:
        return f"，较上年增加{diff}{unit}"
    if diff < 0:
        return f"，较上年减少{-diff}{unit}"
    return "，与上年持平"


def _with_change(facts: Facts, key: str) -> str:
    return change(_n(facts, key), facts.previous.get(key))


def _fmt(v: int | Decimal | None) -> str:
    if v is None:
        return "0"
    if isinstance(v, Decimal):
        return format(v.normalize(), "f") if v != v.to_integral_value() else str(int(v))
    return str(v)


# --- section 一 -------------------------------------------------------------------------------
def draft_section_1(facts: Facts, *, heading: str) -> SectionText:
    year = f"{facts.year}年" if facts.year else "本年度"
    opening = f"{year}，{facts.agency or '本机关'}{placeholder('总体工作概述（指导思想、主要举措，请据实填写）')}"
    overview, platforms = sentences(facts.outreach) if facts.outreach is not None else ("", "")
    opening += overview
    parts: list[str] = [opening]
    # (一) 主动公开
    p1 = "（一）主动公开。"
    if facts.catalog is not None:
        p1 += f"全年通过政府信息公开专栏主动公开政府信息{facts.catalog.published}条"
        p1 += change(facts.catalog.published, facts.catalog.previous_published, "条")
        if facts.catalog.by_category:
            top = "、".join(f"{label}{n}条" for label, n in facts.catalog.by_category[:5])
            p1 += f"，其中{top}"
        p1 += "。"
        if facts.catalog.overdue:
            p1 += f"有{facts.catalog.overdue}条信息未在形成或变更之日起20个工作日内公开。"
    else:
        p1 += f"全年主动公开政府信息{placeholder('条数')}条。"
    nd = "s2.normative_docs"
    if _n(facts, f"{nd}.issued") is not None:
        label = facts.labels.get(f"{nd}.issued", "")
        p1 += (f"本年制发{label}{_fmt(_n(facts, f'{nd}.issued'))}件{_with_change(facts, f'{nd}.issued')}，"
               f"现行有效{label}{_fmt(_n(facts, f'{nd}.in_force'))}件。")
    decisions = [(facts.labels.get(k, ""), _n(facts, k)) for k in
                 ("s2.licensing.decisions", "s2.penalty.decisions", "s2.coercion.decisions")]
    if any(v is not None for _, v in decisions):
        p1 += "公开" + "、".join(f"{label}决定{_fmt(v)}件" for label, v in decisions if v is not None) + "。"
    p1 += placeholder("主动公开的其他重点工作")
    parts.append(p1)
    # (二) 依申请公开
    p2 = "（二）依申请公开。"
    new, total = _n(facts, "s3.new.total"), _n(facts, "s3.total.total")
    if new is not None:
        if new == 0 and not _n(facts, "s3.carried_over.total"):
            p2 += "本年度未收到政府信息公开申请。"
        else:
            p2 += f"本年度共收到政府信息公开申请{_fmt(new)}件{_with_change(facts, 's3.new.total')}"
            natural = _n(facts, "s3.new.natural")
            if natural is not None:
                p2 += f"，其中{facts.labels.get('col:s3.new.natural', '')}{_fmt(natural)}件"
                orgs = (new or 0) - natural
                p2 += f"、法人或其他组织{_fmt(orgs)}件" if orgs else ""
            p2 += "。"
            carried = _n(facts, "s3.carried_over.total")
            if carried:
                p2 += f"上年结转{_fmt(carried)}件。"
            if total is not None:
                p2 += f"本年度办结{_fmt(total)}件"
                results = [("予以公开", _n(facts, "s3.granted.total")), ("部分公开", _n(facts, "s3.partial.total")),
                           ("不予公开", _n(facts, "s3.denied.*")), ("无法提供", _n(facts, "s3.unable.*")),
                           ("不予处理", _n(facts, "s3.not_processed.*")), ("其他处理", _n(facts, "s3.other.*"))]
                named = [f"{name}{_fmt(v)}件" for name, v in results if v]
                p2 += ("，其中" + "、".join(named) if named else "") + "。"
            forward = _n(facts, "s3.carry_forward.total")
            if forward:
                p2 += f"结转下年度继续办理{_fmt(forward)}件。"
    else:
        p2 += placeholder("依申请公开情况")
    parts.append(p2)
    # (三) 政府信息管理
    p3 = ("（三）政府信息管理。坚持“先审查、后公开”和“一事一审”，信息发布前均经保密审查。"
          + placeholder("规范性文件清理、信息动态更新等情况"))
    if facts.catalog is not None and facts.catalog.guide_updated:
        p3 = p3.replace("。" + PLACEHOLDER_OPEN, "。本年度更新了政府信息公开指南。" + PLACEHOLDER_OPEN, 1)
    parts.append(p3)
    parts.append("（四）政府信息公开平台建设。" + platforms + placeholder("专栏、政务新媒体、公开查阅点等平台建设情况"))
    # (五) 监督保障
    p5 = "（五）监督保障。"
    review, lit = _n(facts, "s4.review.total"), _n(facts, "s4.litigation.*")
    if review is not None or lit is not None:
        if not review and not lit:
            p5 += "本年度未发生因政府信息公开工作被申请行政复议或提起行政诉讼的情况。"
        else:
            p5 += (f"本年度因政府信息公开工作被申请行政复议{_fmt(review)}件"
                   f"{_with_change(facts, 's4.review.total')}，"
                   f"被提起行政诉讼{_fmt(lit)}件{change(lit, facts.previous.get('s4.litigation.*'))}。")
    p5 += placeholder("培训、考核、监督检查等情况")
    parts.append(p5)
    if facts.is_government:
        parts.append("（六）工作考核、社会评议和责任追究结果情况。" + placeholder("考核、评议和责任追究结果"))
    return SectionText(number=1, heading=heading, text="\n".join(parts), order=1)


# --- section 五 -------------------------------------------------------------------------------
def draft_section_5(facts: Facts, *, heading: str) -> SectionText:
    parts = ["（一）存在的主要问题。" + placeholder("本年度存在的主要问题"),
             "（二）改进情况。" + placeholder("针对上述问题的改进措施")]
    follow = "（三）上年度问题整改情况。"
    if facts.previous_problems:
        follow += "上年度报告所列问题的整改情况如下："
        lines = [follow] + [f"{i}.{p}。整改情况：{placeholder('整改情况')}"
                            for i, p in enumerate(facts.previous_problems, 1)]
        parts.append("\n".join(lines))
    elif facts.previous:
        parts.append(follow + placeholder("上年度报告所列问题未能自动识别，请对照上年度报告填写整改情况"))
    else:
        parts.append(follow + placeholder("上年度报告所列问题及整改情况"))
    return SectionText(number=5, heading=heading, text="\n".join(parts), order=5)


# --- section 六 -------------------------------------------------------------------------------
def draft_section_6(facts: Facts, *, heading: str) -> SectionText:
    if facts.fee is None:
        fee = placeholder("本年度收取信息处理费情况（金额，或写明未收取）")
        no_fee = _n(facts, "s3.other.no_fee.total")
        if no_fee:
            fee += f"（本年度有{_fmt(no_fee)}件申请因逾期未缴纳信息处理费不再处理，请写明收费通知及收费情况。）"
    elif facts.fee.amount_yuan == 0:
        fee = (f"本年度发出收费通知{facts.fee.notices}件，未收取信息处理费。" if facts.fee.notices
               else "本年度未收取信息处理费。")
    else:
        fee = (f"本年度共发出收费通知{facts.fee.notices}件，收取信息处理费{_fmt(facts.fee.amount_yuan)}元。"
               if facts.fee.notices else f"本年度收取信息处理费{_fmt(facts.fee.amount_yuan)}元。")
    parts = [f"（一）信息处理费收取情况。{fee}",
             "（二）落实上级年度政务公开工作要点情况。" + placeholder("落实情况"),
             "（三）人大代表建议和政协提案办理结果公开情况。" + placeholder("办理及公开情况，如无请写明"),
             "（四）政务公开创新情况。" + placeholder("创新举措，如无可删除本段")]
    return SectionText(number=6, heading=heading, text="\n".join(parts), order=6)


def compose(report: Report, *, previous: Report | None = None, catalog: CatalogFacts | None = None,
            fee: FeeFacts | None = None, outreach: OutreachFacts | None = None) -> Draft:
    """Drafts of sections 一, 五 and 六 for ``report`` (its tables filled), with last year's for changes and,
    given the channel log (``outreach``), its meetings, media, 公告栏 and 公众号 sentences."""
    facts = facts_from(report, previous=previous, catalog=catalog, fee=fee, outreach=outreach)
    headings = {s.number: s.heading for s in report.fmt.sections}
    return Draft(sections=(draft_section_1(facts, heading=headings[1]),
                           draft_section_5(facts, heading=headings[5]),
                           draft_section_6(facts, heading=headings[6])))


def with_drafts(report: Report, draft: Draft, *, keep_existing: bool = True) -> Report:
    """``report`` with the draft's sections added (an existing non-empty section is kept if asked)."""
    by_number = {s.number: s for s in report.sections}
    for s in draft.sections:
        if not (keep_existing and s.number in by_number and by_number[s.number].text.strip()):
            by_number[s.number] = s
    return report.model_copy(update={"sections": tuple(by_number[n] for n in sorted(by_number))})


__all__ = ["CatalogFacts", "Draft", "Facts", "FeeFacts", "change", "compose", "draft_section_1", "draft_section_5",
           "draft_section_6", "facts_from", "placeholder", "placeholders", "problems_from", "with_drafts"]
