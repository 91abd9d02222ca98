"""Every route of the site, as the isolation tests enumerate them (so a route added later is covered by them)."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver


def walk(patterns: list[Any] | None = None, prefix: str = "", ns: str | None = None) -> Iterator[tuple[str, str | None]]:
    """``(route, namespace)`` for every URL pattern under ``patterns`` (default: the project's root URLconf)."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, prefix + str(p.pattern), p.namespace or ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), ns
