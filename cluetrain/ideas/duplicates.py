"""Ideas like a text being written: TF-IDF similarity over the ideas the viewer can read."""

from cluetrain.ideas.access import readable_ideas
from cluetrain.ideas.models import Idea
from cluetrain.spaces.access import Viewer
from cluetrain_analytics.ideas import similar_texts

# The most recent ideas compared against: enough for a community's board, bounded in time.
CANDIDATES = 3000
SIMILAR_LIMIT = 5


def similar_ideas(
    viewer: Viewer, text: str, *, exclude: int | None = None, limit: int = SIMILAR_LIMIT
) -> list[tuple[Idea, float]]:
    """Readable ideas (merged duplicates left out) like `text`, most alike first."""
    if len(text.strip()) < 4:
        return []
    candidates = (
        readable_ideas(viewer)
        .filter(merged_into=None)
        .exclude(pk=exclude or 0)
        .select_related("thread__space", "thread__author")
        .order_by("-thread__created_at")[:CANDIDATES]
    )
    ideas = {idea.pk: idea for idea in candidates}
    opening = dict(
        Idea.objects.filter(pk__in=ideas)
        .filter(thread__posts__parent=None)
        .values_list("pk", "thread__posts__body_md")
    )
    corpus = [(pk, f"{idea.thread.title}\n{opening.get(pk, '')}") for pk, idea in ideas.items()]
    return [(ideas[int(str(pk))], score) for pk, score in similar_texts(text, corpus, limit=limit)]
