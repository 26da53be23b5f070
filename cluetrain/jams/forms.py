from django import forms
from django.utils.translation import gettext_lazy as _

from cluetrain.jams.actions import (
    LABEL_MAX_CHARS,
    NOTE_MAX_CHARS,
    QUESTION_MAX_CHARS,
    TITLE_MAX_CHARS,
)
from cluetrain.jams.models import Jam
from cluetrain.threads.actions import TITLE_MAX_CHARS as IDEA_TITLE_MAX_CHARS

WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class JamForm(forms.Form):
    title = forms.CharField(max_length=TITLE_MAX_CHARS, label=_("Title"))
    question = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=QUESTION_MAX_CHARS, label=_("Question")
    )
    starts_at = forms.DateTimeField(widget=WHEN, label=_("Starts"))
    ends_at = forms.DateTimeField(widget=WHEN, label=_("Ends"))
    audience = forms.ChoiceField(choices=Jam.Audience.choices, label=_("Who may take part"))
    hosts = forms.CharField(
        max_length=500, label=_("Hosts"), help_text=_("Usernames of staff, comma-separated")
    )
    moderators = forms.CharField(
        max_length=500, required=False, label=_("Moderators"), help_text=_("Usernames")
    )
    invited = forms.CharField(
        max_length=2000,
        required=False,
        label=_("Invited"),
        help_text=_("Partners' usernames (invited partners only)"),
    )


class JamIdeaForm(forms.Form):
    title = forms.CharField(max_length=IDEA_TITLE_MAX_CHARS, label=_("Title"))
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label=_("Your idea"))


class RenameForm(forms.Form):
    label = forms.CharField(max_length=LABEL_MAX_CHARS, label=_("Name"))


class MergeForm(forms.Form):
    into = forms.IntegerField(label=_("Merge into theme"))


class SplitForm(forms.Form):
    label = forms.CharField(max_length=LABEL_MAX_CHARS, label=_("Name of the new theme"))
    posts = forms.TypedMultipleChoiceField(coerce=int, choices=[])

    def __init__(self, *args: object, post_ids: list[int], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["posts"].choices = [(pk, pk) for pk in post_ids]  # type: ignore[attr-defined]


class HighlightForm(forms.Form):
    post = forms.IntegerField(label=_("Post"))
    note = forms.CharField(max_length=NOTE_MAX_CHARS, required=False, label=_("Note"))
