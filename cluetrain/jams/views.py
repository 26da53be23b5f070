"""Jam pages: the list, a new jam (staff), the jam (live, then its report), a theme and its
moderation, hosts' highlights. Views parse, call one action, render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_http_methods, require_POST

from cluetrain.core.access import not_found
from cluetrain.core.errors import ActionError, show_on_form
from cluetrain.jams.access import access_jam, access_theme, readable_jams
from cluetrain.jams.actions import (
    can_moderate_themes,
    check_create_jam,
    check_highlight,
    check_merge_themes,
    check_post_idea,
    check_rename_theme,
    check_split_theme,
    check_usernames,
    jam_state,
    refusal,
)
from cluetrain.jams.forms import (
    HighlightForm,
    JamForm,
    JamIdeaForm,
    MergeForm,
    RenameForm,
    SplitForm,
)
from cluetrain.jams.models import Jam, Theme
from cluetrain.jams.report import (
    LIVE_CACHE_SECONDS,
    jam_posts,
    latest_posts,
    live_key,
    report,
    slow_parts,
)
from cluetrain.members.models import Member

THEME_POSTS_SHOWN = 100


def jam_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    jams = list(readable_jams(request.user))
    rows = [(jam, jam_state(jam, now)) for jam in jams]
    may_create = isinstance(request.user, Member) and request.user.is_company_staff
    return render(request, "jams/list.html", {"rows": rows, "may_create": may_create})


@login_required
@require_http_methods(["GET", "POST"])
def jam_new(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, Member)
    if not request.user.is_company_staff:
        raise not_found(gettext("No such page."))
    form = JamForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                jam = check_create_jam(
                    request.user,
                    title=data["title"],
                    question=data["question"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    audience=data["audience"],
                    hosts=check_usernames(data["hosts"], "hosts"),
                    moderators=check_usernames(data["moderators"], "moderators"),
                    invited=check_usernames(data["invited"], "invited"),
                )
            except ActionError as error:
                status = show_on_form(form, error)
            else:
                messages.success(request, gettext("The jam is ready."))
                return redirect("jam", slug=jam.slug)
        else:
            status = 400
    return render(request, "jams/new.html", {"form": form}, status=status)


def _page_context(request: HttpRequest, jam: Jam) -> dict[str, Any]:
    state = jam_state(jam)
    member = request.user if isinstance(request.user, Member) else None
    context: dict[str, Any] = {"jam": jam, "state": state, "latest": latest_posts(jam)}
    context |= _slow_parts(jam, state)
    context["refusal"] = refusal(member, jam) if member else None
    context["is_host"] = member is not None and any(h.pk == member.pk for h in context["hosts"])
    if state == "closed":
        context["report"] = report(jam)
    return context


def _slow_parts(jam: Jam, state: str) -> dict[str, Any]:
    """Highlights, themes and most active threads, rendered (the same for every reader), and
    the hosts: kept `LIVE_CACHE_SECONDS` per process and language."""
    key = f"{live_key(jam)}:{state}:{get_language()}"
    found: dict[str, Any] | None = cache.get(key)
    if found is None:
        parts = slow_parts(jam)
        html = render_to_string("jams/_live_parts.html", parts | {"jam": jam, "state": state})
        found = {"hosts": parts["hosts"], "slow_html": html}
        cache.set(key, found, LIVE_CACHE_SECONDS)
    return found


@require_http_methods(["GET", "POST"])
def jam_page(request: HttpRequest, slug: str) -> HttpResponse:
    jam = access_jam(request.user, slug)
    form = JamIdeaForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not isinstance(request.user, Member):
            return redirect_to_login(request.get_full_path())
        if form.is_valid():
            try:
                idea = check_post_idea(
                    request.user,
                    jam,
                    title=form.cleaned_data["title"],
                    body_md=form.cleaned_data["body"],
                )
            except ActionError as error:
                status = show_on_form(form, error)
            else:
                messages.success(
                    request, gettext("Your idea is in the jam. Its theme appears within a minute.")
                )
                return redirect("thread", thread_id=idea.thread_id)
        else:
            status = 400
    context = _page_context(request, jam) | {"form": form}
    return render(request, "jams/jam.html", context, status=status)


@require_http_methods(["GET", "POST"])
def theme_page(request: HttpRequest, slug: str, theme_id: int) -> HttpResponse:
    jam = access_jam(request.user, slug)
    theme = access_theme(request.user, jam, theme_id)
    posts = list(
        jam_posts(jam)
        .filter(theme_assignment__theme=theme)
        .select_related("author", "thread")
        .order_by("-theme_assignment__similarity")[:THEME_POSTS_SHOWN]
    )
    member = request.user if isinstance(request.user, Member) else None
    moderates = member is not None and can_moderate_themes(member, jam)
    error: ActionError | None = None
    if request.method == "POST":
        if member is None:
            return redirect_to_login(request.get_full_path())
        try:
            done = _moderate(request, member, theme, [p.pk for p in posts])
        except ActionError as refused:
            error = refused
        else:
            messages.success(request, gettext("The themes are updated."))
            return redirect("jam_theme", slug=jam.slug, theme_id=done.pk)
    others = Theme.objects.filter(jam=jam, merged_into__isnull=True).exclude(pk=theme.pk)
    return render(
        request,
        "jams/theme.html",
        {
            "jam": jam,
            "theme": theme,
            "posts": posts,
            "moderates": moderates,
            "others": list(others),
            "error": error,
        },
        status=error.status if error else 200,
    )


def _moderate(request: HttpRequest, member: Member, theme: Theme, shown: list[int]) -> Theme:
    action = request.POST.get("action", "")
    if action == "rename":
        rename = RenameForm(request.POST)
        if not rename.is_valid():
            raise ActionError(
                gettext("Give the theme a name of at most 120 characters."), field="label"
            )
        return check_rename_theme(member, theme, rename.cleaned_data["label"])
    if action == "merge":
        merge = MergeForm(request.POST)
        into = (
            Theme.objects.filter(jam=theme.jam, pk=merge.data.get("into") or 0).first()
            if merge.is_valid()
            else None
        )
        if into is None:
            raise ActionError(gettext("Choose a theme of this jam to merge into."), field="into")
        return check_merge_themes(member, theme, into)
    if action == "split":
        split = SplitForm(request.POST, post_ids=shown)
        if not split.is_valid():
            raise ActionError(
                gettext("Name the new theme and choose posts listed here."), field="posts"
            )
        return check_split_theme(
            member, theme, split.cleaned_data["posts"], split.cleaned_data["label"]
        )
    raise ActionError(gettext("Choose rename, merge or split."), field="action")


@login_required
@require_POST
def highlight(request: HttpRequest, slug: str) -> HttpResponse:
    assert isinstance(request.user, Member)
    jam = access_jam(request.user, slug)
    form = HighlightForm(request.POST)
    post = jam_posts(jam).filter(pk=form.data.get("post") or 0).first() if form.is_valid() else None
    try:
        if post is None:
            raise ActionError(gettext("Highlight a visible post of this jam."), field="post")
        check_highlight(request.user, jam, post, form.cleaned_data.get("note", ""))
    except ActionError as error:
        context = _page_context(request, jam) | {"form": JamIdeaForm(), "error": error}
        return render(request, "jams/jam.html", context, status=error.status)
    messages.success(request, gettext("Highlighted for everyone on the jam page."))
    return redirect("jam", slug=jam.slug)
