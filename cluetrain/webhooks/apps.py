from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "cluetrain.webhooks"
    label = "webhooks"

    def ready(self) -> None:
        from cluetrain.blogs.events import BlogPostPublished
        from cluetrain.core.events import Phase, subscribe
        from cluetrain.ideas.events import IdeaStatusChanged
        from cluetrain.influence.events import AlertRaised
        from cluetrain.intents.events import IntentPosted, OfferMade
        from cluetrain.jams.events import JamEnded, JamStarted, ThemeChanged
        from cluetrain.members.events import MemberJoined
        from cluetrain.moderation.events import ContributionHeld
        from cluetrain.orders.events import OrdersResolved
        from cluetrain.partners.events import ReferralCreated, ReferralUpdated
        from cluetrain.relationships.events import RelationshipChanged
        from cluetrain.reviews.events import ReviewPosted
        from cluetrain.threads.events import PostCreated
        from cluetrain.webhooks import blogs, events, jams, orders, referrals

        subscribe(PostCreated, events.on_post_created)
        subscribe(ReviewPosted, events.on_review_posted)
        subscribe(IdeaStatusChanged, events.on_idea_status_changed)
        subscribe(MemberJoined, events.on_member_joined)
        subscribe(AlertRaised, events.on_alert_raised)
        subscribe(RelationshipChanged, events.on_relationship_changed)
        subscribe(IntentPosted, events.on_intent_posted)
        subscribe(OfferMade, events.on_offer_made)
        subscribe(ContributionHeld, events.on_contribution_held)
        # In the announcing transaction: each resolved order's delivery is queued exactly once.
        subscribe(OrdersResolved, orders.on_orders_resolved, phase=Phase.IN_TRANSACTION)
        subscribe(ReferralCreated, referrals.on_referral_created)
        subscribe(ReferralUpdated, referrals.on_referral_updated)
        subscribe(ThemeChanged, jams.on_theme_changed)
        subscribe(JamStarted, jams.on_jam_started)
        subscribe(JamEnded, jams.on_jam_ended)
        subscribe(BlogPostPublished, blogs.on_blog_post_published)
