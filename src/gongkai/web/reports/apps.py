from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "gongkai.web.reports"
    label = "reports"
    verbose_name = "年度报告"
    url_prefix = "staff/reports/"
    api_prefix = "reports"
    nav = (("年度报告", "reports:list"),)
