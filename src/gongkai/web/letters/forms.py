from __future__ import annotations

from django import forms

from ..core.widgets import DateInput
from .kinds import GROUNDS, Kind

GROUND_CHOICES = [("", "请选择")] + [(k, f"{what}（{'、'.join(arts)}）") for k, (what, arts) in GROUNDS.items()]


class IssueForm(forms.Form):
    on = forms.DateField(label="成文日期", widget=DateInput())
    withheld = forms.ChoiceField(label="不予公开部分的理由", choices=GROUND_CHOICES, required=False)
    responsible_body = forms.CharField(label="负责公开该信息的机关（不属于本机关负责公开时填写）", max_length=100,
                                       required=False)
    party_name = forms.CharField(label="第三方姓名或名称", max_length=100, required=False)
    party_organisation = forms.BooleanField(label="第三方为法人或其他组织", required=False)
    party_id_number = forms.CharField(label="第三方证件号码/统一社会信用代码", max_length=40, required=False)
    party_phone = forms.CharField(label="第三方联系电话", max_length=40, required=False)
    party_address = forms.CharField(label="第三方通信地址", max_length=200, required=False)
    late_reason = forms.CharField(label="逾期原因（仅在超过期限时填写）", max_length=200, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, kind: Kind, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        keep = {"on", "late_reason"}
        if "withheld" in kind.fields:
            keep.add("withheld")
            self.fields["withheld"].required = True
        if "responsible_body" in kind.fields:
            keep.add("responsible_body")
        if "party" in kind.fields:
            keep |= {"party_name", "party_organisation", "party_id_number", "party_phone", "party_address"}
            self.fields["party_name"].required = True
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]


class TemplateForm(forms.Form):
    title = forms.CharField(label="标题（文种）", max_length=100)
    text = forms.CharField(label="正文（第一行为主送，其后每行一段）", widget=forms.Textarea(attrs={"rows": 16}))
    note = forms.CharField(label="修改说明", max_length=200, required=False)


class SettingsForm(forms.Form):
    letter_prefix = forms.CharField(label="发文字号代字（如：七政公开）", max_length=20, required=False)
    review_authority = forms.CharField(label="行政复议机关", max_length=100, required=False)
    court = forms.CharField(label="行政诉讼管辖法院", max_length=100, required=False)
