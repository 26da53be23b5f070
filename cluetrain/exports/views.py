"""A member's own data (the JSON download, the account deletion page) and, for administrators,
the whole instance out and in."""

import json
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cluetrain.core.errors import ActionError, show_on_form
from cluetrain.core.requests import signed_in_member
from cluetrain.exports import transfer
from cluetrain.exports.forms import DeleteAccountForm, ImportConfirmForm, ImportUploadForm
from cluetrain.exports.ownership import check_delete_account, member_data
from cluetrain.members.models import Member


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
                status = show_on_form(form, error)
            else:
                logout(request)
                messages.success(
                    request, gettext("Your account is deleted. Goodbye, and thank you.")
                )
                return redirect("home")
    return render(request, "exports/delete_account.html", {"form": form}, status=status)


# --- Instance export and import (administrators; cluetrain/exports/transfer.py) -----------


def _admin(request: HttpRequest) -> Member:
    member = signed_in_member(request)
    try:
        transfer.check_admin(member)
    except ActionError as error:
        raise PermissionDenied(error.message) from None
    return member


@never_cache
@login_required
def instance_transfer(request: HttpRequest) -> HttpResponse:
    """Exports (start one, download the finished ones) and the upload of an export to import."""
    _admin(request)
    context = {
        "exports": transfer.list_exports(),
        "upload_form": ImportUploadForm(),
        "site_name": settings.SITE_NAME,
    }
    return render(request, "exports/instance.html", context)


@login_required
@require_POST
def instance_export_start(request: HttpRequest) -> HttpResponse:
    name = transfer.check_start_export(_admin(request))
    messages.success(
        request,
        gettext("Export %(name)s started: the worker builds it; reload this page.")
        % {"name": name},
    )
    return redirect("instance_transfer")


@never_cache
@login_required
def instance_export_download(request: HttpRequest, name: str) -> FileResponse:
    _admin(request)
    try:
        path = transfer.export_archive(name)
    except ActionError:
        raise Http404 from None
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=f"cluetrain-export-{name}.zip"
    )


@login_required
@require_POST
def instance_import_upload(request: HttpRequest) -> HttpResponse:
    member = _admin(request)
    form = ImportUploadForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        upload = form.cleaned_data["archive"]
        with tempfile.NamedTemporaryFile(suffix=".zip") as stored:
            for chunk in upload.chunks():
                stored.write(chunk)
            stored.flush()
            try:
                uploaded = transfer.check_upload_export(member, Path(stored.name))
            except ActionError as error:
                form.add_error("archive", error.message)
                status = error.status
            else:
                return redirect("instance_import", name=uploaded.name)
    context = {
        "exports": transfer.list_exports(),
        "upload_form": form,
        "site_name": settings.SITE_NAME,
    }
    return render(request, "exports/instance.html", context, status=status)


@never_cache
@login_required
def instance_import(request: HttpRequest, name: str) -> HttpResponse:
    """What the upload holds, and the confirmation that replaces this instance with it."""
    member = _admin(request)
    try:
        uploaded = transfer.uploaded_export(name)
    except ActionError:
        raise Http404 from None
    form = ImportConfirmForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                transfer.check_confirm_import(member, name, form.cleaned_data["confirm"])
            except ActionError as error:
                form.add_error("confirm" if error.field else None, error.message)
                status = error.status
            else:
                return redirect("instance_import", name=name)
        else:
            status = 400
    state, detail = transfer.import_state(name)
    context = {
        "uploaded": uploaded,
        "form": form,
        "state": state,
        "detail": json.loads(detail) if state == "done" else detail,
        "site_name": settings.SITE_NAME,
    }
    return render(request, "exports/instance_import.html", context, status=status)
