from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "gongkai.web.letters"
    label = "letters"
    verbose_name = "文书"
    # Staff pages live under staff/letters/, the applicant's downloads under ysqgk/letters/ (urls.py has both).
    url_prefix = ""
    nav_order = 12
    nav = (("文书模板", "letters:templates"),)
