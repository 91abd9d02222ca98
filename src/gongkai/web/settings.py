"""Django settings, read from the environment (see ``env.py``).

| variable | default |
|---|---|
| ``GONGKAI_DATA_DIR`` | ``./var`` (SQLite database, generated secret key, uploaded files) |
| ``DATABASE_URL`` | SQLite in the data directory; ``postgres://…`` for PostgreSQL |
| ``GONGKAI_SECRET_KEY`` | a random key generated once into the data directory |
| ``GONGKAI_DEBUG`` | false |
| ``GONGKAI_ALLOWED_HOSTS`` | ``127.0.0.1,localhost,[::1]`` |
| ``GONGKAI_EMAIL_BACKEND`` | the console backend (the digest and the applicants' notices are printed); ``file`` writes each mail into ``<data dir>/mail/`` (``gongkai serve --demo``); ``smtp`` sends them |
| ``GONGKAI_EMAIL_HOST``, ``_PORT``, ``_USER``, ``_PASSWORD``, ``_USE_TLS``, ``_USE_SSL`` | SMTP server (``localhost``, 25, none, none, false, false) |
| ``GONGKAI_DEFAULT_FROM_EMAIL`` | ``gongkai@localhost`` |
| ``GONGKAI_SITE_URL`` | none (the public address, e.g. ``https://xxgk.example.gov.cn``, for links in e-mails) |
| ``GONGKAI_CSRF_TRUSTED_ORIGINS`` | none |
| ``GONGKAI_DB_CONN_MAX_AGE`` | 60 (seconds a database connection is kept) |
| ``GONGKAI_PORTAL_CACHE_PAGES`` | 5000 (rendered public pages kept per worker; 0 turns the cache off) |
| ``GONGKAI_PORTAL_CACHE_SECONDS`` | 600 (longest a page is kept; a change to public data ends it at once) |
| ``GONGKAI_HOLD_SETTLER`` | ``head`` (who settles an item held as 公开与保密界限不清: ``head`` 负责人 or ``secrecy`` 保密员) |
| ``GONGKAI_HOLD_REMIND_DAYS`` | 5 (working days a held item waits before its reminder is marked urgent) |
| ``GONGKAI_INDEX_PATTERN`` | ``{code}-{year}-{seq:05d}`` (索引号: {code} 统一社会信用代码, {org} 组织机构代码, {year}, {seq}; a body may set its own) |
| ``GONGKAI_TOWNSHIP_REPORT_DEADLINE`` | none (``MM-DD``: the 乡镇/街道 annual-report deadline where no body above sets one) |
| ``GONGKAI_TOWNSHIP_REPORT_DEADLINE_BASIS`` | none (the local rule that sets it, shown with the deadline) |
| ``GONGKAI_MAX_FORM_MB`` | 2.5 (largest form or JSON body; larger is refused with 413) |
| ``GONGKAI_MAX_UPLOAD_MB`` | 100 (largest request with file uploads) |
| ``GONGKAI_REDIS_URL`` (or ``CACHE_URL``) | none (per-process caches); ``redis://host:6379/0`` shares the page cache and the login lockout between workers and servers |
| ``GONGKAI_HTTPS`` | false; true in production behind TLS: secure cookies, HSTS (``GONGKAI_HSTS_SECONDS``), redirect to https |
| ``GONGKAI_TRUSTED_PROXIES`` | none; the reverse proxies' addresses/networks whose ``X-Forwarded-For`` and ``X-Forwarded-Proto`` are believed |
| ``GONGKAI_LOGIN_FAILURES`` / ``GONGKAI_LOGIN_LOCKOUT_MINUTES`` | 5 / 15 (wrong passwords per user name and address, then a lockout) |
| ``GONGKAI_DISABLE_APPS`` | none (comma-separated app names left out, for debugging) |

Legal constants (deadlines, fees) live in :mod:`gongkai.law`, never here.
"""
from __future__ import annotations

import importlib.util

import dj_database_url
from csp.constants import NONCE

from .env import data_dir, env_bool, env_int, env_list, env_str, secret_key

DATA_DIR = data_dir()
SECRET_KEY = secret_key(DATA_DIR)
DEBUG = env_bool("GONGKAI_DEBUG", False)
ALLOWED_HOSTS = env_list("GONGKAI_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("GONGKAI_CSRF_TRUSTED_ORIGINS", [])

# Domain apps, in dependency order. An app listed here but not (yet) present in the tree is skipped,
# so another app can be added by creating its package (see README-dev.md).
DOMAIN_APPS = [
    "gongkai.web.bodies",
    "gongkai.web.audit",
    "gongkai.web.clock",
    "gongkai.web.applications",
    "gongkai.web.letters",
    "gongkai.web.appeals",
    "gongkai.web.catalog",
    "gongkai.web.reports",
    "gongkai.web.channels",
    "gongkai.web.supervision",
    "gongkai.web.portal",
]
_DISABLED = set(env_list("GONGKAI_DISABLE_APPS", []))  # e.g. "gongkai.web.portal" while debugging
DOMAIN_APPS = [app for app in DOMAIN_APPS if app not in _DISABLED and importlib.util.find_spec(app) is not None]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "axes",
    "gongkai.web.core",
    *DOMAIN_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "gongkai.web.core.middleware.InputGuardMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "gongkai.web.core.middleware.ErrorPageMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gongkai.web.urls"
WSGI_APPLICATION = "gongkai.web.wsgi.application"
ASGI_APPLICATION = "gongkai.web.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkai.web.core.context.navigation",
            ],
            "builtins": ["gongkai.web.core.templatetags.people"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'gongkai.sqlite3'}"),
        conn_max_age=env_int("GONGKAI_DB_CONN_MAX_AGE", 60),
    ),
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the staff UI read while a worker writes; the timeout (seconds) waits for the writer instead of
    # failing. Every transaction begins IMMEDIATE, taking the write lock at its start and waiting for it there: a
    # deferred transaction that read and then wrote had to upgrade its lock, which SQLite refuses at once, without
    # the timeout, when another worker committed in between ("database is locked", issue 13; web/core/db.py).
    # Connections are kept (CONN_MAX_AGE, per thread) so that SQLite's page cache survives between requests, and
    # reads go through a memory map: a fresh connection per request made every portal page read its index pages
    # again (bench/bench_portal.py).
    # Django's backend but for flush, which empties tables as PostgreSQL's TRUNCATE does, past the audit log's
    # append-only triggers (web/core/backends/sqlite3)
    DATABASES["default"]["ENGINE"] = "gongkai.web.core.backends.sqlite3"
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE",
         "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                         "PRAGMA mmap_size=1073741824; PRAGMA cache_size=-32000;"})
# "portal": rendered public pages keyed by the public generation (web/portal/cache.py). Per process by default;
# with GONGKAI_REDIS_URL (or CACHE_URL) one Redis shared by every worker and app server holds both caches (and the
# login lockout counters, below).
REDIS_URL = env_str("GONGKAI_REDIS_URL", env_str("CACHE_URL", ""))
_PAGES = env_int("GONGKAI_PORTAL_CACHE_PAGES", 5000)
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                    "KEY_PREFIX": "gk"},
        "portal": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                   "KEY_PREFIX": "gk-portal", "TIMEOUT": env_int("GONGKAI_PORTAL_CACHE_SECONDS", 600)},
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
        "portal": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal",
                   "TIMEOUT": env_int("GONGKAI_PORTAL_CACHE_SECONDS", 600),
                   "OPTIONS": {"MAX_ENTRIES": _PAGES, "CULL_FREQUENCY": 4}},
    }
if _PAGES <= 0:  # the page cache turned off (portal/cache.py reads MAX_ENTRIES)
    CACHES["portal"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache", "OPTIONS": {"MAX_ENTRIES": 0}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff-home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"

_EMAIL_BACKENDS = {"console": "django.core.mail.backends.console.EmailBackend",
                   "file": "django.core.mail.backends.filebased.EmailBackend",
                   "smtp": "django.core.mail.backends.smtp.EmailBackend"}
EMAIL_BACKEND = _EMAIL_BACKENDS.get(*(2 * [env_str("GONGKAI_EMAIL_BACKEND", "console")]))
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = env_str("GONGKAI_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("GONGKAI_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("GONGKAI_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("GONGKAI_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("GONGKAI_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("GONGKAI_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("GONGKAI_EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("GONGKAI_DEFAULT_FROM_EMAIL", "gongkai@localhost")
GONGKAI_SITE_URL = env_str("GONGKAI_SITE_URL", "")

GONGKAI_HOLD_SETTLER = env_str("GONGKAI_HOLD_SETTLER", "head")
if GONGKAI_HOLD_SETTLER not in ("head", "secrecy"):
    raise ValueError("GONGKAI_HOLD_SETTLER 只能是 head（负责人）或 secrecy（保密员）")
GONGKAI_HOLD_REMIND_DAYS = env_int("GONGKAI_HOLD_REMIND_DAYS", 5)
GONGKAI_INDEX_PATTERN = env_str("GONGKAI_INDEX_PATTERN", "{code}-{year}-{seq:05d}")
GONGKAI_TOWNSHIP_REPORT_DEADLINE = env_str("GONGKAI_TOWNSHIP_REPORT_DEADLINE", "")
GONGKAI_TOWNSHIP_REPORT_DEADLINE_BASIS = env_str("GONGKAI_TOWNSHIP_REPORT_DEADLINE_BASIS", "")
# Supervision uploads are read out of the request (supervision/queue.py): by a background thread of the web process
# (on by default: `gongkai serve` and a single server need nothing else) and/or by `gongkai manage
# gongkai_supervision_work`; set GONGKAI_SUPERVISION_INLINE_WORKER=0 where only the separate worker should read.
# A claim older than GONGKAI_SUPERVISION_CLAIM_SECONDS is a dead worker's and is taken again.
GONGKAI_SUPERVISION_INLINE_WORKER = env_bool("GONGKAI_SUPERVISION_INLINE_WORKER", True)
GONGKAI_SUPERVISION_CLAIM_SECONDS = env_int("GONGKAI_SUPERVISION_CLAIM_SECONDS", 300)

# Input limits (core/middleware.py InputGuardMiddleware): a form or JSON body over GONGKAI_MAX_FORM_MB, or a file
# upload over GONGKAI_MAX_UPLOAD_MB, is refused with 413 before it is read.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(float(env_str("GONGKAI_MAX_FORM_MB", "2.5")) * 1024 * 1024)
GONGKAI_MAX_UPLOAD_BYTES = env_int("GONGKAI_MAX_UPLOAD_MB", 100) * 1024 * 1024

# --- Security (issue 13) -------------------------------------------------------------------------------------
# HTTPS. GONGKAI_HTTPS=true (production): secure cookies, HSTS, http → https redirect. Behind a reverse proxy that
# terminates TLS, the proxy's X-Forwarded-Proto says whether the client used https (trusted only with proxies set).
HTTPS = env_bool("GONGKAI_HTTPS", False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("GONGKAI_SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("GONGKAI_SSL_REDIRECT", HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the proxy's and the monitor's health check over plain http
SECURE_HSTS_SECONDS = env_int("GONGKAI_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("GONGKAI_HSTS_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("GONGKAI_HSTS_PRELOAD", True)

# The client's address (core/client.py): X-Forwarded-For is honoured only from these addresses or networks.
GONGKAI_TRUSTED_PROXIES = env_list("GONGKAI_TRUSTED_PROXIES", [])
if GONGKAI_TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Login throttling (django-axes): after GONGKAI_LOGIN_FAILURES wrong passwords for one user name from one address,
# that user name is locked out from that address for GONGKAI_LOGIN_LOCKOUT_MINUTES (a Chinese page, HTTP 429).
# Counted in the shared cache when Redis is configured, else in the database (shared by all workers).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env_int("GONGKAI_LOGIN_FAILURES", 5)
AXES_COOLOFF_TIME = env_int("GONGKAI_LOGIN_LOCKOUT_MINUTES", 15) / 60  # hours (a float: axes reads minutes × 60)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "gongkai.web.core.client.client_ip"
AXES_LOCKOUT_CALLABLE = "gongkai.web.core.views.lockout"
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler" if REDIS_URL else "axes.handlers.database.AxesDatabaseHandler"
AXES_VERBOSE = False
AXES_ENABLED = env_bool("GONGKAI_LOGIN_THROTTLE", True)

# Content-Security-Policy (django-csp): scripts and styles only from this site's static files (no inline code;
# the few inline <style> blocks carry the per-request nonce), no frames, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("GONGKAI_LOG_LEVEL", "WARNING")},
}
