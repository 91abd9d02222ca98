"""Word's automatic numbering, rendered: the ``一、`` / ``（二）`` / ``3.`` that Word draws but never stores.

A report written with a multi-level list has headings such as ``一、总体情况`` whose ``一、`` lives only in
``numbering.xml``. :class:`Numbering` replays the counters in document order and gives each numbered
paragraph its label (``w:numPr`` on the paragraph, or on its paragraph style).
"""
from __future__ import annotations

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

_CN_DIGITS = "〇一二三四五六七八九"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def chinese_counting(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一, 105 → 一百零五 (as Word's chineseCounting)."""
    if n <= 0:
        return str(n)
    if n >= 10000:
        return str(n)
    out = ""
    units = ((1000, "千"), (100, "百"), (10, "十"))
    zero = False
    for value, name in units:
        digit, n = divmod(n, value)
        if digit:
            if zero:
                out += "零"
                zero = False
            out += ("" if (value == 10 and digit == 1 and not out) else _CN_DIGITS[digit]) + name
        elif out:
            zero = True
    if n:
        out += ("零" if zero else "") + _CN_DIGITS[n]
    return out


def format_counter(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "japaneseCounting",
               "taiwaneseCounting", "taiwaneseCountingThousand", "ideographLegalTraditional"):
        return chinese_counting(n)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(_CN_DIGITS[int(d)] for d in str(n))
    if fmt in ("ideographTraditional",):
        return _TIANGAN[(n - 1) % 10]
    if fmt in ("ideographZodiac",):
        return _DIZHI[(n - 1) % 12]
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return str(n).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        out, rest = "", n
        for value, sym in _ROMAN:
            while rest >= value:
                out += sym
                rest -= value
        return out if fmt == "upperRoman" else out.lower()
    if fmt in ("none", "bullet"):
        return ""
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


def _val(el, default: str | None = None) -> str | None:
    return el.get(W + "val", default) if el is not None else default


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


class Numbering:
    """Labels of numbered paragraphs, counted in the order :meth:`label` is called (document order)."""

    def __init__(self, numbering_xml=None, styles_xml=None) -> None:
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # abstractNumId → ilvl → (start, fmt, text)
        self.nums: dict[str, str] = {}  # numId → abstractNumId
        self.overrides: dict[tuple[str, int], int] = {}  # (numId, ilvl) → start
        self.style_num: dict[str, tuple[str, int]] = {}  # paragraph style → (numId, ilvl)
        self.counters: dict[str, list[int]] = {}
        self.started: set[tuple[str, int]] = set()
        if numbering_xml is not None:
            self._read_numbering(numbering_xml)
        if styles_xml is not None:
            self._read_styles(styles_xml)

    def _read_numbering(self, root) -> None:
        for abstract in root.iter(W + "abstractNum"):
            levels = {}
            for lvl in abstract.iter(W + "lvl"):
                ilvl = _int(lvl.get(W + "ilvl"), 0)
                levels[ilvl] = (_int(_val(lvl.find(W + "start")), 1), _val(lvl.find(W + "numFmt"), "decimal") or "",
                                _val(lvl.find(W + "lvlText"), "") or "")
            self.levels[abstract.get(W + "abstractNumId", "")] = levels
        for num in root.iter(W + "num"):
            num_id = num.get(W + "numId", "")
            self.nums[num_id] = _val(num.find(W + "abstractNumId"), "") or ""
            for override in num.iter(W + "lvlOverride"):
                start = override.find(W + "startOverride")
                if start is not None:
                    self.overrides[(num_id, _int(override.get(W + "ilvl"), 0))] = _int(_val(start), 1)

    def _read_styles(self, root) -> None:
        for style in root.iter(W + "style"):
            numpr = style.find(f"{W}pPr/{W}numPr")
            if numpr is not None:
                num_id = _val(numpr.find(W + "numId"))
                if num_id:
                    self.style_num[style.get(W + "styleId", "")] = (num_id, _int(_val(numpr.find(W + "ilvl")), 0))

    def label(self, p) -> str:
        """The number Word shows before paragraph ``p`` (``""`` when it is not numbered); advances the count."""
        if not self.levels:
            return ""
        ppr = p.find(W + "pPr")
        numpr = ppr.find(W + "numPr") if ppr is not None else None
        num_id, ilvl = None, 0
        if numpr is not None:
            num_id = _val(numpr.find(W + "numId"))
            ilvl = _int(_val(numpr.find(W + "ilvl")), 0)
        elif ppr is not None and (style := _val(ppr.find(W + "pStyle"))) in self.style_num:
            num_id, ilvl = self.style_num[style]
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        abstract = self.nums[num_id]
        levels = self.levels.get(abstract, {})
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(abstract, [0] * 9)
        ilvl = min(ilvl, 8)
        if (num_id, ilvl) in self.overrides and (num_id, ilvl) not in self.started:
            self.started.add((num_id, ilvl))
            counters[ilvl] = self.overrides[(num_id, ilvl)] - 1
        elif counters[ilvl] == 0:
            counters[ilvl] = levels[ilvl][0] - 1
        counters[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        _start, fmt, text = levels[ilvl]
        for k in range(ilvl + 1):
            k_start, k_fmt, _k_text = levels.get(k, (1, "decimal", ""))
            text = text.replace(f"%{k + 1}", format_counter(counters[k] or k_start, k_fmt))
        return "" if fmt == "bullet" else text


__all__ = ["Numbering", "chinese_counting", "format_counter"]
