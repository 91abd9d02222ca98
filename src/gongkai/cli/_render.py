"""`gongkai render` and `gongkai template`."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..checks import Level, run_checks
from ..errors import InputError
from ..formats import FORMAT_IDS
from ..write import SUFFIXES, TO, render, target_of, template, write
from ._app import app, console, guarded
from ._check import load_report

_EXT = {to: next(s for s, t in SUFFIXES.items() if t == to) for to in TO}
_TO_HELP = "输出格式：" + " | ".join(TO) + "（缺省时按 -o 的扩展名判断）"


def _output(to: str | None, output: str | None, default_stem: str) -> tuple[str, Path | None]:
    """The output kind and path (None: standard output)."""
    if output == "-":
        if not to:
            raise InputError("输出到标准输出（-o -）时请用 --to 指定格式")
        return target_of("-", to), None
    if output:
        return target_of(output, to), Path(output)
    kind = target_of("x", to) if to else "docx"
    return kind, Path(default_stem + _EXT[kind])


def _emit(data: bytes, path: Path | None) -> None:
    if path is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        console.print(f"已写入 {path}（{len(data):,} 字节）")


@app.command("render")
@guarded
def render_cmd(
    report: Annotated[str, typer.Argument(help="报告 JSON 文件（或 gongkai 能读取的文档），- 表示标准输入")],
    to: Annotated[str | None, typer.Option("--to", "-t", help=_TO_HELP)] = None,
    output: Annotated[str | None, typer.Option("--output", "-o", help="输出文件；- 表示标准输出；缺省为报告同名文件")] = None,
    previous: Annotated[str | None, typer.Option("--previous", "-p", help="上一年度报告，用于跨年检查（X1 等）")] = None,
    fragment: Annotated[bool, typer.Option("--fragment", help="HTML 只输出 <article> 片段（供网站嵌入）")] = False,
) -> None:
    """按国家规定的格式生成年度报告：DOCX、PDF、HTML、Markdown、XLSX 或 JSON。

    报告有错误或警告时照常生成，并在文档开头列出检查提示；数字按原样输出，不作任何“修正”。
    """
    current = load_report(report)
    last = load_report(previous) if previous else None
    stem = Path(report).stem if report != "-" else "report"
    kind, path = _output(to, output, stem)
    findings = run_checks(current, previous=last)
    if path is None:
        _emit(render(current, kind, findings=findings, previous=last, fragment=fragment), None)
    else:
        write(current, path, to=kind, findings=findings, previous=last, fragment=fragment)
        _emit(path.read_bytes(), path)
    errors = sum(1 for f in findings if f.level is Level.ERROR)
    warnings = sum(1 for f in findings if f.level is Level.WARNING)
    if (errors or warnings) and kind != "json":
        typer.echo(f"检查发现错误 {errors} 个、警告 {warnings} 个，已在文档开头的“发布前检查提示”中列出。",
                   err=True)


@app.command("template")
@guarded
def template_cmd(
    year: Annotated[int, typer.Option("--year", "-y", help="报告年度，如 2025")],
    to: Annotated[str, typer.Option("--to", "-t", help="xlsx 或 docx（也可为 html、md、pdf、json）")] = "xlsx",
    format_id: Annotated[str, typer.Option("--format", "-f", help="报告格式：" + " 或 ".join(FORMAT_IDS))] = "2021",
    agency: Annotated[str | None, typer.Option("--agency", "-a", help="机关名称")] = None,
    output: Annotated[str | None, typer.Option("--output", "-o", help="输出文件；缺省为“<机关><年度>年报空白表”")] = None,
) -> None:
    """生成空白年报（所有数字为 0，文字部分留空），供在 Excel/WPS/Word 中填写后由 gongkai parse 读回。"""
    if format_id not in FORMAT_IDS:
        raise InputError(f"未知的报告格式 {format_id!r}，应为 {' 或 '.join(FORMAT_IDS)}")
    if not 1990 <= year <= 2100:
        raise InputError(f"年度 {year} 不在 1990–2100 之间")
    blank = template(year, format_id=format_id, agency=agency)
    kind, path = _output(to, output, f"{agency or ''}{year}年政府信息公开工作年度报告（空白）")
    data = render(blank, kind, template=True)
    if path is None:
        _emit(data, None)
        return
    write(blank, path, to=kind, template=True)
    _emit(data, path)
