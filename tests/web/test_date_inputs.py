"""Every date input renders an ISO value (browsers show nothing else: the zh-hans locale wrote 2026/12/05, so each
form showed an empty date and failed with 这个字段是必填项 when submitted as shown)."""
from __future__ import annotations

import datetime as dt
import inspect
import re
from typing import Any

import pytest
from django import forms

from gongkai.web.appeals import views as appeal_views
from gongkai.web.applications import forms as application_forms
from gongkai.web.catalog import forms as catalog_forms

DAY = dt.date(2026, 12, 5)
DATE_INPUT = re.compile(r'<input type="date"[^>]*>')


def _forms() -> list[type[forms.BaseForm]]:
    found = []
    for module in (application_forms, appeal_views, catalog_forms):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                fields = cls.base_fields
                if any(isinstance(f, forms.DateField) for f in fields.values()):
                    found.append(cls)
    return found


FORMS = _forms()


def test_the_forms_with_dates_are_found():
    assert len(FORMS) >= 4, FORMS


@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: c.__name__)
def test_every_date_input_renders_iso_and_reads_back(form_class: type[forms.BaseForm]):
    dates = [n for n, f in form_class.base_fields.items() if isinstance(f, forms.DateField)]
    try:
        form: Any = form_class(initial={n: DAY for n in dates})
    except TypeError:
        pytest.skip("form needs arguments of its own")
    for name in dates:
        html = str(form[name])
        assert 'type="date"' in html, html
        assert 'value="2026-12-05"' in html, html  # not 2026/12/05
        assert form.fields[name].clean("2026-12-05") == DAY  # what the browser sends back


def test_the_registration_page_shows_todays_date(world, client):
    client.force_login(world["users"]["clerk_a"])
    page = client.get("/staff/cases/new/").content.decode()
    inputs = DATE_INPUT.findall(page)
    assert inputs, "no date input on the registration page"
    with_value = [i for i in inputs if "value=" in i]
    assert with_value and all(re.search(r'value="\d{4}-\d{2}-\d{2}"', i) for i in with_value), with_value
