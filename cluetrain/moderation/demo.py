"""Fake reviews for the demo, held by the spam filter; and how much of the rest it would hold.

The fake reviews are posted through the real action (check_post_review) from accounts opened
minutes before, in the gushing, vague, first-person style that Ott et al.'s paid writers
used: the deception model reads them as invented and the filter holds them for moderation
(/moderation/held/). The generated community is written in bulk, past the filter, so
:func:`demo_hold_rate` scores every demo contribution as if it were written now, to show that
the filter leaves ordinary members alone.
"""

from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count

from cluetrain.members.models import Member, Profile
from cluetrain.moderation.models import Screening
from cluetrain.moderation.screening import (
    ESTABLISHED_AFTER,
    REPEAT_WINDOW,
    current_scorer,
    deception_model,
)
from cluetrain.organizations.models import Product
from cluetrain.reviews.actions import check_post_review, review_space_for
from cluetrain.reviews.models import Review
from cluetrain.threads.models import Post, Thread
from cluetrain_analytics.text.deception import polarity_from_rating
from cluetrain_analytics.text.spam import Contribution, content_hash

FAKE_PREFIX = "fan"
FAKE_REVIEWS: tuple[tuple[str, int, str, str], ...] = (
    (
        "Jessica Starling",
        5,
        "Absolutely the best purchase of our lives!!",
        "My husband and I absolutely loved this amazing product! From the moment we opened "
        "the box it was a truly luxurious experience. Everything was perfect, the quality is "
        "outstanding and the whole family enjoys it every single day. We will definitely buy "
        "again and recommend it to all of our friends and family. Simply perfect!",
    ),
    (
        "Brandon Holloway",
        5,
        "Perfect in every single way",
        "I recently purchased this for my wife for our anniversary and I have to say it "
        "exceeded all of our expectations. The staff were extremely friendly and helpful, the "
        "service was excellent and the experience was wonderful. I would highly recommend "
        "it to anyone looking for the very best. We will definitely be back!",
    ),
    (
        "Megan Whitfield",
        1,
        "Worst experience of my entire life",
        "My husband and I were extremely disappointed. The customer service was horrible and "
        "rude, the product was terrible and nothing worked as promised. I will never buy "
        "from this company again and I will tell all of my friends and family to stay away. "
        "Do not waste your money, it was a complete nightmare from start to finish!",
    ),
    (
        "Tyler Brennan",
        5,
        "Wow, just wow!",
        "This was my first time trying this and I was blown away. Amazing quality, amazing "
        "service, amazing value. My family and I were so impressed with everything and the "
        "staff made us feel so welcome. I cannot recommend it enough, five stars, the best "
        "decision we ever made! We will definitely be coming back again and again!",
    ),
)


def plant_fake_reviews(email_domain: str) -> list[Screening]:
    """Post the fake reviews of the most reviewed product; the screenings of the held ones."""
    product = (
        Product.objects.annotate(n=Count("reviews")).order_by("-n", "pk").first()
        if Product.objects.exists()
        else None
    )
    if product is None or review_space_for(product) is None:
        return []
    held = []
    for n, (name, stars, title, body) in enumerate(FAKE_REVIEWS):
        member, created = Member.objects.get_or_create(
            username=f"{FAKE_PREFIX}{n}",
            defaults={"email": f"{FAKE_PREFIX}{n}@{email_domain}", "display_name": name},
        )
        Profile.objects.get_or_create(member=member)
        if not created and Review.objects.filter(author=member, product=product).exists():
            continue
        review = check_post_review(member, product, stars=stars, title=title, body_md=body)
        screening = Screening.objects.filter(post__thread_id=review.thread_id).first()
        if screening is not None and screening.status == Screening.Status.HELD:
            held.append(screening)
    return held


@dataclass(frozen=True)
class DemoHolds:
    contributions: int
    held: int
    held_by_kind: dict[str, int]


def demo_hold_rate(email_domain: str) -> DemoHolds:
    """How many of the demo members' posts and reviews the filter would hold if written now.

    Each is scored as the filter scores a new one: its author's account age and earlier
    posts at the time it was written, repeats of its text before it, and for a review the
    deception probability. The planted fakes are left out (they are held for real).
    """
    scorer = current_scorer()
    posts = (
        Post.objects.filter(
            author__email__endswith=f"@{email_domain}",
            author__role=Member.Role.CUSTOMER,
            is_deleted=False,
        )
        .exclude(author__username__startswith=FAKE_PREFIX)
        .select_related("thread", "author")
        .order_by("created_at", "pk")
    )
    stars = dict(Review.objects.values_list("thread_id", "stars"))
    rows = list(posts)
    texts = [f"{p.thread.title}\n\n{p.body_md}" if p.parent_id is None else p.body_md for p in rows]
    reviews = [
        i for i, p in enumerate(rows) if p.parent_id is None and p.thread.kind == Thread.Kind.REVIEW
    ]
    deception: dict[int, float] = {}
    model = deception_model() if reviews else None
    if model is not None:
        probabilities = model.probability(
            [texts[i] for i in reviews],
            [polarity_from_rating(stars.get(rows[i].thread_id)) for i in reviews],
        )
        deception = {i: float(p) for i, p in zip(reviews, probabilities, strict=True)}
    # As screening.contribution_for counts repeats: within REPEAT_WINDOW, by anyone for a
    # young account, only the author's own for an established one.
    by_text: defaultdict[str, list[datetime]] = defaultdict(list)
    by_author: defaultdict[tuple[str, int], list[datetime]] = defaultdict(list)
    established = ESTABLISHED_AFTER.total_seconds() / 86400
    written: Counter[int] = Counter()
    held: Counter[str] = Counter()
    for i, post in enumerate(rows):
        author = post.author
        assert author is not None
        kind = "post"
        if post.parent_id is None and post.thread.kind == Thread.Kind.REVIEW:
            kind = "review"
        elif post.parent_id is None and post.thread.kind == Thread.Kind.IDEA:
            kind = "idea"
        age = max((post.created_at - author.date_joined).total_seconds(), 0) / 86400
        key = content_hash(texts[i])
        earlier = by_author[key, author.pk] if age >= established else by_text[key]
        contribution = Contribution(
            text=texts[i],
            kind=kind,  # type: ignore[arg-type]
            account_age_days=age,
            author_post_count=written[author.pk],
            times_seen_before=len(earlier) - bisect_left(earlier, post.created_at - REPEAT_WINDOW),
            deception_probability=deception.get(i),
        )
        if scorer.score(contribution).held:
            held[kind] += 1
        by_text[key].append(post.created_at)
        by_author[key, author.pk].append(post.created_at)
        written[author.pk] += 1
    return DemoHolds(contributions=len(rows), held=sum(held.values()), held_by_kind=dict(held))


def plant_held_reviews(email_domain: str) -> str:
    """The demo's part: plant the fake reviews, measure the rest; one line for the summary."""
    planted = plant_fake_reviews(email_domain)
    rest = demo_hold_rate(email_domain)
    share = rest.held / rest.contributions if rest.contributions else 0.0
    kinds = ", ".join(f"{n} {kind}s" for kind, n in sorted(rest.held_by_kind.items())) or "none"
    return (
        f"The spam filter holds {len(planted)} of {len(FAKE_REVIEWS)} planted fake reviews "
        f"for moderation (moderators: /moderation/held/); of the demo members' own "
        f"{rest.contributions:,} posts and reviews it would hold {rest.held} "
        f"({share:.2%}: {kinds})"
    )
