from django.apps import AppConfig


class ClockConfig(AppConfig):
    name = "gongkai.web.clock"
    label = "clock"
    verbose_name = "工作日历"
    url_prefix = "staff/calendar/"
    api_prefix = "calendar"
    nav_order = 70
    nav = (("工作日历", "clock:index"),)
