"""The community's interaction graph, read from the store.

Every act of one member toward another becomes a `cluetrain_analytics.graph.Interaction`
(source = who acted, target = who was acted upon), with the topic of the message acted on
(the learned topic listening gave it):

- reply: the replier -> the author of the post replied to;
- mention: the author of the post -> the member named in it;
- vote: a reaction (like, helpful, agree, up-vote; a down-vote is left out) -> the post's
  author, and an idea vote -> the idea's author;
- accepted_answer: the asker -> the author of the accepted answer;
- follow / connect: from follows, trusts and accepted connections (no topic; they weigh 0
  in `influence_scores`, so followers alone make no one influential).

Nodes are member ids. Imported authors without a member account are left out.
"""

from collections.abc import Iterator

from cluetrain.ideas.models import IdeaVote
from cluetrain.members.models import Connection
from cluetrain.threads.models import Mention, Post, Reaction, Thread
from cluetrain_analytics.graph import Interaction, InteractionGraph, interaction_graph

#: Reactions that count as attention given; a down-vote is not someone being heard.
HEARD_REACTIONS = ("like", "helpful", "agree", "upvote")


def _replies() -> Iterator[Interaction]:
    rows = Post.objects.filter(
        is_deleted=False,
        author__isnull=False,
        parent__isnull=False,
        parent__author__isnull=False,
    ).values_list("author_id", "parent__author_id", "created_at", "parent__enrichment__topic_id")
    for replier, replied_to, at, topic in rows:
        if replier != replied_to:
            yield Interaction(replier, replied_to, "reply", at, topic=topic)


def _mentions() -> Iterator[Interaction]:
    rows = Mention.objects.filter(post__author__isnull=False, post__is_deleted=False).values_list(
        "post__author_id", "member_id", "created_at", "post__enrichment__topic_id"
    )
    for author, named, at, topic in rows:
        if author != named:
            yield Interaction(author, named, "mention", at, topic=topic)


def _reactions() -> Iterator[Interaction]:
    rows = Reaction.objects.filter(
        kind__in=HEARD_REACTIONS, post__author__isnull=False, post__is_deleted=False
    ).values_list("member_id", "post__author_id", "created_at", "post__enrichment__topic_id")
    for reactor, author, at, topic in rows:
        if reactor != author:
            yield Interaction(reactor, author, "vote", at, topic=topic)


def _idea_votes() -> Iterator[Interaction]:
    rows = IdeaVote.objects.filter(idea__thread__author__isnull=False).values_list(
        "member_id", "idea__thread__author_id", "created_at", "idea__thread_id"
    )
    opening_topics = _opening_topics({row[3] for row in rows})
    for voter, author, at, thread_id in rows:
        if voter != author:
            yield Interaction(voter, author, "vote", at, topic=opening_topics.get(thread_id))


def _opening_topics(thread_ids: set[int]) -> dict[int, int | None]:
    """The learned topic of each thread's opening post."""
    rows = Post.objects.filter(thread_id__in=thread_ids, parent__isnull=True).values_list(
        "thread_id", "enrichment__topic_id"
    )
    return dict(rows)


def _accepted_answers() -> Iterator[Interaction]:
    rows = Thread.objects.filter(
        accepted_answer__isnull=False,
        author__isnull=False,
        accepted_answer__author__isnull=False,
    ).values_list(
        "author_id",
        "accepted_answer__author_id",
        "accepted_answer__created_at",
        "accepted_answer__enrichment__topic_id",
    )
    for asker, answerer, at, topic in rows:
        if asker != answerer:
            yield Interaction(asker, answerer, "accepted_answer", at, topic=topic)


def _ties() -> Iterator[Interaction]:
    rows = Connection.objects.filter(status=Connection.Status.ACCEPTED).values_list(
        "from_member_id", "to_member_id", "kind", "created_at"
    )
    for follower, followed, kind, at in rows:
        yield Interaction(follower, followed, "connect" if kind == "connect" else "follow", at)


def community_interactions() -> list[Interaction]:
    """Every interaction between members, in the order the kinds are listed above."""
    found: list[Interaction] = []
    for source in (_replies, _mentions, _reactions, _idea_votes, _accepted_answers, _ties):
        found.extend(source())
    return found


def community_graph() -> InteractionGraph:
    """The whole community's interaction graph (nodes are member ids).

    Examples
    --------
    >>> graph = community_graph()  # doctest: +SKIP
    >>> graph.matrix(["reply"]).sum()  # doctest: +SKIP
    """
    return interaction_graph(community_interactions())
