"""Forms only parse; limits and permissions are checked by the actions."""

from django import forms
from django.utils.translation import gettext_lazy


class ThreadForm(forms.Form):
    title = forms.CharField(
        required=False,
        label=gettext_lazy("Title"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    body = forms.CharField(
        required=False, label=gettext_lazy("Message"), widget=forms.Textarea(attrs={"rows": 10})
    )
    tags = forms.CharField(
        required=False,
        label=gettext_lazy("Tags"),
        help_text=gettext_lazy("Optional, separated by commas, for example: wifi, setup"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        required=False, label=gettext_lazy("Your reply"), widget=forms.Textarea(attrs={"rows": 5})
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class EditForm(forms.Form):
    title = forms.CharField(
        required=False,
        label=gettext_lazy("Title"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    body = forms.CharField(
        required=False, label=gettext_lazy("Message"), widget=forms.Textarea(attrs={"rows": 10})
    )


class ReactForm(forms.Form):
    kind = forms.CharField()
