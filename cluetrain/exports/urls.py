from django.urls import path

from cluetrain.exports import views

urlpatterns = [
    path("settings/data/", views.my_data, name="my_data"),
    path("settings/data/download/", views.my_data_download, name="my_data_download"),
    path("settings/delete-account/", views.delete_account, name="delete_account"),
]
