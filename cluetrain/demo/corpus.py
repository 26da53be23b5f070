"""Word banks and sentence templates for the demo community, read from ``data/*.json``.

All text is written for Cluetrain. Templates use `{slot}` fields filled by `generate.py` (see
`Slots` there): {product}, {short} (how people call it: "the thermostat"), {staff},
{competitor}, {city}, {partner}, {days}, {n}, {price}, {mention}, {fw}, {fixfw}, {room},
{device}, {name}.

- ``people.json``: names, cities, competitors, rooms, devices; profile headlines and bios.
- ``company.json``: the company, its products and services, the partner network and its
  offerings, the topics.
- ``issues.json``: the planted signals, recurring problems with a shape over the year (each
  issue's ``curve_note`` says why its curve looks the way it does).
- ``talk.json``: everyday talk. ``announcements`` are the staff posts that date the planted
  events; ``typos`` are the only words ever misspelt, so planted problem phrases stay intact.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MONTHS = 12  # the demo covers the 12 months before it is generated; month 0 is the oldest
DATA = Path(__file__).resolve().with_name("data")


@dataclass(frozen=True)
class ProductSpec:
    slug: str
    name: str
    short: str  # how customers refer to it in conversation
    kind: str  # "product" or "service"
    category: str
    description: str
    forum: bool = True  # gets its own discussion forum
    ownership: float = 0.5  # share of customers who own it


@dataclass(frozen=True)
class PartnerSpec:
    slug: str
    name: str
    category: str
    location: str
    description: str
    offerings: tuple[tuple[str, str | None, str], ...]  # (title, product slug, description)


@dataclass(frozen=True)
class Issue:
    """A recurring product problem. `curve[m]` is its relative thread volume in month m."""

    key: str
    product: str  # product slug
    label: str  # the problem in plain words (what analytics should find)
    problem: str  # the same as a noun phrase: "I posted here about {problem}"
    curve: tuple[float, ...]
    titles: tuple[str, ...]
    statements: tuple[str, ...]  # first-person description of the problem
    details: tuple[str, ...]  # what they tried, how it affects them
    me_too: tuple[str, ...]
    staff_replies: tuple[str, ...]  # before the fix: acknowledge, workaround
    staff_fixed: tuple[str, ...] = ()  # after the fix month
    fix_month: int | None = None
    resolved: tuple[str, ...] = field(default=())  # the OP, once it works again
    curve_note: str = field(default="", repr=False, compare=False)  # why the curve has its shape


def _read(name: str) -> dict[str, Any]:
    """One data file, its lists made tuples all the way down: the banks are constants."""
    return dict(_frozen(json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))))


def _frozen(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, dict):
        return {key: _frozen(item) for key, item in value.items()}
    return value


# --- People and places ---------------------------------------------------------------------

_people = _read("people")
FIRST_NAMES: tuple[str, ...] = _people["first_names"]
LAST_NAMES: tuple[str, ...] = _people["last_names"]
CITIES: tuple[str, ...] = _people["cities"]
COMPETITORS: tuple[str, ...] = _people["competitors"]
ROOMS: tuple[str, ...] = _people["rooms"]
DEVICES: tuple[str, ...] = _people["devices"]
HEADLINES_CUSTOMER: tuple[str, ...] = _people["headlines_customer"]
HEADLINES_STAFF: tuple[str, ...] = _people["headlines_staff"]
HEADLINES_PARTNER: tuple[str, ...] = _people["headlines_partner"]
BIOS: tuple[str, ...] = _people["bios"]

# --- The company, its products and the partner network -------------------------------------

_company = _read("company")
COMPANY: dict[str, str] = _company["company"]
PRODUCTS = tuple(ProductSpec(**spec) for spec in _company["products"])
PARTNERS = tuple(
    PartnerSpec(
        **{key: value for key, value in spec.items() if key != "offerings"},
        offerings=tuple(
            (offer["title"], offer["product"], offer["description"]) for offer in spec["offerings"]
        ),
    )
    for spec in _company["partners"]
)
TOPICS: tuple[str, ...] = _company["topics"]

# --- Planted signals: recurring problems with a shape over the year ------------------------

ISSUES = tuple(Issue(**issue) for issue in _read("issues")["issues"])

# --- Everyday talk -------------------------------------------------------------------------

_talk = _read("talk")
OPENERS: tuple[str, ...] = _talk["openers"]
CLOSERS: tuple[str, ...] = _talk["closers"]
EMOJI_HAPPY: tuple[str, ...] = _talk["emoji_happy"]
EMOJI_UNHAPPY: tuple[str, ...] = _talk["emoji_unhappy"]
THREATS: tuple[str, ...] = _talk["threats"]
SARCASM: tuple[str, ...] = _talk["sarcasm"]
PRAISE_TITLES: tuple[str, ...] = _talk["praise_titles"]
PRAISE: dict[str, tuple[str, ...]] = _talk["praise"]  # by product slug
PRAISE_REPLIES: tuple[str, ...] = _talk["praise_replies"]
RECOMMEND: tuple[str, ...] = _talk["recommend"]
SUPPORT_PRAISE: tuple[str, ...] = _talk["support_praise"]
TURNAROUND_TITLES: tuple[str, ...] = _talk["turnaround_titles"]
TURNAROUND: tuple[str, ...] = _talk["turnaround"]
INTENT_TITLES: tuple[str, ...] = _talk["intent_titles"]
INTENT: tuple[str, ...] = _talk["intent"]
COMPARE_TITLES: tuple[str, ...] = _talk["compare_titles"]
COMPARE: tuple[str, ...] = _talk["compare"]
ANSWER_INTENT: tuple[str, ...] = _talk["answer_intent"]
# (title, body, accepted answer, product slug)
QUESTIONS: tuple[tuple[str, str, str, str], ...] = tuple(
    (q["title"], q["body"], q["answer"], q["product"]) for q in _talk["questions"]
)
QUESTION_FOLLOWUPS: tuple[str, ...] = _talk["question_followups"]
ALT_ANSWERS: tuple[str, ...] = _talk["alt_answers"]
DISCUSSION_TITLES: tuple[str, ...] = _talk["discussion_titles"]
DISCUSSION: tuple[str, ...] = _talk["discussion"]
DISCUSSION_REPLIES: tuple[str, ...] = _talk["discussion_replies"]
REVIEW_TITLES: dict[int, tuple[str, ...]] = {
    int(stars): titles for stars, titles in _talk["review_titles"].items()
}
REVIEW_MIDDLE: tuple[str, ...] = _talk["review_middle"]
REVIEW_NEGATIVE: tuple[str, ...] = _talk["review_negative"]
REVIEW_FOUR: tuple[str, ...] = _talk["review_four"]
STAFF_GREETINGS: tuple[str, ...] = _talk["staff_greetings"]
STAFF_SIGNOFFS: tuple[str, ...] = _talk["staff_signoffs"]
STAFF_REVIEW_REPLIES: tuple[str, ...] = _talk["staff_review_replies"]
STAFF_THANKS: tuple[str, ...] = _talk["staff_thanks"]
STAFF_ANSWER_EXTRA: tuple[str, ...] = _talk["staff_answer_extra"]
# (title, product slug, body)
IDEAS: tuple[tuple[str, str, str], ...] = tuple(
    (idea["title"], idea["product"], idea["body"]) for idea in _talk["ideas"]
)
IDEA_COMMENTS: tuple[str, ...] = _talk["idea_comments"]
IDEA_STATUS_EXPLANATIONS: dict[str, tuple[str, ...]] = _talk["idea_status_explanations"]
# (title, body, replies)
STAFF_ROOM: tuple[tuple[str, str, tuple[str, ...]], ...] = tuple(
    (post["title"], post["body"], post["replies"]) for post in _talk["staff_room"]
)
PARTNER_LOUNGE: tuple[tuple[str, str, tuple[str, ...]], ...] = tuple(
    (post["title"], post["body"], post["replies"]) for post in _talk["partner_lounge"]
)
# (month, space slug, title, body, replies)
ANNOUNCEMENTS: tuple[tuple[int, str, str, str, tuple[str, ...]], ...] = tuple(
    (post["month"], post["space"], post["title"], post["body"], post["replies"])
    for post in _talk["announcements"]
)
TYPOS: dict[str, str] = _talk["typos"]  # word -> the misspelling people really make
