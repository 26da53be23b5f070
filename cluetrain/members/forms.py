from typing import Any

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from cluetrain.members.actions import parse_tags
from cluetrain.members.models import Member, Profile


class SignupForm(UserCreationForm[Member]):
    """Checks the username's form, the e-mail address, and both passwords (with validators)."""

    display_name = forms.CharField(
        max_length=150,
        label=_("Display name"),
        help_text=_("The name others see, e.g. “Alice Archer”."),
    )
    email = forms.EmailField(
        label=_("E-mail address"), help_text=_("Only used to reset your password.")
    )

    class Meta:
        model = Member
        fields = ("username", "display_name", "email")


class ProfileForm(forms.Form):
    """The profile page's form; onboarding's first step uses it without interests."""

    display_name = forms.CharField(max_length=150, label=_("Display name"))
    headline = forms.CharField(max_length=200, required=False, label=_("Headline"))
    location = forms.CharField(max_length=200, required=False, label=_("Location"))
    bio = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=5000, label=_("Bio")
    )
    expertise = forms.CharField(
        required=False,
        max_length=2000,
        label=_("Expertise"),
        help_text=_("Comma-separated, e.g. “installation, heat pumps, wi-fi”."),
    )
    interests = forms.CharField(
        required=False,
        max_length=2000,
        label=_("Interests"),
        help_text=_("Comma-separated."),
    )

    @staticmethod
    def initial_for(member: Member, profile: Profile) -> dict[str, str]:
        return {
            "display_name": member.display_name,
            "headline": profile.headline,
            "location": profile.location,
            "bio": profile.bio,
            "expertise": ", ".join(t.name for t in profile.expertise.all()),
            "interests": ", ".join(t.name for t in profile.interests.all()),
        }

    def edit_arguments(self, interests: list[str] | None = None) -> dict[str, Any]:
        """check_edit_profile's keyword arguments from the valid form (interests as given, when
        the form has none)."""
        data = self.cleaned_data
        return {
            "display_name": data["display_name"],
            "headline": data["headline"],
            "location": data["location"],
            "bio": data["bio"],
            "expertise": parse_tags(data["expertise"]),
            "interests": parse_tags(data["interests"]) if interests is None else interests,
        }


class PeopleFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=150, label=_("Name"))
    expertise = forms.CharField(required=False, max_length=80, label=_("Expertise"))
    location = forms.CharField(required=False, max_length=200, label=_("Location"))
    role = forms.ChoiceField(
        required=False, choices=[("", _("Anyone")), *Member.Role.choices], label=_("Role")
    )


class ConnectionResponseForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])


class AvatarForm(forms.Form):
    # A plain file field: members/avatars.py decodes and checks the picture itself.
    avatar = forms.FileField(
        label=_("Picture"),
        help_text=_(
            "JPEG, PNG, GIF or WebP, up to 5 MB. It is cropped square; its metadata "
            "(camera, place) is removed."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}
        ),
    )
