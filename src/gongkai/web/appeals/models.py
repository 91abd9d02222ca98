from __future__ import annotations

from django.conf import settings
from django.db import models

from ...formats import get_format

_S4 = get_format("2021").s4
_BLOCKS = {c.key.split(".")[0]: c.group for c in _S4.columns}
_RESULTS = {c.key.split(".")[1]: c.label for c in _S4.columns if not c.key.endswith(".total")}

# The three blocks of section 四 and the four results, labels from gongkai.formats.
AppealKind = models.TextChoices("AppealKind", [(k.upper(), (k, label or k)) for k, label in _BLOCKS.items()])
AppealResult = models.TextChoices("AppealResult", [(k.upper(), (k, label)) for k, label in _RESULTS.items()])


class Appeal(models.Model):
    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="appeals")
    kind = models.CharField("类型", max_length=30, choices=AppealKind.choices)
    review = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="lawsuits",
                               verbose_name="前置复议")
    authority = models.CharField("复议机关/法院", max_length=100)
    case_number = models.CharField("案号", max_length=100, blank=True)
    filed_on = models.DateField("收到/立案日期")
    result = models.CharField("结果", max_length=20, choices=AppealResult.choices, default="pending")
    decided_on = models.DateField("审结日期", null=True, blank=True)
    note = models.TextField("备注", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-filed_on", "-id"]
        indexes = [models.Index(fields=["filed_on"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(decided_on__isnull=True) | models.Q(decided_on__gte=models.F("filed_on")),
                                   name="appeal_decided_after_filed"),
        ]
