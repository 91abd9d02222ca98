from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gongkai.web.core"
    label = "core"
    verbose_name = "公共部分"

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from .integrity import check_values

        pre_save.connect(check_values, dispatch_uid="gongkai.core.check_values")
