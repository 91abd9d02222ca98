from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "gongkai.web.catalog"
    label = "catalog"
    verbose_name = "主动公开"
    url_prefix = "staff/catalog/"
    api_prefix = "catalog"
    nav = (("主动公开", "catalog:list"),)
