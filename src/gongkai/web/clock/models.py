from __future__ import annotations

from django.conf import settings
from django.db import models

from ...law.calendar import DayKind

DayKindChoices = models.TextChoices("DayKindChoices", [(k.name, (k.value, k.label)) for k in DayKind])


class CalendarYear(models.Model):
    """One year's holiday notice, as loaded (from chinesecalendar or typed in by an administrator)."""

    year = models.PositiveIntegerField("年度", unique=True)
    source = models.CharField("来源", max_length=200)
    notice_text = models.TextField("通知表格", blank=True)
    loaded_at = models.DateTimeField(auto_now=True)
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")

    class Meta:
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}年（{self.source}）"


class CalendarEntry(models.Model):
    """A day the notice names: a holiday, or a weekend day worked (调休上班)."""

    calendar_year = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="entries")
    date = models.DateField(unique=True)
    kind = models.CharField(max_length=20, choices=DayKindChoices.choices)
    name = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["date"]
