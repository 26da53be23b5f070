"""The pages where members create, see and revoke their personal API tokens."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods

from cluetrain.api.models import ApiToken
from cluetrain.api.tokens import (
    NAME_MAX_CHARS,
    access_token,
    check_create_token,
    check_revoke_token,
)
from cluetrain.core.errors import ActionError, show_on_form
from cluetrain.core.requests import signed_in_member


class TokenForm(forms.Form):
    name = forms.CharField(max_length=NAME_MAX_CHARS, label=gettext_lazy("Name"))
    scope = forms.ChoiceField(
        choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ, label=gettext_lazy("Scope")
    )


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    member = signed_in_member(request)
    form = TokenForm(request.POST or None)
    status = 200
    new_token = None
    if request.method == "POST":
        if form.is_valid():
            try:
                _, new_token = check_create_token(
                    member, name=form.cleaned_data["name"], scope=form.cleaned_data["scope"]
                )
            except ActionError as error:
                status = show_on_form(form, error)
            else:
                form = TokenForm()
        else:
            status = 400
    context = {
        "form": form,
        # The secret is in this one response only: it is stored hashed.
        "new_token": new_token,
        "tokens": ApiToken.objects.filter(member=member).order_by("-created_at", "-pk"),
    }
    return render(request, "api/tokens.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """Asks first (GET), then revokes (POST): scripts using the token stop working at once."""
    member = signed_in_member(request)
    token = access_token(member, token_id)
    if request.method == "GET":
        if token.revoked_at is not None:
            return redirect("api_tokens")
        return render(request, "api/token_revoke.html", {"token": token})
    try:
        check_revoke_token(member, token)
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, gettext("Token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api_tokens")
