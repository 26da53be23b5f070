"""Domain events: an action publishes what happened; the apps that react subscribe to it.

Each domain app defines its events in its own `events.py` as frozen dataclasses that carry
ids, never model instances, so a handler that runs after commit reads the rows as committed.
Reacting apps (notifications, search, webhooks, listening, influence) subscribe in their
`AppConfig.ready()`; the app that raises an event never imports the apps that react to it.

Two phases:

- `AFTER_COMMIT` (the default): the handler runs once the publishing transaction commits, and
  never if it rolls back. Notifications, webhooks, listening and influence react this way.
- `IN_TRANSACTION`: the handler runs at once, inside the publisher's transaction, for derived
  rows that must commit or roll back with the change itself (the search index, a review's
  helpful count): a post is never saved without its search entry, nor the reverse.
"""

import enum
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from django.db import transaction


@dataclass(frozen=True, slots=True)
class Event:
    """The base of every domain event."""


E = TypeVar("E", bound=Event)
Handler = Callable[[Any], None]


class Phase(enum.Enum):
    IN_TRANSACTION = "in_transaction"
    AFTER_COMMIT = "after_commit"


_handlers: defaultdict[type[Event], list[tuple[Handler, Phase]]] = defaultdict(list)


def subscribe(
    event_type: type[E], handler: Callable[[E], None], *, phase: Phase = Phase.AFTER_COMMIT
) -> None:
    """Call `handler(event)` for every published `event_type` (subclasses included).

    Subscribing the same handler twice is a no-op, so a `ready()` run again does no harm.
    """
    entry = (handler, phase)
    if entry not in _handlers[event_type]:
        _handlers[event_type].append(entry)


def unsubscribe(event_type: type[E], handler: Callable[[E], None]) -> None:
    _handlers[event_type] = [entry for entry in _handlers[event_type] if entry[0] != handler]


def handlers_for(event_type: type[Event]) -> list[tuple[Handler, Phase]]:
    """The handlers `publish` would call, in the order it would call them."""
    found: list[tuple[Handler, Phase]] = []
    for klass in event_type.__mro__:
        if isinstance(klass, type) and issubclass(klass, Event):
            found.extend(_handlers.get(klass, ()))
    return found


def publish(event: Event) -> None:
    """Run the in-transaction handlers now and queue the others for after commit.

    Handlers run in the order they subscribed; an exception in one propagates to the
    publisher (in-transaction) or to the commit (after commit), as Django's on_commit does.
    """
    for handler, phase in handlers_for(type(event)):
        if phase is Phase.IN_TRANSACTION:
            handler(event)
        else:
            transaction.on_commit(partial(handler, event))
