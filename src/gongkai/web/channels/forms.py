"""The entry form: one form for every channel; the fields a kind does not use are hidden and not passed on."""
from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from .models import KIND_FIELDS, Entry, Kind


class EntryForm(forms.ModelForm):
    index_no = forms.CharField(label="对应公开信息的索引号", required=False, max_length=40,
                               help_text="有对应的主动公开信息时填写，如 11230103MB0000003C-2023-00001")
    link = forms.URLField(label="链接", required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = Entry
        fields = ("kind", "title", "on", "link", "place", "removed_on", "outlet", "level", "topic", "published_on",
                  "attendees", "note")
        widgets = {name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
                   for name in ("on", "removed_on", "published_on")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.instance.pk:
            self.initial.setdefault("on", timezone.localdate())
        if self.instance.pk and self.instance.item_id:
            self.initial.setdefault("index_no", self.instance.item.index_no or "")
        for name, field in self.fields.items():
            kinds = [k for k, used in KIND_FIELDS.items() if name in used]
            if kinds:
                field.widget.attrs["data-kinds"] = " ".join(kinds)
        self.fields["topic"].help_text = "如 解决百姓民生问题、消防安全检查（年报按类别统计刊登篇数）"
        self.fields["kind"].choices = Kind.choices
        if self.instance.pk:  # an entry keeps its channel (log a new one instead)
            self.fields["kind"].disabled = True

    def entry_fields(self) -> dict[str, Any]:
        """The cleaned values the chosen kind uses (others dropped), without the item."""
        data = self.cleaned_data
        used = {"title", "on", "note", *KIND_FIELDS[data["kind"]]}
        return {name: data.get(name) if data.get(name) is not None else ("" if name not in (
            "on", "removed_on", "published_on", "attendees") else None) for name in used}
