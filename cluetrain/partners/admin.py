"""The company configures its whole product's categories and lists partners in the admin."""

from typing import Any

from django.contrib import admin
from django.forms import BaseInlineFormSet
from django.http import HttpRequest

from cluetrain.partners.models import Category, Listing, Provision, Referral, ServiceArea
from cluetrain_analytics.places import geocode


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin[Category]):
    list_display = ["name", "slug", "position", "retired"]
    prepopulated_fields = {"slug": ["name"]}


class AreaInline(admin.TabularInline[ServiceArea, Listing]):
    model = ServiceArea
    fields = ["place", "radius_km", "latitude", "longitude"]
    readonly_fields = ["latitude", "longitude"]
    extra = 1


class ProvisionInline(admin.TabularInline[Provision, Listing]):
    model = Provision
    fields = ["category", "position"]
    extra = 1


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin[Listing]):
    list_display = ["organization", "category", "active"]
    list_filter = ["categories", "active"]
    inlines = [ProvisionInline, AreaInline]

    def save_formset(
        self,
        request: HttpRequest,
        form: Any,
        formset: BaseInlineFormSet[Any, Any, Any],
        change: bool,
    ) -> None:
        if formset.model is not ServiceArea:
            super().save_formset(request, form, formset, change)
            return
        # Each area is geocoded offline when it is saved.
        for area in formset.save(commit=False):
            found = geocode(area.place)
            area.latitude = found.latitude if found else None
            area.longitude = found.longitude if found else None
            area.save()
        for gone in formset.deleted_objects:
            gone.delete()


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin[Referral]):
    list_display = ["customer", "provider", "status", "stars", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["referrer", "customer", "answered_by"]
