"""The company configures categories and lists partners in the admin; areas are geocoded."""

from django.test import Client

from cluetrain.organizations.models import Organization
from cluetrain.partners.models import Category, Listing, ServiceArea
from conftest import Cast


def test_listing_a_partner_in_the_admin_geocodes_its_areas(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.ada)
    response = client.post(
        "/admin/partners/category/add/", {"name": "Title company", "slug": "title", "position": 1}
    )
    assert response.status_code == 302
    category = Category.objects.get(slug="title")
    org = Organization.objects.create(name="Clear Title", slug="clear-title", kind="partner")
    response = client.post(
        "/admin/partners/listing/add/",
        {
            "organization": org.pk,
            "active": "on",
            "provisions-TOTAL_FORMS": "1",
            "provisions-INITIAL_FORMS": "0",
            "provisions-MIN_NUM_FORMS": "0",
            "provisions-MAX_NUM_FORMS": "1000",
            "provisions-0-category": category.pk,
            "provisions-0-position": "0",
            "areas-TOTAL_FORMS": "2",
            "areas-INITIAL_FORMS": "0",
            "areas-MIN_NUM_FORMS": "0",
            "areas-MAX_NUM_FORMS": "1000",
            "areas-0-place": "Austin, TX",
            "areas-0-radius_km": "50",
            "areas-1-place": "Nowhere-on-earth",
            "areas-1-radius_km": "10",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    listing = Listing.objects.get(organization=org)
    assert listing.provided() == [category]
    austin = ServiceArea.objects.get(listing=listing, place="Austin, TX")
    assert austin.latitude is not None
    assert round(austin.latitude) == 30
    assert ServiceArea.objects.get(listing=listing, place="Nowhere-on-earth").latitude is None
    # Customers and partners have no admin.
    client.force_login(cast.pat)
    assert client.get("/admin/partners/listing/").status_code == 302
