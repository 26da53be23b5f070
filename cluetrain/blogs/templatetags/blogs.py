"""`{% blog_of member %}`: the profile page's blog box, the member's latest published posts."""

from typing import Any

from django import template

from cluetrain.blogs.access import published_posts
from cluetrain.blogs.actions import blog_title
from cluetrain.members.models import Member

register = template.Library()
SHOWN = 3


@register.inclusion_tag("blogs/_profile.html", takes_context=True)
def blog_of(context: dict[str, Any], member: Member) -> dict[str, Any]:
    viewer = context.get("user")
    posts = list(published_posts(viewer).filter(blog__owner=member)[:SHOWN]) if viewer else []
    blog = posts[0].blog if posts else None
    return {"member": member, "posts": posts, "title": blog_title(blog, member)}
