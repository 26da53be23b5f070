"""An inferred event's evidence is a sentence with its values, read in the reader's language;
a member's own note, and an old record nobody recognised, are shown as they were written."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from cluetrain.api.tokens import do_create_token
from cluetrain.core.sentences import Sentence
from cluetrain.members.models import COMPANY_STAFF_ROLES, Connection
from cluetrain.organizations.models import Product
from cluetrain.relationships import actions, rules
from cluetrain.relationships.models import RelationshipEvent
from cluetrain.relationships.rules import Inferred
from cluetrain.reviews.actions import check_post_review
from cluetrain.sources.lookup import community_source
from cluetrain.threads.models import Reaction
from conftest import PASSWORD, Cast, Places


def _every_rule_output() -> list[Inferred]:
    """What each rule infers, through every branch that writes evidence."""
    at = datetime(2026, 1, 1, tzinfo=UTC)
    staff = sorted(COMPANY_STAFF_ROLES)[0]
    found = rules.reply(
        1,
        at,
        author_id=1,
        author_role=staff,
        other_id=2,
        other_role="customer",
        replied_before=True,
    )
    found += rules.accepted_answer(1, at, asker_id=1, answerer_id=2)
    found += rules.review(
        1,
        at,
        author_id=1,
        stars=4,
        product_id=3,
        organization_id=None,
        member_id=None,
        vendor_id=4,
        opening_post_id=None,
        earlier_of_vendor=1,
    )
    for kind in Connection.Kind.values:
        found += rules.connection(1, 2, kind, Connection.Status.ACCEPTED, at)
    found += rules.connection(1, 2, Connection.Kind.CONNECT, Connection.Status.DECLINED, at)
    for kind in Reaction.Kind.values:
        found += rules.reaction(1, 1, kind, author_id=2, at=at)
    found += rules.message(
        1,
        at,
        author_id=1,
        external_id=None,
        intents=[*rules.INTENT_KINDS, "complain"],
        sentiment="negative",
        product_ids=[],
        company_id=5,
    )
    return found


def test_every_rule_writes_a_sentence_that_reads_in_french() -> None:
    """A rule whose sentence is reworded without its French fails here, instead of showing
    English on French pages."""
    found = _every_rule_output()
    assert len({i.kind for i in found}) >= 14
    for inferred in found:
        row = inferred.event()
        sentence = Sentence.from_json(row.evidence_sentence)
        assert sentence is not None, inferred
        assert sentence.render_in("en") == row.evidence  # the record, in the site's language
        french = sentence.render_in("fr")
        assert french != row.evidence, f"no French for {sentence.singular!r}"
        assert "%(" not in french


def test_an_event_inferred_in_english_reads_in_french_on_the_page_and_in_the_api(
    client: Client, cast: Cast, places: Places, run: Callable[..., Any]
) -> None:
    plug = Product.objects.create(organization=places.company, name="Lumen Plug", slug="plug")
    run(check_post_review, cast.bob, places.product, stars=4, title="Good", body_md="Fine.")
    run(check_post_review, cast.bob, plug, stars=5, title="Great", body_md="Works.")
    run(actions.check_express, cast.bob, "recommend", cast.alice, note="She fixed my hub")
    repeat = RelationshipEvent.objects.get(kind="repeat_patronage")
    assert repeat.evidence == "came back: 2 reviews of its products"  # the English record
    assert client.login(username=cast.bob.username, password=PASSWORD)
    english = client.get(reverse("relationships"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "came back: 2 reviews of its products" in english
    assert "reviewed with 4 of 5 stars" in english
    french = client.get(reverse("relationships"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "est revenu : 2 avis sur ses produits" in french
    assert "a donné un avis de 4 étoiles sur 5" in french
    assert "a donné un avis de 5 étoiles sur 5" in french
    assert "reviewed with" not in french
    assert "She fixed my hub" in french  # a member's own words are never translated
    _, token = do_create_token(cast.bob, name="tests", scope="read")
    api = Client().get(
        "/api/relationships",
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "fr"},
    )
    shown = {e["kind"]: e["evidence"] for tie in api.json()["items"] for e in tie["events"]}
    assert shown["repeat_patronage"] == "est revenu : 2 avis sur ses produits"
    assert shown["recommend"] == "She fixed my hub"


def test_the_singular_of_a_counted_sentence_is_chosen_by_its_count() -> None:
    one = Sentence.ngettext(
        "came back: %(count)s review of its products",
        "came back: %(count)s reviews of its products",
        1,
    )
    assert one.render_in("en") == "came back: 1 review of its products"
    assert Sentence.from_json(one.to_json()) == one


def _old_row(evidence: str, *, inferred: bool, origin: str, **ids: int) -> dict[str, Any]:
    return {
        "kind": "respond",
        "polarity": 1,
        "weight": 1.0,
        "occurred_at": timezone.now(),
        "source_id": community_source().pk,
        "inferred": inferred,
        "origin": origin,
        "evidence": evidence,
        **ids,
    }


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_old_english_evidence_into_sentences(cast: Cast) -> None:
    before = [("relationships", "0003_tie_mass")]
    after = [("relationships", "0004_evidence_sentence")]
    pair = {"actor_member_id": cast.bob.pk, "target_member_id": cast.alice.pk}
    old_texts = {
        "a": "replied",
        "b": "came back: 3 reviews of its products",
        "c": "referred Bob Baker for: a new boiler: soon",
        "d": "rated 2/5 after a referral: late, and rude",
        "e": "paid an order",  # no rule ever wrote this: kept as written
    }
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps.get_model(
            "relationships", "RelationshipEvent"
        )
        for origin, text in old_texts.items():
            old.objects.create(**_old_row(text, inferred=True, origin=origin, **pair))
        # A member's note that happens to read like a rule's words is still their words.
        old.objects.create(**_old_row("replied", inferred=False, origin="", **pair))
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)
        events = {e.origin: e for e in RelationshipEvent.objects.all()}
        assert events["b"].evidence_sentence == {
            "singular": "came back: %(count)s review of its products",
            "plural": "came back: %(count)s reviews of its products",
            "values": {"count": 3},
        }
        sentences = {
            origin: Sentence.from_json(e.evidence_sentence) for origin, e in events.items()
        }
        assert sentences["c"] == Sentence(
            "referred %(name)s for: %(need)s", {"name": "Bob Baker", "need": "a new boiler: soon"}
        )
        assert sentences["d"] == Sentence(
            "rated %(stars)s/5 after a referral: %(words)s", {"stars": 2, "words": "late, and rude"}
        )
        assert events["e"].evidence_sentence is None
        assert events[""].evidence_sentence is None
        french = {
            origin: sentence.render_in("fr")
            for origin, sentence in sentences.items()
            if sentence is not None
        }
        assert french == {
            "a": "a répondu",
            "b": "est revenu : 3 avis sur ses produits",
            "c": "a recommandé Bob Baker pour : a new boiler: soon",
            "d": "a noté 2/5 après une recommandation : late, and rude",
        }
        # Each converted sentence says what the old record said, in English.
        for origin, event in events.items():
            assert event.evidence_text() == old_texts.get(origin, "replied")
        # And back: the column goes, nothing else changes.
        MigrationExecutor(connection).migrate(before)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_a_stated_note_is_shown_as_written(cast: Cast, run: Callable[..., Any]) -> None:
    event = run(actions.check_express, cast.alice, "vouch", cast.bob, note="replied")
    assert event.evidence_sentence is None
    with translation.override("fr"):
        assert event.evidence_text() == "replied"


def test_reaction_evidence_covers_every_reaction_kind() -> None:
    assert set(rules.REACTION_EVIDENCE) == set(Reaction.Kind.values)


def test_a_member_on_another_apps_inference_reads_it_in_french(
    cast: Cast, run: Callable[..., Any]
) -> None:
    event = run(
        actions.do_infer,
        "invite",
        origin="invite:1:2",
        actor=cast.alice,
        target=cast.bob,
        occurred_at=timezone.now(),
        evidence=Sentence("invited to answer a question"),
    )
    assert isinstance(event, RelationshipEvent)
    event.refresh_from_db()
    assert event.evidence == "invited to answer a question"
    with translation.override("fr"):
        assert event.evidence_text() == "a invité à répondre à une question"
