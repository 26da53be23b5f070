"""Form parsing for ideas. Text fields are loose on purpose: the actions give the messages."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cluetrain.ideas.models import Idea
from cluetrain.organizations.models import Product
from cluetrain.spaces.models import Space


class IdeaForm(forms.Form):
    field_order = ["title", "body", "space", "product"]

    space = forms.ModelChoiceField(
        queryset=Space.objects.none(),
        empty_label=None,
        label=_("Ideas space"),
        error_messages={"invalid_choice": _("Choose one of the listed ideas spaces.")},
    )
    product = forms.ModelChoiceField(
        queryset=Product.objects.order_by("name"),
        required=False,
        empty_label=_("Not about one product"),
        help_text=_("Optional: the product this idea would improve."),
    )
    title = forms.CharField(
        required=False,
        label=_("Your idea, in one line"),
        widget=forms.TextInput(
            attrs={"placeholder": _("Let the hub turn lights off at sunrise"), "maxlength": 200}
        ),
    )
    body = forms.CharField(
        required=False,
        label=_("Why would it help?"),
        widget=forms.Textarea(
            attrs={
                "placeholder": _("Describe the problem it solves and who has it. Markdown works.")
            }
        ),
    )

    def __init__(self, *args: object, spaces: QuerySet[Space], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["space"].queryset = spaces  # type: ignore[attr-defined]


class StatusForm(forms.Form):
    status = forms.CharField(
        required=False, label=_("New status"), widget=forms.Select(choices=Idea.Status.choices)
    )
    explanation = forms.CharField(
        required=False,
        label=_("Public explanation"),
        help_text=_("Shown on the idea to everyone, and sent to everyone who voted."),
        widget=forms.Textarea(attrs={"rows": 3, "required": True}),
    )


class MergeForm(forms.Form):
    into = forms.IntegerField(
        min_value=1,
        label=_("Merge into idea number"),
        help_text=_("The idea that survives: it gets the votes and followers, once per member."),
        error_messages={"required": _("Give the number of the idea to merge into.")},
    )
