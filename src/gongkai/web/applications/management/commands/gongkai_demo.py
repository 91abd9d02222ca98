from __future__ import annotations

from django.core.management.base import BaseCommand

from ....core.demo import load_demo


class Command(BaseCommand):
    help = "载入演示数据（机关、各角色用户、一年的申请、复议诉讼、七政街道2023年报告）"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--count", type=int, default=150)

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        result = load_demo(count=options["count"])
        self.stdout.write("演示数据已载入。" if result["created"] else "演示数据已存在，未重复载入。")
