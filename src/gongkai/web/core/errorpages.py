"""Error pages in Chinese, in the design of the part of the site the visitor is on.

The public site (the portal, everything outside ``/staff/``, ``/accounts/``, ``/admin/`` and ``/api/``) gets the
portal's design: a citizen who mistypes an address must not land on the office's workspace (with its 「工作台」
link) nor on Django's English "Not Found". Staff URLs get the staff design. Used by the error middleware and by
the project's ``handler400/403/404/500`` (see ``urls.py``), so an address that matches no route is covered too.
"""
from __future__ import annotations

import logging
from typing import Any

from django.apps import apps
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from .errors import describe

log = logging.getLogger(__name__)
STAFF_PREFIXES = ("/staff/", "/accounts/", "/admin/", "/api/")
TITLES = {400: "请求有误", 403: "无权访问", 404: "未找到", 405: "不支持的操作", 409: "无法执行", 413: "内容过大", 414: "地址过长",
          422: "输入有误", 429: "操作过于频繁", 500: "服务器出错"}
FALLBACK = ("<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>{title}</title>"
            "<h1>{title}</h1><p>{message}</p><p><a href=\"/\">返回首页</a></p></html>")


def is_public(request: HttpRequest) -> bool:
    return not request.path.startswith(STAFF_PREFIXES) and apps.is_installed("gongkai.web.portal")


def error_response(request: HttpRequest, status: int, error: dict[str, Any]) -> HttpResponse:
    """The page for ``status`` with ``error`` (``{"message", "details"}``) in the right design."""
    title = TITLES.get(status, "出错了")
    context = {"status": status, "title": title, "error": error}
    try:
        if is_public(request):
            from ..portal.views import chrome

            html = render_to_string("portal/error.html", {**context, **chrome(request)}, request=request)
        else:
            html = render_to_string("errors/error.html", context, request=request)
    except Exception:  # an error page must never fail: the plain page, still Chinese
        log.exception("error page for %s failed to render", status)
        html = FALLBACK.format(title=title, message=error.get("message", ""))
    return HttpResponse(html, status=status)


def for_exception(request: HttpRequest, exc: BaseException) -> HttpResponse:
    status, body = describe(exc)
    return error_response(request, status, body["error"])


# the project's handlers (urls.py): Django calls them for what no view handled itself
def bad_request(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return error_response(request, 400, {"message": "请求有误，无法处理。", "details": {}})


def permission_denied(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return error_response(request, 403, {"message": "您没有权限访问此页面。", "details": {}})


def page_not_found(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return error_response(request, 404, {"message": "您访问的页面不存在，可能已被撤回或地址有误。", "details": {}})


def server_error(request: HttpRequest) -> HttpResponse:
    return error_response(request, 500, {"message": "服务器出错，请稍后再试。您提交的内容如未显示成功，请重新提交。",
                                         "details": {}})
