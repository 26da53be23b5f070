from django.urls import path

from cluetrain.influence import views

urlpatterns = [
    path("influence/", views.leaderboard, name="influence"),
    path("influence/<str:username>/", views.card, name="influence_card"),
    path("engage/", views.engage, name="engage"),
    path("engage/responses/", views.engage_responses, name="engage_responses"),
    path("engage/<int:thread_id>/<slug:verb>/", views.engage_act, name="engage_act"),
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts/settings/", views.alert_settings, name="alert_settings"),
    path("alerts/<int:alert_id>/", views.alert_detail, name="alert"),
    path("alerts/<int:alert_id>/<slug:verb>/", views.alert_act, name="alert_act"),
]
