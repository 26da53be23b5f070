from django.urls import path

from cluetrain.imports.views import import_upload

urlpatterns = [
    path("admin-tools/import/", import_upload, name="import_upload"),
]
