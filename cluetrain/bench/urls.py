from django.urls import path

from cluetrain.core.views import not_built_yet

urlpatterns = [
    path("bench/bare/", not_built_yet, name="bench_bare"),
]
