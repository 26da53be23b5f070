"""A planted complaint cascade, so the demo community shows an alert caught early.

`plant_complaint_cascade()` writes, through the normal `do_*` actions, a customer's angry post
about a product problem and a burst of replies from other customers in its first minutes,
then reads them (listening), updates the cascade and checks alerts, exactly as the `listen`
task does after real messages. Call it after the demo's first `listen` and after
`cluetrain influence`: the complaint then comes from the most heard customers.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from cluetrain.influence.alerts import do_raise_alerts
from cluetrain.influence.cascades import track_cascades
from cluetrain.influence.models import Alert, InfluenceScore
from cluetrain.listening.enrichment import enrich_pending
from cluetrain.listening.rollup import roll_up
from cluetrain.members.models import Member
from cluetrain.organizations.models import Product
from cluetrain.spaces.models import Space
from cluetrain.threads.actions import do_create_thread, do_reply
from cluetrain.threads.models import Thread

OPENING = (
    "My {product} died after last night's firmware update. No lights, the app can't find it, "
    "nothing works. Furious: support has not answered in two days. Is anyone else bricked?"
)
#: (minutes after the opening post, index of the replier, index of the post replied to, text)
BURST = [
    (1.0, 1, 0, "Same here, mine is dead since the update too. Terrible."),
    (1.5, 2, 0, "Mine as well. Factory reset does nothing. This is a disaster."),
    (2.0, 3, 1, "Ours too, three of them. Awful, the whole house is offline."),
    (2.5, 0, 2, "Thanks, so it is the update. Really angry about this."),
    (3.0, 4, 0, "Bricked here as well after updating. Worst update ever."),
    (3.5, 5, 3, "Same problem, both hubs died. I want a refund."),
    (4.0, 2, 5, "No answer from support for me either. Unacceptable."),
    (4.5, 6, 0, "Mine died too. Cancelling if this is not fixed today."),
    (5.0, 3, 4, "Still dead. Angry customers everywhere on this one."),
]
MINUTES_AGO = 6


def _space() -> Space:
    space = (
        Space.objects.filter(kind=Space.Kind.FORUM, visibility=Space.Visibility.PUBLIC)
        .order_by("pk")
        .first()
    )
    if space is None:
        raise ValueError("the community needs a public forum space to plant a cascade in")
    return space


def _customers(count: int) -> list[Member]:
    """Customers, the most heard first when influence has been computed: a known voice."""
    heard = Subquery(
        InfluenceScore.objects.filter(member=OuterRef("pk"), topic__isnull=True).values("rank")[:1]
    )
    customers: list[Member] = list(
        Member.objects.filter(role=Member.Role.CUSTOMER, is_active=True)
        .annotate(heard_rank=heard)
        .order_by(F("heard_rank").asc(nulls_last=True), "pk")[:count]
    )
    if len(customers) < count:
        raise ValueError(f"the community needs {count} customers to plant a cascade")
    return customers


def plant_complaint_cascade() -> tuple[Thread, Alert | None]:
    """Plant the cascade and return its thread and the alert it raised (None if none)."""
    people = _customers(1 + max(row[1] for row in BURST))
    product = Product.objects.order_by("pk").values_list("name", flat=True).first() or "hub"
    start = timezone.now() - timedelta(minutes=MINUTES_AGO)
    with transaction.atomic():
        thread = do_create_thread(
            people[0],
            _space(),
            title=f"{product} dead after the firmware update",
            body_md=OPENING.format(product=product),
            kind=Thread.Kind.DISCUSSION,
            created_at=start,
        )
        posts = [thread.posts.get()]
        for minutes, replier, parent, text in BURST:
            posts.append(
                do_reply(
                    people[replier],
                    thread,
                    body_md=text,
                    parent=posts[parent],
                    created_at=start + timedelta(minutes=minutes),
                )
            )
    # What `listen` does after new messages: read them, roll up, track, alert.
    if enrich_pending():
        roll_up()
    raised = do_raise_alerts(track_cascades([thread.pk]))
    alert = raised[0] if raised else Alert.objects.filter(cascade__thread=thread).first()
    return thread, alert
