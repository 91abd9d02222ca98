from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "gongkai.web.supervision"
    label = "supervision"
    verbose_name = "督查"
    url_prefix = "staff/supervision/"
    nav = (("年报督查", "supervision:list", "supervisor"), ("督办事项", "supervision:duban-list"))
    nav_order = 60
