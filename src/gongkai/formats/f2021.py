"""国办公开办函〔2021〕30号《中华人民共和国政府信息公开工作年度报告格式》: reports for 2021 onward."""
from __future__ import annotations

from ._common import OTHER, RESULTS, S4_TABLE, SECTIONS, s3_table
from ._model import Column, Format, Row, RowKind, Table, ValueType

ISSUED = Column("issued", "本年制发件数", aliases=("本年新制发件数", "本年制发数量"))
REPEALED = Column("repealed", "本年废止件数", aliases=("本年废止数量",))
IN_FORCE = Column("in_force", "现行有效件数", aliases=("现行有效数量",))
DECISIONS = Column("decisions", "本年处理决定数量", aliases=("处理决定数量",))
FEE_AMOUNT = Column("amount", "本年收费金额（单位：万元）", ValueType.WAN_YUAN, aliases=("本年收费金额", "收费金额"))

RULES = Row("rules", "规章", aliases=("规章（设区的市、自治州人民政府应提供相关数据）",))
NORMATIVE = Row("normative_docs", "行政规范性文件", aliases=("规范性文件",))

OTHER_ROWS = (
    Row(None, OTHER, RowKind.GROUP, parent=RESULTS, collapsible=True),
    Row("other.no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", RowKind.LEAF,
        parent=OTHER, aliases=("1.申请人无正当理由逾期不补正",), basis="第三十条"),
    Row("other.no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", RowKind.LEAF,
        parent=OTHER, aliases=("2.申请人逾期未按收费通知要求缴纳费用",), basis="第四十二条、国办函〔2020〕109号"),
    Row("other.other", "3.其他", RowKind.LEAF, parent=OTHER, basis="其他情形（如撤回申请）"),
)

FORMAT_2021 = Format(
    id="2021",
    name="中华人民共和国政府信息公开工作年度报告格式",
    basis="国办公开办函〔2021〕30号",
    sections=SECTIONS,
    tables=(
        Table("s2.1", 2, "第二十条第（一）项", (RULES, NORMATIVE), (ISSUED, REPEALED, IN_FORCE)),
        Table("s2.5", 2, "第二十条第（五）项", (Row("licensing", "行政许可"),), (DECISIONS,)),
        Table("s2.6", 2, "第二十条第（六）项", (Row("penalty", "行政处罚"), Row("coercion", "行政强制")), (DECISIONS,)),
        Table("s2.8", 2, "第二十条第（八）项", (Row("fees", "行政事业性收费"),), (FEE_AMOUNT,)),
        s3_table(OTHER_ROWS),
        S4_TABLE,
    ),
    signals=("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额",
             "申请人无正当理由逾期不补正", "申请人逾期未按收费通知要求缴纳费用"),
)
