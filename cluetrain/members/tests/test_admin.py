import pytest
from django.core.management import call_command
from django.test import Client

from cluetrain.core.sentences import Sentence
from cluetrain.members.actions import check_follow
from cluetrain.members.models import Member
from cluetrain.notifications.actions import do_notify
from conftest import Cast, Places

MODELS = [
    "members/member",
    "members/connection",
    "organizations/organization",
    "organizations/product",
    "organizations/offering",
    "topics/topic",
    "sources/source",
    "sources/externalidentity",
    "relationships/relationshipevent",
    "notifications/notification",
]


@pytest.mark.parametrize("model", MODELS)
def test_admin_lists_and_adds(cast: Cast, places: Places, client: Client, model: str) -> None:
    check_follow(cast.alice, cast.bob)
    do_notify(recipient_id=cast.alice.pk, kind="follow", dedupe_key="k", sentence=Sentence("hi"))
    client.force_login(cast.ada)
    assert client.get(f"/admin/{model}/").status_code == 200
    assert client.get(f"/admin/{model}/add/").status_code == 200


def test_admin_member_page_has_role_and_profile(cast: Cast, client: Client) -> None:
    client.force_login(cast.ada)
    response = client.get(f"/admin/members/member/{cast.alice.pk}/change/")
    assert response.status_code == 200
    assert b'name="role"' in response.content
    assert b'name="profile-0-headline"' in response.content
    response = client.get("/admin/members/member/?role__exact=staff")
    assert [m.username for m in response.context["cl"].result_list] == ["sam"]


def test_admin_adds_a_member(cast: Cast, client: Client) -> None:
    client.force_login(cast.ada)
    response = client.post(
        "/admin/members/member/add/",
        {
            "username": "dora",
            "usable_password": "true",
            "password1": "a much longer pass phrase 42",
            "password2": "a much longer pass phrase 42",
            "role": "staff",
            "display_name": "Dora",
            "email": "dora@example.com",
            "profile-TOTAL_FORMS": "1",
            "profile-INITIAL_FORMS": "0",
            "profile-MIN_NUM_FORMS": "0",
            "profile-MAX_NUM_FORMS": "1",
            "profile-0-headline": "New hire",
        },
    )
    assert response.status_code == 302
    dora = Member.objects.get(username="dora")
    assert (dora.role, dora.display_name, dora.profile.headline) == ("staff", "Dora", "New hire")


@pytest.mark.django_db
def test_createsuperuser_makes_an_administrator_who_may_use_the_staff_pages(
    client: Client,
) -> None:
    call_command(
        "createsuperuser",
        interactive=False,
        username="root",
        email="root@example.com",
        verbosity=0,
    )
    root = Member.objects.get(username="root")
    assert root.is_superuser
    assert root.role == Member.Role.ADMIN
    client.force_login(root)
    assert client.get("/staff/queue/").status_code == 200
