from cluetrain.sources.models import Source


def community_source() -> Source:
    """The Source every post written in the community carries (created by a migration)."""
    source, _ = Source.objects.get_or_create(
        slug=Source.COMMUNITY_SLUG, defaults={"name": "Community", "kind": Source.Kind.COMMUNITY}
    )
    return source
