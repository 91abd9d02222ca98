from pathlib import Path

import pytest

from gongkai.law import default_calendar, load_notice

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def cal():
    """The seeded calendar (chinesecalendar, 2004–2026)."""
    return default_calendar()


@pytest.fixture(scope="session")
def notice_2027_text():
    return (DATA / "notice-2027.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def cal_2027(cal, notice_2027_text):
    """The seeded calendar with a 2027 notice table added, as an administrator would."""
    return cal.merged(load_notice(notice_2027_text))
