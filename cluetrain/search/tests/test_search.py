"""Site search on SQLite FTS5 and PostgreSQL full-text: same behaviour, same tests."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from django.utils import formats, timezone, translation

from cluetrain.members.models import Member
from cluetrain.search import indexing
from cluetrain.search.backends import (
    fts5_expression,
    highlight,
    postgres_matching_entries,
    postgres_search_query,
    search_members,
    search_posts,
)
from cluetrain.search.management.commands.rebuild_search_index import rebuild_search_index
from cluetrain.search.models import SearchEntry
from cluetrain.spaces.models import Space
from cluetrain.threads.actions import do_create_thread, do_edit_post, do_reply
from cluetrain.threads.models import Post, Thread
from conftest import PASSWORD, Cast, Places


def _thread(author: Member, space: Space, title: str, body: str) -> Thread:
    return do_create_thread(author, space, title=title, body_md=body, kind="discussion")


def _first_post(thread: Thread) -> Post:
    post = thread.posts.order_by("pk").first()
    assert post is not None
    return post


def _ids(results: object) -> list[int]:
    return [hit.object_id for hit in results.hits]  # type: ignore[attr-defined]


def test_stemming_finds_other_word_forms(cast: Cast, places: Places) -> None:
    thread = _thread(cast.alice, places.forum, "App trouble", "The app crashes every morning.")
    results = search_posts(cast.bob, "crash")
    assert results.total == 1
    assert _ids(results) == [_first_post(thread).pk]
    assert search_posts(cast.bob, "crashing").total == 1


def test_title_match_ranks_above_body_match(cast: Cast, places: Places) -> None:
    in_body = _thread(
        cast.alice, places.forum, "Morning routine", "My thermostat is fine, asking about lights."
    )
    in_title = _thread(cast.bob, places.forum, "Thermostat offline", "It drops off the network.")
    results = search_posts(cast.alice, "thermostat")
    assert results.total == 2
    assert _ids(results) == [_first_post(in_title).pk, _first_post(in_body).pk]


def test_a_title_cut_from_the_body_is_not_indexed_twice(cast: Cast, places: Places) -> None:
    own = _thread(cast.alice, places.forum, "Hub offline", "Since Tuesday it blinks red.")
    cut = _thread(cast.bob, places.forum, "My hub blinks red", "My hub blinks red since the update")
    titles = dict(
        SearchEntry.objects.filter(kind=SearchEntry.Kind.POST).values_list("object_id", "title")
    )
    assert titles[_first_post(own).pk] == "Hub offline"
    assert titles[_first_post(cut).pk] == ""
    assert (
        indexing.title_to_index("Lumen Hub drops Wi-Fi every…", "Lumen Hub drops Wi-Fi every night")
        == ""
    )
    assert set(_ids(search_posts(cast.alice, "blinks"))) == {
        _first_post(own).pk,
        _first_post(cut).pk,
    }


def test_snippet_highlights_and_escapes(cast: Cast, places: Places) -> None:
    body = "<script>alert(1)</script> the doorbell <b>rings</b> & twice"
    _thread(cast.alice, places.forum, "Odd", body)
    results = search_posts(cast.bob, "doorbell")
    snippet = str(results.hits[0].snippet)
    assert "<mark>doorbell</mark>" in snippet
    # SQLite keeps tags as (escaped) text; PostgreSQL's ts_headline drops them: both are safe.
    assert "<script>" not in snippet
    assert "<b>" not in snippet
    assert "&amp; twice" in snippet


def test_highlight_drops_unbalanced_markers() -> None:
    assert str(highlight("a \ue000b <i>")) == "a b &lt;i&gt;"


@pytest.mark.parametrize(
    ("role_member", "expected"),
    [
        ("anonymous", {"general"}),
        ("alice", {"general"}),
        ("pat", {"general", "partner-lounge"}),
        ("sam", {"general", "partner-lounge", "staff-room"}),
        ("maya", {"general", "partner-lounge", "staff-room"}),
    ],
)
def test_private_posts_are_found_only_by_those_who_may_read_them(
    cast: Cast, places: Places, role_member: str, expected: set[str]
) -> None:
    for space in (places.forum, places.staff_room, places.partner_lounge):
        _thread(cast.ada, space, f"Roadmap in {space.slug}", "The zebra firmware plan.")
    viewer = AnonymousUser() if role_member == "anonymous" else getattr(cast, role_member)
    results = search_posts(viewer, "zebra")
    assert results.total == len(expected)
    assert {hit.post.thread.space.slug for hit in results.hits if hit.post} == expected


def test_search_page_does_not_leak_private_posts(
    client: Client, cast: Cast, places: Places
) -> None:
    _thread(cast.sam, places.staff_room, "Secret pricing", "Quokka discount next month.")
    client.login(username="alice", password=PASSWORD)
    response = client.get("/search/", {"q": "quokka"})
    assert response.status_code == 200
    assert b"Secret pricing" not in response.content
    client.login(username="sam", password=PASSWORD)
    response = client.get("/search/", {"q": "quokka"})
    assert b"Secret pricing" in response.content


HOSTILE_QUERIES = [
    '"',
    "*",
    "AND OR NOT",
    ")(",
    "x" * 500,
    "thermo* NEAR(a b) -c title:d ^e",
    "\u00e9t\u00e9 \u6e29\u5ea6 \U0001f525 \u0645\u0631\u062d\u0628\u0627",
    "' OR 1=1 --",
    "\x00null",
    "\ue000marker\ue001",
    "   ",
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_queries_return_200(client: Client, cast: Cast, places: Places, query: str) -> None:
    _thread(cast.alice, places.forum, "Thermostat help", "Thermostat NEAR the door, title: d")
    # A control character never reaches the page (core.middleware refuses it with a 400),
    # but the backends take any text.
    expected = 400 if "\x00" in query else 200
    for tab in ("posts", "people"):
        response = client.get("/search/", {"q": query, "tab": tab, "page": "2"})
        assert response.status_code == expected
    search_posts(cast.alice, query)
    search_members(query)


def test_bad_tab_and_page_fall_back_to_defaults(client: Client, cast: Cast, places: Places) -> None:
    _thread(cast.alice, places.forum, "Thermostat help", "Please help.")
    response = client.get("/search/", {"q": "thermostat", "tab": "<x>", "page": "-4"})
    assert response.status_code == 200
    assert b"Thermostat help" in response.content


def test_fts5_expression_quotes_every_term() -> None:
    assert fts5_expression('thermo* "NEAR" a:b') == '"thermo" "NEAR" "a" "b"'
    assert fts5_expression("*) (") == ""


def test_empty_query_shows_a_hint(client: Client, db: None) -> None:
    response = client.get("/search/")
    assert response.status_code == 200
    assert b"Type a few words" in response.content


def test_removed_and_hidden_posts_disappear(cast: Cast, places: Places) -> None:
    thread = _thread(cast.alice, places.forum, "Walrus", "walrus one")
    reply = do_reply(cast.bob, thread, body_md="walrus two")
    assert search_posts(cast.alice, "walrus").total == 2
    indexing.remove_posts([reply.pk])
    results = search_posts(cast.alice, "walrus")
    assert results.total == 1
    assert _ids(results) == [_first_post(thread).pk]
    post = _first_post(thread)
    post.is_hidden = True
    post.save(update_fields=["is_hidden"])
    indexing.index_post(post)
    assert search_posts(cast.alice, "walrus").total == 0
    assert SearchEntry.objects.filter(kind="post").count() == 0


def test_people_search_finds_names_and_profiles(client: Client, cast: Cast, places: Places) -> None:
    cast.bob.profile.headline = "Home automation tinkerer"
    cast.bob.profile.location = "Rotterdam"
    cast.bob.profile.save()
    indexing.bulk_index_members(
        Member.objects.select_related("profile").prefetch_related(
            "profile__expertise", "profile__interests"
        )
    )
    results = search_members("rotterdam")
    assert [hit.member.username for hit in results.hits if hit.member] == ["bob"]
    assert search_members("Baker").total == 1
    response = client.get("/search/", {"q": "tinkerer", "tab": "people"})
    assert response.status_code == 200
    assert b"Bob Baker" in response.content
    assert b"/people/bob/" in response.content


def test_pagination(client: Client, cast: Cast, places: Places) -> None:
    thread = _thread(cast.alice, places.forum, "Pelican", "pelican")
    for number in range(24):
        do_reply(cast.bob, thread, body_md=f"pelican reply {number}")
    first = search_posts(cast.alice, "pelican", limit=20, offset=0)
    second = search_posts(cast.alice, "pelican", limit=20, offset=20)
    assert first.total == second.total == 25
    assert len(first.hits) == 20
    assert len(second.hits) == 5
    assert not set(_ids(first)) & set(_ids(second))
    response = client.get("/search/", {"q": "pelican", "page": "2"})
    assert b"21\xe2\x80\x9325 of 25" in response.content


def test_rebuild_index_restores_entries(cast: Cast, places: Places) -> None:
    thread = _thread(cast.alice, places.forum, "Heron", "heron sighting")
    do_reply(cast.bob, thread, body_md="heron again")
    SearchEntry.objects.all().delete()
    assert search_posts(cast.alice, "heron").total == 0
    posts, members = rebuild_search_index(progress=False)
    assert posts == 2
    assert members == 6
    assert search_posts(cast.alice, "heron").total == 2
    assert search_members("Alice").total == 1


def _fulltext_index_is_consistent() -> bool:
    """SQLite: the FTS5 index holds exactly the entries' text (PostgreSQL's GIN index is
    kept by the database itself)."""
    if connection.vendor != "sqlite":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_fts_pending")
        pending: int = cursor.fetchone()[0]
        # Raises "database disk image is malformed" when index and table disagree.
        cursor.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")
    return pending == 0


def test_entries_indexed_in_one_go_are_found_like_any_other(cast: Cast, places: Places) -> None:
    before = _thread(cast.alice, places.forum, "Kettle", "the kettle whistles")
    with indexing.fulltext_at_end():
        added = _thread(cast.alice, places.forum, "Router", "the router reboots nightly")
        edited = _thread(cast.bob, places.forum, "Toaster", "the toaster sparks")
        do_edit_post(cast.bob, _first_post(edited), body_md="the toaster smokes")
        removed = _thread(cast.bob, places.forum, "Blender", "the blender rattles")
        indexing.remove_posts([_first_post(removed).pk])
        do_edit_post(cast.alice, _first_post(before), body_md="the kettle hums")  # indexed already
        with indexing.fulltext_at_end():  # nested: the outer one indexes
            inner = _thread(cast.alice, places.forum, "Lamp", "the lamp flickers")
    assert _fulltext_index_is_consistent()
    assert _ids(search_posts(cast.bob, "reboots")) == [_first_post(added).pk]
    assert _ids(search_posts(cast.bob, "smokes")) == [_first_post(edited).pk]
    assert _ids(search_posts(cast.bob, "hums")) == [_first_post(before).pk]
    assert _ids(search_posts(cast.bob, "flickers")) == [_first_post(inner).pk]
    for gone in ("sparks", "rattles", "whistles"):
        assert search_posts(cast.bob, gone).total == 0, gone


def test_an_error_in_one_go_writes_nothing_and_indexing_goes_on(cast: Cast, places: Places) -> None:
    def fail_after_writing() -> None:
        with indexing.fulltext_at_end():
            _thread(cast.alice, places.forum, "Router", "the router reboots nightly")
            raise RuntimeError("stop")

    with pytest.raises(RuntimeError):
        fail_after_writing()
    assert search_posts(cast.bob, "reboots").total == 0
    assert _fulltext_index_is_consistent()
    after = _thread(cast.alice, places.forum, "Router again", "it reboots again")
    assert _ids(search_posts(cast.bob, "reboots")) == [_first_post(after).pk]


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's own index and query syntax"
)


@postgres_only
def test_postgres_search_uses_the_gin_index(cast: Cast, places: Places) -> None:
    _thread(cast.alice, places.forum, "Thermostat help", "It drops off the network.")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = postgres_matching_entries(postgres_search_query("thermostat")).explain()
    assert "search_entry_fts_idx" in plan


@postgres_only
def test_postgres_search_understands_websearch_syntax(cast: Cast, places: Places) -> None:
    lights = _thread(cast.alice, places.forum, "Smart lights", "The lights flicker at night.")
    both = _thread(cast.bob, places.forum, "Lights and locks", "The lights and the lock.")
    assert set(_ids(search_posts(cast.alice, "lights"))) == {
        _first_post(lights).pk,
        _first_post(both).pk,
    }
    assert _ids(search_posts(cast.alice, "lights -lock")) == [_first_post(lights).pk]
    assert _ids(search_posts(cast.alice, '"lights flicker"')) == [_first_post(lights).pk]


def test_result_dates_use_the_reader_s_short_format(
    client: Client, cast: Cast, places: Places
) -> None:
    thread = _thread(cast.ada, places.forum, "Old wombat notes", "Wombat firmware notes.")
    long_ago = timezone.now() - timedelta(days=40)
    Post.objects.filter(thread=thread).update(created_at=long_ago)
    client.cookies["django_language"] = "fr"
    page = client.get("/search/", {"q": "wombat"}).content.decode()
    with translation.override("fr"):
        expected = formats.date_format(timezone.localtime(long_ago), "SHORT_DATE_FORMAT")
    assert expected in page
