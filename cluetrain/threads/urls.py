from django.urls import path

from cluetrain.core.views import not_built_yet

urlpatterns = [
    path("s/<slug:slug>/new/", not_built_yet, name="thread_new"),
    path("t/<int:thread_id>/", not_built_yet, name="thread"),
    path("t/<int:thread_id>/reply/", not_built_yet, name="post_reply"),
    path("p/<int:post_id>/", not_built_yet, name="post_link"),
    path("p/<int:post_id>/edit/", not_built_yet, name="post_edit"),
    path("p/<int:post_id>/history/", not_built_yet, name="post_history"),
    path("p/<int:post_id>/delete/", not_built_yet, name="post_delete"),
    path("p/<int:post_id>/accept/", not_built_yet, name="accept_answer"),
    path("p/<int:post_id>/react/", not_built_yet, name="react"),
    path("preview/", not_built_yet, name="markdown_preview"),
]
