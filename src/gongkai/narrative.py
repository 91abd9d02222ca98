"""Numbers stated in a report's narrative (共收到申请N件 …), for W1 and for the reader's repair.

The phrases live in :mod:`gongkai.formats.vocab`; this module only applies them.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ._nfkc import nfkc
from ._regex import Anchor, anchor, finditer
from .formats.vocab import NARRATIVE_FACTS, NO_APPLICATIONS
from .report import NarrativeFact, Report

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, Anchor, re.Pattern[str]]]:
    return [(key, anchor(p), re.compile(p)) for key, p in NARRATIVE_FACTS]


@lru_cache(maxsize=1)
def _no_applications() -> tuple[Anchor, re.Pattern[str]]:
    return anchor(NO_APPLICATIONS), re.compile(NO_APPLICATIONS)


_CN_COUNT = re.compile(r"[零〇一二两三四五六七八九十][件起宗个份]")


def _cn_small_numbers(text: str) -> str:
    """Turn small Chinese numerals before a measure word into digits (三件 → 3件, 十二件 → 12件)."""
    def repl(m: re.Match[str]) -> str:
        s = m.group(1)
        if "十" in s:
            tens, _, ones = s.partition("十")
            n = (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
        else:
            n = _CN_DIGITS[s]
        return f"{n}{m.group(2)}"
    if not _CN_COUNT.search(text):  # every replacement ends in a numeral then a measure word: none, nothing to do
        return text
    return re.sub(r"(?<![\d一二三四五六七八九十])([零〇一二两三四五六七八九]|[一二三四五六七八九]?十[一二三四五六七八九]?)([件起宗个份])",
                  repl, text)


def extract_facts(text: str) -> list[NarrativeFact]:
    """Every narrative fact in ``text``, in order of appearance (a key may appear more than once)."""
    if not text:
        return []
    return list(_extract_facts(text))


@lru_cache(maxsize=256)  # the reader and the checks read the same section texts (the facts are frozen)
def _extract_facts(text: str) -> tuple[NarrativeFact, ...]:
    norm = nfkc(text)
    norm = _cn_small_numbers(norm.replace(" ", "").replace("\t", "").replace("\u3000", ""))
    found: list[tuple[int, NarrativeFact]] = []
    for key, anchored, pattern in _patterns():
        for m in finditer(pattern, anchored, norm):
            found.append((m.start(), NarrativeFact(key=key, value=int(m.group("n")), text=m.group(0)[:80])))
    anchored, none = _no_applications()
    for m in finditer(none, anchored, norm):
        found.append((m.start(), NarrativeFact(key="s3.new.total", value=0, text=m.group(0)[:80])))
    found.sort(key=lambda t: t[0])
    seen: set[tuple[str, int, str]] = set()
    out = []
    for _, f in found:
        sig = (f.key, f.value, f.text)
        if sig not in seen:
            seen.add(sig)
            out.append(f)
    return tuple(out)


def report_facts(report: Report) -> list[NarrativeFact]:
    """The report's narrative facts: those the reader recorded, else extracted from its section texts."""
    if report.narrative:
        return list(report.narrative)
    return [f for s in report.sections for f in extract_facts(s.text)]


__all__ = ["extract_facts", "report_facts"]
