"""Fixtures for the catalog, portal and reports tests (the portal and reports conftests import these)."""
from __future__ import annotations

import os
import tempfile

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.web.settings")
os.environ.setdefault("GONGKAI_DATA_DIR", tempfile.mkdtemp(prefix="gongkai-test-"))
os.environ.setdefault("GONGKAI_DB_CONN_MAX_AGE", "0")

import django

django.setup()

import pytest


@pytest.fixture
def world(db, settings, tmp_path):
    """A district with one street office; users: clerk (drafts), reviewer, a second clerk, a supervisor."""
    from gongkai.web.bodies.models import Role
    from gongkai.web.bodies.services import body_create, membership_grant, user_create
    from gongkai.web.clock.services import calendar_seed

    calendar_seed()  # a transactional (live-server) test's flush empties the calendar the migration seeded
    settings.MEDIA_ROOT = tmp_path / "media"
    district = body_create(name="哈尔滨市南岗区人民政府", short_name="南岗区", kind="government", level="county",
                           actor=None)
    street = body_create(name="南岗区七政街道办事处", short_name="七政", kind="government", level="township",
                         parent=district, actor=None, office_name="综合办", address="南岗区木兰街149-2号",
                         postcode="150080", phone="0451-86319233", code="12230103MB1234567X")
    other = body_create(name="南岗区革新街道办事处", short_name="革新", kind="government", level="township",
                        parent=district, actor=None)
    users = {}
    for name, roles in {"clerk": [(street, Role.CLERK)], "reviewer": [(street, Role.REVIEWER), (street, Role.CLERK)],
                        "clerk2": [(street, Role.CLERK)], "outsider": [(other, Role.REVIEWER), (other, Role.CLERK)],
                        "head": [(street, Role.HEAD)],
                        "supervisor": [(district, Role.SUPERVISOR)]}.items():
        users[name] = user_create(username=name, password="secret-pass-1", full_name=name)
        for body, role in roles:
            membership_grant(user=users[name], body=body, role=role)
    return {"district": district, "street": street, "other": other, **users}


@pytest.fixture
def publish(world):
    """Take an item from draft to published through the services; returns a function."""
    from gongkai.web.catalog import services as s

    def make(title: str = "七政街道老旧小区改造实施方案", **fields):
        item = s.item_create(body=world["street"], author=world["clerk"], title=title,
                             text=fields.pop("text", f"{title}的正文。"), **fields)
        s.item_submit(item=item, actor=world["clerk"])
        s.item_review(item=item, reviewer=world["reviewer"], approve=True, basis="不涉密")
        return s.item_publish(item=item, actor=world["clerk"])

    return make
