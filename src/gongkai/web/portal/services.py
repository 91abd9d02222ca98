"""The public application form: anti-spam without a CAPTCHA, rate limiting, then ``application_register``.

Anti-spam (no CAPTCHA, which blocks elderly and screen-reader users — GB/T 37668):
* a honeypot field that people never see (hidden with CSS and ``aria-hidden``) and bots fill in;
* a signed form token carrying the time the form was served: a submission faster than ``MIN_SECONDS`` or
  older than ``MAX_AGE`` is refused (a replayed or scripted post);
* a rate limit per client address: ``RATE_LIMIT`` submissions per ``RATE_WINDOW`` seconds (Django's cache).
"""
from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core import signing
from django.core.cache import cache
from django.utils import timezone

from ..applications.models import Application
from ..bodies.models import Body
from ..core.errors import Invalid, WebError

MIN_SECONDS = 3
MAX_AGE = 2 * 3600
RATE_LIMIT = 5
RATE_WINDOW = 3600
_SALT = "gongkai.portal.apply"


class TooMany(WebError):
    status, code, default_message = 429, "too_many", "提交过于频繁，请稍后再试，或通过当面、邮寄方式提交申请"


def form_token(now: float | None = None) -> str:
    return signing.dumps({"t": int(now if now is not None else time.time())}, salt=_SALT)


def check_token(token: str, *, now: float | None = None) -> None:
    try:
        data = signing.loads(token or "", salt=_SALT, max_age=MAX_AGE)
    except signing.SignatureExpired:
        raise Invalid("表单已过期，请刷新页面后重新填写") from None
    except signing.BadSignature:
        raise Invalid("表单无效，请刷新页面后重新填写") from None
    age = (now if now is not None else time.time()) - data["t"]
    if age > MAX_AGE:
        raise Invalid("表单已过期，请刷新页面后重新填写")
    if age < MIN_SECONDS:
        raise Invalid("提交过快，请核对内容后再提交")


def _rate_key(client: str) -> str:
    return f"gk-apply-{client}"


def check_rate(client: str) -> None:
    key = _rate_key(client)
    cache.add(key, 0, RATE_WINDOW)
    try:
        n = cache.incr(key)
    except ValueError:
        cache.set(key, 1, RATE_WINDOW)
        n = 1
    if n > RATE_LIMIT:
        raise TooMany()


def public_apply(*, body: Body, client: str, token: str, honeypot: str, fields: dict[str, Any]) -> Application:
    """Validate the anti-spam measures, then register the application (channel online, no staff actor)."""
    from ..applications.services import application_register

    if honeypot:
        raise Invalid("提交未被接受")
    check_token(token)
    check_rate(client)
    return application_register(body=body, channel="online", submitted_on=timezone.localdate(), actor=None,
                                **fields)


def today() -> dt.date:
    return timezone.localdate()


def guide_draft(*, request: Any, body: Body, actor: Any) -> Any:
    """Draft the body's 政府信息公开指南 as a catalog item (text generated from the body's settings): it then goes
    through the confidentiality review and gets its 索引号 on publication, like any item."""
    import re

    from django.template.loader import render_to_string
    from django.utils.html import strip_tags

    from ..catalog.selectors import category_counts
    from ..catalog.services import item_create
    from .selectors import GUIDE_TITLE
    from .views import guide_context

    html = render_to_string("portal/_guide.html", guide_context(request, body, category_counts(body=body)))
    html = re.sub(r"</(p|h1|h2|h3|dd|li)>", "\n", html)
    html = re.sub(r"</dt>", "：", html)
    text = "\n".join(line.strip() for line in strip_tags(html).splitlines() if line.strip())
    return item_create(body=body, author=actor, title=f"{body.name}{GUIDE_TITLE}", category="duties",
                       subject="综合政务\\政务公开", keywords="政府信息公开指南", text=text,
                       written_on=timezone.localdate())
