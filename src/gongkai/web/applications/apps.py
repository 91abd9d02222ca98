from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "gongkai.web.applications"
    label = "applications"
    verbose_name = "依申请公开"
    url_prefix = "staff/cases/"
    api_prefix = "applications"
    nav_order = 10
    nav = (("申请办理", "applications:list"), ("登记申请", "applications:register"),
           ("台账统计", "applications:ledger"))

    def ready(self) -> None:
        from ..clock.services import on_calendar_change
        from .services import deadlines_recompute_open

        on_calendar_change(deadlines_recompute_open)
