"""Why a request was sent to a vendor: kept as sentences with their values, read in the
vendor's language (the page and the API), and the English rows of before converted."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cluetrain.api.tests.conftest import ApiClient
from cluetrain.api.tokens import do_create_token
from cluetrain.core.sentences import Sentence, stored_in_words
from cluetrain.intents.models import Match
from cluetrain.intents.tests.world import Market, make_market, post_and_match
from cluetrain.reputation.models import Reputation
from conftest import Cast


@pytest.fixture
def market(cast: Cast) -> Market:
    return make_market()


def _rated(market: Market) -> None:
    """Beacon Rentals has a reputation of 73/100."""
    Reputation.objects.create(
        organization=market.rentals,
        score=0.46,
        ratings=4,
        raters=4,
        explanation={},
        computed_at=timezone.now(),
    )


def test_a_match_keeps_its_reasons_as_sentences_with_their_values(
    cast: Cast, market: Market
) -> None:
    _rated(market)
    intent = post_and_match(cast.alice)
    match = Match.objects.get(intent=intent, organization=market.rentals)
    kept = [Sentence.from_json(reason) for reason in match.reasons]
    assert [sentence.singular for sentence in kept if sentence] == [
        "serves %(place)s (%(km)s km away)",
        "offers %(category)s",
        "what it offers reads like the request (%(similarity)s)",
        "reputation %(percent)s/100",
    ]
    assert kept[1] is not None
    assert kept[1].values == {"category": "car rental"}
    assert kept[3] is not None
    assert kept[3].values == {"percent": 73}
    similarity = kept[2].values["similarity"] if kept[2] else None
    assert isinstance(similarity, float)
    assert 0 < similarity < 1
    assert stored_in_words(match.reasons[3]) == "reputation 73/100"


def test_the_vendor_reads_why_in_french_on_the_page_and_in_the_api(
    cast: Cast, market: Market
) -> None:
    _rated(market)
    intent = post_and_match(cast.alice)
    match = Match.objects.get(intent=intent, organization=market.rentals)
    similarity = Sentence.from_json(match.reasons[2])
    assert similarity is not None
    decimal_comma = str(similarity.values["similarity"]).replace(".", ",")
    french = [
        "dessert Boston, Massachusetts, United States (à 0 km)",
        "propose car rental",
        f"ce qu'il propose ressemble à la demande ({decimal_comma})",
        "réputation 73/100",
    ]
    page = Client(headers={"accept-language": "fr"})
    page.force_login(market.rita)
    html = page.get(reverse("intent", args=[intent.pk])).content.decode()
    assert "Envoyée à Beacon Rentals : " + "; ".join(french).replace("'", "&#x27;") in html
    _, raw = do_create_token(market.rita, name="tests", scope="write")
    api = ApiClient(raw)
    api.headers["Accept-Language"] = "fr"
    (row,) = api.get("/api/vendor/requests").json()["items"]
    assert row["reasons"] == french
    api.headers["Accept-Language"] = "en"
    (row,) = api.get("/api/vendor/requests").json()["items"]
    assert row["reasons"][3] == "reputation 73/100"


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_old_english_reasons_into_sentences(cast: Cast, market: Market) -> None:
    before = [("intents", "0002_moderation_and_vendor_places")]
    after = [("intents", "0003_match_reasons_as_sentences")]
    old_reasons = [
        "serves Boston, Massachusetts, United States (3 km away)",
        "offers car rental",
        "what it offers reads like the request (0.42)",
        "reputation 73/100",
        "sent by hand",  # matching never wrote this: kept as written
    ]
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps
        now = timezone.now()
        intent = old.get_model("intents", "Intent").objects.create(
            customer_id=cast.alice.pk,
            pseudonym="Blue Heron",
            title="A car",
            category="car rental",
            open_until=now,
            created_at=now,
            updated_at=now,
        )
        old.get_model("intents", "Match").objects.create(
            intent_id=intent.pk,
            organization_id=market.rentals.pk,
            score=0.8,
            reasons=old_reasons,
            created_at=now,
        )
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)
        (match,) = Match.objects.all()
        assert match.reasons[:4] == [
            {
                "singular": "serves %(place)s (%(km)s km away)",
                "values": {"place": "Boston, Massachusetts, United States", "km": 3},
            },
            {"singular": "offers %(category)s", "values": {"category": "car rental"}},
            {
                "singular": "what it offers reads like the request (%(similarity)s)",
                "values": {"similarity": 0.42},
            },
            {"singular": "reputation %(percent)s/100", "values": {"percent": 73}},
        ]
        assert match.reasons[4] == "sent by hand"
        page = Client(headers={"accept-language": "fr"})
        page.force_login(market.rita)
        html = page.get(reverse("intent", args=[intent.pk])).content.decode()
        assert "(à 3 km); propose car rental" in html
        assert "ressemble à la demande (0,42); réputation 73/100; sent by hand." in html
        # And back: nothing to undo, the sentences stay (the pages read both).
        MigrationExecutor(connection).migrate(before)
        assert Match.objects.get().reasons == match.reasons
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
