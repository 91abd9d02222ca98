"""Normalisation for matching (V7, V8, V12, V13): never for display.

Two forms:

* :func:`fold` keeps the text's length-independent content but makes it comparable: Traditional →
  Simplified (opencc ``t2s``), NFKC (full-width → half-width, Kangxi radicals U+2F00–U+2FDF → their
  CJK ideographs), unified quotes and brackets, ``<br>`` and runs of whitespace to one space.
* :func:`label_key` is what labels are compared on: the folded text without whitespace, without
  the leading numbering (一、 （一） 1. 1、 1．) and without parenthetical annotations.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

from .._nfkc import nfkc

_T2S = opencc.OpenCC("t2s")

_BR = re.compile(r"<br\s*/?>|</?(?:b|i|u|em|strong|del|ins|span|sup|sub|p)\b[^>]*>", re.IGNORECASE)
_SPACE = re.compile(r"[ \t\u3000\xa0\u2002-\u200b]+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"', "『": '"', "』": '"',
                         "〔": "[", "〕": "]", "【": "[", "】": "]", "﹝": "[", "﹞": "]", "．": ".", "。": "。",
                         "－": "-", "—": "-", "–": "-", "―": "-", "／": "/"})
_QUOTES_AND_SPACES = {**_QUOTES, ord("\t"): " ", ord("\u3000"): " ", ord("\xa0"): " "}
_QUOTES_STR = {chr(k): v for k, v in _QUOTES.items()}
_QUOTES_RX = re.compile("[" + "".join(re.escape(chr(k)) for k in _QUOTES) + "]")
_QUOTES_AND_SPACES_STR = {chr(k): v for k, v in _QUOTES_AND_SPACES.items()}
_QUOTES_AND_SPACES_RX = re.compile("[" + "".join(re.escape(chr(k)) for k in _QUOTES_AND_SPACES) + "]")
_CN_NUM = "一二三四五六七八九十"
_NUMBERING = re.compile(
    rf"^\s*(?:[{_CN_NUM}]+\s*[、.,]|\(\s*[{_CN_NUM}]+\s*\)|\d{{1,2}}\s*[.、,](?!\d))\s*")
_PAREN = re.compile(r"\([^()]*\)")
_NON_WORD = re.compile(r"[\s\"'“”‘’,，。:：;；、._\-—·|/\\*#]+")


def fold(text: str) -> str:
    """Traditional → Simplified, NFKC, unified quotes/dashes, whitespace collapsed (length may change)."""
    if not text:
        return ""
    if len(text) <= 64:
        return _fold_short(text)
    return _fold(text)


@lru_cache(maxsize=16384)
def _fold_short(text: str) -> str:
    return _fold(text)


def _fold(text: str) -> str:
    if "<" in text:  # every alternative of _BR starts with "<"
        text = _BR.sub(" ", text)
    text = nfkc(text)
    text = _T2S.convert(text)
    text = _replace_all(text, _QUOTES_RX, _QUOTES_STR)
    return collapse_spaces(text).strip()


_OTHER_SPACES = re.compile(r"[\t\u3000\xa0\u2002-\u200b]")


def collapse_spaces(text: str) -> str:
    """``_SPACE.sub(" ", text)``: each run of spaces and tabs (also ideographic, no-break and the typographic
    spaces) to one space. When plain spaces are the only kind in the text (the common case, and always after
    NFKC but for tabs and U+200B), doubled spaces are halved with str.replace until none is left: the same
    result, without a regex match per space (a table row printed in text has hundreds)."""
    if _OTHER_SPACES.search(text) is None:
        while "  " in text:
            text = text.replace("  ", " ")
        return text
    return _SPACE.sub(" ", text)


# The quote table, for long texts: ``str.translate`` costs a dict lookup per character (~45 ns); a report's
# preamble is thousands of characters, folded whole.
def _replace_all(text: str, rx: re.Pattern[str], table: dict[str, str]) -> str:
    """``text.translate(table)`` for a table of single characters (one pass: a replacement is not replaced
    again), by a regex over the table's keys: the characters to replace are few in a text."""
    return rx.sub(lambda m: table[m.group()], text)


def fold_keep_length(text: str) -> str:
    """Like :func:`fold` but one output character per input character (positions stay valid).

    Characters whose NFKC form is longer than one character are kept as they are; opencc is used
    only when it keeps the length.
    """
    if len(text) <= 64:  # labels and cells, which recur in every report (as for fold)
        return _fold_keep_length_short(text)
    return _fold_keep_length(text)


@lru_cache(maxsize=16384)
def _fold_keep_length_short(text: str) -> str:
    return _fold_keep_length(text)


def _fold_keep_length(text: str) -> str:
    s = nfkc(text)
    if len(s) != len(text):
        out = []
        for ch in text:
            n = unicodedata.normalize("NFKC", ch)
            out.append(n if len(n) == 1 else ch)
        s = "".join(out)
    t = _T2S.convert(s)
    if len(t) == len(s):
        s = t
    return _replace_all(s, _QUOTES_AND_SPACES_RX, _QUOTES_AND_SPACES_STR)


@lru_cache(maxsize=4096)
def label_key(text: str, *, keep_numbering: bool = False) -> str:
    """The comparable form of a label: folded, numbering and parentheticals removed, no spaces."""
    s = fold(text)
    s = s.replace("[", "(").replace("]", ")")
    if not keep_numbering:
        # numbering can be repeated when a group label precedes a leaf label (（三）不予公开 1.属于…)
        for _ in range(3):
            s2 = _NUMBERING.sub("", s)
            if s2 == s:
                break
            s = s2
    prev = None
    while prev != s:
        prev, s = s, _PAREN.sub("", s)
    s = re.sub(r"\([^()]*$", "", s)  # an unclosed annotation at the end
    return _NON_WORD.sub("", s)


@lru_cache(maxsize=4096)
def leading_number(text: str) -> str | None:
    """The numbering a label starts with, canonical: "一", "(一)", "1" (None if none)."""
    s = fold(text)
    m = re.match(rf"^\s*(?:([{_CN_NUM}]+)\s*[、.,]|\(\s*([{_CN_NUM}]+)\s*\)|(\d{{1,2}})\s*[.、,](?!\d))", s)
    if not m:
        return None
    if m.group(1):
        return m.group(1)
    if m.group(2):
        return f"({m.group(2)})"
    return m.group(3)


_CJK = re.compile(r"[\u4e00-\u9fff]")


def cjk_count(text: str) -> int:
    return len(_CJK.findall(text))


__all__ = ["cjk_count", "fold", "fold_keep_length", "label_key", "leading_number", "nfkc"]
