from django.urls import path

from cluetrain.core.views import not_built_yet

urlpatterns = [
    path("ideas/", not_built_yet, name="ideas"),
    path("ideas/new/", not_built_yet, name="idea_new"),
    path("ideas/<int:idea_id>/vote/", not_built_yet, name="idea_vote"),
    path("ideas/<int:idea_id>/status/", not_built_yet, name="idea_status"),
]
