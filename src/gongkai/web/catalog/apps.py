from typing import Any

from django.apps import AppConfig
from django.core import checks


class CatalogConfig(AppConfig):
    name = "gongkai.web.catalog"
    label = "catalog"
    verbose_name = "主动公开"
    url_prefix = "staff/catalog/"
    api_prefix = "catalog"
    nav = (("主动公开", "catalog:list"),)

    def ready(self) -> None:
        checks.register(index_pattern_check)


def index_pattern_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """``GONGKAI_INDEX_PATTERN`` must make valid 索引号 (else the first publication would fail, not the start)."""
    from django.conf import settings

    from ..core.errors import Invalid
    from .services import check_index_pattern

    try:
        check_index_pattern(settings.GONGKAI_INDEX_PATTERN)
    except Invalid as exc:
        return [checks.Error(f"GONGKAI_INDEX_PATTERN={settings.GONGKAI_INDEX_PATTERN!r}：{exc.message}",
                             id="gongkai.E101")]
    return []
