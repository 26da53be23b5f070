"""Export a small but complete community, wipe the database, import it, compare every row.

One test database serves both sides: the test snapshots every row of every exported model,
exports, empties the database with `flush` (inside the test's transaction), imports, and
compares the rows with the snapshot. The same code runs on SQLite and PostgreSQL.
"""

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from cluetrain.api.models import ApiToken, RateWindow
from cluetrain.blogs.demo import plant_blogs
from cluetrain.core.models import RateCounter
from cluetrain.demo.generate import DEMO_EMAIL_DOMAIN, generate
from cluetrain.expertise.actions import check_set_away
from cluetrain.exports.instance import (
    MANIFEST,
    ExportError,
    export_instance,
    exported_models,
    import_instance,
)
from cluetrain.ideas.actions import (
    check_change_idea_status,
    check_follow_idea,
    check_set_vote_budget,
)
from cluetrain.ideas.models import Idea
from cluetrain.imports.models import ImportedRating, PendingReply
from cluetrain.influence.models import (
    Alert,
    Cascade,
    InfluenceScore,
    RankingSignal,
    SpreadPolicy,
    StaffResponse,
    ThreadClaim,
)
from cluetrain.intents.tests.world import fill_every_table as fill_every_intents_table
from cluetrain.jams.demo import plant_jams
from cluetrain.jams.models import Jam
from cluetrain.listening.corrections import check_correct_labels
from cluetrain.listening.enrichment import enrich_pending
from cluetrain.listening.models import (
    Enrichment,
    EnrichmentAspect,
    FittedModel,
    LearnedTopic,
    RootIssue,
    RootIssueEvent,
)
from cluetrain.members.models import Member
from cluetrain.moderation.actions import (
    check_decide_held,
    check_flag_post,
    check_moderate_post,
    check_retrain,
)
from cluetrain.moderation.tests.spam import held_reply
from cluetrain.notifications.models import DigestSent, EmailPreference, Notification
from cluetrain.orders.demo import plant_orders
from cluetrain.organizations.models import Product
from cluetrain.partners.demo import plant_partner_network
from cluetrain.relationships.models import RelationshipCorrection, RelationshipEvent, Tie
from cluetrain.reputation.models import FlaggedAccount, Reputation
from cluetrain.search.backends import search_members, search_posts
from cluetrain.sources.models import ExternalIdentity, Source
from cluetrain.spaces.models import Space
from cluetrain.threads.actions import check_create_thread, check_edit_post, check_reply
from cluetrain.threads.follow import check_follow_thread
from cluetrain.threads.models import Post, Thread
from cluetrain.webhooks.models import WebhookDelivery, WebhookEndpoint

Snapshot = dict[str, list[dict[str, Any]]]


def _build_community() -> None:
    generate(members=20, posts=60, progress=False)
    alice = Member.objects.filter(role=Member.Role.CUSTOMER).order_by("pk").first()
    moderator = Member.objects.filter(role=Member.Role.MODERATOR).order_by("pk").first()
    assert alice is not None
    assert moderator is not None
    space = Space.objects.filter(visibility=Space.Visibility.PUBLIC).order_by("pk").first()
    assert space is not None
    thread = check_create_thread(alice, space, title="Export me", body_md="Zebra firmware 9.")
    post = thread.posts.get()
    check_edit_post(alice, post, body_md="Zebra firmware 9.1, edited.")
    check_flag_post(moderator, post, reason="spam", note="looks odd")
    check_moderate_post(moderator, post, hide=True, reason="odd")
    check_moderate_post(moderator, post, hide=False, reason="fine after all")
    check_decide_held(moderator, held_reply(thread), approve=False)  # the spam filter's
    check_follow_thread(moderator, thread, follow=True)
    check_retrain(None)
    idea = Idea.objects.order_by("pk").first()
    assert idea is not None
    check_change_idea_status(moderator, idea, status=Idea.Status.PLANNED, explanation="Soon.")
    check_follow_idea(alice, idea, follow=True)
    check_set_vote_budget(moderator, idea.thread.space, votes=5)
    check_set_away(alice, timezone.localdate() + timedelta(days=3), note="On holiday")
    plant_partner_network(DEMO_EMAIL_DOMAIN)
    plant_jams(DEMO_EMAIL_DOMAIN)
    plant_blogs(DEMO_EMAIL_DOMAIN)  # a blog, its posts (draft, scheduled, published), follows
    Jam.objects.order_by("pk")[0].invited.add(alice)  # the demo's jams are open to everyone
    plant_orders(DEMO_EMAIL_DOMAIN, "demo-password")
    fill_every_intents_table(alice)
    source = Source.objects.create(slug="twitter", name="Twitter", kind=Source.Kind.SOCIAL)
    identity = ExternalIdentity.objects.create(
        source=source, external_id="42", handle="@zed", member=alice
    )
    now = timezone.now()
    product = Product.objects.order_by("pk").first()
    assert product is not None
    outside = Post.objects.create(
        thread=thread,
        external_author=identity,
        source=source,
        external_id="t-1",
        body_md="Outside ★ review",
        body_html="<p>Outside ★ review</p>",
        created_at=now,
    )
    ImportedRating.objects.create(post=outside, product=product, stars=4)
    PendingReply.objects.create(source=source, external_id="t-2", parent_external_id="t-0")
    RelationshipEvent.objects.create(
        actor_external=identity,
        target_product=product,
        kind="recommend",
        polarity=1,
        weight=0.5,
        occurred_at=now,
        source=source,
        post=outside,
    )
    stated = RelationshipEvent.objects.create(
        actor_member=alice,
        target_member=moderator,
        kind="vouch",
        polarity=1,
        weight=2.5,
        occurred_at=now,
        source=source,
    )
    RelationshipCorrection.objects.create(
        member=alice, origin=f"post:{post.pk}", kind="respond", action="removed"
    )
    Reputation.objects.create(
        member=moderator, score=0.4, ratings=1, raters=1, explanation={}, computed_at=now
    )
    FlaggedAccount.objects.create(member=alice, reasons=["a test"], computed_at=now)
    Tie.objects.create(
        member=alice,
        other_member=moderator,
        strength=0.4,
        polarity=1,
        nature="relationship",
        positive=2.5,
        negative=0,
        kinds={stated.kind: 1},
        event_count=1,
        last_at=now,
        updated_at=now,
    )
    token = ApiToken.objects.create(
        member=alice, name="cli", token_hash="ab" * 32, prefix="ct_abcd", created_at=now
    )
    RateWindow.objects.create(token=token, window_start=now, count=3)
    RateCounter.objects.create(key=f"post:{alice.pk}", window_start=now, count=2)
    # Notifications are delivered after commit, which a test transaction never reaches.
    Notification.objects.create(
        recipient=alice, kind="reply", actor=moderator, post=post, dedupe_key="r1", created_at=now
    )
    EmailPreference.objects.create(member=alice, frequency="weekly", token_version=2)
    DigestSent.objects.create(
        member=moderator, frequency="daily", period_start=now, sent_at=now, items=3
    )
    endpoint = WebhookEndpoint.objects.create(
        url="https://example.com/hook", events=["post.created"], created_at=now
    )
    WebhookDelivery.objects.create(
        endpoint=endpoint, event="post.created", payload={"a": [1, "é"]}, created_at=now
    )
    _listen(post, product, now)
    _influence(post, moderator, now)


def _influence(post: Post, staff: Member, now: datetime) -> None:
    """Scores, a cascade with its alert, a claim and a staff response."""
    topic = LearnedTopic.objects.get()
    assert post.author is not None
    InfluenceScore.objects.create(
        member=post.author,
        score=0.5,
        rank=1,
        roles="expert",
        role_facts={"expert": {"answers_received": 4.0, "ahead_of": 0.95}},
        stance=-0.25,
        computed_at=now,
    )
    InfluenceScore.objects.create(
        member=post.author, topic=topic, score=0.25, rank=1, computed_at=now
    )
    RankingSignal.objects.create(
        signal="in_degree", influence_ndcg=0.5, in_degree_ndcg=0.75, judged_on=40, computed_at=now
    )
    RankingSignal.objects.create(topic=topic, signal="influence", judged_on=5, computed_at=now)
    SpreadPolicy.objects.create(pk=1, alert_threshold=7, updated_by=staff, updated_at=now)
    cascade = Cascade.objects.create(
        thread=post.thread,
        root_post=post,
        started_at=now,
        size=3,
        distinct_people=2,
        age_minutes=4.5,
        forecast=9.5,
        forecast_method="test",
        opening_sentiment=-0.5,
        is_negative=True,
        updated_at=now,
    )
    Alert.objects.create(
        cascade=cascade,
        size_at_raise=3,
        forecast_at_raise=9.5,
        threshold=7,
        raised_at=now,
        acknowledged_by=staff,
        acknowledged_at=now,
    )
    ThreadClaim.objects.create(thread=post.thread, claimed_by=staff, claimed_at=now)
    reply = check_reply(staff, post.thread, body_md="Looking into it.", parent=post)
    StaffResponse.objects.create(
        thread=post.thread,
        waiting_post=post,
        reply=reply,
        responder=staff,
        seconds=90.0,
        answered_at=now,
    )


def _listen(post: Post, product: Product, now: datetime) -> None:
    """What listening read, learned and rolled up (the demo is too small for topics)."""
    enrich_pending()
    topic = LearnedTopic.objects.create(
        label="zebra · firmware", keywords=["zebra"], size=1, model_topic_id=0, model_version="t"
    )
    FittedModel.objects.create(
        kind="test", version="t", blob=b"\x00\xffbytes", corpus_size=1, fitted_at=now
    )
    issue = RootIssue.objects.create(
        name="Zebra firmware", first_seen=now, last_seen=now, centroids=[{"zebra": 1.0}]
    )
    RootIssueEvent.objects.create(issue=issue, kind=RootIssueEvent.Kind.CREATED, at=now)
    enrichment = Enrichment.objects.get(post=post)
    enrichment.topic, enrichment.root_issue = topic, issue
    enrichment.save(update_fields=["topic", "root_issue"])
    enrichment.products.add(product)
    EnrichmentAspect.objects.get_or_create(enrichment=enrichment, aspect="updates")
    staff = Member.objects.filter(role=Member.Role.STAFF).order_by("pk").first()
    assert staff is not None
    check_correct_labels(staff, post, {"sentiment": "negative", "event": "firmware broke"})


def _empty_database() -> None:
    # PostgreSQL refuses TRUNCATE while deferred foreign-key checks are pending: run them.
    connection.check_constraints()
    call_command("flush", interactive=False, verbosity=0)


def _snapshot() -> Snapshot:
    return {
        model._meta.label_lower: list(model._base_manager.order_by("pk").values())
        for model in exported_models()
    }


def _search_state() -> tuple[list[int], list[int]]:
    posts = search_posts(AnonymousUser(), "firmware", limit=50)
    members = search_members("lumen", limit=50)
    return [hit.object_id for hit in posts.hits], [hit.object_id for hit in members.hits]


def test_round_trip_restores_every_row(db: None, tmp_path: Path) -> None:
    _build_community()
    before = _snapshot()
    empty = sorted(label for label, rows in before.items() if not rows)
    assert empty == []
    search_before = _search_state()
    assert search_before[0]

    manifest = export_instance(tmp_path / "export")
    assert {entry["model"]: entry["rows"] for entry in manifest["files"]} == {
        label: len(rows) for label, rows in before.items()
    }

    _empty_database()
    assert not Post.objects.exists()
    assert not Member.objects.exists()

    summary = import_instance(tmp_path / "export")
    assert summary.rows == sum(len(rows) for rows in before.values())
    after = _snapshot()
    for label, rows in before.items():
        assert after[label] == rows, label
    assert _search_state() == search_before
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('integrity-check')")

    # Sequences continue after the imported rows.
    author = Member.objects.order_by("pk").first()
    space = Space.objects.filter(visibility=Space.Visibility.PUBLIC).order_by("pk").first()
    assert author is not None
    assert space is not None
    thread = check_create_thread(author, space, title="After import", body_md="New text.")
    assert thread.pk > max(row["id"] for row in before["threads.thread"])


def test_import_refuses_an_instance_with_content(db: None, tmp_path: Path) -> None:
    _build_community()
    export_instance(tmp_path / "export")
    threads = Thread.objects.count()
    with pytest.raises(ExportError, match="not empty"):
        import_instance(tmp_path / "export")
    assert Thread.objects.count() == threads


def test_import_refuses_a_damaged_export_before_writing(db: None, tmp_path: Path) -> None:
    _build_community()
    export_instance(tmp_path / "export")
    _empty_database()
    post_file = tmp_path / "export" / "threads.post.jsonl"
    post_file.write_text(post_file.read_text().replace("Zebra", "Zebro"))
    with pytest.raises(ExportError, match="sha256 does not match"):
        import_instance(tmp_path / "export")
    assert not Member.objects.exists()

    manifest_path = tmp_path / "export" / MANIFEST
    manifest = json.loads(manifest_path.read_text())
    manifest["format_version"] = 99
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(ExportError, match="Unsupported export format"):
        import_instance(tmp_path / "export")


def test_export_refuses_a_directory_with_files(db: None, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ExportError, match="is not empty"):
        export_instance(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_export_command_writes_manifest(db: None, tmp_path: Path) -> None:
    _build_community()
    call_command("export", str(tmp_path / "out"), verbosity=0)
    manifest = json.loads((tmp_path / "out" / MANIFEST).read_text())
    assert manifest["format"] == "cluetrain-export"
    files = {entry["file"] for entry in manifest["files"]}
    assert {
        "threads.post.jsonl",
        "members.profile_expertise.jsonl",
        "search.searchentry.jsonl",
    } <= files
    assert "members.member_groups.jsonl" not in files
