"""The narrative composer: drafts state only facts, mark everything else, and agree with the tables."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

from gongkai.compose import (
    CatalogFacts,
    FeeFacts,
    change,
    compose,
    placeholder,
    placeholders,
    problems_from,
    with_drafts,
)
from gongkai.formats.vocab import NARRATIVE_FACTS
from gongkai.report import Report, SectionText, zero_report

# Section 五 of two real reports (corpus/dev pingtan-2023.txt and seed-qizheng-2023.txt), as printed.
PINGTAN_2023_5 = (
    "存在的问题主要有以下几个方面：一是部分单位信息发布属性界定还不够精确，部分栏目存在信息噪音；三是开拓创新不够有力，"
    "实验区政务公开工作特色打造、亮点挖掘还不够；三是政策解读的质量有待提高，形式还要更加多样、更加“接地气”。2024年，"
    "我区将采取以下措施加以改进：一是加大政务公开检查力度，结合政府信息公开保密审查、发布时间节点限制等方面具体要求定期"
    "进行抽查，每月对政务公开情况进行巡检通报，通报结果纳入年度绩效考核。二是提升政务公开内容质量。")
QIZHENG_2023_5 = (
    "\n- (一)存在的主要问题。2023年,我街道政府信息公开工作存在一些不足之处:一是政府信息公开质量有待进一步提高、"
    "政府信息公开工作制度有待进一步完善;二是政府信息公开的深度和广度拓展不够。\n- (二)改进措施。下一步,我街道将"
    "按照区委区政府的决策部署,进一步推进政府信息公开工作:继续全面深化信息公开内容。")


def _report(year: int, **cells: int) -> Report:
    r = zero_report("2021", year=year, agency="南岗区七政街道办事处")
    return r.with_cells({k.replace("__", "."): v for k, v in cells.items()})


THIS = _report(2024, s3__new__natural=4, s3__new__commercial=1, s3__new__total=5, s3__carried_over__natural=1,
               s3__carried_over__total=1, s3__granted__natural=3, s3__granted__total=3,
               s3__unable__not_held__natural=1, s3__unable__not_held__total=1, s3__total__natural=4,
               s3__total__commercial=0, s3__total__total=4, s3__carry_forward__natural=1,
               s3__carry_forward__commercial=1, s3__carry_forward__total=2, s2__normative_docs__issued=2,
               s2__normative_docs__in_force=7, s4__review__total=1, s4__review__pending=1)
LAST = _report(2023, s3__new__natural=3, s3__new__total=3, s2__normative_docs__issued=2,
               s4__review__total=0).model_copy(update={"sections": (SectionText(
                   number=5, heading="五、存在的主要问题及改进情况",
                   text="（一）存在的主要问题。一是信息发布不够及时；二是政策解读形式较少。（二）改进情况。一是加强审核。"),)})


def test_counts_and_changes_come_from_the_tables():
    s1 = compose(THIS, previous=LAST).section(1).text
    assert "本年度共收到政府信息公开申请5件，较上年增加2件" in s1
    assert "上年结转1件" in s1 and "结转下年度继续办理2件" in s1
    assert "本年度办结4件，其中予以公开3件、无法提供1件" in s1
    assert "本年制发行政规范性文件2件，与上年持平" in s1
    assert "被申请行政复议1件，较上年增加1件" in s1


def test_without_last_year_no_change_is_claimed():
    s1 = compose(THIS).section(1).text
    assert "较上年" not in s1 and "与上年持平" not in s1


@pytest.mark.parametrize("report", [THIS, LAST, _report(2024)], ids=["busy", "last", "zero"])
def test_numbers_the_checks_read_back_equal_the_cells(report):
    """W1 reads numbers out of the narrative with formats.vocab's phrases: every one must match its cell."""
    text = compose(report).section(1).text
    found = 0
    for key, pattern in NARRATIVE_FACTS:
        for m in re.finditer(pattern, text):
            found += 1
            if key == "s4.litigation.total":
                want = sum(report.value(f"s4.{b}.total") or 0 for b in ("litigation_direct", "litigation_after_review"))
            else:
                want = report.value(key)
            assert int(m.group("n")) == want, (key, m.group(0))
    assert found or report.value("s3.new.total") == 0


def test_nothing_invented_placeholders_mark_the_rest():
    draft = compose(THIS, previous=LAST)
    assert "条数" in draft.placeholders  # no catalog facts: the published count is left to the clerk
    assert any("信息处理费" in p for p in draft.placeholders)  # no fee facts: 六 must not claim "none"
    assert "未收取信息处理费" not in draft.section(6).text
    with_catalog = compose(THIS, catalog=CatalogFacts(published=42, previous_published=40,
                                                      by_category=(("法规文件", 12), ("财政信息", 5)), overdue=1))
    s1 = with_catalog.section(1).text
    assert "主动公开政府信息42条，较上年增加2条，其中法规文件12条、财政信息5条" in s1
    assert "有1条信息未在形成或变更之日起20个工作日内公开" in s1
    assert "条数" not in with_catalog.placeholders


def test_fee_statement():
    assert "本年度未收取信息处理费。" in compose(THIS, fee=FeeFacts(amount_yuan=Decimal(0))).section(6).text
    six = compose(THIS, fee=FeeFacts(amount_yuan=Decimal("120.50"), notices=2)).section(6).text
    assert "发出收费通知2件，收取信息处理费120.5元" in six
    busy = THIS.with_cells({"s3.other.no_fee.natural": 1, "s3.other.no_fee.total": 1})
    assert "1件申请因逾期未缴纳信息处理费" in compose(busy).section(6).text


def test_last_years_problems_are_listed_for_follow_up():
    five = compose(THIS, previous=LAST).section(5).text
    assert "1.信息发布不够及时。整改情况：【待填写：整改情况】" in five
    assert "2.政策解读形式较少。整改情况" in five
    assert "加强审核" not in five  # an improvement, not a problem


def test_problems_from_real_reports():
    pingtan = problems_from(PINGTAN_2023_5)
    assert pingtan == ("部分单位信息发布属性界定还不够精确，部分栏目存在信息噪音",
                       "开拓创新不够有力，实验区政务公开工作特色打造、亮点挖掘还不够",
                       "政策解读的质量有待提高，形式还要更加多样、更加“接地气”")
    qizheng = problems_from(QIZHENG_2023_5)
    assert qizheng == ("政府信息公开质量有待进一步提高、政府信息公开工作制度有待进一步完善",
                       "政府信息公开的深度和广度拓展不够")
    assert problems_from("") == () and problems_from("本年度工作顺利。") == ()


def test_government_gets_the_assessment_paragraph():
    gov = THIS.with_metadata(body_kind="government", agency="南岗区人民政府")
    assert "（六）工作考核、社会评议和责任追究结果情况" in compose(gov).section(1).text
    assert "（六）工作考核" not in compose(THIS.with_metadata(body_kind="department")).section(1).text


def test_placeholder_helpers_and_with_drafts():
    assert placeholders(f"甲{placeholder('一')}乙{placeholder('二')}") == ["一", "二"]
    assert change(3, 3) == "，与上年持平" and change(1, None) == ""
    kept = THIS.model_copy(update={"sections": (SectionText(number=1, heading="一、总体情况", text="已写好"),)})
    merged = with_drafts(kept, compose(kept))
    assert [s.number for s in merged.sections] == [1, 5, 6]
    assert merged.section(1).text == "已写好"
    assert with_drafts(kept, compose(kept), keep_existing=False).section(1).text != "已写好"
