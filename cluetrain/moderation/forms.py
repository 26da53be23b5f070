from django import forms

from cluetrain.moderation.models import Flag


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        choices=Flag.Reason.choices, widget=forms.RadioSelect, label="What is wrong?"
    )
    note = forms.CharField(
        required=False,
        label="Anything the moderators should know? (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ModerateForm(forms.Form):
    """The buttons of the moderation panels: which act, why, and where to (for a move)."""

    action = forms.CharField()
    reason = forms.CharField(required=False)
    space = forms.CharField(required=False)
