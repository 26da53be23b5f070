from django.contrib import admin

from cluetrain.reviews.models import Review


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin[Review]):
    list_display = ["thread", "product", "author", "stars", "helpful_count", "created_at"]
    list_filter = ["stars", "product"]
    search_fields = ["thread__title", "author__username", "product__name"]
    raw_id_fields = ["thread", "author", "reviewed_member"]
    list_select_related = ["thread", "product", "author"]
    date_hierarchy = "created_at"
