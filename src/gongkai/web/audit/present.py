"""The audit log as a person reads it: actions, subjects, fields and values in words, people by name.

An entry stores codes (``application.approve``, ``applications.application``/``170``, ``{"handler": 3,
"reply_type": "partial"}``): exact and stable, the right thing to keep. This module turns a page of entries into
what the log page shows: 「批准答复」, 「申请 2026-0017」, 「承办人：— → 李承办」, 「答复类型：→ 部分公开」. Field
names and choice labels come from the subject's model (its ``verbose_name``s and ``choices``), so a new field
is labelled without an edit here; the tables below hold only what the models cannot say. The code stays on the
page as a ``data-code`` attribute, for whoever needs it.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils.html import format_html

from ..core.templatetags.people import person_by_login
from .models import AuditEntry

# the object of an action (the part before the verb), when the model's verbose_name is not what people say
OBJECT_WORDS = {
    "application": "申请", "appeal": "复议诉讼", "body": "机关", "user": "用户", "membership": "角色", "catalog": "主动公开信息",
    "reports": "年度报告", "report": "年度报告", "calendar": "工作日历", "portal": "公开专栏", "letter": "文书",
    "letters": "文书", "template": "文书模板", "channel": "发布渠道", "channels": "发布渠道", "item": "主动公开信息",
    "audit": "审计日志", "backup": "备份", "supervision": "督查", "token": "接口令牌",
}
VERB_WORDS = {
    "create": "新建", "update": "修改", "edit": "修改", "delete": "删除", "register": "登记", "assign": "分配承办人",
    "draft": "起草答复", "approve": "批准", "decide": "作出决定", "return": "退回", "submit": "提交审核",
    "review": "保密审查", "publish": "发布", "withdraw": "撤回", "validity": "变更效力", "figures": "录入统计数据",
    "import": "导入", "grant": "授予", "revoke": "撤销", "correction_notice": "告知补正",
    "correction_received": "收到补正", "lapse": "视为放弃", "no_correction": "逾期未补正", "fee_notice": "告知收费",
    "fee_paid": "缴费", "fee_waived": "免收费用", "extend": "延期答复", "consult": "征求意见", "consulted": "收到意见",
    "pause": "暂停计算", "resume": "恢复计算", "close": "办结", "reopen": "重新办理", "attach": "添加附件",
    "link": "关联", "unlink": "取消关联", "save": "保存", "texts": "修改正文", "refresh": "刷新表格",
    "acknowledge": "确认提示", "deadline": "设置期限", "sign": "签发", "signoff": "签发", "no_function": "声明无此项职能",
    "notice": "录入放假安排", "recompute": "重新计算期限", "issue": "出具", "send": "发出", "deliver": "送达",
    "hold": "暂缓公开", "settle": "处理暂缓事项", "reply": "答复", "withdrawal": "撤回申请", "log": "登记",
    "rotate": "更换", "verify": "核验", "restore": "恢复", "backup": "备份", "to_draft": "退回草稿",
    "reset": "重置", "login": "登录", "lock": "锁定", "unlock": "解锁", "confirm": "确认", "dismiss": "不予采纳",
    "answer": "回复", "upload": "上传", "settings": "修改设置", "start": "开始编制",
    "hold_remind": "暂缓公开待裁定提醒", "helper": "使用发布助手",
    "match": "指定机关",  # the supervision: a report assigned to a body by hand
    "read": "读取完成",  # the supervision: a batch's reports all read by the worker (supervision/queue.py)
}
FIELD_WORDS = {
    "id": "编号", "round": "审查轮次", "result": "结果", "basis": "依据", "reasons": "理由", "note": "说明",
    "username": "用户名", "full_name": "姓名", "is_superuser": "系统管理员", "role": "角色", "user": "用户",
    "deadline_status": "期限状态", "due_provisional": "期限为预计", "state": "状态", "days": "延长天数", "reason": "理由", "on": "日期", "amount": "金额", "kind": "类型",
    "year": "年度", "keys": "确认的提示", "deadline": "期限", "texts": "正文", "count": "数量",
    # the catalog's three rules of 保密审查 and its holds; the channel log's imports
    "checklist": "保密审查三项规则", "check_reviewed": "已经保密审查", "check_declassified": "不含未经解密或未准予公开的内容",
    "check_boundary_clear": "公开与保密界限清楚", "hold": "暂缓事项编号", "outcome": "裁定结果", "created": "新建记录",
    "errors": "有错误的行数", "duplicates": "重复的行数",
    "submitted_by": "提交人", "approved_by": "审核人", "signed_by": "签发人", "signed_at": "签发时间",
    "publish_date": "发布日期", "acknowledged": "已确认的提示", "sections": "修改的部分",
    "body": "机关", "created_by": "登记人", "created_at": "登记时间", "updated_at": "更新时间", "author": "撰稿人",
    "reviewer": "审核人", "written_on": "撰写日期", "published_on": "发布日期",
    "published_at": "发布时间", "internal_note": "内部备注", "item": "主动公开信息", "application": "申请",
    # a supervision batch's upload and its reading (supervision/services.py)
    "urls": "网址数", "sources": "文件", "checked": "已检查", "unmatched": "待指定机关", "failed": "未能读取",
    "failed_sources": "未能读取的文件", "retried_sources": "重新读取的文件",
}
VALUE_WORDS = {
    "approved": "同意公开", "rejected": "不同意", "returned": "退回", "pending": "待处理", "upheld": "维持",
    "true": "是", "false": "否", "published": "已发布", "draft": "草稿", "submitted": "待审核",
    # an application's deadline status (law.DeadlineStatus)
    "open": "办理中", "paused": "暂停计算", "awaiting_correction": "等待补正", "overdue": "已超期", "closed": "已办结",
    "lapsed": "不计期限",
}
# subjects whose model has no Chinese verbose_name
MODEL_WORDS = {"application": "申请", "membership": "角色", "item": "主动公开信息", "body": "机关", "appeal": "复议诉讼",
               "yearfigures": "统计数据", "annualreport": "年度报告", "user": "用户", "reportfile": "年度报告文件",
               "calendaryear": "工作日历", "nofunction": "无此项职能声明"}
SHOWN_CHARS = 120
INTERNAL = {"id", "path"}  # bookkeeping fields no person needs to read (a row id, a body's tree path)


@dataclass
class Row:
    entry: AuditEntry
    who: str
    action: str
    subject: str
    changes: list[tuple[str, str, str]]


def action_label(code: str) -> str:
    """``application.lapse.no_correction`` → 「申请：视为放弃（逾期未补正）」."""
    head, *verbs = code.split(".")
    obj = OBJECT_WORDS.get(head, "")
    words = [VERB_WORDS.get(v, "") for v in verbs]
    if not obj or not words or not all(words):
        return "其他操作"
    return f"{obj}：{words[0]}" + (f"（{'，'.join(words[1:])}）" if len(words) > 1 else "")


def _kind(model: type[models.Model] | None) -> str:
    if model is None:
        return "对象"
    name = str(model._meta.verbose_name)
    return name if not name.isascii() else MODEL_WORDS.get(model._meta.model_name, "对象")


def _model(subject_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(subject_type)
    except (LookupError, ValueError):
        return None


def _name(obj: Any) -> str:
    """How a person names ``obj``: a user by full name, a case by its number, an item by its title …"""
    if isinstance(obj, get_user_model()):
        return obj.get_full_name() or obj.get_username()
    if hasattr(obj, "user") and hasattr(obj, "get_role_display"):  # a membership: who, as what
        return f"{_name(obj.user)}（{obj.get_role_display()}）"
    for attr in ("number", "title", "name", "case_number"):
        value = getattr(obj, attr, None)
        if value:
            return str(value)
    year = getattr(obj, "year", None)
    body = getattr(obj, "body", None)
    if year and body is not None:
        return f"{body.name}{year}年"
    return str(obj)


def _objects(pairs: set[tuple[type[models.Model], str]]) -> dict[tuple[type[models.Model], str], Any]:
    """The objects behind (model, pk) pairs, one query per model."""
    by_model: dict[type[models.Model], set[str]] = defaultdict(set)
    for model, pk in pairs:
        by_model[model].add(pk)
    out: dict[tuple[type[models.Model], str], Any] = {}
    for model, pks in by_model.items():
        good = [pk for pk in pks if str(pk).isdigit()] if isinstance(model._meta.pk, models.AutoField) else list(pks)
        for obj in model._default_manager.filter(pk__in=good):
            out[(model, str(obj.pk))] = obj
    return out


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        f = model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - FieldDoesNotExist and reverse relations alike: not a field to label
        return None
    return f if isinstance(f, models.Field) else None


def _field_label(model: type[models.Model] | None, name: str) -> str:
    f = _field(model, name)
    if f is not None and f.verbose_name and str(f.verbose_name) != name.replace("_", " "):
        return str(f.verbose_name)
    if name in FIELD_WORDS:
        return FIELD_WORDS[name]
    if not name.isascii():
        return name  # already words (a service recorded it so)
    return "其他字段"


def _value(model: type[models.Model] | None, name: str, value: Any, refs: dict) -> str:
    if value is None or value == "":
        return "—"
    f = _field(model, name)
    if f is not None and f.is_relation and f.related_model is not None:
        obj = refs.get((f.related_model, str(value)))
        if obj is None and f.related_model is get_user_model() and isinstance(value, str):
            obj = get_user_model().objects.filter(username=value).first()  # recorded by login name
        return _name(obj) if obj is not None else f"（已删除，编号{value}）"
    if name == "username" and isinstance(value, str):  # a login name is an identifier, not words
        return format_html('<span translate="no">{}</span>', value)
    if f is not None and f.choices:
        labels = {str(k): str(v) for k, v in f.flatchoices}
        if str(value) in labels:
            return labels[str(value)]
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str):
        if _looks_like_date(value):
            return value[:10] if len(value) > 10 and value[10] == "T" else value
        word = VALUE_WORDS.get(value)
        if word:
            return word
        return value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + "…"
    if isinstance(value, list):
        return "、".join(_value(None, name, v, refs) for v in value) or "—"
    if isinstance(value, dict):
        if "username" in value:  # a person, recorded as {"id", "username"}: by name
            return person_by_login(value["username"])
        return "；".join(f"{_field_label(None, k)}：{_value(None, k, v, refs)}" for k, v in value.items()) or "—"
    return str(value)


def _looks_like_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text[:10])
    except ValueError:
        return False
    return True


def present(entries: list[AuditEntry]) -> list[Row]:
    """The rows of a page of the log, with every object they mention fetched in one query per model."""
    wanted: set[tuple[type[models.Model], str]] = set()
    models_of = {e.pk: _model(e.subject_type) for e in entries}
    for e in entries:
        model = models_of[e.pk]
        if model is not None:
            wanted.add((model, e.subject_id))
        for name, before, after in e.changes():
            f = _field(model, name)
            if f is not None and f.is_relation and f.related_model is not None:
                wanted |= {(f.related_model, str(v)) for v in (before, after) if v not in (None, "")}
    refs = _objects(wanted)
    rows = []
    for e in entries:
        model = models_of[e.pk]
        kind = _kind(model)
        obj = refs.get((model, e.subject_id)) if model is not None else None
        subject = f"{kind} {_name(obj)}" if obj is not None else f"{kind}（编号{e.subject_id}）"
        changes = [(_field_label(model, name), _value(model, name, b, refs), _value(model, name, a, refs))
                   for name, b, a in e.changes() if name not in INTERNAL]
        actor = e.actor if e.actor_id else None
        who = (actor.get_full_name() or e.actor_name) if actor is not None else e.actor_name
        rows.append(Row(entry=e, who=who, action=action_label(e.action), subject=subject, changes=changes))
    return rows
