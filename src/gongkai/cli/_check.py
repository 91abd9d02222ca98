"""`gongkai check`, `gongkai rollup` and `gongkai schema`."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..checks import LEVEL_NAMES, CheckOptions, Finding, Level, has_errors, rollup, run_checks
from ..errors import InputError
from ..report import Report, json_schema
from ._app import EXIT_FINDINGS, EXIT_OK, app, console, guarded

_STYLE = {Level.ERROR: "bold red", Level.WARNING: "yellow", Level.INFO: "dim"}


def load_report(path: str) -> Report:
    """A Report from a JSON file (``-`` for stdin); a document (PDF, DOCX …) is parsed first."""
    if path == "-":
        return Report.from_json(sys.stdin.buffer.read(), path="<stdin>")
    p = Path(path)
    if not p.exists():
        raise InputError("文件不存在", path=path)
    if p.is_dir():
        raise InputError("这是一个目录，请给出报告 JSON 文件", path=path)
    head = p.open("rb").read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    if p.suffix.lower() == ".json" or head.startswith(b"{"):
        return Report.load(p)
    try:
        from ..read import parse_file
    except ImportError:
        raise InputError("不是报告 JSON 文件（读取文档需要 gongkai.read）", path=path) from None
    return parse_file(p).report


def findings_json(findings: list[Finding]) -> list[dict[str, object]]:
    return [json.loads(f.model_dump_json(exclude_none=True)) for f in findings]


def print_findings(findings: list[Finding], *, verbose: bool = False) -> None:
    shown = [f for f in findings if verbose or f.level is not Level.INFO]
    if shown:
        table = Table(show_lines=False, header_style="bold")
        table.add_column("级别", no_wrap=True)
        table.add_column("编号", no_wrap=True)
        table.add_column("说明")
        for f in shown:
            table.add_row(f"[{_STYLE[f.level]}]{LEVEL_NAMES[f.level]}[/]", f.id, f.message)
        console.print(table)
    counts = {lvl: sum(1 for f in findings if f.level is lvl) for lvl in Level}
    hidden = "" if verbose or not counts[Level.INFO] else "（提示用 -v 查看）"
    verdict = "[bold red]有错误[/]" if counts[Level.ERROR] else "[green]勾稽关系全部成立[/]"
    console.print(f"{verdict}：错误 {counts[Level.ERROR]}，警告 {counts[Level.WARNING]}，"
                  f"提示 {counts[Level.INFO]}{hidden}")


@app.command("check")
@guarded
def check_cmd(
    report: Annotated[str, typer.Argument(help="报告 JSON 文件（完整的 Report 或最简形式），或 - 表示标准输入")],
    previous: Annotated[str | None, typer.Option("--previous", "-p", help="上一年度报告 JSON，用于跨年检查 X1–X4")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出（含 findings 列表）")] = False,
    accept: Annotated[list[str] | None, typer.Option("--accept", help="标记为例外的检查编号，如 X1（可重复）")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="同时列出提示")] = False,
) -> None:
    """检查一份年度报告：勾稽关系（错误 I1、I3–I6）、警告 W1–W9，给出上一年报告时跨年检查 X1–X4。

    退出码：0 没有错误；1 发现错误；2 输入无法使用。

    最简 JSON：{"format": "2021", "year": 2024, "agency": "…", "cells": {"s3.new.natural": 3}}，
    未给出的单元格为“缺失”，不按 0 处理。
    """
    current = load_report(report)
    last = load_report(previous) if previous else None
    findings = run_checks(current, previous=last, options=CheckOptions(accepted=frozenset(accept or ())))
    if as_json:
        out = {"agency": current.agency, "year": current.year, "format": current.format,
               "errors": sum(f.level is Level.ERROR for f in findings), "findings": findings_json(findings)}
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    else:
        title = " ".join(str(x) for x in (current.agency, current.year and f"{current.year}年度", current.format) if x)
        console.print(f"[bold]{title or report}[/]")
        print_findings(findings, verbose=verbose)
    raise typer.Exit(EXIT_FINDINGS if has_errors(findings) else EXIT_OK)


@app.command("rollup")
@guarded
def rollup_cmd(
    reports: Annotated[list[str], typer.Argument(help="要汇总的报告 JSON 文件")],
    agency: Annotated[str | None, typer.Option(help="汇总结果的名称")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="写入文件（默认输出到标准输出）")] = None,
) -> None:
    """把多份报告的第二、三、四部分逐格相加（汇总不是政府本级报告），并检查汇总结果。"""
    total = rollup([load_report(p) for p in reports], agency=agency)
    findings = run_checks(total)
    data = total.to_dict() | {"findings": findings_json(findings)}
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if out:
        out.write_text(text, encoding="utf-8")
        console.print(f"已写入 {out}")
        print_findings(findings)
    else:
        sys.stdout.write(text)


@app.command("schema")
def schema() -> None:
    """打印 Report 的 JSON Schema（公开的数据约定）。"""
    sys.stdout.write(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n")
