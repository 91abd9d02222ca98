"""The labelled dev corpus, through the whole pipeline: no silent errors, and the cells right.

A wrong cell must be ``uncertain`` (score.py counts any other wrong cell as a silent error). The
seed report (七政街道, noisy OCR) must come out entirely right. Only the text/Markdown inputs
are in the fast set; the PDFs go through the document readers and are marked slow.
"""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from gongkai.read import parse_file
from gongkai.report import Status

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "dev"  # shared/ beside the checkout
TEXT_FILES = sorted(p for p in CORPUS.glob("*") if p.suffix in (".txt", ".md") and p.name != "README.md")
PDF_FILES = sorted(CORPUS.glob("*.pdf"))
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="dev corpus not present")


def _score(path: Path):
    expected = json.loads(path.with_name(path.name.rsplit(".", 1)[0] + ".expected.json").read_text("utf-8"))
    result = parse_file(path)
    report = result.report
    right, silent, missing = 0, [], []
    for key, want in expected["cells"].items():
        cell = report.cell(key)
        if cell.status is Status.MISSING:
            missing.append(key)
        elif cell.value is not None and Decimal(str(cell.value)) == Decimal(str(want)):
            right += 1
        elif cell.status is not Status.UNCERTAIN:
            silent.append((key, cell.value, want))
    return expected, report, right, silent, missing


@needs_corpus
@pytest.mark.parametrize("path", TEXT_FILES, ids=lambda p: p.name)
def test_text_corpus_no_silent_errors(path):
    expected, report, right, silent, missing = _score(path)
    assert silent == []
    assert missing == []
    assert report.format == expected["format"]
    assert report.metadata.year == expected["year"]
    # every cell right except those the input alone cannot determine (README: uncertain, not guessed)
    assert right >= len(expected["cells"]) - 5


@needs_corpus
def test_seed_report_every_value_right_despite_ocr_noise():
    expected, report, right, _, _ = _score(CORPUS / "seed-qizheng-2023.txt")
    assert right == len(expected["cells"]) == 200
    # the garbage token "n" in （一）予以公开 was repaired from the identities, its text kept
    cell = report.cell("s3.granted.research")
    assert cell.status is Status.REPAIRED and cell.raw == "n" and cell.value == 0
    assert report.metadata.format_declared == "2021"
    assert report.metadata.agency == "南岗区七政街道办事处"


@needs_corpus
def test_ambiguous_second_section_rows_are_uncertain_with_candidates():
    """平潭 2021 二（一） 行政规范性文件 693665: several splits, no identity, no narrative anchor."""
    _, report, _, _, _ = _score(CORPUS / "pingtan-2021.txt")
    cell = report.cell("s2.normative_docs.in_force")
    assert cell.status is Status.UNCERTAIN and cell.candidates and cell.raw == "693665"
    # the rows of 三 that only I1 + I3 jointly decide are certain
    assert report.cell("s3.granted.natural").value == 27
    assert report.cell("s3.granted.natural").status is Status.OK


@needs_corpus
def test_narrative_resolves_a_split():
    """平潭 2022: 二（一） 8855698 is fixed by the narrative (698 in force, 88 issued)."""
    _, report, _, _, _ = _score(CORPUS / "pingtan-2022.txt")
    assert [report.value(f"s2.normative_docs.{c}") for c in ("issued", "repealed", "in_force")] == [88, 55, 698]


@needs_corpus
def test_metadata_and_sections():
    _, report, *_ = _score(CORPUS / "pingtan-2021.txt")
    md = report.metadata
    assert md.format_declared is None and md.format_detected == "2021"  # cites a provincial notice (V2)
    assert (md.period_start.isoformat(), md.period_end.isoformat()) == ("2021-01-01", "2021-12-31")
    assert md.publish_date.isoformat() == "2022-02-08"
    assert md.contact and md.contact.postcode == "350400"
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    assert report.section(6).text.startswith("2021年，无收取信息处理费")
    _, report, *_ = _score(CORPUS / "pingtan-2020.txt")
    assert report.metadata.format_declared == "2019-trial" and report.format == "2019-trial"
    _, report, *_ = _score(CORPUS / "shanghai-stcsm-2024.md")
    # a blank 总计 cell stays blank (V5), never filled
    assert report.cell("s3.carry_forward.total").status is Status.BLANK


@needs_corpus
@pytest.mark.slow
@pytest.mark.parametrize("path", PDF_FILES, ids=lambda p: p.name)
def test_pdf_corpus_no_silent_errors(path):
    expected, _, right, silent, missing = _score(path)
    assert silent == [] and missing == []
    assert right == len(expected["cells"])
