"""Django for the web tests only: the settings module is set when this folder is collected, so the rest of
``tests/`` runs without Django. ``DATABASE_URL`` (set by scripts/with-postgres.sh) switches to PostgreSQL."""
from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.web.settings")
os.environ.setdefault("GONGKAI_DATA_DIR", tempfile.mkdtemp(prefix="gongkai-test-"))
os.environ.setdefault("GONGKAI_DB_CONN_MAX_AGE", "0")  # live-server threads must not keep the test database open
# supervision uploads are read by the tests' own drain (tests/web/test_supervision.py: read_all), or by the
# background thread where a test turns it on (settings.GONGKAI_SUPERVISION_INLINE_WORKER, the browser test)
os.environ.setdefault("GONGKAI_SUPERVISION_INLINE_WORKER", "0")

import django

django.setup()

import pytest

DEMO_PASSWORD = "correct-horse-9"


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    """Two sibling bodies (A = 七政, B = 革新) under a district, users per role on A, a full user on B,
    a supervisor on the district and a superuser."""
    from gongkai.web.bodies.models import Role
    from gongkai.web.bodies.services import body_create, membership_grant, user_create
    from gongkai.web.clock.services import calendar_seed

    calendar_seed()  # the migration seeds it; a transactional test's flush empties it again

    district = body_create(name="哈尔滨市南岗区人民政府", short_name="南岗区", kind="government", level="county")
    a = body_create(name="南岗区七政街道办事处", short_name="七政", kind="government", level="township", parent=district)
    b = body_create(name="南岗区革新街道办事处", short_name="革新", kind="government", level="township", parent=district)
    users: dict[str, Any] = {}

    def user(name: str, *grants: tuple[Any, str], su: bool = False) -> Any:
        u = user_create(username=name, password=DEMO_PASSWORD, full_name=name, is_superuser=su,
                        email=f"{name}@example.org")
        for body, role in grants:
            membership_grant(user=u, body=body, role=role)
        users[name] = u
        return u

    user("clerk_a", (a, Role.CLERK))
    user("handler_a", (a, Role.HANDLER))
    user("reviewer_a", (a, Role.REVIEWER), (a, Role.HANDLER))
    user("head_a", (a, Role.HEAD))
    user("admin_a", (a, Role.ADMIN))
    user("all_b", (b, Role.CLERK), (b, Role.HANDLER), (b, Role.REVIEWER), (b, Role.HEAD), (b, Role.ADMIN))
    user("supervisor", (district, Role.SUPERVISOR))
    user("root", su=True)
    return {"district": district, "a": a, "b": b, "users": users}


@pytest.fixture
def make_app(world: dict[str, Any]) -> Callable[..., Any]:
    """Register an application on body A (or ``body=``) through the service."""
    from gongkai.web.applications.services import application_register

    def make(*, body: Any = None, received: dt.date = dt.date(2024, 3, 4), actor: Any = None, **kw: Any) -> Any:
        body = body or world["a"]
        actor = actor or (world["users"]["clerk_a"] if body == world["a"] else world["users"]["all_b"])
        data = {"channel": "in_person", "applicant_type": "natural", "applicant_name": "张三",
                "description": "七政街道2023年部门预算"} | kw
        return application_register(body=body, submitted_on=received, actor=actor, **data)

    return make


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_page_cache() -> None:
    """Each test starts with an empty public page cache: a rolled-back test leaves the public generation where the
    next test finds it, with pages of its own data cached under it."""
    from django.core.cache import caches

    caches["portal"].clear()
