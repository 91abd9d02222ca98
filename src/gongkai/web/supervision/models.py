"""A batch of subordinate bodies' reports uploaded by a supervising office, their findings and the 督办 loop."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from ...checks import LEVEL_NAMES


class Batch(models.Model):
    office = models.ForeignKey("bodies.Body", verbose_name="督查机关", on_delete=models.PROTECT,
                               related_name="supervision_batches")
    year = models.PositiveSmallIntegerField("报告年度")
    title = models.CharField("批次名称", max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("上传时间", default=timezone.now)
    read_at = models.DateTimeField("读取完成时间", null=True, blank=True)  # set once, when no report is left to read

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = "督查批次"

    def __str__(self) -> str:
        return self.title or f"{self.year} 年度报告督查（第 {self.pk} 批）"


class SubmissionState(models.TextChoices):
    PENDING = "pending", "待读取"
    READING = "reading", "读取中"
    FAILED = "failed", "读取失败"
    UNMATCHED = "unmatched", "待指定机关"
    CHECKED = "checked", "已检查"


WAITING = (SubmissionState.PENDING, SubmissionState.READING)  # not read yet


class Submission(models.Model):
    """One report of a batch: stored on upload as 待读取 (its bytes in :class:`Upload`, or its ``url``), then claimed
    by a worker (``supervision.queue``), read, matched to a subordinate body, compared with its previous year,
    checked."""

    batch = models.ForeignKey(Batch, verbose_name="批次", on_delete=models.CASCADE, related_name="submissions")
    source = models.CharField("来源", max_length=500)  # the file name (in the ZIP) or the URL
    sha256 = models.CharField("内容摘要", max_length=64, blank=True)
    body = models.ForeignKey("bodies.Body", verbose_name="机关", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="supervision_submissions")
    printed_name = models.CharField("报告所署机关", max_length=200, blank=True)
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    state = models.CharField("状态", max_length=20, choices=SubmissionState.choices)
    error = models.TextField("错误", blank=True)
    data = models.TextField("报告（JSON）", blank=True)
    kind = models.CharField("文件类型", max_length=20, blank=True)
    previous = models.CharField("对比的上年度报告", max_length=200, blank=True)
    previous_data = models.TextField("上年度报告（JSON）", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    url = models.TextField("网址", blank=True)  # fetched by the worker when there are no uploaded bytes
    claimed_at = models.DateTimeField("读取开始时间", null=True, blank=True)
    claimed_by = models.CharField("读取进程", max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField("读取次数", default=0)

    class Meta:
        ordering = ["pk"]
        verbose_name = "报告"
        indexes = [models.Index(fields=["state", "claimed_at"], name="supervision_sub_queue")]

    def __str__(self) -> str:
        return f"{self.body.name if self.body else self.printed_name or self.source} {self.year or ''}年度报告"


class Upload(models.Model):
    """The bytes of an uploaded report until a worker has read them (kept apart so that listing a batch never
    loads them; in the database so that the upload is one transaction: no file without its row, nor the reverse)."""

    submission = models.OneToOneField(Submission, on_delete=models.CASCADE, related_name="upload", primary_key=True)
    data = models.BinaryField("文件内容")

    class Meta:
        verbose_name = "待读取文件"


class FindingState(models.TextChoices):
    OPEN = "open", "待核实"
    CONFIRMED = "confirmed", "已确认"
    DISMISSED = "dismissed", "不予采纳"


class Finding(models.Model):
    submission = models.ForeignKey(Submission, verbose_name="报告", on_delete=models.CASCADE,
                                   related_name="findings")
    code = models.CharField("检查项", max_length=20)
    level = models.CharField("级别", max_length=10)  # error / warning / info (checks.Level)
    message = models.TextField("问题")
    evidence = models.TextField("依据", blank=True)
    state = models.CharField("状态", max_length=20, choices=FindingState.choices, default=FindingState.OPEN)
    reason = models.TextField("理由", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="核实人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("核实时间", null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = "问题"

    def __str__(self) -> str:
        return f"{self.code} {self.message[:40]}"

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES.get(self.level, self.level)


class DubanState(models.TextChoices):
    SENT = "sent", "待答复"
    ANSWERED = "answered", "已答复"
    CLOSED = "closed", "已办结"


class Duban(models.Model):
    """A confirmed finding sent to the body as a 督办, answered by the body, closed by the office."""

    finding = models.OneToOneField(Finding, verbose_name="问题", on_delete=models.PROTECT, related_name="duban")
    body = models.ForeignKey("bodies.Body", verbose_name="承办机关", on_delete=models.PROTECT,
                             related_name="dubans")
    request = models.TextField("督办要求")
    due = models.DateField("办理期限")
    state = models.CharField("状态", max_length=20, choices=DubanState.choices, default=DubanState.SENT)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="督办人", null=True,
                                on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField("督办时间", default=timezone.now)
    answer = models.TextField("答复", blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="答复人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    closing_note = models.TextField("办结意见", blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="办结人", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        ordering = ["state", "due", "pk"]
        verbose_name = "督办事项"

    def __str__(self) -> str:
        return f"督办：{self.body.name} {self.finding.code}"
