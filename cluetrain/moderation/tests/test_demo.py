from cluetrain.moderation.demo import FAKE_REVIEWS, demo_hold_rate, plant_fake_reviews
from cluetrain.moderation.models import Screening
from cluetrain.moderation.tests.spam import SPAM
from cluetrain.reviews.actions import check_post_review
from cluetrain.reviews.models import Review
from cluetrain.threads.actions import check_create_thread, check_reply
from conftest import Cast, Places


def test_the_planted_fake_reviews_are_held_and_ordinary_posts_would_not_be(
    cast: Cast, places: Places
) -> None:
    thread = check_create_thread(
        cast.alice, places.forum, title="Zigbee range", body_md="How far does it reach?"
    )
    check_reply(cast.bob, thread, body_md="About 10 m through two walls here.")
    check_reply(cast.sam, thread, body_md=SPAM)  # staff are never screened
    check_post_review(cast.bob, places.product, stars=4, title="Solid", body_md="Works well.")
    held = plant_fake_reviews("example.com")
    assert len(held) == len(FAKE_REVIEWS)
    assert {s.kind for s in held} == {"review"}
    assert all(s.deception_probability and s.deception_probability > 0.75 for s in held)
    assert Review.objects.filter(thread__is_held=True).count() == len(FAKE_REVIEWS)
    # Planting again adds nothing.
    assert plant_fake_reviews("example.com") == []
    assert Screening.objects.filter(status="held").count() == len(FAKE_REVIEWS)
    rest = demo_hold_rate("example.com")
    assert rest.contributions == 3  # alice's thread, bob's reply and review; not the fakes
    assert rest.held == 0
