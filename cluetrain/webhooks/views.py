"""Staff pages: webhook endpoints, their secret, a test ping and the delivery log."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from cluetrain.core.errors import ActionError, show_on_form
from cluetrain.members.models import Member
from cluetrain.webhooks import actions
from cluetrain.webhooks.forms import EndpointForm
from cluetrain.webhooks.models import WebhookDelivery, WebhookEndpoint

DELIVERIES_PER_PAGE = 50
View = Callable[..., HttpResponse]


def _staff(request: HttpRequest) -> Member:
    assert isinstance(request.user, Member)
    return request.user


def staff_required(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not actions.may_manage_webhooks(_staff(request)):
            raise PermissionDenied(gettext("Only staff and administrators manage webhooks."))
        return view(request, *args, **kwargs)

    return wrapped


@staff_required
def endpoint_list(request: HttpRequest) -> HttpResponse:
    # How each endpoint is doing: deliveries given up on, and those waiting for a retry.
    status = WebhookDelivery.Status
    endpoints = WebhookEndpoint.objects.order_by("pk").annotate(
        failed=Count("deliveries", filter=Q(deliveries__status=status.FAILED)),
        retrying=Count(
            "deliveries", filter=Q(deliveries__status=status.PENDING, deliveries__attempts__gt=0)
        ),
    )
    return render(request, "webhooks/list.html", {"endpoints": endpoints})


@staff_required
def endpoint_new(request: HttpRequest) -> HttpResponse:
    form = EndpointForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                endpoint = actions.check_create_endpoint(
                    _staff(request),
                    url=data["url"],
                    events=data["events"],
                    description=data["description"],
                )
            except ActionError as error:
                status = show_on_form(form, error)
            else:
                messages.success(request, gettext("Webhook created. Copy its secret now."))
                return redirect("webhook_detail", endpoint_id=endpoint.pk)
    return render(request, "webhooks/form.html", {"form": form}, status=status)


@staff_required
def endpoint_detail(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    endpoint = get_object_or_404(WebhookEndpoint, pk=endpoint_id)
    initial = {
        "url": endpoint.shown_url,
        "description": endpoint.description,
        "events": endpoint.events,
        "active": endpoint.active,
    }
    form = EndpointForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.check_edit_endpoint(_staff(request), endpoint, **data)
            except ActionError as error:
                status = show_on_form(form, error)
            else:
                messages.success(request, gettext("Webhook saved."))
                return redirect("webhook_detail", endpoint_id=endpoint.pk)
    deliveries = endpoint.deliveries.order_by("-created_at", "-pk")
    page = Paginator(deliveries, DELIVERIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"endpoint": endpoint, "form": form, "page": page}
    return render(request, "webhooks/detail.html", context, status=status)


@require_POST
@staff_required
def endpoint_ping(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    endpoint = get_object_or_404(WebhookEndpoint, pk=endpoint_id)
    actions.check_ping(_staff(request), endpoint)
    messages.success(request, gettext("Test ping queued; see the delivery log."))
    return redirect("webhook_detail", endpoint_id=endpoint.pk)


@require_POST
@staff_required
def delivery_redeliver(request: HttpRequest, delivery_id: int) -> HttpResponse:
    delivery = get_object_or_404(WebhookDelivery, pk=delivery_id)
    actions.check_redeliver(_staff(request), delivery)
    messages.success(request, gettext("Delivery queued again with the same event id."))
    return redirect("webhook_detail", endpoint_id=delivery.endpoint_id)
