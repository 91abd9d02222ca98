"""`gongkai deadline`, `gongkai fee` and `gongkai calendar`: a clerk's quick answers from :mod:`gongkai.law`."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from ..errors import InputError, LawError
from ..law import (
    Channel,
    Closed,
    CorrectionReceived,
    DeadlineSettings,
    Event,
    Extended,
    Pause,
    PauseReason,
    Received,
    WorkingCalendar,
    compute_deadline,
    default_calendar,
    effective_receipt,
    explain_count,
    fee_by_items,
    fee_by_pages,
    load_notice,
)
from ..law.calendar import DayKind, dump_notice, parse_date, uncovered_message
from ..law.statute import STATUTE, provisional_reason
from ._app import app, console, guarded


def _say(line: str) -> None:
    """One line, never wrapped or styled: the output is read by people and by scripts."""
    console.print(line, soft_wrap=True, markup=False, highlight=False)


def _int(text: str | None, what: str) -> int | None:
    if text is None:
        return None
    try:
        return int(text.strip())
    except ValueError:
        raise LawError(f"{what}应为整数，实为“{text}”。") from None


def _calendar(files: list[Path]) -> WorkingCalendar:
    cal = default_calendar()
    for f in files:
        if f.is_dir():
            raise InputError("应为节假日安排文件，而不是目录", path=str(f))
        try:
            text = f.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise InputError("文件不存在", path=str(f)) from None
        except UnicodeDecodeError:
            raise InputError("节假日安排文件应为 UTF-8 文本", path=str(f)) from None
        except OSError as exc:
            raise InputError(f"无法读取：{exc.strerror or exc}", path=str(f)) from None
        try:
            cal = cal.merged(load_notice(text))
        except LawError as exc:
            raise LawError(exc.message, path=str(f)) from None
    return cal


_REASONS = {"third_party": PauseReason.THIRD_PARTY, "第三方": PauseReason.THIRD_PARTY,
            "inter_body": PauseReason.INTER_BODY, "其他机关": PauseReason.INTER_BODY, "机关": PauseReason.INTER_BODY,
            "fee": PauseReason.FEE, "缴费": PauseReason.FEE, "收费": PauseReason.FEE,
            "force_majeure": PauseReason.FORCE_MAJEURE, "不可抗力": PauseReason.FORCE_MAJEURE,
            "其他": PauseReason.FORCE_MAJEURE}

_CHANNELS = {**{c.value: c for c in Channel},
             "当面": Channel.IN_PERSON, "当面提交": Channel.IN_PERSON, "口头": Channel.ORAL,
             "挂号信": Channel.REGISTERED_MAIL, "EMS": Channel.REGISTERED_MAIL, "邮寄": Channel.REGISTERED_MAIL,
             "平信": Channel.ORDINARY_MAIL, "网上": Channel.ONLINE, "互联网": Channel.ONLINE,
             "电子邮件": Channel.EMAIL, "邮件": Channel.EMAIL, "传真": Channel.FAX}


def _channel(text: str) -> Channel:
    channel = _CHANNELS.get(text.strip()) or _CHANNELS.get(text.strip().lower())
    if channel is None:
        codes = "、".join(c.value for c in Channel)
        raise LawError(f"无法识别的申请方式“{text}”（应为 {codes}）。")
    return channel


def _pause(text: str) -> Pause:
    """``开始:结束[:原因[:说明]]`` — 原因 第三方 (default), 其他机关, 缴费 or 不可抗力 (with 说明, e.g. 疫情封控)."""
    parts = [p.strip() for p in text.replace("：", ":").split(":", 3)]
    if len(parts) not in (2, 3, 4) or not parts[0] or not parts[1]:
        raise LawError(f"暂停期间应写作 开始日期:结束日期[:原因[:说明]]（如 2024-10-08:2024-10-15），实为“{text}”。")
    reason = PauseReason.THIRD_PARTY
    if len(parts) >= 3:
        if parts[2] not in _REASONS:
            raise LawError(f"无法识别的暂停原因“{parts[2]}”（应为 第三方、其他机关、缴费 或 不可抗力）。")
        reason = _REASONS[parts[2]]
    note = parts[3] if len(parts) == 4 else ""
    if reason is PauseReason.FORCE_MAJEURE and not note:
        raise LawError(f"不可抗力等无法办理的期间应写明理由，如 {parts[0]}:{parts[1]}:不可抗力:疫情封控。")
    start, end = parse_date(parts[0]), parse_date(parts[1])
    if end < start:
        raise LawError(f"暂停的结束日期早于开始日期：“{text}”。")
    return Pause(start, end, reason, note)


@app.command("deadline")
@guarded
def deadline(
    received: Annotated[str, typer.Argument(
        help="收到申请的日期（第三十一条：当面提交之日、签收之日或确认之日），如 2024-09-27",
        show_default=False, metavar="日期")],
    channel: Annotated[str, typer.Option(
        "--channel", metavar="方式",
        help="申请方式：in_person 当面（默认）、oral 口头、registered_mail 挂号信/EMS、ordinary_mail 平信、"
             "online 网上、email 电子邮件、fax 传真")] = "in_person",
    corrected: Annotated[str | None, typer.Option("--corrected", metavar="日期", help="收到补正后申请的日期（答复期限重新计算）")] = None,
    pause: Annotated[list[str] | None, typer.Option(
        "--pause", metavar="开始:结束[:原因[:说明]]",
        help="不计入期限的期间，原因为 第三方（默认）、其他机关、缴费 或 不可抗力（须写说明，如 疫情封控）；可多次")] = None,
    extend: Annotated[str | None, typer.Option("--extend", metavar="N", help="延长的工作日数（最多20；2019年5月15日前收到的最多15）")] = None,
    correction_notice: Annotated[bool, typer.Option(
        "--correction-notice", help="只计算补正通知期限（7个工作日）")] = False,
    rest_day: Annotated[bool, typer.Option(
        "--rest-day-next/--rest-day-as-is",
        help="休息日收到的申请按下一个工作日收到计算（默认），或按当日计算")] = True,
    calendar: Annotated[list[Path] | None, typer.Option(
        "--calendar", metavar="文件",
        help="追加的节假日安排（如2027年），每行“日期 放假|上班 名称”，或国务院办公厅通知原文")] = None,
    sent: Annotated[str | None, typer.Option(
        "--sent", metavar="日期", help="答复发出（寄出、当面交付、网上送达）之日：以此判断是否超期")] = None,
    made: Annotated[str | None, typer.Option("--made", metavar="日期", help="答复作出之日（文书落款日期），仅记录")] = None,
    delivered: Annotated[str | None, typer.Option(
        "--delivered", metavar="日期", help="答复送达（申请人签收）之日，仅记录")] = None,
    today: Annotated[str | None, typer.Option("--today", metavar="日期", help="以此日判断状态（默认不判断）")] = None,
) -> None:
    """计算依申请公开的答复期限（第一行为期限日期，预计的期限后注“预计”；其后为计算说明）。

    按收到申请之日适用的条例计算：2019年5月15日之前收到的适用2007年公布的条例（15个工作日），
    此后适用2019年修订的条例（20个工作日）。某年放假安排尚未录入时，按《全国年节及纪念日放假办法》预计。
    """
    cal = _calendar(calendar or [])
    start = parse_date(received)
    how = _channel(channel)
    pauses = [_pause(p) for p in pause or []]
    settings = DeadlineSettings(rest_day_receipt_next_working_day=rest_day,
                                allow_other_pauses=any(p.reason is PauseReason.FORCE_MAJEURE for p in pauses))
    if correction_notice:
        count = cal.count(effective_receipt(start, calendar=cal, settings=settings), 7)
        _say(count.end.isoformat() + (" 预计" if count.provisional_years else ""))
        for line in explain_count(count, what="补正通知期限", basis="第三十条"):
            _say(line)
        return
    events: list[Event] = [Received(start, how)]
    if corrected is not None:
        events.append(CorrectionReceived(parse_date(corrected)))
    events += pauses
    days = _int(extend, "延长的工作日数")
    if days is not None:
        base = compute_deadline(events, calendar=cal, settings=settings)
        events.append(Extended(base.due or start, days, "政府信息公开工作机构负责人"))
    if sent is None and (made is not None or delivered is not None):
        raise LawError("请用 --sent 给出答复发出之日：是否超期以发出之日衡量（--made、--delivered 仅作记录）。")
    if sent is not None:
        events.append(Closed(parse_date(sent), made=parse_date(made) if made else None,
                             delivered=parse_date(delivered) if delivered else None))
    day = parse_date(today) if today else None
    result = compute_deadline(events, calendar=cal, settings=settings, today=day)
    if result.due is None:
        _say("（暂停中，期限待定）")
    else:
        _say(result.due.isoformat() + (" 预计" if result.provisional else ""))
    for line in result.explanation:
        _say(line)
    if day is not None:
        _say(f"状态：{result.status.label}" + (f"，剩余{result.days_left}个工作日"
                                                     if result.days_left is not None and result.days_left >= 0 else ""))


@app.command("calendar")
@guarded
def calendar_(
    year: Annotated[str, typer.Argument(help="年度，如 2024", show_default=False, metavar="年度")],
    notice: Annotated[Path | None, typer.Option(
        "--notice", metavar="文件", help="先读入这份节假日安排（表格或国务院办公厅通知原文），用于录入前核对")] = None,
) -> None:
    """打印某年的节假日安排表（可直接修改后用 --calendar 或管理后台录入），并给出统计。"""
    y = _int(year, "年度")
    assert y is not None
    cal = _calendar([notice] if notice else [])
    if cal.is_provisional(y):
        _provisional_year(cal, y)
        return
    if y not in cal.covered_years:
        raise LawError(uncovered_message(y, cal.covered_years))
    for line in dump_notice(cal, [y]).splitlines():
        _say(line)
    entries = cal.entries(y)
    off = [e for e in entries if e.kind is DayKind.HOLIDAY]
    weekday_off = sum(1 for e in off if e.date.weekday() < 5)
    makeup = len(entries) - len(off)
    working = sum(1 for _ in cal.working_days(date(y, 1, 1), date(y, 12, 31)))
    _say(f"{y}年：放假{len(off)}天（其中周一至周五{weekday_off}天），调休上班{makeup}天，全年工作日{working}天。")


def _provisional_year(cal: WorkingCalendar, y: int) -> None:
    """A year whose notice is not entered: the statute's days, each marked 预计, as comment lines."""
    _say(f"# {provisional_reason([y])}。以下为按{STATUTE}（第二条、第六条）预计的放假日期，仅供参考，")
    _say(f"# 不能作为节假日安排录入；国务院办公厅通知发布后，请用 gongkai calendar {y} --notice 文件 核对后录入。")
    entries = cal.provisional_entries(y)
    for e in entries:
        _say(f"# {e.date.isoformat()}（星期{'一二三四五六日'[e.date.weekday()]}） 放假 {e.name}（预计）")
    weekday_off = sum(1 for e in entries if e.date.weekday() < 5)
    working = sum(1 for _ in cal.working_days(date(y, 1, 1), date(y, 12, 31)))
    _say(f"{y}年（预计）：放假{len(entries)}天（其中周一至周五{weekday_off}天），不含调休，全年工作日{working}天。")


@app.command("fee")
@guarded
def fee(
    items: Annotated[str | None, typer.Option("--items", metavar="N", help="按件计收：申请人本自然月累计申请件数")] = None,
    pages: Annotated[str | None, typer.Option("--pages", metavar="N", help="按量计收：本件申请的页数")] = None,
    already: Annotated[str | None, typer.Option("--already", metavar="N", help="按件计收：本月此前已计的件数")] = None,
) -> None:
    """计算信息处理费（国办函〔2020〕109号），打印金额与分档明细。"""
    n_items, n_pages = _int(items, "申请件数"), _int(pages, "页数")
    if (n_items is None) == (n_pages is None):
        raise LawError("请在 --items（按件计收）与 --pages（按量计收）中选择一种，一件申请不能同时适用两种方式。")
    if n_items is not None:
        quote = fee_by_items(n_items, already=_int(already, "本月已计件数") or 0)
    else:
        if already is not None:
            raise LawError("--already 只用于按件计收。")
        assert n_pages is not None
        quote = fee_by_pages(n_pages)
    _say(f"{quote.amount} 元")
    for line in quote.lines:
        _say(line)

