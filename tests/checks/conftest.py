import datetime as dt

import pytest

from gongkai.report import SectionText
from gongkai.tally import ApplicationRecord, CaseRecord, tally

SECTIONS = (
    SectionText(number=1, heading="一、总体情况", text="全年共收到政府信息公开申请4件，上年结转1件。", order=0),
    SectionText(number=2, heading="二、主动公开政府信息情况", order=1),
    SectionText(number=3, heading="三、收到和处理政府信息公开申请情况", order=2),
    SectionText(number=4, heading="四、政府信息公开行政复议、行政诉讼情况", order=3),
    SectionText(number=5, heading="五、存在的主要问题及改进情况", text="一是公开质量有待提高。", order=4),
    SectionText(number=6, heading="六、其他需要报告的事项", text="本年度未收取信息处理费。", order=5),
)


def make_valid(fid: str):
    """A valid report: 1 carried over, 4 new, 3 closed, 2 still open; one review case."""
    other = "other.no_fee" if fid == "2021" else "other"
    apps = [
        ApplicationRecord("natural", dt.date(2023, 12, 28)),
        ApplicationRecord("natural", dt.date(2024, 2, 1), dt.date(2024, 2, 20), "granted"),
        ApplicationRecord("commercial", dt.date(2024, 3, 1), dt.date(2024, 3, 25), "partial"),
        ApplicationRecord("natural", dt.date(2024, 5, 1), dt.date(2024, 6, 5), other),
        ApplicationRecord("legal_service", dt.date(2024, 12, 20)),
    ]
    cases = [CaseRecord("review", dt.date(2024, 4, 1), dt.date(2024, 6, 1), "upheld")]
    r = tally(apps, cases, year=2024, format_id=fid, agency="某市某区人民政府")
    s2 = {"s2.rules.issued": 0, "s2.normative_docs.issued": 2, "s2.normative_docs.in_force": 10,
          "s2.fees.amount": "1.5"} if fid == "2021" else \
        {"s2.normative_docs.new_published": 2, "s2.normative_docs.total_published": 10}
    r = r.with_cells({k: v for k, v in s2.items()})
    from gongkai.report import Report
    return Report.from_data(r.to_dict() | {"sections": [s.model_dump() for s in SECTIONS]})


@pytest.fixture(params=["2021", "2019-trial"])
def valid(request):
    return make_valid(request.param)
