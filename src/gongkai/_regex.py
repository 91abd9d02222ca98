"""Regex helpers for long texts: a pattern that does not start with a literal is tried at every position of the
text by Python's engine; searching only near a literal every match contains is much cheaper, and exact."""
from __future__ import annotations

import re
from collections.abc import Iterator

Anchor = tuple[str, int]  # (a literal every match contains, the most characters a match has before it)


def anchor(pattern: str) -> Anchor:
    """The longest run of plain characters at the top level of ``pattern`` (outside groups, alternatives and
    repeats), which every match therefore contains, and the widest the part before it can be. ("", 0) when
    there is none, the part before it is unbounded, or the pattern cannot be taken apart.

    Python's regex engine tries a pattern at every position of a text unless the pattern starts with a literal
    (``(被申请|提起)?行政复议…`` does not): :func:`finditer` searches only near the literal instead."""
    literal, before = _top_literal(pattern)
    return (literal, before) if literal and before <= 200 else ("", 0)


def required(pattern: str) -> str:
    """A literal every match of ``pattern`` contains ("" if none is found): a text without it has no match."""
    return _top_literal(pattern)[0]


def _top_literal(pattern: str) -> tuple[str, int]:
    try:
        from re import _parser  # the standard library's regex parser; only its parse tree is read
        parsed = _parser.parse(pattern)
        best, best_at, run, run_at = "", 0, "", 0
        for i, (op, arg) in enumerate(parsed):
            if op is _parser.LITERAL:
                if not run:
                    run_at = i
                run += chr(arg)
                if len(run) > len(best):
                    best, best_at = run, run_at
            else:
                run = ""
        if not best:
            return "", 0
        return best, _parser.SubPattern(parsed.state, parsed.data[:best_at]).getwidth()[1]
    except Exception:  # noqa: BLE001 - no literal: the plain search, always correct
        return "", 0


def finditer(pattern: re.Pattern[str], anchored: Anchor, text: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, searching only where the anchor's literal is.

    Exact: a match from ``pos`` on contains the literal at most ``before`` characters after its start, so it
    cannot start before ``i - before`` where ``i`` is the literal's first place at or after ``pos``; a search
    from there finds the same leftmost match (lookbehinds still see the text before the start). No match is
    empty (each contains the literal), so the next search starts at the match's end, as finditer does."""
    literal, before = anchored
    if not literal:
        yield from pattern.finditer(text)
        return
    pos = 0
    while True:
        i = text.find(literal, pos)
        if i < 0:
            return
        m = pattern.search(text, max(pos, i - before))
        if m is None:
            return
        yield m
        pos = m.end()


__all__ = ["Anchor", "anchor", "finditer", "required"]
