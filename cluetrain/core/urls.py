from django.urls import path

from cluetrain.core import views

urlpatterns = [
    path("", views.home, name="home"),
]
