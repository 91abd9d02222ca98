from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import Truncator

from ..core.widgets import DateInput
from .models import Item

ITEM_FIELDS = ["title", "doc_number", "issuer", "subject", "category", "local_category", "disclosure",
               "withheld_reason", "doc_kind", "validity", "valid_from", "invalid_on", "written_on", "formed_on",
               "keywords", "summary", "text", "internal_note"]


class ItemForm(forms.ModelForm):
    class Meta:
        model = Item
        fields = ITEM_FIELDS
        widgets = {
            "valid_from": DateInput(),
            "invalid_on": DateInput(),
            "written_on": DateInput(),
            "formed_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "text": forms.Textarea(attrs={"rows": 12}),
            "internal_note": forms.Textarea(attrs={"rows": 2}),
        }


YES_NO = [("yes", "是"), ("no", "否")]


class ReviewForm(forms.Form):
    """The confidentiality review: the three rules of 保密审查 answered one by one, then the outcome."""

    check_reviewed = forms.ChoiceField(label="1. 未经保密审查的信息不得公开：本信息已经保密审查", choices=YES_NO,
                                       widget=forms.RadioSelect)
    check_declassified = forms.ChoiceField(label="2. 未经解密和未准予公开的信息不得公开：本信息不含未经解密或未准予公开的内容",
                                           choices=YES_NO, widget=forms.RadioSelect)
    check_boundary_clear = forms.ChoiceField(label="3. 公开与保密界限不清的信息不得公开：本信息公开与保密的界限清楚",
                                             choices=[("yes", "清楚"), ("no", "不清")], widget=forms.RadioSelect)
    decision = forms.ChoiceField(label="审查结论", choices=[("approve", "同意公开"), ("reject", "退回修改"),
                                                          ("hold", "公开与保密界限不清，暂缓公开")],
                                 widget=forms.RadioSelect)
    basis = forms.CharField(label="审查依据", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                            initial="经审查，不涉及国家秘密、工作秘密、商业秘密和个人隐私，可以主动公开。")
    reasons = forms.CharField(label="退回理由或界限不清之处", required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def checklist(self) -> dict[str, bool | None]:
        """The answers as the service takes them (``None`` for a question left unanswered)."""
        data = self.data
        return {name: {"yes": True, "no": False}.get(data.get(name, "")) for name in
                ("check_reviewed", "check_declassified", "check_boundary_clear")}


class SettleForm(forms.Form):
    decision = forms.ChoiceField(label="裁定", choices=[("approve", "可以公开"), ("return", "退回修改（不予公开或修改后再审）")],
                                 widget=forms.RadioSelect)
    note = forms.CharField(label="裁定意见", widget=forms.Textarea(attrs={"rows": 2}))


class FiguresForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    licensing = forms.IntegerField(label="行政许可决定数", min_value=0)
    penalty = forms.IntegerField(label="行政处罚决定数", min_value=0)
    coercion = forms.IntegerField(label="行政强制决定数", min_value=0)
    fees_wan_yuan = forms.DecimalField(label="行政事业性收费（万元）", min_value=0, decimal_places=6, max_digits=18)


class LinkForm(forms.Form):
    """Link a 相关解读 to ``item``: by 索引号, or picked from the body's other items. The select offers the newest
    ``CHOICES`` items (narrowed by ``query``, a part of the title, when given); any item of the body validates, so a
    choice made before someone else added an item still works. The 索引号 is looked up among ``visible`` items only."""

    CHOICES = 100

    index_no = forms.CharField(label="按索引号", required=False, max_length=40,
                               widget=forms.TextInput(attrs={"placeholder": "如 11230103MB0000003C-2026-00001"}))
    other = forms.ModelChoiceField(label="或从本机关的信息中选择", queryset=Item.objects.none(), required=False,
                                   error_messages={"invalid_choice": "所选信息不存在或不属于本机关"})

    def __init__(self, *args: Any, item: Item, visible: QuerySet[Item], query: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item, self.visible = item, visible
        field = self.fields["other"]
        field.queryset = Item.objects.filter(body_id=item.body_id).exclude(pk=item.pk)
        shown = field.queryset.exclude(pk__in=item.related.values("pk"))
        if query:
            shown = shown.filter(title__icontains=query)
        shown = shown.order_by("-created_at", "-pk").only("title", "index_no", "state")[: self.CHOICES]
        field.choices = [("", "—"), *((i.pk, _label(i)) for i in shown)]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        index_no, other = (data.get("index_no") or "").strip(), data.get("other")
        if self.errors:
            return data
        if bool(index_no) == bool(other):
            raise forms.ValidationError("请填写索引号，或从列表中选择一条信息（二者选一）")
        if index_no:
            other = self.visible.filter(index_no=index_no).first()
            if other is None:
                raise forms.ValidationError(f"未找到索引号为 {index_no} 的信息")
        data["target"] = other
        return data


def _label(item: Item) -> str:
    return f"{Truncator(item.title).chars(40)}（{item.index_no or item.get_state_display()}）"
