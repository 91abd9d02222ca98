"""Section 四 printed with a cell holding two numbers (14 cells, 15 numbers): read, never a crash.

Found by the fuzz test (tests/read/test_api.py): the tokens were mapped back to 15 cells by position and the
strict zip raised ValueError, so `gongkai parse` stopped with a traceback."""
from __future__ import annotations

from gongkai.formats import get_format
from gongkai.read.align import Alignment
from gongkai.read.cells import Assembled, assemble_s4
from gongkai.read.lines import Line
from gongkai.report import Status


def test_a_cell_with_two_numbers_is_read_and_marked_for_a_human():
    cells = ("1", "0", "0", "0", "1", "0 0", *["0"] * 8)  # 14 cells, 15 numbers
    out = Assembled()
    assemble_s4(Alignment(s4=[Line(index=1, text=" | ".join(cells), cells=cells, line=1)]), get_format("2021"), out)
    assert out.cells  # read, not raised
    assert all(c.status is Status.UNCERTAIN for c in out.cells.values())  # placed by position: a human checks
