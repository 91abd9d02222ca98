
from django.http import HttpRequest
from ninja import Router, Schema

from .models import Body
from .permissions import allowed_actions, visible_bodies
from .selectors import body_get

router = Router(tags=["机关"])


class BodyOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    level: str
    parent_id: int | None
    address: str
    postcode: str
    phone: str


class BodyDetailOut(BodyOut):
    actions: list[str]


@router.get("/", response=list[BodyOut], summary="我可见的机关")
def list_bodies(request: HttpRequest) -> list[Body]:
    return list(visible_bodies(user=request.user))


@router.get("/{body_id}", response=BodyDetailOut, summary="机关详情及我在该机关的权限")
def get_body(request: HttpRequest, body_id: int) -> dict:
    body = body_get(user=request.user, pk=body_id)
    data = BodyOut.from_orm(body).dict()
    data["actions"] = sorted(allowed_actions(user=request.user, body=body))
    return data
