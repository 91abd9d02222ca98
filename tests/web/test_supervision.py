"""The supervising office's batch review over services and pages: a ZIP of two real reports for two subordinate
bodies read, matched by printed name (简称 and 全称), compared with the earlier batch's year, checked; findings
confirmed/dismissed; the 督办 loop; the roll-up; the exports; the limits of uploads (ZIP bombs, too many members)."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from gongkai.web.audit.models import AuditEntry
from gongkai.web.core.errors import Conflict, Forbidden, Invalid
from gongkai.web.supervision import queue
from gongkai.web.supervision import services as sv
from gongkai.web.supervision.models import Duban, DubanState, Finding, FindingState, Submission, SubmissionState

DEV = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "dev"
if not DEV.is_dir():
    DEV = Path("/work/shared/corpus/dev")


def read_all() -> int:
    """Read what the uploads queued, here and now (the web process's thread is off in tests: conftest)."""
    return queue.drain()


def zip_of(*names: str, **extra: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for n in names:
            zf.writestr(n, (DEV / n).read_bytes())
        for n, data in extra.items():
            zf.writestr(n, data)
    return buf.getvalue()


@pytest.fixture
def office(world):
    from gongkai.web.bodies.services import body_create

    d = world["district"]
    pingtan = body_create(name="平潭综合实验区", short_name="平潭", kind="government", level="county", parent=d)
    hongze = body_create(name="淮安市洪泽区人民政府", short_name="洪泽区", kind="government", level="county", parent=d)
    return {"office": d, "pingtan": pingtan, "hongze": hongze, "sup": world["users"]["supervisor"]}


@pytest.fixture
def batches(office):
    sup = office["sup"]
    first = sv.batch_create(office=office["office"], year=2023, actor=sup,
                            files=[("2023.zip", zip_of("pingtan-2023.txt", "huaian-hongze-2023.pdf"))])
    assert read_all() == 2
    second = sv.batch_create(office=office["office"], year=2024, actor=sup,
                             files=[("2024.zip", zip_of("pingtan-2024.txt", "huaian-hongze-2024.pdf",
                                                        **{"说明.txt": "这不是年度报告".encode()}))])
    assert read_all() == 3
    return first, second


def test_batch_read_matched_compared_checked(office, batches):
    first, second = batches
    subs = {s.body.short_name if s.body else s.source: s for s in second.submissions.all()}
    assert subs["平潭"].state == SubmissionState.CHECKED and subs["平潭"].year == 2024
    # 洪泽区人民政府 (2023, 简称) and 淮安市洪泽区人民政府 (2024, 全称) are the same body
    old = first.submissions.get(body=office["hongze"])
    assert old.printed_name == "洪泽区人民政府"
    assert subs["洪泽区"].printed_name == "淮安市洪泽区人民政府"
    for s in (subs["平潭"], subs["洪泽区"]):
        assert "督查批次" in s.previous and "2023" in s.previous  # compared with the earlier batch's year
    assert subs["说明.txt"].state == SubmissionState.FAILED and "不是政府信息公开工作年度报告" in subs["说明.txt"].error
    assert AuditEntry.objects.filter(action="supervision.upload").count() == 2
    done = AuditEntry.objects.filter(action="supervision.read", subject_id=str(second.pk)).get()  # one per batch
    assert (done.after["checked"], done.after["failed"], done.after["failed_sources"]) == (2, 1, ["说明.txt"])


def test_cross_year_findings_are_there(office, batches):
    _, second = batches
    hz = second.submissions.get(body=office["hongze"])
    pt = second.submissions.get(body=office["pingtan"])
    # compared with the earlier batch's year: 洪泽区 repeats half of its prose (X4), 平潭's 现行有效 chain of
    # normative documents breaks (470 + 62 − 33 ≠ 440, X2); without last year neither can be found
    assert hz.findings.filter(code="X4", level="warning").exists()
    x2 = pt.findings.get(code="X2")
    assert "470" in x2.message and "440" in x2.message
    assert hz.previous_data and pt.previous_data


def test_finding_decide_and_duban_loop(office, batches, world):
    import datetime as dt

    from django.utils import timezone

    _, second = batches
    sup = office["sup"]
    sub = second.submissions.get(body=office["pingtan"])
    f1, f2 = list(sub.findings.all())[:2]
    with pytest.raises(Invalid):
        sv.finding_decide(finding=f2, actor=sup, decision="dismiss")  # a dismissal needs a reason
    sv.finding_decide(finding=f2, actor=sup, decision="dismiss", reason="原文如此，已说明")
    with pytest.raises(Conflict):
        sv.duban_send(finding=f2, actor=sup, due=timezone.localdate(), request="x")  # not confirmed
    sv.finding_decide(finding=f1, actor=sup, decision="confirm")
    with pytest.raises(Forbidden):  # a body's user cannot decide the office's findings
        sv.finding_decide(finding=f1, actor=world["users"]["all_b"], decision="dismiss", reason="x")
    d = sv.duban_send(finding=f1, actor=sup, due=timezone.localdate() + dt.timedelta(days=10), request="请整改")
    assert d.body == office["pingtan"] and d.state == DubanState.SENT
    with pytest.raises(Conflict):
        sv.finding_decide(finding=Finding.objects.get(pk=f1.pk), actor=sup, decision="dismiss", reason="x")
    with pytest.raises(Forbidden):  # only the body's own people answer
        sv.duban_answer(duban=d, actor=world["users"]["all_b"], answer="我来答")
    from gongkai.web.bodies.models import Role
    from gongkai.web.bodies.services import membership_grant, user_create

    pt_user = user_create(username="pt_admin", password="x-12345678", full_name="平潭管理员")
    membership_grant(user=pt_user, body=office["pingtan"], role=Role.ADMIN)
    with pytest.raises(Conflict):
        sv.duban_close(duban=d, actor=sup)  # not answered yet
    sv.duban_answer(duban=d, actor=pt_user, answer="已核实并更正，重新发布")
    with pytest.raises(Forbidden):
        sv.duban_close(duban=d, actor=pt_user)  # the body cannot close its own 督办
    sv.duban_close(duban=d, actor=sup, reopen=True, note="请附更正后的报告链接")
    assert Duban.objects.get(pk=d.pk).state == DubanState.SENT
    sv.duban_answer(duban=Duban.objects.get(pk=d.pk), actor=pt_user, answer="更正后的报告见门户网站")
    sv.duban_close(duban=Duban.objects.get(pk=d.pk), actor=sup, note="整改到位")
    assert Duban.objects.get(pk=d.pk).state == DubanState.CLOSED
    actions = list(AuditEntry.objects.filter(action__startswith="supervision.").values_list("action", flat=True))
    for a in ("supervision.dismiss", "supervision.confirm", "supervision.send", "supervision.answer",
              "supervision.reopen", "supervision.close"):
        assert a in actions, a
    assert FindingState.DISMISSED == Finding.objects.get(pk=f2.pk).state


def test_unmatched_report_assigned_by_hand(office, world):
    sup = office["sup"]
    b = sv.batch_create(office=office["office"], year=2024, actor=sup,
                        files=[("pingtan-2024.txt", (DEV / "pingtan-2024.txt").read_bytes()
                                .replace("平潭综合实验区".encode(), "某某新区".encode()))])
    read_all()
    sub = b.submissions.get()
    assert sub.state == SubmissionState.UNMATCHED and sub.body is None
    with pytest.raises(Exception):  # noqa: B017 - the office's own body is not a subordinate
        sv.submission_assign(submission=sub, body=office["office"], actor=sup)
    sv.submission_assign(submission=sub, body=office["pingtan"], actor=sup)
    sub.refresh_from_db()
    assert sub.state == SubmissionState.CHECKED and sub.body == office["pingtan"]
    assert AuditEntry.objects.filter(action="supervision.match").exists()


def test_zip_limits(office):
    sup = office["sup"]
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("bomb.txt", b"\0" * (50 * 1024 * 1024))  # 50 MB of zeros: ratio ~1000:1
    with pytest.raises(Invalid, match="压缩"):
        sv.batch_create(office=office["office"], year=2024, actor=sup, files=[("a.zip", bomb.getvalue())])
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as zf:
        for i in range(301):
            zf.writestr(f"{i}.txt", b"x")
    with pytest.raises(Invalid):
        sv.batch_create(office=office["office"], year=2024, actor=sup, files=[("b.zip", many.getvalue())])
    with pytest.raises(Invalid):
        sv.batch_create(office=office["office"], year=2024, actor=sup, files=[])
    assert not Submission.objects.exists()


def test_only_the_office_uploads(office, world):
    with pytest.raises(Forbidden):
        sv.batch_create(office=office["office"], year=2024, actor=world["users"]["admin_a"],
                        files=[("x.txt", b"x")])


def test_pages_rollup_and_exports(office, batches, client):
    import openpyxl
    from docx import Document

    _, second = batches
    client.force_login(office["sup"])
    page = client.get(f"/staff/supervision/{second.pk}/").content.decode()
    assert "平潭综合实验区" in page and "淮安市洪泽区人民政府" in page and "汇总表检查" in page
    assert "未能读取" in page
    x = client.get(f"/staff/supervision/review/{office['office'].pk}/2024.xlsx")
    assert x.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(x.content))["问题清单"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:6] == ("机关", "报告来源", "检查项", "问题", "依据", "级别")
    assert {r[0] for r in rows[1:]} == {"平潭综合实验区", "淮安市洪泽区人民政府"}
    d = client.get(f"/staff/supervision/review/{office['office'].pk}/2024.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(d.content)).paragraphs)
    assert "督查情况的通报" in text and "2024年度" in text
    # every page of the batch in Chinese (the language walk's rule; the demo has no batch for it to walk)
    from .test_language import latin_words, visible_text

    sub = second.submissions.get(body=office["pingtan"])
    f = sub.findings.first()
    sv.finding_decide(finding=f, actor=office["sup"], decision="confirm")
    import datetime as dt

    d = sv.duban_send(finding=f, actor=office["sup"], due=dt.date.today() + dt.timedelta(days=5), request="")
    for path in ("/staff/supervision/", f"/staff/supervision/{second.pk}/", f"/staff/supervision/report/{sub.pk}/",
                 "/staff/supervision/duban/", f"/staff/supervision/duban/{d.pk}/"):
        r = client.get(path)
        assert r.status_code == 200, path
        words = latin_words(visible_text(r.content.decode())) - {"supervisor"}  # the test user's name
        assert not words, (path, words)
    assert not Finding.objects.filter(evidence__regex=r"s[2-4]\.").exists()  # cells named in words, not keys
    cmp = client.get(f"/staff/supervision/report/{second.submissions.get(body=office['pingtan']).pk}/compare.html")
    assert cmp.status_code == 200 and "X1" in cmp.content.decode()


def test_urls_through_the_guard(office, monkeypatch):
    """A URL of the office's own network becomes a failed row with the reason; the batch goes on."""
    from gongkai.web.supervision import fetch

    monkeypatch.setattr(fetch, "system_resolve", lambda host, port: ["10.0.0.8"])
    monkeypatch.setattr(fetch, "_open", lambda *a: pytest.fail("connected to a private address"))
    b = sv.batch_create(office=office["office"], year=2024, actor=office["sup"],
                        files=[("pingtan-2024.txt", (DEV / "pingtan-2024.txt").read_bytes())],
                        urls=["http://oa.intranet.example.cn/nb.html", "ftp://example.cn/a.pdf", ""])
    assert read_all() == 3
    rows = {s.source: s for s in b.submissions.all()}
    assert rows["pingtan-2024.txt"].state == SubmissionState.CHECKED
    assert rows["http://oa.intranet.example.cn/nb.html"].state == SubmissionState.FAILED
    assert "内部网络" in rows["http://oa.intranet.example.cn/nb.html"].error
    assert "http" in rows["ftp://example.cn/a.pdf"].error and len(rows) == 3
