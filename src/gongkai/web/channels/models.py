"""The channel log of a body: every publication or outreach event outside the portal, with its facts.

One model for all channels (the fields a kind uses are in ``KIND_FIELDS``); the section 一 figures of a year are
counted from it (``selectors.outreach_facts``): 政策会议/宣传讲座/培训 by ``on`` (the day held), media submissions by
``on`` (submitted) and publications by ``published_on``, 公告栏 postings and 公众号/微博 articles by ``on``.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Kind(models.TextChoices):
    WECHAT = "wechat", "微信公众号"
    WEIBO = "weibo", "微博"
    BOARD = "board", "公告栏"
    MEDIA = "media", "媒体投稿"
    MEETING = "meeting", "政策会议"
    LECTURE = "lecture", "宣传讲座"
    TRAINING = "training", "培训"


class MediaLevel(models.TextChoices):
    CENTRAL = "central", "中央"
    PROVINCIAL = "provincial", "省"
    CITY = "city", "市"
    DISTRICT = "district", "区"


class Source(models.TextChoices):
    MANUAL = "manual", "手工录入"
    IMPORT = "import", "XLSX 导入"
    API = "api", "接口"
    HELPER = "helper", "发布助手"


# the fields each kind uses besides title, on, item and note
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    Kind.WECHAT: ("link",), Kind.WEIBO: ("link",),
    Kind.BOARD: ("place", "removed_on"),
    Kind.MEDIA: ("outlet", "level", "topic", "published_on"),
    Kind.MEETING: ("attendees",), Kind.LECTURE: ("attendees",), Kind.TRAINING: ("attendees",),
}
COMMON_FIELDS = ("title", "on", "item", "note")
SPECIFIC_FIELDS = ("link", "place", "removed_on", "outlet", "level", "topic", "published_on", "attendees")
# how the date ``on`` and the title are called for each kind
ON_LABELS = {Kind.WECHAT: "发布日期", Kind.WEIBO: "发布日期", Kind.BOARD: "张贴日期", Kind.MEDIA: "投稿日期",
             Kind.MEETING: "召开日期", Kind.LECTURE: "举办日期", Kind.TRAINING: "举办日期"}
TITLE_LABELS = {Kind.WECHAT: "标题", Kind.WEIBO: "标题", Kind.BOARD: "公示标题", Kind.MEDIA: "稿件标题",
                Kind.MEETING: "会议主题", Kind.LECTURE: "讲座主题", Kind.TRAINING: "培训主题"}


class Entry(models.Model):
    body = models.ForeignKey("bodies.Body", on_delete=models.PROTECT, related_name="channel_entries")
    kind = models.CharField("渠道", max_length=20, choices=Kind.choices)
    title = models.CharField("标题或主题", max_length=300)
    on = models.DateField("日期", help_text="发布、张贴、投稿或举办的日期")
    item = models.ForeignKey("catalog.Item", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="channel_entries", verbose_name="对应的公开信息")
    link = models.URLField("链接", max_length=500, blank=True)
    place = models.CharField("张贴地点", max_length=200, blank=True)
    removed_on = models.DateField("撤下日期", null=True, blank=True)
    outlet = models.CharField("媒体名称", max_length=100, blank=True)
    level = models.CharField("媒体级别", max_length=20, choices=MediaLevel.choices, blank=True)
    topic = models.CharField("稿件类别", max_length=50, blank=True)
    published_on = models.DateField("刊登日期", null=True, blank=True)
    attendees = models.PositiveIntegerField("参加人数", null=True, blank=True)
    note = models.CharField("备注", max_length=500, blank=True)
    source = models.CharField("来源", max_length=20, choices=Source.choices, default=Source.MANUAL)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = "渠道记录"
        indexes = [
            models.Index(fields=["body", "kind", "on"], name="channels_entry_kind_on"),
            models.Index(fields=["body", "kind", "published_on"], name="channels_entry_published"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"

    @property
    def on_label(self) -> str:
        return ON_LABELS.get(self.kind, "日期")
