from django.urls import path

from cluetrain.core.views import not_built_yet

urlpatterns = [
    path("spaces/", not_built_yet, name="spaces"),
    path("s/<slug:slug>/", not_built_yet, name="space"),
    path("s/<slug:slug>/follow/", not_built_yet, name="space_follow"),
]
