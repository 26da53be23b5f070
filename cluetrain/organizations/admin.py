from django.contrib import admin

from cluetrain.organizations.models import Offering, Organization, Product


class ProductInline(admin.TabularInline[Product, Organization]):
    model = Product
    extra = 0
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin[Organization]):
    list_display = ("name", "kind", "category", "location", "created_at")
    list_filter = ("kind",)
    search_fields = ("name", "category", "location")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (ProductInline,)


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin[Product]):
    list_display = ("name", "organization", "kind", "category")
    list_filter = ("kind", "organization")
    search_fields = ("name", "category", "organization__name")
    list_select_related = ("organization",)
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("organization",)


@admin.register(Offering)
class OfferingAdmin(admin.ModelAdmin[Offering]):
    list_display = ("title", "provider", "product", "created_at")
    list_filter = ("provider",)
    search_fields = ("title", "provider__name", "product__name")
    list_select_related = ("provider", "product")
    autocomplete_fields = ("provider", "product")
