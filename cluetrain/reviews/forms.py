"""Form parsing for reviews. Fields are loose on purpose: the actions give the messages."""

from django import forms
from django.utils.translation import gettext_lazy

STAR_LABELS = {
    5: gettext_lazy("5 stars · Excellent"),
    4: gettext_lazy("4 stars · Good"),
    3: gettext_lazy("3 stars · Average"),
    2: gettext_lazy("2 stars · Poor"),
    1: gettext_lazy("1 star · Terrible"),
}


class ReviewForm(forms.Form):
    stars = forms.CharField(
        required=False,
        widget=forms.RadioSelect(choices=[(str(n), label) for n, label in STAR_LABELS.items()]),
    )
    title = forms.CharField(
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": gettext_lazy("Sum it up in a line"), "maxlength": 200}
        ),
    )
    body = forms.CharField(
        required=False,
        label=gettext_lazy("Your review"),
        widget=forms.Textarea(
            attrs={
                "placeholder": gettext_lazy(
                    "What did you like, what could be better? Markdown works."
                )
            }
        ),
    )
