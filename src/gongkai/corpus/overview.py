"""`gongkai corpus report`: a static HTML overview of a dataset, with charts (matplotlib, also PNG and SVG).

Parts: applications per year and level; the outcome mix; the share of 部分公开 and 不予公开; 复议/诉讼
correction rates; fees; data quality by region and level (identity failures, missing sections, X4 repetition);
the bodies with errors, each linked to its findings; the findings as a 通报 table (CSV and XLSX).
Every figure is a sum over the distinct reports in the dataset, as printed (no cell is corrected).
"""
from __future__ import annotations

import base64
import csv
import io
from collections import defaultdict
from html import escape
from pathlib import Path
from typing import Any

from ..errors import InputError
from .build import DB_NAME

LEVELS = {"national": "国务院部门", "provincial": "省级", "prefecture": "设区的市级", "county": "县级",
          "township": "乡镇（街道）级", None: "未识别层级"}
LEVEL_ORDER = list(LEVELS)
FINDING_LEVELS = {"error": "错误", "warning": "警告", "info": "提示"}
OUTCOMES = (("granted", "予以公开", "key = 's3.granted.total'"),
            ("partial", "部分公开", "key = 's3.partial.total'"),
            ("denied", "不予公开", "key LIKE 's3.denied.%.total'"),
            ("unable", "无法提供", "key LIKE 's3.unable.%.total'"),
            ("not_processed", "不予处理", "key LIKE 's3.not_processed.%.total'"),
            ("other", "其他处理", "(key = 's3.other.total' OR key LIKE 's3.other.%.total')"))
CJK_FONTS = ["Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "WenQuanYi Micro Hei", "LXGW WenKai",
             "Noto Serif CJK SC", "SimHei", "Microsoft YaHei"]
STYLE = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;max-width:70em;margin:2em auto;
  padding:0 1em;color:#111;line-height:1.5}
h1{text-align:center;font-size:1.5em}h2{border-bottom:2px solid #333;font-size:1.2em;margin-top:1.8em}
table{border-collapse:collapse;width:100%;font-size:.9em;margin:.5em 0 1em}th,td{border:1px solid #aaa;padding:.2em .4em}
th{background:#eee}td.n{text-align:right;font-variant-numeric:tabular-nums}figure{margin:1em 0;text-align:center}
figure img{max-width:100%}figcaption{font-size:.85em;color:#555}.note{color:#555;font-size:.9em}
.error{color:#b00020}.warning{color:#8a5a00}
@media print{body{max-width:none;margin:0}figure,tr{page-break-inside:avoid}}
"""


def _con(dataset: Path) -> Any:
    import duckdb

    db = dataset / DB_NAME
    if not db.exists():
        raise InputError(f"不是数据集文件夹（没有 {DB_NAME}），请先运行 gongkai corpus build", path=str(dataset))
    return duckdb.connect(str(db), read_only=True)


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    have = {f.name for f in font_manager.fontManager.ttflist}
    fonts = [f for f in CJK_FONTS if f in have]
    plt.rcParams["font.sans-serif"] = [*fonts, "DejaVu Sans"]
    plt.rcParams["font.family"] = "sans-serif"
    plt.rcParams["axes.unicode_minus"] = False
    plt.rcParams["svg.fonttype"] = "none"  # SVG text stays text (searchable, copyable)
    return plt


class _Charts:
    """Each chart saved as PNG and SVG in a folder beside the HTML, and embedded in the HTML as PNG."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.plt = _plt()
        self.written: list[Path] = []

    def save(self, fig: Any, name: str, caption: str) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        fig.tight_layout()
        png, svg = self.folder / f"{name}.png", self.folder / f"{name}.svg"
        fig.savefig(png, dpi=110)
        fig.savefig(svg)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=110)
        self.plt.close(fig)
        self.written += [png, svg]
        data = base64.b64encode(buf.getvalue()).decode()
        return (f'<figure><img alt="{escape(caption)}" src="data:image/png;base64,{data}">'
                f'<figcaption>{escape(caption)}（<a href="{escape(self.folder.name)}/{name}.svg">SVG</a>、'
                f'<a href="{escape(self.folder.name)}/{name}.png">PNG</a>）</figcaption></figure>')


def _table(head: list[str], rows: list[list[Any]], *, numeric: set[int] | None = None) -> str:
    numeric = numeric or set()
    out = ["<table><tr>" + "".join(f"<th>{escape(h)}</th>" for h in head) + "</tr>"]
    for r in rows:
        out.append("<tr>" + "".join(f'<td class="n">{_fmt(v)}</td>' if i in numeric else f"<td>{v}</td>"
                                    for i, v in enumerate(r)) + "</tr>")
    out.append("</table>")
    return "".join(out)


def _legend(ax: Any) -> None:
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)


def _stacked_by_level(plt: Any, charts: Any, years: list[int], levels: list[str], data: dict, *,
                      size: tuple[float, float], ylabel: str, title: str, name: str, caption: str) -> str:
    """A bar per year, stacked by level (``data[(year, level)]``), saved as a chart; its HTML."""
    fig, ax = plt.subplots(figsize=size)
    bottom = [0.0] * len(years)
    for lv in levels:
        vals = [data.get((y, lv), 0.0) for y in years]
        ax.bar([str(y) for y in years], vals, bottom=bottom, label=LEVELS[lv])
        bottom = [b + v for b, v in zip(bottom, vals, strict=True)]
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_title(title)
    _legend(ax)
    return charts.save(fig, name, caption)


class Share(float):
    """A share, printed as a percentage."""


def _fmt(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, Share):
        return f"{v:.1%}"
    if isinstance(v, float):
        return f"{v:,.2f}"
    return f"{v:,}" if isinstance(v, int) else escape(str(v))


def _pct(a: float | None, b: float | None) -> Share | None:
    return None if not b else Share((a or 0) / b)


def figures(con: Any) -> dict[str, Any]:
    """The numbers behind the charts, per year (and level), from the cells of every report."""
    outcome_sql = ", ".join(f"sum(value) FILTER (WHERE {cond}) AS {key}" for key, _, cond in OUTCOMES)
    per_report = con.execute(f"""
        SELECT r.report_id, r.year, r.level,
               sum(value) FILTER (WHERE key = 's3.new.total') AS new,
               sum(value) FILTER (WHERE key = 's3.total.total') AS handled,
               {outcome_sql},
               sum(value) FILTER (WHERE key = 's4.review.total') AS review,
               sum(value) FILTER (WHERE key = 's4.review.corrected') AS review_corrected,
               sum(value) FILTER (WHERE key IN ('s4.litigation_direct.total', 's4.litigation_after_review.total'))
                   AS litigation,
               sum(value) FILTER (WHERE key IN ('s4.litigation_direct.corrected',
                                                's4.litigation_after_review.corrected')) AS litigation_corrected,
               sum(value) FILTER (WHERE key = 's2.fees.amount') AS fees
        FROM reports r JOIN cells c USING (report_id)
        WHERE r.year IS NOT NULL
        GROUP BY ALL ORDER BY r.year""").fetchall()
    cols = ["report_id", "year", "level", "new", "handled", *(k for k, _, _ in OUTCOMES), "review",
            "review_corrected", "litigation", "litigation_corrected", "fees"]
    rows = [dict(zip(cols, r, strict=True)) for r in per_report]
    by_year: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    by_year_level: dict[tuple[int, Any], float] = defaultdict(float)
    fees_by_year_level: dict[tuple[int, Any], float] = defaultdict(float)
    for r in rows:
        y = r["year"]
        by_year[y]["reports"] += 1
        for block in ("review", "litigation"):  # a rate only from blocks that add up (结果纠正 ≤ 总计)
            if r[f"{block}_corrected"] is not None and r[block] is not None and r[f"{block}_corrected"] > r[block]:
                by_year[y][f"{block}_skipped"] += 1
                r[block] = r[f"{block}_corrected"] = None
        for k in cols[3:]:
            by_year[y][k] += r[k] or 0
        by_year_level[(y, r["level"])] += r["new"] or 0
        fees_by_year_level[(y, r["level"])] += r["fees"] or 0
    return {"rows": rows, "by_year": by_year, "by_year_level": by_year_level, "fees": fees_by_year_level}


def overview(dataset: str | Path, output: str | Path) -> list[Path]:
    """Write the overview HTML, its charts (PNG, SVG) and the 通报 table (CSV, XLSX); return the paths written."""
    dataset, output = Path(dataset), Path(output)
    con = _con(dataset)
    charts = _Charts(output.parent / f"{output.stem}_图表")
    plt = charts.plt
    fig_data = figures(con)
    by_year = fig_data["by_year"]
    years = sorted(by_year)
    n_reports, n_bodies, n_errors_files = con.execute(
        "SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM bodies), (SELECT count(*) FROM errors)"
    ).fetchone()
    parts: list[str] = [(f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
                        f"<title>政府信息公开工作年度报告数据集概览</title><style>{STYLE}</style></head><body>"),
                        "<h1>政府信息公开工作年度报告数据集概览</h1>",
                        (f'<p class="note">数据集 {escape(str(dataset))}：报告 {n_reports} 份（按内容去重），机关 {n_bodies} 个，'
                        f"无法读取的文件 {n_errors_files} 个。所有数字按报告印出的数值相加，不作修正；"
                        "同一机关同一年度有多份文件时各自计入。</p>")]
    levels_present = [lv for lv in LEVEL_ORDER if any(k[1] == lv for k in fig_data["by_year_level"])]

    # 1. applications per year and level
    parts.append("<h2>一、依申请公开：各年度各层级新收申请数量</h2>")
    if years:
        parts.append(_stacked_by_level(plt, charts, years, levels_present, fig_data["by_year_level"], size=(8, 4),
                                       ylabel="新收申请（件）", title="本年新收政府信息公开申请数量（按年度、层级）",
                                       name="applications", caption="各年度各层级新收申请数量"))
        parts.append(_table(["年度", "报告数", *(LEVELS[lv] for lv in levels_present), "合计"],
                            [[y, int(by_year[y]["reports"]),
                              *(int(fig_data["by_year_level"].get((y, lv), 0)) for lv in levels_present),
                              int(by_year[y]["new"])] for y in years],
                            numeric=set(range(1, len(levels_present) + 3))))
    else:
        parts.append("<p>数据集中没有可识别年度的报告。</p>")

    # 2. outcome mix and 3. shares of 部分公开 / 不予公开
    parts.append("<h2>二、办理结果构成</h2>")
    if years:
        fig, ax = plt.subplots(figsize=(8, 4))
        bottom = [0.0] * len(years)
        for key, label, _ in OUTCOMES:
            vals = [_pct(by_year[y][key], sum(by_year[y][k] for k, _, _ in OUTCOMES)) or 0 for y in years]
            ax.bar([str(y) for y in years], vals, bottom=bottom, label=label)
            bottom = [b + v for b, v in zip(bottom, vals, strict=True)]
        ax.set_ylim(0, 1)
        ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
        ax.set_title("办理结果构成（占各类办理结果之和）")
        ax.legend(fontsize=8, ncol=6, loc="upper center", bbox_to_anchor=(0.5, -0.08), frameon=False)
        parts.append(charts.save(fig, "outcomes", "各年度办理结果构成"))
        fig, ax = plt.subplots(figsize=(8, 3.5))
        for key, label in (("partial", "部分公开"), ("denied", "不予公开")):
            ax.plot([str(y) for y in years], [_pct(by_year[y][key], by_year[y]["handled"]) or 0 for y in years],
                    marker="o", label=label)
        ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.1%}"))
        ax.set_title("部分公开、不予公开占办理总数的比例")
        _legend(ax)
        parts.append(charts.save(fig, "partial_denied", "部分公开、不予公开占比"))
        parts.append(_table(["年度", "办理总数", *(label for _, label, _ in OUTCOMES), "部分公开占比", "不予公开占比"],
                            [[y, int(by_year[y]["handled"]), *(int(by_year[y][k]) for k, _, _ in OUTCOMES),
                              _pct(by_year[y]["partial"], by_year[y]["handled"]),
                              _pct(by_year[y]["denied"], by_year[y]["handled"])] for y in years],
                            numeric=set(range(1, 10))))

    # 4. review and litigation correction rates
    parts.append("<h2>三、行政复议、行政诉讼的纠错率</h2>")
    if years:
        fig, ax = plt.subplots(figsize=(8, 3.5))
        for key, label in (("review", "行政复议"), ("litigation", "行政诉讼")):
            ax.plot([str(y) for y in years], [_pct(by_year[y][f"{key}_corrected"], by_year[y][key]) or 0
                                               for y in years], marker="o", label=label)
        ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
        ax.set_title("结果纠正占案件总数的比例")
        _legend(ax)
        parts.append(charts.save(fig, "corrections", "复议、诉讼纠错率"))
        skipped = sum(int(by_year[y]["review_skipped"] + by_year[y]["litigation_skipped"]) for y in years)
        if skipped:
            parts.append(f'<p class="note">结果纠正大于案件总计的 {skipped} 处（读取或填报有误）不计入纠错率。</p>')
        parts.append(_table(["年度", "复议案件", "复议纠正", "复议纠错率", "诉讼案件", "诉讼纠正", "诉讼纠错率"],
                            [[y, int(by_year[y]["review"]), int(by_year[y]["review_corrected"]),
                              _pct(by_year[y]["review_corrected"], by_year[y]["review"]),
                              int(by_year[y]["litigation"]), int(by_year[y]["litigation_corrected"]),
                              _pct(by_year[y]["litigation_corrected"], by_year[y]["litigation"])] for y in years],
                            numeric=set(range(1, 7))))

    # 5. fees
    parts.append("<h2>四、行政事业性收费（第二十条第（八）项，万元）</h2>")
    if years:
        parts.append(_stacked_by_level(plt, charts, years, levels_present, fig_data["fees"], size=(8, 3.5),
                                       ylabel="万元", title="本年收费金额（2021 格式；2019 试行格式只有项目数，不计入）",
                                       name="fees", caption="各年度收费金额"))
        parts.append('<p class="note">收费金额按报告所填数值相加；疑似按元填写的（W3）见下方检查结果。</p>')

    # 6. data quality by region and level
    parts.append("<h2>五、数据质量（按地区、层级）</h2>")
    quality = con.execute("""
        SELECT coalesce(region, '未识别地区') AS region, level, count(*) AS n,
               count(*) FILTER (WHERE identity_failures > 0) AS identity,
               count(*) FILTER (WHERE sections_missing <> '') AS missing_sections,
               avg(x4_rate)::DOUBLE AS x4, count(*) FILTER (WHERE x4_rate > 0.5) AS x4_high,
               count(*) FILTER (WHERE x1 = 'breaks') AS x1_breaks, sum(n_uncertain) AS uncertain
        FROM reports GROUP BY ALL ORDER BY n DESC, region""").fetchall()
    by_level: dict[Any, list[float]] = defaultdict(lambda: [0, 0, 0, 0])
    for region, level, n, identity, missing, _x4, x4_high, _x1, _unc in quality:
        acc = by_level[level]
        acc[0] += n
        acc[1] += identity
        acc[2] += missing
        acc[3] += x4_high
    lv_list = [lv for lv in LEVEL_ORDER if lv in by_level]
    if lv_list:
        fig, ax = plt.subplots(figsize=(8, 3.8))
        width = 0.27
        xs = range(len(lv_list))
        for i, (label, idx) in enumerate((("勾稽关系错误", 1), ("缺少部分", 2), ("正文重复率超过 50%", 3))):
            ax.bar([x + (i - 1) * width for x in xs], [by_level[lv][idx] / by_level[lv][0] for lv in lv_list],
                   width=width, label=label)
        ax.set_xticks(list(xs), [LEVELS[lv] for lv in lv_list])
        ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
        ax.set_title("有问题的报告所占比例（按层级）")
        _legend(ax)
        parts.append(charts.save(fig, "quality", "数据质量（按层级）"))
    parts.append(_table(["地区", "层级", "报告数", "勾稽关系错误", "缺少部分", "平均正文重复率", "重复率超过50%",
                         "X1 不成立", "待核单元格"],
                        [[escape(r[0]), LEVELS.get(r[1], r[1]), r[2], r[3], r[4], None if r[5] is None else Share(r[5]),
                          r[6], r[7], int(r[8] or 0)]
                         for r in quality], numeric={2, 3, 4, 5, 6, 7, 8}))

    # 7. bodies with errors, linked to their findings
    parts.append("<h2>六、有错误的机关</h2>")
    bad = con.execute("""
        SELECT r.report_id, coalesce(r.body_name, r.agency, '（未识别机关）'), r.year, r.level, r.errors, r.warnings,
               (SELECT min(path) FROM files f WHERE f.report_id = r.report_id)
        FROM reports r WHERE r.errors > 0 OR r.x1 = 'breaks' ORDER BY 2, 3""").fetchall()
    if bad:
        parts.append(_table(["机关", "年度", "层级", "错误", "警告", "文件"],
                            [[f'<a href="#r-{rid}">{escape(name)}</a>', year or "—", LEVELS.get(level, level), e, w,
                              escape(Path(path).name if path else "")] for rid, name, year, level, e, w, path in bad],
                            numeric={3, 4}))
        findings = con.execute("""
            SELECT report_id, check_id, level, message FROM findings
            WHERE level IN ('error', 'warning') AND report_id IN (SELECT report_id FROM reports
                                                                  WHERE errors > 0 OR x1 = 'breaks')
            ORDER BY report_id, level, check_id""").fetchall()
        grouped: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for rid, cid, lvl, msg in findings:
            grouped[rid].append((cid, lvl, msg))
        for rid, name, year, *_ in bad:
            parts.append(f'<h3 id="r-{rid}">{escape(name)} {year or ""}年度</h3><ul>')
            parts += [f'<li class="{lvl}">{FINDING_LEVELS[lvl]} {escape(cid)}：{escape(msg)}</li>'
                      for cid, lvl, msg in grouped.get(rid, [])]
            parts.append("</ul>")
    else:
        parts.append("<p>没有发现勾稽关系错误。</p>")

    # 8. the 通报 table
    rows = tongbao_rows(con)
    csv_path = output.parent / f"{output.stem}_通报.csv"
    xlsx_path = output.parent / f"{output.stem}_通报.xlsx"
    write_tongbao(rows, csv_path, xlsx_path)
    parts.append("<h2>七、检查结果通报表</h2>")
    parts.append(f'<p>共 {len(rows)} 条（错误和警告）：<a href="{escape(csv_path.name)}">CSV</a>、'
                 f'<a href="{escape(xlsx_path.name)}">XLSX</a>。</p>')
    parts.append("<p class=\"note\">由 gongkai corpus report 生成。</p></body></html>")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text("\n".join(parts), encoding="utf-8")
    con.close()
    return [output, *charts.written, csv_path, xlsx_path]


TONGBAO_HEAD = ["机关", "年度", "层级", "级别", "编号", "检查结果", "依据", "文件"]


def tongbao_rows(con: Any) -> list[list[Any]]:
    """Errors and warnings as a 通报 table: body, year, level, finding level, id, finding, evidence, file."""
    rows = con.execute("""
        SELECT coalesce(r.body_name, r.agency, '（未识别机关）'), r.year, r.level, f.level, f.check_id, f.message,
               f.lhs_expr, f.lhs_value, f.rhs_expr, f.rhs_value,
               (SELECT min(path) FROM files x WHERE x.report_id = r.report_id)
        FROM findings f JOIN reports r USING (report_id)
        WHERE f.level IN ('error', 'warning')
        ORDER BY 1, 2, CASE f.level WHEN 'error' THEN 0 ELSE 1 END, 5, 6""").fetchall()
    out = []
    for body, year, level, flevel, cid, msg, le, lv, re_, rv, path in rows:
        evidence = "；".join(x for x in (f"{le} = {lv}" if le and lv is not None else le,
                                          f"{re_} = {rv}" if re_ and rv is not None else re_) if x)
        out.append([body, year, LEVELS.get(level, level), FINDING_LEVELS.get(flevel, flevel), cid, msg, evidence,
                    Path(path).name if path else ""])
    return out


def write_tongbao(rows: list[list[Any]], csv_path: Path, xlsx_path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    with csv_path.open("w", encoding="utf-8-sig", newline="") as fh:  # with a BOM: Excel opens it as UTF-8
        w = csv.writer(fh)
        w.writerow(TONGBAO_HEAD)
        w.writerows(rows)
    wb = Workbook()
    ws = wb.active
    ws.title = "通报"
    ws.append(TONGBAO_HEAD)
    for c in ws[1]:
        c.font = Font(bold=True)
    for r in rows:
        ws.append(r)
    for col, width in zip("ABCDEFGH", (28, 6, 12, 6, 6, 70, 50, 24), strict=True):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2, min_col=6, max_col=7):
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    wb.save(xlsx_path)


__all__ = ["figures", "overview", "tongbao_rows", "write_tongbao"]
