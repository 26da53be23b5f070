"""The reply tree of a thread, built in Python from one flat list of posts."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, TypeVar

from cluetrain.threads.models import Post

# Deeper replies are shown at this depth: a long back-and-forth stays readable on a phone.
MAX_DEPTH = 5


@dataclass(frozen=True, slots=True)
class PostRow:
    """A post as the thread page shows it, read in one query without model instances."""

    pk: int
    parent_id: int | None
    created_at: datetime
    edited_at: datetime | None
    is_hidden: bool
    is_held: bool
    is_deleted: bool
    is_staff_reply: bool
    author_id: int | None
    author_username: str | None
    author_display_name: str | None
    author_avatar: str | None
    external_author_id: int | None
    external_display_name: str | None
    external_handle: str | None
    body_html: str
    like_count: int
    helpful_count: int
    my_reactions: frozenset[str]

    @property
    def author_name(self) -> str:
        # As Member.name.
        return self.author_display_name or self.author_username or ""

    @property
    def external_name(self) -> str:
        return self.external_display_name or self.external_handle or ""


# The tree holds model instances (the API) or rows (the thread page).
P = TypeVar("P", Post, PostRow)


@dataclass
class PostNode(Generic[P]):
    post: P
    depth: int
    children: list["PostNode[P]"] = field(default_factory=list)
    like_count: int = 0
    helpful_count: int = 0
    my_reactions: frozenset[str] = frozenset()
    is_own: bool = False
    can_change: bool = False
    ago: str = ""  # how long ago it was written, as the page shows it
    fragment_key: str = ""  # where the page caches this node's HTML (threads/page.py)


@dataclass
class PostTree(Generic[P]):
    root: PostNode[P] | None
    replies: list[PostNode[P]]
    # Every node, in page order (depth first): children come after their parent.
    nodes: dict[int, PostNode[P]]


def build_tree(posts: Iterable[P]) -> PostTree[P]:
    """Posts in creation order; each hangs under its parent, capped at MAX_DEPTH."""
    ordered = sorted(posts, key=lambda p: (p.created_at, p.pk))
    children: dict[int | None, list[P]] = defaultdict(list)
    known = {post.pk for post in ordered}
    root_post = next((p for p in ordered if p.parent_id is None), None)
    for post in ordered:
        if post is root_post:
            continue
        # A reply whose parent is not in the list is shown as a top-level reply.
        parent_id = post.parent_id if post.parent_id in known else None
        children[parent_id].append(post)
    nodes: dict[int, PostNode[P]] = {}
    replies: list[PostNode[P]] = []
    root = PostNode(root_post, depth=0) if root_post is not None else None
    if root is not None:
        nodes[root.post.pk] = root
    # Depth-first in creation order, without recursion however deep the conversation goes.
    # Each item: the post, and the list it is shown in (None: a top-level reply).
    top = children.get(None, [])
    if root_post is not None:
        top = children.get(root_post.pk, []) + top
    stack: list[tuple[P, PostNode[P] | None]] = [(post, None) for post in reversed(top)]
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
