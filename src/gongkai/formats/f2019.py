"""国办公开办函〔2019〕60号《中华人民共和国政府信息公开工作年度报告格式（试行）》: reports for 2019–2020."""
from __future__ import annotations

from ._common import RESULTS, S4_TABLE, SECTIONS, s3_table
from ._model import Column, Format, Row, RowKind, Table, ValueType

NEW_MADE = Column("new_made", "本年新制作数量")
NEW_PUBLISHED = Column("new_published", "本年新公开数量")
TOTAL_PUBLISHED = Column("total_published", "对外公开总数量")
PREV_ITEMS = Column("prev_year_items", "上一年项目数量")
DELTA = Column("delta", "本年增/减", ValueType.SIGNED_INT, aliases=("本年增减", "本年增／减"))
DECISIONS = Column("decisions", "处理决定数量", aliases=("本年处理决定数量",))

FORMAT_2019 = Format(
    id="2019-trial",
    name="中华人民共和国政府信息公开工作年度报告格式（试行）",
    basis="国办公开办函〔2019〕60号",
    sections=SECTIONS,
    tables=(
        Table("s2.1", 2, "第二十条第（一）项",
              (Row("rules", "规章"), Row("normative_docs", "规范性文件", aliases=("行政规范性文件",))),
              (NEW_MADE, NEW_PUBLISHED, TOTAL_PUBLISHED)),
        Table("s2.5", 2, "第二十条第（五）项",
              (Row("licensing", "行政许可"), Row("other_services", "其他对外管理服务事项")),
              (PREV_ITEMS, DELTA, DECISIONS)),
        Table("s2.6", 2, "第二十条第（六）项",
              (Row("penalty", "行政处罚"), Row("coercion", "行政强制")), (PREV_ITEMS, DELTA, DECISIONS)),
        Table("s2.8", 2, "第二十条第（八）项", (Row("fees", "行政事业性收费"),), (PREV_ITEMS, DELTA)),
        Table("s2.9", 2, "第二十条第（九）项", (Row("procurement", "政府集中采购"),),
              (Column("items", "采购项目数量"), Column("amount", "采购总金额", ValueType.MONEY))),
        s3_table((Row("other", "（六）其他处理", RowKind.LEAF, parent=RESULTS, basis="其他情形"),)),
        S4_TABLE,
    ),
    signals=("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减",
             "第二十条第（九）项", "采购项目数量", "其他对外管理服务事项"),
)
