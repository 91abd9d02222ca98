"""`gongkai check` and `gongkai schema`."""
from __future__ import annotations

import json

from ..report import json_schema
from ._app import app, console


@app.command("schema")
def schema() -> None:
    """打印 Report 的 JSON Schema（公开的数据约定）。"""
    console.print_json(json.dumps(json_schema(), ensure_ascii=False))
