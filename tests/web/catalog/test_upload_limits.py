"""Web uploads under the resource limits: hostile workbooks and oversized files get 413/422 with a Chinese
message, never a 500, and the worker only waits for a bounded child (gongkai.read.isolate)."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.web.catalog import services as s
from gongkai.web.catalog.models import Attachment, YearFigures
from gongkai.web.core.errors import describe

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "read" / "fixtures"))
import bombs

FIGURES = "/staff/catalog/figures/"
CJK = re.compile("[\u4e00-\u9fff]")


def _messages(response) -> str:
    return " ".join(re.findall(r'<ul class="messages">(.*?)</ul>', response.content.decode(), re.DOTALL))


@pytest.mark.parametrize(("make", "status", "expect"), [
    (lambda: bombs.rows_xlsx(3_000_000), 413, "压缩炸弹"),  # 27 KB, 3 million empty rows
    (lambda: bombs.rows_xlsx(150_000, numbered=True), 413, "行数过多"),
    (lambda: bombs.figures_xlsx([(2000 + i % 30, i) for i in range(1200)]), 413, "行数过多"),  # over 1000 rows
    (bombs.laughs_xlsx, 413, "实体声明"),
    (bombs.xxe_xlsx, 413, "实体声明"),
    (bombs.laughs_workbook_xlsx, 413, "实体声明"),  # a 500 before (lxml's XMLSyntaxError)
    (bombs.xxe_workbook_xlsx, 413, "实体声明"),
    (lambda: b"PK\x03\x04" + b"\0" * 100, 422, "XLSX"),
    (lambda: b"x" * (6 * 1024 * 1024), 413, "不能超过 5 MB"),
])
def test_hostile_figures_workbooks_get_413_or_422(world, client, make, status, expect):
    client.force_login(world["clerk"])
    upload = SimpleUploadedFile("figures.xlsx", make())
    r = client.post(FIGURES, {"body": world["street"].pk, "xlsx": upload})
    assert r.status_code == status
    message = _messages(r)
    assert expect in message and CJK.search(message)
    assert not YearFigures.objects.exists()


def test_an_ordinary_figures_workbook_is_imported(world, client):
    client.force_login(world["clerk"])
    upload = SimpleUploadedFile("figures.xlsx", bombs.figures_xlsx([(2024, 3), (2025, 7)]))
    r = client.post(FIGURES, {"body": world["street"].pk, "xlsx": upload})
    assert r.status_code == 302
    assert sorted(YearFigures.objects.values_list("year", "licensing")) == [(2024, 3), (2025, 7)]


def test_an_oversized_attachment_gets_413_before_it_is_read(world, client):
    item = s.item_create(body=world["street"], author=world["clerk"], title="一条信息")
    client.force_login(world["clerk"])
    upload = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (21 * 1024 * 1024))
    r = client.post(f"/staff/catalog/{item.pk}/", {"action": "attach", "file": upload})
    assert r.status_code == 413
    assert "附件不能超过 20 MB" in _messages(r)
    assert not Attachment.objects.exists()


def test_a_reader_limit_is_413_in_the_api_shape():
    from gongkai.read.limits import LimitExceeded

    status, body = describe(LimitExceeded("表格行数过多"))
    assert status == 413 and body["error"]["code"] == "too_large" and body["error"]["message"] == "表格行数过多"
