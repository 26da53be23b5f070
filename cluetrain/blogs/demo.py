"""A few blogs for the demo community: a staff member's, a customer's and a partner's, each
with published posts (tags, comments, backdated), and one draft and one scheduled post.

Written through the actions, so listening, search and relationships read the posts and the
comments as they read every message; a handful of posts keeps that within the demo's budget.
"""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from cluetrain.blogs.actions import PUBLISH, SCHEDULE, do_follow_blog, do_write_post
from cluetrain.blogs.models import BLOGS_SPACE_SLUG, Blog
from cluetrain.members.models import Member
from cluetrain.search.indexing import remove_posts
from cluetrain.threads.actions import do_reply
from cluetrain.threads.models import Post, Thread

# role -> [(title, tags, body, comments)]
POSTS: dict[str, list[tuple[str, list[str], str, list[str]]]] = {
    Member.Role.STAFF: [
        (
            "What changed in firmware 3.2, and why",
            ["firmware", "hub"],
            "Firmware 3.2 moved the hub to a new radio stack. Pairing is faster, and the hub "
            "now keeps its schedules when the internet is down.\n\n"
            "Some of you saw sensors drop off after the update. **That is on us**: the old "
            "pairing tables were not carried over for every model. 3.2.1 fixes it; if a sensor "
            "still drops, re-pair it once and tell us in the forum.",
            [
                "Thanks for explaining instead of just shipping a patch.",
                "3.2.1 fixed my door sensors. The motion sensor still needed a re-pair.",
            ],
        ),
        (
            "How we read your ideas",
            ["ideas", "roadmap"],
            "Every idea gets read. We look at who it helps, how many independent people "
            "support it, and what it costs to build. When we decline one we say why, on the "
            "idea itself.",
            ["Good to know the votes of a few loud accounts do not decide."],
        ),
    ],
    Member.Role.CUSTOMER: [
        (
            "A year with a smart home: what stuck",
            ["smart-home", "lighting"],
            "After a year the lights at sunset and the leak sensor under the sink are the two "
            "things I would buy again tomorrow. The voice assistant, less so.\n\n"
            "- Sunset scenes: used every day\n- Leak sensor: saved the kitchen floor once\n"
            "- Voice: mostly for timers",
            [
                "The leak sensor paid for itself here too.",
                "Which bulbs do you use for the sunset scene?",
            ],
        ),
        (
            "Batteries: my spreadsheet",
            ["battery", "sensors"],
            "I logged every sensor battery change for twelve months. Door sensors last about "
            "nine months, motion sensors five. Cold hallways drain them faster.",
            ["Great data, thanks. Cold does kill batteries."],
        ),
    ],
    Member.Role.PARTNER: [
        (
            "Installing a hub in an old house",
            ["installation", "hub"],
            "Thick stone walls stop the signal. Put the hub in the middle of the house, not "
            "by the router, and add one powered plug per floor as a repeater.",
            ["This is exactly my house. Trying the plug trick this weekend."],
        ),
    ],
}
DRAFT = ("Notes for the winter guide", ["energy"], "Heating schedules, draughts, the thermostat.")
SCHEDULED = (
    "Winter energy checklist",
    ["energy", "heating"],
    "Five things to check before the cold: schedules, window sensors, thermostat batteries...",
)


def _clear(email_domain: str) -> None:
    """Blog threads left by an earlier demo run (their authors gone with the demo's members)."""
    threads = Thread.objects.filter(space__slug=BLOGS_SPACE_SLUG).filter(
        Q(author__isnull=True) | Q(author__email__endswith=f"@{email_domain}")
    )
    remove_posts(list(Post.objects.filter(thread__in=threads).values_list("pk", flat=True)))
    threads.delete()


def plant_blogs(email_domain: str) -> str:
    """Three blogs with published posts and comments, a draft and a scheduled post, a few
    followers; the line the demo command prints."""
    _clear(email_domain)
    Blog.objects.filter(owner__email__endswith=f"@{email_domain}").delete()
    ours = Member.objects.filter(email__endswith=f"@{email_domain}", is_active=True).order_by("pk")
    readers = list(ours.filter(role=Member.Role.CUSTOMER)[:12])
    if len(readers) < 4:
        return "No blogs: the demo has too few members."
    now = timezone.now()
    bloggers: list[Member] = []
    for n, (role, posts) in enumerate(POSTS.items()):
        author = ours.filter(role=role).exclude(pk__in=[b.pk for b in bloggers]).first()
        if author is None:
            continue
        bloggers.append(author)
        for k, (title, tags, body, comments) in enumerate(posts):
            when = now - timedelta(days=30 - 9 * k - 2 * n, hours=3 * n)
            post = do_write_post(
                author, title=title, body_md=body, tags=tags, action=PUBLISH, published_at=when
            )
            assert post.thread is not None
            for c, text in enumerate(comments):
                commenter = readers[(n + k + c) % len(readers)]
                do_reply(
                    commenter, post.thread, body_md=text, created_at=when + timedelta(hours=c + 1)
                )
        for reader in readers[n : n + 3]:
            do_follow_blog(reader, author)
    if bloggers:
        title, tags, body = DRAFT
        do_write_post(bloggers[0], title=title, body_md=body, tags=tags)
        title, tags, body = SCHEDULED
        do_write_post(
            bloggers[0],
            title=title,
            body_md=body,
            tags=tags,
            action=SCHEDULE,
            publish_at=now + timedelta(days=3),
        )
    names = ", ".join(f"/blogs/by/{b.username}/" for b in bloggers)
    return f"{len(bloggers)} blogs ({names}), with comments, a draft and a scheduled post."
