from django import forms
from django.utils.translation import gettext_lazy as _

from sharing.choices import AlertFrequency


class InquiryForm(forms.Form):
    message = forms.CharField(
        label=_("留言"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    offer_text = forms.CharField(
        label=_("我方能提供"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("消息"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DealForm(forms.Form):
    description = forms.CharField(label=_("成交内容"), max_length=200)
    quantity = forms.DecimalField(label=_("数量"), max_digits=14, decimal_places=2, required=False)
    unit = forms.CharField(label=_("单位"), max_length=24, required=False)
    value_yuan = forms.DecimalField(label=_("金额（元）"), max_digits=14, decimal_places=2)
    start_date = forms.DateField(
        label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(
        label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    close_listing = forms.BooleanField(label=_("成交后关闭该信息（仅发布方可选）"), required=False)

    def __init__(self, *args, poster: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not poster:  # only the poster may close the listing: the asker is not offered it
            del self.fields["close_listing"]


class SavedSearchForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    frequency = forms.ChoiceField(
        label=_("提醒方式"), choices=AlertFrequency.choices, initial=AlertFrequency.DAILY
    )
