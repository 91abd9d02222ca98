from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "gongkai.web.portal"
    label = "portal"
    verbose_name = "政府信息公开专栏"
    url_prefix = ""  # the public site at /
    api_prefix = "portal"
