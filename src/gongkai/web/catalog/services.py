"""Writes of the catalog. Every function is keyword-only, atomic, and records an audit entry.

先审查、后公开 and 一事一审: an item is published only after a review of that very item approved it, by a reviewer
who neither wrote it nor edited, attached to or submitted it since its last approval (``REVIEW_RULE``, the one
four-eyes rule of ``core.review``, read from the audit log); editing is possible only in 草稿 or 已退回. An approved,
published or withdrawn item changes only after an explicit, audited ``item_return_to_draft``.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ..audit.services import audit_record, snapshot
from ..bodies.models import Body
from ..bodies.permissions import require
from ..core.db import atomic_retry, bump
from ..core.errors import Conflict, Invalid, TooLarge
from ..core.review import Rule, require_independent
from .categories import Category, Disclosure, DocKind, Validity
from .models import (
    EDITABLE,
    TRANSITIONS,
    Attachment,
    Hold,
    HoldOutcome,
    IndexSerial,
    Item,
    ItemState,
    Review,
    ReviewResult,
    YearFigures,
)
from .search import index_item, unindex_item

EDIT_FIELDS = ("title", "doc_number", "issuer", "subject", "category", "local_category", "disclosure",
               "withheld_reason", "doc_kind", "validity", "valid_from", "invalid_on", "keywords", "summary", "text",
               "written_on", "formed_on", "internal_note")
ALLOWED_TYPES = {".pdf": "application/pdf", ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 ".doc": "application/msword", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
                 ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
MAX_ATTACHMENT = 20 * 1024 * 1024


# The four-eyes rule of the catalog (core/review.py): what counts as having a hand in an item, and what approves.
# A review outcome that does not approve (退回, or another one added later) is not listed as an approval: whoever
# touched the item since its last approval stays barred from approving it.
REVIEW_RULE = Rule(noun="信息",
                   touches={"catalog.create": "起草", "catalog.update": "修改", "catalog.attach": "添加附件",
                            "catalog.submit": "提交审查"},
                   approvals=frozenset({"catalog.review", "catalog.settle"}),
                   approval_results={"catalog.review": frozenset({ReviewResult.APPROVED.value}),
                                     "catalog.settle": frozenset({ReviewResult.APPROVED.value})},
                   permanent=frozenset({"catalog.create"}))


def _transition(item: Item, action: str) -> str:
    target = TRANSITIONS[action].get(item.state)
    if target is None:
        raise Conflict(f"“{item.get_state_display()}”状态的信息不能{_ACTION_NAMES[action]}")
    return target


_ACTION_NAMES = {"submit": "提交审查", "approve": "通过审查", "reject": "退回", "publish": "发布", "withdraw": "撤回",
                 "return_to_draft": "退回草稿", "hold": "暂缓公开", "settle_approve": "裁定公开",
                 "settle_return": "裁定退回"}


_WRONG_BRACKETS = re.compile(r"[\[\(（【〈<]\s*\d{4}\s*[\]\)）】〉>]")


def _validate(item: Item) -> None:
    errors: dict[str, list[str]] = {}
    if not item.title.strip():
        errors["title"] = ["请填写名称"]
    if item.category not in Category.values:
        errors["category"] = ["公开目录无效"]
    if item.disclosure == Disclosure.WITHHELD and not item.withheld_reason.strip():
        errors["withheld_reason"] = ["不予公开须写明理由"]
    if item.doc_kind in (DocKind.RULE, DocKind.NORMATIVE) and not item.validity:
        errors["validity"] = ["规章和行政规范性文件须标明有效性"]
    if item.validity in (Validity.REPEALED, Validity.EXPIRED) and not item.invalid_on:
        errors["invalid_on"] = ["已废止或已失效的文件须填写日期"]
    if item.doc_number and _WRONG_BRACKETS.search(item.doc_number):
        errors["doc_number"] = ["发文字号的年份用六角括号〔〕，如 国办发〔2017〕47号"]
    if errors:
        raise Invalid("信息填写有误：" + "；".join(m for ms in errors.values() for m in ms), details=errors)


@transaction.atomic
def item_create(*, body: Body, author: Any, **fields: Any) -> Item:
    require(user=author, action="register", body=body)
    unknown = set(fields) - set(EDIT_FIELDS)
    if unknown:
        raise Invalid(f"未知的字段：{'、'.join(sorted(unknown))}")
    item = Item(body=body, author=author, issuer=fields.pop("issuer", "") or body.name, **fields)
    _validate(item)
    item.save()
    audit_record(actor=author, action="catalog.create", subject=item, body=body, after=snapshot(item))
    return item


@transaction.atomic
def item_update(*, item: Item, actor: Any, **fields: Any) -> Item:
    item = Item.objects.select_for_update().get(pk=item.pk)
    require(user=actor, action="register", body=item.body_id)
    if item.state not in EDITABLE:
        raise Conflict("只有草稿或已退回的信息可以修改；已提交审查的信息须先退回，已通过审查、已发布或已撤回的信息须先"
                       "“退回草稿”")
    before = snapshot(item, list(fields))
    for name, value in fields.items():
        if name not in EDIT_FIELDS:
            raise Invalid(f"未知的字段：{name}")
        setattr(item, name, value)
    item.issuer = item.issuer or item.body.name
    item.updated_at = timezone.now()
    _validate(item)
    item.save()
    audit_record(actor=actor, action="catalog.update", subject=item, body=item.body, before=before,
                 after=snapshot(item, list(fields)))
    return item


@transaction.atomic
def attachment_add(*, item: Item, actor: Any, name: str, data: bytes | IO[bytes]) -> Attachment:
    item = Item.objects.select_for_update().get(pk=item.pk)
    require(user=actor, action="register", body=item.body_id)
    if item.state not in EDITABLE:
        raise Conflict("只有草稿或已退回的信息可以添加附件")
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if ext not in ALLOWED_TYPES:
        raise Invalid("附件只接受 PDF、Word（DOC/DOCX）、Excel（XLSX）和图片（PNG/JPG）")
    content = data if isinstance(data, bytes) else data.read(MAX_ATTACHMENT + 1)
    if len(content) > MAX_ATTACHMENT:
        raise TooLarge("附件不能超过 20 MB")
    if not content:
        raise Invalid("附件是空文件")
    att = Attachment(item=item, name=name[:200], content_type=ALLOWED_TYPES[ext], size=len(content))
    att.file.save(f"{item.pk}-{timezone.now():%Y%m%d%H%M%S}{ext}", ContentFile(content), save=False)
    att.save()
    audit_record(actor=actor, action="catalog.attach", subject=item, body=item.body,
                 after={"attachment": att.name, "size": att.size})
    return att


@transaction.atomic
def item_submit(*, item: Item, actor: Any) -> Item:
    item = Item.objects.select_for_update().get(pk=item.pk)
    require(user=actor, action="register", body=item.body_id)
    item.state = _transition(item, "submit")
    item.approved_by = None
    item.updated_at = timezone.now()
    item.save(update_fields=["state", "approved_by", "updated_at"])
    audit_record(actor=actor, action="catalog.submit", subject=item, body=item.body, after={"state": item.state})
    return item


# The three rules of 保密审查, as the review form and the API ask them: (field, rule, the answer that allows publication)
SECRECY_RULES: tuple[tuple[str, str, str], ...] = (
    ("check_reviewed", "未经保密审查的信息不得公开", "本信息已经保密审查"),
    ("check_declassified", "未经解密和未准予公开的信息不得公开", "本信息不含未经解密或未准予公开的内容"),
    ("check_boundary_clear", "公开与保密界限不清的信息不得公开", "本信息公开与保密的界限清楚"),
)


def _checklist(checklist: dict[str, bool | None] | None, *, approve: bool, hold: bool) -> dict[str, bool | None]:
    """The answers to the three rules, checked against the outcome. Approval needs all three affirmed (an approval
    given without answers, as older callers do, affirms them: its basis must say so); a hold needs the boundary
    answered as unclear."""
    names = [name for name, _, _ in SECRECY_RULES]
    answers = {name: None for name in names}
    if checklist:
        unknown = set(checklist) - set(names)
        if unknown:
            raise Invalid(f"未知的审查事项：{'、'.join(sorted(unknown))}")
        answers |= checklist
    if approve:
        if checklist is None:
            return dict.fromkeys(names, True)
        missing = [rule for name, rule, _ in SECRECY_RULES if answers[name] is None]
        if missing:
            raise Invalid("请逐项回答保密审查的三项规则：" + "、".join(missing), details={"checklist": missing})
        if answers["check_boundary_clear"] is False:
            raise Invalid("公开与保密界限不清的信息不得公开：请选择“公开与保密界限不清，暂缓公开”")
        failed = [rule for name, rule, _ in SECRECY_RULES if answers[name] is False]
        if failed:
            raise Invalid("不符合“" + "、".join(failed) + "”的信息不能通过审查，请退回修改")
    if hold and answers["check_boundary_clear"] is True:
        raise Invalid("已回答“公开与保密界限清楚”的信息不能以界限不清暂缓公开")
    if hold:
        answers["check_boundary_clear"] = False  # the hold itself answers the third rule
    return answers


@transaction.atomic
def item_review(*, item: Item, reviewer: Any, approve: bool, basis: str = "", reasons: str = "",
                hold: bool = False, checklist: dict[str, bool | None] | None = None) -> Review:
    """Record the confidentiality review of ``item``: approve (only someone independent of it, ``REVIEW_RULE``),
    return it with reasons, or (``hold``) hold it as 「公开与保密界限不清，暂缓公开」 until the 负责人 or the 保密员
    settles it (:func:`item_settle`). ``checklist``: the answers to the three rules (``SECRECY_RULES``)."""
    item = Item.objects.select_for_update().get(pk=item.pk)
    require(user=reviewer, action="review", body=item.body_id)
    if hold and approve:
        raise Invalid("暂缓公开和同意公开只能选一项")
    target = _transition(item, "hold" if hold else "approve" if approve else "reject")
    if approve:  # returning or holding an item publishes nothing: whoever may review may do it, as with reports
        require_independent(user=reviewer, subject=item, rule=REVIEW_RULE, act="审查")
    if approve and not basis.strip():
        raise Invalid("请填写审查依据（如：经审查不涉及国家秘密、商业秘密和个人隐私）")
    if hold and not reasons.strip():
        raise Invalid("暂缓公开须写明公开与保密界限不清之处")
    if not approve and not hold and not reasons.strip():
        raise Invalid("退回须写明理由")
    answers = _checklist(checklist, approve=approve, hold=hold)
    rnd = (item.reviews.order_by("-round").values_list("round", flat=True).first() or 0) + 1
    result = ReviewResult.HELD if hold else ReviewResult.APPROVED if approve else ReviewResult.REJECTED
    review = Review.objects.create(item=item, round=rnd, reviewer=reviewer, basis=basis.strip() if approve else "",
                                   reasons=reasons.strip() if not approve else "", result=result, **answers)
    item.state = target
    item.approved_by = reviewer if approve else None
    item.updated_at = timezone.now()
    item.save(update_fields=["state", "approved_by", "updated_at"])
    audit_record(actor=reviewer, action="catalog.review", subject=item, body=item.body,
                 after={"round": rnd, "result": review.result, "basis": review.basis, "reasons": review.reasons,
                        "state": item.state, "checklist": answers})
    if hold:
        held = Hold.objects.create(item=item, review=review, held_by=reviewer, reason=reasons.strip())
        audit_record(actor=reviewer, action="catalog.hold", subject=item, body=item.body,
                     after={"hold": held.pk, "round": rnd, "reason": held.reason}, note="公开与保密界限不清，暂缓公开")
    return review


@transaction.atomic
def item_settle(*, item: Item, actor: Any, approve: bool, note: str) -> Review:
    """Settle a held item: the 负责人 or the 保密员 (``settle``, per ``GONGKAI_HOLD_SETTLER``) decides it may be
    published (a review round of theirs that approves it: four eyes as for any approval) or returns it (not to be
    published as it is). The hold is closed, the decision audited."""
    item = Item.objects.select_for_update().get(pk=item.pk)
    require(user=actor, action="settle", body=item.body_id)
    target = _transition(item, "settle_approve" if approve else "settle_return")
    if approve:
        require_independent(user=actor, subject=item, rule=REVIEW_RULE, act="裁定公开")
    if not note.strip():
        raise Invalid("请写明裁定意见（可以公开的依据，或不予公开、须修改之处）")
    held = Hold.objects.select_for_update().filter(item=item, settled_at__isnull=True).first()
    if held is None:
        raise Conflict("该信息没有待裁定的暂缓公开")
    rnd = (item.reviews.order_by("-round").values_list("round", flat=True).first() or 0) + 1
    review = Review.objects.create(
        item=item, round=rnd, reviewer=actor, result=ReviewResult.APPROVED if approve else ReviewResult.REJECTED,
        basis=note.strip() if approve else "", reasons="" if approve else note.strip(),
        check_reviewed=True, check_declassified=True if approve else None, check_boundary_clear=True if approve else None)
    held.settled_by, held.settled_at, held.note = actor, timezone.now(), note.strip()
    held.outcome = HoldOutcome.APPROVED if approve else HoldOutcome.RETURNED
    held.save(update_fields=["settled_by", "settled_at", "note", "outcome"])
    item.state = target
    item.approved_by = actor if approve else None
    item.updated_at = timezone.now()
    item.save(update_fields=["state", "approved_by", "updated_at"])
    audit_record(actor=actor, action="catalog.settle", subject=item, body=item.body,
                 before={"state": ItemState.HELD},
                 after={"round": rnd, "result": review.result, "hold": held.pk, "outcome": held.outcome,
                        "state": item.state}, note=note.strip())
    return review


@transaction.atomic
def holds_remind(*, today: dt.date | None = None) -> list[Hold]:
    """Mark the open holds reminded today (the daily digest calls it) and audit each reminder once a day."""
    today = today or timezone.localdate()
    out = []
    for held in Hold.objects.select_for_update().filter(settled_at__isnull=True).select_related("item__body"):
        if held.reminded_on != today:
            held.reminded_on = today
            held.save(update_fields=["reminded_on"])
            audit_record(actor=None, action="catalog.hold_remind", subject=held.item, body=held.item.body,
                         after={"hold": held.pk}, note="暂缓公开待裁定提醒")
        out.append(held)
    return out


INDEX_NO_SHAPE = re.compile(r"[0-9A-Z][0-9A-Z/_.\-]{3,59}")  # what the portal's URL accepts
INDEX_FIELDS = {"code", "org", "year", "seq"}


def index_pattern_of(body: Body) -> str:
    """The body's 索引号 pattern, or the site's (``GONGKAI_INDEX_PATTERN``)."""
    from django.conf import settings

    return (body.index_pattern or "").strip() or settings.GONGKAI_INDEX_PATTERN


def index_code(body: Body) -> tuple[str, str]:
    """``(code, org)`` for the 索引号: the body's 统一社会信用代码 as set (upper case) and its 组织机构代码 (characters
    9–17 of an 18-character code; the code itself otherwise). A body without a code gets ``GK`` + its id,
    zero-padded, for both — and the pages say so (``index_code_missing``)."""
    code = (body.code or "").strip().upper()
    if not code:
        code = f"GK{body.pk:07d}"
        return code, code
    return code, code[8:17] if len(code) == 18 else code


def index_code_missing(body: Body) -> str | None:
    """The warning to show where a body without a 统一社会信用代码 publishes, or ``None``."""
    if (body.code or "").strip():
        return None
    return (f"本机关尚未设置统一社会信用代码，索引号暂以 {index_code(body)[0]} 代替机关代码；"
            f"请管理员在机关设置中填写（已生成的索引号不会改变）")


def check_index_pattern(pattern: str) -> None:
    """Refuse a pattern that cannot make a valid, unique 索引号 (``Invalid`` with the reason in Chinese)."""
    import string

    try:
        names = [(f, spec) for _, f, spec, _ in string.Formatter().parse(pattern) if f is not None]
    except ValueError:
        raise Invalid("索引号格式有误：花括号不成对") from None
    used = {f for f, _ in names}
    if not used <= INDEX_FIELDS or any(not f for f in used):
        raise Invalid("索引号格式只能使用 {code}（统一社会信用代码）、{org}（组织机构代码）、{year}（年度）和 {seq}（序号）")
    if "seq" not in used:
        raise Invalid("索引号格式须含序号 {seq}，如 {code}-{year}-{seq:05d}")
    if not used & {"code", "org"}:
        raise Invalid("索引号格式须含机关代码 {code} 或 {org}")
    try:
        sample = pattern.format(code="12230103MB1234567X", org="MB1234567", year=2026, seq=1)
    except (ValueError, KeyError, IndexError):
        raise Invalid("索引号格式有误，序号可写作 {seq} 或 {seq:05d}") from None
    if not INDEX_NO_SHAPE.fullmatch(sample):
        raise Invalid("索引号只能由大写字母、数字和 - / _ . 组成，长度不超过60个字符")


def next_index_no(*, body: Body, year: int) -> str:
    """Allocate the next 索引号 of ``body`` for ``year`` (call inside a transaction). Never reused: the serial
    only goes up (write first, then read: core/db.py), and every number given is kept in ``IndexNumber`` for
    good, so a number that was once given (to an item since withdrawn or deleted, or under another pattern or
    code that produced the same text) is skipped."""
    from .models import IndexNumber

    code, org = index_code(body)
    pattern = index_pattern_of(body)
    for _ in range(1000):
        serial = bump(IndexSerial, {"body": body, "year": year})
        value = pattern.format(code=code, org=org, year=year, seq=serial)
        if not INDEX_NO_SHAPE.fullmatch(value):
            raise Conflict(f"本机关的索引号格式生成了无效的索引号“{value[:80]}”，请管理员修改机关设置")
        if not (IndexNumber.objects.filter(value=value).exists() or Item.objects.filter(index_no=value).exists()):
            IndexNumber.objects.create(value=value, body=body, year=year)
            return value
    raise Conflict("无法生成不重复的索引号，请管理员检查索引号格式")


@atomic_retry
def item_publish(*, item: Item, actor: Any, when: dt.datetime | None = None) -> Item:
    item = Item.objects.select_for_update().get(pk=item.pk)
    if not (_can(actor, "review", item.body_id) or _can(actor, "register", item.body_id)):
        require(user=actor, action="review", body=item.body_id)
    target = _transition(item, "publish")
    last = item.reviews.order_by("-round").first()
    if (last is None or last.result != ReviewResult.APPROVED or last.reviewer_id == item.author_id
            or item.approved_by_id != last.reviewer_id):
        raise Conflict("该信息未经他人保密审查通过，不能发布（先审查、后公开）")
    if item.disclosure != Disclosure.PROACTIVE:
        raise Conflict(f"公开属性为“{item.get_disclosure_display()}”的信息不在网站发布")
    when = when or timezone.now()
    item.state = target
    item.published_at = when
    if not item.index_no:
        item.index_no = next_index_no(body=item.body, year=timezone.localtime(when).year)
    item.updated_at = timezone.now()
    item.save(update_fields=["state", "published_at", "index_no", "updated_at"])
    index_item(item)
    audit_record(actor=actor, action="catalog.publish", subject=item, body=item.body,
                 after={"state": item.state, "index_no": item.index_no, "published_at": when})
    return item


@transaction.atomic
def item_withdraw(*, item: Item, actor: Any, reason: str) -> Item:
    item = Item.objects.select_for_update().get(pk=item.pk)
    require(user=actor, action="review", body=item.body_id)
    if not reason.strip():
        raise Invalid("撤回须写明理由")
    item.state = _transition(item, "withdraw")
    item.updated_at = timezone.now()
    item.save(update_fields=["state", "updated_at"])
    unindex_item(item.pk)
    audit_record(actor=actor, action="catalog.withdraw", subject=item, body=item.body,
                 after={"state": item.state}, note=reason.strip())
    return item


@transaction.atomic
def item_return_to_draft(*, item: Item, actor: Any, reason: str) -> Item:
    """退回草稿: the one way to change an approved, published or withdrawn item. Its approval is cleared (the next
    approval again needs someone who did not touch it since), a published item leaves the portal and the search
    index at once; its 索引号 stays with it. An approved item may be returned by whoever may publish it; a
    published or withdrawn one only by a reviewer."""
    item = Item.objects.select_for_update().get(pk=item.pk)
    if not (item.state == ItemState.APPROVED and _can(actor, "register", item.body_id)):
        require(user=actor, action="review", body=item.body_id)
    if not reason.strip():
        raise Invalid("退回草稿须写明理由")
    target = _transition(item, "return_to_draft")
    before = {"state": item.state, "approved_by": item.approved_by_id}
    was_public = item.state == ItemState.PUBLISHED
    item.state = target
    item.approved_by = None
    item.updated_at = timezone.now()
    item.save(update_fields=["state", "approved_by", "updated_at"])
    if was_public:
        unindex_item(item.pk)
    audit_record(actor=actor, action="catalog.to_draft", subject=item, body=item.body, before=before,
                 after={"state": item.state, "approved_by": None}, note=reason.strip())
    return item


@transaction.atomic
def item_set_validity(*, item: Item, actor: Any, validity: str, on: dt.date) -> Item:
    """Mark a published 规章/行政规范性文件 as 已修改/已废止/已失效 (its 索引号 stays)."""
    item = Item.objects.select_for_update().get(pk=item.pk)
    require(user=actor, action="register", body=item.body_id)
    if item.doc_kind not in (DocKind.RULE, DocKind.NORMATIVE):
        raise Conflict("只有规章和行政规范性文件有有效性")
    if validity not in Validity.values:
        raise Invalid("有效性无效")
    before = snapshot(item, ["validity", "invalid_on"])
    item.validity = validity
    item.invalid_on = on if validity in (Validity.REPEALED, Validity.EXPIRED) else item.invalid_on
    item.updated_at = timezone.now()
    item.save(update_fields=["validity", "invalid_on", "updated_at"])
    audit_record(actor=actor, action="catalog.validity", subject=item, body=item.body, before=before,
                 after=snapshot(item, ["validity", "invalid_on"]))
    return item


# --- links between items (a document and its 政策解读) ------------------------------------------
def _locked_pair(item: Item, other: Item) -> tuple[Item, Item]:
    """Both items, locked in primary-key order (two people linking crosswise cannot deadlock)."""
    if item.pk == other.pk:
        raise Invalid("不能把一条信息与它自己关联")
    locked = {i.pk: i for i in Item.objects.select_for_update().filter(pk__in=[item.pk, other.pk]).order_by("pk")}
    if len(locked) != 2:
        raise Invalid("要关联的信息不存在")
    return locked[item.pk], locked[other.pk]


def _check_link(item: Item, other: Item, actor: Any) -> None:
    """Linking is a change to the item as editing is (``register`` on its body), but not to its content: it is
    allowed in every state and never touches the review. Both items belong to one body."""
    require(user=actor, action="register", body=item.body_id)
    if other.body_id != item.body_id:
        raise Invalid("只能关联本机关的信息，不能关联其他机关的信息")


def _audit_link(action: str, actor: Any, pair: tuple[Item, Item], before: dict[int, list[int]]) -> None:
    for subject, partner in (pair, pair[::-1]):
        audit_record(actor=actor, action=action, subject=subject, body=subject.body,
                     before={"related": before[subject.pk]},
                     after={"related": sorted(subject.related.values_list("pk", flat=True))},
                     note=f"{'关联' if action == 'catalog.link' else '取消关联'}：{partner.index_no or partner.title}")


@transaction.atomic
def item_link(*, item: Item, other: Item, actor: Any) -> None:
    """Link ``item`` and ``other`` both ways (相关解读). The state and review of neither item change; the portal
    shows a link only while the other item is itself public (``selectors.item_public_page``), so linking a
    published document to a draft 解读 discloses nothing until the 解读 is reviewed and published."""
    item, other = _locked_pair(item, other)
    _check_link(item, other, actor)
    if item.related.filter(pk=other.pk).exists():
        raise Conflict("这两条信息已经关联")
    before = {i.pk: sorted(i.related.values_list("pk", flat=True)) for i in (item, other)}
    item.related.add(other)  # symmetric: Django adds the row for the other direction too
    _audit_link("catalog.link", actor, (item, other), before)


@transaction.atomic
def item_unlink(*, item: Item, other: Item, actor: Any) -> None:
    """Remove the link between ``item`` and ``other`` (both directions)."""
    item, other = _locked_pair(item, other)
    _check_link(item, other, actor)
    if not item.related.filter(pk=other.pk).exists():
        raise Conflict("这两条信息没有关联")
    before = {i.pk: sorted(i.related.values_list("pk", flat=True)) for i in (item, other)}
    item.related.remove(other)
    _audit_link("catalog.unlink", actor, (item, other), before)


def _can(user: Any, action: str, body_id: int) -> bool:
    from ..bodies.permissions import can

    return can(user=user, action=action, body=body_id)


# --- section 二 figures -----------------------------------------------------------------------
FIGURE_FIELDS = ("licensing", "penalty", "coercion", "fees_wan_yuan")


@transaction.atomic
def figures_set(*, body: Body, year: int, actor: Any, **values: Any) -> YearFigures:
    require(user=actor, action="register", body=body)
    fig, _ = YearFigures.objects.select_for_update().get_or_create(body=body, year=year)
    before = snapshot(fig, list(FIGURE_FIELDS))
    for name, raw in values.items():
        if name not in FIGURE_FIELDS:
            raise Invalid(f"未知的字段：{name}")
        setattr(fig, name, _number(name, raw))
    fig.updated_at = timezone.now()
    fig.save()
    audit_record(actor=actor, action="catalog.figures", subject=fig, body=body, before=before,
                 after=snapshot(fig, list(FIGURE_FIELDS)))
    return fig


_XLSX_HEADERS = {"年度": "year", "行政许可": "licensing", "行政处罚": "penalty", "行政强制": "coercion",
                 "行政事业性收费": "fees_wan_yuan"}


MAX_FIGURES_UPLOAD = 5 * 1024 * 1024  # a workbook of yearly figures is a few KB
MAX_FIGURES_ROWS = 1000  # one row a year


def figures_import_xlsx(*, body: Body, actor: Any, data: bytes | IO[bytes]) -> list[YearFigures]:
    """Import rows 年度 | 行政许可 | 行政处罚 | 行政强制 | 行政事业性收费（万元） from the first sheet.

    The workbook is read in a child process bounded in memory and CPU time (:mod:`gongkai.read.isolate`),
    after the package checks of :mod:`gongkai.read.limits` (bombs, entity declarations, rows): a hostile
    file costs this worker a fraction of a second and gets a 413/422 with the reason.
    """
    from ...errors import ReadError
    from ...read import isolate
    from ...read.limits import LimitExceeded

    raw = data if isinstance(data, bytes) else data.read(MAX_FIGURES_UPLOAD + 1)
    if len(raw) > MAX_FIGURES_UPLOAD:
        raise TooLarge("数据表格不能超过 5 MB")
    if not raw:
        raise Invalid("上传的是空文件")
    try:
        rows = isolate.run("gongkai.read._xlsx:sheet_values", raw, MAX_FIGURES_ROWS + 1)
    except LimitExceeded as exc:
        raise TooLarge(exc.message) from None
    except ReadError as exc:
        raise Invalid(f"无法读取该 XLSX 文件：{exc.message}") from None
    if not rows:
        raise Invalid("表格是空的")
    columns: dict[int, str] = {}
    for i, head in enumerate(rows[0]):
        for label, name in _XLSX_HEADERS.items():
            if head and str(head).strip().startswith(label):
                columns[i] = name
    if "year" not in columns.values():
        raise Invalid("表头须含“年度”列，以及 行政许可/行政处罚/行政强制/行政事业性收费 中的若干列")
    out = []
    with transaction.atomic():
        for lineno, row in enumerate(rows[1:], start=2):
            if not any(v not in (None, "") for v in row):
                continue
            values = {columns[i]: v for i, v in enumerate(row) if i in columns}
            try:
                year = int(values.pop("year"))
            except (TypeError, ValueError, KeyError):
                raise Invalid(f"第{lineno}行：年度应为四位数字") from None
            try:
                out.append(figures_set(body=body, year=year, actor=actor, **values))
            except Invalid as exc:
                raise Invalid(f"第{lineno}行：{exc.message}") from None
    return out


def _number(name: str, raw: Any) -> int | Decimal:
    if raw in (None, ""):
        return Decimal(0) if name == "fees_wan_yuan" else 0
    try:
        value = Decimal(str(raw).replace(",", "").strip())
    except InvalidOperation:
        raise Invalid(f"{name} 应为数字，而不是 {raw!r}") from None
    if value < 0:
        raise Invalid("数值不能为负")
    if name == "fees_wan_yuan":
        if value.as_tuple().exponent < -6:  # type: ignore[operator]
            raise Invalid("行政事业性收费以万元为单位，最多6位小数")
        return value
    if value != value.to_integral_value():
        raise Invalid("决定数量应为整数")
    return int(value)
