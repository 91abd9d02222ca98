"""Values the database would refuse are refused before the write, with a Chinese message (422), whichever path
they came by (a page, the API, a service called from the shell): text longer than its column (SQLite stores it
anyway, PostgreSQL fails with a 500), a NUL byte in text (PostgreSQL refuses it), an integer outside its column's
range. Connected to ``pre_save`` of every model by ``CoreConfig.ready``.
"""
from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import connections, models


def check_values(sender: type[models.Model], instance: models.Model, raw: bool = False, using: str = "default",
                 **kwargs: Any) -> None:
    if raw:  # loading fixtures
        return
    errors: dict[str, list[str]] = {}
    ops = connections[using].ops
    for field in sender._meta.concrete_fields:
        value = getattr(instance, field.attname, None)
        label = str(field.verbose_name)
        if isinstance(value, str):
            if "\x00" in value:
                errors[field.name] = [f"{label}含有无效字符（NUL）"]
            elif field.max_length and len(value) > field.max_length:
                errors[field.name] = [f"{label}不得超过{field.max_length}个字符（现为{len(value)}个）"]
        elif isinstance(value, int) and not isinstance(value, bool) and isinstance(field, models.IntegerField):
            low, high = ops.integer_field_range(field.get_internal_type())
            if (low is not None and value < low) or (high is not None and value > high):
                errors[field.name] = [f"{label}超出允许范围"]
    if errors:
        raise ValidationError(errors)
