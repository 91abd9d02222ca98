from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from ...services import token_create


class Command(BaseCommand):
    help = "为用户创建 API 令牌（只显示一次）：gongkai manage gongkai_token 用户名"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("username")
        parser.add_argument("--name", default="命令行创建")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"用户不存在：{options['username']}")
        key = token_create(user=user, name=options["name"])
        self.stdout.write(key)
