"""Every visible field says its own, translatable label: Django's made-up labels ("Display
name" from display_name) stay English on a French page."""

from django import forms
from django.utils.functional import Promise

from cluetrain.members.forms import PeopleFilterForm, ProfileForm, SignupForm


def unlabelled(form: forms.BaseForm) -> list[str]:
    return [
        name
        for name, field in form.fields.items()
        if not field.widget.is_hidden
        and not isinstance(field.label, Promise)
        and name not in ("password1", "password2")  # Django's own, translated
    ]


def test_member_forms_label_every_field() -> None:
    for form in (ProfileForm(), PeopleFilterForm(), SignupForm()):
        assert unlabelled(form) == [], type(form).__name__
