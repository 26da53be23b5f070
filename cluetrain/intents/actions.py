"""Personal requests, offers, the private threads, deals and their ratings.

Views and the API parse their input into plain values and call one `check_*`, which refuses
with ActionError (writing nothing) or hands over to one `do_*`.
"""

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from cluetrain.core.errors import ActionError
from cluetrain.core.events import publish
from cluetrain.core.ratelimit import refuse_past_daily_cap
from cluetrain.core.sentences import Sentence
from cluetrain.core.tasks import enqueue_on_commit
from cluetrain.intents import tasks
from cluetrain.intents.access import notice_key, vendor_of, vendor_people, visible_to_vendor
from cluetrain.intents.events import DealRated, IntentPosted, OfferAccepted, OfferMade
from cluetrain.intents.models import Deal, DealRating, Intent, IntentMessage, Match, Offer
from cluetrain.intents.notices import do_forget_notices
from cluetrain.members.models import Member
from cluetrain.moderation.events import ContributionDecided
from cluetrain.moderation.models import Screening
from cluetrain.moderation.screening import do_screen_subject, forget_held_subject
from cluetrain.notifications.actions import do_notify
from cluetrain.notifications.models import Notification
from cluetrain.organizations.models import Organization
from cluetrain.relationships.actions import do_infer
from cluetrain.relationships.models import RelationshipKind
from cluetrain_analytics.places import geocode

K = RelationshipKind
MAX_OPEN_DAYS = 60
MAX_OFFER_DAYS = 90
MAX_MUST_HAVES = 10
#: Requests one customer may post a day.
DAILY_REQUESTS = 10
MAX_PRICE = Decimal("1000000000")


@dataclass
class IntentData:
    """A request as the customer describes it (parsed from a form or JSON)."""

    title: str
    category: str
    description: str = ""
    place: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    budget_min: Decimal | None = None
    budget_max: Decimal | None = None
    currency: str = "USD"
    must_haves: list[str] = field(default_factory=list)
    open_days: int = 14
    disclose: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, intent: Intent) -> "IntentData":
        """The request as it stands: what a partial edit (the API's PATCH) starts from."""
        return cls(
            title=intent.title,
            category=intent.category,
            description=intent.description,
            place=intent.place,
            starts_on=intent.starts_on,
            ends_on=intent.ends_on,
            budget_min=intent.budget_min,
            budget_max=intent.budget_max,
            currency=intent.currency,
            must_haves=list(intent.must_haves),
            open_days=max(1, (intent.open_until - intent.created_at).days),
            disclose=list(intent.disclosed),
        )


def pseudonym_for(member: Member) -> str:
    """The name vendors know a customer by: the same on every request, and not their name."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"intents:{member.pk}".encode(), hashlib.sha256
    ).hexdigest()
    return f"Customer {digest[:6].upper()}"


def _validated(data: IntentData) -> tuple[IntentData, tuple[str, float, float] | None]:
    data.title, data.category = data.title.strip(), data.category.strip()
    if not 3 <= len(data.title) <= 120:
        raise ActionError(gettext("Say what you want in 3 to 120 characters."), field="title")
    if not 1 <= len(data.category) <= 100:
        raise ActionError(gettext("Choose a category (up to 100 characters)."), field="category")
    if len(data.description) > 4000:
        raise ActionError(
            gettext("Keep the description under 4000 characters."), field="description"
        )
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        raise ActionError(gettext("The last date comes before the first."), field="ends_on")
    if data.starts_on and data.starts_on < timezone.localdate():
        raise ActionError(gettext("The first date is in the past."), field="starts_on")
    for name, value in (("budget_min", data.budget_min), ("budget_max", data.budget_max)):
        if value is not None and not 0 <= value <= MAX_PRICE:
            raise ActionError(gettext("A budget is a sum from 0 up."), field=name)
    low, high = data.budget_min, data.budget_max
    if low is not None and high is not None and high < low:
        raise ActionError(gettext("The budget's top is below its bottom."), field="budget_max")
    if len(data.currency) != 3 or not data.currency.isalpha():
        raise ActionError(
            gettext("A currency is a three-letter code (USD, EUR)."), field="currency"
        )
    data.currency = data.currency.upper()
    data.must_haves = [m.strip() for m in data.must_haves if m.strip()]
    if len(data.must_haves) > MAX_MUST_HAVES or any(len(m) > 100 for m in data.must_haves):
        raise ActionError(
            gettext("Up to 10 must-haves of 100 characters each."), field="must_haves"
        )
    if not 1 <= data.open_days <= MAX_OPEN_DAYS:
        raise ActionError(
            gettext("Keep it open 1 to %(max)s days.") % {"max": MAX_OPEN_DAYS}, field="open_days"
        )
    unknown = set(data.disclose) - set(Intent.DISCLOSABLE)
    if unknown:
        allowed = ", ".join(Intent.DISCLOSABLE)
        raise ActionError(
            gettext("You can disclose only: %(allowed)s.") % {"allowed": allowed}, field="disclose"
        )
    point = None
    data.place = data.place.strip()
    if data.place:
        found = geocode(data.place)
        if found is None:
            raise ActionError(
                gettext(
                    "We could not find that place: name a city, e.g. “Boston” or “Portland, OR”."
                ),
                field="place",
            )
        point = (found.name, found.latitude, found.longitude)
    return data, point


def _apply(intent: Intent, data: IntentData, point: tuple[str, float, float] | None) -> None:
    intent.title, intent.category, intent.description = data.title, data.category, data.description
    intent.place = data.place
    intent.place_name, intent.latitude, intent.longitude = point or ("", None, None)
    intent.starts_on, intent.ends_on = data.starts_on, data.ends_on
    intent.budget_min, intent.budget_max = data.budget_min, data.budget_max
    intent.currency, intent.must_haves = data.currency, data.must_haves
    intent.disclosed = [d for d in Intent.DISCLOSABLE if d in data.disclose]
    intent.open_until = intent.created_at + timedelta(days=data.open_days)


def check_post_intent(customer: Member, data: IntentData) -> Intent:
    data, point = _validated(data)
    refuse_past_daily_cap(
        Intent.objects.filter(customer=customer),
        "created_at",
        limit=DAILY_REQUESTS,
        message=gettext("That is enough requests for today."),
    )
    return do_post_intent(customer, data, point)


def do_post_intent(
    customer: Member, data: IntentData, point: tuple[str, float, float] | None
) -> Intent:
    now = timezone.now()
    intent = Intent(customer=customer, pseudonym=pseudonym_for(customer), created_at=now)
    intent.updated_at = now
    _apply(intent, data, point)
    with transaction.atomic():
        intent.save()
        if not do_screen_intent(intent):
            enqueue_on_commit(tasks.match_intent, intent.pk)
            publish(IntentPosted(intent_id=intent.pk))
    return intent


def do_screen_intent(intent: Intent) -> bool:
    """The spam filter reads the request as vendors would; True when it holds it: then no
    vendor is sent it, and the vendors it was sent before no longer see it, until a moderator
    approves it (`on_contribution_decided`)."""
    fields = {
        "title": intent.title,
        "description": intent.description,
        "must_haves": ", ".join(intent.must_haves),
    }
    screening = do_screen_subject(intent.customer, Screening.Kind.REQUEST, intent.pk, fields)
    held = screening is not None and screening.held
    moderation = Intent.Moderation.HELD if held else Intent.Moderation.PASSED
    if intent.moderation != moderation:
        Intent.objects.filter(pk=intent.pk).update(moderation=moderation)
        intent.moderation = moderation
    return held


def on_contribution_decided(event: ContributionDecided) -> None:
    """A moderator decided on a held request (subscribed in IntentsConfig.ready(), inside the
    decision's transaction): approved, it is matched now; rejected, it stays from vendors."""
    screening = Screening.objects.filter(pk=event.screening_id, kind=Screening.Kind.REQUEST).first()
    if screening is None or screening.subject_id is None:
        return
    intent = (
        Intent.objects.select_related("customer")
        .filter(pk=screening.subject_id, moderation=Intent.Moderation.HELD)
        .first()
    )
    if intent is not None:
        do_decide_intent(intent, screening, approved=event.approved)


def do_decide_intent(intent: Intent, screening: Screening, *, approved: bool) -> Intent:
    moderation = Intent.Moderation.PASSED if approved else Intent.Moderation.REJECTED
    Intent.objects.filter(pk=intent.pk).update(moderation=moderation)
    intent.moderation = moderation
    if approved:
        enqueue_on_commit(tasks.match_intent, intent.pk)
        announced = (
            Screening.objects.filter(
                kind=Screening.Kind.REQUEST,
                subject_id=intent.pk,
                status__in=[Screening.Status.PASSED, Screening.Status.APPROVED],
            )
            .exclude(pk=screening.pk)
            .exists()
        )
        if not announced:  # held as it was posted: `request.posted` goes out now
            publish(IntentPosted(intent_id=intent.pk))
        said = gettext_noop(
            "A moderator approved your request “%(title)s”: it goes to vendors now."
        )
    else:
        said = gettext_noop(
            "A moderator found your request “%(title)s” to be spam: it is not sent to vendors."
        )
    do_notify(
        recipient_id=intent.customer_id,
        kind=Notification.Kind.REQUEST,
        dedupe_key=notice_key(intent.pk, "moderated", screening.pk),
        sentence=Sentence(said, {"title": intent.title}),
    )
    return intent


EDITABLE = (Intent.Status.OPEN, Intent.Status.PAUSED)


def check_edit_intent(customer: Member, intent: Intent, data: IntentData) -> Intent:
    if intent.customer_id != customer.pk:
        raise ActionError(gettext("Only the customer who posted it can edit it."), status=403)
    if intent.status not in EDITABLE:
        raise _request_is(intent)
    if intent.moderation == Intent.Moderation.REJECTED:
        raise ActionError(gettext("A moderator rejected this request as spam."), status=409)
    data, point = _validated(data)
    return do_edit_intent(intent, data, point)


def do_edit_intent(
    intent: Intent, data: IntentData, point: tuple[str, float, float] | None
) -> Intent:
    _apply(intent, data, point)
    intent.updated_at = timezone.now()
    with transaction.atomic():
        intent.save()
        # Read again by the spam filter; new words may fit new vendors (those already sent
        # it keep it).
        if not do_screen_intent(intent):
            enqueue_on_commit(tasks.match_intent, intent.pk)
    return intent


STATUS_ACTIONS = {
    "pause": ((Intent.Status.OPEN,), Intent.Status.PAUSED),
    "resume": ((Intent.Status.PAUSED,), Intent.Status.OPEN),
    "withdraw": ((Intent.Status.OPEN, Intent.Status.PAUSED), Intent.Status.WITHDRAWN),
}


def check_set_status(customer: Member, intent: Intent, action: str) -> Intent:
    """Pause (no new offers), resume, or withdraw (gone from every vendor's view)."""
    if intent.customer_id != customer.pk:
        raise ActionError(gettext("Only the customer who posted it can change it."), status=403)
    if action not in STATUS_ACTIONS:
        raise ActionError(gettext("Choose pause, resume or withdraw."), field="action")
    allowed_from, _ = STATUS_ACTIONS[action]
    if intent.status not in allowed_from:
        cannot = {
            "pause": gettext("A request that is %(status)s cannot pause."),
            "resume": gettext("A request that is %(status)s cannot resume."),
            "withdraw": gettext("A request that is %(status)s cannot withdraw."),
        }[action]
        raise ActionError(
            cannot % {"status": intent.get_status_display().lower()},
            status=409,
        )
    return do_set_status(intent, action)


def do_set_status(intent: Intent, action: str) -> Intent:
    allowed_from, to = STATUS_ACTIONS[action]
    now = timezone.now()
    with transaction.atomic():
        changed = Intent.objects.filter(pk=intent.pk, status__in=allowed_from).update(
            status=to, updated_at=now
        )
        if not changed:
            raise ActionError(gettext("The request changed meanwhile; reload it."), status=409)
        if to == Intent.Status.WITHDRAWN:
            intent.offers.filter(status=Offer.Status.OPEN).update(status=Offer.Status.NOT_CHOSEN)
            # Gone from vendors' notifications too: their notices named it.
            do_forget_notices(intent, vendors_only=True)
            forget_held_subject(Screening.Kind.REQUEST, intent.pk)
    intent.status, intent.updated_at = to, now
    return intent


def check_delete_intent(customer: Member, intent: Intent) -> None:
    if intent.customer_id != customer.pk:
        raise ActionError(gettext("Only the customer who posted it can delete it."), status=403)
    do_delete_intent(intent)


def do_delete_intent(intent: Intent) -> None:
    # Offers, matches and threads go with it; an accepted deal stays, anonymised.
    with transaction.atomic():
        do_forget_notices(intent)
        forget_held_subject(Screening.Kind.REQUEST, intent.pk)
        intent.delete()


def _request_is(intent: Intent) -> ActionError:
    return ActionError(
        gettext("This request is %(status)s.") % {"status": intent.get_status_display().lower()},
        status=409,
    )


def _offer_is(offer: Offer) -> ActionError:
    return ActionError(
        gettext("This offer is %(status)s.") % {"status": offer.get_status_display().lower()},
        status=409,
    )


def _open_for_offers(intent: Intent) -> None:
    if intent.status != Intent.Status.OPEN:
        raise ActionError(
            gettext("This request is %(status)s: it takes no offers.")
            % {"status": intent.get_status_display().lower()},
            status=409,
        )
    if intent.open_until <= timezone.now():
        raise ActionError(gettext("This request is no longer open."), status=409)


def check_make_offer(
    author: Member,
    intent: Intent,
    *,
    price: Decimal,
    expires_at: datetime,
    terms: str = "",
    message: str = "",
) -> Offer:
    org = vendor_of(author)
    if org is None or not visible_to_vendor(org).filter(pk=intent.pk).exists():
        raise ActionError(
            gettext("Only vendors this request was sent to can answer it."), status=403
        )
    _open_for_offers(intent)
    if not Decimal(0) < price <= MAX_PRICE:
        raise ActionError(gettext("A price is a positive sum."), field="price")
    now = timezone.now()
    if not now < expires_at <= now + timedelta(days=MAX_OFFER_DAYS):
        raise ActionError(
            gettext("An offer expires in the future, within %(max)s days.")
            % {"max": MAX_OFFER_DAYS},
            field="expires_at",
        )
    if len(terms) > 2000 or len(message) > 2000:
        raise ActionError(gettext("Keep the terms and the message under 2000 characters each."))
    if Offer.objects.filter(intent=intent, organization=org).exists():
        raise ActionError(
            gettext("%(name)s has already made an offer on this request.") % {"name": org.name},
            status=409,
        )
    return do_make_offer(author, org, intent, price, expires_at, terms, message)


def do_make_offer(
    author: Member,
    org: Organization,
    intent: Intent,
    price: Decimal,
    expires_at: datetime,
    terms: str,
    message: str,
) -> Offer:
    with transaction.atomic():
        offer = Offer.objects.create(
            intent=intent,
            organization=org,
            author=author,
            price=price,
            terms=terms,
            message=message,
            expires_at=expires_at,
            created_at=timezone.now(),
        )
        do_notify(
            recipient_id=intent.customer_id,
            kind=Notification.Kind.REQUEST,
            dedupe_key=notice_key(intent.pk, "offer", offer.pk),
            sentence=Sentence(
                gettext_noop("%(vendor)s made an offer on your request “%(title)s”"),
                {"vendor": org.name, "title": intent.title},
            ),
        )
        publish(OfferMade(offer_id=offer.pk))
    return offer


def check_withdraw_offer(author: Member, offer: Offer) -> Offer:
    if vendor_of(author) is None or offer.organization_id != author.organization_id:
        raise ActionError(gettext("Only the vendor who made it can withdraw it."), status=403)
    if offer.status != Offer.Status.OPEN:
        raise _offer_is(offer)
    return do_withdraw_offer(offer)


def do_withdraw_offer(offer: Offer) -> Offer:
    Offer.objects.filter(pk=offer.pk).update(status=Offer.Status.WITHDRAWN)
    offer.status = Offer.Status.WITHDRAWN
    return offer


def check_send_message(
    author: Member, intent: Intent, body: str, *, vendor: Organization | None = None
) -> IntentMessage:
    """A question or an answer in the private thread between the customer and one vendor.

    The customer names the vendor; a vendor's member writes to the customer of a request
    matched to their organization.
    """
    body = body.strip()
    if not 1 <= len(body) <= 2000:
        raise ActionError(gettext("Write a message of up to 2000 characters."), field="body")
    if intent.customer_id == author.pk:
        if vendor is None or not Match.objects.filter(intent=intent, organization=vendor).exists():
            raise ActionError(gettext("Choose a vendor this request was sent to."), field="vendor")
        org, from_customer = vendor, True
    else:
        mine = vendor_of(author)
        if mine is None or not visible_to_vendor(mine).filter(pk=intent.pk).exists():
            raise ActionError(
                gettext("Only vendors this request was sent to can write here."), status=403
            )
        org, from_customer = mine, False
    if intent.status == Intent.Status.WITHDRAWN:
        raise ActionError(gettext("This request was withdrawn."), status=409)
    return do_send_message(author, intent, org, body, from_customer=from_customer)


def do_send_message(
    author: Member, intent: Intent, org: Organization, body: str, *, from_customer: bool
) -> IntentMessage:
    return IntentMessage.objects.create(
        intent=intent,
        organization=org,
        author=author,
        from_customer=from_customer,
        body=body,
        created_at=timezone.now(),
    )


def check_accept_offer(customer: Member, offer: Offer) -> Deal:
    intent = offer.intent
    if intent.customer_id != customer.pk:
        raise ActionError(
            gettext("Only the customer who posted the request can accept."), status=403
        )
    if intent.status not in EDITABLE:
        raise _request_is(intent)
    if offer.status != Offer.Status.OPEN:
        raise _offer_is(offer)
    if offer.expires_at <= timezone.now():
        raise ActionError(gettext("This offer has expired."), status=409)
    return do_accept_offer(offer)


def do_accept_offer(offer: Offer) -> Deal:
    intent, org = offer.intent, offer.organization
    customer = intent.customer
    now = timezone.now()
    with transaction.atomic():
        # One conditional UPDATE: of two acceptances racing, exactly one closes the request.
        if not Intent.objects.filter(pk=intent.pk, status__in=EDITABLE).update(
            status=Intent.Status.CLOSED, updated_at=now
        ):
            raise ActionError(gettext("This request was closed meanwhile."), status=409)
        intent.status = Intent.Status.CLOSED
        Offer.objects.filter(pk=offer.pk).update(status=Offer.Status.ACCEPTED)
        offer.status = Offer.Status.ACCEPTED
        others = list(
            intent.offers.exclude(pk=offer.pk)
            .filter(status=Offer.Status.OPEN)
            .values_list("organization_id", flat=True)
        )
        intent.offers.filter(organization_id__in=others).update(status=Offer.Status.NOT_CHOSEN)
        repeat = Deal.objects.filter(customer=customer, organization=org).exists()
        deal = Deal.objects.create(
            intent=intent,
            offer=offer,
            customer=customer,
            organization=org,
            category=intent.category,
            price=offer.price,
            currency=intent.currency,
            accepted_at=now,
        )
        not_chosen = Sentence(
            gettext_noop(
                "Thank you for your offer on “%(title)s”. The customer has chosen another offer "
                "this time; the request is now closed."
            ),
            {"title": intent.title},
        )
        for org_id in others:
            for member_id in vendor_people(org_id):
                do_notify(
                    recipient_id=member_id,
                    kind=Notification.Kind.REQUEST,
                    dedupe_key=notice_key(intent.pk, "closed", org_id),
                    sentence=not_chosen,
                )
        accepted = Sentence(
            gettext_noop("%(customer)s accepted your offer on “%(title)s”"),
            {"customer": customer.name, "title": intent.title},
        )
        for member_id in vendor_people(org.pk):
            do_notify(
                recipient_id=member_id,
                kind=Notification.Kind.REQUEST,
                dedupe_key=notice_key(intent.pk, "accepted"),
                sentence=accepted,
            )
        origin = f"intent-deal:{deal.pk}"
        price = f"{offer.price} {intent.currency}"
        asked = Sentence(gettext_noop("asked for this in a personal request"))
        paid = Sentence(gettext_noop("accepted an offer of %(price)s"), {"price": price})
        infer: list[tuple[str, Member, Member | Organization, Sentence]] = [
            (K.REQUEST, customer, org, asked),
            (K.PAYMENT, customer, org, paid),
        ]
        if offer.author is not None and offer.author.is_active:
            answered = Sentence(gettext_noop("answered a personal request"))
            infer.append((K.RESPOND, offer.author, customer, answered))
        if repeat:
            again = Sentence(gettext_noop("accepted another offer"))
            infer.append((K.REPEAT_PATRONAGE, customer, org, again))
        for kind, actor, target, evidence in infer:
            do_infer(
                kind, origin=origin, actor=actor, target=target, occurred_at=now, evidence=evidence
            )
        publish(OfferAccepted(deal_id=deal.pk))
    return deal


def deal_side(member: Member, deal: Deal) -> str | None:
    """Which side of `deal` `member` rates for, if any."""
    if deal.customer_id is not None and deal.customer_id == member.pk:
        return DealRating.Side.CUSTOMER
    org = vendor_of(member)
    if org is not None and org.pk == deal.organization_id:
        return DealRating.Side.VENDOR
    return None


def check_rate_deal(rater: Member, intent: Intent, *, stars: int, words: str = "") -> DealRating:
    deal = Deal.objects.filter(intent=intent).select_related("customer").first()
    if deal is None:
        raise ActionError(gettext("You can rate only after an offer is accepted."), status=409)
    side = deal_side(rater, deal)
    if side is None:
        raise ActionError(gettext("Only the two sides of the deal rate it."), status=403)
    if deal.customer is None or not deal.customer.is_active:
        raise ActionError(gettext("The customer has left the community."), status=409)
    if not 1 <= stars <= 5:
        raise ActionError(gettext("Give 1 to 5 stars."), field="stars")
    if len(words) > 500:
        raise ActionError(gettext("Keep it under 500 characters."), field="words")
    if DealRating.objects.filter(deal=deal, side=side).exists():
        raise ActionError(gettext("This side of the deal has already been rated."), status=409)
    return do_rate_deal(rater, deal, side, stars, words.strip())


def do_rate_deal(rater: Member, deal: Deal, side: str, stars: int, words: str) -> DealRating:
    now = timezone.now()
    with transaction.atomic():
        rating = DealRating.objects.create(
            deal=deal, side=side, rater=rater, stars=stars, words=words, created_at=now
        )
        kind = K.RECOMMEND if stars >= 4 else K.REBUFF if stars <= 2 else None
        if kind is not None:
            customer = deal.customer
            assert customer is not None
            target: Member | Organization = (
                deal.organization if side == DealRating.Side.CUSTOMER else customer
            )
            do_infer(
                kind,
                origin=f"intent-rating:{rating.pk}",
                actor=rater,
                target=target,
                occurred_at=now,
                evidence=Sentence(gettext_noop("rated a deal %(stars)s of 5"), {"stars": stars}),
            )
        publish(DealRated(rating_id=rating.pk))
    return rating
