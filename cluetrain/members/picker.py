"""A sent form's field that names a member (templates/members/_member_picker.html), read the
same way by every view that has one: the referral's customer, the person referred on a
relationship card, the team builder's customer (on its page and in the API, where `refusal`
words the 400 that lists the people the text may mean).

The text names one member exactly (an @username, or a full name only one member has) or the
form comes back with the text kept and the people it may mean as radio buttons named
`<field>_pick`, which win over the text when the form is sent again; a typo gets a guess, and
text that matches nobody gets a message and a 400 (`MemberField.error`).
"""

from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext

from cluetrain.members.access import Viewer
from cluetrain.members.lookup import MAX_TEXT, pick_member
from cluetrain.members.models import Member


def typed_member(data: QueryDict, name: str) -> str:
    """What the field `name` holds: a person chosen from its list of matches wins over the
    letters typed."""
    return (data.get(f"{name}_pick") or data.get(name, "")).strip()[:MAX_TEXT]


@dataclass(frozen=True)
class MemberField:
    """The member a field's text names, or the people it may mean (a guess when `similar`:
    nobody matched the text as typed)."""

    typed: str
    member: Member | None = None
    choices: list[Member] = field(default_factory=list)
    similar: bool = False

    @property
    def value(self) -> str:
        """The field's text when the form comes back: the member found, named exactly, or
        the text as typed."""
        return "@" + self.member.username if self.member is not None else self.typed

    @property
    def error(self) -> str:
        """Why the form comes back with a 400: nobody to offer. Empty otherwise (one member,
        or people to choose from, whose list explains itself)."""
        if self.member is not None or self.choices:
            return ""
        return gettext(
            "Nobody matches “%(text)s”: type a few letters of their name or username."
        ) % {"text": self.typed}

    @property
    def refusal(self) -> str:
        """Why an API call that names a member this way is refused (a 400 that lists
        `choices`): empty when the text names one member."""
        if self.member is not None:
            return ""
        if not self.choices:
            return self.error
        if self.similar:
            return gettext(
                "Nobody matches “%(text)s”. Did you mean one of these? Send their username."
            ) % {"text": self.typed}
        return gettext("Several people match “%(text)s”: send the username of one.") % {
            "text": self.typed
        }

    def form_again(
        self, request: HttpRequest, template: str, context: dict[str, object]
    ) -> HttpResponse:
        """The form again when the text names no one member: the people it may mean to choose
        from, or a 400 with `error` when nobody matches. `context` already holds `context()`."""
        if self.error:
            context["error"] = self.error
            return render(request, template, context, status=400)
        return render(request, template, context)

    def context(self, name: str) -> dict[str, object]:
        """What the picker template of field `name` is given: `<name>_name` (its value),
        `<name>_choices` and `<name>_similar`."""
        return {
            f"{name}_name": self.value,
            f"{name}_choices": self.choices,
            f"{name}_similar": self.similar,
        }


def pick_typed_member(typed: str, viewer: Viewer) -> MemberField:
    """Resolve text typed in a member field (see `typed_member`) for `viewer`."""
    picked = pick_member(typed, viewer)
    return MemberField(typed, picked.member, picked.choices, picked.similar)


def read_member_field(data: QueryDict, name: str, viewer: Viewer) -> MemberField:
    """The member field `name` of a sent form, resolved for `viewer`."""
    return pick_typed_member(typed_member(data, name), viewer)
