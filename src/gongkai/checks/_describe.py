"""Human names for cell keys, from the format's labels."""
from __future__ import annotations

import re

from ..formats import Format

_PAREN = re.compile(r"（[^（）]*）$")


def short_row(label: str) -> str:
    """A row label without its trailing parenthetical note: （二）部分公开（区分处理的…） → （二）部分公开."""
    return _PAREN.sub("", label) if not label.startswith("（") or label.count("（") > 1 else label


def describe(fmt: Format, key: str) -> str:
    """「一、本年新收政府信息公开申请数量／自然人」 for s3.new.natural."""
    try:
        table, row, col = fmt.locate(key)
    except KeyError:
        return key
    col_label = col.label if not col.group or table.id != "s4" else f"{col.group}{col.label}"
    if table.id == "s4":
        return f"四、{col_label}"
    row_label = short_row(row.label)
    if table.section == 2:
        return f"{table.caption}{row_label}{col.label}"
    return f"{row_label}／{col_label}"


def fmt_number(v: object) -> str:
    return "空" if v is None else str(v)
