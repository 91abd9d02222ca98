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


def person_by_login(username: str) -> str:
    """The name of the user with this login name (records that store a login name: a case's 承办人, an audit
    entry's ``{"id", "username"}``); the login name itself when no such user is left."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    return person(user) if user is not None else username
