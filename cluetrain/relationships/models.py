"""Relationship signals between two parties, typed after the ProjectVRM list (see MISSION.md).

Each event is one expression ("recommends", "badmouths", "vouches for") with a polarity and a
weight; a relationship's strength and sign are rolled up from its events.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cluetrain.core.sentences import Sentence
from cluetrain.organizations.models import Organization, Product
from cluetrain.sources.models import ExternalIdentity, Source


class RelationshipKind(models.TextChoices):
    IMPLICATIONS_FOR_FUTURE = "implications_for_future", _("Implications for the future")
    EXPECTATIONS = "expectations", _("Expectations")
    RECOGNITION = "recognition", _("Recognition")
    SUBSCRIPTION = "subscription", _("Subscription")
    PAYMENT = "payment", _("Payment")
    TIPPING = "tipping", _("Tipping")
    GENEALOGY = "genealogy", _("Genealogy")
    HATE_SITE = "hate_site", _("Hate site")
    STRONG_FEELINGS = "strong_feelings", _("Strong feelings")
    RECOMMEND = "recommend", _("Recommend")
    CONTRACT = "contract", _("Contract")
    EMPLOYMENT = "employment", _("Employment")
    ASK_ADVICE = "ask_advice", _("Ask advice")
    VULNERABILITY = "vulnerability", _("Vulnerability (trust)")
    BLACKLIST = "blacklist", _("Blacklist")
    CONVERSATION = "conversation", _("Conversation")
    STALKING = "stalking", _("Stalking")
    REPEAT_PATRONAGE = "repeat_patronage", _("Repeat patronage")
    BADMOUTH = "badmouth", _("Badmouth")
    RELIANCE = "reliance", _("Reliance")
    FEDERATION = "federation", _("Federation")
    REFERRAL = "referral", _("Referral / introduction")
    SPONSOR = "sponsor", _("Sponsor")
    INVITE = "invite", _("Invite")
    REBUFF = "rebuff", _("Rebuff")
    EVALUATE = "evaluate", _("Evaluate")
    PUBLIC_DISPLAY = "public_display", _("Hug / public display")
    ADVOCATE = "advocate", _("Advocate")
    COMMENTING = "commenting", _("Commenting")
    GIVE_GIFTS = "give_gifts", _("Give gifts")
    FIND = "find", _("Find")
    RESPOND = "respond", _("Respond")
    KEEP_APPRISED = "keep_apprised", _("Keep apprised")
    REQUEST = "request", _("Request")
    EXTEND_CREDIT = "extend_credit", _("Extend credit")
    SUPPORT = "support", _("Support")
    VOUCH = "vouch", _("Vouch")
    SHARED_EXPERIENCE = "shared_experience", _("Shared experience")
    HAVING_COFFEE = "having_coffee", _("Having coffee")
    CONFERENCES = "conferences", _("Conferences")


class RelationshipEvent(models.Model):
    class Polarity(models.IntegerChoices):
        NEGATIVE = -1, _("Negative")
        NEUTRAL = 0, _("Neutral")
        POSITIVE = 1, _("Positive")

    actor_member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    actor_external = models.ForeignKey(
        ExternalIdentity, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=30, choices=RelationshipKind.choices)
    polarity = models.SmallIntegerField(choices=Polarity.choices)
    weight = models.FloatField(default=1.0)
    occurred_at = models.DateTimeField()
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")
    # The message that expressed it, when there is one: evidence a member can see and correct.
    post = models.ForeignKey(
        "threads.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A referral or introduction: the member who was sent to the target.
    about_member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Inferred from what happened (a reply, a review, a message's intent) rather than stated.
    inferred = models.BooleanField(default=False)
    # What an inferred event was read from ("post:12"): with `kind`, it makes inference
    # idempotent and lets a member's correction name it before it is ever written again.
    origin = models.CharField(max_length=80, blank=True)
    # How it was expressed ("replied", "reviewed with 2 of 5 stars") in the site's language:
    # the record, for exports, webhooks and older readers; or, stated, the member's own note
    # (never translated). Never a title: those are read live, so a deleted thread leaves none.
    evidence = models.CharField(max_length=300, blank=True)
    # An inferred event's evidence as a sentence and its values (core.sentences.Sentence), put
    # into words in the reader's language when shown; None for a note and for old records the
    # data migration did not recognise (their `evidence` is shown as written).
    evidence_sentence = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(actor_member__isnull=False)
                | models.Q(actor_external__isnull=False),
                name="relationship_has_actor",
            ),
            models.CheckConstraint(
                condition=models.Q(target_member__isnull=False)
                | models.Q(target_organization__isnull=False)
                | models.Q(target_product__isnull=False),
                name="relationship_has_target",
            ),
            models.UniqueConstraint(
                fields=["origin", "kind"],
                condition=models.Q(inferred=True),
                name="relationship_inferred_once",
            ),
        ]
        indexes = [
            models.Index(fields=["actor_member", "occurred_at"], name="rel_actor_idx"),
            models.Index(fields=["target_member", "occurred_at"], name="rel_target_member_idx"),
            models.Index(fields=["target_organization", "occurred_at"], name="rel_target_org_idx"),
            models.Index(fields=["target_product", "occurred_at"], name="rel_target_product_idx"),
        ]

    def evidence_text(self) -> str:
        """What the event rests on, in the active language: the inferred sentence put into
        words, else the stored text (a member's note, or an old record)."""
        sentence = Sentence.from_json(self.evidence_sentence)
        return sentence.render() if sentence is not None else self.evidence


class RelationshipCorrection(models.Model):
    """A member took back or turned around an inferred event; inference respects it after.

    Keyed by the event's origin and kind, so the event can be recomputed, re-imported or
    rebuilt and the member's word still holds.
    """

    class Action(models.TextChoices):
        REMOVED = "removed", _("Not a relationship")
        POSITIVE = "positive", _("It was positive")
        NEGATIVE = "negative", _("It was negative")
        NEUTRAL = "neutral", _("It was neutral")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="relationship_corrections"
    )
    origin = models.CharField(max_length=80)
    kind = models.CharField(max_length=30, choices=RelationshipKind.choices)
    action = models.CharField(max_length=10, choices=Action.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["origin", "kind"], name="relationship_correction_once")
        ]


class Tie(models.Model):
    """One pair's relationship rolled up from its events (cluetrain_analytics.relationships).

    A member on side A; on side B another member, an organization or a product. Member pairs
    are stored once, lower id on side A. Rebuilt whenever one of the pair's events changes.
    """

    class Nature(models.TextChoices):
        RELATIONSHIP = "relationship", _("Relationship")
        TRANSACTION = "transaction", _("Transaction")
        NONE = "none", _("None")

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    other_member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    strength = models.FloatField()
    #: The decayed weight behind the strength (strength = 1 - exp(-mass / 5)): it keeps
    #: telling heavy ties apart where the strength is within a rounding of 1.
    mass = models.FloatField(default=0.0)
    polarity = models.FloatField()
    nature = models.CharField(max_length=12, choices=Nature.choices)
    positive = models.FloatField()
    negative = models.FloatField()
    cooling = models.BooleanField(default=False)
    turning_negative = models.BooleanField(default=False)
    kinds = models.JSONField(default=dict)
    event_count = models.PositiveIntegerField()
    last_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            *(
                models.UniqueConstraint(
                    fields=["member", side],
                    condition=models.Q(**{f"{side}__isnull": False}),
                    name=f"tie_once_{side}",
                )
                for side in ("other_member", "organization", "product")
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(other_member__isnull=False, organization=None, product=None)
                    | models.Q(other_member=None, organization__isnull=False, product=None)
                    | models.Q(other_member=None, organization=None, product__isnull=False)
                ),
                name="tie_has_one_other_side",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "strength"], name="tie_org_strength_idx"),
            models.Index(fields=["other_member"], name="tie_other_member_idx"),
            models.Index(fields=["product"], name="tie_product_idx"),
        ]
