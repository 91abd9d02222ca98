"""Chinese everywhere a person looks (issue 12 item 6): every page, as every role and anonymously.

A crawler logs in as each demo user (and as nobody), follows every link it finds on the site (a few URLs per
route, so a list of 150 cases is not walked 150 times) and reads what a person sees on each HTML page: the
text, and the attributes read out or shown (title, placeholder, aria-label, alt, the value of a button). Any
word in Latin letters outside the allow-list fails the test: English left in a template, a code shown instead of
its label (``application.approve``, ``pages``), an untranslated Django message, a username where a name belongs
is caught by the audit test below. Error pages (404, 403) are checked in the portal's and the staff design.
"""
from __future__ import annotations

import re
from collections import defaultdict
from urllib.parse import urldefrag, urljoin, urlparse

import pytest
from django.test import Client
from django.urls import Resolver404, resolve
from lxml import html as lxml_html

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=False)]

# Words a Chinese page rightly shows in Latin letters: formats, standards and codes people know by these names.
ALLOWED = {
    "pdf", "docx", "doc", "xlsx", "xls", "csv", "json", "html", "md", "markdown", "wps", "word", "excel", "rss", "api",
    "ems", "id", "qr", "url", "ok", "pc", "gb", "gbt", "cn", "com", "www", "http", "https", "xml", "zip", "ocr",
    "token", "bearer", "utf", "ip", "sms", "app", "wi", "fi", "js", "ai", "svg", "png", "jpg", "jpeg", "ofd",
    "x", "gk", "no", "kb", "mb",
    "gongkai",  # the software's own name (footer, page titles)
}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z_.\-]*[A-Za-z]|[A-Za-z]")
# things that are not words: URLs, e-mail addresses, file names, 索引号/文号/codes with digits, query codes
NOT_WORDS = re.compile(
    r"https?://\S+|[\w.+-]+@[\w-]+(\.[\w-]+)+|\b[\w-]+\.(pdf|docx?|xlsx?|csv|json|html?|md|txt|zip|png|svg|ofd)\b"
    r"|(?<![A-Za-z0-9])(?=[A-Za-z0-9/-]*\d)[A-Za-z0-9][A-Za-z0-9/-]*(?![A-Za-z0-9])"  # no \b: 索引号12… has none
    r"|\{[a-z_]+(?::[^{}]*)?\}"  # a placeholder of a format the page explains ({code}, {seq:05d})
    r"|\b[A-Z]{4}(?:-[A-Z]{4})+\b",  # a query code's pattern (ABCD-EFGH-JKLM)
    re.IGNORECASE)
SHOWN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
SKIP = re.compile(r"^/(static|media)/|/logout|\.(docx|pdf|xlsx|xml|json|md|html|csv|zip|png|svg)$|/file/|/download"
                  r"|/rss\.xml$|^/api/")
PER_ROUTE = 3
MAX_PAGES = 400


def visible_text(page: str) -> str:
    tree = lxml_html.fromstring(page)
    # translate="no" (HTML's mark for identifiers: login names, codes) is not text to translate
    for bad in tree.xpath("//script|//style|//noscript|//template|//code|//*[@translate='no']"):
        bad.drop_tree()
    parts = [tree.text_content()]
    for attr in SHOWN_ATTRIBUTES:
        parts += tree.xpath(f"//@{attr}")
    parts += tree.xpath("//input[@type='submit' or @type='button']/@value")
    return "\n".join(parts)


def latin_words(text: str) -> set[str]:
    text = NOT_WORDS.sub(" ", text)
    return {w for w in LATIN_WORD.findall(text) if w.lower().strip("._-") not in ALLOWED}


def crawl(client: Client, starts: list[str], visited: list[str] | None = None) -> dict[str, set[str]]:
    """{url: the Latin words it shows} for every page reached from ``starts`` (``visited`` gets the HTML pages)."""
    seen: set[str] = set()
    per_route: dict[tuple, int] = defaultdict(int)
    queue = list(starts)
    found: dict[str, set[str]] = {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        path = urlparse(url).path
        try:
            match = resolve(path)
        except Resolver404:
            continue
        query = urlparse(url).query
        route = (match.view_name, tuple(sorted({p.split("=")[0] for p in query.split("&") if p})))
        if per_route[route] >= PER_ROUTE:
            continue
        per_route[route] += 1
        r = client.get(url)
        if r.status_code in (301, 302):
            continue
        if "text/html" not in r.get("Content-Type", ""):
            continue
        page = r.content.decode("utf-8", "replace")
        if visited is not None:
            visited.append(url)
        words = latin_words(visible_text(page))
        if words:
            found[url] = words
        for href in lxml_html.fromstring(page).xpath("//a/@href"):
            target = urldefrag(urljoin(url, href))[0]
            parsed = urlparse(target)
            if parsed.netloc not in ("", "testserver") or not parsed.path.startswith("/"):
                continue
            local = parsed.path + (f"?{parsed.query}" if parsed.query else "")
            if not SKIP.search(parsed.path) and local not in seen:
                queue.append(local)
    return found


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module inside a transaction that is rolled back at its end, so nothing of it
    (nor of the search index or the public generation, which a flush would not restore) reaches other tests."""
    from django.db import transaction

    from gongkai.web.clock.services import calendar_seed
    from gongkai.web.core.demo import load_demo

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            calendar_seed()
            load_demo(count=25)
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


ROLES = ["anonymous", "dengji", "chengban", "shenhe", "fuze", "guanli", "ducha", "admin"]


@pytest.mark.parametrize("who", ROLES)
def test_every_page_is_in_chinese(demo, who, django_db_blocker):
    from django.contrib.auth import get_user_model

    client = Client()
    with django_db_blocker.unblock():
        if who != "anonymous":
            client.force_login(get_user_model().objects.get(username=who))
        starts = ["/"] + (["/staff/"] if who != "anonymous" else ["/accounts/login/"])
        visited: list[str] = []
        found = crawl(client, starts, visited)
    assert len(visited) >= (10 if who == "anonymous" else 25), visited  # the walk reached the site, not one page
    report = "\n".join(f"{url}: {' '.join(sorted(words))}" for url, words in sorted(found.items()))
    assert not found, f"Latin-letter words shown to {who}:\n{report}"


def test_error_pages_are_chinese_in_the_right_design(demo, django_db_blocker):
    from django.contrib.auth import get_user_model

    client = Client()
    with django_db_blocker.unblock():
        public = client.get("/xxgk/999999/")
        staff_anon = client.get("/staff/no-such-page/")
        client.force_login(get_user_model().objects.get(username="dengji"))
        staff = client.get("/staff/no-such-page/")
        forbidden = client.get("/staff/calendar/") if client.get("/staff/calendar/").status_code == 403 else None
    assert public.status_code == 404
    page = public.content.decode()
    assert "页面不存在" in page or "未找到" in page or "不存在" in page
    assert "portal/portal.css" in page and "工作台" not in page  # the portal's design, not the office's
    assert not latin_words(visible_text(page)), latin_words(visible_text(page))
    assert staff.status_code == 404 and not latin_words(visible_text(staff.content.decode()))
    assert "portal/portal.css" not in staff.content.decode()
    assert staff_anon.status_code in (302, 404)
    if forbidden is not None:
        assert not latin_words(visible_text(forbidden.content.decode()))


def test_pages_counted(demo, django_db_blocker):
    """How far the walk goes, per role (printed with -s; a floor is asserted in the walk itself)."""
    from django.contrib.auth import get_user_model

    with django_db_blocker.unblock():
        client = Client()
        client.force_login(get_user_model().objects.get(username="admin"))
        visited: list[str] = []
        crawl(client, ["/", "/staff/"], visited)
    routes = {resolve(urlparse(u).path).view_name for u in visited}
    print(len(visited), "pages,", len(routes), "routes:", " ".join(sorted(routes)))
    assert len(routes) >= 30, sorted(routes)
