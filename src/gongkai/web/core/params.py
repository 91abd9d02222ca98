"""Parsing request parameters (query strings, form fields) in one place: a value that is not what the page expects
is a 400 with a Chinese message (:class:`BadParameter`), never a 500 further down (a year of 99999 reaching
``datetime.date``, a 25-digit id reaching the database).

    year = year_param(request.GET.get("year"), default=today.year - 1)
    body = int_param(request.GET.get("body"), label="机关")          # None when absent
"""
from __future__ import annotations

from .errors import WebError

YEAR_MIN, YEAR_MAX = 1990, 2199  # every year the system counts with (statute, calendar, reports)
ID_MAX = 2**63 - 1  # the largest primary key (bigint)


class BadParameter(WebError):
    status, code, default_message = 400, "bad_parameter", "请求参数有误"


def int_param(value: str | None, *, label: str, default: int | None = None, min_value: int = 0,
              max_value: int = ID_MAX) -> int | None:
    """``value`` as an int in ``[min_value, max_value]``; ``default`` when absent or empty."""
    if value is None or str(value).strip() == "":
        return default
    text = str(value).strip()
    if not (text.lstrip("-").isdigit() and text.isascii()):
        raise BadParameter(f"{label}应为整数")
    if len(text) > 20 or not min_value <= int(text) <= max_value:
        raise BadParameter(f"{label}应在 {min_value} 至 {max_value} 之间")
    return int(text)


def year_param(value: str | None, *, default: int | None, label: str = "年度") -> int | None:
    """A year in ``[YEAR_MIN, YEAR_MAX]``; ``default`` when absent."""
    return int_param(value, label=label, default=default, min_value=YEAR_MIN, max_value=YEAR_MAX)
