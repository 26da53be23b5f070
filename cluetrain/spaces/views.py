"""The spaces list and one space's threads."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cluetrain.core.errors import ActionError
from cluetrain.core.requests import HtmxHttpRequest
from cluetrain.members.models import Member
from cluetrain.spaces.access import access_space, readable_spaces
from cluetrain.spaces.actions import check_follow_space
from cluetrain.spaces.models import Space, SpaceFollow

THREADS_PER_PAGE = 25


def space_list(request: HttpRequest) -> HttpResponse:
    visible = Q(threads__is_hidden=False)
    spaces = readable_spaces(request.user).annotate(
        thread_count=Count("threads", filter=visible),
        last_activity_at=Max("threads__last_activity_at", filter=visible),
    )
    by_kind: dict[str, list[Space]] = {kind: [] for kind in Space.Kind.values}
    for space in spaces:
        by_kind[space.kind].append(space)
    groups = [
        {"kind": kind, "label": Space.Kind(kind).label, "spaces": members}
        for kind, members in by_kind.items()
        if members
    ]
    return render(request, "spaces/space_list.html", {"groups": groups})


def space_view(request: HttpRequest, slug: str) -> HttpResponse:
    space = access_space(request.user, slug)
    viewer = request.user
    threads = space.threads.select_related("author").order_by(
        "-is_pinned", "-last_activity_at", "-pk"
    )
    if not (isinstance(viewer, Member) and viewer.can_moderate):
        threads = threads.filter(is_hidden=False)
    page = Paginator(threads, THREADS_PER_PAGE).get_page(request.GET.get("page"))
    following = (
        isinstance(viewer, Member)
        and SpaceFollow.objects.filter(member=viewer, space=space).exists()
    )
    return render(
        request,
        "spaces/space.html",
        {
            "space": space,
            "page": page,
            "following": following,
            "follower_count": space.followers.count(),
        },
    )


@require_POST
@login_required
def space_follow(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    space = access_space(request.user, slug)
    assert isinstance(request.user, Member)
    follow = request.POST.get("action", "follow") != "unfollow"
    try:
        following = check_follow_space(request.user, space, follow=follow)
    except ActionError as error:
        return render(request, "threads/refused.html", {"error": error}, status=error.status)
    if request.htmx:
        return render(
            request,
            "spaces/_follow_button.html",
            {"space": space, "following": following, "follower_count": space.followers.count()},
        )
    return redirect("space", slug=space.slug)
