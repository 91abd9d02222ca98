"""Writes of the channel log. Every function is keyword-only, atomic, and records an audit entry.

Entries are logged by ``register`` (登记员、承办人、管理员) of the body. A row of an XLSX import is checked with the
same rules as a form (:func:`_validate`); the rows that pass are saved together, the others reported with their
sheet and row number, and a row already in the log is not logged twice (re-importing a sheet is harmless).
The publishing helpers log their use (:func:`helper_use`): a printed 公告栏 sheet is a 公告栏 posting, a
generated 公众号 article a 公众号 article.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from ..audit.services import audit_record, snapshot
from ..bodies.models import Body
from ..bodies.permissions import require
from ..catalog.models import Item, ItemState
from ..core.errors import Conflict, Invalid
from .models import COMMON_FIELDS, KIND_FIELDS, SPECIFIC_FIELDS, TITLE_LABELS, Entry, Kind, MediaLevel, Source

EDIT_FIELDS = (*COMMON_FIELDS, *SPECIFIC_FIELDS)
_BLANK: dict[str, Any] = {"link": "", "place": "", "removed_on": None, "outlet": "", "level": "", "topic": "",
                          "published_on": None, "attendees": None}
EARLIEST = dt.date(2000, 1, 1)


def _validate(entry: Entry, *, today: dt.date | None = None) -> None:
    """The rules of an entry of its kind; raises :class:`Invalid` with every problem, per field."""
    errors: dict[str, list[str]] = {}
    today = today or timezone.localdate()

    def bad(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if entry.kind not in Kind.values:
        raise Invalid("渠道无效，应为：" + "、".join(Kind.labels), details={"kind": ["渠道无效"]})
    if not (entry.title or "").strip():
        bad("title", f"请填写{TITLE_LABELS[entry.kind]}")
    if entry.on is None:
        bad("on", "请填写日期")
    elif not EARLIEST <= entry.on <= today:
        bad("on", "日期不能晚于今天，也不能早于2000年")
    used = KIND_FIELDS[entry.kind]
    for name in SPECIFIC_FIELDS:
        if name not in used and getattr(entry, name) not in (None, ""):
            bad(name, f"“{Kind(entry.kind).label}”记录不填写“{Entry._meta.get_field(name).verbose_name}”")
    if entry.link and not entry.link.lower().startswith(("http://", "https://")):
        bad("link", "链接应以 http:// 或 https:// 开头")
    if entry.kind == Kind.BOARD:
        if not entry.place.strip():
            bad("place", "请填写张贴地点")
        if entry.removed_on and entry.on and entry.removed_on < entry.on:
            bad("removed_on", "撤下日期不能早于张贴日期")
    if entry.kind == Kind.MEDIA:
        if not entry.outlet.strip():
            bad("outlet", "请填写媒体名称")
        if entry.level not in MediaLevel.values:
            bad("level", "请选择媒体级别（中央、省、市、区）")
        if entry.published_on and entry.on and entry.published_on < entry.on:
            bad("published_on", "刊登日期不能早于投稿日期")
        if entry.published_on and entry.published_on > today:
            bad("published_on", "刊登日期不能晚于今天")
    if entry.item_id is not None and entry.item.body_id != entry.body_id:
        bad("item", "只能关联本机关的公开信息")
    if errors:
        raise Invalid("；".join(m for ms in errors.values() for m in ms), details=errors)


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(EDIT_FIELDS)
    if unknown:
        raise Invalid(f"未知的字段：{'、'.join(sorted(unknown))}")
    out = dict(fields)
    for name in ("title", "link", "place", "outlet", "topic", "note"):
        if name in out:
            out[name] = (out[name] or "").strip()
    return out


@transaction.atomic
def entry_create(*, body: Body, actor: Any, kind: str, source: str = Source.MANUAL, **fields: Any) -> Entry:
    require(user=actor, action="register", body=body)
    entry = Entry(body=body, kind=kind, source=source, created_by=actor, **_BLANK | _clean(fields))
    _validate(entry)
    entry.save()
    audit_record(actor=actor, action="channels.create", subject=entry, body=body, after=snapshot(entry))
    return entry


@transaction.atomic
def entry_update(*, entry: Entry, actor: Any, **fields: Any) -> Entry:
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    require(user=actor, action="register", body=entry.body_id)
    fields = _clean(fields)
    before = snapshot(entry, list(fields))
    for name, value in fields.items():
        setattr(entry, name, value)
    _validate(entry)
    entry.updated_at = timezone.now()
    entry.save()
    audit_record(actor=actor, action="channels.update", subject=entry, body=entry.body, before=before,
                 after=snapshot(entry, list(fields)))
    return entry


@transaction.atomic
def entry_delete(*, entry: Entry, actor: Any, reason: str) -> None:
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    require(user=actor, action="register", body=entry.body_id)
    if not reason.strip():
        raise Invalid("删除须写明理由")
    audit_record(actor=actor, action="channels.delete", subject=entry, body=entry.body, before=snapshot(entry),
                 note=reason.strip())
    entry.delete()


# --- the publishing helpers' uses ------------------------------------------------------------------
def _published_item(item: Item) -> None:
    if item.state != ItemState.PUBLISHED or item.disclosure != "proactive" or not item.index_no:
        raise Conflict("只有已发布的主动公开信息可以生成公众号文章或公告栏公示单")


@transaction.atomic
def helper_use(*, item: Item, actor: Any, kind: str, on: dt.date, place: str = "", link: str = "",
               what: str = "") -> Entry:
    """Log the use of a publishing helper for ``item``: a 公告栏 sheet printed for posting at ``place`` on ``on``,
    or a 公众号 article prepared for ``on``. Printing the same sheet again for the same place and day (or preparing
    the same day's article again) logs nothing new; the reprint is audited."""
    require(user=actor, action="register", body=item.body_id)
    _published_item(item)
    if kind not in (Kind.BOARD, Kind.WECHAT):
        raise Invalid("发布助手只用于公告栏和微信公众号")
    same = Entry.objects.select_for_update().filter(body_id=item.body_id, item=item, kind=kind, on=on)
    if kind == Kind.BOARD:
        same = same.filter(place=place.strip())
    existing = same.first()
    if existing is not None:
        audit_record(actor=actor, action="channels.helper", subject=existing, body=existing.body,
                     note=f"再次{what or '使用发布助手'}")
        return existing
    entry = entry_create(body=item.body, actor=actor, kind=kind, source=Source.HELPER, title=item.title, on=on,
                         item=item, place=place if kind == Kind.BOARD else "", link=link if kind != Kind.BOARD else "",
                         note=what)
    return entry


# --- XLSX import -------------------------------------------------------------------------------------
@dataclass
class RowError:
    sheet: str
    row: int
    message: str


@dataclass
class ImportResult:
    created: list[Entry] = field(default_factory=list)
    duplicates: list[RowError] = field(default_factory=list)  # rows already in the log (not logged again)
    errors: list[RowError] = field(default_factory=list)  # rows not imported, with the reason

    @property
    def summary(self) -> str:
        text = f"已导入 {len(self.created)} 条"
        if self.duplicates:
            text += f"，{len(self.duplicates)} 条与已有记录相同未重复导入"
        if self.errors:
            text += f"，{len(self.errors)} 行有错误未导入（见下方）"
        return text


def _key(e: Entry) -> tuple[Any, ...]:
    return (e.kind, e.title.strip(), e.on, e.outlet.strip(), e.place.strip())


MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 5000


def entries_import_xlsx(*, body: Body, actor: Any, data: bytes | IO[bytes]) -> ImportResult:
    """Import the sheets of the template (``xlsx.template``): every row is checked; the good ones are saved in
    one transaction, the bad ones reported (sheet, row, reason), rows already logged skipped."""
    from .xlsx import read_rows

    require(user=actor, action="register", body=body)
    content = data if isinstance(data, bytes) else data.read()
    if len(content) > MAX_IMPORT_BYTES:
        raise Invalid("文件不能超过 5 MB")
    rows = read_rows(content)  # raises Invalid for an unreadable file or one with no known sheet
    if len(rows) > MAX_IMPORT_ROWS:
        raise Invalid(f"一次最多导入 {MAX_IMPORT_ROWS} 行，请分批导入")
    result = ImportResult()
    items = {i.index_no: i for i in Item.objects.filter(body=body, index_no__isnull=False)
             .only("pk", "index_no", "body_id")}
    today = timezone.localdate()
    good: list[Entry] = []
    with transaction.atomic():
        seen = {_key(e) for e in Entry.objects.filter(body=body)}
        for row in rows:
            if row.error:
                result.errors.append(RowError(row.sheet, row.row, row.error))
                continue
            values = dict(row.values)
            index_no = values.pop("index_no", "")
            item = None
            if index_no:
                item = items.get(index_no)
                if item is None:
                    result.errors.append(RowError(row.sheet, row.row, f"本机关没有索引号为 {index_no} 的公开信息"))
                    continue
            entry = Entry(body=body, kind=row.kind, source=Source.IMPORT, created_by=actor, item=item,
                          **_BLANK | _clean(values))
            try:
                _validate(entry, today=today)
            except Invalid as exc:
                result.errors.append(RowError(row.sheet, row.row, exc.message))
                continue
            if _key(entry) in seen:
                result.duplicates.append(RowError(row.sheet, row.row, "与已有记录相同，未重复导入"))
                continue
            seen.add(_key(entry))
            good.append(entry)
        result.created = Entry.objects.bulk_create(good)
        if good:
            audit_record(actor=actor, action="channels.import", subject=good[0], body=body,
                         after={"created": [e.pk for e in result.created], "errors": len(result.errors),
                                "duplicates": len(result.duplicates)},
                         note=result.summary)
    return result
