"""The permission matrix: every registered operation, called by every role, against
cluetrain/api/permissions_matrix.py. A new endpoint without a matrix entry fails here."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from pytest_django.fixtures import Settings

from cluetrain.api.permissions_matrix import MATRIX, ROLES
from cluetrain.api.tests.conftest import World
from cluetrain.api.tokens import do_create_token
from cluetrain.api_root import api
from cluetrain.blogs.tests import matrix as blogs_matrix
from cluetrain.core.sentences import Sentence
from cluetrain.expertise.tests import world as expertise_world
from cluetrain.ideas.actions import do_create_idea, do_vote_idea
from cluetrain.intents.tests import world as intents
from cluetrain.jams.tests import matrix as jams_matrix
from cluetrain.members.models import Member
from cluetrain.moderation.tests.spam import held_spam
from cluetrain.orders.tests import api_world as orders_world
from cluetrain.partners.tests import world as partners_world
from cluetrain.relationships.actions import do_express, do_infer
from cluetrain.reviews.actions import do_mark_helpful

Params = Callable[[World, Member | None], dict[str, Any]]


@dataclass
class Call:
    params: Params = lambda world, me: {}
    body: dict[str, Any] | None = None
    query: dict[str, Any] = field(default_factory=dict)
    # Runs first for a member, e.g. to vote before the unvote.
    setup: Callable[[World, Member], object] | None = None


def general(world: World, me: Member | None) -> dict[str, Any]:
    return {"slug": "general"}


def thread(world: World, me: Member | None) -> dict[str, Any]:
    return {"thread_id": world.thread.pk}


def opening(world: World, me: Member | None) -> dict[str, Any]:
    return {"post_id": world.opening.pk}


def reply(world: World, me: Member | None) -> dict[str, Any]:
    return {"post_id": world.reply.pk}


def idea(world: World, me: Member | None) -> dict[str, Any]:
    return {"idea_id": world.idea.pk}


def bob(world: World, me: Member | None) -> dict[str, Any]:
    return {"username": "bob"}


def product(world: World, me: Member | None) -> dict[str, Any]:
    return {"slug": world.places.product.slug}


def review(world: World, me: Member | None) -> dict[str, Any]:
    return {"review_id": world.review.pk}


def own_token(world: World, me: Member | None) -> dict[str, Any]:
    if me is None:
        return {"token_id": 1}
    token, _ = do_create_token(me, name="to revoke", scope="read")
    return {"token_id": token.pk}


def own_statement(world: World, me: Member | None) -> dict[str, Any]:
    if me is None:
        return {"event_id": 1}
    return {"event_id": do_express(me, "vouch", world.cast.bob).pk}


def inferred_about_me(world: World, me: Member | None) -> dict[str, Any]:
    if me is None:
        return {"event_id": 1}
    event = do_infer(
        "respond",
        origin=f"test:{me.pk}",
        actor=world.cast.bob,
        target=me,
        occurred_at=timezone.now(),
        evidence=Sentence("replied"),
    )
    assert event is not None
    return {"event_id": event.pk}


def question(world: World, me: Member | None) -> dict[str, Any]:
    return {"thread_id": world.question.pk}


TEXT = {"title": "A title", "body": "Some words."}

CALLS: dict[str, Call] = {
    "GET /api/spaces": Call(),
    "GET /api/spaces/{slug}": Call(general),
    "POST /api/spaces/{slug}/follow": Call(general),
    "DELETE /api/spaces/{slug}/follow": Call(general),
    "GET /api/spaces/{slug}/threads": Call(general),
    "POST /api/spaces/{slug}/threads": Call(general, body=TEXT),
    "GET /api/threads/{thread_id}": Call(thread),
    "GET /api/threads/{thread_id}/posts": Call(thread, query={"layout": "tree"}),
    "POST /api/threads/{thread_id}/posts": Call(thread, body={"body": "Me too."}),
    "POST /api/threads/{thread_id}/follow": Call(thread),
    "DELETE /api/threads/{thread_id}/follow": Call(thread),
    "GET /api/posts/{post_id}": Call(reply),
    "PATCH /api/posts/{post_id}": Call(opening, body={"body": "Edited."}),
    "DELETE /api/posts/{post_id}": Call(opening),
    "POST /api/posts/{post_id}/reactions": Call(reply, body={"kind": "like"}),
    "POST /api/posts/{post_id}/accept": Call(lambda w, me: {"post_id": w.answer.pk}),
    "GET /api/posts/{post_id}/revisions": Call(reply),
    "GET /api/products": Call(),
    "GET /api/products/{slug}/reviews": Call(product, query={"sort": "helpful"}),
    "POST /api/products/{slug}/reviews": Call(product, body=TEXT | {"stars": 5}),
    "POST /api/reviews/{review_id}/helpful": Call(review),
    "DELETE /api/reviews/{review_id}/helpful": Call(
        review,
        setup=lambda w, me: do_mark_helpful(me, w.review, w.review.thread.posts.get()),
    ),
    "GET /api/ideas": Call(query={"status": "new"}),
    "POST /api/ideas": Call(body=TEXT | {"space": "ideas"}),
    "GET /api/ideas/{idea_id}": Call(idea),
    "POST /api/ideas/{idea_id}/vote": Call(idea),
    "DELETE /api/ideas/{idea_id}/vote": Call(idea, setup=lambda w, me: do_vote_idea(me, w.idea)),
    "POST /api/ideas/{idea_id}/status": Call(
        idea, body={"status": "planned", "explanation": "Next quarter."}
    ),
    "GET /api/me": Call(),
    "PATCH /api/me/profile": Call(body={"headline": "Tinkerer"}),
    "GET /api/members": Call(query={"q": "b"}),
    "GET /api/members/{username}": Call(bob),
    "GET /api/lookup/members": Call(query={"q": "b"}),
    "POST /api/members/{username}/follow": Call(bob),
    "DELETE /api/members/{username}/follow": Call(bob),
    "POST /api/members/{username}/connection": Call(bob),
    "DELETE /api/members/{username}/connection": Call(bob),
    "GET /api/connections": Call(query={"state": "incoming"}),
    "POST /api/connections/{connection_id}/respond": Call(
        lambda w, me: {"connection_id": w.connection.pk}, body={"decision": "accept"}
    ),
    "GET /api/search/posts": Call(query={"q": "hub"}),
    "GET /api/search/people": Call(query={"q": "bob"}),
    "GET /api/notifications": Call(),
    "POST /api/notifications/read": Call(),
    "POST /api/posts/{post_id}/flags": Call(reply, body={"reason": "spam"}),
    "GET /api/moderation/flags": Call(),
    "POST /api/moderation/flags/{flag_id}/resolve": Call(
        lambda w, me: {"flag_id": w.flag.pk}, body={"decision": "dismiss"}
    ),
    "POST /api/moderation/posts/{post_id}": Call(reply, body={"action": "hide"}),
    "POST /api/moderation/threads/{thread_id}": Call(thread, body={"action": "lock"}),
    "GET /api/moderation/log": Call(),
    # moderation: contributions held by the spam filter
    "GET /api/moderation/held": Call(),
    "POST /api/moderation/held/{screening_id}": Call(held_spam, body={"decision": "approve"}),
    "GET /api/relationships": Call(),
    "GET /api/relationships/with/{username}": Call(bob),
    "POST /api/relationships/expressions": Call(body={"kind": "recommend", "target": "member:bob"}),
    "DELETE /api/relationships/events/{event_id}": Call(own_statement),
    "POST /api/relationships/events/{event_id}/correction": Call(
        inferred_about_me, body={"action": "negative"}
    ),
    "GET /api/relationships/map": Call(),
    "GET /api/threads/{thread_id}/experts": Call(question),
    "POST /api/threads/{thread_id}/experts/invitations": Call(question, body={"member": "bob"}),
    "GET /api/experts": Call(query={"q": "pairing"}),
    "GET /api/experts/away": Call(),
    "PUT /api/experts/away": Call(body={"until": expertise_world.soon(), "note": "Away"}),
    "DELETE /api/experts/away": Call(setup=expertise_world.mark_away),
    "POST /api/experts/team": Call(body={"skills": ["pairing"], "text": "A smart home"}),
    # partners
    "GET /api/partners/categories": Call(),
    "POST /api/partners/categories": Call(partners_world.listed, body={"name": "Title company"}),
    "PUT /api/partners/categories/order": Call(
        partners_world.listed, body={"categories": ["bank", "inspection"]}
    ),
    "PATCH /api/partners/categories/{slug}": Call(
        partners_world.bank_category, body={"name": "Lender", "retired": True}
    ),
    "GET /api/partners": Call(partners_world.listed, query={"category": "inspection"}),
    "GET /api/partners/inbox": Call(partners_world.referral_in("pending")),
    "POST /api/partners/bundles": Call(
        partners_world.listed, body={"need": "roof", "categories": ["inspection", "bank"]}
    ),
    "GET /api/partners/{slug}": Call(partners_world.listed),
    "POST /api/referrals": Call(
        partners_world.listed, body={"provider": "keystone", "need": "A loan"}
    ),
    "GET /api/referrals": Call(partners_world.referral_in("pending")),
    "GET /api/referrals/{referral_id}": Call(partners_world.referral_in("pending")),
    "POST /api/referrals/{referral_id}/accept": Call(
        partners_world.referral_in("pending"), body={}
    ),
    "POST /api/referrals/{referral_id}/decline": Call(
        partners_world.referral_in("pending"), body={"note": "Booked"}
    ),
    "POST /api/referrals/{referral_id}/outcome": Call(
        partners_world.referral_in("accepted"), body={"completed": True}
    ),
    "POST /api/referrals/{referral_id}/rating": Call(
        partners_world.referral_in("completed"), body={"stars": 5, "words": "Great"}
    ),
    # intents (personal requests and offers)
    "GET /api/requests": Call(),
    "POST /api/requests": Call(body={"title": "A rental car", "category": "car rental"}),
    "GET /api/requests/{request_id}": Call(intents.open_request),
    "PATCH /api/requests/{request_id}": Call(
        intents.open_request, body={"title": "A rental van", "category": "car rental"}
    ),
    "DELETE /api/requests/{request_id}": Call(intents.open_request),
    "POST /api/requests/{request_id}/status": Call(intents.open_request, body={"action": "pause"}),
    "GET /api/requests/{request_id}/offers": Call(intents.open_request),
    "POST /api/requests/{request_id}/offers": Call(intents.open_request, body=intents.OFFER),
    "POST /api/requests/{request_id}/offers/{offer_id}/accept": Call(intents.offered_request),
    "GET /api/requests/{request_id}/messages": Call(
        intents.open_request, query={"vendor": intents.PAT_VENDOR}
    ),
    "POST /api/requests/{request_id}/messages": Call(
        intents.open_request, body={"body": "Hello?", "vendor": intents.PAT_VENDOR}
    ),
    "POST /api/requests/{request_id}/rating": Call(intents.accepted_request, body={"stars": 5}),
    "GET /api/vendor/requests": Call(intents.pat_is_a_vendor),
    "GET /api/vendor/offers": Call(intents.pat_is_a_vendor),
    "POST /api/vendor/offers/{offer_id}/withdraw": Call(intents.pats_offer),
    # orders
    "GET /api/orders/listings": Call(setup=orders_world.setup),
    "GET /api/orders": Call(),
    "POST /api/orders": Call(body=orders_world.ORDER_BODY, setup=orders_world.setup),
    "GET /api/orders/board": Call(setup=orders_world.setup),
    "GET /api/orders/resolutions": Call(),
    "POST /api/orders/resolutions": Call(),
    "GET /api/orders/{order_id}": Call(orders_world.open_order_params),
    "POST /api/orders/{order_id}/claim": Call(orders_world.open_order_params),
    "POST /api/orders/{order_id}/decline": Call(orders_world.open_order_params),
    "POST /api/orders/{order_id}/ship": Call(orders_world.resolved_params),
    "POST /api/orders/{order_id}/deliver": Call(orders_world.shipped_params),
    "POST /api/orders/{order_id}/rating": Call(
        orders_world.shipped_params, body={"stars": 4, "comment": "Quick."}
    ),
    # jams
    "GET /api/jams": Call(),
    "POST /api/jams": Call(
        body={
            "title": "Jam",
            "question": "What next?",
            "starts_at": "2030-01-01T09:00:00Z",
            "ends_at": "2030-01-02T09:00:00Z",
            "hosts": ["sam"],
        }
    ),
    "GET /api/jams/{slug}": Call(jams_matrix.jam),
    "POST /api/jams/{slug}/ideas": Call(jams_matrix.jam, body=TEXT),
    "GET /api/jams/{slug}/themes": Call(jams_matrix.jam),
    "POST /api/jams/{slug}/themes/{theme_id}/rename": Call(
        jams_matrix.theme, body={"label": "Dark themes"}
    ),
    "POST /api/jams/{slug}/themes/{theme_id}/merge/{into_id}": Call(jams_matrix.merge),
    "POST /api/jams/{slug}/themes/{theme_id}/split/{post_id}": Call(
        jams_matrix.split, body={"label": "Night"}
    ),
    "POST /api/jams/{slug}/posts/{post_id}/highlight": Call(jams_matrix.post, body={"note": "!"}),
    "GET /api/jams/{slug}/report": Call(jams_matrix.jam),
    # ideas at scale
    "GET /api/ideas/similar": Call(query={"text": "dark mode please"}),
    "POST /api/ideas/{idea_id}/merge/{into_id}": Call(
        lambda w, me: {
            "idea_id": do_create_idea(
                w.cast.alice, w.places.ideas, title="Dark theme", body_md="Same."
            ).pk,
            "into_id": w.idea.pk,
        }
    ),
    "POST /api/ideas/{idea_id}/follow": Call(idea),
    "DELETE /api/ideas/{idea_id}/follow": Call(idea),
    "GET /api/ideas/ranking": Call(query={"space": "ideas"}),
    "GET /api/ideas/{idea_id}/rank": Call(idea),
    "GET /api/ideas/{idea_id}/history": Call(idea),
    "GET /api/ideas/roadmap": Call(),
    "PUT /api/ideas/budgets/{slug}": Call(lambda w, me: {"slug": "ideas"}, body={"votes": 3}),
    "GET /api/blogs": Call(),
    "GET /api/blogs/tags/{slug}": Call(blogs_matrix.hub_tag),
    "POST /api/blogs/posts": Call(body={"title": "Hello", "body_md": "First.", "tags": ["hub"]}),
    "GET /api/blogs/posts/{post_id}": Call(blogs_matrix.alices_published),
    "PATCH /api/blogs/posts/{post_id}": Call(
        blogs_matrix.alices_draft, body={"title": "Draft", "body_md": "Still not."}
    ),
    "DELETE /api/blogs/posts/{post_id}": Call(blogs_matrix.alices_draft),
    "POST /api/blogs/posts/{post_id}/publish": Call(blogs_matrix.alices_draft),
    "PUT /api/blogs/mine": Call(body={"title": "Notes", "description": "Now and then."}),
    "GET /api/blogs/by/{username}": Call(blogs_matrix.bobs_blog),
    "GET /api/blogs/by/{username}/posts": Call(blogs_matrix.bobs_blog),
    "POST /api/blogs/by/{username}/follow": Call(blogs_matrix.bobs_blog),
    "DELETE /api/blogs/by/{username}/follow": Call(blogs_matrix.bobs_blog),
    "GET /api/tokens": Call(),
    "POST /api/tokens": Call(body={"name": "CI", "scope": "read"}),
    "DELETE /api/tokens/{token_id}": Call(own_token),
}


def registered_operations() -> list[str]:
    paths = api.get_openapi_schema()["paths"]
    return sorted(f"{method.upper()} {path}" for path, ops in paths.items() for method in ops)


def test_every_operation_has_a_matrix_entry_and_a_call() -> None:
    operations = registered_operations()
    assert len(operations) == len(MATRIX)
    assert sorted(MATRIX) == operations
    assert sorted(CALLS) == operations


def _player(world: World, role: str) -> Member | None:
    cast = world.cast
    players: dict[str, Member | None] = {"customer": cast.alice, "partner": cast.pat}
    players["staff"] = cast.sam
    players |= {"moderator": cast.maya, "admin": cast.ada, "anonymous": None}
    return players[role]


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(world: World, settings: Settings, role: str) -> None:
    settings.API_RATE_LIMIT_PER_MINUTE = 1000
    me = _player(world, role)
    client = world.client(me)
    outcome: dict[str, int] = {}
    for key in registered_operations():
        method, template = key.split(" ", 1)
        call = CALLS[key]
        # Each call in a savepoint rolled back after it: every operation sees the same world.
        with transaction.atomic():
            if me is not None and call.setup is not None:
                call.setup(world, me)
            path = template.format(**call.params(world, me))
            if method == "GET":
                response = client.get(path, **call.query)
            else:
                response = client.call(method, path, call.body)
            outcome[key] = response.status_code
            transaction.set_rollback(True)
    allowed = {key for key, roles in MATRIX.items() if role in roles}
    wrong = {
        key: status
        for key, status in outcome.items()
        if (key in allowed and not 200 <= status < 300)
        or (key not in allowed and status not in (401, 403, 404))
    }
    assert wrong == {}
    if me is None:
        assert {s for k, s in outcome.items() if k not in allowed} == {401}
