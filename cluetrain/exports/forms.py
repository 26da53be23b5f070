from django import forms
from django.utils.translation import gettext_lazy as _

POST_CHOICES = [
    ("anonymize", _("Keep my posts, without my name: they show as written by a deleted member")),
    ("remove", _("Remove my posts: their text, edit history and search entries are deleted")),
]


class DeleteAccountForm(forms.Form):
    posts = forms.ChoiceField(choices=POST_CHOICES, widget=forms.RadioSelect, label=_("My posts"))
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        label=_("Your password, to confirm"),
        strip=False,
    )


class ImportUploadForm(forms.Form):
    archive = forms.FileField(
        label=_("The export's zip file (from the export page of any instance)")
    )


class ImportConfirmForm(forms.Form):
    confirm = forms.CharField(label=_("Type the site's name to confirm"), max_length=200)
