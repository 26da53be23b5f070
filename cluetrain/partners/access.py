"""Who may see a referral: the referrer, the customer, the provider's people and staff."""

from django.utils.translation import gettext

from cluetrain.core.access import not_found
from cluetrain.members.models import Member
from cluetrain.organizations.models import Organization
from cluetrain.partners.models import Category, Listing, Referral


def can_see_referral(member: Member, referral: Referral) -> bool:
    return (
        member.is_company_staff
        or member.pk in (referral.referrer_id, referral.customer_id)
        or (member.organization_id is not None and member.organization_id == referral.provider_id)
    )


def access_referral(member: Member, referral_id: int) -> Referral:
    referral = (
        Referral.objects.select_related("provider", "customer", "referrer", "category")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None or not member.is_active or not can_see_referral(member, referral):
        raise not_found(gettext("No such referral."))
    return referral


def access_partner(slug: str) -> Organization:
    """A listed partner organization (the directory is public to members)."""
    listing = (
        Listing.objects.select_related("organization")
        .filter(organization__slug=slug, active=True)
        .first()
    )
    if listing is None:
        raise not_found(gettext("No such partner."))
    return listing.organization


def access_category(slug: str) -> Category:
    """A category of the whole product, retired or not (the staff's page and API)."""
    category = Category.objects.filter(slug=slug).first()
    if category is None:
        raise not_found(gettext("No such category."))
    return category
