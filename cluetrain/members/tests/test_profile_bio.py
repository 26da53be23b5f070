"""Profile bios are Markdown, rendered and sanitized like posts (not shown as raw text)."""

from django.test import Client

from conftest import Cast


def test_bio_markdown_is_rendered_and_sanitized(cast: Cast, client: Client) -> None:
    profile = cast.alice.profile
    profile.bio = (
        "I install **smart lights**.\n\n"
        "- [My shop](https://example.com)\n"
        "<script>alert(1)</script> [x](javascript:alert(1))"
    )
    profile.save()
    content = client.get("/people/alice/").content.decode()
    assert "<strong>smart lights</strong>" in content
    assert '<a href="https://example.com"' in content
    assert "**smart lights**" not in content
    assert "<script>alert(1)</script>" not in content
    assert 'href="javascript:' not in content
