"""PDF and HTML as a reader sees them: pdffonts, pdftoppm, pdftotext; lxml and headless Chromium."""
import re
import shutil
import subprocess

import pytest
from lxml import html as lxml_html

from gongkai.formats import get_format
from gongkai.write import layout, render

from .conftest import sample_report

POPPLER = shutil.which("pdffonts") and shutil.which("pdftoppm") and shutil.which("pdftotext")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="module")
def pdf_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    path.write_bytes(render(sample_report("2021"), "pdf", findings=[]))
    return path


def _run(*cmd: str) -> str:
    return subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=60).stdout


@pytest.mark.skipif(not POPPLER, reason="poppler-utils is not installed")
def test_pdf_embeds_cjk_fonts(pdf_file):
    out = _run("pdffonts", str(pdf_file)).splitlines()[2:]
    assert out, "no fonts in the PDF"
    names = [line.split()[0] for line in out]
    assert all(line.split()[-5] == "yes" for line in out), out  # emb column
    assert any(re.search(r"CJK-?SC|CJKsc", n) for n in names), names
    # every glyph came from a CJK face: nothing fell back to a font without Chinese (a missing glyph would)
    assert all("CJK" in n for n in names), names


@pytest.mark.skipif(not POPPLER, reason="poppler-utils is not installed")
def test_pdf_pages_render_and_text_has_every_label(pdf_file, tmp_path):
    _run("pdftoppm", "-r", "60", "-png", str(pdf_file), str(tmp_path / "page"))
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 2
    assert all(p.stat().st_size > 5000 for p in pages)  # not blank
    text = re.sub(r"\s+", "", _run("pdftotext", str(pdf_file), "-"))
    fmt = get_format("2021")
    for s in fmt.sections:
        assert s.heading in text
    for label in ("申请人情况", "法人或其他组织", "未经复议直接起诉", "复议后起诉", "第二十条第（八）项",
                  "本年收费金额（单位：万元）", "12.345678"):
        assert label in text
    assert "\ufffd" not in text  # no missing glyph replaced


@pytest.mark.skipif(not POPPLER, reason="poppler-utils is not installed")
def test_pdf_repeats_table_header_when_table_three_breaks(tmp_path):
    """Table 三 fits on one A4 page (and is kept whole); on A5 paper it must break: the header repeats."""
    from weasyprint import HTML

    from gongkai.write._html import render_html
    page = render_html(layout(sample_report("2021"), findings=[])).decode()
    path = tmp_path / "a5.pdf"
    # appended inside the page's own stylesheet so that it overrides its `@page { size: A4 }`
    page = page.replace("</style>", "@page { size: A5; }</style>", 1)
    path.write_bytes(HTML(string=page).write_pdf())
    assert "841.89" not in _run("pdfinfo", str(path))  # not A4 (595.28 × 841.89 pt) any more
    pages = _run("pdftotext", str(path), "-").split("\f")
    s3_pages = [i for i, p in enumerate(pages) if re.search(r"本年新收|（七）总计|属于国家秘密|信访举报|结转下年度", p)]
    assert len(s3_pages) > 1, "table 三 should cross a page on A5"
    for i in s3_pages:  # the header is printed again on the next page
        assert "申请人情况" in pages[i]


def test_html_is_semantic_and_has_the_templates_spans():
    r = sample_report("2021")
    doc = lxml_html.fromstring(render(r, "html", findings=[]))
    assert doc.get("lang") == "zh-CN"
    tables = doc.xpath("//table")
    assert len(tables) == 3
    assert all(t.xpath("./caption") for t in tables)
    s3 = tables[1]
    assert len(s3.xpath("./thead/tr")) == 3
    assert s3.xpath(".//th[text()='申请人情况']/@colspan") == ["7"]
    assert s3.xpath(".//th[text()='自然人']/@rowspan") == ["2"]
    assert s3.xpath(".//th[text()='（三）不予公开']/@rowspan") == ["8"]
    assert s3.xpath(".//th[text()='（三）不予公开']/@scope") == ["rowgroup"]
    assert s3.xpath(".//th[text()='1.属于国家秘密']/@scope") == ["row"]
    assert s3.xpath(".//td[@class='gk-corner']/text()") == [get_format("2021").s3.note]
    assert len(s3.xpath(".//td[@data-key]")) == 25 * 7
    assert all(td.text for td in doc.xpath("//td[@data-key]"))
    s4 = tables[2]
    assert s4.xpath(".//th[text()='行政诉讼']/@colspan") == ["10"]
    assert [h.text for h in doc.xpath("//h2")] == [s.heading for s in get_format("2021").sections]


def test_html_fragment_is_the_article_only():
    frag = render(sample_report("2021"), "html", findings=[], fragment=True).decode()
    assert frag.startswith('<article class="gk-report"') and frag.endswith("</article>")
    assert "<html" not in frag and "<style" not in frag


def test_html_escapes_text():
    r = sample_report("2021").with_metadata(agency="<script>alert(1)</script>局")
    page = render(r, "html", findings=[]).decode()
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_html_missing_text_placeholder_is_not_content():
    doc = lxml_html.fromstring(render(sample_report("2021", texts=False), "html", findings=[]))
    ph = doc.xpath("//p[@class='gk-placeholder']")
    assert len(ph) == 3  # 一、五、六
    assert all((p.text_content() or "") == "" for p in ph)


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.skipif(not shutil.which("chromium") and not __import__("os").path.exists(CHROMIUM),
                    reason="Debian chromium is not installed")
def test_html_in_headless_chromium_shows_six_sections_and_three_tables(tmp_path):
    from playwright.sync_api import sync_playwright
    r = sample_report("2021").with_cells({"s3.total.natural": 999})
    page_file = tmp_path / "report.html"
    page_file.write_bytes(render(r, "html"))  # with the real checks: I3/I1 errors are shown
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.goto(page_file.as_uri())
            headings = page.locator("h2")
            assert [headings.nth(i).inner_text() for i in range(headings.count())] == \
                [s.heading for s in get_format("2021").sections]
            for i in range(6):
                assert headings.nth(i).is_visible()
            tables = page.locator("table")
            assert tables.count() == 3
            for i in range(3):
                box = tables.nth(i).bounding_box()
                assert box and box["width"] > 500 and box["height"] > 60
            # the group label really spans its eight leaves on screen
            group = page.locator("th", has_text="（三）不予公开").bounding_box()
            leaf = page.locator("th", has_text="1.属于国家秘密").bounding_box()
            assert group and leaf and group["height"] > 6 * leaf["height"]
            block = page.locator("aside.gk-findings")
            assert block.is_visible() and "I3" in block.inner_text()
            assert page.locator("td[data-key='s3.total.natural']").inner_text() == "999"
            page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
            page.emulate_media(media="print")
            assert page.locator("table").nth(1).is_visible()
        finally:
            browser.close()
    assert (tmp_path / "report.png").stat().st_size > 20000


def test_layout_lists_each_section_once(report):
    lay = layout(report, findings=[])
    assert [s.number for s in lay.sections] == [1, 2, 3, 4, 5, 6]
    assert [s.grid.id for s in lay.sections if s.grid] == ["s2", "s3", "s4"]
