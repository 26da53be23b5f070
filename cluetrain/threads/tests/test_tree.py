from datetime import UTC, datetime, timedelta

from cluetrain.threads.models import Post
from cluetrain.threads.tree import MAX_DEPTH, PostNode, build_tree

START = datetime(2026, 1, 1, tzinfo=UTC)


def _post(pk: int, parent: int | None) -> Post:
    return Post(pk=pk, parent_id=parent, created_at=START + timedelta(minutes=pk))


def _shape(nodes: list[PostNode[Post]]) -> list[object]:
    return [(node.post.pk, node.depth, _shape(node.children)) for node in nodes]


def test_replies_hang_under_their_parents_in_order() -> None:
    posts = [_post(4, 2), _post(1, None), _post(3, 1), _post(2, 1), _post(5, 2)]
    tree = build_tree(posts)
    assert tree.root is not None
    assert tree.root.post.pk == 1
    assert _shape(tree.replies) == [(2, 1, [(4, 2, []), (5, 2, [])]), (3, 1, [])]
    assert sorted(tree.nodes) == [1, 2, 3, 4, 5]


def test_deep_chains_are_listed_beside_their_parent_at_the_cap() -> None:
    chain = [_post(1, None)] + [_post(pk, pk - 1) for pk in range(2, 2000)]
    tree = build_tree(chain)
    deepest_container = tree.replies[0]
    for _ in range(MAX_DEPTH - 2):
        deepest_container = deepest_container.children[0]
    assert deepest_container.depth == MAX_DEPTH - 1
    assert deepest_container.post.pk == MAX_DEPTH
    assert [node.depth for node in deepest_container.children] == [MAX_DEPTH] * (1999 - MAX_DEPTH)
    assert [node.post.pk for node in deepest_container.children][:3] == [
        MAX_DEPTH + 1,
        MAX_DEPTH + 2,
        MAX_DEPTH + 3,
    ]
    assert len(tree.nodes) == 1999


def test_a_reply_whose_parent_is_missing_becomes_top_level() -> None:
    tree = build_tree([_post(1, None), _post(3, 2)])
    assert _shape(tree.replies) == [(3, 1, [])]
