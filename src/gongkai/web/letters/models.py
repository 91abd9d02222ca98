"""Letter templates (per body, versioned), issued letters (file + metadata), third parties recorded on a case."""
from __future__ import annotations

from django.conf import settings
from django.db import models


class Recipient(models.TextChoices):
    APPLICANT = "applicant", "申请人"
    THIRD_PARTY = "third_party", "第三方"


def kind_choices() -> list[tuple[str, str]]:
    """Every letter kind with its name (a callable: the kinds module imports this one)."""
    from .kinds import KINDS, kind_label

    return [(k, kind_label(k)) for k in KINDS]


class LetterTemplate(models.Model):
    """One version of the template of one letter kind (``kinds.KINDS`` key, e.g. ``correction`` or
    ``reply.denied.third_party``) of one body. Rows are never changed: an edit adds the next version."""

    body = models.ForeignKey("bodies.Body", on_delete=models.CASCADE, related_name="+")
    key = models.CharField("文书类型", max_length=60, choices=kind_choices)
    version = models.PositiveIntegerField("版本")
    title = models.CharField("标题", max_length=100)
    text = models.TextField("正文")
    note = models.CharField("修改说明", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["body", "key", "-version"]
        constraints = [models.UniqueConstraint(fields=["body", "key", "version"], name="letter_template_version")]

    def __str__(self) -> str:
        return f"{self.get_key_display()}第{self.version}版"


class Letter(models.Model):
    """An issued letter: the files as sent and what they were made from."""

    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="letters")
    body = models.ForeignKey("bodies.Body", on_delete=models.PROTECT, related_name="+")
    key = models.CharField("文书类型", max_length=60, choices=kind_choices)
    title = models.CharField("标题", max_length=100)
    number = models.CharField("文号", max_length=60, unique=True)
    year = models.PositiveIntegerField()
    seq = models.PositiveIntegerField()
    issued_on = models.DateField("成文日期")
    recipient = models.CharField("收件人类型", max_length=20, choices=Recipient.choices)
    addressee = models.CharField("主送", max_length=200)
    template = models.ForeignKey(LetterTemplate, on_delete=models.PROTECT, related_name="letters",
                                 verbose_name="模板版本")
    text = models.TextField("正文")
    facts = models.JSONField("填写事项", default=dict, blank=True)
    findings = models.JSONField("审查结果", default=list, blank=True)
    docx = models.BinaryField()
    pdf = models.BinaryField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["issued_on", "id"]
        constraints = [models.UniqueConstraint(fields=["body", "year", "seq"], name="letter_number_unique")]

    def __str__(self) -> str:
        return self.number


class LetterCounter(models.Model):
    """The last 文号 sequence of a body in a year (allocated write-first with ``core.db.bump``)."""

    body = models.ForeignKey("bodies.Body", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["body", "year"], name="letter_counter_unique")]


class CaseParty(models.Model):
    """A third party of a case (第三十二条): whom the office consults. Its personal data never goes into a letter
    to the applicant (gate check L6)."""

    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE, related_name="parties")
    name = models.CharField("姓名或名称", max_length=100)
    id_number = models.CharField("证件号码/统一社会信用代码", max_length=40, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    address = models.CharField("通信地址", max_length=200, blank=True)
    is_organisation = models.BooleanField("法人或其他组织", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
