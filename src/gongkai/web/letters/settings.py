"""A body's letter settings: the 发文字号 prefix, the 复议机关 and the court, stored on the body or inferred.

Inferred (until the body's 管理员 confirms them on the settings page; the gate warns, L2):

* 复议机关 (《中华人民共和国行政复议法》2023 第二十四条): a department of a local government → that government
  (本级人民政府); a 乡镇 government or a 街道办事处 (派出机关) → the government above it / that set it up;
  a 县级以上 local government → the government one level up; a provincial government and a 国务院部门 → itself.
  In the tree: the nearest ancestor that is a government, else the body itself.
* court (《中华人民共和国行政诉讼法》第十四、十五、十八条): the 基层人民法院 where the body sits — the county-level
  government's name with 人民政府 → 人民法院; a 县级以上地方人民政府 as defendant goes to the 中级人民法院 (its
  prefecture's). Many places concentrate administrative cases in one court (集中管辖): hence editable.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..bodies.models import Body

GOV = "government"
COURT_BY_LEVEL = {"county": "人民法院", "prefecture": "中级人民法院"}


@dataclass(frozen=True)
class LetterSettings:
    prefix: str
    review_authority: str
    court: str
    inferred: tuple[str, ...]  # which of the three were inferred: "prefix", "review_authority", "court"


def _ancestors(body: Body) -> list[Body]:
    ids = [int(x) for x in body.path.strip("/").split("/") if x]
    found = {b.pk: b for b in Body.objects.filter(pk__in=ids)}
    return [found[i] for i in reversed(ids) if i in found and i != body.pk]  # nearest first


def infer_review_authority(body: Body) -> str:
    """The 复议机关, or "" when the tree does not hold it (the gate then blocks until it is set)."""
    if body.level == "national" or (body.kind == GOV and body.level == "provincial"):
        return body.name
    return next((up.name for up in _ancestors(body) if up.kind == GOV), "")


def infer_court(body: Body) -> str:
    """The court of first instance, or "" when the tree does not name it."""
    government_defendant = body.kind == GOV and body.level in ("county", "prefecture", "provincial")
    want = "prefecture" if government_defendant else "county"
    for b in [body, *_ancestors(body)]:
        if b.kind == GOV and b.level == want and b.name.endswith("人民政府"):
            return b.name.removesuffix("人民政府") + COURT_BY_LEVEL[want]
    return ""


def letter_settings(body: Body) -> LetterSettings:
    inferred = []
    prefix = body.letter_prefix.strip()
    if not prefix:
        prefix, _ = f"{body.short_name}公开", inferred.append("prefix")
    authority = body.review_authority.strip()
    if not authority:
        authority, _ = infer_review_authority(body), inferred.append("review_authority")
    court = body.court.strip()
    if not court:
        court, _ = infer_court(body), inferred.append("court")
    return LetterSettings(prefix, authority, court, tuple(inferred))
