"""Blog pages: the blogs, a blog, a tag, writing and editing a post, following a blog.
Views parse, call one action, render. The published post itself is its thread's page,
whose replies are the comments."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from cluetrain.blogs.access import (
    access_blog_post,
    access_blogger,
    access_own_post,
    published_posts,
)
from cluetrain.blogs.actions import (
    DRAFT,
    PUBLISH,
    SCHEDULE,
    blog_title,
    check_blog_settings,
    check_delete_blog_post,
    check_edit_blog_post,
    check_follow_blog,
    check_write_post,
    do_unfollow_blog,
)
from cluetrain.blogs.forms import BlogPostForm, BlogSettingsForm, tag_list
from cluetrain.blogs.models import Blog, BlogFollow, BlogPost
from cluetrain.core.access import not_found
from cluetrain.core.errors import ActionError
from cluetrain.core.markdown import render_markdown
from cluetrain.members.models import Member
from cluetrain.topics.models import Topic

PAGE_SIZE = 20
BLOGS_SHOWN = 100


def _page(request: HttpRequest, posts: Any) -> Any:
    return Paginator(posts.prefetch_related("thread__tags"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )


def blog_index(request: HttpRequest) -> HttpResponse:
    visible = published_posts(request.user)
    blogs = (
        Blog.objects.filter(posts__in=visible.values("pk"))
        .annotate(
            published=Count("posts", filter=Q(posts__in=visible.values("pk"))),
            latest=Max("posts__published_at"),
        )
        .select_related("owner")
        .order_by("-latest", "pk")[:BLOGS_SHOWN]
    )
    rows = [(blog, blog_title(blog, blog.owner)) for blog in blogs]
    return render(
        request,
        "blogs/index.html",
        {
            "rows": rows,
            "posts": _page(request, visible),
            "may_write": request.user.is_authenticated,
        },
    )


def blog_page(request: HttpRequest, username: str) -> HttpResponse:
    owner, blog = access_blogger(request.user, username)
    mine = isinstance(request.user, Member) and request.user.pk == owner.pk
    unpublished: list[BlogPost] = []
    if mine and blog is not None:
        unpublished = list(
            blog.posts.exclude(status=BlogPost.Status.PUBLISHED).order_by(
                "status", "publish_at", "-updated_at"
            )
        )
    following = (
        isinstance(request.user, Member)
        and blog is not None
        and BlogFollow.objects.filter(member=request.user, blog=blog).exists()
    )
    return render(
        request,
        "blogs/blog.html",
        {
            "owner": owner,
            "blog": blog,
            "title": blog_title(blog, owner),
            "posts": _page(request, published_posts(request.user).filter(blog__owner=owner)),
            "unpublished": unpublished,
            "mine": mine,
            "following": following,
            "followers": blog.followers.count() if blog else 0,
        },
    )


def tag_page(request: HttpRequest, slug: str) -> HttpResponse:
    topic = Topic.objects.filter(slug=slug).first()
    if topic is None:
        raise not_found(gettext("No such tag."))
    posts = published_posts(request.user).filter(thread__tags=topic)
    return render(request, "blogs/tag.html", {"topic": topic, "posts": _page(request, posts)})


def _action(request: HttpRequest) -> str:
    action = request.POST.get("action", DRAFT)
    return action if action in (DRAFT, PUBLISH, SCHEDULE) else DRAFT


def _done(request: HttpRequest, post: BlogPost) -> HttpResponse:
    if post.status == BlogPost.Status.PUBLISHED and post.thread_id is not None:
        messages.success(request, gettext("Your post is published."))
        return redirect("thread", thread_id=post.thread_id)
    if post.status == BlogPost.Status.SCHEDULED:
        messages.success(request, gettext("Your post is scheduled."))
    else:
        messages.success(request, gettext("Your draft is saved. Only you can see it."))
    return redirect("blog_post", post_id=post.pk)


@login_required
@require_http_methods(["GET", "POST"])
def write(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, Member)
    form = BlogPostForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                post = check_write_post(
                    request.user,
                    title=data["title"],
                    body_md=data["body"],
                    tags=tag_list(data["tags"]),
                    action=_action(request),
                    publish_at=data["publish_at"],
                )
            except ActionError as error:
                form.add_error(_field(error, form), error.message)
                status = error.status
            else:
                return _done(request, post)
        else:
            status = 400
    return render(request, "blogs/write.html", {"form": form, "post": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def blog_settings(request: HttpRequest) -> HttpResponse:
    """The blog's title and description, for its owner."""
    assert isinstance(request.user, Member)
    blog = Blog.objects.filter(owner=request.user).first()
    initial = {"title": blog.title, "description": blog.description} if blog else {}
    form = BlogSettingsForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                check_blog_settings(
                    request.user,
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                )
            except ActionError as error:
                form.add_error(_field(error, form), error.message)
                status = error.status
            else:
                messages.success(request, gettext("Your blog's settings are saved."))
                return redirect("blog", username=request.user.username)
        else:
            status = 400
    return render(request, "blogs/settings.html", {"form": form}, status=status)


def _field(error: ActionError, form: forms.Form) -> str | None:
    field = {"body": "body", "body_md": "body"}.get(error.field or "", error.field)
    return field if field in form.fields else None


def post_page(request: HttpRequest, post_id: int) -> HttpResponse:
    """A draft's or a scheduled post's preview, for its author; a published post is its
    thread."""
    post = access_blog_post(request.user, post_id)
    if post.status == BlogPost.Status.PUBLISHED and post.thread_id is not None:
        return redirect("thread", thread_id=post.thread_id)
    return render(
        request,
        "blogs/post.html",
        {"post": post, "body_html": render_markdown(post.body_md), "owner": post.blog.owner},
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, post_id: int) -> HttpResponse:
    assert isinstance(request.user, Member)
    post = access_own_post(request.user, post_id)
    initial = {
        "title": post.title,
        "body": post.body_md,
        "tags": ", ".join(post.tags),
        "publish_at": post.publish_at,
    }
    form = BlogPostForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                post = check_edit_blog_post(
                    request.user,
                    post,
                    title=data["title"],
                    body_md=data["body"],
                    tags=tag_list(data["tags"]),
                    action=None if post.status == "published" else _action(request),
                    publish_at=data["publish_at"],
                )
            except ActionError as error:
                form.add_error(_field(error, form), error.message)
                status = error.status
            else:
                return _done(request, post)
        else:
            status = 400
    return render(request, "blogs/write.html", {"form": form, "post": post}, status=status)


@login_required
@require_POST
def delete(request: HttpRequest, post_id: int) -> HttpResponse:
    assert isinstance(request.user, Member)
    post = access_own_post(request.user, post_id)
    check_delete_blog_post(request.user, post)
    messages.success(request, gettext("The post is deleted."))
    return redirect("blog", username=request.user.username)


@login_required
@require_POST
def follow(request: HttpRequest, username: str) -> HttpResponse:
    assert isinstance(request.user, Member)
    owner, _ = access_blogger(request.user, username)
    if request.POST.get("action") == "unfollow":
        do_unfollow_blog(request.user, owner)
        messages.success(request, gettext("You no longer follow this blog."))
    else:
        try:
            check_follow_blog(request.user, owner)
        except ActionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, gettext("You will be told of each new post."))
    return redirect("blog", username=owner.username)
