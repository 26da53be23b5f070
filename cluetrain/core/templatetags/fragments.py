"""`{% fragment key %}…{% endfragment %}`: render the block once per key (cluetrain.core.fragments).

The view computes the key from everything the block shows; an empty key renders uncached.
"""

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from cluetrain.core.fragments import cached_fragment, csrf_placeholder

register = template.Library()

_DEPTH = "cluetrain.fragment_depth"


class FragmentNode(template.Node):
    def __init__(self, nodelist: NodeList, key: FilterExpression) -> None:
        self.nodelist = nodelist
        self.key = key

    def render(self, context: template.Context) -> SafeString:
        key = self.key.resolve(context)
        if not key:
            return self.nodelist.render(context)
        # The same block reads differently in each language.
        key = f"{key}:{get_language()}"
        depth: int = context.render_context.get(_DEPTH) or 0
        context.render_context[_DEPTH] = depth + 1
        try:
            html = cached_fragment(str(key), lambda: self._render_with_placeholder(context))
        finally:
            context.render_context[_DEPTH] = depth
        if depth == 0:
            # The outermost fragment: inner ones were stored with the placeholder too.
            html = html.replace(csrf_placeholder(), str(context.get("csrf_token", "")))
        return mark_safe(html)  # noqa: S308 - rendered by our own templates, escaped there

    def _render_with_placeholder(self, context: template.Context) -> str:
        with context.push(csrf_token=csrf_placeholder()):
            return str(self.nodelist.render(context))


@register.tag
def fragment(parser: Parser, token: Token) -> FragmentNode:
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% fragment %} takes exactly one key")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, parser.compile_filter(bits[1]))
