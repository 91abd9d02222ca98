"""`gongkai compare LAST THIS`: a year-on-year review of one body's reports (the logic is gongkai.compare)."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..compare import CROSS_STATUS, PROBLEM_STATUS, compare, kind_of, render
from ._app import app, console, guarded
from ._check import load_report


@app.command("compare")
@guarded
def compare_cmd(
    last: Annotated[str, typer.Argument(help="上一年度报告（Report JSON 或 gongkai 能读取的文档）")],
    this: Annotated[str, typer.Argument(help="本年度报告（Report JSON 或 gongkai 能读取的文档）")],
    output: Annotated[str | None, typer.Option(
        "--output", "-o", help="写入对比报告：.html（可打印）、.docx、.xlsx 或 .json，按扩展名判断")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="把完整的对比结果以 JSON 打印到标准输出")] = False,
) -> None:
    """同一机关两个年度的报告逐项对比：单元格变化、跨年检查 X1–X4、正文重复率、上年问题整改、正文与表格。

    输出：逐格对比（上年、本年、变化）；跨年检查 X1–X4 及每一处的两边数值；第一、五、六部分逐句对齐，
    标出与上年重复的句子和每部分的重复率；上年第五部分列出的问题在本年第五部分是否有回应；
    两年正文数字与表格是否一致（W1）。不给 -o 时在终端打印摘要。
    """
    cmp = compare(load_report(last), load_report(this))
    if as_json:
        sys.stdout.write(cmp.to_json() + "\n")
        return
    if output:
        data = render(cmp, kind_of(output))
        Path(output).write_bytes(data)
        console.print(f"已写入 {output}（{len(data):,} 字节）")
    console.print(f"[bold]{cmp.title}[/]")
    for note in cmp.notes:
        console.print(f"※ {note}", markup=False)
    changed = sum(1 for c in cmp.cells if c.changed)
    console.print(f"单元格：共 {len(cmp.cells)} 个，与上年不同 {changed} 个")
    for x in cmp.cross:
        style = {"holds": "green", "breaks": "yellow"}.get(x.status, "dim")
        console.print(f"{x.id} [{style}]{CROSS_STATUS[x.status]}[/]：{x.summary}", soft_wrap=True)
    for s in cmp.sections:
        console.print(f"{s.title}：重复率 {s.rate:.1%}（本年 {s.sentences_this} 句，与上年相同 {s.sentences_repeated} 句）",
                      markup=False)
    if cmp.problems:
        counts = {k: sum(1 for p in cmp.problems if p.status == k) for k in PROBLEM_STATUS}
        console.print("上年问题 " + str(len(cmp.problems)) + " 条：" +
                      "，".join(f"{PROBLEM_STATUS[k]} {n}" for k, n in counts.items()), markup=False)
    for n in cmp.narrative:
        bad = sum(1 for r in n.rows if r.agrees is False)
        console.print(f"{n.year or ''}年度正文数字：{len(n.rows)} 处，与表格不一致 {bad} 处", markup=False)
