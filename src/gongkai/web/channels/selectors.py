"""Reads of the channel log: what a user sees, the figures of a year (section 一), supervisors' roll-up."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Min, Q, QuerySet

from ...outreach import LEVELS, OutreachFacts
from ..bodies.models import Body
from ..bodies.permissions import visible_bodies
from ..core.errors import NotFound
from .models import Entry, Kind


def entries_visible_to(*, user: Any) -> QuerySet[Entry]:
    return Entry.objects.filter(body__in=visible_bodies(user=user)).select_related("body", "item")


def entry_get(*, user: Any, pk: int) -> Entry:
    entry = entries_visible_to(user=user).filter(pk=pk).first()
    if entry is None:
        raise NotFound("未找到该记录")
    return entry


# Each figure of section 一 and the entries behind it: (key, kind, filter on the year)
def _in_year(year: int, *, published: bool = False) -> Q:
    return Q(published_on__year=year) if published else Q(on__year=year)


def entries_behind(*, body: Body | int, year: int, key: str) -> QuerySet[Entry]:
    """The entries a figure of :func:`outreach_facts` counts (``meetings``, ``published``, ``level:city``,
    ``topic:消防安全检查`` …): the list each number of the composer links to."""
    qs = Entry.objects.filter(body=body)
    simple = {"meetings": Kind.MEETING, "lectures": Kind.LECTURE, "trainings": Kind.TRAINING, "board": Kind.BOARD,
              "wechat": Kind.WECHAT, "weibo": Kind.WEIBO}
    if key in simple:
        return qs.filter(kind=simple[key]).filter(_in_year(year))
    if key == "submitted":
        return qs.filter(kind=Kind.MEDIA).filter(_in_year(year))
    media = qs.filter(kind=Kind.MEDIA).filter(_in_year(year, published=True))
    if key == "published":
        return media
    if key.startswith("level:"):
        return media.filter(level=key[6:])
    if key.startswith("topic:"):
        return media.filter(topic=key[6:])
    return qs.none()


def outreach_facts(*, body: Body | int, year: int) -> OutreachFacts:
    """The year's figures of ``body`` from its log (six aggregate queries)."""
    base = Entry.objects.filter(body=body)
    counts = dict(base.filter(_in_year(year)).values_list("kind").annotate(n=Count("pk")).order_by())
    media = base.filter(kind=Kind.MEDIA).filter(_in_year(year, published=True))
    levels = dict(media.values_list("level").annotate(n=Count("pk")).order_by())
    topics = (media.exclude(topic="").values("topic").annotate(n=Count("pk"), first=Min("published_on"),
                                                               first_pk=Min("pk")).order_by("first", "first_pk"))
    return OutreachFacts(
        meetings=counts.get(Kind.MEETING, 0), lectures=counts.get(Kind.LECTURE, 0),
        trainings=counts.get(Kind.TRAINING, 0), submitted=counts.get(Kind.MEDIA, 0), published=media.count(),
        by_level=tuple((code, levels[code]) for code, _ in LEVELS if levels.get(code)),
        by_topic=tuple((t["topic"], t["n"]) for t in topics),
        board=counts.get(Kind.BOARD, 0), wechat=counts.get(Kind.WECHAT, 0), weibo=counts.get(Kind.WEIBO, 0))


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: int


def figures_list(facts: OutreachFacts) -> list[Figure]:
    """The figures as the composer and the supervisors' table show them, each with the key of its entries."""
    out = [Figure("meetings", "政策会议（场次）", facts.meetings), Figure("lectures", "宣传讲座（场次）", facts.lectures),
           Figure("trainings", "培训（场次）", facts.trainings), Figure("submitted", "媒体投稿（篇）", facts.submitted),
           Figure("published", "媒体刊登（篇）", facts.published)]
    out += [Figure(f"level:{code}", f"　其中{label}（篇）", facts.level(code)) for code, label in LEVELS]
    out += [Figure(f"topic:{t}", f"　类别：{t}（篇）", n) for t, n in facts.by_topic]
    out += [Figure("board", "公告栏公示（次）", facts.board), Figure("wechat", "微信公众号文章（篇）", facts.wechat),
            Figure("weibo", "微博（条）", facts.weibo)]
    return out


COLUMNS = ("meetings", "lectures", "trainings", "submitted", "published", "level:central", "level:provincial",
           "level:city", "level:district", "board", "wechat", "weibo")


def _value(facts: OutreachFacts, key: str) -> int:
    if key.startswith("level:"):
        return facts.level(key[6:])
    return int(getattr(facts, key))


def supervision_figures(*, user: Any, year: int) -> dict[str, Any]:
    """Every body the user sees with its figures for ``year``, and the sum over them (a supervisor's 督查 role
    shows the bodies below theirs)."""
    rows = []
    total = dict.fromkeys(COLUMNS, 0)
    for body in visible_bodies(user=user).order_by("path"):
        facts = outreach_facts(body=body, year=year)
        values = [(key, _value(facts, key)) for key in COLUMNS]
        for key, v in values:
            total[key] += v
        rows.append({"body": body, "values": values, "facts": facts})
    return {"rows": rows, "total": [(key, total[key]) for key in COLUMNS], "columns": COLUMNS}
