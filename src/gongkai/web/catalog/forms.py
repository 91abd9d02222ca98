from __future__ import annotations

from django import forms

from .models import Item

ITEM_FIELDS = ["title", "doc_number", "issuer", "subject", "category", "local_category", "disclosure",
               "withheld_reason", "doc_kind", "validity", "valid_from", "invalid_on", "written_on", "formed_on",
               "keywords", "summary", "text", "internal_note"]


class ItemForm(forms.ModelForm):
    class Meta:
        model = Item
        fields = ITEM_FIELDS
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "invalid_on": forms.DateInput(attrs={"type": "date"}),
            "written_on": forms.DateInput(attrs={"type": "date"}),
            "formed_on": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "text": forms.Textarea(attrs={"rows": 12}),
            "internal_note": forms.Textarea(attrs={"rows": 2}),
        }


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "同意公开"), ("reject", "退回修改")], widget=forms.RadioSelect)
    basis = forms.CharField(label="审查依据", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                            initial="经审查，不涉及国家秘密、工作秘密、商业秘密和个人隐私，可以主动公开。")
    reasons = forms.CharField(label="退回理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FiguresForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    licensing = forms.IntegerField(label="行政许可决定数", min_value=0)
    penalty = forms.IntegerField(label="行政处罚决定数", min_value=0)
    coercion = forms.IntegerField(label="行政强制决定数", min_value=0)
    fees_wan_yuan = forms.DecimalField(label="行政事业性收费（万元）", min_value=0, decimal_places=6, max_digits=18)
