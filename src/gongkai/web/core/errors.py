"""Errors of the web layer and the one mapping from any error to an HTTP status and a JSON body.

    WebError            400 bad_request
    ├── NotAuthenticated 401 not_authenticated
    ├── Forbidden        403 forbidden      (the user sees the object but may not do this)
    ├── NotFound         404 not_found      (also: an object of a body the user cannot see)
    ├── Conflict         409 conflict       (a transition the lifecycle does not allow)
    ├── TooLarge         413 too_large      (a request body, an upload over a size or resource limit)
    └── Invalid          422 invalid        (input that fails validation; ``details`` per field)

Core errors (:class:`gongkai.errors.GongkaiError`) map to 422, a resource limit of the readers
(:class:`gongkai.read.limits.LimitExceeded`) to 413; Django's Http404, PermissionDenied,
ValidationError and SuspiciousOperation (400; a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` 413), OverflowError (400:
a number from the request too large for the database), and ninja's
validation and authentication errors map to the same shape:

    {"error": {"code": "not_found", "message": "未找到该申请", "details": {}}}
"""
from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from ...errors import GongkaiError
from ...read.limits import LimitExceeded


class WebError(Exception):
    status = 400
    code = "bad_request"
    default_message = "请求有误"

    def __init__(self, message: str | None = None, *, details: dict[str, Any] | None = None) -> None:
        self.message = message or self.default_message
        self.details = details or {}
        super().__init__(self.message)


class NotAuthenticated(WebError):
    status, code, default_message = 401, "not_authenticated", "请先登录或提供有效的令牌"


class Forbidden(WebError):
    status, code, default_message = 403, "forbidden", "无权执行此操作"


class NotFound(WebError):
    status, code, default_message = 404, "not_found", "未找到"


class Conflict(WebError):
    status, code, default_message = 409, "conflict", "当前状态不允许此操作"


class TooLarge(WebError):
    status, code, default_message = 413, "too_large", "提交的内容过大"


class Invalid(WebError):
    status, code, default_message = 422, "invalid", "输入有误"


_PYDANTIC_MESSAGES = {
    "missing": "必填", "int_parsing": "应为整数", "int_type": "应为整数", "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD", "date_type": "日期格式应为 YYYY-MM-DD",
    "literal_error": "取值无效", "string_too_long": "过长", "string_type": "应为文本", "bool_parsing": "应为 true 或 false",
    "json_invalid": "不是有效的 JSON", "model_attributes_type": "格式无效", "string_too_short": "过短",
    "greater_than_equal": "过小", "less_than_equal": "过大", "int_from_float": "应为整数", "date_from_datetime_inexact":
    "日期格式应为 YYYY-MM-DD", "datetime_parsing": "时间格式无效", "float_parsing": "应为数字", "list_type": "应为列表",
    "dict_type": "应为对象", "model_type": "格式无效",
}


def describe(exc: BaseException) -> tuple[int, dict[str, Any]]:
    """The HTTP status and the JSON body for any exception (the one place errors become HTTP)."""
    from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation, TooManyFilesSent
    from ninja.errors import AuthenticationError, HttpError
    from ninja.errors import ValidationError as NinjaValidationError

    if isinstance(exc, WebError):
        status, code, message, details = exc.status, exc.code, exc.message, exc.details
    elif isinstance(exc, LimitExceeded):
        status, code, message, details = 413, "too_large", str(exc), {}
    elif isinstance(exc, GongkaiError):
        status, code, message, details = 422, "invalid", str(exc), {}
    elif isinstance(exc, Http404):
        status, code, message, details = 404, "not_found", NotFound.default_message, {}
    elif isinstance(exc, PermissionDenied):
        status, code, message, details = 403, "forbidden", Forbidden.default_message, {}
    elif isinstance(exc, ValidationError):
        status, code, message = 422, "invalid", "；".join(exc.messages)
        details = exc.message_dict if hasattr(exc, "error_dict") else {}
    elif isinstance(exc, (RequestDataTooBig, TooManyFilesSent)):
        status, code, message, details = 413, TooLarge.code, TooLarge.default_message, {}
    elif isinstance(exc, OverflowError):  # a number from the request too large for the database or for a date
        status, code, message, details = 400, "bad_parameter", "数值超出允许范围", {}
    elif isinstance(exc, (SuspiciousOperation, BadRequest)):
        status, code, message, details = 400, WebError.code, WebError.default_message, {}
    elif isinstance(exc, NinjaValidationError):
        fields: dict[str, list[str]] = {}
        for err in exc.errors:
            parts = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "payload")]
            loc = ".".join(parts) or "body"
            fields.setdefault(loc, []).append(_PYDANTIC_MESSAGES.get(err.get("type", ""), "取值无效"))
        status, code, message, details = 422, "invalid", "输入有误：" + "、".join(fields), fields
    elif isinstance(exc, AuthenticationError):
        status, code, message, details = 401, "not_authenticated", NotAuthenticated.default_message, {}
    elif isinstance(exc, HttpError):
        status, code, message, details = exc.status_code, "http_error", str(exc), {}
    else:
        status, code, message, details = 500, "internal", "服务器内部错误", {}
    return status, {"error": {"code": code, "message": message, "details": details}}


def place_on_form(form: Any, exc: WebError) -> None:
    """A service's error on the form that was submitted: beside each field its ``details`` name, else (no field of
    the form named) its message at the top of the form."""
    placed = False
    for field, msgs in (exc.details or {}).items():
        if field in form.fields:
            for m in msgs:
                form.add_error(field, m)
            placed = True
    if not placed:
        form.add_error(None, exc.message)
