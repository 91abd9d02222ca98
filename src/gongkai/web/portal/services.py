"""The public application form: anti-spam without a CAPTCHA, rate limiting, then ``application_register``.

Anti-spam (no CAPTCHA, which blocks elderly and screen-reader users — GB/T 37668):
* a honeypot field that people never see (hidden with CSS and ``aria-hidden``) and bots fill in;
* a signed form token carrying the time the form was served and a random nonce: a submission faster than
  ``MIN_SECONDS`` or older than ``MAX_AGE`` is refused (a scripted post), and a token is accepted once — its nonce
  is stored with the application it created (:class:`UsedFormToken`, unique), in the same transaction. A replay
  with other contents is refused with a clear message; the same contents sent again (a double click, a reload of
  the posted page) get the receipt of the application already registered, never a second one and never an error
  that would make the citizen think the submission was lost. Two copies arriving at once meet on the unique nonce:
  the loser's transaction is run again (``atomic_retry``) and finds the winner's application;
* a rate limit per client address: ``RATE_LIMIT`` submissions per ``RATE_WINDOW`` seconds, counted in the
  database (:class:`RateCounter`), so that it holds across the gunicorn workers (Django's default cache is per
  process: a client got the limit once per worker).

The counter is a row per client and fixed window (``window = time // RATE_WINDOW``), incremented write-first
(``core.db.bump``: one ``UPDATE … SET count = count + 1``, then read back in the same transaction, where the row
is locked by the write; two concurrent first requests race on the unique constraint and the loser increments the
winner's row). The count and the application are one transaction (:func:`public_apply`): a submission counts
only when its application is saved, so one that fails — refused by the limit, invalid, or a database failure —
does not spend the citizen's allowance. Rows of past windows are deleted when a client opens a new window. As with
the cache before, a fixed window lets a client send up to twice the limit around a window boundary. Database
rather than Django's database cache backend: that needs a cache table created outside the migrations and a
``CACHES`` change, and its ``incr`` is a read then a write (two workers can both read 4 and write 5).
"""
from __future__ import annotations

import datetime as dt
import logging
import secrets
import time
from collections.abc import Callable
from typing import Any

from django.core import signing
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from ..applications.models import Application
from ..audit.services import audit_record
from ..bodies.models import Body
from ..bodies.permissions import require
from ..catalog.categories import ARTICLE_20, ARTICLE_21
from ..core.db import atomic_retry, bump
from ..core.errors import Invalid, WebError
from .models import NoFunction, RateCounter, UsedFormToken

MIN_SECONDS = 3
MAX_AGE = 2 * 3600
RATE_LIMIT = 5
RATE_WINDOW = 3600
_SALT = "gongkai.portal.apply"
log = logging.getLogger(__name__)


class TooMany(WebError):
    status, code, default_message = 429, "too_many", "提交过于频繁，请稍后再试，或通过当面、邮寄方式提交申请"


def form_token(now: float | None = None) -> str:
    return signing.dumps({"t": int(now if now is not None else time.time()), "n": secrets.token_hex(16)}, salt=_SALT)


def check_token(token: str, *, now: float | None = None) -> str:
    """Check the token's signature and age; its nonce."""
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
    nonce = data.get("n")
    if not isinstance(nonce, str) or not nonce:
        raise Invalid("表单无效，请刷新页面后重新填写")
    return nonce


class Replayed(Invalid):
    default_message = "该表单已经提交过，不能再次提交。如需提出新的申请，请刷新页面后重新填写"


def _rate_key(client: str) -> str:
    """A keyed hash of the client address: counters are kept without keeping addresses."""
    return salted_hmac(_SALT, client, algorithm="sha256").hexdigest()


def check_rate(client: str, *, now: float | None = None) -> None:
    """Count one submission of ``client`` in the current window; :class:`TooMany` past ``RATE_LIMIT``. Called
    inside the transaction that saves the application, the count is undone with it."""
    key = _rate_key(client)
    window = int((now if now is not None else time.time()) // RATE_WINDOW)
    with transaction.atomic():
        n = bump(RateCounter, {"key": key, "window": window}, field="count")
    if n == 1:  # the client opened a new window
        _prune(window, now)
    if n > RATE_LIMIT:
        raise TooMany()


def _prune(window: int, now: float | None) -> None:
    """Delete the counters of past windows (after a client opened a new one, so at most once per client and
    window, and nothing left to delete after the first). Best effort, in its own savepoint: two pruners may
    deadlock on PostgreSQL, and the one the server aborts leaves the rows to the next."""
    try:
        with transaction.atomic():
            RateCounter.objects.filter(window__lt=window).delete()
            cutoff = dt.datetime.fromtimestamp((now if now is not None else time.time()) - MAX_AGE - 60, dt.UTC)
            UsedFormToken.objects.filter(used_at__lt=cutoff).delete()  # their tokens have expired
    except DatabaseError:
        log.warning("portal: pruning the rate counters failed; left to the next request", exc_info=True)


def public_apply(*, body: Body, client: str, token: str, honeypot: str, fields: dict[str, Any]) -> Application:
    """Validate the anti-spam measures, then count the submission, register the application (channel online,
    no staff actor) and spend the token in one transaction, run again on a passing failure
    (``core.db.atomic_retry``): an error rolls the count back with the application, so only saved applications
    spend the allowance. The token spent already: the application it created when the contents are the same
    (``.replayed`` is then true), else :class:`Replayed`."""
    if honeypot:
        raise Invalid("提交未被接受")
    nonce = check_token(token)
    return _count_and_register(body=body, client=client, fields=fields, nonce=nonce)


_SAME = ("applicant_name", "description", "contact_phone")  # a double click sends these unchanged


def _spend_token(*, nonce: str, client: str, same: Callable[[Application], bool],
                 act: Callable[[], Application]) -> Application:
    """Inside the caller's transaction: a token spent already gives back its application when ``same`` says the
    post is the same one sent again (``.replayed`` true), else :class:`Replayed`; a fresh one counts the client's
    submission, does ``act`` and is spent with its application."""
    used = UsedFormToken.objects.filter(nonce=nonce).select_related("application").first()
    if used is not None:
        if not same(used.application):
            raise Replayed()
        used.application.replayed = True
        return used.application
    check_rate(client)
    app = act()
    UsedFormToken.objects.create(nonce=nonce, application=app)  # a twin sent at once fails here and runs again
    app.replayed = False
    return app


@atomic_retry(unique=True)
def _count_and_register(*, body: Body, client: str, fields: dict[str, Any], nonce: str) -> Application:
    from ..applications.services import application_register

    def same(app: Application) -> bool:
        return app.body_id == body.pk and all(str(getattr(app, f)) == str(fields.get(f, "")).strip() for f in _SAME)

    return _spend_token(nonce=nonce, client=client, same=same, act=lambda: application_register(
        body=body, channel="online", submitted_on=timezone.localdate(), actor=None, **fields))


def public_correct(*, client: str, token: str, honeypot: str, code: str, text: str,
                   files: list[tuple[str, bytes]]) -> Application:
    """The applicant's 补正 by query code: the same anti-spam checks as the form, then
    :func:`~gongkai.web.applications.services.correction_submit_online` (which records 补正 received)."""
    if honeypot:
        raise Invalid("提交未被接受")
    nonce = check_token(token)
    return _count_and_correct(client=client, code=code, text=text, files=files, nonce=nonce)


@atomic_retry(unique=True)
def _count_and_correct(*, client: str, code: str, text: str, files: list[tuple[str, bytes]],
                       nonce: str) -> Application:
    """As :func:`_count_and_register`: the token is spent with the 补正; sent again for the same case (a double
    click) it confirms the 补正 already received, for another case it is refused."""
    from ..applications.services import correction_submit_online

    return _spend_token(nonce=nonce, client=client,
                        same=lambda app: app.query_code.casefold() == code.strip().casefold(),
                        act=lambda: correction_submit_online(query_code=code, text=text, files=files))


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


# --- 本机关无此项职能 -----------------------------------------------------------------------------------------------

def catalog_codes() -> dict[str, str]:
    """Every category a body can declare it has no function for: 第二十条's and 第二十一条's, code → label."""
    return {**{code: label for code, _item, label in ARTICLE_20}, **dict(ARTICLE_21)}


@transaction.atomic
def no_function_set(*, body: Body, actor: Any, declared: dict[str, str]) -> list[NoFunction]:
    """Replace ``body``'s declarations with ``declared`` ({category code: basis}); audited as one change.

    Only the body's 管理员 may declare. Each declaration needs its basis (e.g. 「本街道“三定”方案未规定该项职能」)."""
    require(user=actor, action="manage", body=body)
    codes = catalog_codes()
    unknown = [c for c in declared if c not in codes]
    if unknown:
        raise Invalid(f"无法识别的公开类别：{'、'.join(unknown)}。")
    clean: dict[str, str] = {}
    for code, basis in declared.items():
        basis = (basis or "").strip()
        if not basis:
            raise Invalid(f"声明“{codes[code]}”为本机关无此项职能，须写明依据（如“三定”方案、权责清单）。")
        if len(basis) > 200:
            raise Invalid(f"“{codes[code]}”的依据不能超过200字。")
        clean[code] = basis
    current = {n.category: n for n in NoFunction.objects.filter(body=body)}
    before = {codes.get(c, c): n.basis for c, n in current.items()}
    NoFunction.objects.filter(body=body).exclude(category__in=list(clean)).delete()
    now = timezone.now()
    out = []
    for code, basis in clean.items():
        row = current.get(code)
        if row is None:
            row = NoFunction.objects.create(body=body, category=code, basis=basis, declared_by=actor, declared_at=now)
        elif row.basis != basis:
            row.basis, row.declared_by, row.declared_at = basis, actor, now
            row.save(update_fields=["basis", "declared_by", "declared_at"])
        out.append(row)
    after = {codes[c]: b for c, b in clean.items()}
    if before != after:
        audit_record(actor=actor, action="portal.no_function", subject=body, body=body,
                     before={"无此项职能": before}, after={"无此项职能": after})
    return out
