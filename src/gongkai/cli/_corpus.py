"""`gongkai corpus build` and `gongkai corpus report`: every report as a dataset, and an overview of it."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from ._app import app, console, err_console, guarded

corpus_app = typer.Typer(help="批量读取、检查年度报告，建成数据集（Parquet + DuckDB），并生成总体分析报告。",
                         no_args_is_help=True, rich_markup_mode="rich")
app.add_typer(corpus_app, name="corpus")


@corpus_app.command("build")
@guarded
def build_cmd(
    inputs: Annotated[list[str], typer.Argument(help="报告文件或文件夹（文件夹中的 *.json 和隐藏文件跳过）", show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="数据集文件夹（Parquet 表和 corpus.duckdb）")],
    workers: Annotated[int | None, typer.Option("--workers", "-j", help="本机并行进程数（默认为 CPU 核数）")] = None,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="dask.distributed 调度器地址（如 tcp://10.0.0.5:8786），在集群上读取")] = None,
) -> None:
    """读取、检查每一份报告，写成数据集：Parquet 表 reports、cells、findings、narrative 等和 DuckDB 数据库。

    增量：内容未变的文件（按内容哈希；路径、大小、修改时间都未变的不再打开）不再读取。
    同一机关的不同名称（全称/简称、街道办事处/街道、繁体）识别为同一机关，逐年运行跨年检查 X1–X4。
    读取失败的文件记入 errors 表，其余照常进行。退出码：0 全部成功；1 有文件读取失败。
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from ..corpus import DB_NAME, build

    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err_console, transient=False) as bar:
        task = bar.add_task("读取报告", total=None)

        def progress(done: int, total: int, name: str) -> None:
            bar.update(task, completed=done, total=total, description=f"读取 {name[:28]}" if name else "读取报告")

        summary = build(inputs, out, workers=workers, scheduler=scheduler, progress=progress)
    table = Table(title=f"数据集 {summary.out}（用时 {summary.seconds:.1f} 秒）", show_header=False)
    table.add_column("项目")
    table.add_column("数量", justify="right")
    rate = f"，{summary.parsed / summary.seconds:.0f} 份/秒" if summary.parsed and summary.seconds else ""
    for label, value in (("输入文件", summary.inputs), ("本次读取", f"{summary.parsed}{rate}"),
                         ("沿用上次结果（内容未变）", summary.reused), ("读取失败", summary.failed),
                         ("移出数据集（不在本次输入中）", summary.removed), ("报告", summary.reports),
                         ("单元格", summary.cells), ("检查结果", summary.findings), ("机关", summary.bodies),
                         ("相邻年度对（已跨年检查）", summary.series_pairs)):
        table.add_row(label, str(value))
    if summary.kinds:
        table.add_row("文件类型", "，".join(f"{k} {v}" for k, v in summary.kinds.items()))
    err_console.print(table)
    if summary.errors:
        errors = Table(title=f"读取失败的文件（{len(summary.errors)}）")
        errors.add_column("文件")
        errors.add_column("原因")
        for path, msg in summary.errors[:50]:
            errors.add_row(os.path.relpath(path) if os.path.isabs(path) else path, msg)
        if len(summary.errors) > 50:
            errors.add_row("…", f"另有 {len(summary.errors) - 50} 个，见 errors 表")
        err_console.print(errors)
    console.print(f"已写入 {summary.out}：Parquet 表和 {DB_NAME}（duckdb {Path(summary.out) / DB_NAME}）", soft_wrap=True)
    if summary.failed:
        raise typer.Exit(1)


@corpus_app.command("report")
@guarded
def report_cmd(
    dataset: Annotated[Path, typer.Argument(help="gongkai corpus build 写出的数据集文件夹")],
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML 文件；图表另存为同名文件夹中的 PNG 和 SVG")]
    = Path("report.html"),
) -> None:
    """数据集的总体分析报告（静态 HTML，含图表）：各年度各层级申请量、办理结果构成、部分公开/不予公开占比、
    复议诉讼纠错率、收费；数据质量（勾稽关系错误、缺少部分、正文重复率）按地区和层级；有错误的机关及其检查结果；
    检查结果另存为通报表（CSV 和 XLSX）。"""
    from ..corpus.overview import overview

    written = overview(dataset, output)
    for path in written:
        console.print(f"已写入 {path}", soft_wrap=True)
