"""The company, its partner providers, vendors, customers' employers, and what they offer."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Organization(models.Model):
    class Kind(models.TextChoices):
        COMPANY = "company", _("The company")
        PARTNER = "partner", _("Partner provider")
        VENDOR = "vendor", _("Vendor")
        CUSTOMER = "customer", _("Customer's organization")

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    # For partners: which part of the "whole product" they provide (bank, insurer, installer...).
    category = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)
    location = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    class Kind(models.TextChoices):
        PRODUCT = "product", _("Product")
        SERVICE = "service", _("Service")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="products"
    )
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PRODUCT)
    category = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Offering(models.Model):
    """Something an organization provides around a product: installation, financing, insurance."""

    provider = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="offerings")
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.SET_NULL, related_name="offerings"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.title
