"""The reply tree of a thread, built in Python from one flat list of posts."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from cluetrain.threads.models import Post

# Deeper replies are shown at this depth: a long back-and-forth stays readable on a phone.
MAX_DEPTH = 5


@dataclass
class PostNode:
    post: Post
    depth: int
    children: list["PostNode"] = field(default_factory=list)
    like_count: int = 0
    helpful_count: int = 0
    my_reactions: frozenset[str] = frozenset()
    can_change: bool = False


@dataclass
class PostTree:
    root: PostNode | None
    replies: list[PostNode]
    nodes: dict[int, PostNode]


def build_tree(posts: Iterable[Post]) -> PostTree:
    """Posts in creation order; each hangs under its parent, capped at MAX_DEPTH."""
    ordered = sorted(posts, key=lambda p: (p.created_at, p.pk))
    children: dict[int | None, list[Post]] = defaultdict(list)
    known = {post.pk for post in ordered}
    root_post = next((p for p in ordered if p.parent_id is None), None)
    for post in ordered:
        if post is root_post:
            continue
        # A reply whose parent is not in the list is shown as a top-level reply.
        parent_id = post.parent_id if post.parent_id in known else None
        children[parent_id].append(post)
    nodes: dict[int, PostNode] = {}
    replies: list[PostNode] = []
    root = PostNode(root_post, depth=0) if root_post is not None else None
    if root is not None:
        nodes[root.post.pk] = root
    # Depth-first in creation order, without recursion however deep the conversation goes.
    # Each item: the post, and the list it is shown in (None: a top-level reply).
    top = children.get(None, [])
    if root_post is not None:
        top = children.get(root_post.pk, []) + top
    stack: list[tuple[Post, PostNode | None]] = [(post, None) for post in reversed(top)]
    while stack:
        post, container = stack.pop()
        node = PostNode(post, depth=1 if container is None else min(container.depth + 1, MAX_DEPTH))
        nodes[post.pk] = node
        if container is None:
            replies.append(node)
        else:
            container.children.append(node)
        # At the cap, replies are listed beside their parent rather than inside it.
        below = node if node.depth < MAX_DEPTH else container
        stack.extend((child, below) for child in reversed(children.get(post.pk, [])))
    return PostTree(root=root, replies=replies, nodes=nodes)
