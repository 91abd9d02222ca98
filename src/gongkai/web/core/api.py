"""The API root: ``/api/`` with OpenAPI at ``/api/openapi.json`` and docs at ``/api/docs``.

Every domain app with an ``api.py`` exposing ``router`` is mounted at ``/api/<AppConfig.api_prefix>/``.
Authentication: ``Authorization: Bearer <token>`` (tokens from ``gongkai.web.bodies``) or the staff session
(with CSRF on unsafe methods). Every error leaves through :func:`gongkai.web.core.errors.describe`.
"""
from __future__ import annotations

import importlib
import importlib.util
import logging
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie, HttpBearer

from ...errors import GongkaiError
from .errors import WebError, describe

logger = logging.getLogger("gongkai.web.api")


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from ..bodies.services import token_authenticate

        user = token_authenticate(key=token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The staff session cookie; CSRF is checked on unsafe methods."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


api = NinjaAPI(
    title="gongkai 政府信息公开 API",
    version="1",
    description="依申请公开办理、工作日历、复议诉讼与年报台账。认证：`Authorization: Bearer <令牌>` 或登录会话。",
    auth=[TokenAuth(), SessionAuth(csrf=True)],
    urls_namespace="api",
)


def _error_response(request: HttpRequest, exc: Exception) -> HttpResponse:
    status, body = describe(exc)
    if status >= 500:
        logger.error("API error on %s %s", request.method, request.path, exc_info=exc)
    return api.create_response(request, body, status=status)


for _cls in (WebError, GongkaiError, Http404, PermissionDenied, ValidationError, NinjaValidationError,
             AuthenticationError, HttpError, Exception):
    api.add_exception_handler(_cls, _error_response)


def mount_routers() -> None:
    for config in apps.get_app_configs():
        if not config.name.startswith("gongkai.web."):
            continue
        module_name = f"{config.name}.api"
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        router = getattr(module, "router", None)
        if router is not None:
            prefix = getattr(config, "api_prefix", config.label)
            api.add_router(f"/{prefix}/", router)
