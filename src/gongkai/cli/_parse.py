"""`gongkai parse`: documents → Report JSON."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..errors import GongkaiError
from ..read import ParseResult, ReadOptions, parse_bytes, parse_file
from ._app import app, console, err_console, fail, guarded

_SKIP_SUFFIXES = (".json",)


def _inputs(paths: list[str]) -> list[str]:
    out: list[str] = []
    for p in paths:
        if p == "-":
            out.append(p)
            continue
        path = Path(p)
        if path.is_dir():
            out.extend(str(f) for f in sorted(path.rglob("*"))
                       if f.is_file() and not f.name.startswith(".") and not f.name.endswith(_SKIP_SUFFIXES))
        else:
            out.append(p)
    return out


def _parse_one(src: str, options: ReadOptions) -> ParseResult:
    if src == "-":
        return parse_bytes(sys.stdin.buffer.read(), name=None, options=options)
    return parse_file(src, options=options)


def _summary_line(result: ParseResult) -> tuple[str, str, str, str, str]:
    r = result.report
    statuses = [c.status.value for c in r.cells.values()]
    errors = sum(1 for f in result.findings if getattr(f, "level", "") == "error")
    return (r.metadata.agency or "—", str(r.metadata.year or "—"), r.format, str(len(statuses)),
            f"{statuses.count('uncertain')} / {statuses.count('repaired')} / {errors}")


@app.command("parse")
@guarded
def parse(
    files: Annotated[list[str], typer.Argument(help="报告文件或文件夹；`-` 表示从标准输入读取", show_default=False)],
    json_out: Annotated[bool, typer.Option("--json", help="只输出 JSON（单个文件时）")] = False,
    out: Annotated[Path | None, typer.Option("--out", help="批量时每个输入写一个 JSON 到此文件夹")] = None,
    format_hint: Annotated[str | None, typer.Option("--format-hint", help="表格无法判断格式时采用：2021 或 2019-trial")] = None,
    ocr: Annotated[str, typer.Option(
        "--ocr", help="扫描件 OCR：auto（无文字层的页面和图片）、always（PDF 全部页面）、never")] = "auto",
) -> None:
    """读取年度报告（TXT、Markdown、HTML、DOCX、DOC、WPS、XLSX、PDF），输出 Report JSON。

    单个文件：JSON 打印到标准输出（含 cells、元数据、各部分正文和检查结果）。
    多个文件或文件夹：每个输入在 --out 文件夹写一个 JSON，显示进度和汇总表；
    无法读取的文件各报一行错误，其余继续。

    退出码：0 全部读取成功；1 有文件读取失败（批量）；2 输入不可用（单个文件读取失败）。
    """
    if format_hint is not None and format_hint not in ("2021", "2019-trial"):
        raise fail(f"--format-hint 只能是 2021 或 2019-trial，而不是 {format_hint!r}")
    if ocr not in ("auto", "always", "never"):
        raise fail(f"--ocr 只能是 auto、always 或 never，而不是 {ocr!r}")
    options = ReadOptions(format_hint=format_hint, ocr=ocr)
    sources = _inputs(files)
    if not sources:
        raise fail("没有找到要读取的文件")
    single = len(sources) == 1 and not Path(files[0]).is_dir() and out is None
    if single:
        result = _parse_one(sources[0], options)
        text = result.to_json()
        if json_out:
            sys.stdout.write(text + "\n")
        else:
            console.print_json(text)
        return
    if out is None:
        raise fail("读取多个文件时请用 --out 指定输出文件夹")
    out.mkdir(parents=True, exist_ok=True)
    failed: list[tuple[str, str]] = []
    rows: list[tuple[str, ...]] = []
    used: set[str] = set()
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err_console, transient=False) as progress:
        task = progress.add_task("读取报告", total=len(sources))
        for src in sources:
            name = "stdin" if src == "-" else Path(src).name
            progress.update(task, description=f"读取 {name[:30]}")
            try:
                result = _parse_one(src, options)
            except GongkaiError as exc:
                failed.append((src, exc.message))
                progress.console.print(f"[red]失败[/] {src}：{exc.message}", markup=True, soft_wrap=True)
            except Exception as exc:  # noqa: BLE001 - one bad file never stops the batch
                failed.append((src, f"内部错误：{type(exc).__name__}: {exc}"))
                progress.console.print(f"[red]失败[/] {src}：内部错误 {type(exc).__name__}", markup=True)
            else:
                stem = Path(name).stem or "report"
                target = stem
                k = 2
                while target in used:
                    target, k = f"{stem}-{k}", k + 1
                used.add(target)
                (out / f"{target}.json").write_text(result.to_json() + "\n", encoding="utf-8")
                rows.append((name, *_summary_line(result)))
            progress.advance(task)
    table = Table(title=f"读取 {len(sources)} 个文件：成功 {len(rows)}，失败 {len(failed)}")
    for col in ("文件", "机关", "年度", "格式", "单元格", "待核/修复/错误"):
        table.add_column(col)
    for r in rows:
        table.add_row(*r)
    for src, msg in failed:
        table.add_row(Path(src).name if src != "-" else "stdin", "[red]失败[/]", "", "", "", msg[:60])
    err_console.print(table)
    if failed:
        raise typer.Exit(1)
