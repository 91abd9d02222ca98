"""Form widgets shared by every app."""
from __future__ import annotations

from django import forms

ISO_DATE = "%Y-%m-%d"


class DateInput(forms.DateInput):
    """``<input type="date">`` whose value is ISO ``yyyy-mm-dd``: browsers accept no other value, and the
    zh-hans locale would render ``2026/12/05`` (shown as an empty field, then 这个字段是必填项 on submit)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, object] | None = None) -> None:
        super().__init__(attrs=attrs, format=ISO_DATE)
