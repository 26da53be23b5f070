"""Background delivery of notifications. Tasks take ids and are safe to run twice."""

from django.utils.translation import gettext_noop
from django_tasks import task

from cluetrain.core.sentences import Sentence, Value, english
from cluetrain.ideas.events import IdeaStatusChanged
from cluetrain.ideas.models import IdeaStatusChange
from cluetrain.members.events import ConnectionAnswered, ConnectionMade
from cluetrain.members.models import Connection
from cluetrain.notifications.actions import do_notify
from cluetrain.notifications.models import Notification
from cluetrain.threads.events import PostCreated
from cluetrain.threads.models import Post, ThreadFollow


def reply_sentence(author: str, title: str) -> Sentence:
    return Sentence(
        gettext_noop("%(name)s replied in “%(title)s”"), {"name": author, "title": title}
    )


@task()
def send_post_notifications(post_id: int) -> None:
    """Tell the parent's author, the thread's author and its followers of a reply, and everyone
    mentioned."""
    post = Post.objects.select_related("thread", "parent", "author").filter(pk=post_id).first()
    author = post.author if post is not None else None
    if post is None or author is None or post.is_hidden or post.is_deleted:
        return
    kind = Notification.Kind.STAFF_REPLY if post.is_staff_reply else Notification.Kind.REPLY
    said: dict[str, Value] = {"name": author.name, "title": post.thread.title}
    replied = reply_sentence(author.name, post.thread.title)
    recipients: list[int] = []
    if post.parent is not None and post.parent.author_id is not None:
        recipients.append(post.parent.author_id)
    if post.parent_id is not None and post.thread.author_id is not None:
        recipients.append(post.thread.author_id)
    if post.parent_id is not None:
        # Members who follow the thread ("Follow this thread"), as its author is told;
        # do_notify leaves out the reply's own author and anyone who may no longer read it.
        recipients.extend(
            ThreadFollow.objects.filter(thread_id=post.thread_id)
            .order_by("pk")
            .values_list("member_id", flat=True)
        )
    for recipient_id in dict.fromkeys(recipients):
        do_notify(
            recipient_id=recipient_id,
            kind=kind,
            dedupe_key=f"reply:{post.pk}",
            actor_id=post.author_id,
            thread_id=post.thread_id,
            post_id=post.pk,
            sentence=replied,
        )
    for member_id in post.mentions.values_list("member_id", flat=True):
        do_notify(
            recipient_id=member_id,
            kind=Notification.Kind.MENTION,
            dedupe_key=f"mention:{post.pk}",
            actor_id=post.author_id,
            thread_id=post.thread_id,
            post_id=post.pk,
            sentence=Sentence(gettext_noop("%(name)s mentioned you in “%(title)s”"), said),
        )


@task()
def send_connection_notification(connection_id: int) -> None:
    """A new follower, a connection request, or an accepted request."""
    connection = (
        Connection.objects.select_related("from_member", "to_member")
        .filter(pk=connection_id)
        .first()
    )
    if connection is None:
        return
    if connection.kind == Connection.Kind.FOLLOW:
        do_notify(
            recipient_id=connection.to_member_id,
            kind=Notification.Kind.FOLLOW,
            dedupe_key=f"follow:{connection.pk}",
            actor_id=connection.from_member_id,
            sentence=Sentence(
                gettext_noop("%(name)s started following you"),
                {"name": connection.from_member.name},
            ),
        )
    elif connection.kind == Connection.Kind.CONNECT:
        if connection.status == Connection.Status.PENDING:
            do_notify(
                recipient_id=connection.to_member_id,
                kind=Notification.Kind.CONNECT_REQUEST,
                dedupe_key=f"connect_request:{connection.pk}",
                actor_id=connection.from_member_id,
                sentence=Sentence(
                    gettext_noop("%(name)s wants to connect"), {"name": connection.from_member.name}
                ),
            )
        elif connection.status == Connection.Status.ACCEPTED:
            do_notify(
                recipient_id=connection.from_member_id,
                kind=Notification.Kind.CONNECT_ACCEPTED,
                dedupe_key=f"connect_accepted:{connection.pk}",
                actor_id=connection.to_member_id,
                sentence=Sentence(
                    gettext_noop("%(name)s accepted your connection request"),
                    {"name": connection.to_member.name},
                ),
            )


@task()
def send_idea_status_notifications(status_change_id: int) -> None:
    """Tell every voter, follower and the idea's author that its status changed, and why."""
    change = (
        IdeaStatusChange.objects.select_related("idea__thread").filter(pk=status_change_id).first()
    )
    if change is None:
        return
    idea = change.idea
    recipients = set(idea.votes.values_list("member_id", flat=True))
    recipients |= set(idea.follows.values_list("member_id", flat=True))
    if idea.thread.author_id is not None:
        recipients.add(idea.thread.author_id)
    changed = Sentence(
        gettext_noop("“%(title)s” is now %(status)s: %(explanation)s"),
        {
            "title": idea.thread.title,
            "status": english(idea.Status(change.to_status).label),
            "explanation": change.explanation,
        },
        translated=("status",),
    )
    for recipient_id in sorted(recipients):
        do_notify(
            recipient_id=recipient_id,
            kind=Notification.Kind.IDEA_STATUS,
            dedupe_key=f"idea_status:{change.pk}",
            actor_id=change.changed_by_id,
            thread_id=idea.thread_id,
            idea_id=idea.pk,
            sentence=changed,
        )


# Subscribed in NotificationsConfig.ready(); they run after the publishing transaction commits.


def on_post_created(event: PostCreated) -> None:
    send_post_notifications.enqueue(event.post_id)


def on_connection_made(event: ConnectionMade) -> None:
    send_connection_notification.enqueue(event.connection_id)


def on_connection_answered(event: ConnectionAnswered) -> None:
    if event.accepted:
        send_connection_notification.enqueue(event.connection_id)


def on_idea_status_changed(event: IdeaStatusChanged) -> None:
    send_idea_status_notifications.enqueue(event.change_id)
