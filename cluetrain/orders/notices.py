"""What orders tell people in their notification inbox (Notification.Kind.ORDER).

- A retailer's staff: once a day, how many new orders the retailer may claim (one notice per
  retailer and day, its count raised as orders arrive: `tell_new_offers`).
- At the resolution, in bulk and inside each batch's transaction (`resolved_notices`,
  `write_notices`): the customer (resolved, and who ships), once per order; and once per
  batch, with a count: each winning retailer's staff ("you won 12 orders"), the
  manufacturer's staff for the orders nobody claimed ("you ship them"), and each losing
  retailer's staff, told only how many of its claims were not won (no customer, no winner).
  A batch that rolls back takes its notices with it; a rerun resolves only the orders still
  open, so nothing is told twice.
- The customer again when the order ships and when it is delivered (`tell_step`).

Every notice has a dedupe key, so writing the same one twice writes it once.
"""

import datetime
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

import psycopg
from django.conf import settings
from django.db import connection
from django.db.models import Count, Q
from django.utils.translation import gettext_noop

from cluetrain.core.sentences import Sentence
from cluetrain.core.tasks import enqueue_on_commit
from cluetrain.members.models import COMPANY_STAFF_ROLES, Member
from cluetrain.notifications.actions import do_notify
from cluetrain.notifications.mailing import send_notification_email
from cluetrain.notifications.models import EmailPreference, Frequency, Notification
from cluetrain.orders.models import Offer, Order, Retailer
from cluetrain.organizations.models import Organization

KIND = Notification.Kind.ORDER.value
CHUNK = 5_000


@dataclass(frozen=True)
class Notice:
    recipient: int
    dedupe_key: str
    sentence: Sentence


# Who speaks for whom -----------------------------------------------------------------------


def staff_of_retailers(retailer_ids: Iterable[int] | None = None) -> dict[int, list[int]]:
    """{retailer id: ids of its organization's members}; every retailer when None."""
    query = Member.objects.filter(organization__retailer__isnull=False, is_active=True)
    if retailer_ids is not None:
        query = query.filter(organization__retailer__in=list(retailer_ids))
    staff: dict[int, list[int]] = defaultdict(list)
    for retailer, member in query.values_list("organization__retailer__id", "id").order_by("id"):
        staff[retailer].append(member)
    return staff


def staff_of_makers(maker_ids: Iterable[int]) -> dict[int, list[int]]:
    """{manufacturer id: who acts for it}: its own members; for the company, its staff too."""
    makers = dict(Organization.objects.filter(pk__in=set(maker_ids)).values_list("pk", "kind"))
    staff: dict[int, list[int]] = defaultdict(list)
    own = Member.objects.filter(organization_id__in=list(makers), is_active=True)
    for org, member in own.values_list("organization_id", "id").order_by("id"):
        staff[org].append(member)
    if Organization.Kind.COMPANY in makers.values():
        company_staff = list(
            Member.objects.filter(
                role__in=COMPANY_STAFF_ROLES,
                is_active=True,
            )
            .exclude(organization_id__in=list(makers))
            .order_by("id")
            .values_list("id", flat=True)
        )
        for org, kind in makers.items():
            if kind == Organization.Kind.COMPANY:
                staff[org].extend(company_staff)
    return staff


# Texts: one place, so the set-based writer and the benchmark's loop say the same -----------


def won_text(count: int) -> Sentence:
    return Sentence.ngettext(
        "You won %(count)s order: ship it from your order board.",
        "You won %(count)s orders: ship them from your order board.",
        count,
    )


def to_maker_text(count: int) -> Sentence:
    return Sentence.ngettext(
        "Nobody claimed %(count)s order: you ship it (see your orders).",
        "Nobody claimed %(count)s orders: you ship them (see your orders).",
        count,
    )


def resolved_text(order_id: int, shipper: str | None) -> Sentence:
    if shipper is None:
        return Sentence(
            gettext_noop("Your order #%(order)s is on its way: the manufacturer ships it."),
            {"order": order_id},
        )
    return Sentence(
        gettext_noop("Your order #%(order)s is on its way: %(shop)s ships it."),
        {"order": order_id, "shop": shipper},
    )


def lost_text(count: int) -> Sentence:
    return Sentence.ngettext(
        "%(count)s order you claimed went to another retailer.",
        "%(count)s orders you claimed went to other retailers.",
        count,
    )


def offers_text(count: int) -> Sentence:
    return Sentence.ngettext(
        "%(count)s new order you may claim today: see your order board.",
        "%(count)s new orders you may claim today: see your order board.",
        count,
    )


# The resolution's notices ------------------------------------------------------------------


def resolved_notices(
    resolved: Iterable[tuple[int, int, int | None, int, str]],
    claims: Iterable[tuple[int, int]],
    batch_key: str,
    retailer_staff: dict[int, list[int]],
) -> list[Notice]:
    """The notices of a batch of resolved orders.

    `resolved` holds (order id, winner retailer id or 0 for the manufacturer, customer id,
    manufacturer id, ship-to place); `claims` the (order id, retailer id) of every claim of
    those orders; `batch_key` names the batch in the losers' dedupe keys. Reads the
    manufacturers' staff and the winners' names (two queries)."""
    orders = sorted(resolved)
    winners = {pk: winner for pk, winner, _, _, _ in orders}
    nobody = {maker for _, winner, _, maker, _ in orders if not winner}
    maker_staff = staff_of_makers(nobody) if nobody else {}
    shops = {winner for winner in winners.values() if winner}
    shop_names = dict(
        Retailer.objects.filter(pk__in=list(shops)).values_list("pk", "organization__name")
        if len(shops) < CHUNK
        else Retailer.objects.values_list("pk", "organization__name")
    )
    notices: list[Notice] = []
    for pk, winner, customer, _maker, _ship_to in orders:
        if customer is not None:
            shipper = shop_names.get(winner) if winner else None
            notices.append(Notice(customer, f"order:{pk}:resolved", resolved_text(pk, shipper)))
    # Shippers hear once per batch how many orders are theirs to ship (their board lists them),
    # not once per order: a busy retailer wins hundreds a day.
    won = Counter(winner for _, winner, _, _, _ in orders if winner)
    for retailer, count in sorted(won.items()):
        key = f"orders:won:{batch_key}:{retailer}"
        notices.extend(Notice(m, key, won_text(count)) for m in retailer_staff.get(retailer, ()))
    to_ship = Counter(maker for _, winner, _, maker, _ in orders if not winner)
    for maker, count in sorted(to_ship.items()):
        key = f"orders:ship:{batch_key}:{maker}"
        notices.extend(Notice(m, key, to_maker_text(count)) for m in maker_staff.get(maker, ()))
    lost = Counter(retailer for order, retailer in claims if winners.get(order) != retailer)
    for retailer, count in sorted(lost.items()):
        lost_sentence = lost_text(count)
        key = f"orders:lost:{batch_key}:{retailer}"
        notices.extend(Notice(m, key, lost_sentence) for m in retailer_staff.get(retailer, ()))
    return notices


def write_notices(notices: list[Notice], now: datetime.datetime) -> int:
    """Insert the notices in bulk (a key already taken is skipped), in the caller's
    transaction; the immediate e-mails of those who asked for them are queued on commit.
    Returns how many rows were offered."""
    if not notices:
        return 0
    # A batch says few different things ("you won 3 orders"): each is put into words once.
    said = {
        id(n.sentence): (n.sentence.as_record(), json.dumps(n.sentence.to_json())) for n in notices
    }
    if connection.vendor == "postgresql":
        # Server-side binding: the arrays travel as parameters (Django's cursor would quote
        # every element into the statement's text, which is most of the time at this size).
        connection.ensure_connection()
        raw = cast("psycopg.Connection[Any]", connection.connection)
        with psycopg.Cursor(raw) as cursor:
            for start in range(0, len(notices), 50_000):
                part = notices[start : start + 50_000]
                cursor.execute(
                    "INSERT INTO notifications_notification"
                    " (recipient_id, kind, dedupe_key, text, sentence, created_at)"
                    " SELECT v.recipient, %s, v.dedupe_key, v.text, v.sentence::jsonb, %s"
                    " FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[])"
                    " AS v(recipient, dedupe_key, text, sentence)"
                    " ON CONFLICT (recipient_id, dedupe_key) DO NOTHING",
                    [
                        KIND,
                        now,
                        [n.recipient for n in part],
                        [n.dedupe_key for n in part],
                        [said[id(n.sentence)][0] for n in part],
                        [said[id(n.sentence)][1] for n in part],
                    ],
                )
    else:
        at = connection.ops.adapt_datetimefield_value(now)
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT OR IGNORE INTO notifications_notification"
                " (recipient_id, kind, dedupe_key, text, sentence, created_at)"
                " VALUES (%s, %s, %s, %s, %s, %s)",
                [(n.recipient, KIND, n.dedupe_key, *said[id(n.sentence)], at) for n in notices],
            )
    _email_the_impatient(notices, now)
    return len(notices)


def immediate_recipients(recipients: set[int]) -> set[int]:
    """Those of `recipients` e-mailed at once for each notification (one query, whatever the
    number of recipients)."""
    if settings.NOTIFICATION_EMAIL_DEFAULT == Frequency.IMMEDIATELY:
        others = set(
            EmailPreference.objects.exclude(frequency=Frequency.IMMEDIATELY).values_list(
                "member_id", flat=True
            )
        )
        return recipients - others
    chosen = EmailPreference.objects.filter(frequency=Frequency.IMMEDIATELY)
    return recipients & set(chosen.values_list("member_id", flat=True))


def _email_the_impatient(notices: list[Notice], now: datetime.datetime) -> None:
    impatient = immediate_recipients({n.recipient for n in notices})
    if not impatient:
        return
    keys = [(n.recipient, n.dedupe_key) for n in notices if n.recipient in impatient]
    for start in range(0, len(keys), 400):
        part = keys[start : start + 400]
        match = Q()
        for recipient, key in part:
            match |= Q(recipient_id=recipient, dedupe_key=key)
        # Written now (a key taken before keeps its old time, and its e-mail was queued then).
        for pk in Notification.objects.filter(match, created_at=now, emailed_at=None).values_list(
            "pk", flat=True
        ):
            enqueue_on_commit(send_notification_email, pk)


# New orders on a retailer's board, and the steps after the resolution ---------------------


def tell_new_offers(retailer_ids: list[int], now: datetime.datetime) -> None:
    """The day's notice of each retailer's staff: how many orders offered to it today are
    still open to its claim. One notice per retailer and day; a later order raises the count
    and marks it unread again."""
    if not retailer_ids:
        return
    staff = staff_of_retailers(retailer_ids)
    if not staff:
        return
    day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    day = day_start.date().isoformat()
    counts = dict(
        Offer.objects.filter(
            retailer_id__in=list(staff),
            offered_at__gte=day_start,
            offered_at__lt=day_start + datetime.timedelta(days=1),
            claimed_at=None,
            declined_at=None,
            order__status=Order.Status.OPEN,
        )
        .values("retailer_id")
        .annotate(n=Count("id"))
        .values_list("retailer_id", "n")
    )
    for retailer, members in staff.items():
        count = counts.get(retailer, 0)
        if not count:
            continue
        key = f"orders:new:{retailer}:{day}"
        sentence = offers_text(count)
        said = {"text": sentence.as_record(), "sentence": sentence.to_json()}
        Notification.objects.bulk_create(
            [
                Notification(recipient_id=m, kind=KIND, dedupe_key=key, created_at=now, **said)
                for m in members
            ],
            ignore_conflicts=True,
        )
        Notification.objects.filter(recipient_id__in=members, dedupe_key=key).exclude(
            text=said["text"]
        ).update(read_at=None, created_at=now, **said)


def tell_step(order: Order, status: str, actor_id: int | None) -> None:
    """The customer hears that their order shipped or was delivered (not from themselves)."""
    if order.customer_id is None:
        return
    if status == Order.Status.SHIPPED:
        said = gettext_noop("Your order #%(order)s has shipped.")
    else:
        said = gettext_noop("Your order #%(order)s was delivered.")
    do_notify(
        recipient_id=order.customer_id,
        kind=KIND,
        dedupe_key=f"order:{order.pk}:{status}",
        actor_id=actor_id,
        sentence=Sentence(said, {"order": order.pk}),
    )
