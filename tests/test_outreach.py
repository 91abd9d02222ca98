"""Section 一's channel sentences from the log and check W10 (pure: no Django)."""
from __future__ import annotations

import unicodedata

from gongkai.checks import run_checks
from gongkai.examples import load
from gongkai.outreach import OutreachFacts, mismatches, monthly, sentences

SEED = OutreachFacts(meetings=21, lectures=11, submitted=130, published=101,
                     by_level=(("provincial", 11), ("city", 15), ("district", 75)),
                     by_topic=(("解决百姓民生问题", 36), ("消防安全检查", 22), ("垃圾分类信息", 10), ("清冰雪信息", 6),
                               ("组织开展文艺活动类信息", 18)), board=36)


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def test_the_seed_figures_give_the_seed_sentences():
    overview, platforms = sentences(SEED)
    seed = _nfkc(load("qizheng-2023").section(1).text)
    for sentence in _nfkc(overview).split("。")[:-1]:
        assert sentence in seed, sentence
    assert "公告栏的形式公示了36次" in overview and "省级媒体刊登11篇，市级媒体刊登15篇" in overview
    assert "区级" not in overview  # the remainder, as the report leaves it
    assert platforms == ""  # no 公众号 articles logged


def test_monthly_average_words():
    assert monthly(130) == "10余篇" and monthly(120) == "10篇" and monthly(40) == "约3篇" and monthly(250) == "20余篇"


def test_sentences_name_only_what_was_logged():
    overview, platforms = sentences(OutreachFacts(lectures=2, trainings=1, published=3, wechat=5, weibo=2))
    assert overview == "全年共举办宣传讲座2场次，开展培训1场次。全年在媒体刊登3篇。"
    assert platforms == "全年通过微信公众号发布信息5篇，通过微博发布信息2条。"
    assert sentences(OutreachFacts()) == ("", "")


def test_w10_passes_the_seed_and_flags_each_changed_number():
    report = load("qizheng-2023")
    assert not [f for f in run_checks(report, outreach=SEED) if f.id == "W10"]
    assert not [f for f in run_checks(report) if f.id == "W10"]  # no log, nothing to compare
    text = report.section(1).text
    for old, new, key in (("政策会议21", "政策会议22", "meetings"), ("刊登101篇", "刊登100篇", "published"),
                          ("省级媒体刊登11篇", "省级媒体刊登12篇", "level:provincial"),
                          ("消防安全检查22篇", "消防安全检查20篇", "topic:消防安全检查"),
                          ("公示了36次", "公示了35次", "board"), ("每月投稿10余篇", "每月投稿5篇", "submitted")):
        assert old in text, old
        found = mismatches(text.replace(old, new), SEED)
        assert [m.key for m in found] == [key], (old, found)
    sections = tuple(s.model_copy(update={"text": s.text.replace("公示了36次", "公示了35次")}) if s.number == 1 else s
                     for s in report.sections)
    w10 = [f for f in run_checks(report.model_copy(update={"sections": sections}), outreach=SEED) if f.id == "W10"]
    assert len(w10) == 1 and w10[0].level == "warning" and "35" in w10[0].message and "36" in w10[0].message
