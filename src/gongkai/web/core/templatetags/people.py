"""``{{ user|person }}``: a person by name (full name, else the login name), ``系统`` for no one.

A builtin of the project's templates (settings ``TEMPLATES.OPTIONS.builtins``): pages name people as people do,
and a missing user (an imported record, a public submission) no longer breaks a ``default:`` chain."""
from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def person(user: Any, nobody: str = "系统") -> str:
    if user is None or not getattr(user, "pk", None):
        return nobody
    return user.get_full_name() or user.get_username()
