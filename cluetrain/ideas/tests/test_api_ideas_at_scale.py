"""The JSON API of ideas at scale: similar, merge, the explained ranking, history, roadmap."""

from cluetrain.api.tests.conftest import World
from cluetrain.ideas.actions import do_create_idea, do_vote_idea
from cluetrain.ideas.models import Idea, VoteBudget
from cluetrain.members.models import Member
from conftest import make_member


def test_similar_finds_the_existing_idea(world: World) -> None:
    response = world.client(None).get("/api/ideas/similar", text="a dark mode for the app")
    assert response.status_code == 200
    assert [row["idea"]["title"] for row in response.json()] == ["Dark mode"]
    assert world.client(None).get("/api/ideas/similar", text="").status_code == 400


def test_merge_then_ranking_and_history(world: World) -> None:
    duplicate = do_create_idea(
        world.cast.alice, world.places.ideas, title="Dark theme", body_md="."
    )
    do_vote_idea(world.cast.pat, duplicate)
    do_vote_idea(world.cast.pat, world.idea)
    do_vote_idea(world.cast.maya, duplicate)
    staff = world.client(world.cast.sam)
    merged = staff.post(f"/api/ideas/{duplicate.pk}/merge/{world.idea.pk}")
    assert merged.status_code == 200
    body = merged.json()
    assert (body["votes_moved"], body["into"]["vote_count"]) == (1, 2)
    assert body["merged"]["merged_into"] == world.idea.pk
    again = staff.post(f"/api/ideas/{duplicate.pk}/merge/{world.idea.pk}")
    assert again.status_code == 409
    ranking = world.client(None).get("/api/ideas/ranking", space="ideas").json()
    assert [row["idea"]["id"] for row in ranking] == [world.idea.pk]
    assert (ranking[0]["score"], ranking[0]["independent_groups"]) == (2.0, 2)
    changed = staff.post(
        f"/api/ideas/{world.idea.pk}/status", {"status": "planned", "explanation": "Spring."}
    )
    assert changed.status_code == 200
    history = world.client(None).get(f"/api/ideas/{world.idea.pk}/history").json()
    assert [(h["to_status"], h["explanation"]) for h in history] == [("planned", "Spring.")]
    bare = staff.post(f"/api/ideas/{world.idea.pk}/status", {"status": "done", "explanation": ""})
    assert bare.status_code == 400
    roadmap = world.client(None).get("/api/ideas/roadmap").json()
    assert (roadmap["ideas"], roadmap["taken_forward"]) == (1, 1)
    assert roadmap["columns"][0]["status"] == "planned"


def test_rank_explains_a_ring(world: World) -> None:
    extra = [
        do_create_idea(world.cast.alice, world.places.ideas, title=f"Extra {n}", body_md=".")
        for n in range(2)
    ]
    ring = [make_member(f"sock{n}", Member.Role.CUSTOMER) for n in range(4)]
    for sock in ring:
        for idea in [world.idea, *extra]:
            do_vote_idea(sock, idea)
    row = world.client(None).get(f"/api/ideas/{world.idea.pk}/rank").json()
    assert (row["supporters"], row["independent_groups"], row["score"]) == (4, 1, 1.0)
    assert len(row["discounted"]) == 3


def test_budget_is_staff_only_and_checked(world: World) -> None:
    assert (
        world.client(world.cast.alice)
        .call("PUT", "/api/ideas/budgets/ideas", {"votes": 2})
        .status_code
        == 403
    )
    staff = world.client(world.cast.sam)
    assert staff.call("PUT", "/api/ideas/budgets/ideas", {"votes": 0}).status_code == 400
    assert staff.call("PUT", "/api/ideas/budgets/general", {"votes": 2}).status_code == 400
    assert not VoteBudget.objects.exists()
    assert staff.call("PUT", "/api/ideas/budgets/ideas", {"votes": 1}).status_code == 200
    other = do_create_idea(world.cast.bob, world.places.ideas, title="Other", body_md=".")
    alice = world.client(world.cast.alice)
    assert alice.post(f"/api/ideas/{world.idea.pk}/vote").status_code == 200
    refused = alice.post(f"/api/ideas/{other.pk}/vote")
    assert refused.status_code == 409
    assert Idea.objects.get(pk=other.pk).vote_count == 0
