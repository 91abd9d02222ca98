from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models

from ...formats.vocab import KIND_NAMES, LEVEL_NAMES, BodyKind, Level

BodyKindChoices = models.TextChoices("BodyKindChoices", [(k.name, (k.value, KIND_NAMES[k])) for k in BodyKind])
LevelChoices = models.TextChoices("LevelChoices", [(lv.name, (lv.value, LEVEL_NAMES[lv])) for lv in Level])


class Role(models.TextChoices):
    CLERK = "clerk", "登记员"
    HANDLER = "handler", "承办人"
    REVIEWER = "reviewer", "审核人"
    HEAD = "head", "负责人"
    SECRECY = "secrecy", "保密员"
    SUPERVISOR = "supervisor", "督查"
    ADMIN = "admin", "管理员"


class Body(models.Model):
    """A body that discloses information (机关). ``path`` is the materialised ancestry (``/1/4/9/``)."""

    name = models.CharField("机关全称", max_length=100, unique=True)
    short_name = models.CharField("简称（用于文号）", max_length=20)
    kind = models.CharField("机关类型", max_length=20, choices=BodyKindChoices.choices)
    level = models.CharField("层级", max_length=20, choices=LevelChoices.choices)
    parent = models.ForeignKey("self", verbose_name="上级机关", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    code = models.CharField("统一社会信用代码或组织机构代码", max_length=18, blank=True)
    office_name = models.CharField("信息公开工作机构", max_length=100, blank=True)
    address = models.CharField("办公地址", max_length=200, blank=True)
    postcode = models.CharField("邮政编码", max_length=10, blank=True)
    phone = models.CharField("联系电话", max_length=50, blank=True)
    fax = models.CharField("传真", max_length=50, blank=True)
    email = models.CharField("电子邮箱", max_length=100, blank=True)
    office_hours = models.CharField("办公时间", max_length=100, blank=True)
    website = models.CharField("网站", max_length=200, blank=True)
    # For the letters (web/letters): the 发文字号 prefix and the 救济途径 each 答复告知书 names. Blank: inferred
    # (letters.settings.letter_settings) and the letter gate warns until an administrator confirms them.
    letter_prefix = models.CharField("发文字号代字", max_length=20, blank=True, help_text="如：七政公开")
    review_authority = models.CharField("行政复议机关", max_length=100, blank=True)
    court = models.CharField("行政诉讼管辖法院", max_length=100, blank=True)
    index_pattern = models.CharField("索引号格式", max_length=60, blank=True,
                                     help_text="留空用系统设置，默认 {code}-{year}-{seq:05d}")
    # 第四十九条 leaves the 乡镇/街道 deadline to local rules: set on the 乡镇/街道 itself or on a body above it
    # (a 区 or 市 setting it for the 乡镇/街道 below), with the rule that sets it.
    township_report_deadline = models.CharField("乡镇（街道）年报发布期限", max_length=5, blank=True,
                                                help_text="MM-DD，如 02-28；设在上级机关时适用于其下的乡镇、街道")
    township_report_deadline_basis = models.CharField("期限依据", max_length=200, blank=True,
                                                      help_text="设定该期限的本地规定（文件名称和文号）")

    class Meta:
        ordering = ["path"]
        verbose_name = "机关"

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("角色", max_length=20, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "body", "role"], name="membership_unique")]
        ordering = ["body__path", "role"]

    def __str__(self) -> str:
        return f"{self.user} @ {self.body} ({self.get_role_display()})"


class ApiToken(models.Model):
    """An API token; only its SHA-256 is stored, the key is shown once when created."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    @staticmethod
    def digest_of(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
