from django import forms
from django.utils.translation import gettext_lazy as _

from cluetrain.imports.run import FORMATS

UPLOAD_LIMIT = 20 * 1024 * 1024  # imported synchronously: about a second per 20,000 messages


class ImportForm(forms.Form):
    format = forms.ChoiceField(
        choices=[(name, name) for name in sorted(FORMATS)], label=_("Format")
    )
    file = forms.FileField(
        label=_("File"), help_text=_("CSV, JSONL or a feed; .gz is fine. At most 20 MB.")
    )
    source = forms.CharField(
        max_length=120,
        required=False,
        label=_("Source"),
        help_text=_("Source name; empty: the format's default (see docs/import.md)."),
    )

    def clean_file(self) -> forms.Field:
        upload = self.cleaned_data["file"]
        if upload.size > UPLOAD_LIMIT:
            raise forms.ValidationError(
                _("The file is larger than 20 MB; import it with `cluetrain import` instead.")
            )
        return upload  # type: ignore[no-any-return]
