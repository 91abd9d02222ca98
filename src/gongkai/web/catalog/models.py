"""Catalog items, their attachments and reviews, the 索引号 counters, and the yearly figures of section 二.

Lifecycle of an item (transitions are data in ``TRANSITIONS``, every change goes through ``services``)::

    草稿 ─提交审查→ 待审查 ─通过→ 已通过审查 ─发布→ 已发布 ─撤回→ 已撤回
      ↑              ├─退回→ 已退回 ─修改后提交→ 待审查
      │              └─界限不清→ 暂缓公开 ─裁定（负责人或保密员）→ 已通过审查 / 已退回
      └──────退回草稿（已通过审查、已发布、已撤回；留痕，审查结论作废）──────┘

The reviewer answers the three rules of 保密审查 (未经保密审查的信息不得公开、未经解密和未准予公开的信息不得公开、
公开与保密界限不清的信息不得公开) on every review (``Review.check_*``). An item whose boundary is unclear is held
(暂缓公开, a :class:`Hold`) until the person the setting names (``GONGKAI_HOLD_SETTLER``: 负责人 or 保密员) settles it;
while held it is not counted as overdue under 第二十六条, and the hold is shown wherever its timeliness is.

Only an item that is 已发布, 主动公开 and whose latest review approved it is ever public
(``selectors.items_public``). Its 索引号 is given at publication and never changes or is reused
(a unique constraint plus a per-body per-year counter that only goes up).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from .categories import Category, Disclosure, DocKind, LocalCategory, Validity


class ItemState(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审查"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已通过审查"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"
    HELD = "held", "暂缓公开"


TRANSITIONS: dict[str, dict[str, str]] = {
    "submit": {ItemState.DRAFT: ItemState.SUBMITTED, ItemState.RETURNED: ItemState.SUBMITTED},
    "approve": {ItemState.SUBMITTED: ItemState.APPROVED},
    "reject": {ItemState.SUBMITTED: ItemState.RETURNED},
    "publish": {ItemState.APPROVED: ItemState.PUBLISHED},
    "withdraw": {ItemState.PUBLISHED: ItemState.WITHDRAWN},
    # 公开与保密界限不清，暂缓公开: held until the 负责人 or the 保密员 settles it
    "hold": {ItemState.SUBMITTED: ItemState.HELD},
    "settle_approve": {ItemState.HELD: ItemState.APPROVED},
    "settle_return": {ItemState.HELD: ItemState.RETURNED},
    # 退回草稿: the only way an approved, published or withdrawn item can be changed again (audited, approval cleared)
    "return_to_draft": {ItemState.APPROVED: ItemState.DRAFT, ItemState.PUBLISHED: ItemState.DRAFT,
                        ItemState.WITHDRAWN: ItemState.DRAFT},
}
EDITABLE = (ItemState.DRAFT, ItemState.RETURNED)


class Item(models.Model):
    body = models.ForeignKey("bodies.Body", on_delete=models.PROTECT, related_name="catalog_items")
    title = models.CharField("名称", max_length=300)
    doc_number = models.CharField("发文字号", max_length=100, blank=True)
    issuer = models.CharField("发布机构", max_length=100, blank=True)
    subject = models.CharField("主题分类", max_length=100, blank=True, help_text="两级，如 综合政务\\政务公开")
    category = models.CharField("公开目录", max_length=20, choices=Category.choices, default=Category.OTHER)
    local_category = models.CharField("第二十一条事项", max_length=30, choices=LocalCategory.choices, blank=True)
    disclosure = models.CharField("公开属性", max_length=20, choices=Disclosure.choices,
                                  default=Disclosure.PROACTIVE)
    withheld_reason = models.CharField("不予公开理由", max_length=300, blank=True)
    doc_kind = models.CharField("文件类型", max_length=20, choices=DocKind.choices, blank=True)
    validity = models.CharField("有效性", max_length=20, choices=Validity.choices, blank=True)
    valid_from = models.DateField("施行日期", null=True, blank=True)
    invalid_on = models.DateField("废止或失效日期", null=True, blank=True)
    keywords = models.CharField("关键词", max_length=200, blank=True)
    summary = models.TextField("内容概述", blank=True)
    text = models.TextField("正文", blank=True)
    written_on = models.DateField("成文日期", null=True, blank=True)
    formed_on = models.DateField("形成或变更日期", null=True, blank=True,
                                 help_text="第二十六条的20个工作日自此起算；不填则用成文日期")
    related = models.ManyToManyField("self", blank=True, verbose_name="相关解读")

    state = models.CharField("状态", max_length=20, choices=ItemState.choices, default=ItemState.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    internal_note = models.TextField("内部备注", blank=True)  # never on the portal
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name="保密审查人")
    index_no = models.CharField("索引号", max_length=60, null=True, blank=True, unique=True)
    published_at = models.DateTimeField("发布日期", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = "公开信息"
        indexes = [
            models.Index(fields=["body", "state", "disclosure", "-published_at"], name="catalog_item_public"),
            models.Index(fields=["body", "category", "state", "disclosure", "-published_at"],
                         name="catalog_item_category"),
            models.Index(fields=["state", "-published_at"], name="catalog_item_recent"),
        ]
        constraints = [
            # 先审查、后公开 in the database itself: nothing is published without an approval by another person.
            models.CheckConstraint(
                condition=~models.Q(state="published")
                | (models.Q(approved_by__isnull=False) & ~models.Q(approved_by=models.F("author"))
                   & models.Q(index_no__isnull=False)),
                name="catalog_item_published_reviewed"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def start_date(self):  # type: ignore[no-untyped-def]
        return self.formed_on or self.written_on

    @property
    def published_on(self):  # type: ignore[no-untyped-def]
        return timezone.localdate(self.published_at) if self.published_at else None


class Attachment(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField("文件名", max_length=200)
    file = models.FileField(upload_to="catalog/%Y/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["pk"]


class ReviewResult(models.TextChoices):
    APPROVED = "approved", "同意公开"
    REJECTED = "rejected", "退回修改"
    HELD = "held", "公开与保密界限不清，暂缓公开"


class Review(models.Model):
    """One confidentiality review of one item (一事一审). A resubmitted item gets a new round."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="reviews")
    round = models.PositiveSmallIntegerField(default=1)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(default=timezone.now)
    result = models.CharField("审查结论", max_length=20, choices=ReviewResult.choices)
    basis = models.TextField("审查依据", blank=True)
    reasons = models.TextField("退回理由", blank=True)
    # the three rules of 保密审查, as the reviewer answered them (None: a review recorded before they were asked)
    check_reviewed = models.BooleanField("已经保密审查", null=True, blank=True,
                                         help_text="未经保密审查的信息不得公开")
    check_declassified = models.BooleanField("不含未经解密或未准予公开的内容", null=True, blank=True,
                                             help_text="未经解密和未准予公开的信息不得公开")
    check_boundary_clear = models.BooleanField("公开与保密界限清楚", null=True, blank=True,
                                               help_text="公开与保密界限不清的信息不得公开")

    class Meta:
        ordering = ["item", "round"]
        constraints = [models.UniqueConstraint(fields=["item", "round"], name="catalog_review_round")]


class HoldOutcome(models.TextChoices):
    APPROVED = "approved", "可以公开"
    RETURNED = "returned", "退回修改（不予公开或修改后再审）"


class Hold(models.Model):
    """An item held as 「公开与保密界限不清，暂缓公开」 by a review, until settled (``settled_at``)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="holds")
    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="hold")
    held_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    held_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField("界限不清之处")
    settled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="裁定人")
    settled_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField("裁定结果", max_length=20, choices=HoldOutcome.choices, blank=True)
    note = models.TextField("裁定意见", blank=True)
    reminded_on = models.DateField("上次提醒日期", null=True, blank=True)

    class Meta:
        ordering = ["held_at", "pk"]
        constraints = [
            # one open hold per item
            models.UniqueConstraint(fields=["item"], condition=models.Q(settled_at__isnull=True),
                                    name="catalog_hold_one_open"),
        ]

    @property
    def held_on(self):  # type: ignore[no-untyped-def]
        return timezone.localdate(self.held_at)


class IndexSerial(models.Model):
    """The last serial given for a body and year (the ``{seq}`` of the 索引号 pattern); it only goes up."""

    body = models.ForeignKey("bodies.Body", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["body", "year"], name="catalog_serial_body_year")]


class IndexNumber(models.Model):
    """Every 索引号 ever given, kept for good (no delete path): a number is never given twice, even after its item
    was withdrawn or deleted or the body's code or pattern changed."""

    value = models.CharField("索引号", max_length=60, unique=True)
    body = models.ForeignKey("bodies.Body", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "已用索引号"


class YearFigures(models.Model):
    """Section 二 figures that do not come from the catalog: decisions and 行政事业性收费 of a year."""

    body = models.ForeignKey("bodies.Body", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    licensing = models.PositiveIntegerField("行政许可决定数", default=0)
    penalty = models.PositiveIntegerField("行政处罚决定数", default=0)
    coercion = models.PositiveIntegerField("行政强制决定数", default=0)
    fees_wan_yuan = models.DecimalField("行政事业性收费（万元）", max_digits=18, decimal_places=6, default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["body", "year"], name="catalog_figures_body_year")]
