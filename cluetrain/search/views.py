from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cluetrain.search.backends import search_members, search_posts
from cluetrain.search.forms import SearchForm

PAGE_SIZE = 20


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    form.is_valid()
    # cleaned_data keeps the valid fields: a bad tab or page falls back to its default.
    data = form.cleaned_data
    query = data.get("q") or ""
    tab = data.get("tab") or "posts"
    page = data.get("page") or 1
    context: dict[str, object] = {"query": query, "tab": tab, "page": page}
    if query:
        offset = (page - 1) * PAGE_SIZE
        on_posts, on_people = tab == "posts", tab == "people"
        posts = search_posts(request.user, query, limit=PAGE_SIZE if on_posts else 0, offset=offset)
        people = search_members(query, limit=PAGE_SIZE if on_people else 0, offset=offset)
        shown = posts if on_posts else people
        context |= {
            "posts": posts,
            "people": people,
            "results": shown,
            "has_previous": page > 1,
            "has_next": offset + PAGE_SIZE < shown.total,
            "previous_page": page - 1,
            "next_page": page + 1,
            "first_shown": offset + 1,
            "last_shown": min(offset + PAGE_SIZE, shown.total),
        }
    return render(request, "search/search.html", context)
