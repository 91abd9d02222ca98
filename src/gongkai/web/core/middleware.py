"""Errors raised by staff pages become a Chinese error page with the status from :func:`errors.describe`."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string

from ...errors import GongkaiError
from .errors import WebError, describe


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
        status, body = describe(exc)
        html = render_to_string("errors/error.html", {"status": status, "error": body["error"]}, request=request)
        return HttpResponse(html, status=status)
