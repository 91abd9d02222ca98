"""Small text helpers shared by the document readers (not the shared normalisation stage).

* :func:`normalize_cjk` — Kangxi radicals and CJK compatibility ideographs, which PDF text layers and
  some word processors emit (``⼀`` U+2F00 for ``一``), become the unified ideographs they stand for;
* :func:`join_lines` — the lines of one table cell or one wrapped label as one string: no space where a
  CJK character meets the line break (``结果`` / ``维持`` → ``结果维持``), one space otherwise.
"""
from __future__ import annotations

import re
import unicodedata

_COMPAT_RANGES = ((0x2E80, 0x2EFF), (0x2F00, 0x2FDF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F))
_COMPAT_MAP: dict[int, str] = {}
for _lo, _hi in _COMPAT_RANGES:
    for _cp in range(_lo, _hi + 1):
        _norm = unicodedata.normalize("NFKC", chr(_cp))
        if _norm != chr(_cp):
            _COMPAT_MAP[_cp] = _norm


_COMPAT_RE = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")
_SPACE_RE = re.compile(r"[\s\u3000\xa0]")


def normalize_cjk(text: str) -> str:
    """Kangxi radicals and CJK compatibility ideographs → unified ideographs; nothing else changes."""
    return text.translate(_COMPAT_MAP) if _COMPAT_RE.search(text) else text


def is_cjk(ch: str) -> bool:
    """A CJK ideograph or full-width punctuation/form: no space belongs beside it."""
    return ("\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef"
            or "\u3000" <= ch <= "\u303f" or "\u201c" <= ch <= "\u201d")


def squash(text: str) -> str:
    """Collapse whitespace runs (NBSP and ideographic space included) to one space; none between two CJK."""
    if not _SPACE_RE.search(text):
        return text
    out = ""
    for part in text.replace("\u3000", " ").replace("\xa0", " ").split():
        if out:
            out += "" if (is_cjk(out[-1]) and is_cjk(part[0])) else " "
        out += part
    return out


def join_lines(lines: list[str], *, sep_cjk: str = "") -> str:
    out = ""
    for piece in lines:
        piece = piece.strip()
        if not piece:
            continue
        if out:
            out += sep_cjk if (is_cjk(out[-1]) or is_cjk(piece[0])) else " "
        out += piece
    return out


__all__ = ["is_cjk", "join_lines", "normalize_cjk", "squash"]
