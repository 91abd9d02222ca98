from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "gongkai.web.appeals"
    label = "appeals"
    verbose_name = "复议诉讼"
    url_prefix = "staff/appeals/"
    api_prefix = "appeals"
    nav_order = 20
    nav = (("复议诉讼", "appeals:list"),)
