from django.urls import path

from cluetrain.search import views

urlpatterns = [
    path("search/", views.search, name="search"),
]
