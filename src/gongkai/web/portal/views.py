"""Public pages. No login; every read goes through the public selectors."""
from __future__ import annotations

import functools
from urllib.parse import quote

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_http_methods

from ..bodies.models import Body
from ..catalog.categories import ARTICLE_20, ARTICLE_21, Category
from ..catalog.search import Hit, SearchPage, highlight, search_items, snippet
from ..catalog.selectors import category_counts, item_public_get, item_public_page, items_public, years_of
from ..core.client import client_ip
from ..core.csp import styled_fragment
from ..core.errors import WebError, place_on_form
from ..core.params import year_param
from ..reports.selectors import published_file, reports_published, reports_search
from . import services
from .cache import generation, public_page
from .forms import ApplyForm, CorrectionForm, SearchForm
from .selectors import bodies_public, body_public, guide_versions, no_function_categories, public_status

CATEGORY_LABELS = dict(Category.choices)
PER_PAGE = 20


_SAMPLE_INDEX_NO = "00/0000-00000"
SITE_LINKS = ("home", "a11y", "search", "status")
BODY_LINKS = ("body", "guide", "rules", "catalog", "reports", "on-request", "apply", "grassroots", "feed")


@functools.lru_cache(maxsize=4096)
def _links(body_pk: int | None, prefix: str) -> dict[str, str]:
    """The site map's URLs for the page chrome (``links.on_request`` …), reversed once per body and process:
    the chrome of every page has some twenty of them, and reversing was a tenth of an item page's time."""
    links = {name.replace("-", "_"): reverse(f"portal:{name}") for name in SITE_LINKS}
    links["item_prefix"] = reverse("portal:item", args=[_SAMPLE_INDEX_NO]).removesuffix(f"{_SAMPLE_INDEX_NO}/")
    if body_pk is not None:
        links |= {name.replace("-", "_"): reverse(f"portal:{name}", args=[body_pk]) for name in BODY_LINKS}
    return links


def chrome(request: HttpRequest, body: Body | None = None) -> dict:
    """What every public page's frame needs: the body (or None), the site map's links, the reading aids."""
    size = request.COOKIES.get("gk_size", "m")
    return {"body": body, "links": _links(body.pk if body is not None else None, get_script_prefix()),
            "a11y": {"size": size if size in ("s", "m", "l") else "m",
                     "contrast": request.COOKIES.get("gk_contrast") == "1"}}


def _page(request: HttpRequest, template: str, context: dict, *, status: int = 200) -> HttpResponse:
    context.update(chrome(request, context.get("body")))
    resp = render(request, template, context, status=status)
    resp["Cache-Control"] = "no-cache"
    return resp


def accessibility(request: HttpRequest) -> HttpResponse:
    """字号 and 高对比度 without JavaScript: set a cookie and go back."""
    nxt = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        nxt = "/"
    resp = HttpResponseRedirect(nxt)
    if request.GET.get("size") in ("s", "m", "l"):
        resp.set_cookie("gk_size", request.GET["size"], max_age=365 * 86400, samesite="Lax")
    if request.GET.get("contrast") in ("0", "1"):
        resp.set_cookie("gk_contrast", request.GET["contrast"], max_age=365 * 86400, samesite="Lax")
    return resp


@public_page
def home(request: HttpRequest) -> HttpResponse:
    bodies = [{"pk": pk, "name": name, "depth": path.count("/") - 2}
              for pk, name, path in bodies_public().values_list("pk", "name", "path")]
    return _page(request, "portal/home.html", {"bodies": bodies,
                                               "latest": items_public().select_related("body")[:10]})


@public_page
def body_home(request: HttpRequest, body_id: int) -> HttpResponse:
    body = body_public(body_id)
    counts = category_counts(body=body)
    return _page(request, "portal/body.html", {
        "body": body, "latest": items_public(body=body)[:10], "reports": reports_published(body=body)[:3],
        "categories": [(code, CATEGORY_LABELS[code], counts.get(code, 0)) for code, _i, _l in ARTICLE_20]})


@public_page
def guide(request: HttpRequest, body_id: int) -> HttpResponse:
    body = body_public(body_id)
    counts = category_counts(body=body)
    return _page(request, "portal/guide.html", {**guide_context(request, body, counts),
                                                "versions": list(guide_versions(body=body))})


def guide_context(request: HttpRequest, body: Body, counts: dict[str, int]) -> dict:
    return {"body": body, "categories": [label for code, _i, label in ARTICLE_20 if counts.get(code)],
            "apply_url": request.build_absolute_uri(reverse("portal:apply", args=[body.pk])),
            "portal_url": request.build_absolute_uri(reverse("portal:body", args=[body.pk]))}


@public_page
def rules(request: HttpRequest, body_id: int) -> HttpResponse:
    body = body_public(body_id)
    own = items_public(body=body).filter(subject__contains="政务公开")[:50]
    return _page(request, "portal/rules.html", {"body": body, "own": own})


@public_page
def catalog(request: HttpRequest, body_id: int) -> HttpResponse:
    body = body_public(body_id)
    counts = category_counts(body=body)
    code = request.GET.get("category", "")
    if code and code not in CATEGORY_LABELS:
        raise Http404
    qs = items_public(body=body)
    year = year_param(request.GET.get("year"), default=None)
    if code:
        qs = qs.filter(category=code)
    if year is not None:
        qs = qs.filter(published_at__year=year)
    paginator = Paginator(qs.order_by("-published_at", "-pk").only(
        "title", "index_no", "published_at", "doc_number", "category", "validity"), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    present = [(c, CATEGORY_LABELS[c], counts.get(c, 0)) for c, _i, _l in ARTICLE_20 if counts.get(c)]
    declared = no_function_categories(body=body)
    absent = [CATEGORY_LABELS[c] for c, _i, _l in ARTICLE_20 if not counts.get(c) and c in declared]
    empty = [CATEGORY_LABELS[c] for c, _i, _l in ARTICLE_20 if not counts.get(c) and c not in declared]
    return _page(request, "portal/catalog.html", {
        "body": body, "present": present, "absent": absent, "empty": empty, "page": page, "category": code,
        "category_label": CATEGORY_LABELS.get(code, "全部"), "years": years_of(body=body), "year": year})


@public_page
def item(request: HttpRequest, index_no: str) -> HttpResponse:
    page = item_public_page(index_no=index_no)
    if page is None:
        raise Http404
    return _page(request, "portal/item.html", {"body": page.item.body, "item": page.item, "related": page.related,
                                               "attachments": page.attachments})


def attachment(request: HttpRequest, index_no: str, att: int) -> HttpResponse:
    obj = item_public_get(index_no=index_no)
    if obj is None:
        raise Http404
    a = obj.attachments.filter(pk=att).first()
    if a is None:
        raise Http404
    with a.file.open("rb") as fh:
        content = fh.read()
    resp = HttpResponse(content, content_type=a.content_type)
    resp["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(a.name)}"
    return resp


@public_page
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    result, body, advanced = None, None, {}
    if form.is_valid():
        d = form.cleaned_data
        body = body_public(d["body"]) if d.get("body") else None
        public = items_public()
        advanced = {k: d[k] for k in ("index_no", "doc_number", "title", "issuer") if d.get(k)}
        if d.get("index_no"):
            public = public.filter(index_no__startswith=d["index_no"].strip())
        if d.get("doc_number"):
            public = public.filter(doc_number__contains=d["doc_number"].strip())
        if d.get("title"):
            public = public.filter(title__contains=d["title"].strip())
        if d.get("issuer"):
            public = public.filter(issuer__contains=d["issuer"].strip())
        category = d.get("category") if d.get("category") in CATEGORY_LABELS else None
        query = d.get("q", "") or ""
        if query.strip() or advanced or category or d.get("year"):
            if not query.strip():
                query = " ".join(v for v in (d.get("title"), d.get("doc_number")) if v) or ""
            if query.strip():
                result = search_items(query=query, public=public, body_id=body.pk if body else None,
                                      category=category, year=d.get("year"), page=d.get("page") or 1)
            else:
                qs = public
                if body:
                    qs = qs.filter(body=body)
                if category:
                    qs = qs.filter(category=category)
                if d.get("year"):
                    qs = qs.filter(published_at__year=d["year"])
                rows = list(qs.select_related("body").order_by("-published_at")[:PER_PAGE])
                result = SearchPage(query="", terms=[], total=len(rows), hits=[
                    Hit(item=i, title_html=highlight(i.title, []), snippet_html=snippet(i.summary or i.text, []))
                    for i in rows])
    params = request.GET.copy()
    params.pop("page", None)
    links = _links(None, get_script_prefix())
    report_rows = []
    if result is not None and result.terms and result.page == 1 and not (form.cleaned_data.get("category")
                                                                         or advanced):
        for h in reports_search(terms=result.terms, body_id=body.pk if body else None,
                                year=form.cleaned_data.get("year")):
            rep = h.report
            report_rows.append({"url": reverse("portal:report", args=[rep.body_id, rep.year]),
                                "title": highlight(h.title, result.terms), "snippet": snippet(h.text, result.terms),
                                "meta": f"{rep.body.name} · 年度报告 · {rep.year}年度"})
    return _page(request, "portal/search.html", {"form": form, "result": result, "body": body,
                                                 "report_rows": report_rows,
                                                 "rows": _hit_rows(result, links),
                                                 "body_options": _body_options(body.pk if body else None),
                                                 "categories": Category.choices,
                                                 "params": params.urlencode()})


_body_options_cache: tuple[int | None, str] = (None, "")


def _body_options(selected: int | None) -> SafeString:
    """The ``<option>``s of the search form's 机关 list, built here and kept per process until the public
    generation changes (a body added or renamed): a portal may list hundreds of bodies, and the template loop over
    them was half of a search page's time."""
    global _body_options_cache
    gen = generation()
    built, html = _body_options_cache
    if gen is None or gen != built:
        html = "".join(f'<option value="{pk}">{escape(name)}</option>'
                       for pk, name in bodies_public().values_list("pk", "name"))
        _body_options_cache = (gen, html)
    if selected is not None:
        html = html.replace(f'<option value="{selected}">', f'<option value="{selected}" selected>', 1)
    return mark_safe(html)


def _hit_rows(result: SearchPage | None, links: dict[str, str]) -> list[dict[str, SafeString | str]]:
    """What the result list shows per hit, prepared here rather than in the template (per-hit template work was
    the larger half of a search page's time)."""
    if result is None:
        return []
    rows = []
    for h in result.hits:
        i = h.item
        day = timezone.localtime(i.published_at).strftime("%Y-%m-%d") if i.published_at else ""
        meta = f"{escape(i.issuer)} · {escape(CATEGORY_LABELS.get(i.category, i.category))} · 索引号 {escape(i.index_no)} · {day}"
        rows.append({"url": f"{links['item_prefix']}{i.index_no}/", "title": h.title_html,
                     "snippet": h.snippet_html, "meta": mark_safe(meta)})
    return rows


@public_page
def reports(request: HttpRequest, body_id: int) -> HttpResponse:
    body = body_public(body_id)
    return _page(request, "portal/reports.html", {"body": body, "reports": reports_published(body=body)})


@styled_fragment
@public_page
def report(request: HttpRequest, body_id: int, year: int) -> HttpResponse:
    body = body_public(body_id)
    f = published_file(body=body, year=year, kind="fragment")
    if f is None:
        raise Http404
    return _page(request, "portal/report.html", {"body": body, "year": year,
                                                 "fragment": bytes(f.content).decode("utf-8")})


TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def report_file(request: HttpRequest, body_id: int, year: int, kind: str) -> HttpResponse:
    if kind not in TYPES:
        raise Http404
    body = body_public(body_id)
    f = published_file(body=body, year=year, kind=kind)
    if f is None:
        raise Http404
    resp = HttpResponse(bytes(f.content), content_type=TYPES[kind])
    name = f"{body.name}{year}年政府信息公开工作年度报告.{kind}"
    resp["Content-Disposition"] = f"{'attachment' if kind == 'docx' else 'inline'}; filename*=UTF-8''{quote(name)}"
    return resp


@public_page
def on_request(request: HttpRequest, body_id: int) -> HttpResponse:
    return _page(request, "portal/on_request.html", {"body": body_public(body_id)})


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, body_id: int) -> HttpResponse:
    body = body_public(body_id)
    if request.method == "POST":
        form = ApplyForm(request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            try:
                app = services.public_apply(body=body, client=client_ip(request) or "unknown", token=d["token"],
                                            honeypot=d.get("website", ""),
                                            fields={**{k: d[k] or "" for k in ApplyForm.FIELDS},
                                                    "id_proof": d.get("id_proof") or []})
            except WebError as exc:
                place_on_form(form, exc)
                status = exc.status
            else:
                return _page(request, "portal/receipt.html", {"body": body, "app": app})
        else:
            status = 422
        form.data = form.data.copy()
        form.data["token"] = form.data.get("token") or services.form_token()
        return _page(request, "portal/apply.html", {"body": body, "form": form}, status=status)
    form = ApplyForm(initial={"token": services.form_token()})
    return _page(request, "portal/apply.html", {"body": body, "form": form})


# The printed 申请表: the applicant's part (公民 or 法人或其他组织, as in the forms offices use), then the request.
APPLY_FORM_ROWS = (
    ("公民", ("姓名", "证件名称", "证件号码", "工作单位", "联系电话", "电子邮箱", "通信地址及邮政编码")),
    ("法人或其他组织", ("名称", "统一社会信用代码", "法定代表人或负责人", "联系人姓名", "联系人证件名称及号码",
                      "联系人电话", "电子邮箱", "通信地址及邮政编码")),
    ("身份证明", ("所附身份证明材料（身份证件、营业执照等复印件）",)),
    ("所需信息情况", ("所需政府信息的名称、文号或者便于查询的其他特征性描述", "获取信息的方式（纸质/电子文档/现场查阅）",
                    "获取信息的途径（邮寄/电子邮件/当面领取/网上获取）")),
    ("申请人签章", ("申请人签名或盖章", "申请日期")),
)


def apply_form_docx(request: HttpRequest, body_id: int) -> HttpResponse:
    """The printable application form (申请表下载), generated as DOCX."""
    import io

    from docx import Document

    body = body_public(body_id)
    doc = Document()
    doc.add_heading("政府信息公开申请表", level=1)
    doc.add_paragraph(f"受理机关：{body.name}")
    table = doc.add_table(rows=0, cols=3)
    table.style = "Table Grid"
    for group, labels in APPLY_FORM_ROWS:
        first = None
        for label in labels:
            row = table.add_row().cells
            row[1].text, row[2].text = label, ""
            first = first or row[0]
            if row[0] is not first:
                first.merge(row[0])
        first.text = group
    doc.add_paragraph("申请人为法人或其他组织的，请填写“法人或其他组织”一栏，并附营业执照等证照复印件及联系人身份证件"
                      "复印件；申请人为自然人的，请填写“公民”一栏，并附身份证件复印件（第二十九条）。")
    doc.add_paragraph("一份申请表只申请一项政府信息。邮寄申请请在信封左下角注明“政府信息公开申请”字样。")
    buf = io.BytesIO()
    doc.save(buf)
    resp = HttpResponse(buf.getvalue(), content_type=TYPES["docx"])
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('政府信息公开申请表.docx')}"
    return resp


def status(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", "").strip()[:20]
    info = public_status(query_code=code) if code else None
    form = None
    if info is not None and info.get("can_correct"):
        form = CorrectionForm(initial={"code": code, "token": services.form_token()})
    return _page(request, "portal/status.html", {"code": code, "info": info, "searched": bool(code), "form": form},
                 status=404 if code and info is None else 200)


@require_http_methods(["POST"])
def correct(request: HttpRequest) -> HttpResponse:
    """补正 online by query code: the text and files go to the case, 补正 is recorded as received today and the
    reply period restarts; the page confirms it in Chinese."""
    form = CorrectionForm(request.POST, request.FILES)
    code = (request.POST.get("code") or "").strip()[:20]
    status_code = 422
    if form.is_valid():
        d = form.cleaned_data
        try:
            app = services.public_correct(client=client_ip(request) or "unknown", token=d["token"],
                                          honeypot=d.get("website", ""),
                                          code=d["code"], text=d.get("text") or "", files=d.get("files") or [])
        except WebError as exc:
            place_on_form(form, exc)
            status_code = exc.status
        else:
            info = public_status(query_code=app.query_code)
            return _page(request, "portal/corrected.html", {"info": info, "code": app.query_code,
                                                            "on": services.today()})
    info = public_status(query_code=code) if code else None
    if info is None:
        return _page(request, "portal/status.html", {"code": code, "info": None, "searched": True}, status=404)
    form.data = form.data.copy()
    form.data["token"] = services.form_token()
    return _page(request, "portal/status.html", {"code": code, "info": info, "searched": True, "form": form},
                 status=status_code)


@public_page
def grassroots(request: HttpRequest, body_id: int) -> HttpResponse:
    body = body_public(body_id)
    from django.db.models import Count

    counts = dict(items_public(body=body).exclude(local_category="").values_list("local_category")
                  .annotate(n=Count("pk")).order_by())
    areas = [(code, label, counts.get(code, 0)) for code, label in ARTICLE_21]
    code = request.GET.get("area", "")
    items = items_public(body=body).filter(local_category=code)[:50] if code in counts else []
    declared = no_function_categories(body=body)
    return _page(request, "portal/grassroots.html", {
        "body": body, "present": [a for a in areas if a[2]],
        "absent": [a[1] for a in areas if not a[2] and a[0] in declared],
        "empty": [a[1] for a in areas if not a[2] and a[0] not in declared],
        "items": items, "area": dict(ARTICLE_21).get(code, "")})


