import doctest

import pytest
from sklearn.exceptions import NotFittedError  # type: ignore[import-untyped]

from cluetrain_analytics.text import _places, context
from cluetrain_analytics.text._places import find_place
from cluetrain_analytics.text.context import CatalogEntry, Context, ContextReader, read_aspects

CATALOG = [
    CatalogEntry("hub", "Acme Hub"),
    CatalogEntry("sensor", "Acme Motion Sensor"),
    CatalogEntry("cam", "Acme Doorbell Cam"),
    CatalogEntry("care", "Acme Care+"),
]


def test_doctests_pass() -> None:
    for module in (context, _places):
        assert doctest.testmod(module).failed == 0


def test_short_forms_are_learned_and_read() -> None:
    texts = ["the hub dropped everything", "my doorbell rings late", "Care+ renewal"] * 3
    reader = ContextReader(CATALOG).fit(texts)
    assert reader.learned_aliases_["hub"] == ("hub",)
    assert reader.learned_aliases_["care"] == ("care+",)
    # "doorbell" is not the name's main word and nothing says which messages are about it.
    assert reader.learned_aliases_["cam"] == ()
    contexts = reader.read(["The HUB and Care+ both", "Acme Doorbell Cam died", "nothing"])
    assert [c.products for c in contexts] == [("hub", "care"), ("cam",), ()]


def test_known_products_decide_which_short_forms_are_kept() -> None:
    # "motion" is mostly said about the doorbell's motion alerts, "doorbell" about the doorbell.
    texts = ["motion alerts on the doorbell are late"] * 4 + ["motion sensor in the hall"] * 4
    known = [["cam"]] * 4 + [["sensor"]] * 4
    aliases = ContextReader(CATALOG).fit(texts, known).learned_aliases_
    assert aliases["cam"] == ("doorbell",)
    assert aliases["sensor"] == ("motion sensor",)


def test_model_numbers_are_learned_from_messages_about_the_product() -> None:
    texts = ["my x200 keeps beeping"] * 3 + ["x200 again"] + ["hello"]
    known = [["hub"]] * 4 + [[]]
    reader = ContextReader(CATALOG, min_alias_count=3).fit(texts, known)
    assert "x200" in reader.learned_aliases_["hub"]
    assert reader.read(["the X200 is dead"])[0].products == ("hub",)


def test_rare_forms_are_not_learned() -> None:
    reader = ContextReader(CATALOG, min_alias_count=3).fit(["the hub", "the hub"])
    assert reader.learned_aliases_["hub"] == ()


def test_read_before_fit_raises() -> None:
    with pytest.raises(NotFittedError):
        ContextReader(CATALOG).read(["hi"])


def test_fit_checks_its_input() -> None:
    with pytest.raises(ValueError, match="products has 1 entries for 2 texts"):
        ContextReader(CATALOG).fit(["a", "b"], [["hub"]])
    with pytest.raises(ValueError, match="unique"):
        ContextReader([CatalogEntry("a", "One"), CatalogEntry("a", "Two")]).fit([])


@pytest.mark.parametrize(
    ("text", "aspects"),
    [
        ("Refund refused, support useless", ("refund", "support")),
        ("Wi-Fi drops after the firmware update", ("connectivity", "updates")),
        ("It costs €7.99 a month now, cancelling my subscription", ("price", "subscription")),
        ("app logs me out every day", ("app", "account")),
        ("battery drains in two weeks", ("battery",)),
        ("lovely weather", ()),
    ],
)
def test_aspects(text: str, aspects: tuple[str, ...]) -> None:
    assert read_aspects(text) == aspects


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Same issue in Turin. Started after the update", "Turin, Italy"),
        ("installed it for my mum in dublin", "Dublin, Ireland"),
        ("Same experience here in Austin, TX", "Austin, Texas, United States"),
        ("Moved from Portland, ME last year", "Portland, Maine, United States"),
        ("Lovely installer in Cologne", "Köln, Germany"),  # an English exonym
        ("Anyone from the US here?", "United States"),
        ("Chicago winters kill the battery", "Chicago, Illinois, United States"),
        # Words and names that are places too, but not here.
        ("Reading the manual in Nice weather", None),
        ("in March the app broke", None),
        ("Mobile data makes it log out; in Mobile app settings too", None),
        ("bought it at Best Buy", None),
        ("Sam from the team helped", None),
        ("us too, in the kitchen", None),
    ],
)
def test_places(text: str, place: str | None) -> None:
    found = find_place(text)
    assert (found.name if found else None) == place


def test_read_returns_contexts_in_order() -> None:
    reader = ContextReader(CATALOG).fit(["the hub"] * 3)
    assert reader.read(["hub offline here in Leeds", ""]) == [
        Context(products=("hub",), aspects=("connectivity",), place="Leeds, United Kingdom"),
        Context(products=(), aspects=(), place=None),
    ]


def test_messages_to_another_company_are_not_about_our_products() -> None:
    from cluetrain_analytics.text.context import OtherBrands

    catalog = [CatalogEntry("app", "Lumen App"), CatalogEntry("cam", "Lumen Doorbell Cam")]
    texts = ["The app crashes on login"] * 4
    reader = ContextReader(catalog).fit(texts, [["app"]] * 4)
    assert "app" in reader.learned_aliases_["app"]
    others = OtherBrands.of(["AmazonHelp", "SpotifyCares", "LumenSupport"], own=["@LumenSupport"])
    read = reader.read(
        [
            "@AmazonHelp the app crashes on login again",  # addressed to Amazon
            "my spotify app keeps logging me out",  # names the brand
            "@LumenSupport the app crashes on login",  # ours
            "@AmazonHelp ordered a Lumen Doorbell Cam, never came",  # our product in full
            "the app crashes on login",
        ],
        others,
    )
    assert [c.elsewhere for c in read] == ["amazonhelp", "spotifycares", "", "amazonhelp", ""]
    assert [c.products for c in read] == [(), (), ("app",), ("cam",), ("app",)]
    # Without the list of other brands nothing changes.
    assert reader.read(["@AmazonHelp the app crashes"])[0].products == ("app",)
