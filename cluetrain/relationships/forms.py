"""The form of a relationship card's referral: whom the viewer refers, and what for."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ReferForm(forms.Form):
    # Rendered by the member picker (templates/members/_member_picker.html): a few letters of
    # a name or an @username, resolved by the view (members/picker.py).
    about = forms.CharField(max_length=151, label=_("Whom to refer (a name or @username)"))
    note = forms.CharField(
        max_length=300,
        required=False,
        label=_("What for (optional)"),
    )
