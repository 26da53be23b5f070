"""Expert suggestions: people who could answer a question, the people directory by
demonstrated skill, the team builder, and being away."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from cluetrain.core.errors import ActionError
from cluetrain.core.requests import signed_in_member
from cluetrain.expertise import finder
from cluetrain.expertise.actions import check_clear_away, check_invite_to_answer, check_set_away
from cluetrain.expertise.models import Away
from cluetrain.expertise.teams import Prospect, builder_for, reasons_in_words
from cluetrain.members.models import Member
from cluetrain.members.picker import pick_typed_member, typed_member
from cluetrain.threads.access import access_thread, can_see_thread
from cluetrain_analytics.expertise import Query

SHOWN = 5


def _visible_evidence(viewer: Member, suggestions: list[finder.Suggestion]) -> None:
    """Evidence the viewer may not read (a staff-only thread) is not shown to them."""
    for suggestion in suggestions:
        suggestion.evidence = [
            post
            for post in suggestion.evidence
            if not post.is_hidden and can_see_thread(viewer, post.thread)
        ]


@login_required
def thread_experts(request: HttpRequest, thread_id: int) -> HttpResponse:
    viewer = signed_in_member(request)
    thread = access_thread(viewer, thread_id)
    exclude = finder.answered_by(thread) | {viewer.pk}
    if thread.author_id is not None:
        exclude.add(thread.author_id)
    suggestions = finder.suggest(
        finder.query_for_thread(thread), readers_of=thread, exclude=exclude, k=SHOWN
    )
    _visible_evidence(viewer, suggestions)
    context = {
        "thread": thread,
        "suggestions": suggestions,
        "can_invite": thread.kind == thread.Kind.QUESTION and thread.accepted_answer_id is None,
    }
    partial = request.headers.get("HX-Request") == "true"
    template = "expertise/_suggestions.html" if partial else "expertise/thread_experts.html"
    return render(request, template, context)


@login_required
@require_POST
def invite(request: HttpRequest, thread_id: int) -> HttpResponse:
    viewer = signed_in_member(request)
    thread = access_thread(viewer, thread_id)
    invitee = get_object_or_404(Member, username=request.POST.get("member", ""))
    try:
        check_invite_to_answer(viewer, thread, invitee)
    except ActionError as error:
        return render(
            request,
            "expertise/refused.html",
            {"error": error, "thread": thread},
            status=error.status,
        )
    messages.success(request, gettext("Invited %(name)s to answer.") % {"name": invitee.name})
    return redirect("thread_experts", thread_id=thread.pk)


#: Members listed by the directory at most.
DIRECTORY_SIZE = 30


@login_required
def find_experts(request: HttpRequest) -> HttpResponse:
    """The people directory by demonstrated skill: describe a problem or name topics; filter
    by role and place. Without words or topics, the filters list people by name."""
    viewer = signed_in_member(request)
    text = request.GET.get("q", "").strip()[:2000]
    tags = tuple(t for t in request.GET.get("tags", "").replace(",", " ").split() if t)[:10]
    role, place = finder.directory_filters(
        request.GET.get("role", ""), request.GET.get("place", "")
    )
    suggestions: list[finder.Suggestion] = []
    browse: list[Member] = []
    if text or tags:
        found = finder.suggest(
            Query(text=text, tags=tags), exclude={viewer.pk}, k=DIRECTORY_SIZE * 3
        )
        suggestions = finder.filter_people(found, role, place)[:DIRECTORY_SIZE]
        _visible_evidence(viewer, suggestions)
    elif role or place:
        people = Member.objects.filter(is_active=True).select_related("profile")
        if role:
            people = people.filter(role=role)
        if place:
            people = people.filter(profile__location__icontains=place)
        browse = list(people.order_by("username")[:DIRECTORY_SIZE])
    today = timezone.localdate()
    away = dict(
        Away.objects.filter(
            member__in=[s.member.pk for s in suggestions] + [m.pk for m in browse],
            until__gte=today,
        ).values_list("member_id", "until")
    )
    return render(
        request,
        "expertise/find.html",
        {
            "q": text,
            "tags": " ".join(tags),
            "role": role,
            "place": place,
            "roles": Member.Role.choices,
            "suggestions": suggestions,
            "browse": browse,
            "away": away,
            "searched": bool(text or tags),
            "browsing": not (text or tags) and bool(role or place),
        },
    )


@login_required
def away(request: HttpRequest) -> HttpResponse:
    """Mark oneself away until a date, with a note."""
    viewer = signed_in_member(request)
    current = Away.objects.filter(member=viewer).first()
    context: dict[str, object] = {"away": current}
    if request.method == "POST":
        raw, note = request.POST.get("until", ""), request.POST.get("note", "")
        context |= {"until": raw[:10], "note": note[:200]}
        try:
            try:
                until = date.fromisoformat(raw)
            except ValueError:
                raise ActionError(gettext("Give a date as YYYY-MM-DD."), field="until") from None
            check_set_away(viewer, until, note)
        except ActionError as error:
            context["error"] = error
            return render(request, "expertise/away.html", context, status=error.status)
        messages.success(request, gettext("You are marked away."))
        return redirect("profile", username=viewer.username)
    return render(request, "expertise/away.html", context)


@login_required
@require_POST
def away_clear(request: HttpRequest) -> HttpResponse:
    viewer = signed_in_member(request)
    try:
        check_clear_away(viewer)
    except ActionError as error:
        return render(request, "expertise/away.html", {"error": error}, status=error.status)
    messages.success(request, gettext("Welcome back."))
    return redirect("profile", username=viewer.username)


@login_required
def team_builder(request: HttpRequest) -> HttpResponse:
    """Staff: the all-star team for a prospect, why each member is there, and swaps."""
    viewer = signed_in_member(request)
    if not viewer.is_company_staff:
        raise PermissionDenied(gettext("The team builder is for staff."))
    text = request.GET.get("text", "").strip()[:2000]
    skills = tuple(dict.fromkeys(request.GET.get("skills", "").replace(",", " ").split()))[:8]
    place = request.GET.get("place", "").strip()[:200]
    customer_name = typed_member(request.GET, "customer")
    context: dict[str, object] = {
        "text": text,
        "skills": " ".join(skills),
        "place": place,
        "customer_name": customer_name,
    }
    if not skills:
        return render(request, "expertise/team.html", context)
    customer = None
    if customer_name:
        named = pick_typed_member(customer_name, viewer)
        context |= named.context("customer")
        if named.member is None:
            # No team until the customer is known.
            return named.form_again(request, "expertise/team.html", context)
        customer = named.member
    builder = builder_for(Prospect(text=text, skills=skills, place=place, customer=customer))
    team = builder.build(list(skills), method="sum_distance")
    out, swap_in = request.GET.get("out", ""), request.GET.get("in", "")
    people = Member.objects.in_bulk(
        [m.person for m in team.members]
        + [p for holders in builder.holders.values() for p in holders]
        + [int(p) for p in (out, swap_in) if p.isdigit()]
    )
    swap = None
    if out.isdigit() and swap_in.isdigit():
        try:
            swap = builder.swap(team, int(out), int(swap_in))
        except ValueError:  # not on the team, or already on it
            context["error"] = gettext(
                "Take out someone on the team and put in someone who is not on it."
            )
    on_team = set(team.people)
    wanted = len(skills)
    context |= {
        "team": team,
        "rows": [(m, reasons_in_words(m)) for m in team.members],
        "people": people,
        # Put in: only people not already on the team (one cannot replace oneself).
        "holders": {
            skill: [p for p in h if p not in on_team] for skill, h in builder.holders.items()
        },
        "swap": swap,
        # Coverage first: a cheaper team that covers fewer skills is not a better team (the
        # objective compares teams covering the same skills).
        "wanted": wanted,
        "covered_before": wanted - len(team.uncovered),
        "covered_after": wanted - len(swap.team.uncovered) if swap else None,
        "swap_out": people.get(int(out)) if out.isdigit() else None,
        "swap_in": people.get(int(swap_in)) if swap_in.isdigit() else None,
    }
    return render(request, "expertise/team.html", context)
