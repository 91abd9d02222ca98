"""`gongkai manage gongkai_supervision_work [--once] [--threads N] [--interval S]`: read the supervision uploads
waiting in the queue (supervision/queue.py). Safe to run next to the web process's own thread, on several servers."""
from __future__ import annotations

import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from ... import queue


class Command(BaseCommand):
    help = "读取年报督查上传后待读取的报告（--once 读完即退出；否则持续等待新的上传）"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--once", action="store_true", help="读完当前待读取的报告后退出")
        parser.add_argument("--threads", type=int, default=2, help="同时读取的报告数（每份在单独的受限子进程中读取，默认 2）")
        parser.add_argument("--interval", type=float, default=5.0, help="队列为空时每隔多少秒查看一次（默认 5）")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        threads, interval = options["threads"], options["interval"]
        if not 1 <= threads <= 32:
            raise CommandError("--threads 应在 1 到 32 之间")
        if interval <= 0:
            raise CommandError("--interval 应大于 0")
        stopping = threading.Event()

        def stop(signum, frame):  # type: ignore[no-untyped-def]
            # the reports being read are finished and stored; none is claimed after this
            self.stderr.write("收到停止信号：读完正在读取的报告后退出")
            stopping.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        total = 0
        while not stopping.is_set():
            close_old_connections()
            n = queue.drain(threads=threads, stop=stopping.is_set)
            total += n
            if n:
                self.stdout.write(f"已读取 {n} 份报告")
            if options["once"]:
                break
            if not n:
                stopping.wait(interval)
        self.stdout.write(f"共读取 {total} 份报告")
