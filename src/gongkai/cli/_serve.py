"""`gongkai serve`, `gongkai digest`, `gongkai manage`: the disclosure office's system."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from ._app import app, console, fail, guarded

DEMO_HELP = """演示账号（密码均为 {password}）：
  admin     系统管理员（全部机关、工作日历）
  dengji    七政街道 登记员          chengban  七政街道 承办人
  shenhe    七政街道 审核人/承办人    fuze      七政街道 负责人（批准延期）
  guanli    七政街道 管理员          ducha     南岗区 督查（只读，含下级机关）
  gexin     革新街道 登记/承办/审核（另一机关，用于隔离演示）"""


def _setup(data_dir: Path | None = None) -> None:
    if data_dir is not None:
        os.environ["GONGKAI_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.web.settings")
    import django

    django.setup()


@app.command("serve")
@guarded
def serve(port: Annotated[int, typer.Option("--port", "-p", help="端口")] = 8000,
          host: Annotated[str, typer.Option("--host", help="监听地址")] = "127.0.0.1",
          demo: Annotated[bool, typer.Option("--demo", help="载入演示数据（首次）")] = False,
          workers: Annotated[int, typer.Option("--workers", help="gunicorn 工作进程数")] = 2,
          threads: Annotated[int, typer.Option("--threads", help="每个工作进程的线程数")] = 2,
          data_dir: Annotated[Path | None, typer.Option("--data-dir", help="数据目录（默认 $GONGKAI_DATA_DIR 或 ./var）")]
          = None) -> None:
    """迁移数据库、（可选）载入演示数据，并用 gunicorn 启动依申请公开办理系统。"""
    if demo:  # the demo keeps the applicants' e-mail notices as files in the data directory
        os.environ.setdefault("GONGKAI_EMAIL_BACKEND", "file")
    _setup(data_dir)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from django.db import connection

    if connection.vendor == "sqlite":  # refresh the planner's statistics where they are stale (cheap)
        with connection.cursor() as cur:
            cur.execute("PRAGMA optimize")
    if demo:
        from ..web.core.demo import DEMO_PASSWORD, load_demo

        result = load_demo()
        console.print("已载入演示数据。" if result["created"] else "演示数据已存在。")
        if result.get("history"):
            console.print(result["history"])
        console.print(DEMO_HELP.format(password=DEMO_PASSWORD))
    from django.conf import settings

    console.print(f"数据目录：{settings.DATA_DIR}", soft_wrap=True)
    if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
        console.print(f"邮件通知保存在：{settings.EMAIL_FILE_PATH}", soft_wrap=True)
    console.print(f"办理系统：http://{host}:{port}/staff/   公开专栏：http://{host}:{port}/   "
                  f"API 文档：http://{host}:{port}/api/docs", soft_wrap=True)
    sys.stdout.flush()
    # 2 × 2 by default: on a 2-core machine more threads per worker only contend for the GIL and the CPU caches
    # (bench/bench_portal.py: search p99 at 8 clients 178 ms with 2 × 2, 226–235 ms with 2 × 4)
    args = [sys.executable, "-m", "gunicorn", "gongkai.web.wsgi:application", "--bind", f"{host}:{port}",
            "--workers", str(workers), "--threads", str(threads), "--access-logfile", "-", "--graceful-timeout", "5", "--no-control-socket"]
    os.execv(sys.executable, args)


@app.command("digest")
@guarded
def digest(email: Annotated[bool, typer.Option("--email", help="发送邮件（默认后端为控制台）")] = False,
           date: Annotated[str | None, typer.Option("--date", help="按指定日期计算（YYYY-MM-DD）")] = None) -> None:
    """每日办理提醒：各机关已超期和五个工作日内到期的申请。"""
    import datetime as dt

    _setup()
    from ..web.applications.digest import digest_send

    try:
        today = dt.date.fromisoformat(date) if date else None
    except ValueError:
        raise fail(f"日期格式应为 YYYY-MM-DD：{date}") from None
    sent = digest_send(today=today, email=email)
    if not sent:
        console.print("没有已超期或即将到期的申请。")
    for _, text in sent:
        console.print(text, markup=False, soft_wrap=True)


@app.command("manage", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def manage(ctx: typer.Context) -> None:
    """运行 Django 管理命令（如 gongkai manage createsuperuser）。"""
    _setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["gongkai manage", *ctx.args])
