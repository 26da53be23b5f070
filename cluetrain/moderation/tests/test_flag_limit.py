"""Found #7: flags had no limit at all; now a member may flag so many posts an hour."""

import pytest
from pytest_django.fixtures import Settings

from cluetrain.core.errors import ActionError
from cluetrain.moderation.actions import check_flag_post
from cluetrain.moderation.models import Flag
from cluetrain.threads.actions import do_create_thread, do_reply
from conftest import Cast, Places


def test_flags_are_limited_per_member_and_hour(
    cast: Cast, places: Places, settings: Settings
) -> None:
    settings.FLAG_RATE_LIMIT_PER_HOUR = 3
    thread = do_create_thread(cast.alice, places.forum, title="T", body_md="x", kind="discussion")
    posts = [do_reply(cast.alice, thread, body_md=f"post {n}") for n in range(5)]
    for post in posts[:3]:
        check_flag_post(cast.bob, post, reason="spam")
    with pytest.raises(ActionError) as refused:
        check_flag_post(cast.bob, posts[3], reason="spam")
    assert refused.value.status == 429
    assert "Please wait before flagging more" in refused.value.message
    assert Flag.objects.filter(reporter=cast.bob).count() == 3
    # Someone else may still flag; moderators are not limited.
    check_flag_post(cast.pat, posts[3], reason="spam")
    for post in posts:
        check_flag_post(cast.maya, post, reason="spam")


def test_a_refused_flag_does_not_use_up_the_limit(
    cast: Cast, places: Places, settings: Settings
) -> None:
    settings.FLAG_RATE_LIMIT_PER_HOUR = 1
    thread = do_create_thread(cast.alice, places.forum, title="T", body_md="x", kind="discussion")
    with pytest.raises(ActionError):
        check_flag_post(cast.bob, thread.posts.get(), reason="not-a-reason")
    check_flag_post(cast.bob, thread.posts.get(), reason="spam")
