"""The flag form, the moderators' queues and log, and the moderation buttons."""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_POST

from cluetrain.core.errors import ActionError, show_on_form
from cluetrain.core.requests import signed_in_member
from cluetrain.members.models import Member
from cluetrain.moderation.access import access_flag, access_screening, moderator_required
from cluetrain.moderation.actions import (
    check_decide_held,
    check_flag_post,
    check_moderate_post,
    check_moderate_thread,
    check_resolve_flag,
    check_retrain,
    false_hold_rate,
)
from cluetrain.moderation.forms import FlagForm, ModerateForm
from cluetrain.moderation.models import Flag, ModerationAction, Screening, SpamModel
from cluetrain.moderation.screening import current_scorer
from cluetrain.spaces.access import readable_spaces
from cluetrain.threads.access import access_post, access_thread
from cluetrain.threads.views import post_url, refused

LOG_PER_PAGE = 50
QUEUE_PER_PAGE = 30


def _either_way(
    request: HttpRequest,
    choices: tuple[str, str],
    message: str,
    act: Callable[[bool, str], object],
    then: str,
) -> HttpResponse:
    """A two-way moderation button: `act(chose the first, reason)`, then go to `then`."""
    form = ModerateForm(request.POST)
    if not form.is_valid() or form.cleaned_data["action"] not in choices:
        return refused(request, ActionError(gettext(message), field="action"))
    try:
        act(form.cleaned_data["action"] == choices[0], form.cleaned_data["reason"])
    except ActionError as error:
        return refused(request, error)
    return HttpResponseRedirect(then)


@login_required
def flag_post(request: HttpRequest, post_id: int) -> HttpResponse:
    post = access_post(request.user, post_id)
    assert isinstance(request.user, Member)
    form = FlagForm(request.POST or None)
    context = {"post": post, "thread": post.thread, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            check_flag_post(
                request.user,
                post,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ActionError as error:
            show_on_form(form, error)
            return render(request, "moderation/flag_post.html", context, status=error.status)
        return render(request, "moderation/flag_done.html", context)
    status = 400 if request.method == "POST" else 200
    return render(request, "moderation/flag_post.html", context, status=status)


@moderator_required
def mod_queue(request: HttpRequest) -> HttpResponse:
    flags = (
        Flag.objects.filter(status=Flag.Status.OPEN)
        .select_related("post__author", "post__thread__space", "reporter")
        .order_by("created_at", "pk")
    )
    page = Paginator(flags, QUEUE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "moderation/queue.html", {"page": page})


@moderator_required
def mod_log(request: HttpRequest) -> HttpResponse:
    entries = ModerationAction.objects.select_related(
        "actor", "thread", "post", "target_member"
    ).order_by("-created_at", "-pk")
    page = Paginator(entries, LOG_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "moderation/log.html", {"page": page})


@require_POST
@moderator_required
def flag_resolve(request: HttpRequest, flag_id: int) -> HttpResponse:
    member = signed_in_member(request)
    flag = access_flag(flag_id)
    return _either_way(
        request,
        ("uphold", "dismiss"),
        gettext_noop("Choose to uphold or dismiss the flag."),
        lambda uphold, reason: check_resolve_flag(member, flag, uphold=uphold, reason=reason),
        reverse("mod_queue"),
    )


@require_POST
@moderator_required
def mod_post(request: HttpRequest, post_id: int) -> HttpResponse:
    member = signed_in_member(request)
    post = access_post(member, post_id)
    return _either_way(
        request,
        ("hide", "unhide"),
        gettext_noop("Choose to hide or unhide the post."),
        lambda hide, reason: check_moderate_post(member, post, hide=hide, reason=reason),
        post_url(post),
    )


@require_POST
@moderator_required
def mod_thread(request: HttpRequest, thread_id: int) -> HttpResponse:
    member = signed_in_member(request)
    thread = access_thread(member, thread_id)
    form = ModerateForm(request.POST)
    if not form.is_valid():
        return refused(request, ActionError(gettext("Choose a moderation action."), field="action"))
    data = form.cleaned_data
    to_space = None
    if data["action"] == "move":
        to_space = readable_spaces(member).filter(slug=data["space"]).first()
    try:
        check_moderate_thread(
            member, thread, action=data["action"], reason=data["reason"], to_space=to_space
        )
    except ActionError as error:
        return refused(request, error)
    return redirect("thread", thread_id=thread.pk)


@moderator_required
def held_queue(request: HttpRequest) -> HttpResponse:
    """Contributions the spam filter held, oldest first, with its score and reasons."""
    member = signed_in_member(request)
    held = (
        Screening.objects.filter(status=Screening.Status.HELD)
        .select_related("author", "post__thread__space")
        .order_by("created_at", "pk")
    )
    page = Paginator(held, QUEUE_PER_PAGE).get_page(request.GET.get("page"))
    rate, approved, decided = false_hold_rate()
    context = {
        "page": page,
        "false_hold_rate": rate,
        "approved": approved,
        "decided": decided,
        "scorer": current_scorer(),
        "model": SpamModel.objects.order_by("-created_at", "-pk").first(),
        "may_retrain": member.role == Member.Role.ADMIN,
    }
    return render(request, "moderation/held.html", context)


@require_POST
@moderator_required
def held_decide(request: HttpRequest, screening_id: int) -> HttpResponse:
    member = signed_in_member(request)
    screening = access_screening(screening_id)
    return _either_way(
        request,
        ("approve", "reject"),
        gettext_noop("Choose to approve or reject it."),
        lambda approve, reason: check_decide_held(
            member, screening, approve=approve, reason=reason
        ),
        reverse("mod_held"),
    )


@require_POST
@moderator_required
def held_retrain(request: HttpRequest) -> HttpResponse:
    try:
        check_retrain(signed_in_member(request))
    except ActionError as error:
        return refused(request, error)
    return redirect("mod_held")
