"""The public page cache: a rendered public page is kept (per worker process, in Django's ``portal`` cache) under
a key holding the public generation (:class:`~.models.PublicGeneration`), which database triggers bump on every
change to what public pages show. A page is therefore served from the cache only while nothing it could show has
changed: a withdrawn item is gone from the next request on, in every worker.

Only ``GET`` pages that are the same for every visitor use it (the catalog, items, search, reports, the 指南);
never the application form (it carries a CSRF token and a signed timestamp) nor the status page (an applicant's
case). Reading the generation costs one primary-key lookup; a hit then skips the view and the template.
"""
from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse

from .models import PublicGeneration

CACHE_ALIAS = "portal"
ENABLED = settings.CACHES.get(CACHE_ALIAS, {}).get("OPTIONS", {}).get("MAX_ENTRIES", 1) > 0
_SQL = f"SELECT n FROM {PublicGeneration._meta.db_table} WHERE id = 1"


def generation() -> int | None:
    with connection.cursor() as cur:
        cur.execute(_SQL)
        row = cur.fetchone()
    return row[0] if row else None


def _key(request: HttpRequest, gen: int) -> str:
    variant = f"{request.COOKIES.get('gk_size', '')}|{request.COOKIES.get('gk_contrast', '')}"
    raw = f"{gen}|{variant}|{request.get_host()}|{request.get_full_path()}"  # (the 指南 shows absolute URLs)
    return "page:" + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve ``view``'s 200 responses to ``GET`` from the cache while the public generation is unchanged."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if request.method != "GET" or not ENABLED:
            return view(request, *args, **kwargs)
        gen = generation()
        if gen is None:  # no generation row (a database not migrated to portal 0002): no caching
            return view(request, *args, **kwargs)
        cache = caches[CACHE_ALIAS]
        key = _key(request, gen)
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            resp = HttpResponse(content, content_type=content_type)
            resp["Cache-Control"] = "no-cache"
            return resp
        resp = view(request, *args, **kwargs)
        if resp.status_code == 200 and not resp.cookies and not getattr(resp, "streaming", False):
            cache.set(key, (resp.content, resp["Content-Type"]))
        return resp

    return wrapped
