"""The catalog search finds exactly what a plain substring scan finds, for every kind of query the index takes a
different path for: two-character words (bigram index), longer words (trigram index), a mix of both, Latin words,
and each with body / category / year filters. Only public items are ever found."""
from __future__ import annotations

import itertools
import random

import pytest

from gongkai.web.catalog import services as s
from gongkai.web.catalog.search import search_items
from gongkai.web.catalog.selectors import items_public

WORDS = ["防汛", "预算", "救助", "老旧小区改造", "最低生活保障", "三公经费", "应急物资储备", "宅基地审核", "供热",
         "招聘", "网格员", "安全生产检查", "GDP统计", "PM2.5监测", "数据"]
CATEGORIES = ["finance", "welfare", "emergency", "other"]


def _text(rng: random.Random, n: int) -> str:
    return "，".join(rng.sample(WORDS, n)) + "。"


@pytest.fixture
def corpus(world, publish):
    from gongkai.web.bodies.models import Role
    from gongkai.web.bodies.services import membership_grant, user_create

    rng = random.Random(11)
    second = user_create(username="clerk-other", password="secret-pass-1", full_name="clerk-other")
    membership_grant(user=second, body=world["other"], role=Role.CLERK)
    items = []
    for k in range(36):
        title = f"第{k}号{_text(rng, 2)}"
        fields = {"text": _text(rng, 3), "category": rng.choice(CATEGORIES), "keywords": rng.choice(WORDS)}
        if k % 3 == 0:  # the other street office: its own author and reviewer
            item = s.item_create(body=world["other"], author=second, title=title, **fields)
            s.item_submit(item=item, actor=second)
            s.item_review(item=item, reviewer=world["outsider"], approve=True, basis="不涉密")
            items.append(s.item_publish(item=item, actor=second))
        else:
            items.append(publish(title, **fields))
    # never found: a draft and a withdrawn item holding every word
    s.item_create(body=world["street"], author=world["clerk"], title="草稿" + "".join(WORDS), text="".join(WORDS))
    gone = publish("撤回" + "".join(WORDS), text="".join(WORDS))
    s.item_withdraw(item=gone, actor=world["reviewer"], reason="撤回")
    return items


def _expected(items, terms, *, body_id=None, category=None):
    out = set()
    for i in items:
        hay = f"{i.title} {i.keywords} {i.summary} {i.text}".lower()
        if all(t.lower() in hay for t in terms) and (body_id is None or i.body_id == body_id) \
                and (category is None or i.category == category):
            out.add(i.pk)
    return out


QUERIES = ["防汛", "供热", "预算 救助", "老旧小区改造", "三公经费 应急物资储备", "预算 三公经费", "防汛 宅基地审核",
           "gdp统计", "PM2.5", "pm2.5 防汛", "数据 网格员", "最低生活保障 数据 招聘"]


@pytest.mark.parametrize("query", QUERIES)
def test_search_finds_exactly_the_matching_public_items(world, corpus, query):
    terms = query.split()
    for filters in ({}, {"body_id": world["street"].pk}, {"body_id": world["other"].pk}, {"category": "finance"},
                    {"body_id": world["street"].pk, "category": "welfare"}):
        page = search_items(query=query, public=items_public(), per_page=1000, **filters)
        found = [h.item.pk for h in page.hits]
        assert len(found) == len(set(found)) == page.total, (query, filters)
        assert set(found) == _expected(corpus, terms, **filters), (query, filters)
        # ranking: an item with every word in its title never comes after one with none in its title
        in_title = [sum(t.lower() in h.item.title.lower() for t in terms) for h in page.hits]
        for a, b in itertools.pairwise(in_title):
            assert not (a == 0 and b == len(terms)), (query, filters, in_title)
