"""Root URLs: ``/api/`` (ninja), ``/accounts/`` (login), ``/staff/`` (the office), and each domain app's
``urls.py`` at its ``AppConfig.url_prefix`` (the portal's prefix is empty: it is the public site at ``/``)."""
from __future__ import annotations

import importlib.util

from django.apps import apps
from django.contrib.auth import views as auth_views
from django.contrib.staticfiles.views import serve as static_serve
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from .core import views as core_views
from .core.api import api, mount_routers

mount_routers()

urlpatterns = [
    path("api/", api.urls),
    path("accounts/login/", auth_views.LoginView.as_view(template_name="registration/login.html"), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("staff/", core_views.home, name="staff-home"),
    path("healthz", core_views.healthz, name="healthz"),
    # browsers ask for /favicon.ico on their own (a PDF or an API answer opened in a tab): the site's icon
    path("favicon.ico", RedirectView.as_view(url="/static/gongkai/favicon.svg", permanent=True)),
    # Static files are few and small: served by Django itself under gunicorn (no CDN, no extra server).
    re_path(r"^static/(?P<path>.*)$", static_serve, {"insecure": True}),
]

_has_root = False
for _config in apps.get_app_configs():
    if not _config.name.startswith("gongkai.web.") or importlib.util.find_spec(f"{_config.name}.urls") is None:
        continue
    _prefix = getattr(_config, "url_prefix", f"staff/{_config.label}/")
    _has_root = _has_root or _prefix == ""
    urlpatterns.append(path(_prefix, include(f"{_config.name}.urls")))

if not _has_root:
    urlpatterns.append(path("", RedirectView.as_view(pattern_name="staff-home", permanent=False)))

# Chinese error pages in the design of the part of the site the visitor is on (core/errorpages.py)
handler400 = "gongkai.web.core.errorpages.bad_request"
handler403 = "gongkai.web.core.errorpages.permission_denied"
handler404 = "gongkai.web.core.errorpages.page_not_found"
handler500 = "gongkai.web.core.errorpages.server_error"
