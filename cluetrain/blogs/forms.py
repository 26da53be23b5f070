from django import forms
from django.utils.translation import gettext_lazy as _

from cluetrain.threads.actions import TITLE_MAX_CHARS

WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class BlogPostForm(forms.Form):
    title = forms.CharField(max_length=TITLE_MAX_CHARS, label=_("Title"))
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 14}),
        label=_("Post"),
        help_text=_("Markdown: **bold**, _italic_, [links](https://example.com), lists."),
    )
    tags = forms.CharField(
        max_length=300, required=False, label=_("Tags"), help_text=_("Comma-separated, up to 5")
    )
    publish_at = forms.DateTimeField(
        widget=WHEN,
        required=False,
        label=_("Publish at"),
        help_text=_("Only for “Schedule”: the post goes out by itself then."),
    )


class BlogSettingsForm(forms.Form):
    title = forms.CharField(
        max_length=120,
        required=False,
        label=_("Title"),
        help_text=_("Leave empty to use your name: “Ana's blog”."),
    )
    description = forms.CharField(
        max_length=300, required=False, label=_("Description"), help_text=_("One line under it")
    )


def tag_list(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]
