"""A refused action shown on the page's form: beside its field when the form has it."""

from django import forms

from cluetrain.core.errors import ActionError, show_on_form


class NameForm(forms.Form):
    name = forms.CharField()


def test_the_message_goes_beside_the_field_the_action_names() -> None:
    form = NameForm({"name": "taken"})
    assert form.is_valid()
    status = show_on_form(form, ActionError("That name is taken.", field="name", status=409))
    assert status == 409
    assert form.errors["name"] == ["That name is taken."]
    assert not form.non_field_errors()


def test_a_field_the_form_lacks_puts_the_message_above_the_form() -> None:
    # The action is shared with the API, whose payload has fields this form does not.
    form = NameForm({"name": "x"})
    assert form.is_valid()
    assert show_on_form(form, ActionError("Pick a colour.", field="colour")) == 400
    assert form.non_field_errors() == ["Pick a colour."]
    assert "name" not in form.errors
