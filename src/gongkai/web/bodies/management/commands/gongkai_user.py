from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from .....errors import GongkaiError
from ....core.errors import WebError
from ...models import Body, Role
from ...services import membership_grant, user_create


class Command(BaseCommand):
    help = ("创建工作人员并授予角色：gongkai manage gongkai_user 用户名 --password 密码 "
            "--body 机关全称 --role clerk [--role handler …] [--superuser]")

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("username")
        parser.add_argument("--password", required=True)
        parser.add_argument("--name", default="")
        parser.add_argument("--email", default="")
        parser.add_argument("--body", help="机关全称")
        parser.add_argument("--role", action="append", default=[], choices=Role.values)
        parser.add_argument("--superuser", action="store_true")

    def handle(self, *args, **o):  # type: ignore[no-untyped-def]
        body = None
        if o["role"]:
            body = Body.objects.filter(name=o["body"]).first() if o["body"] else None
            if body is None:
                raise CommandError(f"机关不存在：{o['body']}")
        try:
            user = user_create(username=o["username"], password=o["password"], full_name=o["name"], email=o["email"],
                               is_superuser=o["superuser"])
            for role in o["role"]:
                membership_grant(user=user, body=body, role=role)
        except (WebError, GongkaiError) as exc:
            raise CommandError(str(exc)) from None
        roles = "、".join(Role(r).label for r in o["role"]) or "无"
        self.stdout.write(f"已创建用户 {user.username}（角色：{roles}）")
