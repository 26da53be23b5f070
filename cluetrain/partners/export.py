"""What goes when a customer leaves: others keep their referrals (a referrer's introduction, a
provider's inbox), but not the customer's name, which the referral events' evidence and the
notifications about them quote ("Sam referred Ann Lee to Acme: a roof check")."""

from django.db.models import Q

from cluetrain.core.sentences import Sentence
from cluetrain.members.models import Member
from cluetrain.notifications.models import Notification
from cluetrain.partners.models import Referral
from cluetrain.relationships.models import RelationshipEvent


def do_forget_customer(member: Member, *, replacement: str) -> None:
    """Put `replacement` for the member's name wherever their referrals quote it."""
    name = member.name
    ids = list(Referral.objects.filter(customer=member).values_list("pk", flat=True))
    if not ids or not name:
        return
    events = RelationshipEvent.objects.filter(origin__in=[f"referral:{pk}" for pk in ids])
    for event in events:
        sentence = Sentence.from_json(event.evidence_sentence)
        if sentence is not None:
            event.evidence_sentence = sentence.replacing(name, replacement).to_json()
        event.evidence = event.evidence.replace(name, replacement)
        event.save(update_fields=["evidence", "evidence_sentence"])
    quoting = Q()
    for pk in ids:
        quoting |= Q(dedupe_key__startswith=f"referral:{pk}:")
    for notification in Notification.objects.filter(quoting, kind=Notification.Kind.REFERRAL):
        sentence = Sentence.from_json(notification.sentence)
        if sentence is not None:
            notification.sentence = sentence.replacing(name, replacement).to_json()
        notification.text = notification.text.replace(name, replacement)
        notification.save(update_fields=["text", "sentence"])
