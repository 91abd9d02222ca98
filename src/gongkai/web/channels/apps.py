from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "gongkai.web.channels"
    label = "channels"
    verbose_name = "公开渠道"
    url_prefix = "staff/channels/"
    api_prefix = "channels"
    nav = (("公开渠道", "channels:list"),)
