from __future__ import annotations

import re

from django import forms

from ..applications.models import ApplicantType, Delivery, RequestedForm

_PHONE = re.compile(r"^[0-9+\-() ]{7,20}$")


class ApplyForm(forms.Form):
    applicant_type = forms.ChoiceField(label="申请人类型", choices=ApplicantType.choices)
    applicant_name = forms.CharField(label="申请人姓名或名称", max_length=100)
    id_type = forms.CharField(label="证件类型", max_length=30, required=False, initial="居民身份证")
    id_number = forms.CharField(label="证件号码", max_length=30, required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=20)
    contact_email = forms.EmailField(label="电子邮箱", required=False)
    contact_address = forms.CharField(label="通信地址", max_length=200, required=False)
    postcode = forms.RegexField(label="邮政编码", regex=r"^\d{6}$", required=False,
                                error_messages={"invalid": "邮政编码应为6位数字"})
    description = forms.CharField(label="所需政府信息的名称、文号或者便于查询的其他特征性描述", max_length=3000,
                                  widget=forms.Textarea(attrs={"rows": 6}))
    requested_form = forms.ChoiceField(label="获取信息的方式", choices=RequestedForm.choices, initial=RequestedForm.ANY)
    delivery = forms.ChoiceField(label="获取信息的途径", choices=Delivery.choices, initial=Delivery.POST)
    # anti-spam: hidden honeypot and a signed timestamp (see services)
    website = forms.CharField(required=False, label="请勿填写此项")
    token = forms.CharField(widget=forms.HiddenInput)

    def clean_contact_phone(self) -> str:
        v = self.cleaned_data["contact_phone"].strip()
        if not _PHONE.match(v):
            raise forms.ValidationError("请填写有效的联系电话")
        return v

    def clean_description(self) -> str:
        v = self.cleaned_data["description"].strip()
        if len(v) < 5:
            raise forms.ValidationError("请具体描述所需的政府信息（至少5个字）")
        return v

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("delivery") == Delivery.POST and not data.get("contact_address"):
            self.add_error("contact_address", "选择邮寄时请填写通信地址")
        if data.get("delivery") == Delivery.EMAIL and not data.get("contact_email"):
            self.add_error("contact_email", "选择电子邮件时请填写电子邮箱")
        return data

    FIELDS = ("applicant_type", "applicant_name", "id_type", "id_number", "contact_phone", "contact_email",
              "contact_address", "postcode", "description", "requested_form", "delivery")


class SearchForm(forms.Form):
    q = forms.CharField(label="关键词", max_length=60, required=False)
    index_no = forms.CharField(label="索引号", max_length=40, required=False)
    doc_number = forms.CharField(label="文号", max_length=100, required=False)
    title = forms.CharField(label="标题", max_length=100, required=False)
    category = forms.CharField(label="分类", max_length=20, required=False)
    issuer = forms.CharField(label="发布机构", max_length=100, required=False)
    year = forms.IntegerField(label="年份", min_value=1990, max_value=2100, required=False)
    body = forms.IntegerField(required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=100)
