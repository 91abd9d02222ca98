"""Annual reports are found by the portal's search, by their title and their text (issue 12 item 7)."""
from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.examples import load
from gongkai.web.reports.services import report_import_published


@pytest.fixture
def report(world):
    return report_import_published(body=world["street"], report=load("qizheng-2023"))


def test_report_found_by_its_title_and_text(client, world, report):
    html = client.get(reverse("portal:search"), {"q": "年度报告"}).content.decode()
    assert "政府信息公开工作年度报告" in html and reverse("portal:report", args=[world["street"].pk, 2023]) in html
    # a phrase from the report's own text (section 一 of the seed): the snippet shows it, highlighted
    html = client.get(reverse("portal:search"), {"q": "公告栏"}).content.decode()
    assert reverse("portal:report", args=[world["street"].pk, 2023]) in html and "<mark>公告栏</mark>" in html


def test_report_search_respects_body_and_year(client, world, report):
    url = reverse("portal:search")
    assert "年度报告" not in _reports_part(client.get(url, {"q": "公告栏", "year": 2024}).content.decode())
    assert "年度报告" not in _reports_part(client.get(url, {"q": "公告栏", "body": world["other"].pk}).content.decode())
    assert "年度报告" in _reports_part(client.get(url, {"q": "公告栏", "body": world["street"].pk}).content.decode())


def test_a_word_only_in_the_data_format_does_not_match(client, world, report):
    html = client.get(reverse("portal:search"), {"q": "schema_version"}).content.decode()
    assert reverse("portal:report", args=[world["street"].pk, 2023]) not in html


def _reports_part(html: str) -> str:
    start = html.find('class="results-head"')
    return html[start:html.find("主动公开信息", start)] if start >= 0 else ""
