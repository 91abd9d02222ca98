"""The office's other channels in section 一: meetings, lectures, media, 公告栏, 公众号 and 微博.

An annual report's section 一 usually states what the office did besides the portal (七政街道 2023:
「全年共召开相关政策会议21场次，宣传讲座11场次。…平均每月投稿10余篇，刊登101篇。其中省级媒体刊登11篇，市级媒体刊登
15篇，包括解决百姓民生问题36篇、…以公告栏的形式公示了36次。」). The web app keeps a log of these events and
counts them into :class:`OutreachFacts`; this module turns the facts into those sentences (:func:`sentences`)
and reads such numbers back from a narrative (:func:`stated`), so that check W10 can flag a number that differs
from the log. Pure Python: no Django, no I/O.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

# media levels as the log stores them, in the order a report names them; 区级 is the remainder and not named
LEVELS: tuple[tuple[str, str], ...] = (("central", "中央媒体"), ("provincial", "省级媒体"), ("city", "市级媒体"),
                                       ("district", "区级媒体"))
NAMED_LEVELS = ("central", "provincial", "city")


class OutreachFacts(BaseModel):
    """One body's outreach of one year, counted from its channel log."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    meetings: int = 0  # 政策会议 held
    lectures: int = 0  # 宣传讲座 held
    trainings: int = 0  # 培训 held
    submitted: int = 0  # media submissions sent in the year
    published: int = 0  # media submissions published (刊登) in the year
    by_level: tuple[tuple[str, int], ...] = ()  # (level code, published), in LEVELS order, zeros left out
    by_topic: tuple[tuple[str, int], ...] = ()  # (topic, published), in order of first publication
    board: int = 0  # 公告栏 postings
    wechat: int = 0  # 微信公众号 articles
    weibo: int = 0  # 微博 posts

    @property
    def empty(self) -> bool:
        return not any((self.meetings, self.lectures, self.trainings, self.submitted, self.published, self.board,
                        self.wechat, self.weibo))

    def level(self, code: str) -> int:
        return dict(self.by_level).get(code, 0)


def monthly(submitted: int) -> str:
    """How a report says the monthly average of submissions: ``10余篇`` for 130 a year, ``约3篇``, ``5篇``."""
    avg = submitted / 12
    if submitted % 12 == 0:
        return f"{submitted // 12}篇"
    if avg >= 10:
        return f"{int(avg) // 10 * 10}余篇"
    return f"约{max(1, round(avg))}篇"


def sentences(f: OutreachFacts) -> tuple[str, str]:
    """The sentences of section 一 from the log: (the overview's, the 平台建设 paragraph's). Either may be empty."""
    parts: list[str] = []
    events = []
    if f.meetings:
        events.append(f"召开相关政策会议{f.meetings}场次")
    if f.lectures:
        events.append(f"宣传讲座{f.lectures}场次" if events else f"举办宣传讲座{f.lectures}场次")
    if f.trainings:
        events.append(f"开展培训{f.trainings}场次")
    if events:
        parts.append("全年共" + "，".join(events) + "。")
    if f.submitted or f.published:
        media = (f"平均每月投稿{monthly(f.submitted)}" if f.submitted >= 24
                 else f"全年投稿{f.submitted}篇" if f.submitted else "")
        media += ("，" if media else "全年在媒体") + f"刊登{f.published}篇。"
        levels = [f"{label}刊登{f.level(code)}篇" for code, label in LEVELS if code in NAMED_LEVELS and f.level(code)]
        topics = "、".join(f"{topic}{n}篇" for topic, n in f.by_topic if n)
        if f.published and (levels or topics):
            media += "其中" + "，".join(levels) + (("，包括" if levels else "") + topics if topics else "") + "。"
        parts.append(media)
    if f.board:
        parts.append(f"以公告栏的形式公示了{f.board}次。")
    platforms = []
    if f.wechat:
        platforms.append(f"通过微信公众号发布信息{f.wechat}篇")
    if f.weibo:
        platforms.append(f"通过微博发布信息{f.weibo}条")
    return "".join(parts), ("全年" + "，".join(platforms) + "。") if platforms else ""


# --- reading the numbers back -------------------------------------------------------------------
@dataclass(frozen=True)
class Stated:
    """A number the narrative states about the log: ``key`` (as :func:`logged` knows it), the value, the words."""

    key: str
    value: int
    text: str
    qualifier: str = ""  # 余 / 约, for the monthly average


_PATTERNS: tuple[tuple[str, str], ...] = (
    ("meetings", r"政策会议(?:共)?(\d+)场"),
    ("lectures", r"宣传讲座(?:共)?(\d+)场"),
    ("trainings", r"培训(?:会)?(?:共)?(\d+)场"),
    ("monthly", r"每月(?:平均)?投稿(约)?(\d+)(余)?篇"),
    ("submitted", r"(?<!每月)(?<!月均)投稿(?:共|共计)?(\d+)篇"),
    ("published", r"(?<!级媒体)(?<!央媒体)刊登(?:了)?(?:共|共计)?(\d+)篇"),
    ("level:central", r"中央(?:级)?媒体(?:共)?刊登(?:了)?(\d+)篇"),
    ("level:provincial", r"省级(?:以上)?媒体(?:共)?刊登(?:了)?(\d+)篇"),
    ("level:city", r"市级媒体(?:共)?刊登(?:了)?(\d+)篇"),
    ("level:district", r"区级媒体(?:共)?刊登(?:了)?(\d+)篇"),
    ("board", r"公告栏[^。；;\d]{0,12}?(\d+)次"),
    ("wechat", r"微信公众号[^。；;，,\d]{0,12}?(\d+)[篇条期]"),
    ("weibo", r"微博[^。；;，,\d]{0,12}?(\d+)[篇条]"),
)


def _normal(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def stated(text: str, *, topics: tuple[str, ...] = ()) -> list[Stated]:
    """Every number ``text`` states about the channels, in order; ``topics`` are the log's topics to look for
    (「解决百姓民生问题36篇」)."""
    norm = _normal(text)
    found: list[tuple[int, Stated]] = []
    for key, pattern in _PATTERNS:
        for m in re.finditer(pattern, norm):
            if key == "monthly":
                qual = (m.group(1) or "") + (m.group(3) or "")
                found.append((m.start(), Stated(key=key, value=int(m.group(2)), text=m.group(0), qualifier=qual)))
            else:
                found.append((m.start(), Stated(key=key, value=int(m.group(1)), text=m.group(0))))
    for topic in topics:
        t = _normal(topic)
        if not t:
            continue
        for m in re.finditer(re.escape(t) + r"(?:类)?(?:信息)?(\d+)篇", norm):
            found.append((m.start(), Stated(key=f"topic:{topic}", value=int(m.group(1)), text=m.group(0))))
    found.sort(key=lambda p: p[0])
    return [s for _, s in found]


LABELS = {"meetings": "政策会议场次", "lectures": "宣传讲座场次", "trainings": "培训场次", "submitted": "媒体投稿篇数",
          "published": "媒体刊登篇数", "board": "公告栏公示次数", "wechat": "微信公众号发布篇数", "weibo": "微博发布条数",
          **{f"level:{code}": f"{label}刊登篇数" for code, label in LEVELS}}


def label(key: str) -> str:
    if key.startswith("topic:"):
        return f"“{key[6:]}”类稿件刊登篇数"
    return LABELS.get(key, key)


def logged(f: OutreachFacts, key: str) -> int | None:
    """The log's figure for ``key`` (``None`` for a key the log does not know)."""
    if key.startswith("level:"):
        return f.level(key[6:])
    if key.startswith("topic:"):
        return dict(f.by_topic).get(key[6:], 0)
    value = getattr(f, key, None)
    return value if isinstance(value, int) else None


def monthly_agrees(s: Stated, submitted: int) -> bool:
    """Whether 「平均每月投稿10余篇」 (or 约N篇, N篇) agrees with ``submitted`` a year."""
    avg = submitted / 12
    if "余" in s.qualifier:
        step = 10 if s.value % 10 == 0 and s.value else 1
        return s.value <= avg < s.value + step
    if "约" in s.qualifier:
        return abs(avg - s.value) <= 1
    return s.value <= avg < s.value + 1


@dataclass(frozen=True)
class Mismatch:
    key: str
    stated: Stated
    logged: int
    message: str


def mismatches(text: str, facts: OutreachFacts) -> list[Mismatch]:
    """The numbers of ``text`` that differ from ``facts`` (check W10)."""
    out = []
    for s in stated(text, topics=tuple(t for t, _ in facts.by_topic)):
        if s.key == "monthly":
            if not monthly_agrees(s, facts.submitted):
                out.append(Mismatch(key="submitted", stated=s, logged=facts.submitted,
                                    message=f"正文「{s.text}」与渠道台账不符：台账全年投稿{facts.submitted}篇，"
                                            f"平均每月{facts.submitted / 12:.1f}篇"))
            continue
        value = logged(facts, s.key)
        if value is None or value == s.value:
            continue
        out.append(Mismatch(key=s.key, stated=s, logged=value,
                            message=f"正文「{s.text}」写 {s.value}，渠道台账{label(s.key)}为 {value}"))
    return out


__all__ = ["LEVELS", "Mismatch", "OutreachFacts", "Stated", "label", "logged", "mismatches", "monthly", "sentences",
           "stated"]
