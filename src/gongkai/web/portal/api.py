"""``/api/portal/``: the public status of an application by its query code (no personal data)."""
from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from ..core.errors import NotFound
from .selectors import public_status

router = Router(tags=["公开专栏"])


@router.get("/status", auth=None, summary="凭查询码查询办理进度（公众）")
def status(request: HttpRequest, code: str) -> dict[str, Any]:
    info = public_status(query_code=code[:20])
    if info is None:
        raise NotFound("未找到该查询码对应的申请")
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in info.items() if k != "timeline"} | {
        "timeline": [{"on": e["on"].isoformat(), "label": e["label"]} for e in info["timeline"]]}
