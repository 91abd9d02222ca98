"""`gongkai deadline` and `gongkai fee` as a clerk runs them."""
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongkai.cli import app

DATA = Path(__file__).parent / "data"

runner = CliRunner()


def lines(*args):
    res = runner.invoke(app, list(args))
    return res.exit_code, res.output.splitlines()


def test_deadline_worked_example():
    code, out = lines("deadline", "2024-09-27")
    assert code == 0
    assert out[0] == "2024-10-30"
    assert any("国庆节10月1日至10月7日" in x for x in out)
    assert any("10月12日（星期六，国庆节）" in x for x in out)


def test_deadline_corrected_and_extended():
    assert lines("deadline", "2024-03-04", "--corrected", "2024-03-20")[1][0] == "2024-04-18"
    code, out = lines("deadline", "2024-03-04", "--corrected", "2024-03-20", "--extend", "20")
    assert code == 0 and out[0] == "2024-05-17"
    assert any("延至2024年5月17日" in x for x in out)


def test_correction_notice():
    code, out = lines("deadline", "2024年3月4日", "--correction-notice")
    assert code == 0 and out[0] == "2024-03-13" and "第三十条" in out[1]
    code, out = lines("deadline", "2024-03-03", "--correction-notice")  # a Sunday: counted from Monday
    assert code == 0 and out[0] == "2024-03-13"


def test_pauses():
    code, out = lines("deadline", "2024-09-27", "--pause", "2024-10-08:2024-10-15")
    assert code == 0 and out[0] == "2024-11-08"
    code, out = lines("deadline", "2024-09-27", "--pause", "2024-10-08:2024-10-15", "--pause", "2024-11-01:2024-11-01")
    assert out[0] == "2024-11-11"


def test_pause_reasons():
    code, out = lines("deadline", "2024-09-27", "--pause", "2024-10-08:2024-10-15:其他机关")
    assert code == 0 and out[0] == "2024-11-08" and any(x.startswith("征求其他机关意见") for x in out)
    code, out = lines("deadline", "2024-09-27", "--pause", "2024-10-08：2024-10-15：fee")
    assert code == 0 and any(x.startswith("等待缴纳信息处理费") for x in out)
    code, out = lines("deadline", "2024-09-27", "--pause", "2024-10-08:2024-10-15:上级")
    assert code == 2 and "无法识别的暂停原因" in out[0]


def test_status_today():
    code, out = lines("deadline", "2024-09-27", "--today", "2024-11-04")
    assert code == 0 and out[-1].startswith("状态：已超期")


# --- the acceptance figures of issue 12 ------------------------------------------------------------------

def test_deadline_without_next_years_notice_is_provisional():
    code, out = lines("deadline", "2026-12-20")
    assert code == 0 and out[0] == "2027-01-19 预计"
    assert "收到申请之日为休息日，按下一个工作日2026年12月21日（星期一）收到申请计算。" in out
    assert any(x.startswith("预计：2027年放假安排尚未录入，按《全国年节及纪念日放假办法》预计，不含调休") for x in out)
    assert out[-1] == "答复期限届满：2027年1月19日（星期二）（预计）。"


def test_deadline_2008_rules():
    code, out = lines("deadline", "2015-06-25")
    assert code == 0 and out[0] == "2015-07-16"
    assert any("（2007年公布），15个工作日内答复" in x for x in out)


def test_deadline_by_channel():
    code, out = lines("deadline", "2017-06-18", "--channel", "email")
    assert code == 0 and out[0] == "2017-07-10" and out[1] == "收到申请：2017年6月18日（星期日），通过电子邮件提交。"
    code, out = lines("deadline", "2022-09-30", "--channel", "registered_mail")
    assert code == 0 and out[0] == "2022-11-02" and "以行政机关签收之日为收到申请之日（第三十一条第（二）项）" in out[1]
    code, out = lines("deadline", "2024-09-27", "--channel", "传真")
    assert code == 0 and "通过政府信息公开工作机构的传真提交" in out[1]
    code, out = lines("deadline", "2024-09-27", "--channel", "pigeon")
    assert code == 2 and "无法识别的申请方式" in out[0] and "registered_mail" in out[0]


def test_deadline_force_majeure_pause():
    code, out = lines("deadline", "2022-03-01", "--pause", "2022-03-14:2022-03-18:不可抗力:疫情封控")
    assert code == 0 and out[0] == "2022-04-06"
    assert any(x.startswith("不可抗力等无法办理的期间（疫情封控）：3月14日至3月18日") for x in out)
    code, out = lines("deadline", "2022-03-01", "--pause", "2022-03-14:2022-03-18:不可抗力")
    assert code == 2 and "应写明理由" in out[0]


def test_calendar_file_adds_2027():
    # Sunday 2026-12-20 counts as received Monday 12-21; with the 2027 notice: 12/22 … 1/19, 元旦 1/1–1/3 skipped
    code, out = lines("deadline", "2026-12-20", "--calendar", str(DATA / "notice-2027.txt"))
    assert code == 0 and out[0] == "2027-01-19"
    assert any("元旦1月1日至1月3日" in x for x in out)
    assert not any("预计" in x for x in out)
    code, out = lines("deadline", "2026-12-20", "--rest-day-as-is", "--calendar", str(DATA / "notice-2027.txt"))
    assert code == 0 and out[0] == "2027-01-18"  # counted from the Sunday itself: 12/21 … 1/18


@pytest.mark.parametrize(("args", "message"), [
    (["deadline", "2024-02-30"], "日期不存在"),
    (["deadline", "下周一"], "无法识别的日期"),
    (["deadline", "2024-09-27", "--extend", "30"], "不得超过20个工作日"),
    (["deadline", "2024-09-27", "--extend", "二十"], "应为整数"),
    (["deadline", "2024-09-27", "--pause", "2024-10-08"], "开始日期:结束日期"),
    (["deadline", "2024-09-27", "--pause", "2024-10-15:2024-10-08"], "早于开始日期"),
    (["deadline", "2003-05-06"], "2003年的工作日历尚未录入"),
    (["deadline", "2024-09-27", "--calendar", "/nonexistent/notice.txt"], "文件不存在"),
    (["fee", "--items", "-1"], "不能为负数"),
    (["fee", "--items", "3", "--pages", "40"], "选择一种"),
    (["fee"], "选择一种"),
    (["fee", "--pages", "abc"], "应为整数"),
    (["fee", "--pages", "40", "--already", "3"], "只用于按件计收"),
])
def test_bad_input_is_one_chinese_line(args, message):
    res = runner.invoke(app, args)
    assert res.exit_code == 2
    out = res.output.strip().splitlines()
    assert len(out) == 1 and message in out[0] and out[0].startswith("错误")
    assert "Traceback" not in res.output


def test_bad_calendar_file_names_file_and_line(tmp_path):
    f = tmp_path / "2027.txt"
    f.write_text("year 2027\n2027-02-08 workday 春节\n", encoding="utf-8")
    res = runner.invoke(app, ["deadline", "2024-09-27", "--calendar", str(f)])
    assert res.exit_code == 2 and str(f) in res.output and "第2行" in res.output


def test_fee_items():
    code, out = lines("fee", "--items", "45")
    assert code == 0 and out[0] == "5500 元"
    assert "第41–45件：5件 × 300 元/件 = 1500 元" in out and out[-1] == "合计：5500 元"


def test_fee_pages():
    code, out = lines("fee", "--pages", "250")
    assert code == 0 and out[0] == "4700 元"
    assert "第201–250页：50页 × 40 元/页 = 2000 元" in out


def test_fee_already():
    assert lines("fee", "--items", "1", "--already", "44")[1][0] == "300 元"


def test_calendar_prints_a_loadable_table():
    from gongkai.law import default_calendar, load_notice
    code, out = lines("calendar", "2024")
    assert code == 0 and out[0] == "年度 2024"
    assert "2024-10-01至2024-10-07 放假 国庆节" in out and "2024-09-29 上班 国庆节" in out
    assert out[-1] == "2024年：放假28天（其中周一至周五19天），调休上班8天，全年工作日251天。"
    back = load_notice("\n".join(out[:-1]))
    assert back.entries() == default_calendar().entries(2024) and back.covered_years == (2024,)


def test_calendar_checks_an_official_notice_before_loading():
    code, out = lines("calendar", "2025", "--notice", str(DATA / "notice-2025-official.txt"))
    assert code == 0 and "2025-10-01至2025-10-08 放假 国庆节、中秋节" in out
    code, out = lines("calendar", "2027")  # not entered: the statute's days, marked 预计, as comments
    assert code == 0 and "2027年放假安排尚未录入" in out[0]
    assert "# 2027-02-05（星期五） 放假 春节（预计）" in out
    assert out[-1].startswith("2027年（预计）：放假19天") and "不含调休" in out[-1]
    code, out = lines("calendar", "2003")
    assert code == 2 and "2003年的工作日历尚未录入" in out[0]
    code, out = lines("calendar", "2027", "--notice", str(DATA / "notice-2027.txt"))
    assert code == 0 and out[-1].startswith("2027年：")
