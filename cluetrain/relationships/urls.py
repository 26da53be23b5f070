from django.urls import path

from cluetrain.relationships import views

urlpatterns = [
    path("relationships/", views.mine, name="relationships"),
    path("relationships/map/", views.company_map, name="relationship_map"),
    path("relationships/express/", views.express, name="relationship_express"),
    path("relationships/with/<str:username>/", views.card, name="relationship_card"),
    path("relationships/of/<str:username>/", views.member_ties, name="relationship_member"),
    path(
        "relationships/events/<int:event_id>/withdraw/",
        views.withdraw,
        name="relationship_withdraw",
    ),
    path(
        "relationships/events/<int:event_id>/correct/",
        views.correct,
        name="relationship_correct",
    ),
    path(
        "relationships/corrections/<int:correction_id>/undo/",
        views.undo_correction,
        name="relationship_undo_correction",
    ),
]
