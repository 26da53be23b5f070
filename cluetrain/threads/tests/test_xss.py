"""Known XSS vectors, posted through the real forms and checked in the rendered pages."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client, override_settings

from cluetrain.threads.models import Thread
from cluetrain.threads.tests.conftest import login
from conftest import Cast, Places

PAYLOADS = [
    line.replace("\\n", "\n")
    for line in (Path(__file__).parent / "xss_payloads.txt").read_text().splitlines()
    if line.strip() and not line.startswith("# ")
]

BODY_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table",
    "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
BODY_ATTRIBUTES = {"href", "title", "src", "alt", "align", "rel"}
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "background", "srcset", "xlink:href", "data",
    "poster", "cite", "dynsrc", "lowsrc",
}  # fmt: skip
BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:")
# Never anywhere on our pages (the base template uses none of them).
PAGE_FORBIDDEN = {"iframe", "object", "embed", "svg", "math", "style", "frame", "applet", "base"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class Audit(HTMLParser):
    """Every problem in the page; post bodies are held to the Markdown whitelist."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # > 0 while inside a post body
        self.bodies = 0
        self.scripts = 0
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)
        if self.depth:
            if tag not in VOID:
                self.depth += 1
        elif tag == "div" and "post-body" in (dict(attrs).get("class") or "").split():
            self.depth = 1
            self.bodies += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag not in VOID:
            self.depth -= 1

    def _check(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if tag == "script":
            self.scripts += 1
        if tag in PAGE_FORBIDDEN:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in URL_ATTRIBUTES and value is not None:
                compact = re.sub(r"[\x00-\x20]", "", value).lower()
                if compact.startswith(BAD_SCHEMES):
                    self.problems.append(f"<{tag} {name}={value!r}>")
        if self.depth:
            if tag not in BODY_TAGS:
                self.problems.append(f"<{tag}> in a post body")
            if names - BODY_ATTRIBUTES:
                self.problems.append(f"<{tag} {sorted(names - BODY_ATTRIBUTES)}> in a post body")


def audit(html: str) -> Audit:
    parser = Audit()
    parser.feed(html)
    parser.close()
    return parser


def test_there_are_at_least_100_payloads() -> None:
    assert len(PAYLOADS) >= 100
    assert len(set(PAYLOADS)) == len(PAYLOADS)


def test_the_audit_catches_raw_html() -> None:
    page = '<div class="post-body"><p onclick="x"><a href=" javascript:x">a</a><iframe></div>'
    assert audit(page).problems == [
        "<p onclick=…>",
        "<p ['onclick']> in a post body",
        "<a href=' javascript:x'>",
        "<iframe>",
        "<iframe> in a post body",
    ]


@pytest.fixture
def xss_client(client: Client, cast: Cast, places: Places) -> Client:
    return login(client, cast.bob)


@override_settings(POST_RATE_LIMIT_PER_MINUTE=10_000)
def test_payloads_as_replies_render_harmless(xss_client: Client, cast: Cast) -> None:
    xss_client.post("/s/general/new/", {"title": "XSS corpus", "body": "Replies below."})
    thread = Thread.objects.get()
    for payload in PAYLOADS:
        response = xss_client.post(f"/t/{thread.pk}/reply/", {"body": payload})
        assert response.status_code == 302, payload
    # Nested replies go through the same rendering: a few under the first reply.
    first_reply = thread.posts.exclude(parent=None).order_by("pk").first()
    assert first_reply is not None
    for payload in PAYLOADS[:10]:
        xss_client.post(f"/t/{thread.pk}/reply/", {"body": payload, "parent": first_reply.pk})
    html = xss_client.get(f"/t/{thread.pk}/").content.decode()
    result = audit(html)
    assert result.problems == []
    assert result.bodies == 1 + len(PAYLOADS) + 10
    assert result.scripts == 1  # htmx, from the base template


@override_settings(POST_RATE_LIMIT_PER_MINUTE=10_000)
def test_payloads_as_titles_and_opening_posts_render_harmless(xss_client: Client) -> None:
    for payload in PAYLOADS:
        title = payload.replace("\n", " ")[:200]
        response = xss_client.post("/s/general/new/", {"title": title, "body": payload})
        assert response.status_code == 302, payload
        result = audit(xss_client.get(response["Location"]).content.decode())
        assert (result.problems, result.scripts, result.bodies) == ([], 1, 1), payload
    space_page = audit(xss_client.get("/s/general/?page=1").content.decode())
    assert (space_page.problems, space_page.scripts) == ([], 1)


def test_payloads_in_the_preview_render_harmless(xss_client: Client) -> None:
    for payload in PAYLOADS:
        fragment = xss_client.post("/preview/", {"body": payload}, HTTP_HX_REQUEST="true")
        result = audit(fragment.content.decode())
        assert (result.problems, result.scripts, result.bodies) == ([], 0, 1), payload
