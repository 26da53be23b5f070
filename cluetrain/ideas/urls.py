from django.urls import path

from cluetrain.ideas import views

urlpatterns = [
    path("ideas/", views.ideas, name="ideas"),
    path("ideas/new/", views.idea_new, name="idea_new"),
    path("ideas/similar/", views.idea_similar, name="idea_similar"),
    path("ideas/ranking/", views.ideas_ranking, name="ideas_ranking"),
    path("ideas/roadmap/", views.ideas_roadmap, name="ideas_roadmap"),
    path("ideas/<int:idea_id>/why/", views.idea_why, name="idea_why"),
    path("ideas/<int:idea_id>/follow/", views.idea_follow, name="idea_follow"),
    path("ideas/<int:idea_id>/merge/", views.idea_merge, name="idea_merge"),
    path("ideas/<int:idea_id>/vote/", views.idea_vote, name="idea_vote"),
    path("ideas/<int:idea_id>/status/", views.idea_status, name="idea_status"),
]
