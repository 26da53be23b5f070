from django.urls import path

from cluetrain.core.views import not_built_yet

urlpatterns = [
    path("search/", not_built_yet, name="search"),
]
