"""The partner network through the JSON API: a referral's whole life, refusals that write
nothing, the directory, bundles and the partner inbox."""

from cluetrain.api.tests.conftest import ApiClient
from cluetrain.api.tokens import do_create_token
from cluetrain.members.models import Member
from cluetrain.partners.models import Referral
from cluetrain.partners.tests.conftest import Network
from conftest import Cast


def _client(who: Member) -> ApiClient:
    _, raw = do_create_token(who, name="tests", scope="write")
    return ApiClient(raw)


def test_a_referral_through_the_api(cast: Cast, network: Network) -> None:
    alice, pat = _client(cast.alice), _client(cast.pat)
    created = alice.post("/api/referrals", {"provider": "acme", "need": "Roof", "place": "Austin"})
    assert created.status_code == 201
    referral = created.json()
    assert (referral["status"], referral["category"]) == ("pending", "inspection")
    assert referral["category_name"] == "Home inspector"
    rid = referral["id"]

    refused = alice.post(f"/api/referrals/{rid}/accept", {})
    assert refused.status_code == 403
    assert "Only Acme Inspections" in refused.json()["error"]["message"]
    assert _client(cast.bob).get(f"/api/referrals/{rid}").status_code == 404

    early = alice.post(f"/api/referrals/{rid}/rating", {"stars": 5})
    assert early.status_code == 409
    assert pat.post(f"/api/referrals/{rid}/accept", {"note": "Tuesday"}).json()["status"] == (
        "accepted"
    )
    assert pat.post(f"/api/referrals/{rid}/decline", {}).status_code == 409
    done = alice.post(f"/api/referrals/{rid}/outcome", {"completed": True})
    assert done.json()["status"] == "completed"
    out_of_range = alice.post(f"/api/referrals/{rid}/rating", {"stars": 9})
    assert out_of_range.status_code == 400
    rated = alice.post(f"/api/referrals/{rid}/rating", {"stars": 4, "words": "Good work"})
    assert rated.json()["stars"] == 4
    again = alice.post(f"/api/referrals/{rid}/rating", {"stars": 1})
    assert again.status_code == 409
    assert "already rated" in again.json()["error"]["message"]
    assert Referral.objects.get().stars == 4

    mine = alice.get("/api/referrals").json()["items"]
    assert [r["status"] for r in mine] == ["completed"]
    partner = alice.get("/api/partners/acme").json()
    assert partner["ratings"][0]["stars"] == 4
    assert [p["username"] for p in partner["people"]] == ["pat"]


def test_bad_input_writes_nothing(cast: Cast, network: Network) -> None:
    alice = _client(cast.alice)
    assert alice.post("/api/referrals", {"provider": "acme"}).status_code == 400
    assert (
        alice.post("/api/referrals", {"provider": "acme", "need": "x", "x": 1}).status_code == 400
    )
    assert alice.post("/api/referrals", {"provider": "nope", "need": "x"}).status_code == 404
    other = alice.post("/api/referrals", {"provider": "acme", "need": "x", "customer": "bob"})
    assert other.status_code == 403
    assert not Referral.objects.exists()
    unknown = alice.post("/api/partners/bundles", {"need": "roof", "categories": ["moat"]})
    assert unknown.status_code == 400
    assert "moat" in unknown.json()["error"]["message"]
    # An unknown filter value is a 400 naming it, as in every list (docs/api.md).
    unknown_filter = alice.get("/api/partners", category="moat")
    assert unknown_filter.status_code == 400
    assert unknown_filter.json()["error"]["field"] == "category"
    assert unknown_filter.json()["error"]["message"] == "No category “moat”."


def test_directory_bundle_and_inbox(cast: Cast, network: Network) -> None:
    alice = _client(cast.alice)
    categories = alice.get("/api/partners/categories").json()
    assert [c["slug"] for c in categories] == ["inspection", "bank"]
    inspectors = alice.get("/api/partners", category="inspection").json()
    assert [p["slug"] for p in inspectors] == ["acme", "lonestar"]
    assert inspectors[0]["areas"][0]["place"] == "Austin, TX"
    assert inspectors[0]["areas"][0]["latitude"] is not None
    proposal = alice.post(
        "/api/partners/bundles",
        {
            "need": "roof inspection, a mortgage",
            "categories": ["inspection", "bank"],
            "place": "Austin, TX",
        },
    ).json()
    assert proposal["place"] == "Austin, Texas, United States"
    assert [p["choice"]["partner"] for p in proposal["proposals"]] == ["acme", "keystone"]
    assert "serves Austin, TX" in proposal["proposals"][0]["choice"]["reasons"]

    sam = _client(cast.sam)
    first = sam.post("/api/referrals", {"provider": "acme", "need": "Roof", "customer": "bob"})
    second = sam.post("/api/referrals", {"provider": "acme", "need": "Pool", "customer": "alice"})
    _client(cast.pat).post(f"/api/referrals/{first.json()['id']}/decline", {})
    inbox = _client(cast.pat).get("/api/partners/inbox").json()["items"]
    assert [r["id"] for r in inbox] == [second.json()["id"], first.json()["id"]]
    assert alice.get("/api/partners/inbox").status_code == 403
