"""Away on profiles and in the expert finder; the people directory's filters; the team
builder and being away in the API."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cluetrain.api.tests.conftest import ApiClient
from cluetrain.api.tokens import do_create_token
from cluetrain.core.errors import ActionError
from cluetrain.expertise import finder
from cluetrain.expertise.actions import check_clear_away, check_set_away
from cluetrain.expertise.models import Away
from cluetrain.expertise.tests.conftest import OnCommit
from cluetrain.members.models import Member
from cluetrain.threads.actions import check_create_thread, check_reply
from cluetrain.threads.models import Thread
from conftest import PASSWORD, Cast, Places


def _api(who: Member) -> ApiClient:
    _, raw = do_create_token(who, name="tests", scope="write")
    return ApiClient(raw)


def test_away_refusals(cast: Cast) -> None:
    today = timezone.localdate()
    with pytest.raises(ActionError, match="from today on") as past:
        check_set_away(cast.bob, today - timedelta(days=1))
    assert past.value.field == "until"
    with pytest.raises(ActionError, match="within a year"):
        check_set_away(cast.bob, today + timedelta(days=400))
    with pytest.raises(ActionError, match="under 200"):
        check_set_away(cast.bob, today, "x" * 201)
    with pytest.raises(ActionError, match="not marked away") as none:
        check_clear_away(cast.bob)
    assert none.value.status == 404
    assert not Away.objects.exists()
    check_set_away(cast.bob, today + timedelta(days=2), "Conference")
    check_set_away(cast.bob, today + timedelta(days=5), "Longer")  # replaces, one row
    assert Away.objects.get().note == "Longer"
    check_clear_away(cast.bob)
    assert not Away.objects.exists()


def test_away_people_rank_lower_with_the_reason(cast: Cast, history: Thread) -> None:
    query = finder.query_for_thread(history)
    before = finder.suggest(query, readers_of=history)
    assert before[0].member == cast.bob
    until = timezone.localdate() + timedelta(days=3)
    check_set_away(cast.bob, until, "Conference")
    suggestions = finder.suggest(query, readers_of=history)
    bob = next(s for s in suggestions if s.member == cast.bob)
    reasons = dict(bob.expert.reasons)
    assert reasons[f"away until {until:%b %-d}: Conference"] < 0
    assert bob.expert.score < before[0].expert.score
    # An absence that ended counts no more.
    Away.objects.filter(member=cast.bob).update(until=timezone.localdate() - timedelta(days=1))
    bob_back = next(s for s in finder.suggest(query, readers_of=history) if s.member == cast.bob)
    assert bob_back.expert.score > bob.expert.score
    assert not any(r.startswith("away") for r, _ in bob_back.expert.reasons)


def test_away_on_the_profile_and_its_page(client: Client, cast: Cast) -> None:
    client.force_login(cast.bob)
    assert client.get(reverse("away")).status_code == 200
    bad = client.post(reverse("away"), {"until": "someday"})
    assert bad.status_code == 400
    assert "YYYY-MM-DD" in bad.content.decode()
    past = client.post(reverse("away"), {"until": "2000-01-01"})
    assert past.status_code == 400
    until = timezone.localdate() + timedelta(days=4)
    done = client.post(reverse("away"), {"until": until.isoformat(), "note": "Hiking"})
    assert done.status_code == 302
    profile = client.get(reverse("profile", args=["bob"])).content.decode()
    assert 'id="away"' in profile
    assert "Hiking" in profile
    other = Client()
    other.force_login(cast.alice)
    seen = other.get(reverse("profile", args=["bob"])).content.decode()
    assert "Hiking" in seen
    assert "change</a>" not in seen
    assert client.post(reverse("away_clear")).status_code == 302
    assert "Hiking" not in other.get(reverse("profile", args=["bob"])).content.decode()


def test_the_directory_filters_by_role_and_place(
    client: Client, cast: Cast, history: Thread
) -> None:
    cast.bob.profile.location = "Leeds"
    cast.bob.profile.save()
    client.force_login(cast.alice)
    found = client.get(reverse("find_experts"), {"q": "battery drains", "place": "leeds"})
    assert "Bob Baker" in found.content.decode()
    elsewhere = client.get(reverse("find_experts"), {"q": "battery drains", "place": "Paris"})
    assert "Bob Baker" not in elsewhere.content.decode()
    staff_only = client.get(reverse("find_experts"), {"q": "battery drains", "role": "staff"})
    assert "Bob Baker" not in staff_only.content.decode()
    browse = client.get(reverse("find_experts"), {"role": "partner"}).content.decode()
    assert 'id="people-directory"' in browse
    assert "Pat Partner" in browse
    assert "Bob Baker" not in browse
    api = _api(cast.alice)
    assert [
        e["member"]["username"]
        for e in api.get("/api/experts", q="battery drains", place="leeds").json()
    ][:1] == ["bob"]
    assert api.get("/api/experts", q="battery drains", role="partner").json() == [
        e
        for e in api.get("/api/experts", q="battery drains", role="partner").json()
        if e["member"]["role"] == "partner"
    ]


def test_away_and_the_team_builder_in_the_api(cast: Cast, pairing_expert: Thread) -> None:
    bob = _api(cast.bob)
    assert bob.get("/api/experts/away").json() == {"away": False, "until": None, "note": ""}
    until = (timezone.localdate() + timedelta(days=2)).isoformat()
    assert bob.call("PUT", "/api/experts/away", {"until": until, "note": "Off"}).status_code == 200
    assert bob.get("/api/experts/away").json() == {"away": True, "until": until, "note": "Off"}
    assert bob.call("PUT", "/api/experts/away", {"until": "2000-01-01"}).status_code == 400
    assert bob.delete("/api/experts/away").status_code == 204
    assert bob.delete("/api/experts/away").status_code == 404

    assert bob.post("/api/experts/team", {"skills": ["battery"]}).status_code == 403
    sam = _api(cast.sam)
    team = sam.post("/api/experts/team", {"skills": ["battery", "pairing"], "text": "a home"})
    assert team.status_code == 200
    body = team.json()
    assert body["covers"] == {"battery": "bob", "pairing": "pat"}
    assert all(m["reasons"] for m in body["members"])
    swap = sam.post(
        "/api/experts/team",
        {"skills": ["battery", "pairing"], "swap_out": "bob", "swap_in": "nobody"},
    )
    assert swap.status_code == 400
    assert sam.post("/api/experts/team", {"skills": []}).status_code == 400
    unknown = sam.post("/api/experts/team", {"skills": ["battery"], "customer": "ghost"})
    assert unknown.status_code == 400


def test_the_engagement_inbox_suggests_the_staff_member_who_solved_it_before(
    cast: Cast, places: Places, history: Thread, django_capture_on_commit_callbacks: OnCommit
) -> None:
    # sam (staff) answered battery questions before; bob (a customer) did too, and more, but
    # the inbox suggests an owner from the company's own people.
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(2):
            old = check_create_thread(
                cast.maya,
                places.qa,
                title=f"Battery drains in the hub {n}",
                body_md="The hub battery is empty overnight",
                kind="question",
            )
            check_reply(cast.sam, old, body_md="Turn off the always-on radio, battery lasts")
    finder.forget()
    staff = Client()
    assert staff.login(username="sam", password=PASSWORD)
    page = staff.get(reverse("engage")).content.decode()
    row = page[page.index(f'id="thread-{history.pk}"') :]
    row = row[: row.index("</li>")]
    assert "Suggested owner:" in row
    assert cast.sam.name in row
    assert cast.bob.name not in row
