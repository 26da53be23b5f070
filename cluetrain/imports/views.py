from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from cluetrain.core.errors import ActionError
from cluetrain.imports.actions import check_import_upload
from cluetrain.imports.forms import ImportForm
from cluetrain.members.models import Member


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, Member)
    if not user.is_company_staff:
        error = ActionError(gettext("Only staff can import messages."), status=403)
        return render(request, "threads/refused.html", {"error": error}, status=403)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = check_import_upload(
            user,
            form.cleaned_data["file"],
            form.cleaned_data["format"],
            form.cleaned_data["source"],
        )
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "imports/upload.html", {"form": form, "result": result}, status=status)
