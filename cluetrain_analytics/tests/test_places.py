import doctest

from cluetrain_analytics import places
from cluetrain_analytics.places import geocode


def test_doctests_pass() -> None:
    assert doctest.testmod(places).failed == 0


def test_qualifiers_narrow_and_a_region_alone_stands_somewhere() -> None:
    hamburg, dover = geocode("Hamburg, DE"), geocode("Dover, DE")  # Germany, then Delaware
    assert hamburg is not None
    assert hamburg.country == "DE"
    assert dover is not None
    assert (dover.country, dover.region) == ("US", "DE")
    austin = geocode("Austin, Texas, United States")
    assert austin is not None
    assert austin.name == "Austin, Texas, United States"
    assert geocode("Leeds, France") is None  # a known qualifier that no Leeds is in
    texas, france = geocode("Texas"), geocode("France")
    assert texas is not None
    assert texas.name == "Texas, United States"
    assert france is not None
    assert france.name == "France"
    assert geocode("") is None
    assert geocode("x" * 300) is None
