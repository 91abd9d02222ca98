"""Forms validate input only; the views hand the cleaned data to a service."""
from __future__ import annotations

from django import forms
from django.utils import timezone

from ..bodies.models import Body
from ..core.widgets import DateInput
from .models import ApplicantType, Channel, Delivery, ReplyType, RequestedForm
from .validators import ALLOWED_TEXT, MAX_FILE_BYTES

DATE = DateInput()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleaned to a list of (name, content) for the services (which check them)."""

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):  # type: ignore[no-untyped-def]
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if self.required and not files:
            raise forms.ValidationError("请上传文件")
        # one byte past the cap is enough for the service to refuse an oversized file (413) without reading it all
        return [(f.name, f.read(MAX_FILE_BYTES + 1)) for f in files]


class RegisterForm(forms.Form):
    body = forms.ModelChoiceField(label="受理机关", queryset=Body.objects.none(), empty_label=None)
    channel = forms.ChoiceField(label="申请方式", choices=Channel.choices)
    submitted_on = forms.DateField(label="提交日期", widget=DATE, initial=timezone.localdate)
    signed_for_on = forms.DateField(label="签收日期（挂号信/EMS）", widget=DATE, required=False)
    confirmed_on = forms.DateField(label="确认日期（平信、网上、传真：与申请人确认收到之日）", widget=DATE, required=False)
    applicant_type = forms.ChoiceField(label="申请人类型", choices=ApplicantType.choices)
    applicant_name = forms.CharField(label="申请人姓名/名称", max_length=100)
    credit_code = forms.CharField(label="统一社会信用代码（法人或其他组织）", max_length=30, required=False)
    legal_representative = forms.CharField(label="法定代表人或负责人（法人或其他组织）", max_length=50, required=False)
    contact_name = forms.CharField(label="联系人（法人或其他组织）", max_length=50, required=False)
    id_type = forms.CharField(label="证件类型（自然人或联系人）", max_length=30, required=False, initial="居民身份证")
    id_number = forms.CharField(label="证件号码", max_length=40, required=False)
    id_proof = MultipleFileField(label=f"身份证明（扫描件或照片，{ALLOWED_TEXT}）", required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=40, required=False)
    contact_email = forms.EmailField(label="电子邮箱", required=False)
    contact_address = forms.CharField(label="通信地址", max_length=200, required=False)
    postcode = forms.CharField(label="邮政编码", max_length=10, required=False)
    description = forms.CharField(label="所需政府信息的名称、文号或便于查询的其他特征性描述", widget=forms.Textarea)
    requested_form = forms.ChoiceField(label="获取信息的方式", choices=RequestedForm.choices)
    delivery = forms.ChoiceField(label="获取信息的途径", choices=Delivery.choices)

    def __init__(self, *args, bodies=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies if bodies is not None else Body.objects.none()

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if data.get("channel") == Channel.REGISTERED_MAIL and not data.get("signed_for_on"):
            self.add_error("signed_for_on", "挂号信以签收之日为收到申请之日，请填写签收日期")
        if data.get("channel") == Channel.ORDINARY_MAIL and not data.get("confirmed_on"):
            self.add_error("confirmed_on", "平信以与申请人确认之日为收到申请之日，请填写确认日期")
        return data


class OnForm(forms.Form):
    on = forms.DateField(label="日期", widget=DATE, initial=timezone.localdate)


class CorrectionForm(OnForm):
    items = forms.CharField(label="需要补正的事项", widget=forms.Textarea(attrs={"rows": 3}))
    reply_by = forms.DateField(label="补正期限", widget=DATE, required=False)


class PauseForm(OnForm):
    reason = forms.ChoiceField(label="征求意见对象", choices=[("third_party", "第三方（第三十二条）"),
                                                        ("inter_body", "其他机关（第三十四条）")])
    party = forms.CharField(label="被征求意见方", max_length=100, required=False)


class ExtendForm(OnForm):
    days = forms.IntegerField(label="延长工作日数", min_value=1, max_value=20, initial=20)
    reason = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 2}))


class FeeForm(OnForm):
    method = forms.ChoiceField(label="收费方式", choices=[("pages", "按量计收（页）"), ("items", "按件计收（件）")])
    quantity = forms.IntegerField(label="页数/件数", min_value=1)
    already = forms.IntegerField(label="本月此前已计件数（按件；留空按台账自动计算）", min_value=0, required=False)


class FeePaidForm(OnForm):
    receipt_no = forms.CharField(label="财政票据号", max_length=60)


class DecisionForm(OnForm):
    reply_type = forms.ChoiceField(label="答复类型（年报第三部分）", choices=[("", "请选择")] + ReplyType.choices,
                                   required=False)
    outcomes = forms.MultipleChoiceField(
        label="分项办理结果（一件申请含多项时选择；有公开有不公开的计为部分公开，第三十七条）", choices=ReplyType.choices,
        required=False, widget=forms.SelectMultiple(attrs={"size": 6}))
    summary = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    sent_on = forms.DateField(label="发出日期（交邮、发送或当面交付之日，以此日计算是否超期；留空为作出日期）",
                              widget=DATE, required=False)
    delivered_on = forms.DateField(label="送达日期（已知时填写）", widget=DATE, required=False)

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if not data.get("reply_type") and not data.get("outcomes"):
            self.add_error("reply_type", "请选择答复类型，或选择各分项的办理结果")
        return data


class LapseForm(OnForm):
    reason = forms.ChoiceField(label="办结原因", choices=[("no_correction", "逾期不补正"), ("no_fee", "逾期未缴费"),
                                                       ("withdrawn", "申请人撤回")])


class ApproveForm(forms.Form):
    sent_on = forms.DateField(label="发出日期（交邮、发送或当面交付之日；以此日计算是否超期）", widget=DATE,
                              initial=timezone.localdate)


class DeliveredForm(OnForm):
    on = forms.DateField(label="送达日期（签收、收到邮件或当面领取之日）", widget=DATE, initial=timezone.localdate)


class PauseRecordForm(forms.Form):
    start = forms.DateField(label="开始日期", widget=DATE, initial=timezone.localdate)
    end = forms.DateField(label="结束日期", widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label="无法办理的原因（如疫情封控）", max_length=200)
    approved_by = forms.CharField(label="批准人", max_length=50)


class DeadlinePolicyForm(forms.Form):
    rest_day_next_working_day = forms.BooleanField(
        label="休息日（周末、节假日）收到的申请按下一个工作日收到计算", required=False)
    allow_other_pauses = forms.BooleanField(
        label="允许记录不可抗力等无法办理的期间（不计入答复期限，须写明原因和批准人）", required=False)


class ReturnForm(forms.Form):
    reason = forms.CharField(label="退回理由", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class AssignForm(forms.Form):
    username = forms.CharField(label="承办人", max_length=150, widget=forms.Select)
