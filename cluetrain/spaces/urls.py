from django.urls import path

from cluetrain.spaces import views

urlpatterns = [
    path("spaces/", views.space_list, name="spaces"),
    path("s/<slug:slug>/", views.space_view, name="space"),
    path("s/<slug:slug>/follow/", views.space_follow, name="space_follow"),
]
