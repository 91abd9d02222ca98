from __future__ import annotations

import re

from django import forms

from ..applications.forms import MultipleFileField
from ..applications.models import ApplicantType, Delivery, RequestedForm
from ..applications.validators import ALLOWED_TEXT, MAX_CORRECTION_TEXT, MAX_FILE_BYTES, MAX_FILES
from ..core.errors import Invalid

_PHONE = re.compile(r"^[0-9+\-() ]{7,20}$")


class ApplyForm(forms.Form):
    applicant_type = forms.ChoiceField(label="申请人类型", choices=ApplicantType.choices)
    applicant_name = forms.CharField(label="申请人姓名或名称", max_length=100)
    credit_code = forms.CharField(label="统一社会信用代码（法人或其他组织填写）", max_length=30, required=False)
    legal_representative = forms.CharField(label="法定代表人或负责人（法人或其他组织填写）", max_length=50,
                                           required=False)
    contact_name = forms.CharField(label="联系人姓名（法人或其他组织填写）", max_length=50, required=False)
    id_type = forms.CharField(label="证件类型（自然人或联系人）", max_length=30, required=False, initial="居民身份证")
    id_number = forms.CharField(label="证件号码", max_length=30, required=False)
    id_proof = MultipleFileField(
        label=f"身份证明（自然人：身份证件；法人或其他组织：营业执照等证照及联系人身份证件。{ALLOWED_TEXT}，"
              f"每个不超过{MAX_FILE_BYTES // 1024 // 1024}MB，最多{MAX_FILES}个）", required=False)
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

    def clean_credit_code(self) -> str:
        from ..applications.validators import clean_credit_code

        try:
            return clean_credit_code(self.cleaned_data.get("credit_code") or "")
        except Invalid as exc:
            raise forms.ValidationError(exc.message) from None

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("applicant_type") and data["applicant_type"] != ApplicantType.NATURAL:
            for name, msg in (("credit_code", "法人或其他组织请填写统一社会信用代码"),
                              ("legal_representative", "法人或其他组织请填写法定代表人或负责人"),
                              ("contact_name", "法人或其他组织请填写联系人姓名")):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, msg)
        if data.get("delivery") == Delivery.POST and not data.get("contact_address"):
            self.add_error("contact_address", "选择邮寄时请填写通信地址")
        if data.get("delivery") == Delivery.EMAIL and not data.get("contact_email"):
            self.add_error("contact_email", "选择电子邮件时请填写电子邮箱")
        return data

    FIELDS = ("applicant_type", "applicant_name", "credit_code", "legal_representative", "contact_name", "id_type",
              "id_number", "contact_phone", "contact_email", "contact_address", "postcode", "description",
              "requested_form", "delivery")


    GROUPS = (
        ("申请人", "", ("applicant_type", "applicant_name", "id_type", "id_number")),
        ("法人或其他组织填写", ("申请人类型选择企业、科研机构、社会公益组织、法律服务机构或其他组织时填写；"
         "上方“证件类型、证件号码”填写联系人的证件。"), ("credit_code", "legal_representative", "contact_name")),
        ("身份证明与联系方式", "留下电子邮箱的，办理的每一步（登记、补正、延期、收费、答复）都会发送邮件通知。",
         ("id_proof", "contact_phone", "contact_email", "contact_address", "postcode")),
        ("所需政府信息", "", ("description", "requested_form", "delivery")),
    )

    def groups(self) -> list[dict]:
        """The fieldsets of the page: legend, hint and bound fields."""
        return [{"legend": legend, "hint": hint, "id": f"group-{i}", "fields": [self[n] for n in names]}
                for i, (legend, hint, names) in enumerate(self.GROUPS)]


class CorrectionForm(forms.Form):
    """补正 by query code: what was asked for, in words and/or files."""

    code = forms.CharField(widget=forms.HiddenInput, max_length=20)
    text = forms.CharField(label="补正内容（按补正告知书的要求补充说明）", max_length=MAX_CORRECTION_TEXT,
                           required=False, widget=forms.Textarea(attrs={"rows": 6}))
    files = MultipleFileField(label=f"补正材料（{ALLOWED_TEXT}，每个不超过{MAX_FILE_BYTES // 1024 // 1024}MB，"
                                    f"最多{MAX_FILES}个）", required=False)
    website = forms.CharField(required=False, label="请勿填写此项")
    token = forms.CharField(widget=forms.HiddenInput)


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
