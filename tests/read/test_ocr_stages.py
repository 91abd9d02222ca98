"""The OCR stages one by one, on synthetic images (no OCR engine: fast); and what the pipeline does with an OCR
table's per-cell confidence."""
from __future__ import annotations

import dataclasses
from decimal import Decimal

import cv2
import numpy as np
import pytest

from gongkai.read.ocr._engine import Char, TextBox
from gongkai.read.ocr._grid import _split_box, cluster_lines, columns_from_lines, find_grids, place_text
from gongkai.read.ocr._preprocess import (
    denoise,
    load_images,
    noise_level,
    normalise_contrast,
    remove_stamp,
    rotate,
    skew_angle,
)

from .synth import Variant, render_text, sample_report


def _ruled(widths: list[int], heights: list[int], *, merged: set[tuple[int, int, str]] = frozenset(),
           x0: int = 60, y0: int = 80) -> np.ndarray:
    """A white page with a ruled grid; ``merged`` lists (row, col, 'right'|'below') rules left out."""
    xs = np.cumsum([x0, *widths])
    ys = np.cumsum([y0, *heights])
    img = np.full((int(ys[-1]) + 80, int(xs[-1]) + 60), 255, np.uint8)
    for r in range(len(heights)):
        for c in range(len(widths)):
            if c + 1 < len(widths) and (r, c, "right") not in merged:
                cv2.line(img, (int(xs[c + 1]), int(ys[r])), (int(xs[c + 1]), int(ys[r + 1])), 0, 2)
            if r + 1 < len(heights) and (r, c, "below") not in merged:
                cv2.line(img, (int(xs[c]), int(ys[r + 1])), (int(xs[c + 1]), int(ys[r + 1])), 0, 2)
    cv2.rectangle(img, (int(xs[0]), int(ys[0])), (int(xs[-1]), int(ys[-1])), 0, 2)
    return img


def test_grid_with_merged_cells():
    # a header cell spanning two columns, a label spanning two rows
    img = _ruled([200, 90, 90], [40, 40, 40, 40], merged={(0, 1, "right"), (1, 0, "below")})
    [grid] = find_grids(img)
    assert (grid.n_rows, grid.n_cols) == (4, 3)
    cells = sorted(grid.cells)
    assert (0, 1, 1, 2) in cells  # spans two columns
    assert (1, 0, 2, 1) in cells  # spans two rows
    assert len(cells) == 12 - 1 - 1


def test_text_strokes_are_not_rules():
    img = _ruled([300, 100], [60, 60])
    # a run of long horizontal strokes inside a cell (一一一 …) must not split the row
    for k in range(6):
        cv2.line(img, (80 + k * 40, 110), (112 + k * 40, 110), 0, 2)
    box = TextBox(75, 95, 330, 125, "一一一一一一", 0.99)
    [grid] = find_grids(img, [box, TextBox(400, 95, 430, 125, "1", 0.99)])
    assert (grid.n_rows, grid.n_cols) == (2, 2)


def test_boxes_go_to_cells_and_a_box_across_a_rule_is_split_by_characters():
    img = _ruled([150, 80, 80], [40, 40])
    [grid] = find_grids(img)
    # one detected line running over the rule between column 1 and 2: "12 7"
    chars = (Char("1", 0.99, 245, 255), Char("2", 0.97, 255, 265), Char("7", 0.6, 330, 340))
    across = TextBox(240, 130, 345, 150, "127", 0.9, chars)
    label = TextBox(70, 130, 150, 150, "规章", 0.98)
    cells, conf, outside = place_text(grid, [across, label, TextBox(10, 10, 40, 30, "页眉", 0.9)], img)
    text = {(r, c): t for r, c, _, _, t in cells}
    assert text[(1, 0)] == "规章" and text[(1, 1)] == "12" and text[(1, 2)] == "7"
    assert conf[(1, 1)] == pytest.approx(0.97) and conf[(1, 2)] == pytest.approx(0.6)
    assert conf[(0, 0)] is None  # blank cell
    assert [b.text for b in outside] == ["页眉"]


def test_a_cell_with_ink_but_no_text_has_confidence_zero():
    img = _ruled([150, 80], [40, 40])
    cv2.putText(img, "8", (232, 150), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 0, 2)
    [grid] = find_grids(img)
    _, conf, _ = place_text(grid, [], img)
    assert conf[(1, 1)] == 0.0 and conf[(1, 0)] is None


def test_text_lines_and_columns_without_rules():
    boxes = [TextBox(10, 10, 90, 30, "信息内容", 0.99), TextBox(300, 12, 400, 30, "本年制发件数", 0.99),
             TextBox(10, 50, 50, 70, "规章", 0.99), TextBox(340, 51, 360, 69, "3", 0.95),
             TextBox(12, 90, 130, 110, "行政规范性文件", 0.99), TextBox(335, 90, 365, 110, "27", 0.9)]
    lines = cluster_lines(boxes)
    assert [[b.text for b in line] for line in lines] == [["信息内容", "本年制发件数"], ["规章", "3"],
                                                          ["行政规范性文件", "27"]]
    rows, confs = columns_from_lines(lines)
    assert rows == [["信息内容", "本年制发件数"], ["规章", "3"], ["行政规范性文件", "27"]]
    assert confs[2] == [0.99, 0.9]


def test_split_box_without_character_boxes_keeps_the_box():
    box = TextBox(0, 0, 100, 20, "abc", 0.9)
    assert [f.text for f in _split_box(box, [50])] == ["abc"]


@pytest.mark.parametrize("angle", [-2.0, -0.7, 1.3, 2.0])
def test_skew_is_measured(angle):
    img = np.full((1100, 800), 255, np.uint8)
    for y in range(100, 1000, 28):
        for x in range(80, 700, 24):
            cv2.rectangle(img, (x, y), (x + 18, y + 16), 0, -1)
    turned = rotate(img, angle)
    assert skew_angle(turned) == pytest.approx(-angle, abs=0.15)


def test_red_stamp_goes_black_text_under_it_stays():
    img = np.full((200, 200, 3), 255, np.uint8)
    cv2.putText(img, "0", (80, 120), cv2.FONT_HERSHEY_SIMPLEX, 1.5, (0, 0, 0), 3)
    clean_ink = (img[..., 0] < 100).sum()
    stamp = img.astype(np.float32)
    ring = np.zeros((200, 200), np.uint8)
    cv2.circle(ring, (100, 100), 60, 255, 8)
    cv2.circle(ring, (100, 100), 15, 255, -1)
    a = (ring > 0)[..., None] * 0.8
    stamp = stamp * (1 - a) + stamp * (np.array([35, 30, 215], np.float32) / 255) * a  # BGR red, multiplied
    out, frac = remove_stamp(stamp.astype(np.uint8))
    grey = out[..., 0]
    assert frac > 0.01
    assert (grey[ring > 0] > 200).mean() > 0.9  # the stamp is gone (paper white)
    assert (grey < 100).sum() >= 0.9 * clean_ink  # the digit under it is whole


def test_contrast_and_noise():
    faded = np.full((300, 300), 190, np.uint8)
    faded[100:120, 50:250] = 120
    out = normalise_contrast(faded)
    assert out[110, 100] < 20 and out[10, 10] > 240
    rng = np.random.default_rng(1)
    noisy = np.clip(np.full((300, 300), 235.0) + rng.normal(0, 14, (300, 300)), 0, 255).astype(np.uint8)
    assert noise_level(noisy) > noise_level(denoise(noisy))
    ruled = np.full((300, 300), 255, np.uint8)
    ruled[150, :] = 0  # a 1-pixel rule survives (no median filter on clean pages)
    assert denoise(ruled)[150, 150] == 0


def test_multi_frame_tiff_and_modes():
    import io

    from PIL import Image

    buf = io.BytesIO()
    frames = [Image.new("1", (64, 48), 1), Image.new("L", (64, 48), 128)]
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:])
    pages = load_images(buf.getvalue())
    assert [p.shape for p in pages] == [(48, 64, 3), (48, 64, 3)]
    rgba = Image.new("RGBA", (40, 30), (0, 0, 0, 0))
    out = io.BytesIO()
    rgba.save(out, "PNG")
    [page] = load_images(out.getvalue())
    assert page.min() == 255  # transparency is paper


def _position_confidence(t: int, block):
    """A confidence per table position that names the position: 0.TTRRCC (table, row, column)."""
    return tuple(tuple(None if v is None else (t * 10000 + r * 100 + c) / 1e6 for c, v in enumerate(row))
                 for r, row in enumerate(block.rows))


def _ocr_report(blocks):
    from gongkai.read import blocks_to_report
    from gongkai.read.blocks import TableBlock
    from gongkai.read.registry import Document

    blocks = [dataclasses.replace(b, confidence=_position_confidence(t, b)) if isinstance(b, TableBlock) else b
              for t, b in enumerate(blocks)]
    return blocks_to_report(Document(blocks=blocks, kind="ocr"))[0]


def _position(cell) -> tuple[int, int, int]:
    code = round(cell.confidence * 1e6)
    return code // 10000, code // 100 % 100, code % 100


@pytest.mark.parametrize("variant", [Variant(), Variant(blanks=True, split_labels=True, seed=2)])
def test_each_cell_of_an_ocr_table_carries_the_confidence_of_the_table_cell_it_was_read_from(variant):
    """TableBlock.confidence (the OCR engine's, per table position) reaches Cell.confidence through lines,
    alignment, tokens and repair; each position has its own confidence here, so a cell given the confidence
    of another position (a neighbour, the label column, another row) is caught."""
    from gongkai.formats import ValueType
    from gongkai.read._text import text_to_blocks
    from gongkai.read.layout import normalize_blocks
    from gongkai.read.numbers import parse_cell

    expected = sample_report("2021", seed=3)
    blocks = normalize_blocks(text_to_blocks(render_text(expected, variant)))
    report = _ocr_report(blocks)
    assert set(report.cells) == set(expected.cells)
    for key, cell in report.cells.items():
        assert cell.confidence is not None, key
        t, r, c = _position(cell)
        assert (t, r) == (cell.source.table, cell.source.row), key
        vtype = ValueType.MONEY if isinstance(cell.value, Decimal) else ValueType.INT
        assert cell.value == expected.value(key) == parse_cell(blocks[t].rows[r][c], vtype).value, key

    # an unreadable cell that the identities repair keeps the confidence of the text it could not read
    t, r, c = _position(report.cells["s3.new.natural"])
    rows = [list(row) for row in blocks[t].rows]
    rows[r][c] = "n"
    blocks[t] = dataclasses.replace(blocks[t], rows=tuple(tuple(row) for row in rows))
    repaired = _ocr_report(blocks).cells["s3.new.natural"]
    assert repaired.status.value == "repaired" and repaired.raw == "n"
    assert repaired.value == expected.value("s3.new.natural") and _position(repaired) == (t, r, c)


def test_all_is_complete():
    from gongkai.read import ocr

    for export in ocr.__all__:
        assert hasattr(ocr, export)
    public = {n for n, v in vars(ocr).items() if not n.startswith("_") and callable(v)
              and getattr(v, "__module__", "") == ocr.__name__}
    assert public <= set(ocr.__all__), public - set(ocr.__all__)
