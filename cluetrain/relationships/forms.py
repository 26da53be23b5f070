"""The form of a relationship card's referral: whom the viewer refers, and what for."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ReferForm(forms.Form):
    about = forms.CharField(
        max_length=151,
        label=_("Whom to refer"),
        widget=forms.TextInput(attrs={"placeholder": _("@username")}),
    )
    note = forms.CharField(
        max_length=300,
        required=False,
        label=_("What for (optional)"),
    )
