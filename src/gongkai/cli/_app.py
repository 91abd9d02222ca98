"""The typer application, its lazily loaded commands, and the one place where errors become exit codes.

Commands are loaded on demand so that ``gongkai --help`` or ``gongkai deadline`` does not import the readers,
the checks or Django: :data:`COMMANDS` names, for each command, the module that defines it and the one-line
help that ``gongkai --help`` lists. A command module registers on :data:`app` as usual (``@app.command`` or
``app.add_typer``); a module imported eagerly (listed in ``cli/__init__``) works too, just not lazily.
"""
from __future__ import annotations

import dataclasses
import functools
import importlib
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click
import typer
import typer.main
from rich.console import Console
from typer.core import TyperCommand, TyperGroup

from ..errors import GongkaiError

# command → (module under gongkai.cli, one-line help for the command list); the order is the listing's order
COMMANDS: dict[str, tuple[str, str]] = {
    "parse": ("_parse", "读取年度报告（TXT、Markdown、HTML、DOCX、DOC、WPS、XLSX、PDF），输出 Report JSON。"),
    "check": ("_check", "检查一份年度报告：勾稽关系（错误 I1、I3–I6）、警告 W1–W9，给出上一年报告时跨年检查 X1–X4。"),
    "compare": ("_compare", "同一机关两个年度的报告逐项对比：单元格变化、跨年检查 X1–X4、正文重复率、上年问题整改、正文与表格。"),
    "rollup": ("_check", "把多份报告的第二、三、四部分逐格相加（汇总不是政府本级报告），并检查汇总结果。"),
    "schema": ("_check", "打印 Report 的 JSON Schema（公开的数据约定）。"),
    "render": ("_render", "按国家规定的格式生成年度报告：DOCX、PDF、HTML、Markdown、XLSX 或 JSON。"),
    "template": ("_render", "生成空白年报（所有数字为 0，文字部分留空），供在 Excel/WPS/Word 中填写后由 gongkai parse 读回。"),
    "corpus": ("_corpus", "批量读取、检查年度报告，建成数据集（Parquet + DuckDB），并生成总体分析报告。"),
    "deadline": ("_law", "计算依申请公开的答复期限（第一行为期限日期，预计的期限后注“预计”；其后为计算说明）。"),
    "calendar": ("_law", "打印某年的节假日安排表（可直接修改后用 --calendar 或管理后台录入），并给出统计。"),
    "fee": ("_law", "计算信息处理费（国办函〔2020〕109号），打印金额与分档明细。"),
    "serve": ("_serve", "迁移数据库、（可选）载入演示数据，并用 gunicorn 启动依申请公开办理系统。"),
    "digest": ("_serve", "每日办理提醒：各机关已超期和五个工作日内到期的申请。"),
    "manage": ("_serve", "运行 Django 管理命令（如 gongkai manage createsuperuser）。"),
    "backup": ("_data", "备份数据库（服务运行中也可）、上传的附件和密钥，附清单（版本、时间、各表行数、校验和）。"),
    "restore": ("_data", "从备份恢复数据库、附件和密钥：先核对全部校验和，再恢复、迁移，并核对各表行数与审计日志哈希链。"),
    "audit": ("_data", "审计日志：校验哈希链。"),
}


def _chinese_panels() -> None:
    """Typer's fixed strings in Chinese: its help and error panels read these module constants when they print.
    Called just before help or an error is printed, so a command that runs (``gongkai deadline``) does not import
    typer's rich help module at start-up."""
    import typer.rich_utils as ru

    if getattr(ru, "_gongkai_chinese", False):
        return
    ru.DEPRECATED_STRING = "（已停用）"
    ru.DEFAULT_STRING = "[默认：{}]"
    ru.ENVVAR_STRING = "[环境变量：{}]"
    ru.REQUIRED_LONG_STRING = "[必填]"
    ru.ARGUMENTS_PANEL_TITLE = "参数"
    ru.OPTIONS_PANEL_TITLE = "选项"
    ru.COMMANDS_PANEL_TITLE = "命令"
    ru.ERRORS_PANEL_TITLE = "错误"
    ru.ABORTED_TEXT = "已中止。"
    ru.RICH_HELP = "运行 [blue]'{command_path} {help_option}'[/] 查看帮助。"
    ru.OptionHighlighter.highlights = [*ru.OptionHighlighter.highlights, r"(?P<usage>用法：)"]
    ru._gongkai_chinese = True  # type: ignore[attr-defined]


def _plain_text_params_skip_pydantic() -> None:
    """typer 0.29 converts each parameter's value through a pydantic TypeAdapter built when the parameter is first
    processed (even when its value is None and nothing is converted), and building one imports pydantic (about
    0.1 s of a command's start-up). Here typer's conversion is built only when a value needs it: a ``str`` value of
    a ``str`` parameter (``list[str]``: a list of them), or a ``bool`` of a ``bool`` one, without a parser or file
    type, comes back unchanged from typer's adapter (its ``_parse_cli_str`` is ``str(value)``, ``_parse_cli_bool``
    passes non-text through, and pydantic keeps a ``str``/``bool``), so it is passed as it is."""
    import typer._coercion as coercion
    import typer.core

    build = coercion.build_runtime_param
    if getattr(typer.core.build_runtime_param, "_gongkai", False):
        return

    @dataclasses.dataclass(frozen=True)
    class _Deferred(coercion.RuntimeParam):
        descriptor: Any = None

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            d = self.descriptor
            if d.file_annotation is None and d.parameter_info.parser is None:
                ann = d.annotation
                if (ann is str and type(value) is str) or (ann is bool and type(value) is bool):
                    return value
                if ann == list[str] and type(value) in (list, tuple) and all(type(v) is str for v in value):
                    return list(value)
            real = self.__dict__.get("_real")
            if real is None:
                real = build(d)
                object.__setattr__(self, "_real", real)
            return real._coerce_value(value, param, ctx)

    def build_runtime_param(descriptor: Any) -> Any:
        return _Deferred(parameter_info=descriptor.parameter_info, annotation=descriptor.annotation,
                         descriptor=descriptor)

    build_runtime_param._gongkai = True  # type: ignore[attr-defined]
    typer.core.build_runtime_param = build_runtime_param  # type: ignore[assignment]


_plain_text_params_skip_pydantic()


HELP_TEXT = "显示本帮助并退出。"
# the usage line's words (click writes them in English)
USAGE_WORDS = (("Usage: ", "用法："), ("[OPTIONS]", "[选项]"), ("COMMAND [ARGS]...", "命令 [参数]..."), ("[ARGS]...", "[参数]..."))


# the type column of the options table: typer writes <str>, <int>, <bool> …; a flag needs no type
TYPE_WORDS = {"bool": "", "str": "文本", "int": "整数", "float": "数字", "path": "路径", "file": "文件",
              "datetime": "日期时间", "list[str]": "文本（可多次）", "list[int]": "整数（可多次）",
              "list[path]": "路径（可多次）", "list[file]": "文件（可多次）"}


# an argument's name as the usage line and the arguments table show it, when its command gave no Chinese metavar
ARGUMENT_WORDS = {"files": "文件", "file": "文件", "inputs": "输入", "dataset": "数据集", "reports": "报告",
                  "report": "报告", "last": "上年报告", "this": "本年报告", "path": "路径", "paths": "路径",
                  "source": "来源", "target": "目标", "year": "年度", "out": "输出", "output": "输出"}


def _type_in_words(shown: str | None) -> str | None:
    if not shown or not (shown.startswith("<") and shown.endswith(">")):
        return shown
    inner = shown[1:-1]
    word = TYPE_WORDS.get(inner.lower())
    if word is None:
        return shown if "|" in inner else inner  # choices are the codes one types
    return word or None


# typer's UsageError (the parent of its public BadParameter; its module is private)
UsageError = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")
# click's usage errors, in words: (pattern of the English message, Chinese)
USAGE_ERRORS = (
    (r"No such option: (\S+)(?: Did you mean (\S+)\?)?(?: \(Possible options: (.+)\))?",
     lambda m: f"没有选项 {m[1]}" + (f"，是不是要用 {m[2]}？" if m[2] else "。")),
    (r"No such command '(.+)'\.", lambda m: f"没有命令 {m[1]}，可用的命令见 gongkai --help。"),
    (r"Missing argument '(.+)'\.", lambda m: f"缺少参数“{m[1]}”。"),
    (r"Missing option '(.+?)'.*", lambda m: f"缺少必填的选项 {m[1]}。"),
    (r"Got unexpected extra argument(?:s|\(s\))? \((.+)\)", lambda m: f"多余的参数：{m[1]}。"),
    (r"Option '(.+)' requires an argument\.", lambda m: f"选项 {m[1]} 需要一个值。"),
    (r"Option '(.+)' does not take a value\.", lambda m: f"选项 {m[1]} 不带值。"),
    (r"Invalid value for (.+?): .*valid integer.*", lambda m: f"{m[1]} 的值应为整数。"),
    (r"Invalid value for (.+?): .*valid number.*", lambda m: f"{m[1]} 的值应为数字。"),
    (r"Invalid value for (.+?): (?:Path|File) '(.+)' does not exist\.", lambda m: f"{m[1]}：文件或文件夹“{m[2]}”不存在。"),
    (r"Invalid value for (.+?): '(.+)' is not one of (.+)\.", lambda m: f"{m[1]} 的值“{m[2]}”无效，应为 {m[3]} 之一。"),
    (r"Invalid value for (.+?): (.+)", lambda m: f"{m[1]} 的值无效（{m[2]}）。"),
)


def _usage_error_in_words(exc: Exception) -> Exception:
    """A usage error with its message in Chinese (the same error, so the exit status and usage line stay)."""
    import re

    text = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    for pattern, words in USAGE_ERRORS:
        m = re.fullmatch(pattern, text.strip(), re.DOTALL)
        if m:
            return UsageError(words(m), ctx=getattr(exc, "ctx", None))
    return exc


class ChineseHelp:
    """A click command whose help option, usage line and option types are in Chinese (mixed into the group and
    every command)."""

    def get_params(self, ctx: click.Context) -> list[Any]:
        params = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            if param.param_type_name == "argument" and (param.metavar is None or param.metavar.isascii()):
                word = ARGUMENT_WORDS.get((param.metavar or param.name or "").lower())
                if word:
                    param.metavar = word
            if "display_type_rich" in vars(param) or not hasattr(param, "display_type_rich"):
                continue
            english = param.display_type_rich
            param.display_type_rich = lambda ctx, _english=english: _type_in_words(_english(ctx))
        return params

    def get_help_option(self, ctx: click.Context) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_TEXT
        return option

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)  # type: ignore[misc]
        except UsageError as exc:
            _chinese_panels()
            raise _usage_error_in_words(exc) from None

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)  # type: ignore[misc]
        except UsageError as exc:
            _chinese_panels()
            raise _usage_error_in_words(exc) from None

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        _chinese_panels()
        super().format_help(ctx, formatter)  # type: ignore[misc]

    def get_usage(self, ctx: click.Context) -> str:
        usage = super().get_usage(ctx)  # type: ignore[misc]
        for english, chinese in USAGE_WORDS:
            usage = usage.replace(english, chinese)
        return usage


class ChineseCommand(ChineseHelp, TyperCommand):
    pass


class LazyGroup(ChineseHelp, TyperGroup):
    """The root group: lists :data:`COMMANDS` without importing them, imports a command's module when it runs."""

    _listing = False

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = list(COMMANDS)
        names += [n for n in super().list_commands(ctx) if n not in COMMANDS]
        names += [n for n in _registered_names() if n not in names]
        return names

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands and isinstance(self.commands[cmd_name], ChineseHelp):
            return self.commands[cmd_name]
        if self._listing and cmd_name in COMMANDS:  # the command list needs a name and a line, not the module
            return click.Command(cmd_name, help=COMMANDS[cmd_name][1], short_help=COMMANDS[cmd_name][1])
        if cmd_name not in _registered_names() and cmd_name in COMMANDS:
            importlib.import_module(f"{__package__}.{COMMANDS[cmd_name][0]}")
        cmd = _build(cmd_name, self)
        if cmd is not None:
            self.commands[cmd_name] = cmd
        return cmd

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


def _command_name(info: Any) -> str:
    """A registered command's name as typer gives it (its function's name, ``_`` → ``-``, unless named)."""
    return info.name or (info.callback.__name__.replace("_", "-") if info.callback else "")


def _registered_names() -> list[str]:
    names = [_command_name(c) for c in app.registered_commands]
    return names + [g.name or "" for g in app.registered_groups]


def _build(name: str, group: LazyGroup) -> click.Command | None:
    """The click command of a registered typer command or sub-application, built as typer builds it."""
    short = app.pretty_exceptions_short
    mode = group.rich_markup_mode
    for info in app.registered_commands:
        if _command_name(info) == name:
            if not _is_chinese(info.cls):
                info.cls = ChineseCommand
            return typer.main.get_command_from_info(info, pretty_exceptions_short=short, rich_markup_mode=mode)
    for ginfo in app.registered_groups:
        if ginfo.name == name:
            if not _is_chinese(ginfo.cls):
                ginfo.cls = ChineseGroup
            _chinese(ginfo.typer_instance)
            return typer.main.get_group_from_info(ginfo, pretty_exceptions_short=short, suggest_commands=True,
                                                  rich_markup_mode=mode)
    return None


class ChineseGroup(ChineseHelp, TyperGroup):
    pass


def _is_chinese(cls: Any) -> bool:
    """Whether a registration already names one of the classes above (typer's default is a placeholder object)."""
    return isinstance(cls, type) and issubclass(cls, ChineseHelp)


def _chinese(sub: typer.Typer | None) -> None:
    """A sub-application (``gongkai corpus build``) and its commands with the Chinese help option and usage."""
    if sub is None:
        return
    if not _is_chinese(sub.info.cls):
        sub.info.cls = ChineseGroup
    for info in sub.registered_commands:
        if not _is_chinese(info.cls):
            info.cls = ChineseCommand
    for ginfo in sub.registered_groups:
        _chinese(ginfo.typer_instance)


app = typer.Typer(
    cls=LazyGroup,
    name="gongkai",
    help="gongkai（公开）：政府信息公开工作年度报告的读取、检查、计算、撰写与发布。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


@app.callback()
def _root() -> None:
    """gongkai（公开）：政府信息公开工作年度报告的读取、检查、计算、撰写与发布。"""

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2


def fail(message: str, code: int = EXIT_UNUSABLE) -> typer.Exit:
    """Print a one-line error on stderr and return the Exit to raise."""
    err_console.print(f"[bold red]错误[/]：{message}", markup=True, soft_wrap=True)
    return typer.Exit(code)


def guarded(func: F) -> F:
    """Turn GongkaiError (and any other exception) into a one-line message and exit status 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except GongkaiError as exc:
            raise fail(str(exc)) from None
        except BrokenPipeError:
            sys.exit(0)
        except Exception as exc:  # noqa: BLE001 - the CLI never shows a traceback
            raise fail(f"内部错误：{type(exc).__name__}: {exc}") from None

    return wrapper  # type: ignore[return-value]
