"""Referrals: sent, accepted or declined by the provider, their outcome and the customer's
rating. Views and the API call `check_*`, which refuses with ActionError or hands over to one
`do_*`. Each step that means something between people is a relationship event; the rating
feeds the provider's reputation (signals.py) and every change goes out as a domain event.
"""

from collections.abc import Iterable, Sequence

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_noop

from cluetrain.core.errors import ActionError
from cluetrain.core.events import publish
from cluetrain.core.ratelimit import refuse_past_daily_cap
from cluetrain.core.sentences import Sentence
from cluetrain.members.models import Member
from cluetrain.notifications.actions import do_notify
from cluetrain.notifications.models import Notification
from cluetrain.organizations.models import Organization
from cluetrain.partners.events import ReferralCreated, ReferralRated, ReferralUpdated
from cluetrain.partners.models import Category, Listing, Provision, Referral, ServiceArea
from cluetrain.relationships.actions import do_infer
from cluetrain.relationships.models import RelationshipKind
from cluetrain_analytics.places import geocode

#: Referrals one member may send a day: enough to route customers, too few to spam partners.
DAILY_REFERRALS = 20
MAX_NEED = 2000
MAX_WORDS = 2000
PARTNER_KINDS = (Organization.Kind.PARTNER, Organization.Kind.VENDOR)
S = Referral.Status


def provider_people(organization_id: int) -> list[int]:
    """The active member accounts of a provider organization."""
    return list(
        Member.objects.filter(organization_id=organization_id, is_active=True).values_list(
            "pk", flat=True
        )
    )


def is_provider(member: Member, referral: Referral) -> bool:
    return member.is_active and member.organization_id == referral.provider_id


def _notify(
    recipients: Iterable[int], referral: Referral, step: str, actor: Member, sentence: Sentence
) -> None:
    for recipient in set(recipients):
        do_notify(
            recipient_id=recipient,
            kind=Notification.Kind.REFERRAL,
            dedupe_key=f"referral:{referral.pk}:{step}",
            actor_id=actor.pk,
            sentence=sentence,
        )


# -- the directory ---------------------------------------------------------------------------


def check_list_partner(
    organization: Organization,
    categories: Category | Sequence[Category],
    areas: Iterable[tuple[str, int]] = (),
) -> Listing:
    """Put a partner organization in the directory, providing `categories` (the first is its
    main one), serving `areas`."""
    chosen = [categories] if isinstance(categories, Category) else list(categories)
    if organization.kind not in PARTNER_KINDS:
        raise ActionError(
            gettext("Only partner and vendor organizations are listed."), field="organization"
        )
    if not chosen or len({c.pk for c in chosen}) != len(chosen):
        raise ActionError(
            gettext("Choose each category a partner provides once."), field="categories"
        )
    if any(c.retired for c in chosen):
        raise ActionError(gettext("A retired category lists no new partner."), field="categories")
    areas = list(areas)
    for place, radius in areas:
        if not place.strip() or len(place) > 200:
            raise ActionError(
                gettext("Name each area served (up to 200 characters)."), field="areas"
            )
        if not 1 <= radius <= 5000:
            raise ActionError(gettext("A radius is between 1 and 5000 km."), field="areas")
    return do_list_partner(organization, chosen, areas)


@transaction.atomic
def do_list_partner(
    organization: Organization,
    categories: Category | Sequence[Category],
    areas: Iterable[tuple[str, int]] = (),
) -> Listing:
    """List (or list again) the partner: its categories become exactly `categories`, in
    that order."""
    chosen = [categories] if isinstance(categories, Category) else list(categories)
    listing, _ = Listing.objects.update_or_create(
        organization=organization, defaults={"active": True}
    )
    Provision.objects.filter(listing=listing).exclude(category__in=[c.pk for c in chosen]).delete()
    for position, category in enumerate(chosen):
        Provision.objects.update_or_create(
            listing=listing, category=category, defaults={"position": position}
        )
    for place, radius in areas:
        found = geocode(place)
        ServiceArea.objects.update_or_create(
            listing=listing,
            place=place.strip(),
            defaults={
                "radius_km": radius,
                "latitude": found.latitude if found else None,
                "longitude": found.longitude if found else None,
            },
        )
    return listing


# -- the categories, configured by the company's staff ------------------------------------


def may_configure(member: Member) -> bool:
    """The company's staff configure the whole product's categories."""
    return member.is_active and member.is_company_staff


def _check_configurer(member: Member) -> None:
    if not may_configure(member):
        raise ActionError(gettext("Only the company's staff configure the categories."), status=403)


def _check_name(name: str, description: str, *, keep: Category | None = None) -> str:
    name = name.strip()
    if not 1 <= len(name) <= 100:
        raise ActionError(gettext("Name the category in 1 to 100 characters."), field="name")
    if len(description) > 2000:
        raise ActionError(
            gettext("Keep the description under 2000 characters."), field="description"
        )
    others = Category.objects.filter(name__iexact=name)
    if keep is not None:
        others = others.exclude(pk=keep.pk)
    if others.exists():
        raise ActionError(
            gettext("There is already a category called %(name)s.") % {"name": name},
            field="name",
            status=409,
        )
    return name


def check_create_category(member: Member, name: str, description: str = "") -> Category:
    _check_configurer(member)
    name = _check_name(name, description)
    slug = slugify(name)[:50] or "category"
    if Category.objects.filter(slug=slug).exists():
        raise ActionError(
            gettext("The address %(slug)s is taken: choose another name.") % {"slug": repr(slug)},
            field="name",
        )
    return do_create_category(name, slug, description.strip())


@transaction.atomic
def do_create_category(name: str, slug: str, description: str = "") -> Category:
    """A new category, last in the order."""
    last = Category.objects.aggregate(last=Max("position"))["last"]
    return Category.objects.create(
        name=name,
        slug=slug,
        description=description,
        position=0 if last is None else last + 1,
    )


def check_edit_category(
    member: Member, category: Category, *, name: str | None = None, description: str | None = None
) -> Category:
    """Rename the category or change its description (its address, the slug, stays)."""
    _check_configurer(member)
    new_name = category.name if name is None else name
    new_description = category.description if description is None else description
    new_name = _check_name(new_name, new_description, keep=category)
    return do_edit_category(category, new_name, new_description.strip())


def do_edit_category(category: Category, name: str, description: str) -> Category:
    category.name, category.description = name, description
    category.save(update_fields=["name", "description"])
    return category


def check_order_categories(member: Member, slugs: Sequence[str]) -> list[Category]:
    """Put the categories in the order of `slugs`: every category, each once."""
    _check_configurer(member)
    every = {c.slug: c for c in Category.objects.all()}
    if sorted(slugs) != sorted(every):
        raise ActionError(
            gettext("Name every category once, in the new order."), field="categories"
        )
    return do_order_categories([every[slug] for slug in slugs])


def check_move_category(member: Member, category: Category, step: int) -> list[Category]:
    """Move the category one place up (step -1) or down (+1)."""
    _check_configurer(member)
    if step not in (-1, 1):
        raise ActionError(gettext("Move a category one place up or down."), field="direction")
    ordered = list(Category.objects.all())
    at = [c.pk for c in ordered].index(category.pk)
    to = at + step
    if not 0 <= to < len(ordered):
        raise ActionError(gettext("The category is already at that end."), status=409)
    ordered[at], ordered[to] = ordered[to], ordered[at]
    return do_order_categories(ordered)


@transaction.atomic
def do_order_categories(ordered: Sequence[Category]) -> list[Category]:
    for position, category in enumerate(ordered):
        if category.position != position:
            Category.objects.filter(pk=category.pk).update(position=position)
            category.position = position
    return list(ordered)


def check_retire_category(member: Member, category: Category, retired: bool) -> Category:
    """Retire a category (off the directory's filters and the bundles) or bring it back."""
    _check_configurer(member)
    return do_retire_category(category, retired)


def do_retire_category(category: Category, retired: bool) -> Category:
    if category.retired != retired:
        category.retired = retired
        category.save(update_fields=["retired"])
    return category


# -- referrals -------------------------------------------------------------------------------


def check_refer(
    referrer: Member,
    *,
    customer: Member,
    provider: Organization,
    need: str,
    place: str = "",
) -> Referral:
    """`referrer` sends `customer` to `provider` for `need`. Customers refer themselves (from a
    bundle); staff and partners may refer another member."""
    need = need.strip()
    if not need:
        raise ActionError(gettext("Describe the need."), field="need")
    if len(need) > MAX_NEED:
        raise ActionError(
            gettext("Keep the need under %(limit)s characters.") % {"limit": MAX_NEED}, field="need"
        )
    if len(place) > 200:
        raise ActionError(gettext("Keep the place under 200 characters."), field="place")
    listing = Listing.objects.filter(organization=provider, active=True).first()
    if listing is None or provider.kind not in PARTNER_KINDS:
        raise ActionError(
            gettext("%(name)s is not in the partner directory.") % {"name": provider.name},
            field="provider",
        )
    if customer.pk != referrer.pk and not (
        referrer.is_company_staff or referrer.role == Member.Role.PARTNER
    ):
        raise ActionError(
            gettext("Only staff and partners can refer someone else; refer yourself."),
            field="customer",
            status=403,
        )
    if not customer.is_active:
        raise ActionError(
            gettext("That member has left the community."), field="customer", status=404
        )
    if provider.pk in (customer.organization_id, referrer.organization_id):
        raise ActionError(
            gettext("%(name)s is your own organization: refer to another provider.")
            % {"name": provider.name},
            field="provider",
        )
    if Referral.objects.filter(
        customer=customer, provider=provider, status__in=[S.PENDING, S.ACCEPTED]
    ).exists():
        raise ActionError(
            gettext("%(customer)s already has an open referral to %(provider)s.")
            % {"customer": customer.name, "provider": provider.name},
            status=409,
        )
    refuse_past_daily_cap(
        Referral.objects.filter(referrer=referrer),
        "created_at",
        limit=DAILY_REFERRALS,
        message=gettext("That is enough referrals for today."),
    )
    return do_refer(
        referrer,
        customer=customer,
        provider=provider,
        need=need,
        place=place.strip(),
        category=listing.category,
    )


@transaction.atomic
def do_refer(
    referrer: Member,
    *,
    customer: Member,
    provider: Organization,
    need: str,
    place: str = "",
    category: Category | None = None,
) -> Referral:
    referral = Referral.objects.create(
        referrer=referrer,
        customer=customer,
        provider=provider,
        category=category,
        need=need,
        place=place,
        created_at=timezone.now(),
    )
    said = {
        "referrer": referrer.name,
        "customer": customer.name,
        "provider": provider.name,
        "need": need[:120],
    }
    if referrer.pk == customer.pk:
        to_provider = gettext_noop("%(customer)s asked %(provider)s for: %(need)s")
    else:
        to_provider = gettext_noop("%(referrer)s referred %(customer)s to %(provider)s: %(need)s")
    _notify(
        provider_people(provider.pk), referral, "created", referrer, Sentence(to_provider, said)
    )
    if referrer.pk != customer.pk:
        _notify(
            [customer.pk],
            referral,
            "created",
            referrer,
            Sentence(gettext_noop("%(referrer)s referred you to %(provider)s"), said),
        )
    publish(ReferralCreated(referral_id=referral.pk))
    return referral


def check_answer_referral(
    member: Member, referral: Referral, *, accept: bool, note: str = ""
) -> Referral:
    """The provider accepts or declines a referral, once."""
    if not is_provider(member, referral):
        raise ActionError(
            gettext("Only %(name)s can accept or decline this referral.")
            % {"name": referral.provider.name},
            status=403,
        )
    if referral.status != S.PENDING:
        raise ActionError(
            gettext("This referral was already answered (%(status)s).")
            % {"status": referral.get_status_display()},
            status=409,
        )
    if len(note) > 500:
        raise ActionError(gettext("Keep the note under 500 characters."), field="note")
    return do_answer_referral(member, referral, accept=accept, note=note.strip())


@transaction.atomic
def do_answer_referral(
    member: Member, referral: Referral, *, accept: bool, note: str = ""
) -> Referral:
    now = timezone.now()
    referral.status = S.ACCEPTED if accept else S.DECLINED
    referral.answered_by = member
    referral.answer_note = note
    referral.answered_at = now
    if not accept:
        referral.closed_at = now
    referral.save(
        update_fields=["status", "answered_by", "answer_note", "answered_at", "closed_at"]
    )
    if accept:
        # The introduction happened: the referrer put their name behind the provider. A
        # customer who found the provider in a bundle referred nobody: they made a request.
        self_found = referral.referrer_id == referral.customer_id
        do_infer(
            RelationshipKind.REQUEST if self_found else RelationshipKind.REFERRAL,
            origin=f"referral:{referral.pk}",
            actor=referral.referrer,
            target=referral.provider,
            occurred_at=now,
            evidence=(
                Sentence(gettext_noop("asked for: %(need)s"), {"need": referral.need[:200]})
                if self_found
                else Sentence(
                    gettext_noop("referred %(name)s for: %(need)s"),
                    {"name": referral.customer.name, "need": referral.need[:200]},
                )
            ),
        )
    verb = "accepted" if accept else "declined"
    if accept:
        answered = gettext_noop("%(provider)s accepted the referral: %(need)s")
    else:
        answered = gettext_noop("%(provider)s declined the referral: %(need)s")
    _notify(
        [referral.customer_id, referral.referrer_id],
        referral,
        verb,
        member,
        Sentence(answered, {"provider": referral.provider.name, "need": referral.need[:120]}),
    )
    publish(ReferralUpdated(referral_id=referral.pk, change=verb))
    return referral


def check_record_outcome(member: Member, referral: Referral, *, completed: bool) -> Referral:
    """The provider or the customer says whether the work was done."""
    if not (is_provider(member, referral) or member.pk == referral.customer_id):
        raise ActionError(
            gettext("Only the provider or the customer can record the outcome."), status=403
        )
    if referral.status == S.PENDING:
        raise ActionError(gettext("The provider has not accepted this referral yet."), status=409)
    if referral.status == S.DECLINED:
        raise ActionError(gettext("A declined referral has no outcome."), status=409)
    if referral.status != S.ACCEPTED:
        raise ActionError(gettext("The outcome of this referral is already recorded."), status=409)
    return do_record_outcome(member, referral, completed=completed)


@transaction.atomic
def do_record_outcome(member: Member, referral: Referral, *, completed: bool) -> Referral:
    now = timezone.now()
    referral.status = S.COMPLETED if completed else S.NOT_COMPLETED
    referral.closed_at = now
    referral.save(update_fields=["status", "closed_at"])
    if completed:
        # A done job is a transaction between the customer and the provider.
        do_infer(
            RelationshipKind.CONTRACT,
            origin=f"referral:{referral.pk}:completed",
            actor=referral.customer,
            target=referral.provider,
            occurred_at=now,
            evidence=Sentence(
                gettext_noop("work done through a referral: %(need)s"),
                {"need": referral.need[:200]},
            ),
        )
    others = (
        [referral.customer_id]
        if is_provider(member, referral)
        else provider_people(referral.provider_id)
    )
    if completed:
        outcome = gettext_noop("The referral to %(provider)s is marked completed: %(need)s")
    else:
        outcome = gettext_noop("The referral to %(provider)s is marked not completed: %(need)s")
    _notify(
        others,
        referral,
        "outcome",
        member,
        Sentence(outcome, {"provider": referral.provider.name, "need": referral.need[:120]}),
    )
    publish(ReferralUpdated(referral_id=referral.pk, change=referral.status))
    return referral


def check_rate_referral(member: Member, referral: Referral, *, stars: int, words: str) -> Referral:
    """The customer rates the provider, once, after the work is completed."""
    if member.pk != referral.customer_id:
        raise ActionError(gettext("Only the customer can rate this referral."), status=403)
    if referral.rated_at is not None:
        raise ActionError(gettext("You have already rated this referral."), status=409)
    if referral.status != S.COMPLETED:
        raise ActionError(gettext("You can rate a referral once it is completed."), status=409)
    if not 1 <= stars <= 5:
        raise ActionError(gettext("Give 1 to 5 stars."), field="stars")
    if len(words) > MAX_WORDS:
        raise ActionError(
            gettext("Keep it under %(limit)s characters.") % {"limit": MAX_WORDS}, field="words"
        )
    return do_rate_referral(member, referral, stars=stars, words=words.strip())


@transaction.atomic
def do_rate_referral(member: Member, referral: Referral, *, stars: int, words: str) -> Referral:
    now = timezone.now()
    referral.stars = stars
    referral.rating_words = words
    referral.rated_at = now
    referral.save(update_fields=["stars", "rating_words", "rated_at"])
    kind = (
        RelationshipKind.RECOMMEND
        if stars >= 4
        else RelationshipKind.BADMOUTH
        if stars <= 2
        else RelationshipKind.EVALUATE
    )
    do_infer(
        kind,
        origin=f"referral:{referral.pk}:rating",
        actor=member,
        target=referral.provider,
        occurred_at=now,
        evidence=Sentence(
            gettext_noop("rated %(stars)s/5 after a referral: %(words)s"),
            {"stars": stars, "words": words[:200]},
        ),
    )
    _notify(
        provider_people(referral.provider_id),
        referral,
        "rated",
        member,
        Sentence(
            gettext_noop("%(name)s rated your work %(stars)s/5"),
            {"name": member.name, "stars": stars},
        ),
    )
    publish(ReferralRated(referral_id=referral.pk))
    publish(ReferralUpdated(referral_id=referral.pk, change="rated"))
    return referral
