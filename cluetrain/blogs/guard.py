"""The blogs space takes new threads only from the blogs: a thread started there any other
way (the space's new-thread form, the threads API) has no blog post and would be a blog post
nobody wrote. As the jams' guard does, an in-transaction handler of `PostCreated` refuses
it: the ActionError rolls the post back and reaches the page or the API as a 403. Comments
(replies) are welcome."""

from contextvars import ContextVar

from django.utils.translation import gettext

from cluetrain.blogs.models import BLOGS_SPACE_SLUG
from cluetrain.core.errors import ActionError
from cluetrain.threads.events import PostCreated
from cluetrain.threads.models import Thread

# Set while cluetrain.blogs.actions.do_publish writes the thread.
publishing: ContextVar[bool] = ContextVar("blogs_publishing", default=False)


def refuse_thread_outside_blogs(event: PostCreated) -> None:
    if event.parent_id is not None or publishing.get():
        return
    if Thread.objects.filter(pk=event.thread_id, space__slug=BLOGS_SPACE_SLUG).exists():
        raise ActionError(
            gettext("Blog posts are written from your blog: use “Write a post” on /blogs/."),
            status=403,
        )
