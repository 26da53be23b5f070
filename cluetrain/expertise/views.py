"""Expert suggestions: people who could answer a question, and a search for experts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cluetrain.core.errors import ActionError
from cluetrain.core.requests import signed_in_member
from cluetrain.expertise import finder
from cluetrain.expertise.actions import check_invite_to_answer
from cluetrain.members.models import Member
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
    messages.success(request, f"Invited {invitee.name} to answer.")
    return redirect("thread_experts", thread_id=thread.pk)


@login_required
def find_experts(request: HttpRequest) -> HttpResponse:
    """Describe a problem; see who solved something like it, with the evidence."""
    viewer = signed_in_member(request)
    text = request.GET.get("q", "").strip()[:2000]
    tags = tuple(t for t in request.GET.get("tags", "").replace(",", " ").split() if t)[:10]
    suggestions: list[finder.Suggestion] = []
    if text or tags:
        suggestions = finder.suggest(Query(text=text, tags=tags), exclude={viewer.pk}, k=10)
        _visible_evidence(viewer, suggestions)
    return render(
        request,
        "expertise/find.html",
        {
            "q": text,
            "tags": " ".join(tags),
            "suggestions": suggestions,
            "searched": bool(text or tags),
        },
    )
