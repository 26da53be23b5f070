from django.urls import path

from cluetrain.ideas import views

urlpatterns = [
    path("ideas/", views.ideas, name="ideas"),
    path("ideas/new/", views.idea_new, name="idea_new"),
    path("ideas/<int:idea_id>/vote/", views.idea_vote, name="idea_vote"),
    path("ideas/<int:idea_id>/status/", views.idea_status, name="idea_status"),
]
