"""The layout variants of variants.md that the round-trip generator does not produce on its own."""
from __future__ import annotations

import time

from gongkai.read import parse_text
from gongkai.report import Status

from .synth import Variant, render_text, sample_report

COLS = ("natural", "commercial", "research", "social_welfare", "legal_service", "other_org", "total")
DENIED = ("state_secret", "law_prohibited", "three_securities", "third_party", "internal_affairs", "process_info",
          "enforcement_file", "query_matter")


def _wrong(got, want):
    return {k: (got.value(k), want.value(k)) for k in want.expected_keys() if got.value(k) != want.value(k)}


def test_v15_subtotal_row_is_kept_apart():
    rep = sample_report("2021", seed=5)
    lines = render_text(rep, Variant(layout="markdown")).split("\n")
    sums = [sum(rep.value(f"s3.denied.{leaf}.{c}") for leaf in DENIED) for c in COLS]
    at = next(i for i, ln in enumerate(lines) if "1.属于国家秘密" in ln)
    lines.insert(at, "| （三）不予公开 | " + " | ".join(map(str, sums)) + " |")
    got = parse_text("\n".join(lines)).report
    assert _wrong(got, rep) == {}
    [extra] = got.extras
    assert extra.kind == "subtotal" and [c.value for c in extra.values] == sums


def test_v15_subtotal_column_is_kept_apart():
    rep = sample_report("2021", seed=6)
    out = []
    for ln in render_text(rep, Variant(layout="markdown")).split("\n"):
        cells = [c.strip() for c in ln.strip().strip("|").split("|")]
        if len(cells) == 8 and all(c.isdigit() for c in cells[1:]):
            v = [int(c) for c in cells[1:]]
            ln = "| " + " | ".join([cells[0], str(v[0]), str(sum(v[1:6])), *cells[2:]]) + " |"
        out.append(ln)
    got = parse_text("\n".join(out)).report
    assert _wrong(got, rep) == {}
    assert got.extras and all(e.kind == "column" for e in got.extras)


def test_v3_v14_v20_annotations_synonyms_and_unknown_rows():
    rep = sample_report("2021", seed=7)
    text = render_text(rep, Variant(layout="markdown"))
    text = (text.replace("（七）总计", "（七）合计").replace("四、结转下年度继续办理", "四、结转下一年度继续办理")
            .replace("| 规章 |", "| 规章（设区的市、自治州人民政府应提供相关数据） |"))
    lines = text.split("\n")
    at = next(i for i, ln in enumerate(lines) if ln.startswith("| 行政规范性文件"))
    issued = rep.value("s2.normative_docs.issued")
    lines[at] = lines[at].replace(f"| 行政规范性文件 | {issued} |", f"| 行政规范性文件 | {issued}（其中修订2件） |")
    lines.insert(at + 1, "| 其他主动公开文件 | 5 | 0 | 9 |")
    got = parse_text("\n".join(lines)).report
    assert _wrong(got, rep) == {}
    assert got.cell("s2.normative_docs.issued").note == "其中修订2件"
    [extra] = got.extras
    assert extra.kind == "unknown" and extra.label == "其他主动公开文件" and [c.value for c in extra.values] == [5, 0, 9]


def test_v17_other_printed_as_one_row_in_2021():
    rep = sample_report("2021", seed=8, collapsed=True)
    got = parse_text(render_text(rep, Variant(layout="tsv"))).report
    assert _wrong(got, rep) == {}
    assert got.format == "2021" and got.collapsed == frozenset({"other"})


def test_v5_blank_total_is_not_filled():
    rep = sample_report("2021", seed=9)
    want = rep.value("s3.carry_forward.total")
    text = render_text(rep, Variant(layout="markdown"))
    row = next(ln for ln in text.split("\n") if ln.startswith("| 四、结转下年度继续办理"))
    text = text.replace(row, row[: row.rstrip(" |").rfind("|")] + "|  |")
    got = parse_text(text).report
    cell = got.cell("s3.carry_forward.total")
    assert cell.status is Status.BLANK and cell.value == 0 != want or want == 0


def test_v12_garbage_cell_repaired_only_when_identities_decide():
    rep = sample_report("2021", seed=10)
    text = render_text(rep, Variant(layout="tsv"))
    row = next(ln for ln in text.split("\n") if ln.startswith("（一）予以公开"))
    cells = row.split("\t")
    want = int(cells[3])
    cells[3] = "n"
    got = parse_text(text.replace(row, "\t".join(cells))).report
    cell = got.cell("s3.granted.research")
    assert cell.status is Status.REPAIRED and cell.value == want and cell.raw == "n"
    # two garbage cells in one row and column: I4 no longer decides either, I3 and I1 still do
    cells2 = list(cells)
    cells2[4] = "l"
    got = parse_text(text.replace(row, "\t".join(cells2))).report
    assert got.cell("s3.granted.social_welfare").status in (Status.REPAIRED, Status.UNCERTAIN)
    assert got.cell("s3.granted.social_welfare").value in (None, rep.value("s3.granted.social_welfare"))


def test_v19_page_footers_inside_tables_are_dropped():
    rep = sample_report("2021", seed=11)
    lines = render_text(rep, Variant(layout="markdown")).split("\n")
    at = next(i for i, ln in enumerate(lines) if "3.其他" in ln)
    lines.insert(at, "— 5 —")
    assert _wrong(parse_text("\n".join(lines)).report, rep) == {}


def test_huge_input_is_bounded():
    rep = sample_report("2021", seed=12)
    text = render_text(rep, Variant(layout="spaces"))
    at = text.index("申请人情况")
    text = text[:at] + "\n".join(f"杂项{k}号 1 2 3 4 5 6 21" for k in range(20000)) + "\n" + text[at:]
    start = time.perf_counter()
    got = parse_text(text).report
    assert time.perf_counter() - start < 60
    assert got.value("s3.new.total") == rep.value("s3.new.total")


def _blank_label(text: str, label: str) -> str:
    return "\n".join("| " + " | ".join(["", *ln.strip().strip("|").split("|")[1:]]).strip() + " |"
                     if ln.startswith(f"| {label} |") else ln for ln in text.split("\n"))


def test_v12_unlabeled_rows_fill_their_gap_by_order():
    rep = sample_report("2021", seed=13)
    text = render_text(rep, Variant(layout="markdown"))
    for label in ("2.重复申请", "4.无正当理由大量反复申请"):
        text = _blank_label(text, label)
    got = parse_text(text).report
    assert _wrong(got, rep) == {}
    assert got.cell("s3.not_processed.duplicate.natural").status is not Status.UNCERTAIN


def test_v12_unlabeled_row_in_a_gap_that_lost_a_row_is_uncertain():
    rep = sample_report("2021", seed=14)
    text = _blank_label(render_text(rep, Variant(layout="markdown")), "2.重复申请")
    text = "\n".join(ln for ln in text.split("\n") if not ln.startswith("| 3.要求提供公开出版物 |"))
    got = parse_text(text).report
    silent = {k: v for k, v in _wrong(got, rep).items() if got.cell(k).status is not Status.UNCERTAIN
              and got.cell(k).status is not Status.MISSING}
    assert silent == {}
    placed = [got.cell(f"s3.not_processed.{r}.total") for r in ("duplicate", "publication")]
    assert any(c.status is Status.UNCERTAIN for c in placed)


def test_misread_digit_that_breaks_identities_is_flagged_not_trusted():
    """An OCR misreading that still looks like a number (2 read as 7): the one cell through which
    every failing identity runs is marked uncertain, with the value that makes them hold."""
    rep = sample_report("2021", seed=15)
    text = render_text(rep, Variant(layout="tsv"))
    row = next(ln for ln in text.split("\n") if ln.startswith("5.属于三类内部事务信息"))
    cells = row.split("\t")
    want = int(cells[1])
    cells[1] = str(want + 5)
    got = parse_text(text.replace(row, "\t".join(cells))).report
    cell = got.cell("s3.denied.internal_affairs.natural")
    assert cell.status is Status.UNCERTAIN and cell.candidates == (want,) and cell.value == want + 5
    assert [k for k, c in got.cells.items() if c.status is Status.UNCERTAIN] == ["s3.denied.internal_affairs.natural"]


def test_printed_inconsistency_without_a_single_culprit_is_kept_as_printed():
    rep = sample_report("2021", seed=16)
    text = render_text(rep, Variant(layout="tsv"))
    row = next(ln for ln in text.split("\n") if ln.startswith("行政复议"))
    data = text.split("\n")[text.split("\n").index(row) + 1]
    vals = data.split("\t")
    vals[5] = str(int(vals[5]) + 3)  # the printed 复议 总计 disagrees with its four results (I5)
    got = parse_text(text.replace(data, "\t".join(vals))).report
    assert got.value("s4.review.total") == int(vals[5])
    assert all(c.status is not Status.UNCERTAIN for c in got.cells.values())
