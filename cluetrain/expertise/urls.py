from django.urls import path

from cluetrain.expertise import views

urlpatterns = [
    path("experts/", views.find_experts, name="find_experts"),
    path("experts/team/", views.team_builder, name="team_builder"),
    path("experts/away/", views.away, name="away"),
    path("experts/away/clear/", views.away_clear, name="away_clear"),
    path("threads/<int:thread_id>/experts/", views.thread_experts, name="thread_experts"),
    path("threads/<int:thread_id>/experts/invite/", views.invite, name="invite_to_answer"),
]
