from django.apps import AppConfig


class BodiesConfig(AppConfig):
    name = "gongkai.web.bodies"
    label = "bodies"
    verbose_name = "机关与人员"
    url_prefix = "staff/bodies/"
    api_prefix = "bodies"
    nav_order = 80
    nav = (("机关与人员", "bodies:list"),)
