from django.urls import path

from cluetrain_lab.bench.views import bare, layout

urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("bench/layout/", layout, name="bench_layout"),
]
