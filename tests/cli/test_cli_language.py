"""The command line speaks Chinese (issue 12 item 6): every command's help, the usage line, the option types and
the errors click raises for a mistyped command line. Before: 「Show this message and exit.」, 「Usage:」,
「Options」, 「<bool>」, 「No such option: --foo」."""
from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from gongkai.cli._app import COMMANDS, app

runner = CliRunner()
# what may stay in Latin letters in a help text: the command and option names, formats and codes
ALLOWED = re.compile(
    r"--?[\w-]+|gongkai|\b(parse|check|compare|rollup|schema|render|template|corpus|deadline|calendar|fee|serve|digest|"
    r"manage|backup|restore|audit|build|report|verify)\b|"
    r"\b(TXT|Markdown|HTML|DOCX|DOC|WPS|XLSX|PDF|JSON|CSV|Schema|Report|Parquet|DuckDB|Excel|Word|OCR|ZIP|SQLite|"
    r"PostgreSQL|gunicorn|Django|dask|distributed|tcp|pg_dump|I\d|W\d+|X\d|EMS|URL|API|SVG|PNG|ID|CPU|YYYY|MM|DD)\b|"
    r"\b(reports|cells|findings|narrative|sections|bodies|errors|files|article)\b|"  # the dataset's tables, a tag
    r"[\w.-]+\.(json|html|docx|xlsx|pdf|md|duckdb|txt|csv|tar|gz|zip)\b|\b[a-z_]+(\|[a-z_-]+)+\b|\b\w*\d\w*\b|"
    r"\b(in_person|oral|registered_mail|ordinary_mail|online|email|fax|auto|always|never|text|html|docx|xlsx|pdf|md|"
    r"json|rest-day-next|rest-day-as-is|createsuperuser|trial|localhost|demo)\b", re.IGNORECASE)
ENGLISH = re.compile(r"[A-Za-z]{3,}")
# code a help text quotes: a JSON example, an environment variable, a path
QUOTED = re.compile(r"\{[^{}]*(\{[^{}]*\}[^{}]*)*\}|\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b|[\w.-]*/[\w./-]+|“[^”]*”")


def words_left(text: str) -> set[str]:
    return set(ENGLISH.findall(ALLOWED.sub(" ", QUOTED.sub(" ", text))))


def _help_targets() -> list[list[str]]:
    targets = [[]] + [[name] for name in COMMANDS]
    targets += [["corpus", "build"], ["corpus", "report"], ["audit", "verify"]]
    return targets


@pytest.mark.parametrize("args", _help_targets(), ids=lambda a: " ".join(a) or "gongkai")
def test_every_help_is_chinese(args):
    result = runner.invoke(app, [*args, "--help"], env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    out = result.output
    assert "用法：" in out and "显示本帮助并退出。" in out
    for english in ("Usage:", "Show this message", "Options", "Arguments", "Commands", "[default:", "[required]",
                    "<bool>", "<str>", "<int>", "<path>"):
        assert english not in out, english
    assert not words_left(out), sorted(words_left(out))


@pytest.mark.parametrize(("args", "says"), [
    (["deadline", "--foo"], "没有选项 --foo"),
    (["deadline"], "缺少参数“日期”"),
    (["nosuch"], "没有命令 nosuch"),
    (["deadline", "2024-01-01", "extra"], "多余的参数：extra"),
    (["deadline", "2024-01-01", "--calendar"], "选项 --calendar 需要一个值"),
    (["corpus", "build", "a"], "缺少必填的选项 --out"),
    (["corpus", "build", "--workers", "x", "a", "-o", "b"], "的值应为整数"),
])
def test_command_line_mistakes_are_explained_in_chinese(args, says):
    result = runner.invoke(app, args, env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 2
    assert says in result.output, result.output
    assert "Try " not in result.output and "Error" not in result.output
