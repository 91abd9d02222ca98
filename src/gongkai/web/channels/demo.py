"""Demo channel log: 七政街道's 2023 as its annual report tells it (section 一: 政策会议21场次，宣传讲座11场次，平均每月
投稿10余篇，刊登101篇，其中省级媒体11篇、市级媒体15篇，五个类别，公告栏公示36次), entered through the services, so the
composer reproduces the report's sentences; and a few entries of this year linked to published catalog items."""
from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from ..bodies.models import Body
from ..catalog.models import Item, ItemState
from . import services as s
from .models import Kind, MediaLevel

YEAR = 2023
MEETINGS, LECTURES, BOARD, SUBMITTED = 21, 11, 36, 130
# topics as the 2023 report names them, in the order it names them, with the 刊登 count of each
TOPICS = (("解决百姓民生问题", 36), ("消防安全检查", 22), ("垃圾分类信息", 10), ("清冰雪信息", 6), ("组织开展文艺活动类信息", 18))
UNTOPICAL = 9  # 101 published - the 92 of the five topics
LEVELS = ((MediaLevel.PROVINCIAL, 11), (MediaLevel.CITY, 15), (MediaLevel.DISTRICT, 75))
OUTLETS = {MediaLevel.PROVINCIAL: ("黑龙江日报", "东北网"), MediaLevel.CITY: ("哈尔滨日报", "哈尔滨新闻网"),
           MediaLevel.DISTRICT: ("南岗区融媒体中心", "南岗发布")}
MEETING_TOPICS = ("《政府信息公开条例》学习贯彻会议", "政务公开工作推进会", "基层政务公开标准化规范化工作会议",
                  "社区政务公开工作部署会", "老旧小区改造政策宣讲会议", "最低生活保障政策会议", "安全生产政策会议")
LECTURE_TOPICS = ("政务公开进社区宣传讲座", "《条例》知识宣传讲座", "垃圾分类知识讲座", "消防安全知识讲座")
BOARD_TOPICS = ("最低生活保障对象公示", "临时救助对象公示", "社区网格员招聘公告", "老旧小区改造项目公示",
                "城市管理行政处罚结果公示", "困难群众帮扶名单公示")
BOARD_PLACES = ("街道办事处一楼公告栏", "宣化社区公告栏", "文化社区公告栏", "木兰社区公告栏")


def _day(i: int, n: int, *, start: int = 3, span: int = 355) -> dt.date:
    """The i-th of n dates spread over the year (from 3 January)."""
    return dt.date(YEAR, 1, 1) + dt.timedelta(days=start + (span * i) // n)


def load_channels_demo(*, bodies: dict[str, Body], users: dict[str, Any], seed: int = 2023) -> int:
    """Create the demo log; returns the number of entries."""
    rng = random.Random(seed)
    body, clerk = bodies["七政"], users["dengji"]
    made = 0
    for i in range(MEETINGS):
        s.entry_create(body=body, actor=clerk, kind=Kind.MEETING, title=MEETING_TOPICS[i % len(MEETING_TOPICS)],
                       on=_day(i, MEETINGS, start=10), attendees=rng.randint(15, 60))
        made += 1
    for i in range(LECTURES):
        s.entry_create(body=body, actor=clerk, kind=Kind.LECTURE, title=LECTURE_TOPICS[i % len(LECTURE_TOPICS)],
                       on=_day(i, LECTURES, start=20), attendees=rng.randint(30, 120))
        made += 1
    for i in range(BOARD):
        on = _day(i, BOARD)
        s.entry_create(body=body, actor=clerk, kind=Kind.BOARD, title=f"{on.month}月{BOARD_TOPICS[i % len(BOARD_TOPICS)]}",
                       on=on, removed_on=on + dt.timedelta(days=7), place=BOARD_PLACES[i % len(BOARD_PLACES)])
        made += 1
    made += _media(body, clerk, rng)
    made += _this_year(body, clerk)
    return made


def _media(body: Body, clerk: Any, rng: random.Random) -> int:
    published_total = sum(n for _, n in LEVELS)
    # topics: taken in turn while any is left, so each first appears in the report's order; the untopical last
    left = dict(TOPICS)
    topics: list[str] = []
    while any(left.values()):
        for topic, _ in TOPICS:
            if left[topic]:
                topics.append(topic)
                left[topic] -= 1
    topics += [""] * UNTOPICAL
    levels = [level for level, n in LEVELS for _ in range(n)]
    rng.shuffle(levels)
    unpublished = set(rng.sample(range(SUBMITTED), SUBMITTED - published_total))
    k = 0
    for i in range(SUBMITTED):
        on = _day(i, SUBMITTED, span=350)
        if i in unpublished:
            s.entry_create(body=body, actor=clerk, kind=Kind.MEDIA, title=f"七政街道工作动态稿件（{on:%m月%d日}）",
                           on=on, outlet="哈尔滨日报", level=MediaLevel.CITY, topic="")
            continue
        topic, level = topics[k], levels[k]
        k += 1
        s.entry_create(body=body, actor=clerk, kind=Kind.MEDIA,
                       title=f"七政街道{topic.replace('信息', '').replace('类', '') or '工作动态'}（{on:%m月%d日}）",
                       on=on, published_on=on + dt.timedelta(days=2), outlet=OUTLETS[level][k % 2], level=level,
                       topic=topic)
    return SUBMITTED


def _this_year(body: Body, clerk: Any) -> int:
    """A 公告栏 posting and a 公众号 article of this year, for published items (the helpers' log)."""
    items = list(Item.objects.filter(body=body, state=ItemState.PUBLISHED, disclosure="proactive")
                 .order_by("-published_at")[:2])
    today = timezone.localdate()
    made = 0
    for item, kind in zip(items, (Kind.BOARD, Kind.WECHAT), strict=False):
        on = min(today, timezone.localdate(item.published_at) + dt.timedelta(days=1))
        s.entry_create(body=body, actor=clerk, kind=kind, title=item.title, on=on, item=item,
                       place="街道办事处一楼公告栏" if kind == Kind.BOARD else "",
                       link="https://mp.weixin.qq.com/s/qizheng-demo" if kind == Kind.WECHAT else "")
        made += 1
    return made
