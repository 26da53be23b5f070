"""The ideas board and the idea verbs. Views parse, call one action, render."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from cluetrain.core.access import not_found
from cluetrain.core.errors import ActionError, show_on_form
from cluetrain.core.requests import HtmxHttpRequest
from cluetrain.ideas.access import access_idea, readable_ideas
from cluetrain.ideas.actions import (
    check_change_idea_status,
    check_create_idea,
    check_follow_idea,
    check_may_change_status,
    check_may_merge,
    check_merge_ideas,
    check_unvote_idea,
    check_vote_idea,
)
from cluetrain.ideas.duplicates import similar_ideas
from cluetrain.ideas.forms import IdeaForm, MergeForm, StatusForm
from cluetrain.ideas.models import Idea, IdeaVote
from cluetrain.ideas.ranking import rank
from cluetrain.ideas.roadmap import roadmap
from cluetrain.ideas.templatetags.ideas_tags import idea_panel_context
from cluetrain.members.models import Member
from cluetrain.organizations.models import Product
from cluetrain.spaces.access import readable_spaces
from cluetrain.spaces.models import Space

IDEAS_PER_PAGE = 20
SORTS = {
    "top": ("Top votes", ("-vote_count", "-thread__created_at", "-pk")),
    "newest": ("Newest", ("-thread__created_at", "-pk")),
}
DEFAULT_SORT = "top"


def _board_query(*, status: str, sort: str, product: Product | None) -> str:
    """The board's query string for these choices, leaving out the defaults."""
    params = {
        "status": status,
        "sort": "" if sort == DEFAULT_SORT else sort,
        "product": product.slug if product else "",
    }
    return urlencode({key: value for key, value in params.items() if value})


def ideas(request: HtmxHttpRequest) -> HttpResponse:
    product_slug = request.GET.get("product", "")
    product = Product.objects.filter(slug=product_slug).first() if product_slug else None
    visible = readable_ideas(request.user)
    if product is not None:
        visible = visible.filter(product=product)
    counts = dict(visible.order_by().values_list("status").annotate(n=Count("pk")))
    status = request.GET.get("status", "")
    if status not in Idea.Status.values:
        status = ""
    sort = request.GET.get("sort", DEFAULT_SORT)
    if sort not in SORTS:
        sort = DEFAULT_SORT
    listed = visible.filter(status=status) if status else visible
    listed = listed.select_related("thread__author", "thread__space", "product").order_by(
        *SORTS[sort][1]
    )
    page = Paginator(listed, IDEAS_PER_PAGE).get_page(request.GET.get("page"))
    ideas_on_page = list(page)
    voted_ids: set[int] = set()
    if isinstance(request.user, Member):
        voted_ids = set(
            IdeaVote.objects.filter(member=request.user, idea__in=ideas_on_page).values_list(
                "idea_id", flat=True
            )
        )
    tabs = [("", "All", sum(counts.values()))] + [
        (value, label, counts.get(value, 0)) for value, label in Idea.Status.choices
    ]
    return render(
        request,
        "ideas/board.html",
        {
            "page": page,
            "ideas": [(idea, idea.pk in voted_ids) for idea in ideas_on_page],
            "product": product,
            "status": status,
            "sort": sort,
            "tabs": tabs,
            "tab_links": [
                (value, label, count, _board_query(status=value, sort=sort, product=product))
                for value, label, count in tabs
            ],
            "sort_links": [
                (key, label, _board_query(status=status, sort=key, product=product))
                for key, (label, _) in SORTS.items()
            ],
            "query": _board_query(status=status, sort=sort, product=product),
            "all_products_query": _board_query(status=status, sort=sort, product=None),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def idea_new(request: HtmxHttpRequest) -> HttpResponse:
    assert isinstance(request.user, Member)
    spaces = readable_spaces(request.user).filter(kind=Space.Kind.IDEAS)
    initial: dict[str, object] = {}
    chosen = spaces.filter(slug=request.GET.get("space", "")).first()
    if chosen is not None:
        initial["space"] = chosen
    product = Product.objects.filter(slug=request.GET.get("product", "")).first()
    if product is not None:
        initial["product"] = product
    form = IdeaForm(request.POST or None, spaces=spaces, initial=initial)
    status = 200
    similar: list[tuple[Idea, float]] = []
    if request.method == "POST" and "check" in request.POST:
        # Without JavaScript: the "look for similar ideas" step shows them and posts nothing.
        similar = similar_ideas(
            request.user, f"{request.POST.get('title', '')}\n{request.POST.get('body', '')}"
        )
        form = IdeaForm(request.POST, spaces=spaces)
    elif request.method == "POST":
        if form.is_valid():
            try:
                idea = check_create_idea(
                    request.user,
                    form.cleaned_data["space"],
                    title=form.cleaned_data["title"],
                    body_md=form.cleaned_data["body"],
                    product=form.cleaned_data["product"],
                )
            except ActionError as error:
                status = show_on_form(form, error)
            else:
                messages.success(
                    request, gettext("Your idea is posted. Tell others so they can vote!")
                )
                return redirect("thread", thread_id=idea.thread_id)
        else:
            status = 400
    return render(
        request,
        "ideas/idea_form.html",
        {
            "form": form,
            "has_spaces": spaces.exists(),
            "similar": similar,
            "checked": bool(similar) or "check" in request.POST,
        },
        status=status,
    )


@login_required
@require_POST
def idea_vote(request: HtmxHttpRequest, idea_id: int) -> HttpResponse:
    assert isinstance(request.user, Member)
    idea = access_idea(request.user, idea_id)
    try:
        if request.POST.get("action") == "unvote":
            check_unvote_idea(request.user, idea)
        else:
            check_vote_idea(request.user, idea)
    except ActionError as error:
        if request.htmx:
            # htmx does not swap error responses: reload the page, which shows the message
            # and the true state of the vote.
            messages.error(request, error.message)
            response = HttpResponse(error.message, status=error.status)
            response["HX-Refresh"] = "true"
            return response
        return _refused(request, idea, error)
    if request.htmx:
        idea.refresh_from_db(fields=["vote_count"])
        voted = IdeaVote.objects.filter(idea=idea, member=request.user).exists()
        return render(request, "ideas/_votebox.html", {"idea": idea, "voted": voted})
    return redirect(_next_url(request, idea))


@login_required
@require_http_methods(["GET", "POST"])
def idea_status(request: HtmxHttpRequest, idea_id: int) -> HttpResponse:
    assert isinstance(request.user, Member)
    idea = access_idea(request.user, idea_id)
    refused = _staff_only(request, request.user, idea)
    if refused is not None:
        return refused
    form = StatusForm(request.POST or None, initial={"status": idea.status})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            change = check_change_idea_status(
                request.user,
                idea,
                status=form.cleaned_data["status"],
                explanation=form.cleaned_data["explanation"],
            )
        except ActionError as error:
            status = show_on_form(form, error)
        else:
            messages.success(
                request,
                gettext("Status changed to %(status)s; voters will be told.")
                % {"status": change.get_to_status_display()},
            )
            return redirect("thread", thread_id=idea.thread_id)
    context = idea_panel_context(idea, request.user)
    context["status_form"] = form
    return render(request, "ideas/idea_status.html", context, status=status)


def _staff_only(
    request: HtmxHttpRequest,
    member: Member,
    idea: Idea,
    check: Callable[[Member], None] = check_may_change_status,
) -> HttpResponse | None:
    """The refusal page for a member who is not staff (`check` says why); None for staff."""
    try:
        check(member)
    except ActionError as error:
        return _refused(request, idea, error)
    return None


def _refused(request: HtmxHttpRequest, idea: Idea, error: ActionError) -> HttpResponse:
    return render(
        request, "ideas/refused.html", {"idea": idea, "error": error}, status=error.status
    )


def _next_url(request: HtmxHttpRequest, idea: Idea) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("thread", kwargs={"thread_id": idea.thread_id})


def idea_similar(request: HtmxHttpRequest) -> HttpResponse:
    """Ideas like the one being typed (the form's htmx target, or a page of its own)."""
    text = f"{request.GET.get('title', '')}\n{request.GET.get('body', '')}"[:5000]
    exclude = request.GET.get("exclude", "")
    similar = similar_ideas(request.user, text, exclude=int(exclude) if exclude.isdigit() else None)
    template = "ideas/_similar.html" if request.htmx else "ideas/similar.html"
    return render(request, template, {"similar": similar, "checked": bool(text.strip())})


@login_required
@require_POST
def idea_follow(request: HtmxHttpRequest, idea_id: int) -> HttpResponse:
    assert isinstance(request.user, Member)
    idea = access_idea(request.user, idea_id)
    try:
        check_follow_idea(request.user, idea, follow=request.POST.get("action") != "unfollow")
    except ActionError as error:
        return _refused(request, idea, error)
    return redirect(_next_url(request, idea))


@login_required
@require_http_methods(["GET", "POST"])
def idea_merge(request: HtmxHttpRequest, idea_id: int) -> HttpResponse:
    """Staff merge this idea (the duplicate) into another that survives."""
    assert isinstance(request.user, Member)
    idea = access_idea(request.user, idea_id)
    refused = _staff_only(request, request.user, idea, check_may_merge)
    if refused is not None:
        return refused
    form = MergeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                survivor = _merge_target(request.user, form.cleaned_data["into"])
                merged = check_merge_ideas(request.user, idea, survivor)
            except ActionError as error:
                status = show_on_form(form, error)
            else:
                messages.success(
                    request,
                    gettext("Merged: %(votes)s and %(followers)s moved; both authors are credited.")
                    % {
                        "votes": ngettext("%(count)s vote", "%(count)s votes", merged.votes_moved)
                        % {"count": merged.votes_moved},
                        "followers": ngettext(
                            "%(count)s follower", "%(count)s followers", merged.followers_moved
                        )
                        % {"count": merged.followers_moved},
                    },
                )
                return redirect("thread", thread_id=survivor.thread_id)
        else:
            status = 400
    similar = similar_ideas(request.user, idea.thread.title, exclude=idea.pk)
    return render(
        request,
        "ideas/idea_merge.html",
        {"idea": idea, "form": form, "similar": similar},
        status=status,
    )


def _merge_target(member: Member, number: int) -> Idea:
    """The idea to merge into; a number that names none the member can see is the form's error."""
    try:
        return access_idea(member, number)
    except Http404:
        raise ActionError(
            gettext("There is no idea number %(number)s: check the number.") % {"number": number},
            field="into",
        ) from None


def ideas_ranking(request: HtmxHttpRequest) -> HttpResponse:
    """The fair ranking of open ideas, each row saying how its score was made."""
    visible = readable_ideas(request.user).exclude(
        status__in=[Idea.Status.DONE, Idea.Status.DECLINED]
    )
    space = request.GET.get("space", "")
    if space:
        visible = visible.filter(thread__space__slug=space)
    rows = rank(visible)
    page = Paginator(rows, IDEAS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "ideas/ranking.html", {"page": page, "space": space})


def idea_why(request: HtmxHttpRequest, idea_id: int) -> HttpResponse:
    """Why this idea ranks where it does: its support, groups and discounted votes."""
    idea = access_idea(request.user, idea_id)
    if idea.merged_into_id is not None:
        return redirect("idea_why", idea_id=idea.merged_into_id)
    visible = readable_ideas(request.user).filter(thread__space=idea.thread.space_id)
    if idea.voting_open:
        visible = visible.exclude(status__in=[Idea.Status.DONE, Idea.Status.DECLINED])
    rows = rank(visible)
    mine = next((row for row in rows if row.idea.pk == idea.pk), None)
    if mine is None:
        raise not_found(gettext("No such idea."))
    position = rows.index(mine)
    return render(
        request,
        "ideas/why.html",
        {
            "row": mine,
            "above": rows[position - 1] if position else None,
            "below": rows[position + 1] if position + 1 < len(rows) else None,
            "total": len(rows),
        },
    )


def ideas_roadmap(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "ideas/roadmap.html", {"roadmap": roadmap(readable_ideas(request.user))})
