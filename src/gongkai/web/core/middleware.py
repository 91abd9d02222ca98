"""Errors raised by pages become a Chinese error page (status from :func:`errors.describe`, design from
:mod:`errorpages`: the portal's for public URLs, the staff design for staff URLs); junk is refused before any view
(:class:`InputGuardMiddleware`), as JSON under ``/api/``."""
from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse

from ...errors import GongkaiError
from .errorpages import for_exception
from .errors import NotFound, TooLarge, WebError, describe
from .params import ID_MAX, BadParameter, year_param

_LONG_NUMBER = re.compile(r"\d{19,}")
_NUL_FORM = re.compile(rb"%00|\x00")
MAX_QUERY = 4096


class UriTooLong(WebError):
    status, code, default_message = 414, "uri_too_long", "请求地址过长"


def error_response(request: HttpRequest, exc: BaseException) -> HttpResponse:
    """The response for ``exc``: the API's JSON shape under ``/api/``, else the error page."""
    if request.path_info.startswith("/api/"):
        status, body = describe(exc)
        return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    return for_exception(request, exc)


class ErrorPageMiddleware:
    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if request.path.startswith("/api/"):
            return None  # the API has its own handler with the JSON shape
        if not isinstance(exc, (WebError, GongkaiError, Http404, PermissionDenied, ValidationError,
                                SuspiciousOperation, BadRequest, OverflowError)):
            return None
        return for_exception(request, exc)


class InputGuardMiddleware:
    """Refuses, before sessions, CSRF or any view, what no page can use:

    * a NUL byte in the path, the query string or a form field (400): PostgreSQL refuses it in text, SQLite's
      full-text search chokes on it, and no citizen types one;
    * a query string longer than ``MAX_QUERY`` characters (414; gunicorn's own request-line limit is about the same,
      this holds under any server: SQLite refuses a LIKE pattern over 50 000 bytes with a 500);
    * a number in the path too large for a primary key (404: no such object);
    * a ``year`` query parameter that is not a year the system counts with (400; on every page and API operation,
      which then need not each check that the year fits ``datetime.date``);
    * a body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (``GONGKAI_MAX_FORM_MB``) or, for file uploads,
      ``GONGKAI_MAX_UPLOAD_MB`` (413), judged by ``Content-Length`` before anything is read.
    """

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            self.check(request)
        except (WebError, SuspiciousOperation) as exc:
            return error_response(request, exc)
        return self.get_response(request)

    @staticmethod
    def check(request: HttpRequest) -> None:
        path = request.path_info
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in path or "\x00" in query or "%00" in query:
            raise BadParameter("请求中含有无效字符（NUL）")
        if len(query) > MAX_QUERY:
            raise UriTooLong()
        if any(int(m.group()) > ID_MAX for m in _LONG_NUMBER.finditer(path)):
            raise NotFound()
        for value in request.GET.getlist("year"):
            year_param(value, default=None)
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return
        ctype = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        multipart = ctype.startswith("multipart/")
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise BadParameter("Content-Length 无效") from None
        limit = settings.GONGKAI_MAX_UPLOAD_BYTES if multipart else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if length > limit:
            raise TooLarge(f"提交的内容过大（上限 {limit / 1024 / 1024:.1f} MB）")
        if multipart:
            for key, values in request.POST.lists():  # the text fields only; files may hold any byte
                if "\x00" in key or any("\x00" in v for v in values):
                    raise BadParameter("提交的内容中含有无效字符（NUL）")
            return
        raw = request.body  # at most the limit above (Django refuses a longer chunked body: RequestDataTooBig)
        if (ctype == "application/x-www-form-urlencoded" and _NUL_FORM.search(raw)) \
                or b"\x00" in raw or (ctype.endswith("json") and b"\\u0000" in raw):
            raise BadParameter("提交的内容中含有无效字符（NUL）")
