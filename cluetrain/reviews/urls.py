from django.urls import path

from cluetrain.core.views import not_built_yet

urlpatterns = [
    path("products/", not_built_yet, name="products"),
    path("products/<slug:slug>/", not_built_yet, name="product_reviews"),
    path("products/<slug:slug>/review/", not_built_yet, name="review_new"),
]
