"""Forms that parse the request and offer pages' input into the actions' plain values."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cluetrain.intents.actions import IntentData
from cluetrain.intents.models import Intent

DISCLOSE_CHOICES = [
    ("place", _("The place")),
    ("dates", _("The dates")),
    ("budget", _("The budget")),
    ("must_haves", _("The must-haves")),
]


class IntentForm(forms.Form):
    title = forms.CharField(max_length=120, label=_("What do you want?"))
    category = forms.CharField(
        max_length=100,
        label=_("Category"),
        help_text=_("e.g. car rental, plumbing, insurance"),
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, label=_("Description")
    )
    place = forms.CharField(
        max_length=200, required=False, label=_("Place"), help_text=_("a city, e.g. Boston, MA")
    )
    starts_on = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label=_("Starts on")
    )
    ends_on = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label=_("Ends on")
    )
    budget_min = forms.DecimalField(
        required=False, max_digits=12, decimal_places=2, label=_("Budget from")
    )
    budget_max = forms.DecimalField(
        required=False, max_digits=12, decimal_places=2, label=_("Budget up to")
    )
    currency = forms.CharField(max_length=3, initial="USD", label=_("Currency"))
    must_haves = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label=_("Must-haves"),
        help_text=_("one per line"),
    )
    open_days = forms.IntegerField(initial=14, label=_("Open for (days)"))
    disclose = forms.MultipleChoiceField(
        choices=DISCLOSE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Show vendors (anonymous: they see a pseudonym and only what you tick)"),
    )

    def data_for_action(self) -> IntentData:
        d = self.cleaned_data
        return IntentData(
            title=d["title"],
            category=d["category"],
            description=d["description"],
            place=d["place"],
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
            budget_min=d["budget_min"],
            budget_max=d["budget_max"],
            currency=d["currency"] or "USD",
            must_haves=d["must_haves"].splitlines(),
            open_days=d["open_days"],
            disclose=d["disclose"],
        )

    @classmethod
    def for_intent(cls, intent: Intent) -> "IntentForm":
        days = max(1, (intent.open_until - intent.created_at).days)
        return cls(
            initial={
                "title": intent.title,
                "category": intent.category,
                "description": intent.description,
                "place": intent.place,
                "starts_on": intent.starts_on,
                "ends_on": intent.ends_on,
                "budget_min": intent.budget_min,
                "budget_max": intent.budget_max,
                "currency": intent.currency,
                "must_haves": "\n".join(intent.must_haves),
                "open_days": days,
                "disclose": intent.disclosed,
            }
        )


class OfferForm(forms.Form):
    price = forms.DecimalField(max_digits=12, decimal_places=2, min_value=0, label=_("Price"))
    expires_at = forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), label=_("Valid until")
    )
    terms = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Terms")
    )
    message = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Message")
    )


class RatingForm(forms.Form):
    stars = forms.IntegerField()
    words = forms.CharField(max_length=500, required=False)
