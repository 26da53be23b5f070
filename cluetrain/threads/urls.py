from django.urls import path

from cluetrain.threads import views

urlpatterns = [
    path("", views.home, name="home"),
    path("s/<slug:slug>/new/", views.thread_new, name="thread_new"),
    path("t/<int:thread_id>/", views.thread_view, name="thread"),
    path("t/<int:thread_id>/reply/", views.post_reply, name="post_reply"),
    path("t/<int:thread_id>/follow/", views.thread_follow, name="thread_follow"),
    path("p/<int:post_id>/", views.post_link, name="post_link"),
    path("p/<int:post_id>/edit/", views.post_edit, name="post_edit"),
    path("p/<int:post_id>/history/", views.post_history, name="post_history"),
    path("p/<int:post_id>/delete/", views.post_delete, name="post_delete"),
    path("p/<int:post_id>/accept/", views.accept_answer, name="accept_answer"),
    path("p/<int:post_id>/react/", views.react, name="react"),
    path("preview/", views.markdown_preview, name="markdown_preview"),
]
