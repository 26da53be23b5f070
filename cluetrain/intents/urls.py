from django.urls import path

from cluetrain.intents import views

urlpatterns = [
    path("requests/", views.my_requests, name="my_requests"),
    path("requests/new/", views.new_request, name="new_request"),
    path("requests/<int:intent_id>/", views.intent_page, name="intent"),
    path("requests/<int:intent_id>/edit/", views.edit_request, name="edit_request"),
    path("requests/<int:intent_id>/status/", views.set_status, name="intent_status"),
    path("requests/<int:intent_id>/delete/", views.delete_request, name="delete_request"),
    path("requests/<int:intent_id>/offer/", views.make_offer, name="make_offer"),
    path("requests/<int:intent_id>/messages/", views.send_message, name="intent_message"),
    path("requests/<int:intent_id>/accept/", views.accept_offer, name="accept_offer"),
    path("requests/<int:intent_id>/rate/", views.rate_deal, name="rate_deal"),
    path("requests/notices/<int:notification_id>/", views.request_notice, name="request_notice"),
    path("vendor/requests/", views.vendor_inbox, name="vendor_inbox"),
    path("vendor/offers/", views.vendor_offers, name="vendor_offers"),
    path("vendor/offers/<int:offer_id>/withdraw/", views.withdraw_offer, name="withdraw_offer"),
]
