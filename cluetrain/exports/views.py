"""A member's own data: the JSON download and the account deletion page."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from cluetrain.core.errors import ActionError
from cluetrain.core.requests import signed_in_member
from cluetrain.exports.forms import DeleteAccountForm
from cluetrain.exports.ownership import check_delete_account, member_data


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    return render(request, "exports/my_data.html")


@never_cache
@login_required
def my_data_download(request: HttpRequest) -> HttpResponse:
    member = signed_in_member(request)
    body = json.dumps(member_data(member), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
    name = f"cluetrain-{member.username}-{timezone.now():%Y%m%d}.json"
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                check_delete_account(
                    signed_in_member(request),
                    password=form.cleaned_data["password"],
                    posts=form.cleaned_data["posts"],
                )
            except ActionError as error:
                form.add_error(error.field, error.message)
                status = error.status
            else:
                logout(request)
                messages.success(request, "Your account is deleted. Goodbye, and thank you.")
                return redirect("home")
    return render(request, "exports/delete_account.html", {"form": form}, status=status)
