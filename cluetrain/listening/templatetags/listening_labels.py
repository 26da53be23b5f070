"""`{{ code|label_text }}`: a reader's label code as a word in the page's language."""

from django import template

from cluetrain.listening.labels import label_text as _label_text

register = template.Library()


@register.filter
def label_text(code: str) -> str:
    return _label_text(str(code))
