from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "gongkai.web.audit"
    label = "audit"
    verbose_name = "审计日志"
    url_prefix = "staff/audit/"
    api_prefix = "audit"
    nav_order = 90
    nav = (("审计日志", "audit:list"),)
