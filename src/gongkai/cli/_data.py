"""`gongkai backup`, `gongkai restore`, `gongkai audit verify`: keeping the office's records safe (issue 13).
Heavy imports (Django) stay inside the commands."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._app import EXIT_FINDINGS, app, console, err_console, fail, guarded

audit_app = typer.Typer(help="审计日志：校验哈希链。", no_args_is_help=True)
app.add_typer(audit_app, name="audit")

DataDir = Annotated[Path | None, typer.Option("--data-dir", help="数据目录（默认 $GONGKAI_DATA_DIR 或 ./var）")]


def _setup(data_dir: Path | None) -> None:
    from ._serve import _setup as setup

    setup(data_dir)


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


def _anchor(text: str) -> tuple[int, str]:
    seq, sep, digest = text.partition(":")
    if not sep or not seq.strip().isdigit() or len(digest.strip()) != 64:
        raise fail(f"--anchor 应为 序号:哈希（64 位十六进制），实际为 {text!r}")
    return int(seq), digest.strip().lower()


@audit_app.command("verify")
@guarded
def audit_verify(data_dir: DataDir = None,
                 anchor: Annotated[list[str] | None, typer.Option(
                     "--anchor", help="事先记下的链头 序号:哈希（如备份清单或上次校验所示），可多次给出")] = None) -> None:
    """校验审计日志的哈希链：每条记录是否与其哈希相符、是否与前一条相连、有无缺失。链完整时退出码为 0，否则为 1。"""
    anchors = dict(_anchor(a) for a in anchor or [])
    _setup(data_dir)
    from django.db import DatabaseError
    from django.utils import timezone

    from ..web.audit.selectors import audit_chain_verify

    try:
        verdict = audit_chain_verify(anchors=anchors)
    except DatabaseError as exc:
        raise fail(f"无法读取审计日志（数据库未迁移？请先运行 gongkai serve 或 gongkai manage migrate）：{exc}") from None
    if verdict.ok:
        console.print(f"审计日志哈希链完整：共 {verdict.entries} 条记录。", soft_wrap=True)
        console.print(f"链头：第 {verdict.head_seq} 条，哈希 {verdict.head_hash or '（空）'}", soft_wrap=True)
        console.print(f"（可记下链头，日后用 --anchor {verdict.head_seq}:<哈希> 核对整条链未被重写。）", soft_wrap=True)
        return
    err_console.print(f"审计日志哈希链不完整：共 {verdict.entries} 条记录，发现 {len(verdict.breaks)} 处断点。",
                      soft_wrap=True, markup=False)
    for b in verdict.breaks:
        when = timezone.localtime(b.at).strftime("%Y-%m-%d %H:%M:%S") if b.at else "—"
        where = f"第 {b.seq} 条（记录 id {b.entry_id}，{when}）" if b.seq is not None else "—"
        err_console.print(f"  {where}：{b.detail}", soft_wrap=True, markup=False)
    raise typer.Exit(EXIT_FINDINGS)


@app.command("backup")
@guarded
def backup(output: Annotated[Path | None, typer.Option(
               "--output", "-o", help="备份文件（默认 ./gongkai-backup-日期时间.tar.gz）")] = None,
           data_dir: DataDir = None) -> None:
    """备份数据库（服务运行中也可）、上传的附件和密钥，附清单（版本、时间、各表行数、校验和）。"""
    import datetime as dt

    _setup(data_dir)
    from ..web.core.backup import backup_create

    out = output or Path(f"gongkai-backup-{dt.datetime.now().strftime('%Y%m%d-%H%M%S')}.tar.gz")
    manifest = backup_create(out)
    size = out.stat().st_size
    audit = manifest["audit"]
    console.print(f"已备份到 {out.resolve()}（{_size(size)}）", soft_wrap=True, markup=False)
    console.print(f"数据库：{manifest['vendor']}，{sum(manifest['counts'].values())} 行（{len(manifest['counts'])} 张表）；"
                  f"附件 {manifest['media_files']} 个；审计日志 {audit['entries']} 条，"
                  f"链头 第 {audit['head_seq']} 条 {audit['head_hash'] or '（空）'}", soft_wrap=True, markup=False)


@app.command("restore")
@guarded
def restore(file: Annotated[Path, typer.Argument(help="gongkai backup 生成的备份文件")],
            force: Annotated[bool, typer.Option("--force", help="数据目录已有数据时仍然覆盖")] = False,
            data_dir: DataDir = None) -> None:
    """从备份恢复数据库、附件和密钥：先核对全部校验和，再恢复、迁移，并核对各表行数与审计日志哈希链。

    恢复前请先停止 gongkai serve。"""
    _setup(data_dir)
    from django.conf import settings

    from ..web.audit.selectors import audit_chain_verify
    from ..web.core.backup import backup_restore

    result = backup_restore(file, force=force)
    manifest = result["manifest"]
    console.print(f"已从 {file} 恢复到 {settings.DATA_DIR}（备份时间 {manifest['created_at']}，"
                  f"gongkai {manifest['gongkai_version']}）", soft_wrap=True, markup=False)
    console.print(f"数据库 {sum(result['counts'].values())} 行，附件 {manifest['media_files']} 个。",
                  soft_wrap=True, markup=False)
    bad = False
    for table, (expected, found) in sorted(result["differences"].items()):
        err_console.print(f"  {table}：清单 {expected} 行，恢复后 {found} 行", soft_wrap=True, markup=False)
        bad = True
    audit = manifest["audit"]
    anchors = {audit["head_seq"]: audit["head_hash"]} if audit["head_seq"] else {}
    verdict = audit_chain_verify(anchors=anchors)
    if verdict.ok:
        console.print(f"审计日志哈希链完整（{verdict.entries} 条，链头与备份清单一致）。", soft_wrap=True)
    else:
        bad = True
        for b in verdict.breaks[:10]:
            err_console.print(f"  审计日志第 {b.seq} 条：{b.detail}", soft_wrap=True, markup=False)
    if bad:
        raise fail("恢复后的数据与备份清单不一致（见上）", code=EXIT_FINDINGS)
