"""Errors raised by pages become a Chinese error page (status from :func:`errors.describe`, design from
:mod:`errorpages`: the portal's for public URLs, the staff design for staff URLs)."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse

from ...errors import GongkaiError
from .errorpages import for_exception
from .errors import WebError


class ErrorPageMiddleware:
    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if request.path.startswith("/api/"):
            return None  # the API has its own handler with the JSON shape
        if not isinstance(exc, (WebError, GongkaiError, Http404, PermissionDenied, ValidationError)):
            return None
        return for_exception(request, exc)
