"""Onboarding after sign-up: profile, what to follow, people; each step skippable."""

from django.test import Client
from django.urls import reverse

from cluetrain.members.actions import check_edit_profile, check_follow
from cluetrain.members.models import Connection, Member
from cluetrain.members.queries import suggested_people
from cluetrain.spaces.models import SpaceFollow
from cluetrain.threads.actions import check_create_thread
from cluetrain.topics.models import Topic
from conftest import Cast, Places


def _sign_up(client: Client) -> Member:
    response = client.post(
        reverse("signup"),
        {
            "username": "nora",
            "display_name": "Nora New",
            "email": "nora@example.com",
            "password1": "a long enough passphrase 42",
            "password2": "a long enough passphrase 42",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("welcome")
    return Member.objects.get(username="nora")


def test_sign_up_leads_through_three_steps(cast: Cast, places: Places) -> None:
    check_edit_profile(
        cast.sam,
        display_name="Sam Staff",
        headline="Wi-Fi support",
        location="",
        bio="",
        expertise=["wi-fi"],
        interests=[],
    )
    check_follow(cast.bob, cast.maya)
    wifi = Topic.objects.get(slug="wi-fi")
    check_create_thread(cast.bob, places.forum, title="Router", body_md="x", tags=[wifi])
    client = Client()
    nora = _sign_up(client)

    step1 = client.get(reverse("welcome"))
    assert b"Step 1 of 3" in step1.content
    assert b"Add a picture" in step1.content
    saved = client.post(
        reverse("welcome"),
        {"display_name": "Nora N.", "headline": "Hub owner", "location": "Lyon", "bio": "Hi"},
    )
    assert saved["Location"] == reverse("welcome_follow")
    nora.refresh_from_db()
    assert nora.display_name == "Nora N."
    assert nora.profile.headline == "Hub owner"

    step2 = client.get(reverse("welcome_follow"))
    page = step2.content.decode()
    assert 'value="general"' in page
    assert "staff-room" not in page  # only spaces she may read
    assert 'value="wi-fi"' in page  # a topic in use
    followed = client.post(
        reverse("welcome_follow"),
        {"spaces": ["general", "help"], "topics": ["wi-fi"], "other_topics": "solar, Heat pumps"},
    )
    assert followed["Location"] == reverse("welcome_people")
    assert set(SpaceFollow.objects.filter(member=nora).values_list("space__slug", flat=True)) == {
        "general",
        "help",
    }
    assert set(nora.profile.interests.values_list("slug", flat=True)) == {
        "wi-fi",
        "solar",
        "heat-pumps",
    }

    step3 = client.get(reverse("welcome_people"))
    names = [m.username for m in suggested_people(nora)]
    assert names[0] == "sam"  # shares the wi-fi topic
    assert names[1] == "maya"  # the most followed
    assert b"Sam Staff" in step3.content
    done = client.post(reverse("welcome_people"), {"people": ["sam", "maya"]}, follow=True)
    assert done.redirect_chain[-1][0] == reverse("home")
    assert b"You now follow 2 people." in done.content
    assert set(
        Connection.objects.filter(from_member=nora, kind="follow").values_list(
            "to_member__username", flat=True
        )
    ) == {"sam", "maya"}
    assert "sam" not in [m.username for m in suggested_people(nora)]


def test_steps_refuse_bad_input_and_write_nothing(cast: Cast, places: Places) -> None:
    client = Client()
    nora = _sign_up(client)
    too_long = client.post(reverse("welcome"), {"display_name": "x" * 151})
    assert too_long.status_code == 400
    nora.refresh_from_db()
    assert nora.display_name == "Nora New"
    private = client.post(reverse("welcome_follow"), {"spaces": ["staff-room"]})
    assert private.status_code == 400  # not a choice she is offered
    many = client.post(
        reverse("welcome_follow"),
        {"spaces": ["general"], "other_topics": ", ".join(f"t{i}" for i in range(30))},
    )
    assert many.status_code == 400
    assert b"Up to 20 topics" in many.content
    assert not SpaceFollow.objects.filter(member=nora).exists()
    unknown = client.post(reverse("welcome_people"), {"people": ["nobody"]})
    assert unknown.status_code == 400
    assert not Connection.objects.filter(from_member=nora).exists()


def test_steps_can_be_skipped_and_need_sign_in(cast: Cast, places: Places) -> None:
    anonymous = Client()
    for name in ("welcome", "welcome_follow", "welcome_people"):
        assert anonymous.get(reverse(name)).status_code == 302
    client = Client()
    _sign_up(client)
    for name, skip_to in (("welcome", "welcome_follow"), ("welcome_follow", "welcome_people")):
        assert (
            f'href="{reverse(skip_to)}">Skip this step'.encode()
            in client.get(reverse(name)).content
        )
    assert client.post(reverse("welcome_people"), {}).status_code == 302  # nothing chosen
