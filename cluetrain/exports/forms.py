from django import forms

POST_CHOICES = [
    ("anonymize", "Keep my posts, without my name: they show as written by a deleted member"),
    ("remove", "Remove my posts: their text, edit history and search entries are deleted"),
]


class DeleteAccountForm(forms.Form):
    posts = forms.ChoiceField(choices=POST_CHOICES, widget=forms.RadioSelect, label="My posts")
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        label="Your password, to confirm",
        strip=False,
    )


class ImportUploadForm(forms.Form):
    archive = forms.FileField(label="The export's zip file (from the export page of any instance)")


class ImportConfirmForm(forms.Form):
    confirm = forms.CharField(label="Type the site's name to confirm", max_length=200)
