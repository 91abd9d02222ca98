"""The composer shows an imported (published) report: its events have no actor (fails before the fix with
VariableDoesNotExist, a 500) and its section 一 checks clean against a log holding the report's own figures."""
from __future__ import annotations


def test_imported_report_opens_in_the_composer_and_w10_is_quiet(world, client):
    from gongkai.examples import load
    from gongkai.web.channels.demo import load_channels_demo
    from gongkai.web.reports.services import report_import_published

    load_channels_demo(bodies={"七政": world["street"]}, users={"dengji": world["clerk"]})
    rep = report_import_published(body=world["street"], report=load("qizheng-2023"))
    client.force_login(world["clerk"])
    page = client.get(f"/staff/reports/{rep.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "系统：导入已发布的报告" in html
    assert '<span class="badge">W10</span>' not in html and 'data-key="published">101</a>' in html
