"""Finding a member from a few typed letters (members/lookup.py), on SQLite and PostgreSQL."""

import pytest
from django.contrib.auth.models import AnonymousUser

from cluetrain.members.lookup import (
    exact_member,
    find_members,
    find_similar_members,
    fold,
    pick_member,
)
from cluetrain.members.models import Member
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
