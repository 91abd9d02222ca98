"""The annual report of a body and year, its lifecycle and its published files.

    草稿 ─提交审核→ 待审核 ─审核通过→ 已审核 ─负责人签发→ 已签发 ─发布→ 已发布
      ↑───退回────────┘          │                   │
      └────────────退回──────────┴───────────────────┘

The report itself is a :class:`gongkai.report.Report` stored as JSON (``data``); the tables are computed from
the ledger and the catalog, the narrative is the clerk's. Every change of state is a :class:`ReportEvent`.
Four eyes (``services.REVIEW_RULE``, the rule of ``core.review``): nobody who started, edited, refreshed,
acknowledged or submitted the report since its last approval approves it, and nobody who did so since the last
sign-off signs it (签发, by a 负责人). Only a draft changes; anything later goes back to draft first (退回).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from ...report import Report


class ReportState(models.TextChoices):
    DRAFT = "draft", "草稿"
    PENDING = "pending", "待审核"
    REVIEWED = "reviewed", "已审核"
    SIGNED = "signed", "已签发"
    PUBLISHED = "published", "已发布"


TRANSITIONS: dict[str, dict[str, str]] = {
    "submit": {ReportState.DRAFT: ReportState.PENDING},
    "approve": {ReportState.PENDING: ReportState.REVIEWED},
    "sign": {ReportState.REVIEWED: ReportState.SIGNED},
    "return": {ReportState.PENDING: ReportState.DRAFT, ReportState.REVIEWED: ReportState.DRAFT,
               ReportState.SIGNED: ReportState.DRAFT},
    "publish": {ReportState.SIGNED: ReportState.PUBLISHED},
}


class AnnualReport(models.Model):
    body = models.ForeignKey("bodies.Body", on_delete=models.PROTECT, related_name="annual_reports")
    year = models.PositiveSmallIntegerField("年度")
    state = models.CharField("状态", max_length=20, choices=ReportState.choices, default=ReportState.DRAFT)
    data = models.TextField("报告（JSON）")
    acknowledged = models.JSONField("已确认的警告", default=list, blank=True)
    deadline = models.DateField("发布期限（本地设置）", null=True, blank=True)
    imported = models.BooleanField("外部导入", default=False)  # an earlier report loaded as published
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "body__path"]
        constraints = [models.UniqueConstraint(fields=["body", "year"], name="reports_body_year")]

    def __str__(self) -> str:
        return f"{self.body.name} {self.year}年度报告"

    @property
    def report(self) -> Report:
        return Report.from_json(self.data)

    @property
    def published_on(self):  # type: ignore[no-untyped-def]
        """The day the report was published: the date it states (set on publication, or read from an imported
        document), else the day it was published here; ``None`` for an imported report that states no date (never
        the day it was imported)."""
        if self.state != ReportState.PUBLISHED:
            return None
        stated = self.report.metadata.publish_date
        if stated is not None:
            return stated
        return timezone.localdate(self.published_at) if self.published_at and not self.imported else None


ACTION_LABELS = {"start": "开始编制（按台账和目录预填）", "submit": "提交审核", "approve": "审核通过", "sign": "负责人签发",
                 "return": "退回修改", "publish": "发布", "import": "导入已发布的报告"}


class ReportEvent(models.Model):
    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    action = models.CharField(max_length=20)
    from_state = models.CharField(max_length=20)
    to_state = models.CharField(max_length=20)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    @property
    def label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)


class ReportFile(models.Model):
    """A published document: ``html`` (the page to download), ``fragment`` (the portal page), ``docx``, ``pdf``."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=10)
    content = models.BinaryField()
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "kind"], name="reports_file_kind")]
