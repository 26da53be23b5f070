from django.urls import path

from cluetrain.listening import views

urlpatterns = [
    path("listening/", views.dashboard, name="listening"),
    path("listening/messages/", views.message_list, name="listening_messages"),
    path(
        "listening/messages/<int:post_id>/labels/",
        views.message_labels,
        name="listening_labels",
    ),
    path("listening/issues/", views.issue_list, name="listening_issues"),
    path("listening/issues/<int:issue_id>/", views.issue_detail, name="listening_issue"),
    path(
        "listening/issues/<int:issue_id>/<slug:verb>/", views.issue_act, name="listening_issue_act"
    ),
    path("listening/refit/", views.refit_models, name="listening_refit"),
    path("listening/retrain/", views.retrain_models, name="listening_retrain"),
]
