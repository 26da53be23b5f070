"""Order pages: my orders and the order form, the order page with its life, the retailers'
board, the resolution history. Views parse, call one action, render."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from cluetrain.core.access import not_found
from cluetrain.core.errors import ActionError
from cluetrain.core.requests import signed_in_member
from cluetrain.orders import actions
from cluetrain.orders.access import access_order, manufacturers_of, retailer_of, visible_orders
from cluetrain.orders.history import step_lines
from cluetrain.orders.models import Listing, Offer, Order, Resolution

SHOWN = 50


def _refused(request: HttpRequest, error: ActionError) -> HttpResponse:
    return render(request, "orders/refused.html", {"error": error}, status=error.status)


@login_required
def orders(request: HttpRequest) -> HttpResponse:
    member = signed_in_member(request)
    error = None
    if request.method == "POST":
        try:
            lines = [(int(request.POST.get("listing", "")), int(request.POST.get("quantity", "1")))]
        except ValueError:
            error = ActionError(gettext("Choose a product and a whole quantity."), field="items")
        else:
            try:
                placed = actions.check_place_order(member, lines, request.POST.get("ship_to", ""))
            except ActionError as refused:
                error = refused
            else:
                return redirect("orders:order", placed.pk)
    mine = visible_orders(member).select_related("manufacturer", "winner__organization")
    context = {
        "orders": mine.order_by("-placed_at")[:SHOWN],
        "listings": Listing.objects.filter(active=True).select_related("product", "manufacturer"),
        "error": error,
        "form": request.POST if error else {},
        "is_retailer": retailer_of(member) is not None,
        "sees_history": actions.may_resolve(member) or manufacturers_of(member).exists(),
    }
    return render(request, "orders/orders.html", context, status=error.status if error else 200)


@login_required
def order(request: HttpRequest, order_id: int) -> HttpResponse:
    member = signed_in_member(request)
    shown = access_order(member, order_id)
    return render(
        request,
        "orders/order.html",
        {
            "order": shown,
            "items": shown.items.select_related("listing__product"),
            "steps": step_lines(
                shown,
                list(shown.events.select_related("retailer__organization").order_by("at", "pk")),
            ),
            "ships": actions.ships(member, shown),
            "is_customer": shown.customer_id == member.pk,
        },
    )


STEPS = {
    "claim": lambda member, pk, post: actions.check_claim(member, pk).order,
    "decline": lambda member, pk, post: actions.check_decline(member, pk).order,
    "ship": lambda member, pk, post: actions.check_ship(member, pk),
    "deliver": lambda member, pk, post: actions.check_deliver(member, pk),
    "rate": lambda member, pk, post: actions.check_rate(
        member, pk, _stars(post.get("stars", "")), post.get("comment", "")
    ),
}


def _stars(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ActionError(gettext("Stars are from 1 to 5."), field="stars") from None


@login_required
@require_POST
def act(request: HttpRequest, order_id: int, step: str) -> HttpResponse:
    if step not in STEPS:
        raise not_found(gettext("No such step."))
    member = signed_in_member(request)
    try:
        STEPS[step](member, order_id, request.POST)
    except ActionError as error:
        return _refused(request, error)
    if step in ("claim", "decline"):
        return redirect("orders:board")
    return redirect("orders:order", order_id)


@login_required
def board(request: HttpRequest) -> HttpResponse:
    member = signed_in_member(request)
    retailer = retailer_of(member)
    if retailer is None:
        return _refused(
            request, ActionError(gettext("The order board is for retailers' staff."), status=403)
        )
    offers = (
        Offer.objects.filter(retailer=retailer)
        .select_related("order__manufacturer")
        .order_by("-offered_at")[:SHOWN]
    )
    return render(request, "orders/board.html", {"retailer": retailer, "offers": offers})


@login_required
def resolutions(request: HttpRequest) -> HttpResponse:
    member = signed_in_member(request)
    makers = list(manufacturers_of(member))
    if not actions.may_resolve(member) and not makers:
        return _refused(
            request,
            ActionError(
                gettext("The resolution history is for staff and manufacturers."), status=403
            ),
        )
    if request.method == "POST":
        try:
            actions.check_resolve(member)
        except ActionError as error:
            return _refused(request, error)
        return redirect("orders:resolutions")
    mine = Q(resolved__manufacturer__in=makers)
    runs = Resolution.objects.annotate(
        yours=Count("resolved", filter=mine),
        yours_to_maker=Count("resolved", filter=mine & Q(resolved__outcome="manufacturer")),
    ).order_by("-started_at")[:SHOWN]
    recent = (
        Order.objects.filter(manufacturer__in=makers, resolution__isnull=False)
        .select_related("winner__organization")
        .order_by("-resolved_at")[:SHOWN]
    )
    return render(
        request,
        "orders/resolutions.html",
        {"runs": runs, "recent": recent, "may_resolve": actions.may_resolve(member)},
    )
