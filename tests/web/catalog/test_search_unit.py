"""Search building blocks: terms, bigram documents, highlighting (escaping), and migrations complete."""
from __future__ import annotations

import types

from django.core.management import call_command

from gongkai.web.catalog.search import bigrams, highlight, index_rows, snippet, terms_of


def test_terms_split_on_spaces_and_chinese_punctuation():
    assert terms_of("预算，三公经费　防汛") == ["预算", "三公经费", "防汛"]
    assert terms_of('"政府" OR 信息') == ["政府", "OR", "信息"]  # quotes dropped: no FTS syntax from users
    assert terms_of("") == [] and len(terms_of("词 " * 40)) == 8


def test_bigrams_of_cjk_runs_only():
    assert bigrams("防汛应急，2025年预案") == "防汛 汛应 应急 年预 预案"
    assert bigrams("abc") == ""


def test_bigram_document_marks_title_bigrams_and_tags():
    import datetime as dt

    item = types.SimpleNamespace(pk=1, title="防汛预案", doc_number="", index_no="X/2025-00001", keywords="",
                                 summary="", text="物资储备", body_id=7, category="emergency",
                                 published_at=dt.datetime(2025, 5, 1))
    _fts, (rowid, doc) = index_rows(item)
    assert rowid == 1 and "t防汛" in doc.split() and "物资" in doc.split() and "t物资" not in doc.split()
    assert {"zb7", "zcemergency", "zy2025"} <= set(doc.split())


def test_highlight_escapes_everything_else():
    assert highlight("<b>防汛</b>&预案", ["防汛"]) == "&lt;b&gt;<mark>防汛</mark>&lt;/b&gt;&amp;预案"
    assert snippet("甲" * 100 + "防汛" + "乙" * 100, ["防汛"], width=20).startswith("…")


def test_migrations_are_complete(db):
    call_command("makemigrations", "catalog", "reports", "portal", "--check", "--dry-run", verbosity=0)


def test_snippet_is_cut_from_one_field_not_the_index_join():
    """The index joins keywords, summary and text; a snippet cut from that join repeated the summary (often the
    text's first sentence) and showed the bare keyword list (found on the demo portal)."""
    from types import SimpleNamespace

    from gongkai.web.catalog.search import shown_text

    item = SimpleNamespace(keywords="防汛 应急预案", summary="为做好辖区防汛工作，制定本预案。",
                           text="为做好辖区防汛工作，制定本预案。一、总则……")
    shown = str(snippet(shown_text(item, ["防汛"]), ["防汛"]))
    assert shown.count("为做好辖区") == 1 and "应急预案 为做好" not in shown
    only_summary = SimpleNamespace(keywords="", summary="现将名单公示如下。", text="附件：名单")
    assert shown_text(only_summary, ["公示"]) == "现将名单公示如下。"
    assert shown_text(only_summary, ["别的"]) == "现将名单公示如下。"  # no match: the summary, never the keywords
