"""Live themes: a new post joins its nearest theme; the whole jam is re-clustered now and then.

- `do_theme_post(post_id)` (the task queued for every post in a jam, within seconds): embeds
  the post with the jam's fitted projection and assigns it to the closest theme. Until a jam
  has `MIN_POSTS` posts there is nothing to cluster; the post that reaches it runs the first
  clustering. When the posts themed one by one reach `REFIT_SHARE` of those of the last fit,
  one re-clustering is queued.
- `do_recluster(jam_id)`: learns the projection again on every post, starts k-means from the
  current themes' centroids (so themes keep their identity and moderator names), keeps the
  posts moderators placed (merge, split: `pinned`) where they are, may open new themes as the
  jam grows, and rewrites labels (unless renamed), key phrases and representatives.

The heavy arithmetic is framework-free: cluetrain_analytics/text/themes.py.
"""

from collections.abc import Sequence

import numpy as np
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from cluetrain.jams.models import Jam, Theme, ThemeAssignment, ThemeModel
from cluetrain.jams.report import forget_live
from cluetrain.threads.models import Post
from cluetrain_analytics.text.themes import (
    Projection,
    auto_k,
    cluster,
    describe,
    fit_projection,
    hyphenated_spellings,
    nearest,
    theme_text,
)

MIN_POSTS = 8
REFIT_SHARE = 0.25
EMBED_BATCH = 20_000
WRITE_BATCH = 5_000

_projections: dict[int, tuple[int, Projection]] = {}  # jam id -> (version, projection)


def _projection(model: ThemeModel) -> Projection:
    """The jam's fitted projection, read (a few MB) only when its version is not cached."""
    cached = _projections.get(model.jam_id)
    if cached is None or cached[0] != model.version:
        version, data = (
            ThemeModel.objects.filter(pk=model.pk).values_list("version", "projection").get()
        )
        cached = (version, Projection.from_bytes(bytes(data)))
        _projections[model.jam_id] = cached
    return cached[1]


def _current_model(jam_id: int) -> ThemeModel | None:
    return ThemeModel.objects.defer("projection").filter(jam_id=jam_id).first()


def do_theme_post(post_id: int) -> bool:
    """Theme one new post. True when the jam is due a re-clustering (the caller queues it,
    once: the flag is claimed here). Idempotent: a post already themed is left alone."""
    row = (
        Post.objects.filter(pk=post_id, is_deleted=False, thread__space__jam__isnull=False)
        .annotate(themed=Exists(ThemeAssignment.objects.filter(post_id=OuterRef("pk"))))
        .values_list("thread__space__jam", "thread__title", "body_md", "themed")
        .first()
    )
    if row is None or row[3]:
        return False
    jam_id, title, body, _ = row
    model = _current_model(jam_id)
    if model is None:
        count = Post.objects.filter(thread__space__jam=jam_id, is_deleted=False).count()
        if count >= MIN_POSTS:
            do_recluster(jam_id)
        return False
    themes = list(
        Theme.objects.filter(jam_id=jam_id, merged_into__isnull=True, size__gt=0)
        .exclude(centroid=[])
        .values_list("pk", "centroid")
    )
    if not themes:
        do_recluster(jam_id)
        return False
    vector = _projection(model).embed([theme_text(title, body)])
    centroids = np.asarray([c for _, c in themes], dtype=np.float32)
    best, similarity = nearest(centroids, vector)
    theme_id = themes[int(best[0])][0]
    with transaction.atomic():
        made = ThemeAssignment.objects.bulk_create(
            [
                ThemeAssignment(
                    post_id=post_id,
                    jam_id=jam_id,
                    theme_id=theme_id,
                    similarity=float(similarity[0]),
                    assigned_at=timezone.now(),
                )
            ],
            ignore_conflicts=True,
        )
        Theme.objects.filter(pk=theme_id).update(size=F("size") + len(made))
        ThemeModel.objects.filter(pk=model.pk).update(
            assigned_since_fit=F("assigned_since_fit") + 1
        )
    threshold = max(MIN_POSTS, int(REFIT_SHARE * model.fitted_posts))
    if model.assigned_since_fit + 1 < threshold:
        return False
    claimed = ThemeModel.objects.filter(pk=model.pk, refit_requested=False).update(
        refit_requested=True
    )
    return bool(claimed)


def _texts(jam: Jam) -> tuple[list[int], list[str], dict[str, tuple[str, int]]]:
    """The jam's post ids, their theme texts, and how its hyphenated words are written."""
    rows = (
        Post.objects.filter(thread__space_id=jam.space_id, is_deleted=False)
        .order_by("pk")
        .values_list("pk", "thread__title", "body_md")
        .iterator(chunk_size=WRITE_BATCH)
    )
    ids: list[int] = []
    texts: list[str] = []
    hyphenated: list[str] = []
    for pk, title, body in rows:
        ids.append(pk)
        texts.append(theme_text(title, body))
        if "-" in title or "-" in body:
            hyphenated.append(f"{title} {body}")
    return ids, texts, hyphenated_spellings(hyphenated)


def _embed(projection: Projection, texts: Sequence[str]) -> np.ndarray:
    parts = [
        projection.embed(texts[i : i + EMBED_BATCH]) for i in range(0, len(texts), EMBED_BATCH)
    ]
    return np.vstack(parts) if parts else np.zeros((0, 1), dtype=np.float32)


def do_recluster(jam_id: int, grow: bool = True) -> int:
    """Cluster the whole jam again, keeping moderators' decisions; the number of themes."""
    jam = Jam.objects.select_related("space").filter(pk=jam_id).first()
    if jam is None:
        return 0
    ids, texts, spellings = _texts(jam)
    if len(ids) < MIN_POSTS:
        return 0
    projection = fit_projection(texts)
    vectors = _embed(projection, texts)
    position = {pk: i for i, pk in enumerate(ids)}
    themes = list(Theme.objects.filter(jam=jam, merged_into__isnull=True).order_by("pk"))
    current = {
        post_id: (theme_id, pinned)
        for post_id, theme_id, pinned in ThemeAssignment.objects.filter(jam=jam).values_list(
            "post_id", "theme_id", "pinned"
        )
    }
    members: dict[int, list[int]] = {}
    for post_id, (theme_id, _) in current.items():
        if post_id in position:
            members.setdefault(theme_id, []).append(position[post_id])
    kept = [t for t in themes if members.get(t.pk)]
    index = {t.pk: i for i, t in enumerate(kept)}
    seeds = np.asarray(
        [vectors[members[t.pk]].sum(axis=0) for t in kept], dtype=np.float32
    ).reshape(len(kept), vectors.shape[1])
    fixed = np.full(len(ids), -1, dtype=np.int64)
    for post_id, (theme_id, pinned) in current.items():
        if pinned and post_id in position and theme_id in index:
            fixed[position[post_id]] = index[theme_id]
    k = max(auto_k(len(ids)), len(kept)) if grow or not kept else len(kept)
    labels, centroids = cluster(vectors, k, seeds=seeds if len(kept) else None, fixed=fixed)
    words = describe(texts, labels, vectors, centroids, spellings=spellings)
    sizes = np.bincount(labels, minlength=len(centroids))
    _write(jam, ids, labels, vectors, centroids, words, sizes, kept, themes, current, fixed)
    ThemeModel.objects.update_or_create(
        jam=jam,
        defaults={
            "projection": projection.to_bytes(),
            "version": (
                ThemeModel.objects.filter(jam=jam).values_list("version", flat=True).first() or 0
            )
            + 1,
            "fitted_posts": len(ids),
            "fitted_at": timezone.now(),
            "assigned_since_fit": 0,
            "refit_requested": False,
        },
    )
    forget_live(jam.pk)  # in this process; others see the new themes within the cache's time
    return int((sizes > 0).sum())


@transaction.atomic
def _write(
    jam: Jam,
    ids: list[int],
    labels: np.ndarray,
    vectors: np.ndarray,
    centroids: np.ndarray,
    words: list,  # type: ignore[type-arg]
    sizes: np.ndarray,
    kept: list[Theme],
    themes: list[Theme],
    current: dict[int, tuple[int, bool]],
    fixed: np.ndarray,
) -> None:
    now = timezone.now()
    theme_of: list[Theme | None] = []
    for c in range(len(centroids)):
        size = int(sizes[c])
        theme = kept[c] if c < len(kept) else None
        if size == 0 and (theme is None or not theme.moderated):
            theme_of.append(None)
            continue
        if theme is None:
            theme = Theme(jam=jam, created_at=now)
        if not theme.label_pinned:
            theme.label = words[c].label[:120]
        theme.key_phrases = list(words[c].key_phrases)
        theme.representative_ids = [ids[i] for i in words[c].representatives]
        theme.centroid = [round(float(x), 5) for x in centroids[c]]
        theme.size = size
        theme.updated_at = now
        theme.save()
        theme_of.append(theme)
    used = {t.pk for t in theme_of if t is not None}
    # Themes left without posts (and never touched by a moderator) are gone.
    Theme.objects.filter(
        pk__in=[t.pk for t in themes if t.pk not in used and not t.moderated]
    ).delete()
    changed: list[ThemeAssignment] = []
    new: list[ThemeAssignment] = []
    for i, post_id in enumerate(ids):
        theme = theme_of[int(labels[i])]
        if theme is None:
            continue
        similarity = float(vectors[i] @ centroids[int(labels[i])])
        pinned = bool(fixed[i] >= 0)
        if post_id in current:
            if current[post_id] == (theme.pk, pinned):
                continue
            changed.append(
                ThemeAssignment(
                    post_id=post_id, theme_id=theme.pk, pinned=pinned, similarity=similarity
                )
            )
        else:
            new.append(
                ThemeAssignment(
                    post_id=post_id,
                    jam=jam,
                    theme=theme,
                    pinned=pinned,
                    similarity=similarity,
                    assigned_at=now,
                )
            )
    ThemeAssignment.objects.bulk_create(new, batch_size=WRITE_BATCH, ignore_conflicts=True)
    by_post = dict(ThemeAssignment.objects.filter(jam=jam).values_list("post_id", "pk"))
    for assignment in changed:
        assignment.pk = by_post[assignment.post_id]
    ThemeAssignment.objects.bulk_update(
        changed, ["theme", "pinned", "similarity"], batch_size=WRITE_BATCH
    )
