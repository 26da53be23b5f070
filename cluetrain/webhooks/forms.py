from django import forms
from django.utils.translation import gettext_lazy

from cluetrain.webhooks.models import Event


class TargetURLField(forms.URLField):
    """Adds https:// when left out; the action checks the rest, so that `0x7f000001` is
    refused as the loopback address it is rather than as a malformed URL."""

    default_validators = []


class EndpointForm(forms.Form):
    url = TargetURLField(label=gettext_lazy("Payload URL"), max_length=500, assume_scheme="https")
    description = forms.CharField(label=gettext_lazy("Description"), max_length=200, required=False)
    events = forms.MultipleChoiceField(
        label=gettext_lazy("Events"),
        choices=Event.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    active = forms.BooleanField(label=gettext_lazy("Active"), required=False, initial=True)
