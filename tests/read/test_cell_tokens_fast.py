"""cell_tokens' short path (as many one-number cells as columns) gives what its general path gives."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.formats import ValueType
from gongkai.read.numbers import _expand, cell_tokens, parse_cell, with_confidence


def general(cells, types, confidence=()):
    """The general path of cell_tokens, as it was before the short path (reference)."""
    n = len(types)
    parts = []
    for k, c in enumerate(cells):
        conf = confidence[k] if k < len(confidence) else None
        parts.extend((p, conf) for p in _expand(c))
    toks = [with_confidence(parse_cell(p, types[min(i, n - 1)] if n else ValueType.INT), conf)
            for i, (p, conf) in enumerate(parts)]
    if len(toks) == n:
        return [with_confidence(parse_cell(t.raw, types[i]), t.confidence) if t.kind != "garbage" else t
                for i, t in enumerate(toks)], True
    return None


CELL = st.sampled_from(["0", "12", "3.5", "1,234", "", "/", "-", "无", "O", "l2", "5件", "1 2", "0.00", "12万元", "x"])
TYPES = st.sampled_from([ValueType.INT, ValueType.WAN_YUAN, ValueType.MONEY, ValueType.SIGNED_INT])


@given(st.lists(st.tuples(CELL, TYPES, st.one_of(st.none(), st.floats(0, 1))), min_size=0, max_size=8))
@settings(max_examples=2000, deadline=None)
def test_short_path_is_the_general_path(row):
    cells = [c for c, _, _ in row]
    types = [t for _, t, _ in row]
    confidence = [p for _, _, p in row]
    expected = general(cells, types, confidence)
    if expected is not None:
        assert cell_tokens(cells, types, confidence) == expected
