from django.urls import URLPattern, path

from cluetrain.jams import views

urlpatterns: list[URLPattern] = [
    path("jams/", views.jam_list, name="jams"),
    path("jams/new/", views.jam_new, name="jam_new"),
    path("jams/<slug:slug>/", views.jam_page, name="jam"),
    path("jams/<slug:slug>/themes/<int:theme_id>/", views.theme_page, name="jam_theme"),
    path("jams/<slug:slug>/highlight/", views.highlight, name="jam_highlight"),
]
