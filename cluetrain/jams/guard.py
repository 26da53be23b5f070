"""A jam's space takes posts only inside the jam's window and from its audience; each post
that it takes is queued to find its theme.

Posting itself lives in the threads app, which knows nothing of jams and has no permission
hook. The extension point it does have is its domain event: `PostCreated` is published
inside the posting transaction, and in-transaction handlers run there (core/events.py). This
handler refuses a post written into a jam's space outside the window or by someone the jam
is not open to: the ActionError rolls the whole post back and reaches the page or the API as
a 403 with the reason. The jam's own pages and API ask the same question before posting
(`cluetrain.jams.actions.refusal`), so their forms never get this far; while they post what
they allowed (`allowed_post`), the question is not asked twice.

A post the jam takes is queued for `theme_post` once the transaction commits (here, where
the jam is already known, rather than by a second look-up after the commit).
"""

from cluetrain.core.errors import ActionError
from cluetrain.core.tasks import enqueue_on_commit
from cluetrain.jams.actions import refusal
from cluetrain.jams.allowance import allowed_post
from cluetrain.jams.models import Jam
from cluetrain.jams.tasks import theme_post
from cluetrain.members.models import Member
from cluetrain.threads.events import PostCreated
from cluetrain.threads.models import Post


def refuse_post_outside_jam(event: PostCreated) -> None:
    allowed = allowed_post.get()
    if allowed is None or event.author_id is None or allowed[0] != event.author_id:
        jam = Jam.objects.filter(space__threads=event.thread_id).first()
        if jam is None:
            return
        if event.author_id is not None:
            author = Member.objects.get(pk=event.author_id)
            created_at = Post.objects.values_list("created_at", flat=True).get(pk=event.post_id)
            reason = refusal(author, jam, created_at)
            if reason is not None:
                raise ActionError(reason, status=403)
    enqueue_on_commit(theme_post, event.post_id)
