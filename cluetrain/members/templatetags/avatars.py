"""`{% avatar member %}`: the member's picture, or their initials on a colour of their own."""

import zlib

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from cluetrain.members.models import Member, initials

register = template.Library()

SIZES = {"": "", "sm": " avatar-sm", "lg": " avatar-lg"}


@register.simple_tag
def avatar(member: Member | None, size: str = "") -> SafeString:
    if member is None:
        return avatar_of("", "", size)
    return avatar_of(member.name, member.avatar, size)


@register.simple_tag
def avatar_of(name: str | None, avatar_name: str | None, size: str = "") -> SafeString:
    """For rows that are not Member instances (the thread page's posts): name and file name."""
    classes = "avatar" + SIZES.get(size, "")
    if avatar_name:
        return format_html(
            '<img class="{}" src="{}" alt="" width="256" height="256" loading="lazy">',
            classes,
            reverse("avatar_file", args=[avatar_name]),
        )
    name = name or ""
    hue = zlib.crc32(name.encode()) % 360
    return format_html(
        '<span class="{} avatar-initials" aria-hidden="true" style="--avatar-hue:{}">{}</span>',
        classes,
        hue,
        initials(name) if name else "?",
    )
