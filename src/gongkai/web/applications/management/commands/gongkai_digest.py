from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand

from ...digest import digest_send


class Command(BaseCommand):
    help = "每日办理提醒：各机关已超期和即将到期的申请（打印，或 --email 发送邮件）"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--email", action="store_true", help="发送邮件（默认邮件后端为控制台）")
        parser.add_argument("--date", help="按指定日期计算（YYYY-MM-DD）")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        today = dt.date.fromisoformat(options["date"]) if options.get("date") else None
        sent = digest_send(today=today, email=options["email"])
        if not sent:
            self.stdout.write("没有已超期或即将到期的申请。")
        for _, text in sent:
            self.stdout.write(text)
