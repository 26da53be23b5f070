"""Who may see and act on orders. Everything else answers 404 (core/access.py)."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from cluetrain.core.access import not_found
from cluetrain.members.models import Member
from cluetrain.orders.models import Offer, Order, Retailer
from cluetrain.organizations.models import Organization


def acts_for(member: Member, organization: Organization) -> bool:
    """Its own staff act for an organization; the company's staff act for the company."""
    if member.organization_id == organization.pk:
        return True
    return organization.kind == Organization.Kind.COMPANY and member.is_company_staff


def manufacturers_of(member: Member) -> QuerySet[Organization]:
    """The manufacturers `member` acts for."""
    kinds = [Organization.Kind.COMPANY, Organization.Kind.VENDOR]
    mine = Q(pk=member.organization_id) if member.organization_id else Q(pk__in=[])
    if member.is_company_staff:
        mine |= Q(kind=Organization.Kind.COMPANY)
    return Organization.objects.filter(mine, kind__in=kinds)


def retailer_of(member: Member) -> Retailer | None:
    if member.organization_id is None:
        return None
    return (
        Retailer.objects.select_related("organization")
        .filter(organization_id=member.organization_id)
        .first()
    )


def visible_orders(member: Member) -> QuerySet[Order]:
    """Orders `member` placed, makes, or won for their retailer: the ones whose life they see."""
    seen = Q(customer=member) | Q(manufacturer__in=manufacturers_of(member))
    if member.organization_id is not None:
        seen |= Q(winner__organization_id=member.organization_id)
    return Order.objects.filter(seen)


def access_order(member: Member, order_id: int) -> Order:
    """The order, for its customer, its manufacturer's staff and the winning retailer."""
    order = (
        visible_orders(member)
        .select_related("manufacturer", "customer", "winner__organization")
        .filter(pk=order_id)
        .first()
    )
    if order is None:
        raise not_found(gettext("No such order."))
    return order


def access_offer(member: Member, order_id: int) -> Offer:
    """The offer of order `order_id` to `member`'s retailer."""
    retailer = retailer_of(member)
    offer = (
        Offer.objects.select_related("order", "retailer__organization")
        .filter(order_id=order_id, retailer=retailer)
        .first()
        if retailer is not None
        else None
    )
    if offer is None:
        raise not_found(gettext("No such offer."))
    return offer
