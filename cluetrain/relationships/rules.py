"""What each happening on the platform says about a relationship: the rules, stated once.

Live inference (`inference.py`) gathers the facts of one happening as it occurs; the backfill
(`backfill.py`) gathers them for the whole history in bulk. Both hand them to the functions
here, so the two paths write the same events with the same origins and cannot drift apart.

| what happened | kind | between |
|---|---|---|
| a reply | respond | replier -> the author replied to |
| a reply to someone who replied to you before | conversation | both ways |
| a staff reply to a customer | support | staff -> customer (the company helps) |
| an accepted answer | ask_advice | asker -> the one who answered |
| a review | evaluate (sign from the stars) | reviewer -> product, vendor or member |
| a second review of one vendor's products | repeat_patronage | reviewer -> vendor |
| a follow | subscription | follower -> followed |
| a trust mark | vulnerability | truster -> trusted |
| an accepted connection | public_display | both |
| a declined connection | rebuff | decliner -> requester |
| a like or a "helpful" | recognition (light) | member -> author |
| a message read as recommending | recommend | author -> product or company |
| a message read as praise | advocate | author -> product or company |
| a negative complaint | badmouth | author -> product or company |
| "I will cancel / switch" | implications_for_future, negative | author -> product or company |
| "I will buy" | implications_for_future, positive | author -> product or company |
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_noop

from cluetrain.core.sentences import Sentence
from cluetrain.members.models import COMPANY_STAFF_ROLES, Connection
from cluetrain.relationships.models import RelationshipEvent
from cluetrain.relationships.models import RelationshipKind as K
from cluetrain_analytics.relationships import KINDS

#: A like counts less than any stated expression: many are given in passing.
REACTION_WEIGHT = 0.3

# The evidence of each rule is a Sentence: an English msgid (gettext_noop) and its values,
# put into words in the reader's language when shown (RelationshipEvent.evidence_text).

CONNECTION_KINDS = {
    Connection.Kind.FOLLOW: (K.SUBSCRIPTION, gettext_noop("followed")),
    Connection.Kind.TRUST: (K.VULNERABILITY, gettext_noop("marked as trusted")),
    Connection.Kind.CONNECT: (K.PUBLIC_DISPLAY, gettext_noop("connected")),
}

#: One sentence per kind of reaction (threads.Reaction.Kind): a test checks none is missing.
REACTION_EVIDENCE = {
    "like": gettext_noop("marked a post as like"),
    "helpful": gettext_noop("marked a post as helpful"),
    "agree": gettext_noop("marked a post as agree"),
    "upvote": gettext_noop("marked a post as upvote"),
    "downvote": gettext_noop("marked a post as downvote"),
}

#: What listening reads in a message, as expressions toward a product or the company.
INTENT_KINDS: dict[str, tuple[str, int | None, str]] = {
    "recommend": (K.RECOMMEND, None, gettext_noop("recommended in a message")),
    "praise": (K.ADVOCATE, None, gettext_noop("praised in a message")),
    "threaten_to_leave": (
        K.IMPLICATIONS_FOR_FUTURE,
        -1,
        gettext_noop("said they would leave in a message"),
    ),
    "intend_to_buy": (
        K.IMPLICATIONS_FOR_FUTURE,
        1,
        gettext_noop("said they would buy in a message"),
    ),
}
COMPLAINED = gettext_noop("complained in a message")


@dataclass(frozen=True, slots=True)
class Inferred:
    """One inferred event, by ids: exactly one of member, organization, product is the target."""

    kind: str
    origin: str
    evidence: Sentence
    occurred_at: datetime
    actor_id: int | None
    member_id: int | None = None
    organization_id: int | None = None
    product_id: int | None = None
    actor_external_id: int | None = None
    post_id: int | None = None
    polarity: int | None = None
    weight: float | None = None

    def event(self, *, polarity: int | None = None) -> RelationshipEvent:
        """The unsaved row; `polarity` overrides the rule's (a member's correction)."""
        spec = KINDS[self.kind]
        if polarity is None:
            polarity = spec.polarity if self.polarity is None else self.polarity
        return RelationshipEvent(
            kind=self.kind,
            origin=self.origin,
            inferred=True,
            actor_member_id=self.actor_id,
            actor_external_id=self.actor_external_id,
            target_member_id=self.member_id,
            target_organization_id=self.organization_id,
            target_product_id=self.product_id,
            post_id=self.post_id,
            polarity=polarity,
            weight=spec.weight if self.weight is None else self.weight,
            occurred_at=self.occurred_at,
            evidence=self.evidence.as_record(),
            evidence_sentence=self.evidence.to_json(),
        )


def stars_sign(stars: int) -> int:
    return 1 if stars >= 4 else -1 if stars <= 2 else 0


def connection_origin(from_id: int, to_id: int, kind: str) -> str:
    return f"connection:{from_id}:{to_id}:{kind}"


def reaction_origin(post_id: int, member_id: int, kind: str) -> str:
    return f"reaction:{post_id}:{member_id}:{kind}"


def reply(
    post_id: int,
    at: datetime,
    *,
    author_id: int,
    author_role: str,
    other_id: int,
    other_role: str,
    replied_before: bool,
) -> list[Inferred]:
    """A visible reply by `author` to a post by `other`; `replied_before`: other did to them."""
    if author_id == other_id:
        return []
    said = [(K.RESPOND, gettext_noop("replied"))]
    if replied_before:
        said.append((K.CONVERSATION, gettext_noop("replied to someone who had replied to them")))
    if author_role in COMPANY_STAFF_ROLES and other_role not in COMPANY_STAFF_ROLES:
        said.append((K.SUPPORT, gettext_noop("answered for the company")))
    return [
        Inferred(kind, f"post:{post_id}", Sentence(words), at, author_id, other_id, post_id=post_id)
        for kind, words in said
    ]


def accepted_answer(
    post_id: int, at: datetime, *, asker_id: int, answerer_id: int
) -> list[Inferred]:
    if asker_id == answerer_id:
        return []
    return [
        Inferred(
            K.ASK_ADVICE,
            origin=f"accepted:{post_id}",
            evidence=Sentence(gettext_noop("accepted the answer")),
            occurred_at=at,
            actor_id=asker_id,
            member_id=answerer_id,
            post_id=post_id,
        )
    ]


def review(
    review_id: int,
    at: datetime,
    *,
    author_id: int,
    stars: int,
    product_id: int | None,
    organization_id: int | None,
    member_id: int | None,
    vendor_id: int | None,
    opening_post_id: int | None,
    earlier_of_vendor: int,
) -> list[Inferred]:
    """A visible review of a product, an organization or a member.

    `vendor_id`: the product's maker or the reviewed organization; `earlier_of_vendor`: how
    many reviews of that vendor (of it or its products) the author wrote before this one.
    """
    if product_id is not None:
        target = {"product_id": product_id}
    elif organization_id is not None:
        target = {"organization_id": organization_id}
    elif member_id is not None and member_id != author_id:
        target = {"member_id": member_id}
    else:
        return []
    found = [
        Inferred(
            K.EVALUATE,
            origin=f"review:{review_id}",
            evidence=Sentence(gettext_noop("reviewed with %(stars)s of 5 stars"), {"stars": stars}),
            occurred_at=at,
            actor_id=author_id,
            post_id=opening_post_id,
            polarity=stars_sign(stars),
            **target,
        )
    ]
    if vendor_id is not None and earlier_of_vendor:
        found.append(
            Inferred(
                K.REPEAT_PATRONAGE,
                origin=f"review:{review_id}:repeat",
                evidence=Sentence.ngettext(
                    "came back: %(count)s review of its products",
                    "came back: %(count)s reviews of its products",
                    earlier_of_vendor + 1,
                ),
                occurred_at=at,
                actor_id=author_id,
                organization_id=vendor_id,
                post_id=opening_post_id,
            )
        )
    return found


def connection(from_id: int, to_id: int, kind: str, status: str, when: datetime) -> list[Inferred]:
    origin = connection_origin(from_id, to_id, kind)
    if status == Connection.Status.DECLINED:
        return [
            Inferred(
                K.REBUFF,
                origin=origin,
                evidence=Sentence(gettext_noop("declined a request to connect")),
                occurred_at=when,
                actor_id=to_id,
                member_id=from_id,
            )
        ]
    if status != Connection.Status.ACCEPTED:
        return []
    relation, words = CONNECTION_KINDS[Connection.Kind(kind)]
    return [Inferred(relation, origin, Sentence(words), when, actor_id=from_id, member_id=to_id)]


def reaction(
    post_id: int, member_id: int, kind: str, *, author_id: int, at: datetime
) -> list[Inferred]:
    if author_id == member_id:
        return []
    return [
        Inferred(
            K.RECOGNITION,
            origin=reaction_origin(post_id, member_id, kind),
            evidence=Sentence(REACTION_EVIDENCE[kind]),
            occurred_at=at,
            actor_id=member_id,
            member_id=author_id,
            post_id=post_id,
            weight=REACTION_WEIGHT,
        )
    ]


def message(
    post_id: int,
    at: datetime,
    *,
    author_id: int | None,
    external_id: int | None,
    intents: Sequence[str],
    sentiment: str,
    product_ids: Sequence[int],
    company_id: int | None,
) -> list[Inferred]:
    """What a customer's visible message, as listening read it, expresses toward the products
    it names, else toward the company. Staff messages are not passed in: the company's own
    voice is not a customer's relationship with it."""
    expressions = [INTENT_KINDS[i] for i in intents if i in INTENT_KINDS]
    if "complain" in intents and sentiment == "negative":
        expressions.append((K.BADMOUTH, None, COMPLAINED))
    targets = [("product", pk) for pk in product_ids] or (
        [("organization", company_id)] if company_id is not None else []
    )
    return [
        Inferred(
            kind,
            origin=f"post:{post_id}:{side}:{pk}",
            evidence=Sentence(words),
            occurred_at=at,
            actor_id=author_id,
            actor_external_id=external_id,
            post_id=post_id,
            polarity=polarity,
            product_id=pk if side == "product" else None,
            organization_id=pk if side == "organization" else None,
        )
        for side, pk in targets
        for kind, polarity, words in expressions
    ]
