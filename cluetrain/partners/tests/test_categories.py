"""The whole product's categories: staff create, rename, reorder, retire and bring them back
on their page and in the API (everyone else is refused and nothing is written); a partner
provides several categories, and bundles choose among everyone who offers each."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from cluetrain.api.tests.conftest import ApiClient
from cluetrain.api.tokens import do_create_token
from cluetrain.members.models import Member
from cluetrain.organizations.models import Offering, Organization
from cluetrain.partners import bundles, queries
from cluetrain.partners.actions import do_list_partner
from cluetrain.partners.models import Category, Listing, Provision
from cluetrain.partners.tests.conftest import Network
from conftest import Cast


def _client(who: Member) -> ApiClient:
    _, raw = do_create_token(who, name="tests", scope="write")
    return ApiClient(raw)


def _page(who: Member) -> Client:
    client = Client()
    client.force_login(who)
    return client


def _names() -> list[tuple[str, bool]]:
    return [(c.name, c.retired) for c in Category.objects.all()]


def test_staff_configure_the_categories_on_their_page(cast: Cast, network: Network) -> None:
    sam = _page(cast.sam)
    page = sam.get("/partners/categories/")
    assert page.status_code == 200
    assert "Home inspector" in page.content.decode()
    made = sam.post("/partners/categories/new/", {"name": "Title company", "description": "x"})
    assert made.status_code == 302
    assert _names() == [("Home inspector", False), ("Bank", False), ("Title company", False)]
    assert Category.objects.get(slug="title-company").position == 3
    sam.post("/partners/categories/title-company/", {"action": "up"})
    assert [c.slug for c in Category.objects.all()] == ["inspection", "title-company", "bank"]
    sam.post(
        "/partners/categories/bank/",
        {"action": "rename", "name": "Mortgage lender", "description": "Loans"},
    )
    bank = Category.objects.get(slug="bank")
    assert (bank.name, bank.description) == ("Mortgage lender", "Loans")
    sam.post("/partners/categories/bank/", {"action": "retire"})
    assert _names()[-1] == ("Mortgage lender", True)
    # Retired: off the directory and the bundles' choices; its partner keeps its listing.
    directory = sam.get("/partners/").content.decode()
    assert "Keystone Bank" not in directory
    assert 'value="bank"' not in sam.get("/partners/bundle/").content.decode()
    assert Listing.objects.get(organization=network.keystone).provided() == [bank]
    sam.post("/partners/categories/bank/", {"action": "restore"})
    assert "Keystone Bank" in sam.get("/partners/").content.decode()
    # Refusals re-render the page with the message and write nothing.
    taken = sam.post("/partners/categories/new/", {"name": "home INSPECTOR"})
    assert taken.status_code == 409
    top = sam.post("/partners/categories/inspection/", {"action": "up"})
    assert top.status_code == 409
    empty = sam.post("/partners/categories/bank/", {"action": "rename", "name": "  "})
    assert empty.status_code == 400
    assert Category.objects.count() == 3


@pytest.mark.parametrize("who", ["alice", "pat"])
def test_customers_and_partners_may_not_configure_the_categories(
    cast: Cast, network: Network, who: str
) -> None:
    member = getattr(cast, who)
    client = _page(member)
    assert client.get("/partners/categories/").status_code == 403
    assert client.post("/partners/categories/new/", {"name": "Moat"}).status_code == 403
    assert client.post("/partners/categories/bank/", {"action": "retire"}).status_code == 403
    api = _client(member)
    assert api.post("/api/partners/categories", {"name": "Moat"}).status_code == 403
    assert api.patch("/api/partners/categories/bank", {"retired": True}).status_code == 403
    order = api.call("PUT", "/api/partners/categories/order", {"categories": ["bank"]})
    assert order.status_code == 403
    assert _names() == [("Home inspector", False), ("Bank", False)]
    assert "Configure the categories" not in client.get("/partners/").content.decode()


def test_the_categories_through_the_api(cast: Cast, network: Network) -> None:
    sam, alice = _client(cast.sam), _client(cast.alice)
    made = sam.post("/api/partners/categories", {"name": "Insurer", "description": "Cover"})
    assert made.status_code == 201
    assert made.json() == {
        "slug": "insurer",
        "name": "Insurer",
        "description": "Cover",
        "position": 3,
        "retired": False,
    }
    assert sam.post("/api/partners/categories", {"name": "Insurer"}).status_code == 409
    assert sam.post("/api/partners/categories", {"name": ""}).status_code == 400
    renamed = sam.patch("/api/partners/categories/insurer", {"name": "Home insurer"})
    assert renamed.json()["name"] == "Home insurer"
    assert sam.patch("/api/partners/categories/moat", {"name": "x"}).status_code == 404
    order = sam.call(
        "PUT", "/api/partners/categories/order", {"categories": ["insurer", "bank", "inspection"]}
    )
    assert [c["slug"] for c in order.json()] == ["insurer", "bank", "inspection"]
    partial = sam.call("PUT", "/api/partners/categories/order", {"categories": ["bank"]})
    assert partial.status_code == 400
    retired = sam.patch("/api/partners/categories/bank", {"retired": True})
    assert retired.json()["retired"] is True
    # Members see the categories in use; staff see the retired ones too.
    assert [c["slug"] for c in alice.get("/api/partners/categories").json()] == [
        "insurer",
        "inspection",
    ]
    assert len(sam.get("/api/partners/categories").json()) == 3
    bundle = alice.post("/api/partners/bundles", {"need": "a loan", "categories": ["bank"]})
    assert bundle.status_code == 400


def test_a_partner_provides_several_categories_and_bundles_choose_among_all(
    cast: Cast, network: Network
) -> None:
    # Keystone also inspects: it provides banking first, then inspection.
    Offering.objects.create(
        provider=network.keystone, title="Roof inspection", description="Roofs and wiring"
    )
    do_list_partner(network.keystone, [network.banking, network.inspection], [("Austin, TX", 100)])
    listing = Listing.objects.get(organization=network.keystone)
    assert listing.provided() == [network.banking, network.inspection]
    assert listing.category == network.banking
    groups = queries.by_category(list(queries.directory()))
    assert [listing.organization.slug for listing in groups[network.inspection]] == [
        "acme",
        "keystone",
        "lonestar",
    ]
    assert [listing.organization.slug for listing in groups[network.banking]] == ["keystone"]
    found = bundles.propose(
        "inspect the roof", [network.inspection, network.banking], place="Austin, TX"
    )
    inspect, bank = found.proposals
    offered = {inspect.choice.listing.organization.slug} if inspect.choice else set()
    offered |= {a.listing.organization.slug for a in inspect.alternatives}
    assert offered == {"acme", "keystone", "lonestar"}
    assert bank.choice is not None
    assert bank.choice.listing.organization == network.keystone
    api = _client(cast.alice).get("/api/partners/keystone").json()
    assert [c["slug"] for c in api["categories"]] == ["bank", "inspection"]
    assert api["category"]["slug"] == "bank"
    # Listed again with one category: the other provision goes.
    do_list_partner(network.keystone, network.inspection)
    assert Listing.objects.get(organization=network.keystone).provided() == [network.inspection]
    assert Provision.objects.filter(listing__organization=network.keystone).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_migration_makes_the_single_category_the_first_of_the_set() -> None:
    executor = MigrationExecutor(connection)
    before = [("partners", "0001_initial")]
    after = [("partners", "0002_several_categories")]
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps
        category = old.get_model("partners", "Category").objects.create(name="Bank", slug="bank-m")
        org = old.get_model("organizations", "Organization").objects.create(
            name="Old Bank", slug="old-bank", kind="partner"
        )
        old.get_model("partners", "Listing").objects.create(
            organization_id=org.pk, category_id=category.pk
        )
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)
        listing = Listing.objects.get(organization__slug="old-bank")
        assert [(p.category.slug, p.position) for p in listing.provisions.all()] == [("bank-m", 0)]
        # And back: the first of the set is the single category again.
        executor = MigrationExecutor(connection)
        executor.migrate(before)
        back = MigrationExecutor(connection).loader.project_state(before).apps
        old_listing = back.get_model("partners", "Listing").objects.get(organization_id=org.pk)
        assert old_listing.category_id == category.pk
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
        Organization.objects.filter(slug="old-bank").delete()
        Category.objects.filter(slug="bank-m").delete()
