"""Chinese sentences that explain a working-day count: what was counted, what was skipped."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from .calendar import WEEKDAYS, CalendarDay, Count, format_date


def md(d: date, *, year: bool = False) -> str:
    """10月1日 (or 2024年10月1日)."""
    return f"{d.year}年{d.month}月{d.day}日" if year else f"{d.month}月{d.day}日"


def span_text(a: date, b: date) -> str:
    """10月1日至10月7日 / 10月1日 / 2024年12月30日至2025年1月1日."""
    cross = a.year != b.year
    if a == b:
        return md(a, year=cross)
    return f"{md(a, year=cross)}至{md(b, year=cross)}"


def runs(entries: Iterable[CalendarDay]) -> list[tuple[str, date, date, int]]:
    """Consecutive entries of the same name grouped: (name, first, last, number of days)."""
    out: list[tuple[str, date, date, int]] = []
    for e in entries:
        if out and out[-1][0] == e.name and out[-1][2] + timedelta(days=1) == e.date:
            name, first, _, n = out[-1]
            out[-1] = (name, first, e.date, n + 1)
        else:
            out.append((e.name, e.date, e.date, 1))
    return out


def describe_count(count: Count, *, what: str, basis: str = "") -> list[str]:
    """The lines that explain a count of ``count.days`` working days after ``count.start``."""
    lines: list[str] = []
    start = "自当日起" if count.count_start else "当日不计入，自次日起"
    cite = f"（{basis}）" if basis else ""
    lines.append(f"{what}：自{format_date(count.start)}起算，{start}计算{count.days}个工作日{cite}。")
    if count.days == 0:
        return lines
    first, last = count.counted[0], count.counted[-1]
    lines.append(f"计入的工作日：{span_text(first, last)}，共{len(count.counted)}个。")
    if count.makeup_days:
        made = "、".join(f"{md(e.date)}（星期{WEEKDAYS[e.date.weekday()]}{'，' + e.name if e.name else ''}）"
                        for e in count.makeup_days)
        lines.append(f"计入调休上班日：{made}。")
    if count.holidays:
        parts = []
        for name, a, b, n in runs(count.holidays):
            weekdays = sum(1 for e in count.holidays if a <= e.date <= b and e.date.weekday() < 5)
            label = name or "节假日"
            extra = f"，其中{weekdays}天为周一至周五" if weekdays and weekdays != n else ""
            parts.append(f"{label}{span_text(a, b)}（{n}天{extra}）")
        lines.append(f"跳过法定节假日：{'；'.join(parts)}。")
    if count.weekend_days:
        lines.append(f"跳过周六、周日{count.weekend_days}天。")
    if count.provisional_years:
        from .statute import provisional_line

        lines.append(provisional_line(count.provisional_years))
    if count.assumed_years:
        years = "、".join(f"{y}年" for y in count.assumed_years)
        lines.append(f"注意：{years}的节假日安排尚未录入，已仅按周六、周日休息推算，结果可能不准确。")
    return lines


__all__ = ["describe_count", "md", "runs", "span_text"]
