from django import forms

from cluetrain.webhooks.models import Event


class EndpointForm(forms.Form):
    url = forms.URLField(label="Payload URL", max_length=500, assume_scheme="https")
    description = forms.CharField(max_length=200, required=False)
    events = forms.MultipleChoiceField(
        choices=Event.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    active = forms.BooleanField(required=False, initial=True)
