"""Random valid reports written as text in the layouts real reports come in (variants.md).

Layouts: Markdown pipe tables, tab-separated lines, space-separated lines, and crawler-flattened
text (every table row its label followed by its digits with no separators, V16).
Perturbations: blank cells for zeros (V4), labels split by spaces or <br> (V8), Traditional
characters (V7), missing captions (V6), full-width digits (V7).
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

import opencc
from hypothesis import strategies as st

from gongkai.formats import RowKind, ValueType, get_format
from gongkai.report import Cell, Metadata, Report, Status

AGENCIES = ("南岗区七政街道办事处", "淮安市人民政府", "上海市科学技术委员会", "沭阳县人民政府", "某市某区教育局")
LAYOUTS = ("markdown", "tsv", "spaces", "flat")
_S2T = opencc.OpenCC("s2t")
_FULL = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass(frozen=True)
class Variant:
    layout: str = "markdown"
    blanks: bool = False
    split_labels: bool = False
    traditional: bool = False
    no_captions: bool = False
    fullwidth: bool = False
    seed: int = 0


counts = st.one_of(st.just(0), st.just(0), st.integers(0, 9), st.integers(0, 400), st.integers(0, 99999))


@st.composite
def valid_reports(draw: st.DrawFn, *, formats: tuple[str, ...] = ("2021", "2019-trial")) -> Report:
    fid = draw(st.sampled_from(formats))
    fmt = get_format(fid)
    collapsed = fid == "2021" and draw(st.booleans())
    cols = [c.key for c in fmt.s3.columns if c.key != "total"]
    leaves = fmt.s3_leaves(collapsed=frozenset({"other"}) if collapsed else frozenset())
    cells: dict[str, int | Decimal] = {}
    totals = dict.fromkeys(cols, 0)
    for leaf in leaves:
        for c in cols:
            n = draw(counts)
            cells[f"s3.{leaf}.{c}"] = n
            totals[c] += n
        cells[f"s3.{leaf}.total"] = sum(int(cells[f"s3.{leaf}.{c}"]) for c in cols)
    for c in cols:
        cf = draw(st.integers(0, 30))
        co = min(draw(st.integers(0, 30)), totals[c] + cf)
        cells[f"s3.total.{c}"] = totals[c]
        cells[f"s3.carry_forward.{c}"] = cf
        cells[f"s3.carried_over.{c}"] = co
        cells[f"s3.new.{c}"] = totals[c] + cf - co
    for row in ("new", "carried_over", "total", "carry_forward"):
        cells[f"s3.{row}.total"] = sum(int(cells[f"s3.{row}.{c}"]) for c in cols)
    for block in ("review", "litigation_direct", "litigation_after_review"):
        parts = [draw(st.integers(0, 40)) for _ in range(4)]
        for name, n in zip(("upheld", "corrected", "other", "pending"), parts, strict=True):
            cells[f"s4.{block}.{name}"] = n
        cells[f"s4.{block}.total"] = sum(parts)
    for key in fmt.keys():  # noqa: SIM118 (a Format, not a dict)
        if not key.startswith("s2."):
            continue
        vt = fmt.value_type(key)
        if vt is ValueType.WAN_YUAN or vt is ValueType.MONEY:
            places = draw(st.integers(0, 6))
            units = draw(st.integers(0, 10**7))
            cells[key] = Decimal(units).scaleb(-places)
        elif vt is ValueType.SIGNED_INT:
            cells[key] = draw(st.integers(-300, 300))
        else:
            cells[key] = draw(counts)
    year = draw(st.integers(2019, 2025))
    agency = draw(st.sampled_from(AGENCIES))
    md = Metadata(agency=agency, year=year, period_start=dt.date(year, 1, 1), period_end=dt.date(year, 12, 31))
    return Report(format=fid, metadata=md, cells={k: Cell(value=v, status=Status.OK) for k, v in cells.items()})


def sample_report(fid: str = "2021", *, seed: int = 1, collapsed: bool = False) -> Report:
    """A fixed valid report with varied numbers (deterministic, for example-based tests)."""
    rng = random.Random(seed)
    fmt = get_format(fid)
    cols = [c.key for c in fmt.s3.columns if c.key != "total"]
    leaves = fmt.s3_leaves(collapsed=frozenset({"other"}) if collapsed and fid == "2021" else frozenset())
    cells: dict[str, int | Decimal] = {}
    totals = dict.fromkeys(cols, 0)
    for leaf in leaves:
        for c in cols:
            n = rng.choice([0, 0, 1, 2, 5, 13, 240])
            cells[f"s3.{leaf}.{c}"] = n
            totals[c] += n
        cells[f"s3.{leaf}.total"] = sum(int(cells[f"s3.{leaf}.{c}"]) for c in cols)
    for c in cols:
        cf, co = rng.randint(0, 9), rng.randint(0, 5)
        cells[f"s3.total.{c}"], cells[f"s3.carry_forward.{c}"] = totals[c], cf
        cells[f"s3.carried_over.{c}"] = min(co, totals[c] + cf)
        cells[f"s3.new.{c}"] = totals[c] + cf - int(cells[f"s3.carried_over.{c}"])
    for row in ("new", "carried_over", "total", "carry_forward"):
        cells[f"s3.{row}.total"] = sum(int(cells[f"s3.{row}.{c}"]) for c in cols)
    for block in ("review", "litigation_direct", "litigation_after_review"):
        parts = [rng.randint(0, 12) for _ in range(4)]
        for name, n in zip(("upheld", "corrected", "other", "pending"), parts, strict=True):
            cells[f"s4.{block}.{name}"] = n
        cells[f"s4.{block}.total"] = sum(parts)
    for key in fmt.keys():  # noqa: SIM118 (a Format, not a dict)
        if key.startswith("s2."):
            vt = fmt.value_type(key)
            if vt in (ValueType.WAN_YUAN, ValueType.MONEY):
                cells[key] = Decimal(rng.randint(0, 10**8)).scaleb(-rng.randint(0, 6))
            elif vt is ValueType.SIGNED_INT:
                cells[key] = rng.randint(-50, 50)
            else:
                cells[key] = rng.randint(0, 3000)
    md = Metadata(agency=AGENCIES[seed % len(AGENCIES)], year=2019 + seed % 7)
    return Report(format=fid, metadata=md, cells={k: Cell(value=v, status=Status.OK) for k, v in cells.items()})


variants = st.builds(Variant, layout=st.sampled_from(LAYOUTS), blanks=st.booleans(), split_labels=st.booleans(),
                     traditional=st.booleans(), no_captions=st.booleans(), fullwidth=st.booleans(),
                     seed=st.integers(0, 2**16))


# --- writing ------------------------------------------------------------------------------------
def _num(v: int | Decimal | None) -> str:
    if v is None:
        return "0"
    if isinstance(v, Decimal):
        return format(v, "f")
    return str(v)


class _Writer:
    def __init__(self, report: Report, variant: Variant) -> None:
        self.r = report
        self.v = variant
        self.rng = random.Random(variant.seed)
        self.fmt = report.fmt
        self.collapsed = report.collapsed

    def label(self, text: str) -> str:
        if self.v.split_labels and len(text) > 4 and self.v.layout != "flat":
            cut = self.rng.randrange(2, len(text) - 1)
            sep = self.rng.choice([" ", "<br>"]) if self.v.layout == "markdown" else " "
            return text[:cut] + sep + text[cut:]
        return text

    def cell(self, key: str) -> str:
        v = self.r.value(key)
        text = _num(v)
        if self.v.blanks and v == 0 and self.v.layout != "flat":
            pool = ["-", "/", "—", "无"] if self.v.layout == "spaces" else ["", "-", "/", "—", "无"]
            text = self.rng.choice(pool)
        if self.v.fullwidth and self.v.layout != "flat":
            text = text.translate(_FULL)
        return text

    def rows(self) -> list[tuple[str, list[str]] | str]:
        """Printed content in order: headings and captions as strings, table rows as (label, cells)."""
        fmt, r = self.fmt, self.r
        out: list[tuple[str, list[str]] | str] = []
        out.append(f"{r.agency}{r.year}年政府信息公开工作年度报告")
        out.append(f"本报告根据《中华人民共和国政府信息公开条例》和{fmt.basis}要求编制。"
                   f"本报告所列数据的统计期限为{r.year}年1月1日至{r.year}年12月31日。")
        out.append(fmt.sections[0].heading)
        out.append("本年度，本机关持续推进政府信息公开工作。")
        out.append(fmt.sections[1].heading)
        for table in fmt.tables_of(2):
            if table.caption and not self.v.no_captions:
                out.append(table.caption)
            out.append(("信息内容", [self.label(c.label) for c in table.columns]))
            for row in table.data_rows:
                out.append((self.label(row.label), [self.cell(table.cell_key(row, c)) for c in table.columns]))
        out.append(fmt.sections[2].heading)
        s3 = fmt.s3
        out.append(("申请人情况", [c.label for c in s3.columns]))
        leaves = set(fmt.s3_leaves(collapsed=self.collapsed))
        for row in s3.rows:
            if row.kind is RowKind.GROUP:
                if row.collapsible and "other" in self.collapsed:
                    out.append((self.label(row.label), [self.cell(f"s3.other.{c.key}") for c in s3.columns]))
                    continue
                out.append(row.label)
                continue
            if row.kind is RowKind.LEAF and row.key not in leaves:
                continue
            out.append((self.label(row.label), [self.cell(f"s3.{row.key}.{c.key}") for c in s3.columns]))
        out.append(fmt.sections[3].heading)
        s4 = fmt.s4
        out.append(("行政复议", [c.label for c in s4.columns]))
        out.append(("", [self.cell(s4.cell_key(s4.rows[0], c)) for c in s4.columns]))
        out.append(fmt.sections[4].heading)
        out.append("（一）存在的主要问题：公开内容的及时性有待提高。")
        out.append(fmt.sections[5].heading)
        out.append("本年度未收取信息处理费。")
        return out

    def render(self) -> str:
        items = self.rows()
        lay = self.v.layout
        lines: list[str] = []
        if lay == "flat":
            flat = "".join(x if isinstance(x, str) else x[0] + "".join(x[1]) for x in items[1:])
            lines = [f"标题: {items[0]}", "==== 正文 ====", flat]
        else:
            table: list[tuple[str, list[str]]] = []

            def flush() -> None:
                if not table:
                    return
                width = max(len(c) for _, c in table) + 1
                for i, (lab, cells) in enumerate(table):
                    row = [lab, *cells] + [""] * (width - 1 - len(cells))
                    if lay == "markdown":
                        lines.append("| " + " | ".join(row) + " |")
                        if i == 0:
                            lines.append("|" + "---|" * width)
                    elif lay == "tsv":
                        lines.append("\t".join(row))
                    else:
                        lines.append(" ".join(x for x in row if x))
                lines.append("")
                table.clear()

            for x in items:
                if isinstance(x, str):
                    flush()
                    prefix = "## " if lay == "markdown" and x[:2] in ("一、", "二、", "三、", "四、", "五、", "六、") else ""
                    lines.append(prefix + x)
                    lines.append("")
                else:
                    table.append(x)
            flush()
        text = "\n".join(lines)
        if self.v.traditional:
            text = _S2T.convert(text)
        return text


def render_text(report: Report, variant: Variant) -> str:
    return _Writer(report, variant).render()


__all__ = ["LAYOUTS", "Variant", "render_text", "sample_report", "valid_reports", "variants"]
