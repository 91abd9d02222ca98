from django.urls import path, register_converter

from . import feeds, staff, views


class IndexNo:
    """A 索引号 in a URL: ``12230103MB1234567X-2026-00007`` or ``620702081/2026-00007`` (a slash may be part of
    it); what a body's pattern may produce is checked by ``catalog.services.INDEX_NO_SHAPE``."""

    regex = r"[0-9A-Z][0-9A-Z/_.\-]{3,59}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(IndexNo, "indexno")

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("a11y/", views.accessibility, name="a11y"),
    path("search/", views.search, name="search"),
    path("ysqgk/query/", views.status, name="status"),
    path("ysqgk/query/correct/", views.correct, name="correct"),
    path("xxgk/item/<indexno:index_no>/", views.item, name="item"),
    path("xxgk/item/<indexno:index_no>/file/<int:att>/", views.attachment, name="attachment"),
    path("xxgk/<int:body_id>/", views.body_home, name="body"),
    path("xxgk/<int:body_id>/zhinan/", views.guide, name="guide"),
    path("xxgk/<int:body_id>/zhidu/", views.rules, name="rules"),
    path("xxgk/<int:body_id>/fdzdgknr/", views.catalog, name="catalog"),
    path("xxgk/<int:body_id>/nb/", views.reports, name="reports"),
    path("xxgk/<int:body_id>/nb/<int:year>/", views.report, name="report"),
    path("xxgk/<int:body_id>/nb/<int:year>.<str:kind>", views.report_file, name="report-file"),
    path("xxgk/<int:body_id>/ysqgk/", views.on_request, name="on-request"),
    path("xxgk/<int:body_id>/ysqgk/apply/", views.apply, name="apply"),
    path("xxgk/<int:body_id>/ysqgk/form.docx", views.apply_form_docx, name="apply-form"),
    path("xxgk/<int:body_id>/jcgk/", views.grassroots, name="grassroots"),
    path("xxgk/<int:body_id>/rss.xml", feeds.LatestItems(), name="feed"),
    path("staff/portal/<int:body_id>/no-function/", staff.no_function, name="no-function"),
]
