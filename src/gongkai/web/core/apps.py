from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gongkai.web.core"
    label = "core"
    verbose_name = "公共部分"
