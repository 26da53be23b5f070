"""The notifications inbox in the JSON API."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema

from cluetrain.api.auth import member
from cluetrain.api.pagination import PageParams, paginate
from cluetrain.api.schemas import MemberRef, Page, member_ref
from cluetrain.notifications.actions import do_mark_all_read
from cluetrain.notifications.models import Notification
from cluetrain.notifications.visibility import still_visible

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    actor: MemberRef | None
    thread_id: int | None
    post_id: int | None
    idea_id: int | None
    text: str
    created_at: datetime
    read_at: datetime | None


class NotificationPage(Page):
    unread: int
    items: list[NotificationOut]


class NotificationFilters(PageParams):
    unread_only: bool = False


class MarkedOut(Schema):
    marked: int


@router.get("/notifications", response=NotificationPage)
def list_notifications(
    request: HttpRequest, filters: Query[NotificationFilters]
) -> NotificationPage:
    who = member(request)
    inbox = Notification.objects.filter(still_visible(who), recipient=who).select_related("actor")
    unread = inbox.filter(read_at__isnull=True)
    rows, next_cursor = paginate(
        unread if filters.unread_only else inbox, ("-created_at", "-pk"), filters
    )
    items = [
        NotificationOut(
            id=n.pk,
            kind=n.kind,
            actor=member_ref(n.actor),
            thread_id=n.thread_id,
            post_id=n.post_id,
            idea_id=n.idea_id,
            text=n.as_text(),
            created_at=n.created_at,
            read_at=n.read_at,
        )
        for n in rows
    ]
    return NotificationPage(unread=unread.count(), items=items, next=next_cursor)


@router.post("/notifications/read", response=MarkedOut)
def mark_all_read(request: HttpRequest) -> MarkedOut:
    return MarkedOut(marked=do_mark_all_read(member(request).pk))
