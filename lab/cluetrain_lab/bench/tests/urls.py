"""The site's URLs with the benchmark yardsticks, as `cluetrain bench web` serves them."""

from django.urls import include, path

from cluetrain.urls import urlpatterns as site_urlpatterns

urlpatterns = [*site_urlpatterns, path("", include("cluetrain_lab.bench.urls"))]
