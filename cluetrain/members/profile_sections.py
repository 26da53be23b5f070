"""What other apps add to a member's profile page; each registers in its AppConfig.ready().

The profile is the members app's page, but what a member wrote lives in apps above it (the
threads app shows their recent posts): those apps hand the page a section of context, so
members never imports them.
"""

from collections.abc import Callable

from cluetrain.members.access import Viewer
from cluetrain.members.models import Member

#: Given the viewer and the member shown, the template variables the section adds.
ProfileSection = Callable[[Viewer, Member], dict[str, object]]

_sections: list[ProfileSection] = []


def add_profile_section(section: ProfileSection) -> None:
    if section not in _sections:
        _sections.append(section)


def profile_sections(viewer: Viewer, member: Member) -> dict[str, object]:
    context: dict[str, object] = {}
    for section in _sections:
        context.update(section(viewer, member))
    return context
