"""The community's own spread forecaster, fitted on its finished threads.

The forecaster evaluated on public data (`cluetrain eval spread`, docs/spread.md) learns what
"large" means from its training cascades. The one shipped in `cluetrain_analytics/models/` was
fitted on Twitter rumour cascades of 55 shares and more, so on a forum thread with no reply it
forecasts hundreds. The platform therefore fits the same estimator on this community's own
finished threads (opening post older than a week) and keeps it as a FittedModel row, so every
web and worker process uses the same one. Until there are enough finished threads, cascades
use the rate rule (cascades.rate_rule).
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from cluetrain.listening.models import FittedModel
from cluetrain.threads.models import Post
from cluetrain_analytics.artifacts import dumps_artifact, loads_artifact
from cluetrain_analytics.spread import Cascade as SpreadCascade
from cluetrain_analytics.spread import CascadeForecaster

KIND = "spread"
#: Fewer finished threads than this teach nothing trustworthy: the rate rule is used instead.
MIN_CASCADES = 200
#: A thread whose opening post is this old is taken as finished: its size is the truth.
FINISHED_AFTER = timedelta(days=7)
#: How long the forecaster watches a cascade before it answers (the rate rule answers before).
OBSERVE_MINUTES = 60.0


def finished_cascades(now: datetime | None = None) -> list[SpreadCascade]:
    """Every thread opened before ``now - FINISHED_AFTER`` as a cascade (staff answers left out)."""
    cutoff = (now or timezone.now()) - FINISHED_AFTER
    rows = (
        Post.objects.filter(
            thread__posts__parent__isnull=True,
            thread__posts__created_at__lt=cutoff,
            is_deleted=False,
            is_hidden=False,
        )
        .order_by("thread_id", "created_at", "pk")
        .values_list(
            "thread_id",
            "pk",
            "parent_id",
            "created_at",
            "author_id",
            "external_author_id",
            "is_staff_reply",
        )
    )
    by_thread: dict[int, list[tuple[int, int | None, datetime, str, bool]]] = {}
    for thread_id, pk, parent_id, created_at, author_id, external_id, is_staff in rows.iterator(
        chunk_size=5000
    ):
        author = f"m{author_id}" if author_id else f"x{external_id}" if external_id else f"p{pk}"
        by_thread.setdefault(thread_id, []).append((pk, parent_id, created_at, author, is_staff))
    cascades = []
    for posts in by_thread.values():
        root = next((post for post in posts if post[1] is None), None)
        if root is None:
            continue
        start = root[2]
        shares = [
            (str(parent or root[0]), str(pk), (at - start).total_seconds() / 60.0, author)
            for pk, parent, at, author, is_staff in posts
            if pk != root[0] and not is_staff
        ]
        cascades.append(SpreadCascade.from_shares(str(root[0]), shares))
    return cascades


def refit_forecaster(*, now: datetime | None = None, random_state: int = 0) -> int:
    """Fit and store the community forecaster; returns how many threads taught it (0: too few)."""
    now = now or timezone.now()
    cascades = finished_cascades(now)
    if len(cascades) < MIN_CASCADES:
        return 0
    model = CascadeForecaster(
        observe_minutes=OBSERVE_MINUTES, doubling_ks=(), random_state=random_state
    ).fit(cascades)
    with transaction.atomic():
        FittedModel.objects.create(
            kind=KIND,
            version=now.strftime("%Y%m%d%H%M%S"),
            blob=dumps_artifact(model),
            corpus_size=len(cascades),
            fitted_at=now,
        )
    return len(cascades)


_cached: tuple[int, CascadeForecaster] | None = None


def community_forecaster() -> CascadeForecaster | None:
    """The latest stored forecaster (unpickled once per process and version), or None.

    Raises ``ArtifactVersionError`` when it was stored under library versions that cannot be
    read here: `cluetrain influence` fits a new one.
    """
    global _cached
    latest = FittedModel.objects.filter(kind=KIND).order_by("-fitted_at", "-pk").first()
    if latest is None:
        return None
    if _cached is None or _cached[0] != latest.pk:
        # Only refit_forecaster writes these rows, from our own estimator.
        model = loads_artifact(
            bytes(latest.blob),
            CascadeForecaster,
            name=f"the community's spread forecaster {latest.version} (FittedModel {latest.pk})",
            retrain="cluetrain influence",
        )
        _cached = (latest.pk, model)
    return _cached[1]
