"""Onboarding after sign-up: complete the profile, choose what to follow, follow some people.

Three plain forms (no JavaScript needed), each skippable; what a new member follows decides
what they hear about, in notifications and in the digests, hence its place in this app.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from cluetrain.core.errors import ActionError, show_on_form
from cluetrain.core.requests import signed_in_member
from cluetrain.members import actions as member_actions
from cluetrain.members.forms import ProfileForm
from cluetrain.members.models import Member, Profile
from cluetrain.members.queries import suggested_people
from cluetrain.notifications.actions import check_choose_follows, check_follow_people
from cluetrain.spaces.access import readable_spaces
from cluetrain.spaces.models import SpaceFollow
from cluetrain.topics.models import Topic

STEPS = (_("Your profile"), _("What to follow"), _("People"))
POPULAR_TOPICS = 12


class WelcomeProfileForm(ProfileForm):
    """The profile form without interests: those are chosen on the next step."""

    interests = None  # type: ignore[assignment]


class FollowForm(forms.Form):
    spaces = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label=_("Spaces")
    )
    topics = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label=_("Topics you care about")
    )
    other_topics = forms.CharField(
        required=False,
        max_length=2000,
        label=_("Other topics"),
        help_text=_("Comma-separated."),
    )

    def __init__(self, *args: object, member: Member, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        spaces = readable_spaces(member).order_by("position", "name")
        self.fields["spaces"].choices = [(s.slug, s.name) for s in spaces]  # type: ignore[attr-defined]
        popular = (
            Topic.objects.annotate(n=Count("threads", distinct=True))
            .filter(n__gt=0)
            .order_by("-n", "name")[:POPULAR_TOPICS]
        )
        self.fields["topics"].choices = [(t.name, t.name) for t in popular]  # type: ignore[attr-defined]


class PeopleForm(forms.Form):
    people = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label=_("People to follow")
    )

    def __init__(self, *args: object, suggestions: list[Member], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["people"].choices = [(m.username, m.name) for m in suggestions]  # type: ignore[attr-defined]


def _render(
    request: HttpRequest, step: int, context: dict[str, object], status: int = 200
) -> HttpResponse:
    context = {**context, "step": step, "steps": STEPS, "step_name": STEPS[step - 1]}
    return render(request, f"notifications/welcome_{step}.html", context, status=status)


@login_required
def welcome_profile(request: HttpRequest) -> HttpResponse:
    member = signed_in_member(request)
    profile, _ = Profile.objects.prefetch_related("expertise", "interests").get_or_create(
        member=member
    )
    if request.method != "POST":
        form = WelcomeProfileForm(initial=ProfileForm.initial_for(member, profile))
        return _render(request, 1, {"form": form, "member": member})
    form = WelcomeProfileForm(request.POST)
    if not form.is_valid():
        return _render(request, 1, {"form": form, "member": member}, status=400)
    try:
        interests = [t.name for t in profile.interests.all()]
        member_actions.check_edit_profile(member, **form.edit_arguments(interests))
    except ActionError as error:
        show_on_form(form, error)
        return _render(request, 1, {"form": form, "member": member}, status=error.status)
    return redirect("welcome_follow")


@login_required
def welcome_follow(request: HttpRequest) -> HttpResponse:
    member = signed_in_member(request)
    if request.method != "POST":
        following = SpaceFollow.objects.filter(member=member).values_list("space__slug", flat=True)
        form = FollowForm(member=member, initial={"spaces": list(following)})
        return _render(request, 2, {"form": form})
    form = FollowForm(request.POST, member=member)
    if not form.is_valid():
        return _render(request, 2, {"form": form}, status=400)
    data = form.cleaned_data
    spaces = list(readable_spaces(member).filter(slug__in=data["spaces"]))
    topics = [*data["topics"], *member_actions.parse_tags(data["other_topics"])]
    try:
        check_choose_follows(member, spaces=spaces, interests=topics)
    except ActionError as error:
        show_on_form(form, error)
        return _render(request, 2, {"form": form}, status=error.status)
    return redirect("welcome_people")


@login_required
def welcome_people(request: HttpRequest) -> HttpResponse:
    member = signed_in_member(request)
    suggestions = suggested_people(member)
    if request.method != "POST":
        form = PeopleForm(suggestions=suggestions)
        return _render(request, 3, {"form": form, "suggestions": suggestions})
    form = PeopleForm(request.POST, suggestions=suggestions)
    if not form.is_valid():
        return _render(request, 3, {"form": form, "suggestions": suggestions}, status=400)
    chosen = [m for m in suggestions if m.username in form.cleaned_data["people"]]
    try:
        followed = check_follow_people(member, chosen)
    except ActionError as error:
        form.add_error(None, error.message)
        return _render(request, 3, {"form": form, "suggestions": suggestions}, status=error.status)
    if followed:
        messages.success(
            request,
            ngettext("You now follow %(n)s person.", "You now follow %(n)s people.", followed)
            % {"n": followed},
        )
    messages.success(request, gettext("You are all set. Welcome!"))
    return redirect("home")
