"""The notifications inbox."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cluetrain.core.requests import signed_in_member
from cluetrain.notifications.actions import do_mark_all_read
from cluetrain.notifications.models import Notification
from cluetrain.notifications.visibility import still_visible

PER_PAGE = 30


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    recipient = signed_in_member(request)
    inbox = (
        Notification.objects.filter(still_visible(recipient), recipient=recipient)
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(inbox, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/notifications.html", {"page": page})


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    assert request.user.pk is not None
    marked = do_mark_all_read(request.user.pk)
    if marked:
        messages.success(request, f"Marked {marked} notification{'s' if marked != 1 else ''} read.")
    return redirect("notifications")
