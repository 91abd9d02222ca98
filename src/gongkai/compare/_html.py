"""The comparison as one self-contained, printable HTML page (no scripts, no outside files)."""
from __future__ import annotations

from html import escape

from ..checks import LEVEL_NAMES
from . import CROSS_STATUS, PROBLEM_STATUS, SENTENCE_STATUS, Comparison, Segment, SentenceRow, section_name

STYLE = """
body{font-family:"Noto Serif CJK SC","Source Han Serif SC","SimSun",serif;margin:2em auto;max-width:72em;
  color:#111;line-height:1.55;padding:0 1em}
h1{font-size:1.5em;text-align:center}h2{font-size:1.2em;border-bottom:2px solid #333;margin-top:1.6em}
h3{font-size:1.05em;margin:1.2em 0 .4em}
table{border-collapse:collapse;width:100%;margin:.4em 0 1em;font-size:.92em}
th,td{border:1px solid #999;padding:.25em .45em;vertical-align:top}th{background:#eee}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.ok{color:#176317}.bad{color:#b00020;font-weight:bold}.na{color:#777}
tr.changed td{background:#fffbe6}tr.bad td{background:#fdecee}
tr.repeated td{background:#fff3b0}tr.rewritten td{background:#f4f8ff}tr.removed td{color:#777}
del{background:#fbd5d5;text-decoration:line-through}ins{background:#cdeccd;text-decoration:none}
.meta{display:grid;grid-template-columns:1fr 1fr;gap:1em}.meta div{border:1px solid #ccc;padding:.5em}
.rate{font-size:1.1em;font-weight:bold}.rate.high{color:#b00020}.note{color:#555;font-size:.9em}
.badge{display:inline-block;padding:0 .4em;border-radius:.2em;border:1px solid currentColor;font-size:.85em}
@media print{body{margin:0;max-width:none}h2{page-break-after:avoid}tr{page-break-inside:avoid}
  a{color:inherit;text-decoration:none}}
@page{size:A4;margin:15mm}
"""


def _e(v: object) -> str:
    return escape("" if v is None else str(v))


def _segments(segs: tuple[Segment, ...], fallback: str) -> str:
    if not segs:
        return _e(fallback)
    out = []
    for s in segs:
        t = _e(s.text)
        out.append(t if s.kind == "same" else f"<{s.kind}>{t}</{s.kind}>")
    return "".join(out)


def _sentence_row(r: SentenceRow) -> str:
    left = _segments(r.last_diff, r.last) if r.status == "rewritten" else _e(r.last)
    right = _segments(r.this_diff, r.this) if r.status == "rewritten" else _e(r.this)
    sim = f"{r.similarity:.0f}%" if r.status in ("repeated", "rewritten") else ""
    return (f'<tr class="{r.status}"><td>{left}</td><td>{right}</td>'
            f'<td>{SENTENCE_STATUS[r.status]}</td><td class="n">{sim}</td></tr>')


def _pct(x: float | None) -> str:
    return "" if x is None else f"{x:+.1%}"


def render_html(cmp: Comparison) -> str:
    p: list[str] = []
    add = p.append
    add(f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{_e(cmp.title)}</title>'
        f"<style>{STYLE}</style></head><body>")
    add(f"<h1>{_e(cmp.title)}</h1>")
    add('<div class="meta">')
    for name, side in (("上年", cmp.last), ("本年", cmp.this)):
        add(f"<div><b>{name}：</b>{_e(side.agency or '（未识别机关）')} {_e(side.year or '')}年度<br>"
            f"格式 {_e(side.format)}；来源 {_e(side.source or '—')}<br>"
            f"本身检查：错误 {side.errors}，警告 {side.warnings}</div>")
    add("</div>")
    for note in cmp.notes:
        add(f'<p class="note">※ {_e(note)}</p>')

    add("<h2>一、跨年检查 X1–X4</h2>")
    for x in cmp.cross:
        cls = {"holds": "ok", "breaks": "bad"}.get(x.status, "na")
        add(f'<h3>{x.id} {_e(x.title)}：<span class="{cls}">{_e(CROSS_STATUS[x.status])}</span></h3>'
            f"<p>{_e(x.summary)}</p>")
        if x.evidence:
            add("<table><tr><th>项目</th><th>本年</th><th>值</th><th>按上年推算</th><th>值</th><th>结果</th></tr>")
            for ev in x.evidence:
                mark = '<span class="ok">相等</span>' if ev.holds else '<span class="bad">不等</span>'
                add(f'<tr class="{"" if ev.holds else "bad"}"><td>{_e(ev.label)}</td><td>{_e(ev.lhs_expr)}</td>'
                    f'<td class="n">{_e(ev.lhs)}</td><td>{_e(ev.rhs_expr)}</td><td class="n">{_e(ev.rhs)}</td>'
                    f"<td>{mark}</td></tr>")
            add("</table>")
        for f in x.findings:
            if x.id != "X4":
                add(f'<p class="note">{_e(LEVEL_NAMES[f.level])}：{_e(f.message)}</p>')

    add("<h2>二、正文对比（第一、五、六部分）</h2>")
    add('<p class="note">重复率：本年正文中与上年正文连续 8 个字相同的部分所占的比例（X4 的算法）；'
        "黄色为与上年几乎相同的句子，蓝色为改写的句子（<del>删去</del>、<ins>新增</ins>）。</p>")
    for s in cmp.sections:
        high = " high" if s.rate > 0.5 else ""
        add(f'<h3>{_e(s.title)}　<span class="rate{high}">重复率 {s.rate:.1%}</span>'
            f'　<span class="note">本年 {s.sentences_this} 句，其中与上年相同 {s.sentences_repeated} 句</span></h3>')
        add('<table><tr><th style="width:44%">上年</th><th style="width:44%">本年</th><th>对比</th><th>相似度</th></tr>')
        p.extend(_sentence_row(r) for r in s.rows)
        add("</table>")

    add("<h2>三、上年第五部分所列问题的整改情况</h2>")
    if cmp.problems:
        add('<p class="note">按文字相似度判断本年第五部分是否回应上年列出的问题，供人工核对。'
            + ("本年报告明确提到了上年问题的整改。" if cmp.follow_up_mentioned else "本年报告没有明确说明上年问题的整改情况。")
            + "</p>")
        add("<table><tr><th>上年问题</th><th>判断</th><th>吻合度</th><th>本年相关表述</th></tr>")
        for pr in cmp.problems:
            cls = {"reported": "ok", "partly": "", "absent": "bad"}[pr.status]
            add(f'<tr><td>{_e(pr.text)}</td><td class="{cls}">{PROBLEM_STATUS[pr.status]}</td>'
                f'<td class="n">{pr.score:.0%}</td><td>{_e(pr.evidence or "—")}</td></tr>')
        add("</table>")
    else:
        add("<p>上年报告的第五部分没有找到可识别的问题条目。</p>")

    add("<h2>四、正文数字与表格（W1）</h2>")
    for n, side in zip(cmp.narrative, (cmp.last, cmp.this), strict=True):
        add(f"<h3>{_e(side.year or '')}年度</h3>")
        if not n.rows:
            add("<p>正文中没有找到可与表格核对的数字。</p>")
            continue
        add("<table><tr><th>正文表述</th><th>正文数字</th><th>表格单元格</th><th>表格数值</th><th>结果</th></tr>")
        for r in n.rows:
            res = "—" if r.agrees is None else ('<span class="ok">一致</span>' if r.agrees
                                                else '<span class="bad">不一致</span>')
            add(f'<tr class="{"bad" if r.agrees is False else ""}"><td>{_e(r.text)}</td>'
                f'<td class="n">{r.stated}</td><td>{_e(r.label)}</td><td class="n">{_e(r.table)}</td>'
                f"<td>{res}</td></tr>")
        add("</table>")

    add("<h2>五、逐格对比</h2>")
    changed = sum(1 for c in cmp.cells if c.changed)
    add(f'<p class="note">共 {len(cmp.cells)} 个单元格，其中 {changed} 个与上年不同（浅黄）；'
        "状态不是“正常”的单元格注明状态。</p>")
    section = 0
    for c in cmp.cells:
        if c.section != section:
            if section:
                add("</table>")
            section = c.section
            add(f"<h3>{section_name(section)}</h3><table><tr><th>单元格</th><th>项目</th><th>上年</th>"
                "<th>本年</th><th>变化</th><th>变化率</th></tr>")
        flags = [f"{w}：{s}" for w, s in (("上年", c.last_status), ("本年", c.this_status)) if s not in ("ok",)]
        label = _e(c.label) + (f'<br><span class="note">{_e("；".join(flags))}</span>' if flags else "")
        add(f'<tr class="{"changed" if c.changed else ""}"><td><code>{_e(c.key)}</code></td><td>{label}</td>'
            f'<td class="n">{_e(c.last)}</td><td class="n">{_e(c.this)}</td>'
            f'<td class="n">{_e("" if c.change is None else (f"+{c.change}" if c.change > 0 else c.change))}</td>'
            f'<td class="n">{_pct(c.ratio)}</td></tr>')
    if section:
        add("</table>")
    add('<p class="note">由 gongkai compare 生成：数字按原样读取，不作修正。</p></body></html>')
    return "\n".join(p)
