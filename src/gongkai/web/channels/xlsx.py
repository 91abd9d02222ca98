"""The XLSX sheets offices keep for their channels: the template to download and the reader of filled ones.

Four sheets (a sheet is recognised by its header, whatever its name, so an office's own workbook with these
columns also imports): 公众号和微博, 公告栏, 媒体投稿, 会议讲座培训. Dates may be Excel dates or text
(2023-01-05, 2023/1/5, 2023年1月5日, 2023.1.5).
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import Invalid
from .models import Kind, MediaLevel


@dataclass(frozen=True)
class Sheet:
    name: str
    kind: str | None  # None: the kind is a column (渠道 / 类型)
    columns: tuple[tuple[str, str, bool], ...]  # (header, field, required)
    hint: str
    example: tuple[Any, ...]


SHEETS: tuple[Sheet, ...] = (
    Sheet("公众号和微博", None, (("渠道", "kind", True), ("标题", "title", True), ("发布日期", "on", True),
                                ("链接", "link", False), ("索引号", "index_no", False), ("备注", "note", False)),
          "渠道填“微信公众号”或“微博”；索引号填对应的主动公开信息（可空）",
          ("微信公众号", "七政街道开展垃圾分类宣传活动", dt.date(2023, 3, 8), "https://mp.weixin.qq.com/s/xxxx", "", "")),
    Sheet("公告栏", Kind.BOARD, (("公示标题", "title", True), ("张贴地点", "place", True), ("张贴日期", "on", True),
                                 ("撤下日期", "removed_on", False), ("索引号", "index_no", False), ("备注", "note", False)),
          "每张贴一次填一行", ("七政街道最低生活保障对象公示", "街道办事处一楼公告栏", dt.date(2023, 4, 3),
                               dt.date(2023, 4, 10), "", "")),
    Sheet("媒体投稿", Kind.MEDIA, (("稿件标题", "title", True), ("媒体名称", "outlet", True), ("媒体级别", "level", True),
                                   ("稿件类别", "topic", False), ("投稿日期", "on", True), ("刊登日期", "published_on", False),
                                   ("索引号", "index_no", False), ("备注", "note", False)),
          "媒体级别填“中央”“省”“市”或“区”；未刊登的稿件刊登日期留空",
          ("七政街道清冰雪保畅通", "哈尔滨日报", "市", "清冰雪信息", dt.date(2023, 1, 9), dt.date(2023, 1, 11), "", "")),
    Sheet("会议讲座培训", None, (("类型", "kind", True), ("主题", "title", True), ("日期", "on", True),
                                 ("参加人数", "attendees", False), ("索引号", "index_no", False), ("备注", "note", False)),
          "类型填“政策会议”“宣传讲座”或“培训”",
          ("政策会议", "《条例》学习贯彻会议", dt.date(2023, 2, 15), 30, "", "")),
)
KIND_WORDS = {"微信公众号": Kind.WECHAT, "公众号": Kind.WECHAT, "微信": Kind.WECHAT, "微博": Kind.WEIBO,
              "政策会议": Kind.MEETING, "会议": Kind.MEETING, "宣传讲座": Kind.LECTURE, "讲座": Kind.LECTURE,
              "培训": Kind.TRAINING}
LEVEL_WORDS = {"中央": MediaLevel.CENTRAL, "国家": MediaLevel.CENTRAL, "省": MediaLevel.PROVINCIAL,
               "市": MediaLevel.CITY, "区": MediaLevel.DISTRICT, "县": MediaLevel.DISTRICT}
ALLOWED_KINDS = {"公众号和微博": (Kind.WECHAT, Kind.WEIBO), "会议讲座培训": (Kind.MEETING, Kind.LECTURE, Kind.TRAINING)}


def template() -> bytes:
    """The workbook to download: a 填写说明 sheet, then one sheet per channel with its header, an example row
    (to delete) and drop-down lists for 渠道, 类型 and 媒体级别."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    info = wb.active
    info.title = "填写说明"
    info.append(["公开渠道台账导入模板"])
    info["A1"].font = Font(bold=True, size=14)
    info.append(["每个工作表一种渠道，第一行为表头（请勿修改），从第二行起每行一条记录；示例行请删除后再导入。"])
    info.append(["导入时逐行检查：有错误的行不导入并列出行号和原因，其余行照常导入；与已有记录相同的行不会重复导入。"])
    for s in SHEETS:
        info.append([f"{s.name}：{s.hint}"])
    info.column_dimensions["A"].width = 110
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for s in SHEETS:
        ws = wb.create_sheet(s.name)
        ws.append([h + ("（必填）" if req else "") for h, _, req in s.columns])
        for cell in ws[1]:
            cell.font, cell.fill = bold, fill
        ws.append(list(s.example))
        for i, (_h, name, _r) in enumerate(s.columns):
            letter = ws.cell(row=1, column=i + 1).column_letter
            ws.column_dimensions[letter].width = 34 if name in ("title", "link", "outlet", "place") else 14
            if name in ("on", "removed_on", "published_on"):  # a column style: no empty cells created
                ws.column_dimensions[letter].number_format = "yyyy-mm-dd"
                ws.cell(row=2, column=i + 1).number_format = "yyyy-mm-dd"
            choices = {"kind": [k.label for k in Kind if k in ALLOWED_KINDS.get(s.name, ())],
                       "level": ["中央", "省", "市", "区"]}.get(name)
            if choices:
                dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=False)
                dv.error, dv.errorTitle = "请从下拉列表中选择", "取值无效"
                ws.add_data_validation(dv)
                dv.add(f"{letter}2:{letter}1001")
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@dataclass
class Row:
    sheet: str
    row: int
    kind: str
    values: dict[str, Any] = field(default_factory=dict)
    error: str = ""


_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def _date(raw: Any) -> dt.date | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    m = _DATE.match(str(raw))
    if not m:
        raise ValueError(str(raw))
    return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def _text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw).strip()


def _match(headers: list[str]) -> tuple[Sheet, dict[int, tuple[str, str]]] | None:
    """The template sheet whose required headers all appear in ``headers``, and column → (field, header)."""
    clean = [re.sub(r"[（(].*?[）)]|\s", "", h) for h in headers]
    for s in SHEETS:
        cols: dict[int, tuple[str, str]] = {}
        for header, name, _req in s.columns:
            if header in clean:
                cols[clean.index(header)] = (name, header)
        if all(header in clean for header, _n, req in s.columns if req):
            return s, cols
    return None


def read_rows(content: bytes) -> list[Row]:
    """Every non-empty data row of every recognised sheet, with its values or the reason it cannot be read."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError) as exc:
        raise Invalid("无法读取该文件，请上传 Excel 2007 及以上格式（.xlsx）的台账") from exc
    out: list[Row] = []
    recognised = 0
    for ws in wb.worksheets:
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None)
        if not header:
            continue
        found = _match([_text(h) for h in header])
        if found is None:
            continue
        recognised += 1
        sheet, cols = found
        for lineno, raw in enumerate(rows, start=2):
            if not any(v not in (None, "") for v in raw):
                continue
            out.append(_row(ws.title, lineno, sheet, cols, raw))
            if len(out) > 5000:
                return out
    if not recognised:
        raise Invalid("没有找到可导入的工作表：请使用下载的模板（表头须与模板一致）")
    return out


def _row(title: str, lineno: int, sheet: Sheet, cols: dict[int, tuple[str, str]], raw: tuple[Any, ...]) -> Row:
    row = Row(sheet=title, row=lineno, kind=sheet.kind or "")
    problems = []
    for i, (name, header) in cols.items():
        value = raw[i] if i < len(raw) else None
        if name in ("on", "removed_on", "published_on"):
            try:
                row.values[name] = _date(value)
            except ValueError:
                problems.append(f"“{header}”不是有效日期：{_text(value)}（应为 2023-01-05 这样的日期）")
        elif name == "kind":
            word = _text(value)
            kind = KIND_WORDS.get(word)
            if kind is None or kind not in ALLOWED_KINDS.get(sheet.name, (kind,)):
                allowed = "、".join(Kind(k).label for k in ALLOWED_KINDS.get(sheet.name, ()))
                problems.append(f"“{header}”应为 {allowed}，而不是“{word}”")
            else:
                row.kind = kind
        elif name == "level":
            word = _text(value).removesuffix("级").removesuffix("媒体").removesuffix("级")
            if word not in LEVEL_WORDS:
                problems.append(f"“媒体级别”应为 中央、省、市 或 区，而不是“{_text(value)}”")
            else:
                row.values[name] = LEVEL_WORDS[word]
        elif name == "attendees":
            text = _text(value)
            if text:
                try:
                    n = int(text)
                    if n < 0:
                        raise ValueError
                    row.values[name] = n
                except ValueError:
                    problems.append(f"“参加人数”应为整数，而不是“{text}”")
        else:
            row.values[name] = _text(value)
    if problems:
        row.error = "；".join(problems)
    return row
