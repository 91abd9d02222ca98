"""Full-text search of the public catalog, in Chinese, behind one selector: :func:`search_items`.

Why this design (see also ``bench/bench_portal.py``):

* **SQLite** (the default deployment): an FTS5 table with the ``trigram`` tokenizer (SQLite ≥ 3.34). Chinese
  has no spaces, so word tokenizers need a dictionary (jieba …) and miss substrings that cross word borders;
  trigrams match any substring of three or more characters exactly, need no dictionary and no extra package.
  Title, 文号, 索引号 and text are columns, so a title match can be asked for directly.
  Two-character words (most Chinese words!) cannot use trigrams: a second FTS5 table holds the CJK character
  bigrams of title and text (``detail=none``: only which items hold a bigram, the smallest index), searched
  for such words, with title matches ranked first, then newest. A one-character query is matched with
  ``LIKE`` on titles (newest first). A query mixing long and short words uses the trigram index for the long
  ones and filters the candidates with the short ones.
  Ranking: items with every word in the title first (with several words and a filter: the most words in the
  title), then the others; newest first in each group. BM25 was
  the first choice but costs 10–40 ms per query at a million items (it scores every candidate); this order
  needs only ``ORDER BY rowid DESC LIMIT`` lookups, which FTS5 answers from its doclists. At most
  ``CANDIDATES`` matches are ranked; beyond that the count is shown as "more than N". Filters (body, category,
  year) are exact tokens in the bigram index (``zb12``), see :func:`_fts_candidates`.
* **PostgreSQL**: ``ILIKE`` per word (served by ``pg_trgm`` GIN indexes when the extension can be created,
  see migration 0002), ranked title-match first, then newest.

Only public items are ever put into the index (``services.item_publish`` adds, ``item_withdraw`` removes), and
every result is joined back to :func:`selectors.items_public`, so nothing unreviewed can be found.
Highlighting is done here in Python, the same for both backends (HTML-escaped, ``<mark>``).
"""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Q
from django.utils.safestring import SafeString, mark_safe

from .categories import Disclosure
from .models import Item, ItemState

FTS_TABLE = "catalog_item_fts"
BIGRAM_TABLE = "catalog_item_bigram"
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
CANDIDATES = 1000
MAX_QUERY = 60
_SPLIT = re.compile(r"[\s\u3000,，;；、]+")


@dataclass
class Hit:
    item: Item
    title_html: SafeString
    snippet_html: SafeString


@dataclass
class SearchPage:
    query: str
    terms: list[str]
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    capped: bool = False  # more matches than CANDIDATES: ``total`` is a lower bound
    page: int = 1
    per_page: int = 20
    backend: str = ""

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def terms_of(query: str) -> list[str]:
    """The words of a query: split on spaces and punctuation, quotes dropped, at most 8 words."""
    query = (query or "")[:MAX_QUERY].replace('"', " ").replace("'", " ")
    return [t for t in _SPLIT.split(query) if t][:8]


def backend() -> str:
    return "sqlite-fts5-trigram" if connection.vendor == "sqlite" else "postgresql-ilike-trgm"


# --- index maintenance (called by services) ----------------------------------------------------
def _tags(item: Item) -> str:
    year = item.published_at.year if item.published_at else ""
    return f"|b{item.body_id}| |c{item.category}| |y{year}|"


def _content(item: Item) -> str:
    return " ".join(p for p in (item.keywords, item.summary, item.text) if p)


def shown_text(item: Item, terms: list[str]) -> str:
    """The text a result's snippet is cut from: the item's text where a term occurs in it, else its summary.

    The index holds keywords, summary and text together, but a snippet made from that join repeats itself (a
    summary is often the text's first sentence) and shows the bare keyword list; so the snippet comes from one
    of them, never the keywords."""
    pat = _pattern(terms)
    summary = (item.summary or "").strip()
    text = (item.text or "").strip()
    for part in (text, summary):
        if part and pat is not None and pat.search(part):
            return part
    return summary or text


def bigrams(text: str) -> str:
    """The distinct CJK character bigrams of ``text``, space-separated (the bigram index's document)."""
    out: dict[str, None] = {}
    for run in _CJK_RUN.findall(text or ""):
        for i in range(len(run) - 1):
            out[run[i:i + 2]] = None
    return " ".join(out)


def _bigram_tags(item: Item) -> str:
    year = item.published_at.year if item.published_at else ""
    return f"zb{item.body_id} zc{item.category} zy{year}"


def index_rows(item: Item) -> tuple[list[object], list[object]]:
    """The rows of the two indexes for ``item`` (used by the services and by the bench's bulk loader).

    The bigram document holds every bigram of title and text, the title's again prefixed with ``t`` (so that
    title matches can be listed first without reading the items), and the filter tags."""
    content = _content(item)
    title = bigrams(item.title)
    titled = " ".join("t" + g for g in title.split())
    return ([item.pk, item.title, item.doc_number, item.index_no or "", content, _tags(item)],
            [item.pk, f"{bigrams(item.title + ' ' + content)} {titled} {_bigram_tags(item)}"])


def index_item(item: Item) -> None:
    if connection.vendor != "sqlite":
        return  # PostgreSQL searches the table itself
    fts, bigram = index_rows(item)
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [item.pk])
        cur.execute(f"DELETE FROM {BIGRAM_TABLE} WHERE rowid = %s", [item.pk])
        cur.execute(f"INSERT INTO {FTS_TABLE}(rowid, title, doc_number, index_no, content, tags) "
                    f"VALUES (%s, %s, %s, %s, %s, %s)", fts)
        cur.execute(f"INSERT INTO {BIGRAM_TABLE}(rowid, grams) VALUES (%s, %s)", bigram)


def unindex_item(item_id: int) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [item_id])
        cur.execute(f"DELETE FROM {BIGRAM_TABLE} WHERE rowid = %s", [item_id])


# --- search -----------------------------------------------------------------------------------
def search_items(*, query: str, public: Any, body_id: int | None = None, category: str | None = None,
                 year: int | None = None, page: int = 1, per_page: int = 20) -> SearchPage:
    """Ranked, highlighted search of ``public`` (the queryset of public items) for ``query``."""
    terms = terms_of(query)
    result = SearchPage(query=query, terms=terms, page=max(1, page), per_page=per_page, backend=backend())
    if not terms:
        return result
    long_terms = [t for t in terms if len(t) >= 3]
    short_terms = [t for t in terms if len(t) < 3]
    two = [t for t in short_terms if len(t) == 2 and _CJK_RUN.fullmatch(t)]
    if connection.vendor == "sqlite" and (long_terms or two):
        if long_terms and two and len(two) == len(short_terms):
            # long and two-character words: all of them through the bigram index, confirmed on the items
            ranked, capped = _fts_candidates(long_terms + two, body_id=body_id, category=category, year=year,
                                             via_bigrams=True)
            short_terms = []
        elif long_terms:
            ranked, capped = _fts_candidates(long_terms, body_id=body_id, category=category, year=year)
        else:
            ranked, capped = _bigram_candidates(two, body_id=body_id, category=category, year=year)
            short_terms = [t for t in short_terms if t not in two]
        if short_terms:
            keep = set(public.filter(pk__in=ranked).filter(_like_all(short_terms, text=True))
                       .values_list("pk", flat=True))
            ranked = [pk for pk in ranked if pk in keep]
        result.total, result.capped = len(ranked), capped
        start = (result.page - 1) * per_page
        ids = ranked[start:start + per_page]
        items = {i.pk: i for i in public.filter(pk__in=ids).select_related("body")}
        ordered = [items[pk] for pk in ids if pk in items]
    else:
        qs = _filtered(public, body_id=body_id, category=category, year=year)
        qs = qs.filter(_like_all(terms, text=connection.vendor != "sqlite"))
        if connection.vendor != "sqlite":
            from django.db.models import Case, IntegerField, Value, When
            qs = qs.annotate(in_title=Case(When(title__icontains=terms[0], then=Value(1)), default=Value(0),
                                           output_field=IntegerField())).order_by("-in_title", "-published_at")
        else:
            qs = qs.order_by("-published_at")
        window = list(qs.values_list("pk", flat=True)[:CANDIDATES + 1])
        result.capped = len(window) > CANDIDATES
        result.total = min(len(window), CANDIDATES)
        start = (result.page - 1) * per_page
        ids = window[start:start + per_page]
        items = {i.pk: i for i in public.filter(pk__in=ids).select_related("body")}
        ordered = [items[pk] for pk in ids if pk in items]
    result.hits = [Hit(item=i, title_html=highlight(i.title, terms), snippet_html=snippet(shown_text(i, terms), terms))
                   for i in ordered]
    return result


def _filtered(qs: Any, *, body_id: int | None, category: str | None, year: int | None) -> Any:
    if body_id:
        qs = qs.filter(body_id=body_id)
    if category:
        qs = qs.filter(category=category)
    if year:
        qs = qs.filter(published_at__year=year)
    return qs


# the columns a word is looked for in: the short ones, then the text ones (``_like_all``, ``_confirm``)
SHORT_COLUMNS = ("title", "keywords", "doc_number", "index_no")
SEARCHED_COLUMNS = (*SHORT_COLUMNS, "summary", "text")


def _like_all(terms: list[str], *, text: bool) -> Q:
    cond = Q()
    for t in terms:
        one = Q()
        for c in SEARCHED_COLUMNS if text else SHORT_COLUMNS:
            one |= Q(**{f"{c}__icontains": t})
        cond &= one
    return cond


def _fts_quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _fts_candidates(terms: list[str], *, body_id: int | None, category: str | None,
                    year: int | None, via_bigrams: bool = False) -> tuple[list[int], bool]:
    """Items holding every word of three or more characters: title matches first, then the rest, newest first.

    Without filters: two lookups in the trigram index (the title column, then all columns), ``ORDER BY rowid
    DESC LIMIT`` each, which FTS5 answers without scoring every match (BM25 over a thousand matches costs
    10–40 ms at a million items; this costs under 1 ms). With a body/category/year filter the trigram index is
    a poor filter (a tag's trigrams are shared by many bodies), so the bigram index, where each filter is one
    exact token, gives the newest candidates holding two inner bigrams of each word plus the tags (more bigrams
    cost more doclist intersections than they save), and the items table confirms the exact substrings."""

    parts: list[str] = []
    if via_bigrams or body_id or category or year:
        # every CJK run of two or more characters in a word must be in a matching item, so its bigrams are a
        # sound first filter for any word, Latin letters and all; words without such a run are checked only on
        # the items table (with a filter: the filter's newest items are the candidates)
        grams = [_fts_quote(g) for t in terms for run in _CJK_RUN.findall(t) for g in _some_bigrams(run)]
        parts = grams + _tag_tokens(body_id=body_id, category=category, year=year)
    if parts:
        sql = (f"SELECT rowid FROM {BIGRAM_TABLE} WHERE {BIGRAM_TABLE} MATCH %s "
               f"ORDER BY rowid DESC LIMIT {CANDIDATES + 1}")
        with connection.cursor() as cur:
            cur.execute(sql, [" AND ".join(dict.fromkeys(parts))])
            ids = [r[0] for r in cur.fetchall()]
            ranked = _confirm(cur, ids, terms)
        return ranked[:CANDIDATES], len(ids) > CANDIDATES
    sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY rowid DESC LIMIT {CANDIDATES + 1}"
    with connection.cursor() as cur:
        cur.execute(sql, [" AND ".join("title : " + _fts_quote(t) for t in terms)])
        ids = [r[0] for r in cur.fetchall()]
        if len(ids) <= CANDIDATES:
            cur.execute(sql, [" AND ".join(_fts_quote(t) for t in terms)])
            seen = set(ids)
            ids += [r[0] for r in cur.fetchall() if r[0] not in seen]
    return ids[:CANDIDATES], len(ids) > CANDIDATES


def _confirm(cur: Any, ids: list[int], terms: list[str]) -> list[int]:
    """The public items among ``ids`` that hold every term (case-insensitive for Latin letters, as ``icontains``)
    in one of the searched columns, those with the most terms in the title first, then newest. Plain SQL with the
    ids as one JSON parameter: the ORM's ``pk__in`` over a thousand ids cost more to build than to run."""
    if not ids:
        return []
    conds, params = [], []
    for t in terms:
        like = "%" + t.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conds.append("(" + " OR ".join(f"i.{c} LIKE %s ESCAPE '\\'" for c in SEARCHED_COLUMNS) + ")")
        params += [like] * len(SEARCHED_COLUMNS)
    in_title = " + ".join("(instr(lower(i.title), %s) > 0)" for _ in terms)
    cur.execute(f"SELECT i.id FROM {Item._meta.db_table} i WHERE i.id IN (SELECT value FROM json_each(%s)) "
                f"AND i.state = %s AND i.disclosure = %s AND {' AND '.join(conds)} ORDER BY {in_title} DESC, i.id DESC",
                [json.dumps(ids), ItemState.PUBLISHED.value, Disclosure.PROACTIVE.value, *params,
                 *(t.lower() for t in terms)])
    return [r[0] for r in cur.fetchall()]


def _some_bigrams(run: str) -> list[str]:
    """Two inner bigrams of a CJK run (all of them for runs up to three characters)."""
    grams = [run[i:i + 2] for i in range(len(run) - 1)]
    return grams if len(grams) <= 2 else [grams[1], grams[-2]]


def _tag_tokens(*, body_id: int | None, category: str | None, year: int | None) -> list[str]:
    tags = []
    if body_id:
        tags.append(f"zb{body_id}")
    if category:
        tags.append(_fts_quote(f"zc{category}"))
    if year:
        tags.append(f"zy{year}")
    return tags


def _bigram_candidates(terms: list[str], *, body_id: int | None, category: str | None,
                       year: int | None) -> tuple[list[int], bool]:
    """Items holding every two-character word: those with all of them in the title first, then the rest;
    newest first within each group. Two index lookups, no read of the items table."""
    tags = _tag_tokens(body_id=body_id, category=category, year=year)
    sql = (f"SELECT rowid FROM {BIGRAM_TABLE} WHERE {BIGRAM_TABLE} MATCH %s "
           f"ORDER BY rowid DESC LIMIT {CANDIDATES + 1}")
    with connection.cursor() as cur:
        cur.execute(sql, [" AND ".join([_fts_quote("t" + t) for t in terms] + tags)])
        ids = [r[0] for r in cur.fetchall()]
        if len(ids) <= CANDIDATES:
            cur.execute(sql, [" AND ".join([_fts_quote(t) for t in terms] + tags)])
            seen = set(ids)
            ids += [r[0] for r in cur.fetchall() if r[0] not in seen]
    capped = len(ids) > CANDIDATES
    return ids[:CANDIDATES], capped


# --- highlighting -----------------------------------------------------------------------------
def _pattern(terms: list[str]) -> re.Pattern[str] | None:
    if not terms:
        return None
    return re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)


def highlight(text: str, terms: list[str]) -> SafeString:
    """``text`` HTML-escaped with every occurrence of a term in ``<mark>``."""
    pat = _pattern(terms)
    escape = html.escape  # what Django's escape does, without its lazy-string wrapper (a search page calls it ~60 times)
    if pat is None or not text:
        return mark_safe(escape(text or ""))
    out, pos = [], 0
    for m in pat.finditer(text):
        out.append(escape(text[pos:m.start()]))
        out.append(f"<mark>{escape(m.group(0))}</mark>")
        pos = m.end()
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))


def snippet(text: str, terms: list[str], *, width: int = 90) -> SafeString:
    """About ``width`` characters of ``text`` around the first match, highlighted (the start if none)."""
    text = re.sub(r"\s+", " ", text or "").strip()
    pat = _pattern(terms)
    m = pat.search(text) if pat else None
    start = max(0, m.start() - width // 3) if m else 0
    piece = text[start:start + width]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(text) else ""
    return mark_safe(prefix + highlight(piece, terms) + suffix)
