"""Relationships: inferred from what happens, stated by members, corrected, rolled up, shown."""

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cluetrain.core.errors import ActionError
from cluetrain.core.sentences import Sentence
from cluetrain.members.actions import (
    check_follow,
    check_request_connection,
    check_respond_to_connection,
)
from cluetrain.members.models import Connection, Member
from cluetrain.relationships import actions
from cluetrain.relationships.backfill import rebuild
from cluetrain.relationships.inference import infer_from_post
from cluetrain.relationships.models import RelationshipCorrection, RelationshipEvent, Tie
from cluetrain.relationships.ties import Pair, refresh, refresh_all
from cluetrain.reviews.actions import check_post_review
from cluetrain.threads.actions import (
    check_accept_answer,
    check_create_thread,
    check_react,
    check_reply,
)
from cluetrain.threads.models import Post
from cluetrain_analytics.relationships import KINDS
from conftest import PASSWORD, Cast, Places

OnCommit = Callable[..., Any]


def kinds(**where: object) -> list[str]:
    return sorted(RelationshipEvent.objects.filter(**where).values_list("kind", flat=True))


def test_replies_infer_respond_then_conversation_with_the_post_as_evidence(
    cast: Cast, places: Places, run: Callable[..., Any]
) -> None:
    thread = run(check_create_thread, cast.alice, places.forum, title="Hub pairing", body_md="How?")
    first = run(check_reply, cast.bob, thread, body_md="Hold the button.")
    assert kinds(actor_member=cast.bob, target_member=cast.alice) == ["respond"]
    event = RelationshipEvent.objects.get(actor_member=cast.bob)
    assert (event.inferred, event.post_id, event.origin) == (True, first.pk, f"post:{first.pk}")
    assert event.evidence == "replied"
    run(check_reply, cast.alice, thread, body_md="Thanks!", parent=first)
    # Alice answers someone who replied to her: talk both ways.
    assert kinds(actor_member=cast.alice, target_member=cast.bob) == ["conversation", "respond"]
    tie = Tie.objects.get(member=cast.alice, other_member=cast.bob)
    assert tie.nature == "relationship"
    assert tie.polarity == 1
    assert tie.event_count == 3


def test_inference_is_idempotent(cast: Cast, places: Places, run: Callable[..., Any]) -> None:
    thread = run(check_create_thread, cast.alice, places.forum, title="T", body_md="Body")
    post = run(check_reply, cast.bob, thread, body_md="Reply")
    infer_from_post.call(post.pk)
    infer_from_post.call(post.pk)
    assert RelationshipEvent.objects.filter(origin=f"post:{post.pk}").count() == 1


def test_a_staff_answer_is_support_and_counts_in_the_customers_tie_with_the_company(
    cast: Cast, places: Places, run: Callable[..., Any]
) -> None:
    question = run(check_create_thread, cast.alice, places.qa, title="Hub offline", body_md="Help")
    answer = run(check_reply, cast.sam, question, body_md="Reset it.")
    assert kinds(actor_member=cast.sam, target_member=cast.alice) == ["respond", "support"]
    run(check_accept_answer, cast.alice, answer)
    assert kinds(actor_member=cast.alice, target_member=cast.sam) == ["ask_advice"]
    company_tie = Tie.objects.get(member=cast.alice, organization=places.company)
    assert company_tie.kinds == {"respond": 1, "support": 1, "ask_advice": 1}
    assert company_tie.polarity == 1


def test_reviews_are_evaluations_signed_by_their_stars_and_coming_back_is_repeat_patronage(
    cast: Cast, places: Places, run: Callable[..., Any]
) -> None:
    run(check_post_review, cast.bob, places.product, stars=1, title="Dead", body_md="Broke.")
    event = RelationshipEvent.objects.get(actor_member=cast.bob, kind="evaluate")
    assert (event.target_product_id, event.polarity) == (places.product.pk, -1)
    other = places.product.__class__.objects.create(
        organization=places.company, name="Lumen Plug", slug="lumen-plug"
    )
    run(check_post_review, cast.bob, other, stars=5, title="Great", body_md="Works.")
    repeat = RelationshipEvent.objects.get(kind="repeat_patronage")
    assert (repeat.actor_member, repeat.target_organization) == (cast.bob, places.company)
    assert RelationshipEvent.objects.get(target_product=other).polarity == 1


def test_follows_connections_and_reactions(
    cast: Cast, places: Places, run: Callable[..., Any]
) -> None:
    run(check_follow, cast.alice, cast.bob)
    assert kinds(actor_member=cast.alice, target_member=cast.bob) == ["subscription"]
    request = run(check_request_connection, cast.bob, cast.alice)
    run(check_respond_to_connection, cast.alice, request, accept=False)
    rebuff = RelationshipEvent.objects.get(kind="rebuff")
    assert (rebuff.actor_member, rebuff.target_member, rebuff.polarity) == (
        cast.alice,
        cast.bob,
        -1,
    )
    thread = run(check_create_thread, cast.bob, places.forum, title="Tip", body_md="A tip")
    opening = thread.posts.get()
    run(check_react, cast.alice, opening, "like")
    assert RelationshipEvent.objects.get(kind="recognition").weight == pytest.approx(0.3)
    run(check_react, cast.alice, opening, "like")  # taken back
    assert not RelationshipEvent.objects.filter(kind="recognition").exists()
    assert Connection.objects.filter(status=Connection.Status.DECLINED).exists()


def test_a_correction_removes_an_inferred_event_for_good(
    cast: Cast, places: Places, run: Callable[..., Any]
) -> None:
    thread = run(check_create_thread, cast.alice, places.forum, title="T", body_md="Body")
    post = run(check_reply, cast.bob, thread, body_md="Reply")
    event = RelationshipEvent.objects.get(origin=f"post:{post.pk}")
    with pytest.raises(ActionError) as stranger:
        actions.check_correct(cast.sam, event, "removed")
    assert stranger.value.status == 404
    run(actions.check_correct, cast.alice, event, "removed")
    assert not RelationshipEvent.objects.filter(origin=f"post:{post.pk}").exists()
    assert not Tie.objects.filter(member=cast.alice, other_member=cast.bob).exists()
    infer_from_post.call(post.pk)  # inference runs again (a rebuild, a redelivered task)
    assert not RelationshipEvent.objects.filter(origin=f"post:{post.pk}").exists()


def test_a_polarity_correction_holds_when_inferred_again(
    cast: Cast, places: Places, run: Callable[..., Any]
) -> None:
    thread = run(check_create_thread, cast.alice, places.forum, title="T", body_md="Body")
    post = run(check_reply, cast.bob, thread, body_md="Reply")
    event = RelationshipEvent.objects.get(origin=f"post:{post.pk}")
    run(actions.check_correct, cast.bob, event, "negative")
    RelationshipEvent.objects.filter(pk=event.pk).delete()
    infer_from_post.call(post.pk)
    assert RelationshipEvent.objects.get(origin=f"post:{post.pk}").polarity == -1


def test_stated_expressions_are_checked(
    cast: Cast, places: Places, run: Callable[..., Any]
) -> None:
    vouch = run(actions.check_express, cast.alice, "vouch", cast.bob)
    assert (vouch.inferred, vouch.polarity) == (False, 1)
    with pytest.raises(ActionError) as twice:
        actions.check_express(cast.alice, "vouch", cast.bob)
    assert twice.value.status == 409
    with pytest.raises(ActionError, match="yourself"):
        actions.check_express(cast.alice, "recommend", cast.alice)
    with pytest.raises(ActionError, match="whom you are referring"):
        actions.check_express(cast.alice, "referral", cast.bob)
    with pytest.raises(ActionError, match="Members can state only"):
        actions.check_express(cast.alice, "stalking", cast.bob)
    with pytest.raises(ActionError, match="can be said of a member"):
        actions.check_express(cast.alice, "invite", places.product)
    referral = run(actions.check_express, cast.alice, "referral", cast.pat, about=cast.bob)
    assert referral.about_member == cast.bob
    with pytest.raises(ActionError) as not_mine:
        actions.check_withdraw(cast.bob, vouch)
    assert not_mine.value.status == 403
    run(actions.check_withdraw, cast.alice, vouch)
    assert not RelationshipEvent.objects.filter(pk=vouch.pk).exists()


def test_payments_alone_make_a_transaction(
    cast: Cast, places: Places, run: Callable[..., Any]
) -> None:
    for n in range(3):
        run(
            actions.do_infer,
            "payment",
            origin=f"order:{n}",
            actor=cast.bob,
            target=places.company,
            occurred_at=timezone.now() - timedelta(days=n),
            evidence=Sentence("paid an order"),
        )
    tie = Tie.objects.get(member=cast.bob, organization=places.company)
    assert tie.nature == "transaction"
    run(actions.check_express, cast.bob, "recommend", places.company)
    tie.refresh_from_db()
    assert tie.nature == "relationship"


def test_refresh_all_rebuilds_every_tie_and_drops_empty_ones(
    cast: Cast, places: Places, run: Callable[..., Any]
) -> None:
    run(actions.check_express, cast.alice, "recommend", cast.bob)
    Tie.objects.all().delete()
    Tie.objects.create(
        member=cast.sam,
        other_member=cast.pat,
        strength=1,
        polarity=1,
        nature="relationship",
        positive=1,
        negative=0,
        event_count=1,
        updated_at=timezone.now(),
    )
    assert refresh_all() == 1
    assert list(Tie.objects.values_list("member", "other_member")) == [(cast.alice.pk, cast.bob.pk)]
    refresh([Pair.members(cast.alice.pk, cast.bob.pk)])
    assert Tie.objects.count() == 1


def _login(client: Client, member: Member) -> None:
    assert client.login(username=member.username, password=PASSWORD)


def test_pages_show_relationships_with_their_evidence_and_take_corrections(
    client: Client,
    cast: Cast,
    places: Places,
    run: Callable[..., Any],
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    thread = run(check_create_thread, cast.alice, places.forum, title="Pairing woes", body_md="?")
    post: Post = run(check_reply, cast.bob, thread, body_md="Try this")
    _login(client, cast.alice)
    page = client.get(reverse("relationships"))
    assert page.status_code == 200
    assert "Bob Baker" in page.content.decode()
    assert "Pairing woes" in page.content.decode()
    event = RelationshipEvent.objects.get(origin=f"post:{post.pk}")
    with django_capture_on_commit_callbacks(execute=True):
        corrected = client.post(
            reverse("relationship_correct", args=[event.pk]), {"action": "removed"}
        )
    assert corrected.status_code == 302
    assert not RelationshipEvent.objects.filter(pk=event.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        stated = client.post(
            reverse("relationship_express"),
            {
                "kind": "recommend",
                "target": "member:bob",
                "next": reverse("relationship_card", args=["bob"]),
            },
        )
    assert stated.status_code == 302
    card = client.get(reverse("relationship_card", args=["bob"])).content.decode()
    assert "✓ Recommend" in card
    refused = client.post(
        reverse("relationship_express"), {"kind": "recommend", "target": "member:bob"}
    )
    assert refused.status_code == 409
    assert "You already said this" in refused.content.decode()
    unknown = client.post(
        reverse("relationship_express"), {"kind": "vouch", "target": "member:nobody"}
    )
    assert unknown.status_code == 404


def test_nobody_learns_who_blocked_them(
    client: Client, cast: Cast, run: Callable[..., Any]
) -> None:
    run(actions.check_express, cast.alice, "blacklist", cast.bob)
    _login(client, cast.bob)
    card = client.get(reverse("relationship_card", args=["alice"])).content.decode()
    assert "No relationship yet" in card
    assert ">Blacklist</span>" not in card
    assert "Alice" not in client.get(reverse("relationships")).content.decode().split("<main")[-1]
    _login(client, cast.alice)
    card = client.get(reverse("relationship_card", args=["bob"])).content.decode()
    assert ">Blacklist</span>" in card


def test_the_map_is_for_staff(
    client: Client, cast: Cast, places: Places, run: Callable[..., Any]
) -> None:
    run(actions.check_express, cast.alice, "recommend", places.company)
    run(actions.check_express, cast.bob, "blacklist", places.company)
    _login(client, cast.alice)
    assert client.get(reverse("relationship_map")).status_code == 403
    assert client.get(reverse("relationship_member", args=["bob"])).status_code == 403
    _login(client, cast.sam)
    page = client.get(reverse("relationship_map")).content.decode()
    advocates, detractors = page.split("Strongest detractors")
    assert "Alice Archer" in advocates
    assert "Bob Baker" in detractors.split("Cooling down")[0]


def test_the_docs_table_is_the_table_in_code() -> None:
    docs = (Path(__file__).resolve().parents[3] / "docs" / "relationships.md").read_text()
    rows = {
        cells[0]: cells
        for line in docs.splitlines()
        if line.startswith("| ") and (cells := [c.strip() for c in line.strip("|").split("|")])
    }
    for name, spec in KINDS.items():
        sign = {1: "+", -1: "\N{MINUS SIGN}", 0: "from the expression"}[spec.polarity]
        assert rows[name][1:6] == [
            sign,
            f"{spec.weight:g}",
            f"{spec.half_life_days:g}",
            "yes" if spec.transactional else "",
            spec.reason,
        ], name


def _inferred_rows() -> set[tuple[Any, ...]]:
    """Every column of the inferred events that the two ways of inferring must agree on."""
    columns = ["origin", "kind", "actor_member", "target_member", "target_organization"]
    columns += ["target_product", "post", "polarity", "weight", "evidence", "evidence_sentence"]
    found = RelationshipEvent.objects.filter(inferred=True).values_list(*columns)
    # The sentence (a dict) as canonical JSON, so that rows can be compared as a set.
    return {(*row[:-1], json.dumps(row[-1], sort_keys=True)) for row in found}


def test_the_backfill_writes_what_live_inference_would_once_and_respects_corrections(
    cast: Cast, places: Places, run: Callable[..., Any]
) -> None:
    question = run(check_create_thread, cast.alice, places.qa, title="Q", body_md="?")
    answer = run(check_reply, cast.sam, question, body_md="A")
    run(check_accept_answer, cast.alice, answer)
    run(check_post_review, cast.bob, places.product, stars=5, title="Good", body_md="Fine.")
    plug = places.product.__class__.objects.create(
        organization=places.company, name="Lumen Plug", slug="lumen-plug"
    )
    run(check_post_review, cast.bob, plug, stars=2, title="Meh", body_md="Flaky.")
    run(check_react, cast.bob, answer, "helpful")
    run(check_follow, cast.bob, cast.alice)
    live = _inferred_rows()
    # Every rule that fired wrote its sentence: a plural with its count, values as numbers.
    assert all(row[-1] != "null" for row in live)
    assert {"kind": "repeat_patronage", "count": 2} in [
        {"kind": row[1], "count": json.loads(row[-1])["values"].get("count")} for row in live
    ]
    event = RelationshipEvent.objects.get(kind="respond")
    run(actions.check_correct, cast.alice, event, "removed")
    RelationshipEvent.objects.all().delete()
    Tie.objects.all().delete()
    added, tie_count = rebuild()
    rebuilt = _inferred_rows()
    assert rebuilt == {row for row in live if row[1] != "respond"}
    assert added == len(rebuilt)
    assert tie_count == Tie.objects.count() > 0
    assert rebuild()[0] == 0  # nothing new the second time


def test_a_refused_referral_shows_the_card_again_with_what_was_typed(
    client: Client, cast: Cast, run: Callable[..., Any]
) -> None:
    """Text that matches nobody is a message beside the field, not a 404 page; the note stays."""
    _login(client, cast.alice)
    refused = client.post(
        reverse("relationship_express"),
        {
            "kind": "referral",
            "target": "member:bob",
            "about": "@daniel",
            "note": "He knows heat pumps",
        },
    )
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Nobody matches “@daniel”: type a few letters of their name or username." in page
    assert 'value="He knows heat pumps"' in page
    assert 'value="@daniel"' in page
    assert "Whom to refer" in page
    assert "Refer someone to Bob Baker" in page
    too_long = client.post(
        reverse("relationship_express"),
        {"kind": "referral", "target": "member:bob", "about": "pat", "note": "x" * 301},
    )
    assert too_long.status_code == 400
    assert "What for (optional)" in too_long.content.decode()
    assert not RelationshipEvent.objects.filter(kind="referral").exists()


def test_a_correction_is_listed_and_can_be_undone(
    client: Client, cast: Cast, places: Places, run: Callable[..., Any]
) -> None:
    thread = run(check_create_thread, cast.alice, places.forum, title="T", body_md="Body")
    post = run(check_reply, cast.bob, thread, body_md="Reply")
    event = RelationshipEvent.objects.get(origin=f"post:{post.pk}")
    run(actions.check_correct, cast.alice, event, "removed")
    _login(client, cast.alice)
    page = client.get(reverse("relationships")).content.decode()
    assert "Your corrections" in page
    assert "Not a relationship" in page
    correction = RelationshipCorrection.objects.get(origin=f"post:{post.pk}")
    undo = reverse("relationship_undo_correction", args=[correction.pk])
    assert undo in page
    # Only its author undoes it.
    other = Client()
    _login(other, cast.bob)
    assert other.post(undo).status_code == 404
    undone = run(client.post, undo)
    assert undone.status_code == 302
    assert not RelationshipCorrection.objects.exists()
    back = RelationshipEvent.objects.get(origin=f"post:{post.pk}")
    assert (back.kind, back.polarity) == ("respond", 1)
    assert Tie.objects.filter(member=cast.alice, other_member=cast.bob).exists()
    # A sign correction undone: the event comes back with the sign the rules give it.
    run(actions.check_correct, cast.alice, back, "negative")
    correction = RelationshipCorrection.objects.get(origin=f"post:{post.pk}")
    run(client.post, reverse("relationship_undo_correction", args=[correction.pk]))
    assert RelationshipEvent.objects.get(origin=f"post:{post.pk}").polarity == 1


def _queries_for(client: Client, url: str) -> tuple[int, str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm the per-language caches of the layout
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    assert page.status_code == 200
    return len(queries), page.content.decode()


@pytest.mark.usefixtures("banner_checked_on_every_page")
def test_relationship_lists_take_a_fixed_number_of_queries_and_link_to_a_correction_page(
    client: Client, cast: Cast, places: Places, run: Callable[..., Any]
) -> None:
    from conftest import make_member

    thread = run(check_create_thread, cast.alice, places.forum, title="Hub", body_md="?")
    run(check_reply, cast.bob, thread, body_md="Reboot")
    run(check_reply, cast.sam, thread, body_md="Staff here")  # alice's tie with the company
    run(actions.check_express, cast.alice, "recommend", places.product)
    _login(client, cast.alice)
    few, page = _queries_for(client, reverse("relationships"))
    staff = Client()
    _login(staff, cast.sam)
    few_staff, _ = _queries_for(staff, reverse("relationship_member", args=["alice"]))
    for n in range(6):
        other = make_member(f"helper{n}", Member.Role.CUSTOMER, f"Helper {n}")
        run(check_reply, other, thread, body_md=f"Try {n}")
        run(actions.check_express, cast.alice, "vouch", other)
    assert Tie.objects.filter(other_member__username__startswith="helper").count() == 6
    many, page = _queries_for(client, reverse("relationships"))
    assert many == few
    assert _queries_for(staff, reverse("relationship_member", args=["alice"]))[0] == few_staff
    # Each inferred event links to its correction page; no form per event; stated ones keep
    # their Withdraw button.
    event = RelationshipEvent.objects.get(actor_member=cast.bob, kind="respond")
    link = reverse("relationship_correct", args=[event.pk])
    assert f'href="{link}?next=/relationships/"' in page
    assert 'name="action"' not in page
    assert f'action="{link}"' not in page
    # The correction page, without JavaScript: the choices as radios, with CSRF.
    form = client.get(link, {"next": "/relationships/"})
    assert form.status_code == 200
    html = form.content.decode()
    assert 'type="radio" name="action" value="removed"' in html
    assert "csrfmiddlewaretoken" in html
    assert 'name="next" value="/relationships/"' in html
    # Permissions as before: someone not a party gets 404, GET or POST.
    outsider = Client()
    _login(outsider, cast.pat)
    assert outsider.get(link).status_code == 404
    assert outsider.post(link, {"action": "removed"}).status_code == 404
    # Staff see no correction link on a member's page (they are not a party to bob's reply).
    assert link not in staff.get(reverse("relationship_member", args=["alice"])).content.decode()
    # A choice missing: the page again with the message, 400.
    again = client.post(link, {"next": "/relationships/"})
    assert again.status_code == 400
    assert 'type="radio"' in again.content.decode()
    done = run(client.post, link, {"action": "removed", "next": "/relationships/"})
    assert (done.status_code, done["Location"]) == (302, "/relationships/")
    assert not RelationshipEvent.objects.filter(pk=event.pk).exists()


def test_the_map_tells_heavy_ties_apart_by_their_weight(
    client: Client, cast: Cast, places: Places, run: Callable[..., Any]
) -> None:
    import math

    from conftest import make_member

    # The stored weight is the roll-up's, and the strength follows it.
    run(actions.check_express, cast.alice, "recommend", places.company)
    tie = Tie.objects.get(member=cast.alice, organization=places.company)
    assert tie.mass == pytest.approx(2.0, rel=1e-3)
    assert tie.strength == pytest.approx(1 - math.exp(-tie.mass / 5))
    # Two heavy customers: strengths a rounding of 1 apart (one stored as exactly 1.0).
    now = timezone.now()
    for name, strength, mass in (("heavy", 1.0, 197.6), ("heavier", 1.0 - 1e-16, 201.3)):
        Tie.objects.create(
            member=make_member(name, Member.Role.CUSTOMER, name.title()),
            organization=places.company,
            strength=strength,
            mass=mass,
            polarity=0.8,
            nature=Tie.Nature.RELATIONSHIP,
            positive=mass,
            negative=0.0,
            event_count=300,
            updated_at=now,
        )
    _login(client, cast.sam)
    page = client.get(reverse("relationship_map")).content.decode()
    advocates = page.split("Strongest advocates")[1].split("Strongest detractors")[0]
    assert advocates.index("Heavier") < advocates.index("Heavy<") < advocates.index("Alice")
    assert "weight 201.3" in advocates
    assert "weight 197.6" in advocates
    assert "weight 2.0" in advocates
    assert "100%" not in page  # a strength never reaches 1
    assert "99%" in advocates
