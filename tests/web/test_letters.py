"""Letters (文书): every kind and every decision, read back from the DOCX (python-docx) and the PDF (pdftotext);
the gate (L1–L8): each check fires and blocks; templates per body, versioned and audited; the applicant's
downloads by query code (never a third party's letter); the 复议机关 and court inferred, then set."""
from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from typing import Any

import pytest
from docx import Document

from gongkai.law.decisions import reply_types
from gongkai.web.applications import services as s
from gongkai.web.audit.selectors import audit_for
from gongkai.web.core.errors import Forbidden, Invalid, NotFound
from gongkai.web.letters import services as ls
from gongkai.web.letters.models import Letter, LetterTemplate
from gongkai.web.letters.selectors import letter_public, letters_for_application
from gongkai.web.letters.settings import letter_settings

D = dt.date
AUTHORITY, COURT = "哈尔滨市南岗区人民政府", "哈尔滨市南岗区人民法院"
NUMBER = re.compile(r"七政公开〔2024〕\d+号")
STAT = "只计这一情形"
BADGE = '<span class="badge soon">推定</span>'

# What each 答复告知书 must cite, written out independently of the templates.
ARTICLES = {
    "granted": ["第三十六条第（二）项"],
    "partial": ["第三十七条", "第十五条", "第三十六条第（三）项"],
    "denied.state_secret": ["第十四条", "第三十六条第（三）项", "国家秘密"],
    "denied.law_prohibited": ["第十四条", "第三十六条第（三）项", "法律、行政法规禁止公开"],
    "denied.three_securities": ["第十四条", "第三十六条第（三）项", "社会稳定"],
    "denied.third_party": ["第十五条", "第三十六条第（三）项", "第三方合法权益"],
    "denied.internal_affairs": ["第十六条第一款", "第三十六条第（三）项", "内部事务信息"],
    "denied.process_info": ["第十六条第二款", "第三十六条第（三）项", "过程性信息"],
    "denied.enforcement_file": ["第十六条第二款", "第三十六条第（三）项", "行政执法案卷"],
    "denied.query_matter": ["第三十六条第（七）项"],
    "unable.not_held": ["第三十六条第（四）项", "不存在"],
    "unable.needs_creation": ["第三十八条"],
    "unable.unclear": ["第三十条", "第二十九条第二款"],
    "not_processed.petition": ["第三十九条第一款", "信访"],
    "not_processed.duplicate": ["第三十六条第（六）项", "重复"],
    "not_processed.publication": ["第三十九条第二款", "公开出版物"],
    "not_processed.excessive": ["第三十五条"],
    "not_processed.confirm_reissue": ["确认或者重新出具"],
    "other.no_correction": ["第三十条", "视为您放弃申请"],
    "other.no_fee": ["第四十二条", "109号", "视为您放弃申请"],
    "other.other": ["撤回"],
}
REVIEW_FIRST = {k for k in ARTICLES if k.startswith("denied.") and k != "denied.query_matter"} | {"partial"}


def docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(bytes(data))).paragraphs)


def pdf_text(data: bytes) -> str:
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext (poppler-utils) is required")
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=bytes(data), capture_output=True, check=True)
    pages = out.stdout.decode().split("\f")
    assert all(re.search(rf"—\s*{i}\s*—", p) for i, p in enumerate(pages[:-1], 1)), "page numbers 「— n —」"
    return re.sub(r"—\d+—", "", "".join(flat(p) for p in pages))  # the text without the page numbers


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def u(world: dict[str, Any]) -> dict[str, Any]:
    return world["users"]


def decided(make_app: Any, u: dict[str, Any], reply_type: str, **kw: Any) -> tuple[Any, D]:
    """An application closed with ``reply_type`` (through the services), and its reply date."""
    app = make_app(**kw)
    r = u["reviewer_a"]
    if reply_type in ("unable.unclear", "other.no_correction"):
        s.correction_notice(application=app, actor=r, on=D(2024, 3, 6), items="文号")
        if reply_type == "other.no_correction":
            return s.application_lapse(application=app, actor=r, on=D(2024, 3, 29), reason="no_correction"), D(2024, 3, 29)
        s.correction_received(application=app, actor=r, on=D(2024, 3, 11))
    if reply_type == "other.no_fee":
        s.fee_notice(application=app, actor=r, on=D(2024, 3, 6), method="pages", quantity=120)
        return s.application_lapse(application=app, actor=r, on=D(2024, 3, 22), reason="no_fee"), D(2024, 3, 22)
    if reply_type == "other.other":
        return s.application_lapse(application=app, actor=r, on=D(2024, 3, 8), reason="withdrawn"), D(2024, 3, 8)
    return s.decision_record(application=app, actor=r, on=D(2024, 3, 20), reply_type=reply_type,
                             summary="理由：见所附说明。"), D(2024, 3, 20)


@pytest.mark.parametrize("reply_type", [t.row_key for t in reply_types()])
def test_reply_letter_for_each_decision(world, make_app, u, reply_type):
    app, on = decided(make_app, u, reply_type)
    facts = {"withheld": "denied.third_party"} if reply_type == "partial" else {}
    letter = ls.letter_issue(application=app, actor=u["reviewer_a"], key=f"reply.{reply_type}", facts=facts)
    date = f"{on.year}年{on.month}月{on.day}日"
    for text in (flat(docx_text(letter.docx)), pdf_text(letter.pdf)):
        assert text.count("张三：") == 1 and "南岗区七政街道办事处政府信息公开申请答复告知书" in text
        assert NUMBER.search(text) and date in text and "2024年03月" not in text
        for needle in ARTICLES[reply_type]:
            assert needle in text, (reply_type, needle)
        assert f"向{AUTHORITY}申请行政复议" in text and f"向{COURT}提起行政诉讼" in text
        assert ("行政复议法》第二十三条" in text) == (reply_type in REVIEW_FIRST)
        assert "您（单位）" not in text and STAT not in text and "（三）不予公开" not in text and "{" not in text
        if reply_type not in ("partial",):
            assert "第三十七条" not in text
        if not reply_type.startswith("denied.") and reply_type != "partial":
            assert not any(a in text for a in ("第十四条", "第十五条", "第十六条"))
    assert letter.template.version == 1 and letter.issued_on == on and letter.addressee == "张三"
    assert not [f for f in letter.findings if f["level"] == "error"]


def test_disclosure_letters_say_how_the_information_is_delivered(world, make_app, u):
    app, _ = decided(make_app, u, "granted", delivery="email", requested_form="electronic", applicant_type="commercial",
                     applicant_name="某某科技有限公司")
    text = flat(docx_text(ls.letter_issue(application=app, actor=u["reviewer_a"], key="reply.granted").docx))
    assert "某某科技有限公司：" in text and "发送至你单位提供的电子邮箱" in text and "你单位可以自收到" in text


def test_not_held_names_the_responsible_body(world, make_app, u):
    app, _ = decided(make_app, u, "unable.not_held")
    letter = ls.letter_issue(application=app, actor=u["reviewer_a"], key="reply.unable.not_held",
                             facts={"responsible_body": "哈尔滨市南岗区财政局"})
    text = flat(docx_text(letter.docx))
    assert "第三十六条第（五）项" in text and "由哈尔滨市南岗区财政局负责公开" in text and "第（四）项" not in text


def test_a_whole_case_and_its_letters(world, make_app, u, client):
    """Receipt, 补正, consultation, extension, fee, reply — each letter read back from DOCX and PDF."""
    r, head = u["reviewer_a"], u["head_a"]
    app = make_app(channel="registered_mail", signed_for_on=D(2024, 3, 4), contact_phone="13800000000")
    receipt = ls.letter_issue(application=app, actor=r, key="receipt")
    text = pdf_text(receipt.pdf)
    assert "七政公开〔2024〕1号" in text and "邮寄（挂号信）" in text and app.query_code in text
    assert "2024年4月1日" in text and "第三十三条" in text  # 20 working days from 4 March 2024

    s.correction_notice(application=app, actor=r, on=D(2024, 3, 6), items="所需信息的文号\n所需信息的年份",
                        reply_by=D(2024, 3, 27))
    corr = ls.letter_issue(application=app, actor=r, key="correction")
    for text in (flat(docx_text(corr.docx)), pdf_text(corr.pdf)):
        assert "1.所需信息的文号；" in text and "2.所需信息的年份。" in text and "2024年3月27日前" in text
        assert "视为放弃申请" in text and "第三十条" in text and "2024年3月6日" in text and "七政公开〔2024〕2号" in text
    s.correction_received(application=app, actor=r, on=D(2024, 3, 11))

    s.pause_start(application=app, actor=r, on=D(2024, 3, 12), reason="third_party", party="某某建材有限公司")
    cons = ls.letter_issue(application=app, actor=r, key="consultation",
                           facts={"party_organisation": True, "party_phone": "0451-88886666",
                                  "party_address": "南岗区某路1号"})
    for text in (flat(docx_text(cons.docx)), pdf_text(cons.pdf)):
        assert "某某建材有限公司：" in text and "第三十二条" in text and "十五个工作日" in text and "你单位" in text
        assert "张三" not in text and "13800000000" not in text  # the applicant stays unnamed
    assert cons.recipient == "third_party" and app.parties.get().phone == "0451-88886666"
    s.pause_end(application=app, actor=r, on=D(2024, 3, 25))

    s.extension_grant(application=app, actor=head, on=D(2024, 4, 1), days=20, reason="需要调取档案")
    ext = ls.letter_issue(application=app, actor=r, key="extension")
    app.refresh_from_db()
    due = f"{app.due_on.year}年{app.due_on.month}月{app.due_on.day}日"
    for text in (flat(docx_text(ext.docx)), pdf_text(ext.pdf)):
        assert "因需要调取档案" in text and "延长20个工作日" in text and f"将于{due}前" in text
        assert "第三十三条第二款" in text and "书面征求第三方意见" in text

    s.fee_notice(application=app, actor=r, on=D(2024, 4, 2), method="pages", quantity=120)
    fee = ls.letter_issue(application=app, actor=r, key="fee")
    for text in (flat(docx_text(fee.docx)), pdf_text(fee.pdf)):
        assert "人民币1100.00元" in text and "按量计收" in text and "120页" in text and "109号" in text
        assert "第31–100页：70页×10元/页=700元" in text and "二十个工作日" in text and "缴入国库" in text
    s.fee_paid(application=app, actor=r, on=D(2024, 4, 8), receipt_no="PJ-1")

    s.decision_record(application=app, actor=r, on=D(2024, 4, 25), reply_type="partial", summary="附件所列信息予以公开。")
    reply = ls.letter_issue(application=app, actor=r, key="reply.partial", facts={"withheld": "denied.third_party"})
    for text in (flat(docx_text(reply.docx)), pdf_text(reply.pdf)):
        assert "第三十七条" in text and "第十五条" in text and AUTHORITY in text and COURT in text
        assert "2024年4月25日" in text and "缴纳信息处理费1100.00元" in text and "延长答复期限20个工作日" in text
        assert "某某建材有限公司" not in text and "0451-88886666" not in text
    numbers = [x.number for x in letters_for_application(app)]
    assert numbers == [f"七政公开〔2024〕{i}号" for i in range(1, 7)]
    assert [x.key for x in letters_for_application(app, public=True)] == [
        "receipt", "correction", "extension", "fee", "reply.partial"]  # never the consultation letter
    assert letter_public(query_code=app.query_code.lower(), pk=reply.pk) == reply
    page = client.get(f"/ysqgk/query/?code={app.query_code}").content.decode()  # the citizen's status page
    assert f"/ysqgk/letters/{app.query_code}/{reply.pk}.pdf" in page and "答复告知书（七政公开〔2024〕6号，PDF）" in page
    assert f"/{cons.pk}." not in page and "征询函" not in page
    with pytest.raises(NotFound):
        letter_public(query_code=app.query_code, pk=cons.pk)
    with pytest.raises(NotFound):
        letter_public(query_code="AAAA-BBBB-CCCC", pk=reply.pk)


# --- the gate -------------------------------------------------------------------------------------------

def _blocked(app: Any, actor: Any, key: str, check: str, **kw: Any) -> str:
    before = Letter.objects.count()
    with pytest.raises(Invalid) as exc:
        ls.letter_issue(application=app, actor=actor, key=key, **kw)
    assert Letter.objects.count() == before
    ids = {f["id"] for f in exc.value.details["findings"] if f["level"] == "error"}
    assert check in ids, (check, exc.value.message)
    return exc.value.message


def _edit(world: Any, u: Any, key: str, old: str, new: str, title: str | None = None) -> None:
    tpl = ls.current_template(world["a"], key)
    assert old in tpl.text
    ls.template_save(body=world["a"], key=key, title=title or tpl.title, text=tpl.text.replace(old, new),
                     actor=u["admin_a"])


def test_gate_l1_article_must_fit_the_decision(world, make_app, u):
    app, _ = decided(make_app, u, "granted")
    _edit(world, u, "reply.granted", "第三十六条第（二）项", "第十四条")
    msg = _blocked(app, u["reviewer_a"], "reply.granted", "L1")
    assert "第十四条" in msg and "第三十六条第（一）项或第三十六条第（二）项" in msg
    part, _ = decided(make_app, u, "partial")
    _blocked(part, u["reviewer_a"], "reply.partial", "L1")  # no ground chosen for the part withheld


def test_gate_l2_remedies_name_both_bodies(world, make_app, u):
    app, _ = decided(make_app, u, "denied.state_secret")
    _edit(world, u, "reply.denied.state_secret", "{救济途径}", "如不服，可以依法申请行政复议或者提起行政诉讼。")
    msg = _blocked(app, u["reviewer_a"], "reply.denied.state_secret", "L2")
    assert "行政复议机关" in msg and "人民法院" in msg
    # inferred settings are a warning until the 管理员 confirms them; an empty court (not inferable) blocks
    other, _ = decided(make_app, u, "granted")
    d = ls.draft(application=other, key="reply.granted")
    assert [f.level for f in d.findings if f.id == "L2"] == ["warning"]
    ls.body_letter_settings_save(body=world["a"], actor=u["admin_a"], letter_prefix="七政公开",
                                 review_authority="哈尔滨市南岗区人民政府", court="哈尔滨铁路运输法院")
    other.body.refresh_from_db()
    d = ls.draft(application=other, key="reply.granted")
    assert not [f for f in d.findings if f.id == "L2"] and "向哈尔滨铁路运输法院提起行政诉讼" in d.doc.text
    district_app = make_app(body=world["b"])
    world["b"].parent = None  # a body with nothing above it in the tree: neither can be inferred
    world["b"].path = f"/{world['b'].pk}/"
    world["b"].save()
    assert letter_settings(world["b"]).court == "" and letter_settings(world["b"]).review_authority == ""
    s.decision_record(application=district_app, actor=u["all_b"], on=D(2024, 3, 20), reply_type="granted")
    with pytest.raises(Invalid) as exc:
        ls.letter_issue(application=district_app, actor=u["all_b"], key="reply.granted")
    assert "未写明行政复议机关" in exc.value.message and "未写明人民法院" in exc.value.message


def test_gate_l3_dates(world, make_app, u):
    app = make_app(received=D(2024, 3, 4))
    s.decision_record(application=app, actor=u["reviewer_a"], on=D(2024, 4, 10), reply_type="granted")
    msg = _blocked(app, u["reviewer_a"], "reply.granted", "L3")  # due 2024-04-01
    assert "超过答复期限2024年4月1日" in msg
    letter = ls.letter_issue(application=app, actor=u["reviewer_a"], key="reply.granted",
                             facts={"late_reason": "承办人病假，交接延误"})
    assert [f["level"] for f in letter.findings if f["id"] == "L3"] == ["warning"]
    late = make_app(received=D(2024, 3, 4))
    s.correction_notice(application=late, actor=u["reviewer_a"], on=D(2024, 3, 14), items="文号")
    assert "补正告知期限" in _blocked(late, u["reviewer_a"], "correction", "L3")  # 7 working days: 13 March
    old = make_app(received=D(2018, 3, 5))  # the 2008 条例 set no limit on the 补正 notice
    s.correction_notice(application=old, actor=u["reviewer_a"], on=D(2018, 3, 20), items="文号")
    assert not [f for f in ls.draft(application=old, key="correction").findings if f.id == "L3"]
    future = make_app(received=D(2024, 3, 4))
    _blocked(future, u["reviewer_a"], "receipt", "L3", on=dt.date.today() + dt.timedelta(days=3))


def test_gate_l4_addressee_and_l7_wording(world, make_app, u):
    app, _ = decided(make_app, u, "unable.needs_creation")
    _edit(world, u, "reply.unable.needs_creation", "{申请人}：\n", "")
    _blocked(app, u["reviewer_a"], "reply.unable.needs_creation", "L4")
    _edit(world, u, "reply.unable.needs_creation", "本机关于", "{申请人}：\n您（单位）于本机关于")
    assert "您（单位）" in _blocked(app, u["reviewer_a"], "reply.unable.needs_creation", "L4")
    _edit(world, u, "reply.unable.needs_creation", "您（单位）于", "")
    _edit(world, u, "reply.unable.needs_creation", "无法提供。", "无法提供。办理结果：（二）部分公开（区分处理的，只计这一情形，不计其他情形）；{附件}")
    msg = _blocked(app, u["reviewer_a"], "reply.unable.needs_creation", "L7")
    assert "统计表的分类名称" in msg and "{附件}" in msg


def test_gate_l5_number(world, make_app, u):
    app = make_app()
    ls.body_letter_settings_save(body=world["a"], actor=u["admin_a"], letter_prefix="七政 公开",
                                 review_authority="", court="")
    _blocked(app, u["reviewer_a"], "receipt", "L5")


def test_gate_l6_no_third_party_data_to_the_applicant(world, make_app, u):
    r = u["reviewer_a"]
    app = make_app()
    s.pause_start(application=app, actor=r, on=D(2024, 3, 5), reason="third_party", party="李四")
    ls.letter_issue(application=app, actor=r, key="consultation", facts={"party_id_number": "230103199001011234"})
    s.pause_end(application=app, actor=r, on=D(2024, 3, 15))
    s.decision_record(application=app, actor=r, on=D(2024, 3, 20), reply_type="denied.third_party",
                      summary="所申请信息为李四（身份证号230103199001011234）的个人信息。")
    msg = _blocked(app, r, "reply.denied.third_party", "L6")
    assert "李四" in msg and "230103199001011234" in msg
    # the other way: the applicant's own data does not go to the third party
    other = make_app(contact_phone="13912345678")
    s.pause_start(application=other, actor=r, on=D(2024, 3, 5), reason="third_party", party="某公司")
    _edit(world, u, "consultation", "本机关收到一件政府信息公开申请", "本机关收到{申请人}的政府信息公开申请")
    assert "张三" in _blocked(other, r, "consultation", "L6")


def test_gate_l8_refusal_without_reasons_warns(world, make_app, u):
    app = make_app()
    s.decision_record(application=app, actor=u["reviewer_a"], on=D(2024, 3, 20), reply_type="denied.process_info")
    letter = ls.letter_issue(application=app, actor=u["reviewer_a"], key="reply.denied.process_info")
    assert [f["id"] for f in letter.findings if f["level"] == "warning"] == ["L2", "L8"]


def test_reply_letter_waits_for_review_and_the_reviewer_sees_the_findings(world, make_app, u, client):
    app = make_app()
    app = s.decision_record(application=app, actor=u["handler_a"], on=D(2024, 3, 20), reply_type="partial",
                            summary="部分公开")
    assert app.status == "review"
    with pytest.raises(Exception, match="审核通过后"):
        ls.letter_issue(application=app, actor=u["handler_a"], key="reply.partial",
                        facts={"withheld": "denied.third_party"})
    client.force_login(u["reviewer_a"])
    page = client.get(f"/staff/cases/{app.pk}/").content.decode()
    assert 'id="reply-review"' in page and "L1" in page and "部分公开须选择不予公开部分的理由" in page
    r = client.get(f"/staff/cases/{app.pk}/letters/reply.partial/?on=2024-03-20&withheld=denied.third_party")
    assert r.status_code == 200 and "第十五条" in r.content.decode() and "审查通过" not in r.content.decode()


# --- templates, settings, pages ---------------------------------------------------------------------------

def test_templates_are_per_body_versioned_and_audited(world, make_app, u):
    app, _ = decided(make_app, u, "granted")
    first = ls.letter_issue(application=app, actor=u["reviewer_a"], key="receipt")
    assert first.template.version == 1 and first.template.pk
    tpl = ls.template_save(body=world["a"], key="receipt", title="政府信息公开申请受理回执",
                           text=first.template.text + "\n特此回执。", actor=u["admin_a"], note="加结束语")
    assert tpl.version == 2 and [e.action for e in audit_for(subject=tpl)] == ["letter_template.save"]
    second = ls.letter_issue(application=app, actor=u["reviewer_a"], key="receipt")
    assert second.template.version == 2 and "特此回执。" in docx_text(second.docx) and "受理回执" in second.title
    first.refresh_from_db()
    assert first.template.version == 1  # an issued letter keeps the version it used
    assert LetterTemplate.objects.filter(body=world["b"]).count() == 0  # body B still on its defaults
    for who in ("reviewer_a", "all_b"):
        with pytest.raises(Forbidden):
            ls.template_save(body=world["a"], key="receipt", title="x", text="y", actor=u[who])
    with pytest.raises(Invalid):
        ls.template_save(body=world["a"], key="receipt", title=tpl.title, text=tpl.text, actor=u["admin_a"])


def test_staff_pages(world, make_app, u, client):
    app, _ = decided(make_app, u, "granted")
    client.force_login(u["admin_a"])
    r = client.get("/staff/letters/")
    assert r.status_code == 200 and "哈尔滨市南岗区人民政府" in r.content.decode() and BADGE in r.content.decode()
    r = client.post(f"/staff/letters/{world['a'].pk}/settings/", {"letter_prefix": "七政公开",
                                                                  "review_authority": AUTHORITY, "court": COURT})
    assert r.status_code == 302 and BADGE not in client.get("/staff/letters/").content.decode()
    r = client.post(f"/staff/letters/{world['a'].pk}/templates/receipt/", {"title": "登记回执", "text": "{申请人}：\n收到。"})
    assert r.status_code == 302 and ls.current_template(world["a"], "receipt").version == 2
    client.force_login(u["reviewer_a"])
    r = client.post(f"/staff/letters/{world['a'].pk}/templates/receipt/", {"title": "x", "text": "y"})
    assert r.status_code == 403
    r = client.post(f"/staff/cases/{app.pk}/letters/reply.granted/", {"on": "2024-03-20"})
    assert r.status_code == 302
    letter = Letter.objects.get(application=app)
    page = client.get(f"/staff/cases/{app.pk}/").content.decode()
    assert letter.number in page and "模板第1版" in page
    r = client.get(f"/staff/letters/{letter.pk}.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert client.get(f"/staff/letters/{letter.pk}.exe").status_code == 404
    client.logout()
    r = client.get(f"/ysqgk/letters/{app.query_code}/{letter.pk}.docx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert client.get(f"/ysqgk/letters/AAAA-BBBB-CCCC/{letter.pk}.docx").status_code == 404


# --- layout ------------------------------------------------------------------------------------------------

def test_docx_follows_gb_t_9704(world, make_app, u):
    from docx.shared import Mm, Pt

    app, _ = decided(make_app, u, "granted")
    d = Document(io.BytesIO(bytes(ls.letter_issue(application=app, actor=u["reviewer_a"], key="reply.granted").docx)))
    sec = d.sections[0]
    assert (round(sec.page_width / Mm(1)), round(sec.page_height / Mm(1))) == (210, 297)
    assert [round(m / 36000) for m in (sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin)] == [
        37, 35, 28, 26]
    normal = d.styles["Normal"]
    assert normal.font.size == Pt(16) and normal.element.rPr.rFonts.get(qn_east()) == "仿宋_GB2312"
    paras = [p for p in d.paragraphs if p.text]
    assert paras[0].text == "南岗区七政街道办事处" and paras[0].runs[0].font.size == Pt(22)
    assert paras[0].alignment == 1 and paras[2].alignment == 1  # title and 文号 centred
    sign, date = paras[-2], paras[-1]
    assert (sign.text, date.text) == ("南岗区七政街道办事处", "2024年3月20日")
    assert date.alignment == 2 and date.paragraph_format.right_indent == Pt(64)  # 右空四字
    assert all(p.paragraph_format.first_line_indent == Pt(32) for p in paras[4:-2])  # text indented two characters
    footer = sec.footer.paragraphs[0]._p.xml + sec.even_page_footer.paragraphs[0]._p.xml
    assert footer.count('w:instr="PAGE"') == 2 and d.settings.odd_and_even_pages_header_footer


def qn_east() -> str:
    from docx.oxml.ns import qn

    return qn("w:eastAsia")


def test_the_signature_never_stands_alone_on_a_page():
    """Texts of every length around a page break: the last page always carries a line of the text."""
    from gongkai.web.letters.compose import LetterDoc
    from gongkai.web.letters.render import render_pdf

    for n in range(8, 17):  # one-line paragraphs: the page break falls at every place of the end in turn
        doc = LetterDoc(title_lines=["南岗区七政街道办事处", "政府信息公开申请答复告知书"], number="七政公开〔2026〕1号",
                        addressee="张三：", paragraphs=[f"第{i}项已办理。" for i in range(n)] + ["特此告知。"],
                        signature="南岗区七政街道办事处", date="2026年12月5日")
        out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=render_pdf(doc), capture_output=True,
                             check=True).stdout.decode()
        last = flat(out.split("\f")[-2] if out.endswith("\f") else out.split("\f")[-1])
        assert "特此告知" in last, (n, last)


def test_the_old_reply_letter_would_not_pass_the_gate(world, make_app, u):
    """The reply letter this app replaces (您（单位）, the statistics label, only 第三十七条, no bodies named)
    is what the gate is for: written as a template, it is blocked by L1, L2, L4 and L7."""
    app, _ = decided(make_app, u, "partial")
    old = ("{申请人}：\n本机关于{收到日期}收到您（单位）提出的政府信息公开申请（{申请编号}），申请获取“{申请内容}”。\n"
           "经审查，现答复如下：{答复内容}\n本申请的办理结果为：（二）部分公开（区分处理的，只计这一情形，不计其他情形）。"
           "依据：《中华人民共和国政府信息公开条例》第三十七条。\n如对本答复不服，可以在收到本告知书之日起六十日内依法申请行政复议，"
           "或者在六个月内依法提起行政诉讼。")
    ls.template_save(body=world["a"], key="reply.partial", title="政府信息公开申请答复告知书", text=old,
                     actor=u["admin_a"])
    with pytest.raises(Invalid) as exc:
        ls.letter_issue(application=app, actor=u["reviewer_a"], key="reply.partial",
                        facts={"withheld": "denied.third_party"})
    ids = {f["id"] for f in exc.value.details["findings"] if f["level"] == "error"}
    assert ids == {"L1", "L2", "L4", "L7"}, exc.value.message


def test_api_drafts_and_issues(world, make_app, u, client):
    app, _ = decided(make_app, u, "not_processed.petition")
    client.force_login(u["reviewer_a"])
    r = client.post(f"/api/letters/applications/{app.pk}/reply.not_processed.petition/draft", {},
                    content_type="application/json")
    assert r.status_code == 200 and not r.json()["blocked"] and "第三十九条第一款" in r.json()["text"]
    r = client.post(f"/api/letters/applications/{app.pk}/reply.granted", {}, content_type="application/json")
    assert r.status_code == 409  # not this case's decision
    r = client.post(f"/api/letters/applications/{app.pk}/reply.not_processed.petition", {"on": "2024-03-20"},
                    content_type="application/json")
    assert r.status_code == 200 and r.json()["number"] == "七政公开〔2024〕1号"
    listed = client.get(f"/api/letters/applications/{app.pk}").json()
    assert [x["key"] for x in listed["issued"]] == ["reply.not_processed.petition"]
    assert client.get(listed["issued"][0]["pdf"]).content.startswith(b"%PDF")


def test_the_demo_has_letters(db):
    from gongkai.web.bodies.models import Body
    from gongkai.web.core.demo import load_demo

    load_demo(count=12)
    qizheng = Body.objects.get(short_name="七政")
    assert qizheng.review_authority and qizheng.court and qizheng.letter_prefix == "七政公开"
    keys = set(Letter.objects.filter(body=qizheng).values_list("key", flat=True))
    assert "receipt" in keys and any(k.startswith("reply.") for k in keys), keys
