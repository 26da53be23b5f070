from django.urls import path

from cluetrain.exports import views

urlpatterns = [
    path("settings/data/", views.my_data, name="my_data"),
    path("settings/data/download/", views.my_data_download, name="my_data_download"),
    path("settings/delete-account/", views.delete_account, name="delete_account"),
    # Administrators: the whole instance out and in (transfer.py, docs/export.md).
    path("staff/instance/", views.instance_transfer, name="instance_transfer"),
    path("staff/instance/export/", views.instance_export_start, name="instance_export_start"),
    path(
        "staff/instance/export/<str:name>.zip",
        views.instance_export_download,
        name="instance_export_download",
    ),
    path("staff/instance/import/", views.instance_import_upload, name="instance_import_upload"),
    path("staff/instance/import/<str:name>/", views.instance_import, name="instance_import"),
]
