"""The application and its lifecycle. Statuses are TextChoices, allowed transitions are data (``TRANSITIONS``);
every change goes through a service that appends a :class:`CaseEvent`; the deadline is derived from events."""
from __future__ import annotations

from django.conf import settings
from django.db import models

from ...law.deadlines import PauseReason
from ...law.decisions import applicant_types, reply_types
from ..core.templatetags.people import person_by_login

ApplicantType = models.TextChoices("ApplicantType", [(t.column_key.upper(), (t.column_key, t.label))
                                                     for t in applicant_types()])
ReplyType = models.TextChoices("ReplyType", [(t.row_key.replace(".", "_").upper(), (t.row_key, t.full_label))
                                             for t in reply_types()])
PauseReasonChoices = models.TextChoices("PauseReasonChoices", [(r.name, (r.value, r.label)) for r in PauseReason])


class Channel(models.TextChoices):
    """How the application arrived. Each maps to a 第三十一条 channel of :mod:`gongkai.law.deadlines`."""

    IN_PERSON = "in_person", "当面提交"
    ORAL = "oral", "口头提出（工作人员代为填写）"
    REGISTERED_MAIL = "registered_mail", "邮政挂号信/EMS（需签收）"
    ORDINARY_MAIL = "ordinary_mail", "平信（无需签收）"
    ONLINE = "online", "网上申请"
    EMAIL = "email", "电子邮件"
    FAX = "fax", "传真"


# Each channel as :class:`gongkai.law.events.Channel` (the same codes): the explanation names the one used.
LAW_CHANNEL = {Channel.IN_PERSON: "in_person", Channel.ORAL: "oral", Channel.REGISTERED_MAIL: "registered_mail",
               Channel.ORDINARY_MAIL: "ordinary_mail", Channel.ONLINE: "online", Channel.EMAIL: "email",
               Channel.FAX: "fax"}


class RequestedForm(models.TextChoices):
    PAPER = "paper", "纸质"
    ELECTRONIC = "electronic", "电子文档"
    VIEWING = "viewing", "现场查阅"
    ANY = "any", "不限"


class Delivery(models.TextChoices):
    POST = "post", "邮寄"
    EMAIL = "email", "电子邮件"
    PICKUP = "pickup", "当面领取"
    ONLINE = "online", "网上获取"


class Status(models.TextChoices):
    OPEN = "open", "办理中"
    CORRECTION = "correction", "待补正"
    CONSULTING = "consulting", "征求意见中"
    FEE = "fee", "待缴费"
    REVIEW = "review", "待审核"
    CLOSED = "closed", "已办结"


OPEN_STATUSES = [s for s in Status if s != Status.CLOSED]

# The lifecycle as data: status -> the statuses a service may move it to.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.OPEN: frozenset({Status.CORRECTION, Status.CONSULTING, Status.FEE, Status.REVIEW, Status.CLOSED}),
    Status.CORRECTION: frozenset({Status.OPEN, Status.CLOSED}),
    Status.CONSULTING: frozenset({Status.OPEN}),
    Status.FEE: frozenset({Status.OPEN, Status.CLOSED}),
    Status.REVIEW: frozenset({Status.OPEN, Status.CLOSED}),
    Status.CLOSED: frozenset(),
}


class EventKind(models.TextChoices):
    RECEIVED = "received", "收到申请"
    ASSIGNED = "assigned", "分配承办人"
    CORRECTION_NOTICE = "correction_notice", "发出补正告知"
    CORRECTION_RECEIVED = "correction_received", "收到补正"
    PAUSE_STARTED = "pause_started", "暂停计时（征求意见）"
    PAUSE_ENDED = "pause_ended", "恢复计时"
    EXTENDED = "extended", "延长答复期限"
    FEE_NOTICE = "fee_notice", "发出收费通知"
    FEE_PAID = "fee_paid", "缴纳信息处理费"
    DECISION_DRAFTED = "decision_drafted", "拟定答复"
    DECISION_RETURNED = "decision_returned", "答复退回修改"
    CLOSED = "closed", "办结"
    DEADLINE_CHANGED = "deadline_changed", "期限重新计算"
    PAUSE_RECORDED = "pause_recorded", "记录不计入期限的期间"
    REPLY_DELIVERED = "reply_delivered", "答复送达"


class Application(models.Model):
    body = models.ForeignKey("bodies.Body", on_delete=models.PROTECT, related_name="applications")
    number = models.CharField("编号", max_length=60, unique=True)
    year = models.PositiveIntegerField("编号年度")
    seq = models.PositiveIntegerField("序号")
    query_code = models.CharField("查询码", max_length=16, unique=True)

    channel = models.CharField("申请方式", max_length=20, choices=Channel.choices)
    submitted_on = models.DateField("提交日期")
    signed_for_on = models.DateField("签收日期", null=True, blank=True)
    confirmed_on = models.DateField("确认日期", null=True, blank=True)
    received_on = models.DateField("收到申请日期", db_index=True)

    applicant_type = models.CharField("申请人类型", max_length=20, choices=ApplicantType.choices)
    applicant_name = models.CharField("申请人姓名/名称", max_length=100)
    id_type = models.CharField("证件类型", max_length=30, blank=True)
    id_number = models.CharField("证件号码", max_length=40, blank=True)
    # 法人或其他组织 (第二十七、二十九条): the organisation's code and people; id_* then name the contact's ID
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    legal_representative = models.CharField("法定代表人或负责人", max_length=50, blank=True)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=40, blank=True)
    contact_email = models.CharField("电子邮箱", max_length=100, blank=True)
    contact_address = models.CharField("通信地址", max_length=200, blank=True)
    postcode = models.CharField("邮政编码", max_length=10, blank=True)
    description = models.TextField("所需信息描述")
    requested_form = models.CharField("获取信息的方式", max_length=20, choices=RequestedForm.choices,
                                      default=RequestedForm.ANY)
    delivery = models.CharField("获取信息的途径", max_length=20, choices=Delivery.choices, default=Delivery.POST)

    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.OPEN)
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name="承办人")
    due_on = models.DateField("答复期限", null=True, blank=True)
    # An estimate (预计): counted through a year whose holiday notice is not entered; due_note says why.
    due_provisional = models.BooleanField("期限为预计", default=False)
    due_note = models.CharField("期限说明", max_length=200, blank=True)
    deadline_status = models.CharField(max_length=30, blank=True)
    deadline_text = models.TextField(blank=True)

    reply_type = models.CharField("答复类型", max_length=40, choices=ReplyType.choices, blank=True)
    reply_summary = models.TextField("答复内容", blank=True)
    # The reply's three dates: made (作出, the date it bears), sent (发出: the deadline is measured by it; the case
    # closes on it) and delivered (送达, when known).
    reply_on = models.DateField("答复作出日期", null=True, blank=True)
    reply_sent_on = models.DateField("答复发出日期", null=True, blank=True)
    reply_delivered_on = models.DateField("答复送达日期", null=True, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["body", "year", "seq"], name="application_number_unique"),
            models.CheckConstraint(condition=models.Q(closed_on__isnull=True) | models.Q(closed_on__gte=models.F("received_on")),
                                   name="application_closed_after_received"),
            models.CheckConstraint(condition=~models.Q(status="closed") | (models.Q(closed_on__isnull=False) & ~models.Q(reply_type="")),
                                   name="application_closed_has_result"),
        ]
        indexes = [
            models.Index(fields=["body", "received_on", "id"], name="app_body_received"),  # lists, newest first
            models.Index(fields=["body", "closed_on"], name="app_body_closed"),
            models.Index(fields=["body", "status", "due_on"], name="app_body_status_due"),
            # Same applicant (duplicate and excessive-application hints, 第三十五/三十六条).
            models.Index(fields=["body", "applicant_name", "received_on"], name="app_body_applicant"),
            models.Index(fields=["body", "id_number"], name="app_body_id_number"),
            # Covers the ledger query (sections 三): an index-only scan instead of reading every row.
            models.Index(fields=["body", "received_on", "closed_on", "applicant_type", "reply_type"], name="app_ledger"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED


class CaseEvent(models.Model):
    """One thing that happened to a case, on a legal date. Append-only; the deadline is replayed from these."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    on = models.DateField("日期")
    data = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]

    def details(self) -> list[tuple[str, str]]:
        """The event's data as (Chinese label, value) pairs for the timeline."""
        out = []
        for key, value in (self.data or {}).items():
            if value in (None, "", []):
                continue
            label = EVENT_DATA_LABELS.get(key, key)
            if key == "reply_type":
                value = dict(ReplyType.choices).get(value, value)
            elif key == "channel":
                value = dict(Channel.choices).get(value, value)
            elif key == "reason" and value in dict(PauseReasonChoices.choices):
                value = dict(PauseReasonChoices.choices)[value]
            elif key == "online":
                value = "网上提交（凭查询码）" if value else "线下提交"
            elif key == "files" and isinstance(value, list):
                value = "、".join(str(v) for v in value)
            elif key == "handler":  # recorded as the login name: shown as the person's name
                value = person_by_login(value)
            elif key == "method":
                value = FEE_METHODS.get(value, value)
            elif key in ("before", "after", "reply_by", "received") and isinstance(value, str):
                value = value[:10]
            out.append((label, str(value)))
        return out


EVENT_DATA_LABELS = {"start": "开始日期", "end": "结束日期", "made": "作出日期", "sent": "发出日期",
                     "delivered": "送达日期", "text": "补正内容", "files": "附件", "online": "提交方式","items": "补正事项", "reply_by": "补正期限", "reason": "理由", "party": "被征求意见方", "days": "延长工作日",
                     "approved_by": "批准人", "amount": "金额（元）", "method": "收费方式", "quantity": "数量",
                     "received": "收到通知日期", "receipt_no": "财政票据号", "reply_type": "答复类型", "handler": "承办人",
                     "before": "原期限", "after": "新期限", "channel": "申请方式", "note": "说明"}


class FileKind(models.TextChoices):
    ID_PROOF = "id_proof", "身份证明"
    CORRECTION = "correction", "补正材料"


class ApplicationFile(models.Model):
    """A file the applicant gave: the 身份证明 with the application, or material sent with a 补正. Staff only;
    never shown on a public page."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField("类别", max_length=20, choices=FileKind.choices)
    name = models.CharField("文件名", max_length=200)
    file = models.FileField(upload_to="applications/%Y/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]


class DeadlinePolicy(models.Model):
    """A body's choices on the points the law leaves open (law.md §3.1 [SETTING]); a body without a row uses the
    defaults. Changed by the body's 管理员; open deadlines are then recomputed."""

    body = models.OneToOneField("bodies.Body", on_delete=models.CASCADE, related_name="deadline_policy")
    rest_day_next_working_day = models.BooleanField(
        "休息日收到的申请按下一个工作日收到计算", default=True)
    allow_other_pauses = models.BooleanField(
        "允许记录不可抗力等无法办理的期间（不计入答复期限）", default=False)
    updated_at = models.DateTimeField(auto_now=True)
FEE_METHODS = {"items": "按件计收", "pages": "按量计收"}


class Fee(models.Model):
    """The 信息处理费 of one application (one notice per application, one method, 109号)."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="fee")
    method = models.CharField(max_length=10, choices=list(FEE_METHODS.items()))
    quantity = models.PositiveIntegerField()
    already = models.PositiveIntegerField(default=0)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    breakdown = models.TextField(blank=True)
    noticed_on = models.DateField()
    notice_received_on = models.DateField(null=True, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    receipt_no = models.CharField("财政票据号", max_length=60, blank=True)


class NumberCounter(models.Model):
    body = models.ForeignKey("bodies.Body", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["body", "year"], name="counter_unique")]
