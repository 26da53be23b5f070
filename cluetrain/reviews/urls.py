from django.urls import path

from cluetrain.reviews import views

urlpatterns = [
    path("products/", views.products, name="products"),
    path("products/<slug:slug>/", views.product_reviews, name="product_reviews"),
    path("products/<slug:slug>/review/", views.review_new, name="review_new"),
    path("reviews/<int:review_id>/helpful/", views.review_helpful, name="review_helpful"),
]
