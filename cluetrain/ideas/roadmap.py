"""The public roadmap: what is planned, in progress and done, with the numbers behind it."""

from dataclasses import dataclass
from datetime import datetime
from statistics import median

from django.db.models import QuerySet

from cluetrain.ideas.models import Idea, IdeaStatusChange

FORWARD = (Idea.Status.PLANNED, Idea.Status.IN_PROGRESS, Idea.Status.DONE)
DECIDED = (*FORWARD, Idea.Status.DECLINED)
COLUMNS = FORWARD
PER_COLUMN = 50


@dataclass
class Roadmap:
    columns: list[tuple[str, str, list[Idea], int]]  # status, label, ideas, how many
    ideas: int  # ideas posted (merged duplicates not counted)
    taken_forward: int  # ideas that ever reached planned, in progress or done
    decided: int  # ideas that reached a decision (taken forward or declined)
    declined: int
    median_days_to_decision: float | None
    median_days_to_done: float | None


def _days(start: datetime, end: datetime) -> float:
    return max(0.0, (end - start).total_seconds() / 86400)


def _median(values: list[float]) -> float | None:
    return round(median(values), 1) if values else None


def roadmap(visible: QuerySet[Idea]) -> Roadmap:
    ideas = visible.filter(merged_into=None)
    created = dict(ideas.values_list("pk", "thread__created_at"))
    first_decision: dict[int, datetime] = {}
    first_done: dict[int, datetime] = {}
    forward: set[int] = set()
    changes = IdeaStatusChange.objects.filter(idea_id__in=created, to_status__in=DECIDED)
    for idea_id, to_status, at in changes.order_by("created_at").values_list(
        "idea_id", "to_status", "created_at"
    ):
        first_decision.setdefault(idea_id, at)
        if to_status in FORWARD:
            forward.add(idea_id)
        if to_status == Idea.Status.DONE:
            first_done.setdefault(idea_id, at)
    columns = []
    for status in COLUMNS:
        listed = ideas.filter(status=status).select_related(
            "thread__space", "thread__author", "product"
        )
        columns.append(
            (
                str(status),
                str(Idea.Status(status).label),
                list(listed.order_by("-status_changed_at", "-pk")[:PER_COLUMN]),
                listed.count(),
            )
        )
    return Roadmap(
        columns=columns,
        ideas=len(created),
        taken_forward=len(forward),
        decided=len(first_decision),
        declined=ideas.filter(status=Idea.Status.DECLINED).count(),
        median_days_to_decision=_median(
            [_days(created[i], at) for i, at in first_decision.items()]
        ),
        median_days_to_done=_median([_days(created[i], at) for i, at in first_done.items()]),
    )
