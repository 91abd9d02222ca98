"""Parts the 2021 and 2019-trial formats share: the six sections, table 三 and table 四."""
from __future__ import annotations

from ._model import Column, Row, RowKind, Section, Table

SECTIONS: tuple[Section, ...] = (
    Section(1, "一", "一、总体情况", variants=("总体情况", "基本情况"), key_phrases=(("总体情况",), ("基本情况",))),
    Section(2, "二", "二、主动公开政府信息情况", variants=("主动公开政府信息情况", "主动公开情况"),
            key_phrases=(("主动公开", "政府信息情况"), ("主动公开", "情况")), kind="tables"),
    Section(3, "三", "三、收到和处理政府信息公开申请情况",
            variants=("收到和处理政府信息公开申请情况", "收到和处理申请情况"),
            key_phrases=(("收到", "处理", "申请"),), kind="tables"),
    Section(4, "四", "四、政府信息公开行政复议、行政诉讼情况",
            variants=("因政府信息公开工作被申请行政复议、提起行政诉讼情况",
                      "因政府信息公开工作被申请行政复议和提起行政诉讼情况",
                      "政府信息公开行政法复议、行政诉讼情况"),
            key_phrases=(("行政复议", "行政诉讼"), ("复议", "诉讼")), kind="tables"),
    Section(5, "五", "五、存在的主要问题及改进情况",
            variants=("存在的主要问题及改进措施", "政府信息公开工作存在的主要问题及改进情况",
                      "存在的主要问题和改进情况", "存在的主要问题及改进措施情况"),
            key_phrases=(("问题", "改进"),)),
    Section(6, "六", "六、其他需要报告的事项",
            variants=("其他需要汇报事项", "其他需要报告的事项", "其他需要汇报的事项"),
            key_phrases=(("其他", "报告"), ("其他", "汇报"))),
)

# --- Section 三 ---------------------------------------------------------------------------------
S3_COLUMN_GROUP = "法人或其他组织"
S3_HEADER = "申请人情况"
S3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

S3_COLUMNS: tuple[Column, ...] = (
    Column("natural", "自然人"),
    Column("commercial", "商业企业", group=S3_COLUMN_GROUP),
    Column("research", "科研机构", group=S3_COLUMN_GROUP),
    Column("social_welfare", "社会公益组织", group=S3_COLUMN_GROUP),
    Column("legal_service", "法律服务机构", group=S3_COLUMN_GROUP),
    Column("other_org", "其他", group=S3_COLUMN_GROUP),
    Column("total", "总计", aliases=("合计",)),
)

RESULTS = "三、本年度办理结果"
DENIED = "（三）不予公开"
UNABLE = "（四）无法提供"
NOT_PROCESSED = "（五）不予处理"
OTHER = "（六）其他处理"

S3_HEAD_ROWS: tuple[Row, ...] = (
    Row("new", "一、本年新收政府信息公开申请数量", RowKind.DATA, aliases=("一、本年新收申请数量",)),
    Row("carried_over", "二、上年结转政府信息公开申请数量", RowKind.DATA, aliases=("二、上年结转申请数量",)),
    Row(None, RESULTS, RowKind.GROUP, aliases=("三、本年度办理结果情况",)),
    Row("granted", "（一）予以公开", RowKind.LEAF, parent=RESULTS, basis="第三十六条第（一）（二）项"),
    Row("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", RowKind.LEAF, parent=RESULTS,
        aliases=("（二）部分公开",), basis="第三十七条"),
    Row(None, DENIED, RowKind.GROUP, parent=RESULTS),
    Row("denied.state_secret", "1.属于国家秘密", RowKind.LEAF, parent=DENIED, basis="第十四条"),
    Row("denied.law_prohibited", "2.其他法律行政法规禁止公开", RowKind.LEAF, parent=DENIED,
        aliases=("2.其他法律行政止公开", "2.其他法律、行政法规禁止公开"), basis="第十四条"),
    Row("denied.three_securities", "3.危及“三安全一稳定”", RowKind.LEAF, parent=DENIED,
        aliases=("3.危及三安全一稳定",), basis="第十四条"),
    Row("denied.third_party", "4.保护第三方合法权益", RowKind.LEAF, parent=DENIED, basis="第十五条"),
    Row("denied.internal_affairs", "5.属于三类内部事务信息", RowKind.LEAF, parent=DENIED,
        aliases=("5.属于三类内容事务信息",), basis="第十六条第一款"),
    Row("denied.process_info", "6.属于四类过程性信息", RowKind.LEAF, parent=DENIED, basis="第十六条第二款"),
    Row("denied.enforcement_file", "7.属于行政执法案卷", RowKind.LEAF, parent=DENIED, basis="第十六条第二款"),
    Row("denied.query_matter", "8.属于行政查询事项", RowKind.LEAF, parent=DENIED, basis="第三十六条第（七）项"),
    Row(None, UNABLE, RowKind.GROUP, parent=RESULTS),
    Row("unable.not_held", "1.本机关不掌握相关政府信息", RowKind.LEAF, parent=UNABLE,
        basis="第三十六条第（四）（五）项"),
    Row("unable.needs_creation", "2.没有现成信息需要另行制作", RowKind.LEAF, parent=UNABLE, basis="第三十八条"),
    Row("unable.unclear", "3.补正后申请内容仍不明确", RowKind.LEAF, parent=UNABLE, basis="第三十条"),
    Row(None, NOT_PROCESSED, RowKind.GROUP, parent=RESULTS),
    Row("not_processed.petition", "1.信访举报投诉类申请", RowKind.LEAF, parent=NOT_PROCESSED, basis="第三十九条"),
    Row("not_processed.duplicate", "2.重复申请", RowKind.LEAF, parent=NOT_PROCESSED, basis="第三十六条第（六）项"),
    Row("not_processed.publication", "3.要求提供公开出版物", RowKind.LEAF, parent=NOT_PROCESSED, basis="第三十九条"),
    Row("not_processed.excessive", "4.无正当理由大量反复申请", RowKind.LEAF, parent=NOT_PROCESSED,
        basis="第三十五条"),
    Row("not_processed.confirm_reissue", "5.要求行政机关确认或重新出具已获取信息", RowKind.LEAF,
        parent=NOT_PROCESSED, basis="实践"),
)

S3_TAIL_ROWS: tuple[Row, ...] = (
    Row("total", "（七）总计", RowKind.TOTAL, parent=RESULTS, aliases=("（七）合计", "总计")),
    Row("carry_forward", "四、结转下年度继续办理", RowKind.DATA,
        aliases=("四、结转下一年度继续办理", "四、结转下年度办理")),
)


def s3_table(other_rows: tuple[Row, ...]) -> Table:
    return Table(
        id="s3", section=3, caption=None, stub="", prefix="s3", note=S3_NOTE,
        rows=S3_HEAD_ROWS + other_rows + S3_TAIL_ROWS, columns=S3_COLUMNS,
        column_groups=((S3_HEADER, tuple(c.key for c in S3_COLUMNS)),
                       (S3_COLUMN_GROUP, tuple(c.key for c in S3_COLUMNS if c.group == S3_COLUMN_GROUP))),
    )


# --- Section 四 ---------------------------------------------------------------------------------
REVIEW = "行政复议"
LITIGATION = "行政诉讼"
DIRECT = "未经复议直接起诉"
AFTER_REVIEW = "复议后起诉"
_RESULTS = (("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"),
            ("pending", "尚未审结"), ("total", "总计"))


def _s4_columns() -> tuple[Column, ...]:
    cols: list[Column] = []
    for block, label in (("review", REVIEW), ("litigation_direct", DIRECT), ("litigation_after_review", AFTER_REVIEW)):
        for key, res in _RESULTS:
            cols.append(Column(f"{block}.{key}", res, group=label, aliases=("合计",) if key == "total" else ()))
    return tuple(cols)


S4_TABLE = Table(
    id="s4", section=4, caption=None, stub="", prefix="s4",
    rows=(Row(None, "", RowKind.DATA),), columns=_s4_columns(),
    column_groups=((REVIEW, tuple(f"review.{k}" for k, _ in _RESULTS)),
                   (LITIGATION, tuple(f"{b}.{k}" for b in ("litigation_direct", "litigation_after_review")
                                      for k, _ in _RESULTS)),
                   (DIRECT, tuple(f"litigation_direct.{k}" for k, _ in _RESULTS)),
                   (AFTER_REVIEW, tuple(f"litigation_after_review.{k}" for k, _ in _RESULTS))),
)
