"""Finding a member from a few typed letters (members/lookup.py), on SQLite and PostgreSQL."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoAssertNumQueries

from cluetrain.members.lookup import (
    exact_member,
    find_members,
    find_similar_members,
    pick_member,
)
from cluetrain.members.models import LookupKey, Member
from cluetrain.members.names import fold
from conftest import Cast, make_member


def _names(people: list[Member]) -> list[str]:
    return [p.username for p in people]


@pytest.fixture
def people(cast: Cast) -> Cast:
    make_member("jnunez", Member.Role.CUSTOMER, "José Núñez")
    make_member("alicia", Member.Role.CUSTOMER, "Alicia Keyes")
    make_member("zoe", Member.Role.CUSTOMER, "ÉLODIE Ørsted")
    make_member("archie", Member.Role.CUSTOMER, "Archibald Stone")
    gone = make_member("alina", Member.Role.CUSTOMER, "Alina Gone")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    return cast


def test_fold_drops_case_and_accents() -> None:
    assert fold("Žofie ØRSTED") == "zofie orsted"
    assert fold("Straße") == "strasse"


def test_a_prefix_of_the_username_or_the_name_finds_the_member(people: Cast) -> None:
    assert _names(find_members("ali", people.sam)) == ["alice", "alicia"]
    assert _names(find_members("Ali", people.sam)) == ["alice", "alicia"]
    assert _names(find_members("@ali", people.sam)) == ["alice", "alicia"]


def test_any_word_of_the_name_may_start_the_match(people: Cast) -> None:
    # "arch": a word inside Alice Archer's name; Archibald's name and username start so.
    assert _names(find_members("arch", people.sam)) == ["archie", "alice"]
    assert _names(find_members("ali arc", people.sam)) == ["alice"]
    assert _names(find_members("arc ali", people.sam)) == ["alice"]
    # Letters inside a word are not a match.
    assert find_members("rcher", people.sam) == []


def test_accents_and_case_are_ignored_both_ways(people: Cast) -> None:
    assert _names(find_members("jose nu", people.sam)) == ["jnunez"]
    assert _names(find_members("NÚÑ", people.sam)) == ["jnunez"]
    assert _names(find_members("elodie", people.sam)) == ["zoe"]
    assert _names(find_members("orst", people.sam)) == ["zoe"]


def test_the_exact_username_comes_first(people: Cast) -> None:
    make_member("al", Member.Role.CUSTOMER, "Zed Last")
    assert _names(find_members("al", people.sam))[0] == "al"


def test_only_active_members_and_only_for_a_signed_in_viewer(people: Cast) -> None:
    assert "alina" not in _names(find_members("alin", people.sam))
    assert find_members("ali", AnonymousUser()) == []
    assert exact_member("alice", AnonymousUser()) is None


def test_the_limit_and_empty_or_punctuation_only_text(people: Cast) -> None:
    assert len(find_members("a", people.sam, limit=2)) == 2
    assert find_members("", people.sam) == []
    assert find_members("  @ ", people.sam) == []
    assert find_members("%_.*[(", people.sam) == []


def test_regular_expression_characters_are_taken_literally(people: Cast) -> None:
    make_member("o.brien", Member.Role.CUSTOMER, "Ryan O'Brien (support)")
    assert _names(find_members("o'bri", people.sam)) == ["o.brien"]
    assert _names(find_members("o.b", people.sam)) == ["o.brien"]
    # Only letters and digits are matched: punctuation separates words and means nothing else.
    assert _names(find_members("o.*", people.sam)) == _names(find_members("o", people.sam))
    assert find_members(".*", people.sam) == []


def test_exact_member_is_a_username_or_a_full_name_only_one_member_has(people: Cast) -> None:
    assert exact_member("@alice", people.sam) == people.alice
    assert exact_member("ALICE", people.sam) == people.alice
    assert exact_member("alice archer", people.sam) == people.alice
    assert exact_member("jose nunez", people.sam) is not None
    assert exact_member("ali", people.sam) is None
    make_member("alice2", Member.Role.CUSTOMER, "Alice Archer")
    assert exact_member("Alice Archer", people.sam) is None  # two people have that name


def test_a_typo_finds_a_similar_member(people: Cast) -> None:
    assert find_members("alcie", people.sam) == []
    assert _names(find_similar_members("alcie", people.sam))[0] == "alice"
    assert _names(find_similar_members("Alise Archr", people.sam)) == ["alice"]
    assert find_similar_members("qqqq", people.sam) == []


def test_pick_member(people: Cast) -> None:
    assert pick_member("@bob", people.sam).member == people.bob
    several = pick_member("ali", people.sam)
    assert several.member is None
    assert _names(several.choices) == ["alice", "alicia"]
    assert not several.similar
    guess = pick_member("Alcie", people.sam)
    assert (guess.member, _names(guess.choices)[:1], guess.similar) == (None, ["alice"], True)
    nobody = pick_member("qqqq", people.sam)
    assert (nobody.member, nobody.choices) == (None, [])


# The lookup keys (LookupKey): kept in step with the names, and read through their index.


def _keys(member: Member) -> set[tuple[str, str]]:
    return set(LookupKey.objects.filter(member=member).values_list("kind", "key"))


def test_keys_are_the_folded_username_name_and_words(people: Cast) -> None:
    nunez = Member.objects.get(username="jnunez")
    assert _keys(nunez) == {
        ("username", "jnunez"),
        ("name", "jose nunez"),
        ("word", "jnunez"),
        ("word", "jose"),
        ("word", "nunez"),
    }


def test_a_renamed_member_is_found_by_the_new_name_only(
    people: Cast, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    alice = people.alice
    alice.display_name = "Alice Zúñiga"
    alice.save()
    assert _names(find_members("zuni", people.sam)) == ["alice"]
    assert "alice" not in _names(find_members("arch", people.sam))
    alice.username = "azuniga"
    alice.save(update_fields=["username"])
    assert exact_member("@azuniga", people.sam) == alice
    assert exact_member("@alice", people.sam) is None
    # Saving other fields leaves the keys alone: one UPDATE, nothing more.
    with django_assert_num_queries(1):
        alice.save(update_fields=["last_login"])
    fetched = Member.objects.get(pk=alice.pk)
    with django_assert_num_queries(1):
        fetched.save()


def test_bulk_writes_keep_the_keys_and_deleting_a_member_drops_them(people: Cast) -> None:
    made = Member.objects.bulk_create(
        [
            Member(username="bulk1", email="b1@example.com", display_name="Ódín Bulk"),
            Member(username="bulk2", email="b2@example.com", display_name="Other Bulk"),
        ]
    )
    assert _names(find_members("odin", people.sam)) == ["bulk1"]
    made[0].display_name = "Thor Bulk"
    Member.objects.bulk_update(made, ["display_name"])
    assert find_members("odin", people.sam) == []
    assert _names(find_members("thor", people.sam)) == ["bulk1"]
    made[1].delete()
    assert not LookupKey.objects.filter(member_id=made[1].pk).exists()
    # Conflicts ignored: the member already there keeps their keys, written once.
    Member.objects.bulk_create(
        [Member(username="bulk1", email="x@example.com")], ignore_conflicts=True
    )
    assert len(_keys(made[0])) == len(set(_keys(made[0])))
    assert _names(find_members("thor", people.sam)) == ["bulk1"]


def test_the_migration_writes_the_keys_of_members_already_there(people: Cast) -> None:
    before = set(LookupKey.objects.values_list("member_id", "kind", "key"))
    LookupKey.objects.all().delete()
    migration = importlib.import_module("cluetrain.members.migrations.0005_member_lookup_keys")
    migration.write_every_members_keys(django_apps, None)
    assert set(LookupKey.objects.values_list("member_id", "kind", "key")) == before


def test_every_lookup_query_goes_through_the_key_index(people: Cast) -> None:
    # The member table was scanned with a regular expression per typed word; each query on
    # the keys must now be a range of their index (PostgreSQL is told to avoid a sequential
    # scan so that it shows whether it could use the index at all on these few rows).
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
        with CaptureQueriesContext(connection) as captured:
            find_members("ali arc", people.sam)
            find_similar_members("alcie", people.sam)
            exact_member("alice archer", people.sam)
        explain = "EXPLAIN " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
        on_keys = [q["sql"] for q in captured.captured_queries if "members_lookupkey" in q["sql"]]
        assert len(on_keys) >= 4
        for sql in on_keys:
            cursor.execute(explain + sql)
            plan = " ".join(str(row) for row in cursor.fetchall())
            assert "member_lookup_key_idx" in plan, (sql, plan)
            assert "SCAN members_lookupkey" not in plan
            assert "Seq Scan on members_lookupkey" not in plan
