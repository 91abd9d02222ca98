"""Reading the State Council's holiday notice as published (国务院办公厅关于××××年部分节假日安排的通知).

An administrator can paste the notice's text instead of typing a table. Each numbered item
(``二、春节：2月10日至17日放假调休，共8天。2月4日（星期日）、2月18日（星期日）上班。``) gives its name, the
days off (sentences with 放假 or 连休) and the weekend days worked (sentences with 上班). Parentheses are
dropped first, so ``除夕（2月9日）`` in an encouragement sentence does not become a holiday. Days outside
the notice's year (``2022年12月31日至2023年1月2日``) are left out: whole years are the unit of the calendar,
and such days belong to the previous year's notice.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

from ..errors import LawError
from .calendar import CalendarDay, DayKind, WorkingCalendar

_ITEM = re.compile(r"(?:^|[\s。；;])([一二三四五六七八九十]{1,3})、([^：:、。\s][^：:。\n]{0,15}?)[：:]")
_PAREN = re.compile(r"（[^）]*）|\([^)]*\)")
_TITLE_YEAR = re.compile(r"(\d{4})\s*年\s*(?:部分)?\s*节假日安排")
_DATE = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")
_RANGE = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日\s*(?:至|—|-|～|~)\s*(?:(?:(\d{4})年)?(\d{1,2})月)?(\d{1,2})日")

_ONE_DAY = timedelta(days=1)


def looks_like_official_notice(text: str) -> bool:
    """Whether ``text`` reads like the published notice rather than a table."""
    return len(_ITEM.findall(text)) >= 1 and ("放假" in text or "上班" in text) and "月" in text


def parse_official_notice(text: str, *, year: int | None = None) -> WorkingCalendar:
    """A calendar covering the notice's year, from the notice's own words."""
    text = unicodedata.normalize("NFKC", text)
    if year is None:
        m = _TITLE_YEAR.search(text)
        if not m:
            raise LawError("无法从通知中确定年度：请在标题中保留“××××年部分节假日安排”，或另行指定年度。")
        year = int(m.group(1))
    items = list(_ITEM.finditer(text))
    if not items:
        raise LawError("通知中未找到“一、元旦：……”形式的节假日条目。")
    entries: dict[date, CalendarDay] = {}
    for i, m in enumerate(items):
        name = m.group(2).strip()
        body = text[m.end(): items[i + 1].start() if i + 1 < len(items) else len(text)]
        body = _PAREN.sub("", body)
        for sentence in re.split(r"[。；;\n]", body):
            if "鼓励" in sentence:
                continue
            off = "放假" in sentence or "连休" in sentence
            work = "上班" in sentence
            if off == work:  # neither, or both in one sentence (never seen): nothing reliable to take
                if off:
                    raise LawError(f"“{name}”一句中同时出现放假与上班，无法判断：“{sentence.strip()}”。")
                continue
            kind = DayKind.HOLIDAY if off else DayKind.MAKEUP_WORKDAY
            for d in _dates(sentence, year, name):
                if d.year != year:
                    continue
                if kind is DayKind.MAKEUP_WORKDAY and d.weekday() < 5:
                    raise LawError(f"“{name}”的上班日{d.isoformat()}不是星期六或星期日，请核对通知。")
                prior = entries.get(d)
                if prior is not None and prior.kind is not kind:
                    raise LawError(f"{d.isoformat()} 既被定为放假又被定为上班，请核对通知。")
                entries[d] = CalendarDay(d, kind, name)
    if not entries:
        raise LawError(f"通知中没有读出{year}年的任何放假或上班日期。")
    return WorkingCalendar(entries.values(), covered_years=[year])


def _dates(sentence: str, year: int, name: str) -> list[date]:
    out: list[date] = []
    taken: list[tuple[int, int]] = []
    for m in _RANGE.finditer(sentence):
        y1 = int(m.group(1) or year)
        first = _make(y1, int(m.group(2)), int(m.group(3)), name)
        m2 = int(m.group(5) or m.group(2))
        y2 = int(m.group(4) or (y1 + 1 if m2 < first.month else y1))
        last = _make(y2, m2, int(m.group(6)), name)
        if last < first or (last - first).days > 31:
            raise LawError(f"“{name}”的日期范围无法理解：“{m.group(0)}”。")
        d = first
        while d <= last:
            out.append(d)
            d += _ONE_DAY
        taken.append(m.span())
    for m in _DATE.finditer(sentence):
        if any(a <= m.start() < b for a, b in taken):
            continue
        out.append(_make(int(m.group(1) or year), int(m.group(2)), int(m.group(3)), name))
    return out


def _make(y: int, mth: int, d: int, name: str) -> date:
    try:
        return date(y, mth, d)
    except ValueError:
        raise LawError(f"“{name}”中的日期不存在：{y}年{mth}月{d}日。") from None


__all__ = ["looks_like_official_notice", "parse_official_notice"]
