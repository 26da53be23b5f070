from django import forms
from django.utils.translation import gettext_lazy as _

from cluetrain.moderation.models import Flag


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        choices=Flag.Reason.choices, widget=forms.RadioSelect, label=_("What is wrong?")
    )
    note = forms.CharField(
        required=False,
        label=_("Anything the moderators should know? (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ModerateForm(forms.Form):
    """The buttons of the moderation panels: which act, why, and where to (for a move)."""

    action = forms.CharField()
    reason = forms.CharField(required=False)
    space = forms.CharField(required=False)
