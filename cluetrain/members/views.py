"""Pages for accounts, profiles, the people directory and connections."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, PasswordResetView
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import check_for_language, gettext
from django.views.decorators.http import require_POST
from django.views.i18n import LANGUAGE_QUERY_PARAMETER, set_language

from cluetrain.core.access import not_found
from cluetrain.core.errors import ActionError, show_on_form
from cluetrain.core.markdown import render_markdown
from cluetrain.core.requests import HtmxHttpRequest, client_address, signed_in_member
from cluetrain.members import actions, avatars, queries
from cluetrain.members.access import access_connection, access_member
from cluetrain.members.forms import (
    AvatarForm,
    ConnectionResponseForm,
    PeopleFilterForm,
    ProfileForm,
    SignupForm,
)
from cluetrain.members.models import Connection, Member, Profile
from cluetrain.members.profile_sections import profile_sections
from cluetrain.members.signin import check_sign_in_allowed, do_count_failed_sign_in, do_unlock
from cluetrain.topics.models import Topic

PEOPLE_PER_PAGE = 24
PROFILE_CONNECTIONS_SHOWN = 12


# --- Accounts -----------------------------------------------------------------------------


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                member = actions.check_signup(
                    username=form.cleaned_data["username"],
                    display_name=form.cleaned_data["display_name"],
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password1"],
                    address=client_address(request),
                )
            except ActionError as error:
                status = show_on_form(form, error)
            else:
                login(request, member, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(
                    request,
                    gettext("Welcome, %(name)s! Your account is ready.") % {"name": member.name},
                )
                return redirect("welcome")  # onboarding (notifications/onboarding.py)
        else:
            status = 400
    return render(request, "members/signup.html", {"form": form}, status=status)


class PasswordResetBySiteName(PasswordResetView):
    """Django's password reset, whose e-mail names the site by SITE_NAME: without the sites
    framework Django names it by the request's host ("Reset your 127.0.0.1:8000 password")."""

    @property
    def extra_email_context(self) -> dict[str, str]:
        return {"site_name": settings.SITE_NAME}


class SignInView(LoginView):
    """Django's sign-in page, refused for a while after too many failures (members/signin.py)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = str(request.POST.get("username", ""))
        try:
            check_sign_in_allowed(username, client_address(request))
        except ActionError as error:
            form = AuthenticationForm(request, initial={"username": username[:150]})
            context = self.get_context_data(form=form, refusal=error.message)
            return self.render_to_response(context, status=error.status)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        member = form.get_user()
        do_unlock(member.get_username())
        response = super().form_valid(form)
        if member.language and check_for_language(member.language):
            # The language the member chose before, on whatever browser they sign in from.
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, member.language)
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        username = str(form.data.get("username", ""))
        if username.strip() and form.data.get("password"):
            do_count_failed_sign_in(username, client_address(self.request))
        return super().form_invalid(form)


@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    """The site's language chooser (Django's set_language); a signed-in member's choice is
    also kept on their account, for their e-mails and their next sign-in."""
    response = set_language(request)
    language = str(request.POST.get(LANGUAGE_QUERY_PARAMETER, ""))
    if request.user.is_authenticated and language and check_for_language(language):
        actions.do_choose_language(signed_in_member(request), language)
    return response


# --- Profile ------------------------------------------------------------------------------


def _profile_context(request: HttpRequest, member: Member) -> dict[str, object]:
    profile = getattr(member, "profile", None)
    return {
        "member": member,
        "profile": profile,
        # Markdown like posts, sanitized the same way (a bio is short: rendered per view).
        "bio_html": render_markdown(profile.bio) if profile and profile.bio.strip() else "",
        "counts": queries.tie_counts(member),
        "relation": queries.relation(request.user, member),
        "connections": queries.connected_members(member, limit=PROFILE_CONNECTIONS_SHOWN),
        **profile_sections(request.user, member),
    }


def profile(request: HttpRequest, username: str) -> HttpResponse:
    member = access_member(username)
    return render(request, "members/profile.html", _profile_context(request, member))


def _relation_response(
    request: HtmxHttpRequest, member: Member, error: ActionError | None = None
) -> HttpResponse:
    """After a follow/connect button: the buttons alone for htmx, else back to the profile."""
    if request.htmx:
        context = {
            "member": member,
            "relation": queries.relation(request.user, member),
            "counts": queries.tie_counts(member),
            "error": error.message if error else "",
        }
        return render(
            request,
            "members/_relation.html",
            context,
            status=error.status if error else 200,
        )
    if error is not None:
        context = _profile_context(request, member)
        context["error"] = error.message
        return render(request, "members/profile.html", context, status=error.status)
    return redirect("profile", username=member.username)


@login_required
@require_POST
def follow(request: HtmxHttpRequest, username: str) -> HttpResponse:
    member = access_member(username)
    try:
        actions.check_follow(signed_in_member(request), member)
    except ActionError as error:
        return _relation_response(request, member, error)
    if not request.htmx:
        messages.success(request, gettext("You now follow %(name)s.") % {"name": member.name})
    return _relation_response(request, member)


@login_required
@require_POST
def unfollow(request: HtmxHttpRequest, username: str) -> HttpResponse:
    member = access_member(username)
    if actions.do_unfollow(signed_in_member(request), member) and not request.htmx:
        messages.success(request, gettext("You no longer follow %(name)s.") % {"name": member.name})
    return _relation_response(request, member)


@login_required
@require_POST
def connect(request: HtmxHttpRequest, username: str) -> HttpResponse:
    member = access_member(username)
    try:
        connection = actions.check_request_connection(signed_in_member(request), member)
    except ActionError as error:
        return _relation_response(request, member, error)
    if not request.htmx:
        if connection.status == Connection.Status.ACCEPTED:
            messages.success(
                request, gettext("You are now connected with %(name)s.") % {"name": member.name}
            )
        else:
            messages.success(request, gettext("Request sent to %(name)s.") % {"name": member.name})
    return _relation_response(request, member)


@login_required
@require_POST
def disconnect(request: HtmxHttpRequest, username: str) -> HttpResponse:
    member = access_member(username)
    if actions.do_disconnect(signed_in_member(request), member) and not request.htmx:
        messages.success(
            request, gettext("You are no longer connected with %(name)s.") % {"name": member.name}
        )
    return _relation_response(request, member)


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    member = signed_in_member(request)
    profile, _ = Profile.objects.prefetch_related("expertise", "interests").get_or_create(
        member=member
    )
    initial = ProfileForm.initial_for(member, profile)
    form = ProfileForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.check_edit_profile(member, **form.edit_arguments())
            except ActionError as error:
                status = show_on_form(form, error)
            else:
                messages.success(request, gettext("Your profile is saved."))
                return redirect("profile", username=member.username)
        else:
            status = 400
    return render(request, "members/profile_edit.html", {"form": form}, status=status)


# --- People directory ---------------------------------------------------------------------


def people(request: HtmxHttpRequest) -> HttpResponse:
    form = PeopleFilterForm(request.GET or None)
    members = (
        Member.objects.filter(is_active=True)
        .select_related("profile", "organization")
        .prefetch_related("profile__expertise")
        .order_by("username")
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            members = members.filter(
                Q(username__icontains=data["q"]) | Q(display_name__icontains=data["q"])
            )
        if data["expertise"]:
            topics = Topic.objects.filter(
                Q(slug=slugify(data["expertise"])) | Q(name__icontains=data["expertise"])
            )
            # A subquery, not a join, so a member matching two topics is listed once.
            members = members.filter(profile__in=Profile.objects.filter(expertise__in=topics))
        if data["location"]:
            members = members.filter(profile__location__icontains=data["location"])
        if data["role"]:
            members = members.filter(role=data["role"])
    page = Paginator(members, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    template = "members/_people_list.html" if request.htmx else "members/people.html"
    return render(request, template, context)


# --- Connections --------------------------------------------------------------------------


def _connections_context(member: Member) -> dict[str, object]:
    pending = Connection.objects.filter(
        kind=Connection.Kind.CONNECT, status=Connection.Status.PENDING
    ).order_by("-created_at")
    return {
        "incoming": list(pending.filter(to_member=member).select_related("from_member__profile")),
        # Declined requests still read as pending to the one who sent them.
        "outgoing": list(
            Connection.objects.filter(
                kind=Connection.Kind.CONNECT,
                from_member=member,
                status__in=[Connection.Status.PENDING, Connection.Status.DECLINED],
            )
            .select_related("to_member__profile")
            .order_by("-created_at")
        ),
        "mutual": queries.connected_members(member),
    }


@login_required
def connections(request: HttpRequest) -> HttpResponse:
    return render(
        request, "members/connections.html", _connections_context(signed_in_member(request))
    )


@login_required
@require_POST
def connection_respond(request: HttpRequest, connection_id: int) -> HttpResponse:
    member = signed_in_member(request)
    connection = access_connection(member, connection_id)
    form = ConnectionResponseForm(request.POST)
    try:
        if not form.is_valid():
            raise ActionError(gettext("Choose accept or decline."), field="decision")
        accept = form.cleaned_data["decision"] == "accept"
        actions.check_respond_to_connection(member, connection, accept=accept)
    except ActionError as error:
        context = _connections_context(member)
        context["error"] = error.message
        return render(request, "members/connections.html", context, status=error.status)
    other = connection.from_member
    if accept:
        messages.success(
            request, gettext("You are now connected with %(name)s.") % {"name": other.name}
        )
    else:
        messages.info(request, gettext("You declined %(name)s's request.") % {"name": other.name})
    return redirect("connections")


# --- Avatar -------------------------------------------------------------------------------


@login_required
def avatar_edit(request: HttpRequest) -> HttpResponse:
    """Upload a picture (multipart form, no JavaScript needed) or go back to initials."""
    member = signed_in_member(request)
    form = AvatarForm(request.POST, request.FILES) if request.method == "POST" else AvatarForm()
    status = 200
    if request.method == "POST":
        if request.POST.get("remove"):
            if actions.do_remove_avatar(member):
                messages.success(
                    request, gettext("Your picture is removed; your initials show instead.")
                )
            return redirect("avatar_edit")
        if not form.is_valid():
            status = 400
        else:
            try:
                actions.check_set_avatar(member, form.cleaned_data["avatar"])
            except ActionError as error:
                status = show_on_form(form, error)
            else:
                messages.success(request, gettext("Your picture is saved."))
                return redirect("avatar_edit")
    return render(
        request, "members/avatar_edit.html", {"form": form, "member": member}, status=status
    )


def avatar_file(request: HttpRequest, name: str) -> FileResponse:
    """An avatar from MEDIA_ROOT/avatars: only names the upload made, served as an image."""
    path = f"{avatars.FOLDER}/{name}"
    if not avatars.NAME.match(name) or not default_storage.exists(path):
        raise not_found(gettext("No such picture."))
    response = FileResponse(default_storage.open(path), content_type="image/webp")
    # The name holds the content's hash: it never changes, so it may be cached for good.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Content-Disposition"] = "inline"
    return response
