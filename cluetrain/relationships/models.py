"""Relationship signals between two parties, typed after the ProjectVRM list (see MISSION.md).

Each event is one expression ("recommends", "badmouths", "vouches for") with a polarity and a
weight; a relationship's strength and sign are rolled up from its events.
"""

from django.conf import settings
from django.db import models

from cluetrain.organizations.models import Organization, Product
from cluetrain.sources.models import ExternalIdentity, Source


class RelationshipKind(models.TextChoices):
    IMPLICATIONS_FOR_FUTURE = "implications_for_future", "Implications for the future"
    EXPECTATIONS = "expectations", "Expectations"
    RECOGNITION = "recognition", "Recognition"
    SUBSCRIPTION = "subscription", "Subscription"
    PAYMENT = "payment", "Payment"
    TIPPING = "tipping", "Tipping"
    GENEALOGY = "genealogy", "Genealogy"
    HATE_SITE = "hate_site", "Hate site"
    STRONG_FEELINGS = "strong_feelings", "Strong feelings"
    RECOMMEND = "recommend", "Recommend"
    CONTRACT = "contract", "Contract"
    EMPLOYMENT = "employment", "Employment"
    ASK_ADVICE = "ask_advice", "Ask advice"
    VULNERABILITY = "vulnerability", "Vulnerability (trust)"
    BLACKLIST = "blacklist", "Blacklist"
    CONVERSATION = "conversation", "Conversation"
    STALKING = "stalking", "Stalking"
    REPEAT_PATRONAGE = "repeat_patronage", "Repeat patronage"
    BADMOUTH = "badmouth", "Badmouth"
    RELIANCE = "reliance", "Reliance"
    FEDERATION = "federation", "Federation"
    REFERRAL = "referral", "Referral / introduction"
    SPONSOR = "sponsor", "Sponsor"
    INVITE = "invite", "Invite"
    REBUFF = "rebuff", "Rebuff"
    EVALUATE = "evaluate", "Evaluate"
    PUBLIC_DISPLAY = "public_display", "Hug / public display"
    ADVOCATE = "advocate", "Advocate"
    COMMENTING = "commenting", "Commenting"
    GIVE_GIFTS = "give_gifts", "Give gifts"
    FIND = "find", "Find"
    RESPOND = "respond", "Respond"
    KEEP_APPRISED = "keep_apprised", "Keep apprised"
    REQUEST = "request", "Request"
    EXTEND_CREDIT = "extend_credit", "Extend credit"
    SUPPORT = "support", "Support"
    VOUCH = "vouch", "Vouch"
    SHARED_EXPERIENCE = "shared_experience", "Shared experience"
    HAVING_COFFEE = "having_coffee", "Having coffee"
    CONFERENCES = "conferences", "Conferences"


class RelationshipEvent(models.Model):
    class Polarity(models.IntegerChoices):
        NEGATIVE = -1, "Negative"
        NEUTRAL = 0, "Neutral"
        POSITIVE = 1, "Positive"

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
        ]
        indexes = [
            models.Index(fields=["actor_member", "occurred_at"], name="rel_actor_idx"),
            models.Index(fields=["target_member", "occurred_at"], name="rel_target_member_idx"),
            models.Index(fields=["target_organization", "occurred_at"], name="rel_target_org_idx"),
        ]
