"""Thread pages: read, start, reply, edit, delete, accept, react. Thin: parse, act, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from cluetrain.core.errors import ActionError, show_on_form
from cluetrain.core.markdown import render_markdown
from cluetrain.core.requests import HtmxHttpRequest, signed_in_member
from cluetrain.members.models import Member
from cluetrain.spaces.access import access_space, readable_spaces
from cluetrain.spaces.models import Space
from cluetrain.threads.access import access_post, access_thread
from cluetrain.threads.actions import (
    can_move_to,
    check_accept_answer,
    check_delete_post,
    check_edit_post,
    check_may_change_post,
    check_react,
    check_reply,
    check_start_thread,
    may_accept_answer,
)
from cluetrain.threads.feed import NEW, build_feed, feed_items
from cluetrain.threads.follow import check_follow_thread, is_following
from cluetrain.threads.forms import EditForm, ReactForm, ReplyForm, ThreadForm
from cluetrain.threads.models import Post, Reaction, Thread
from cluetrain.threads.page import Audience, thread_page
from cluetrain.threads.tree import PostNode


def refused(request: HttpRequest, error: ActionError) -> HttpResponse:
    """A refused button press (no form to show it on): say why, with the action's status."""
    return render(request, "threads/refused.html", {"error": error}, status=error.status)


def post_url(post: Post) -> str:
    return reverse("thread", args=[post.thread_id]) + f"#post-{post.pk}"


def thread_view(request: HttpRequest, thread_id: int) -> HttpResponse:
    thread = access_thread(request.user, thread_id)
    return render(request, "threads/thread.html", _thread_context(request, thread, ReplyForm()))


def _thread_context(
    request: HttpRequest, thread: Thread, reply_form: ReplyForm
) -> dict[str, object]:
    viewer = request.user
    member = viewer if isinstance(viewer, Member) else None
    is_moderator = member is not None and member.can_moderate
    audience = Audience(
        member_id=member.pk if member else None,
        is_moderator=is_moderator,
        may_accept=member is not None and may_accept_answer(member, thread),
        may_reply=not thread.is_locked or is_moderator,
    )
    tags = list(thread.tags.all())
    move_spaces = (
        [s for s in readable_spaces(viewer) if can_move_to(thread, s)] if is_moderator else []
    )
    page = thread_page(
        thread,
        member,
        audience,
        tags=[tag.name for tag in tags],
        move_spaces=move_spaces,
        path=request.path,
    )
    return {
        "thread": thread,
        "space": thread.space,
        "tags": tags,
        "page": page,
        "reply_form": reply_form,
        "signed_in": audience.signed_in,
        "is_moderator": is_moderator,
        "may_accept": audience.may_accept,
        "may_reply": audience.may_reply,
        "move_spaces": move_spaces,
        "following": is_following(member, thread),
    }


@login_required
@require_POST
def thread_follow(request: HttpRequest, thread_id: int) -> HttpResponse:
    """Follow (action=follow) or unfollow (action=unfollow) a thread the member may read."""
    member = signed_in_member(request)
    thread = access_thread(member, thread_id)
    follow = request.POST.get("action") != "unfollow"
    check_follow_thread(member, thread, follow=follow)
    if follow:
        messages.success(request, gettext("You follow this thread: its replies will reach you."))
    else:
        messages.success(request, gettext("You no longer follow this thread."))
    return redirect("thread", thread_id=thread.pk)


@login_required
def thread_new(request: HttpRequest, slug: str) -> HttpResponse:
    space = access_space(request.user, slug)
    if space.kind == Space.Kind.IDEAS:
        return redirect("idea_new")
    if space.kind == Space.Kind.REVIEWS:
        if space.product is not None:
            return redirect("review_new", slug=space.product.slug)
        return redirect("products")
    form = ThreadForm(request.POST or None)
    context: dict[str, object] = {"space": space, "form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "preview" in request.POST:
            context["preview_html"] = render_markdown(data["body"])
            return render(request, "threads/thread_new.html", context)
        try:
            thread = check_start_thread(
                signed_in_member(request),
                space,
                title=data["title"],
                body_md=data["body"],
                tag_text=data["tags"],
            )
        except ActionError as error:
            show_on_form(form, error)
            return render(request, "threads/thread_new.html", context, status=error.status)
        return redirect("thread", thread_id=thread.pk)
    return render(request, "threads/thread_new.html", context)


def _parent_from(thread: Thread, request: HttpRequest, parent_id: int | None) -> Post | None:
    if parent_id is None:
        return None
    parent = access_post(request.user, parent_id)
    if parent.thread_id != thread.pk:
        raise ActionError(gettext("You can only reply to a post in this thread."), field="parent")
    return parent


@login_required
def post_reply(request: HtmxHttpRequest, thread_id: int) -> HttpResponse:
    """GET: the reply form (under a given post with ?parent=); POST: the reply."""
    thread = access_thread(request.user, thread_id)
    form = ReplyForm(request.POST if request.method == "POST" else request.GET)
    form.is_valid()
    data = form.cleaned_data
    try:
        parent = _parent_from(thread, request, data.get("parent"))
    except ActionError as error:
        return refused(request, error)
    context: dict[str, object] = {"thread": thread, "parent": parent, "form": form}
    if request.method != "POST":
        if thread.is_locked and not signed_in_member(request).can_moderate:
            locked = ActionError(gettext("This thread is locked: no new replies."), status=403)
            return refused(request, locked)
        form = ReplyForm(initial={"parent": parent.pk if parent else None})
        context["form"] = form
        template = "threads/_reply_form.html" if request.htmx else "threads/reply.html"
        return render(request, template, context)
    if "preview" in request.POST:
        context["preview_html"] = render_markdown(data.get("body") or "")
        return render(request, "threads/reply.html", context)
    try:
        post = check_reply(
            signed_in_member(request), thread, body_md=data.get("body") or "", parent=parent
        )
    except ActionError as error:
        show_on_form(form, error)
        return render(request, "threads/reply.html", context, status=error.status)
    return HttpResponseRedirect(post_url(post))


def post_link(request: HttpRequest, post_id: int) -> HttpResponse:
    return HttpResponseRedirect(post_url(access_post(request.user, post_id)))


@login_required
def post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    post = access_post(request.user, post_id)
    member = signed_in_member(request)
    try:
        check_may_change_post(member, post, "edit")
    except ActionError as error:
        return refused(request, error)
    form = EditForm(
        request.POST or None, initial={"body": post.body_md, "title": post.thread.title}
    )
    is_opening = post.parent_id is None
    context: dict[str, object] = {
        "post": post,
        "thread": post.thread,
        "form": form,
        "is_opening": is_opening,
    }
    if request.method == "POST" and form.is_valid():
        body = form.cleaned_data["body"]
        if "preview" in request.POST:
            context["preview_html"] = render_markdown(body)
            return render(request, "threads/post_edit.html", context)
        try:
            retitle = is_opening and "title" in request.POST
            title = form.cleaned_data["title"] if retitle else None
            check_edit_post(member, post, body_md=body, title=title)
        except ActionError as error:
            show_on_form(form, error)
            return render(request, "threads/post_edit.html", context, status=error.status)
        return HttpResponseRedirect(post_url(post))
    return render(request, "threads/post_edit.html", context)


def post_history(request: HttpRequest, post_id: int) -> HttpResponse:
    post = access_post(request.user, post_id)
    revisions = [
        {"revision": revision, "html": render_markdown(revision.body_md)}
        for revision in post.revisions.select_related("edited_by")
    ]
    return render(
        request,
        "threads/post_history.html",
        {"post": post, "thread": post.thread, "revisions": revisions},
    )


@login_required
def post_delete(request: HttpRequest, post_id: int) -> HttpResponse:
    post = access_post(request.user, post_id)
    member = signed_in_member(request)
    try:
        check_may_change_post(member, post, "delete")
        if request.method == "POST":
            check_delete_post(member, post)
            return HttpResponseRedirect(post_url(post))
    except ActionError as error:
        return refused(request, error)
    return render(request, "threads/post_delete.html", {"post": post, "thread": post.thread})


@require_POST
@login_required
def accept_answer(request: HttpRequest, post_id: int) -> HttpResponse:
    post = access_post(request.user, post_id)
    try:
        check_accept_answer(signed_in_member(request), post)
    except ActionError as error:
        return refused(request, error)
    return HttpResponseRedirect(post_url(post))


@require_POST
@login_required
def react(request: HtmxHttpRequest, post_id: int) -> HttpResponse:
    post = access_post(request.user, post_id)
    member = signed_in_member(request)
    form = ReactForm(request.POST)
    kind = form.data.get("kind", "")
    try:
        check_react(member, post, kind)
    except ActionError as error:
        return refused(request, error)
    if not request.htmx:
        return HttpResponseRedirect(post_url(post))
    node = PostNode(post, depth=0, is_own=post.author_id == member.pk)
    counts = dict(Reaction.objects.filter(post=post).values_list("kind").annotate(n=Count("id")))
    node.like_count = counts.get(Reaction.Kind.LIKE, 0)
    node.helpful_count = counts.get(Reaction.Kind.HELPFUL, 0)
    node.my_reactions = frozenset(
        Reaction.objects.filter(post=post, member=member).values_list("kind", flat=True)
    )
    return render(request, "threads/_reactions.html", {"node": node, "signed_in": True})


@require_POST
@login_required
def markdown_preview(request: HttpRequest) -> HttpResponse:
    body = request.POST.get("body", "")
    if len(body) > settings.POST_MAX_CHARS:
        error = ActionError(
            gettext("Posts are limited to %(limit)s characters.")
            % {"limit": number_format(settings.POST_MAX_CHARS, force_grouping=True)},
            field="body",
        )
        return render(request, "threads/_preview.html", {"error": error}, status=400)
    return render(request, "threads/_preview.html", {"preview_html": render_markdown(body)})


def _page_number(raw: str | None) -> int:
    try:
        return int(raw or 1)
    except ValueError:
        return 1


def home(request: HtmxHttpRequest) -> HttpResponse:
    """The home feed: threads from every readable space, new or hot, followed ones first."""
    feed = build_feed(
        request.user,
        tab=request.GET.get("tab", NEW),
        page=_page_number(request.GET.get("page")),
    )
    template = "threads/_feed.html" if request.htmx else "threads/home.html"
    return render(request, template, {"feed": feed, "items": feed_items(feed.threads)})
