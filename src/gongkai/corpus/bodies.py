"""Bodies across years: one body under the names it prints, with a stable id.

A report prints its body's name in many ways: 淮安市洪泽区人民政府 one year, 洪泽区人民政府 the next (全称/简称),
南岗区七政街道办事处 or 七政街道, 洪泽区政府, Traditional characters (臺北市政府 → 台北市人民政府 is *not* done: only
the script is folded). :func:`name_key` folds a printed name to a comparable key; :func:`assign` groups keys into
bodies: a key that is another key with a region prefix dropped (淮安市 + 洪泽区人民政府) is the same body, unless
the short key fits more than one body (鼓楼区人民政府 under 南京市 and 福州市): then it stays apart, never guessed.
Ids come from the key of a body's first-seen name and are kept across builds through the alias table (``known``).
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

_REGION = r"(?:.{1,10}?(?:特别行政区|自治区|自治州|自治县|地区|省|市|州|盟|县|区|旗))"
_REGION_PREFIX = re.compile(rf"^{_REGION}+$")
_PUNCT = re.compile(r"[\s\u3000·•．.、，,（）()〔〕\[\]【】“”\"'《》<>:：;；\-—_/]+")
_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"街道办事处$"), "街道"),
    (re.compile(r"管委会$"), "管理委员会"),
    (re.compile(r"(?<=[省市县区旗州镇乡])政府$"), "人民政府"),
    (re.compile(r"(?<=[镇乡])(人民政府)$"), ""),  # 某某镇人民政府 ≡ 某某镇
    (re.compile(r"(政府信息公开|政务公开)?(工作)?(年度)?报告$"), ""),
)
_REGION_OF = re.compile(r"^(.{2,10}?(?:特别行政区|自治区|省|市|自治州|州|盟|地区|县|区|旗))")


@lru_cache(maxsize=1)
def _t2s():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """The comparable form of a printed name: Simplified, NFKC, no spaces or punctuation, 街道办事处 → 街道,
    管委会 → 管理委员会, 区政府 → 区人民政府, 镇人民政府 → 镇."""
    text = _t2s().convert(unicodedata.normalize("NFKC", name or ""))
    text = _PUNCT.sub("", text)
    for pattern, repl in _REWRITES:
        text = pattern.sub(repl, text)
    return text


def region_of(name: str) -> str | None:
    """The first administrative division a name starts with (淮安市洪泽区人民政府 → 淮安市)."""
    m = _REGION_OF.match(name_key(name))
    return m.group(1) if m else None


def body_id(key: str) -> str:
    return "b" + hashlib.sha1(key.encode()).hexdigest()[:12]


@dataclass
class Body:
    id: str
    name: str  # the fullest printed name
    keys: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)


def _shortens(long: str, short: str) -> bool:
    """``short`` is ``long`` without a leading region prefix (淮安市 + 洪泽区人民政府)."""
    return len(long) > len(short) and long.endswith(short) and bool(_REGION_PREFIX.match(long[: -len(short)]))


def assign(names: Iterable[str], known: Mapping[str, str] | None = None) -> dict[str, Body]:
    """Group printed names into bodies: {printed name: Body}. ``known`` maps keys to ids from earlier builds."""
    known = dict(known or {})
    by_key: dict[str, set[str]] = {}
    for n in names:
        if n:
            by_key.setdefault(name_key(n), set()).add(n)
    for k in known:
        by_key.setdefault(k, set())
    keys = sorted(by_key, key=lambda k: (-len(k), k))  # the longest (fullest) first
    parent: dict[str, str] = {k: k for k in keys}

    def root(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for short in keys:
        longer = {root(k) for k in keys if _shortens(k, short)}
        if len(longer) == 1:
            parent[root(short)] = longer.pop()
    # ids: a group keeps an id it had (the first known key in order), else one from its fullest key
    groups: dict[str, list[str]] = {}
    for k in keys:
        groups.setdefault(root(k), []).append(k)
    out: dict[str, Body] = {}
    for r, members in groups.items():
        ids = [known[k] for k in members if k in known]
        printed = sorted({n for k in members for n in by_key[k]},
                         key=lambda n: (-len(n), _t2s().convert(n) != n, n))  # the fullest, Simplified first
        body = Body(id=ids[0] if ids else body_id(r), name=printed[0] if printed else r, keys=set(members),
                    names=set(printed))
        for n in printed:
            out[n] = body
    return out


__all__ = ["Body", "assign", "body_id", "name_key", "region_of"]
