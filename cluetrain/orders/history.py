"""What an order's page says beside each step, in the reader's language. The steps' `text`
is an English record written when the step happened; the page words the step again from the
order itself."""

from django.utils.translation import gettext, ngettext

from cluetrain.orders.models import Order, OrderEvent

K = OrderEvent.Kind


def step_lines(order: Order, events: list[OrderEvent]) -> list[tuple[OrderEvent, str]]:
    """Each step with its words (empty where the kind and retailer say it all)."""
    offered = order.offers.count() if any(e.kind == K.OFFERED for e in events) else 0
    return [(event, _line(order, event, offered)) for event in events]


def _line(order: Order, event: OrderEvent, offered: int) -> str:
    if event.kind == K.PLACED:
        return gettext("to %(place)s") % {"place": order.ship_to}
    if event.kind == K.OFFERED:
        return ngettext("to %(count)s retailer", "to %(count)s retailers", offered) % {
            "count": offered
        }
    if event.kind == K.RESOLVED and order.outcome:
        outcome = order.get_outcome_display()
        if order.distance_km is None:
            return str(outcome)
        return gettext("%(outcome)s (%(km)s km)") % {
            "outcome": outcome,
            "km": f"{order.distance_km:.1f}",
        }
    if event.kind == K.RATED and order.stars is not None:
        return (
            gettext("%(stars)s/5 %(comment)s")
            % {"stars": order.stars, "comment": order.rating_comment}
        ).strip()
    return event.text
