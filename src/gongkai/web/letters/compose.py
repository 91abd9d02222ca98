"""From a case, a kind and a template version to a :class:`LetterDoc` (the words, in the order of a 公文)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ...law.calendar import format_day
from ..applications.models import Application, EventKind
from ..clock.selectors import working_calendar
from .kinds import GROUNDS, REG, Kind, a36
from .models import CaseParty
from .settings import LetterSettings

CORRECTION_DAYS = 15  # working days the applicant is given to correct, when the notice names no date ("合理期限")
CHANNEL_WORDS = {"in_person": "当面提交", "oral": "口头提出", "registered_mail": "邮寄（挂号信）",
                 "ordinary_mail": "邮寄（平信）", "online": "网上申请平台", "email": "电子邮件", "fax": "传真"}
FORM_WORDS = {"paper": "纸质", "electronic": "电子文档", "any": "纸质"}
NATURAL = "natural"


def cn_date(d: dt.date | None) -> str:
    """2026年12月5日 (GB/T 9704: no leading zeros); empty for no date."""
    return format_day(d) if d else ""


@dataclass
class LetterDoc:
    title_lines: list[str]
    number: str
    addressee: str
    paragraphs: list[str]
    signature: str
    date: str
    note: str = ""
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """Everything printed, one item a line (what the gate reads and what is stored)."""
        parts = [*self.title_lines, self.number, self.addressee, *self.paragraphs, self.signature, self.date, self.note]
        return "\n".join(p for p in parts if p)


class _Keep(dict):
    def __missing__(self, key: str) -> str:  # an unknown placeholder stays as written (the gate, L7, reports it)
        return "{" + key + "}"


def _last(app: Application, kind: str) -> Any:
    return next((e for e in reversed(list(app.events.all())) if e.kind == kind), None)


def _address_word(natural: bool) -> str:
    return "您" if natural else "你单位"


def _process(app: Application, kind: Kind, you: str) -> str:
    """The steps of the case that the letter recounts (补正, consultation, extension, fee)."""
    events = list(app.events.all())
    out: list[str] = []
    notice = next((e for e in events if e.kind == EventKind.CORRECTION_NOTICE), None)
    corrected = next((e for e in events if e.kind == EventKind.CORRECTION_RECEIVED), None)
    if notice and corrected and kind.key != "correction":
        out.append(f"本机关于{cn_date(notice.on)}向{you}发出补正告知书，于{cn_date(corrected.on)}收到补正后的申请。")
    if kind.key in ("extension", "fee") or kind.reply_type:
        for start in (e for e in events if e.kind == EventKind.PAUSE_STARTED):
            end = next((e for e in events if e.kind == EventKind.PAUSE_ENDED and e.on >= start.on), None)
            whom = "第三方" if start.data.get("reason") == "third_party" else "其他有关机关"
            span = f"（至{cn_date(end.on)}）" if end else ""
            out.append(f"因该申请涉及{whom}，本机关于{cn_date(start.on)}书面征求{whom}意见{span}，"
                       "征求意见所需时间不计算在答复期限内。")
    if kind.reply_type:
        ext = next((e for e in events if e.kind == EventKind.EXTENDED), None)
        if ext:
            out.append(f"经本机关政府信息公开工作机构负责人同意，本机关于{cn_date(ext.on)}告知{you}延长答复期限"
                       f"{ext.data.get('days')}个工作日。")
        fee = getattr(app, "fee", None) if hasattr(app, "fee") else None
        if fee is not None and fee.paid_on:
            out.append(f"{you}已于{cn_date(fee.paid_on)}缴纳信息处理费{fee.amount}元。")
    return "".join(out)


def _delivery(app: Application, kind: Kind, you: str, address: str) -> str:
    if kind.reply_type not in ("granted", "partial"):
        return ""
    where = f"本机关（{address}）" if address else "本机关"
    if app.requested_form == "viewing":
        return f"请{you}持本告知书和身份证明，于工作时间到{where}现场查阅、抄录上述政府信息。"
    form = FORM_WORDS.get(app.requested_form, "纸质")
    return {
        "post": f"本机关将上述政府信息以{form}形式通过邮寄方式送达{you}提供的通信地址。",
        "email": f"本机关将上述政府信息以电子文档形式发送至{you}提供的电子邮箱。",
        "pickup": f"请{you}持本告知书和身份证明，于工作时间到{where}领取上述政府信息。",
        "online": f"{you}可以凭查询码在本机关政府信息公开网站下载上述政府信息。",
    }.get(app.delivery, "")


def remedy(kind: Kind, you: str, settings: LetterSettings) -> str:
    authority, court = settings.review_authority or "（复议机关）", settings.court or "（人民法院）"
    if kind.review_first:
        what = "本答复中不予公开的决定" if kind.reply_type == "partial" else "本答复"
        return (f"如对{what}不服，根据《中华人民共和国行政复议法》第二十三条的规定，{you}应当自收到本告知书之日起六十日内"
                f"向{authority}申请行政复议；对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内向{court}"
                "提起行政诉讼。")
    return (f"如对本答复不服，{you}可以自收到本告知书之日起六十日内向{authority}申请行政复议，"
            f"也可以自收到本告知书之日起六个月内向{court}提起行政诉讼。")


def _items(text: str) -> str:
    lines = [ln.strip().rstrip("；;。") for ln in text.splitlines() if ln.strip()]
    if len(lines) == 1:
        return lines[0] + "。"
    return "\n".join(f"{i}. {ln}；" if i < len(lines) else f"{i}. {ln}。" for i, ln in enumerate(lines, 1))


def _tier(line: str) -> str:
    """「第1–30页：30页 × 免费 = 0 元」 → 「第1–30页免费」; other tiers without the spaces."""
    line = line.replace(" ", "")
    return line.split("：")[0] + "免费" if "免费" in line else line


def values_for(app: Application, kind: Kind, settings: LetterSettings, facts: dict[str, Any],
               party: CaseParty | None = None) -> dict[str, str]:
    body = app.body
    natural = app.applicant_type == NATURAL
    you = _address_word(natural)
    estimate = "（预计；国务院办公厅公布放假安排后期限如有变化，本机关另行告知）"
    due = cn_date(app.due_on) + (estimate if app.due_provisional else "") if app.due_on else "（待定）"
    v: dict[str, str] = {
        "申请人": app.applicant_name, "称谓": you, "申请编号": app.number, "收到日期": cn_date(app.received_on),
        "申请内容": "；".join(x.strip() for x in app.description.splitlines() if x.strip()),
        "申请方式": CHANNEL_WORDS.get(app.channel, app.get_channel_display()), "查询码": app.query_code,
        "答复期限": due, "答复内容": app.reply_summary.strip(), "机关": body.name, "机关地址": body.address,
        "复议机关": settings.review_authority, "人民法院": settings.court, "办结日期": cn_date(app.closed_on),
    }
    v["办理过程"] = _process(app, kind, you)
    v["送达方式"] = _delivery(app, kind, you, body.address)
    v["救济途径"] = remedy(kind, you, settings) if kind.remedy else ""
    notice = _last(app, EventKind.CORRECTION_NOTICE)
    if notice is not None:
        v["补正事项"] = _items(notice.data.get("items", ""))
        v["补正告知日期"] = cn_date(notice.on)
        reply_by = notice.data.get("reply_by")
        by = dt.date.fromisoformat(reply_by) if reply_by else working_calendar().add_working_days(notice.on, CORRECTION_DAYS)
        v["补正期限"] = cn_date(by)
        facts.setdefault("reply_by", by.isoformat())
    ext = _last(app, EventKind.EXTENDED)
    if ext is not None:
        v["延期理由"] = str(ext.data.get("reason", "")).rstrip("。")
        v["延长工作日"] = str(ext.data.get("days", ""))
    fee = getattr(app, "fee", None) if hasattr(app, "fee") else None
    if fee is not None:
        v["收费方式"] = fee.get_method_display()
        v["收费数量"] = f"{fee.quantity}{'件' if fee.method == 'items' else '页'}"
        lines = [ln for ln in fee.breakdown.splitlines() if ln and not ln.startswith(("按", "合计"))]
        v["收费明细"] = "；".join(_tier(ln) for ln in lines)
        v["收费金额"] = f"{fee.amount:.2f}"
        v["收费通知日期"] = cn_date(fee.noticed_on)
    if party is not None:
        v["第三方"] = party.name
        v["第三方称谓"] = "你单位" if facts.get("party_organisation") else "您"
    withheld = facts.get("withheld") or ""
    if withheld in GROUNDS:
        what, articles = GROUNDS[withheld]
        v["不予公开情形"] = what
        v["不予公开依据"] = "、".join(articles) + "、" + a36("三")
    if kind.reply_type == "unable.not_held":
        other = (facts.get("responsible_body") or "").strip()
        if other:
            v["检索结果"] = (f"{you}申请获取的政府信息不属于本机关负责公开。根据{REG}{a36('五')}的规定，该政府信息由{other}"
                         f"负责公开，请{you}向{other}提出申请或者咨询。")
        else:
            v["检索结果"] = (f"本机关经检索，没有{you}所申请公开的政府信息，该政府信息不存在。根据{REG}{a36('四')}的规定，"
                         "特此告知。")
    return v


def compose(app: Application, kind: Kind, *, title: str, text: str, number: str, on: dt.date,
            settings: LetterSettings, facts: dict[str, Any], party: CaseParty | None = None) -> LetterDoc:
    values = values_for(app, kind, settings, facts, party)
    filled = text.format_map(_Keep(values)).replace("（）", "")  # an empty detail (no address on file) leaves no「（）」
    lines = [ln.strip() for ln in filled.splitlines() if ln.strip()]
    addressee = lines.pop(0) if lines and lines[0].endswith(("：", ":")) and len(lines[0]) <= 60 else ""
    body = app.body
    contact = "；".join(x for x in (f"联系人：{body.office_name}" if body.office_name else "",
                                    f"联系电话：{body.phone}" if body.phone else "") if x)
    return LetterDoc(title_lines=[body.name, title.format_map(_Keep(values))], number=number, addressee=addressee,
                     paragraphs=lines, signature=body.name, date=cn_date(on),
                     note=f"（{contact}）" if contact else "", facts=facts)
