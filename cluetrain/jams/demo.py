"""Two jams for the demo community: one that ended (with its report) and one running now.

Ideas are made from small word banks about the demo's smart-home products, at times inside
each jam's window, written in bulk (cluetrain/jams/bulk.py) and themed once per jam: posting
them one by one through the actions would run every app's per-post work (listening,
relationships...) hundreds of times, far over the demo's time budget.
"""

import random
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from cluetrain.ideas.actions import do_change_idea_status
from cluetrain.ideas.models import Idea
from cluetrain.jams.actions import do_create_jam, do_highlight
from cluetrain.jams.bulk import IdeaDraft, do_bulk_ideas
from cluetrain.jams.clustering import do_recluster
from cluetrain.jams.models import Jam
from cluetrain.members.models import Member
from cluetrain.search.indexing import remove_posts
from cluetrain.spaces.models import Space
from cluetrain.threads.models import Post

FINISHED = "Home of 2030 jam"
LIVE = "Saving energy together"

# theme -> (idea titles, sentences an idea's text is made of)
BANKS: dict[str, tuple[list[str], list[str]]] = {
    "battery": (
        ["Longer sensor battery life", "Battery level for every sensor", "Rechargeable sensors"],
        [
            "The door sensor battery runs out every few months.",
            "Show the battery level of each sensor in the app.",
            "Warn me a week before a sensor battery is empty.",
            "A battery saver mode would help the motion sensors last longer.",
        ],
    ),
    "lighting": (
        ["Sunset lighting scenes", "Wake-up light in the morning", "Lights by room"],
        [
            "Turn the lighting scene on at sunset automatically.",
            "Dim the bedroom lights slowly in the morning like a sunrise.",
            "Group the lights by room so one switch controls the room.",
            "Colour lighting scenes for movie night would be great.",
        ],
    ),
    "energy": (
        ["Energy report per device", "Cut standby power", "Solar-aware schedules"],
        [
            "An energy report per device would show what costs the most.",
            "Switch off standby power at night to save energy.",
            "Run the washing machine when the solar panels produce energy.",
            "Compare my energy use with last month.",
        ],
    ),
    "security": (
        ["Camera alerts with less noise", "Away mode for security", "Door lock history"],
        [
            "The security camera alerts me for every passing car.",
            "An away mode that arms the security cameras and the door lock.",
            "Keep a history of who opened the door lock and when.",
            "Send a camera snapshot with each security alert.",
        ],
    ),
    "voice": (
        ["Voice commands offline", "Voice control in German", "Custom voice shortcuts"],
        [
            "Voice commands should work when the internet is down.",
            "Please add voice control in German and Dutch.",
            "Let me define voice shortcuts for a whole routine.",
            "The voice assistant should confirm quietly at night.",
        ],
    ),
}
REPLIES = [
    "Yes please, I would use this every day.",
    "Same here, this would help a lot.",
    "Good idea. Maybe as an option in the settings?",
    "I would vote for this twice if I could.",
]


def _clear() -> None:
    """Jams from an earlier demo run go first (their spaces take their posts along)."""
    spaces = Space.objects.filter(Q(jam__title=FINISHED) | Q(jam__title=LIVE))
    remove_posts(list(Post.objects.filter(thread__space__in=spaces).values_list("pk", flat=True)))
    spaces.delete()


def _fill(jam: Jam, members: list[Member], rng: random.Random, ideas: int, until: datetime) -> None:
    span = (until - jam.starts_at).total_seconds()
    times = sorted(
        jam.starts_at + timedelta(seconds=span * rng.betavariate(1.3, 1.8)) for _ in range(ideas)
    )
    themes = list(BANKS.values())
    drafts = []
    for n, when in enumerate(times):
        titles, sentences = themes[n % len(themes)]
        draft = IdeaDraft(
            rng.choice(members).pk, rng.choice(titles), " ".join(rng.sample(sentences, 2)), when
        )
        for k in range(rng.choice((0, 0, 1, 2))):
            later = min(when + timedelta(minutes=7 * (k + 1)), until - timedelta(seconds=1))
            draft.replies.append((rng.choice(members).pk, rng.choice(REPLIES), later))
        drafts.append(draft)
    do_bulk_ideas(jam, drafts, index=True)


def plant_jams(email_domain: str, *, seed: int = 4) -> str:
    """A finished jam with its report and a live one; the line the demo command prints."""
    _clear()
    rng = random.Random(seed)
    members = list(
        Member.objects.filter(role=Member.Role.CUSTOMER, email__endswith=f"@{email_domain}")[:60]
    )
    host = Member.objects.filter(role=Member.Role.STAFF).order_by("pk").first()
    moderator = Member.objects.filter(role=Member.Role.MODERATOR).order_by("pk").first()
    if not members or host is None:
        return "No jams: the demo has no members or staff."
    now = timezone.now()
    finished = do_create_jam(
        host,
        title=FINISHED,
        question="What should a home do for its people in 2030?",
        starts_at=now - timedelta(days=12),
        ends_at=now - timedelta(days=9),
        hosts=[host],
        moderators=[moderator] if moderator else [],
    )
    _fill(finished, members, rng, 90, finished.ends_at)
    live = do_create_jam(
        host,
        title=LIVE,
        question="How can the hub help us use less energy this winter?",
        starts_at=now - timedelta(hours=20),
        ends_at=now + timedelta(days=2),
        hosts=[host],
        moderators=[moderator] if moderator else [],
    )
    _fill(live, members, rng, 40, now)
    for jam in (finished, live):
        do_recluster(jam.pk)
        for idea in Idea.objects.filter(thread__space=jam.space).order_by("pk")[:2]:
            do_highlight(host, jam, idea.thread.posts.order_by("pk")[0], "Worth a look")
    forward = Idea.objects.filter(thread__space=finished.space).order_by("pk")
    for idea, status in zip(forward[:3], ("planned", "in_progress", "done"), strict=False):
        do_change_idea_status(
            host, idea, status=status, explanation="Taken forward from the Home of 2030 jam."
        )
    return (
        f"Two idea jams: /jams/{finished.slug}/ (ended, with its report) and "
        f"/jams/{live.slug}/ (live now)."
    )
