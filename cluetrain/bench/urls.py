from django.urls import path

from cluetrain.bench.views import bare

urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
]
