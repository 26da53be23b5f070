from django import forms
from django.utils.translation import gettext_lazy as _

from cluetrain.search.backends import QUERY_MAX_CHARS

MAX_PAGE = 500


class SearchForm(forms.Form):
    q = forms.CharField(required=False, strip=True)
    tab = forms.ChoiceField(
        required=False, choices=[("posts", _("Posts")), ("people", _("People"))], initial="posts"
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)

    def clean_q(self) -> str:
        # Over-long input is cut, not refused: a search box should never answer with an error.
        query: str = self.cleaned_data.get("q") or ""
        return query[:QUERY_MAX_CHARS]
