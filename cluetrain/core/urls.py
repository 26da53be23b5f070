from django.urls import path

from cluetrain.core.views import not_built_yet

urlpatterns = [
    path("", not_built_yet, name="home"),
]
