from django.urls import path

from cluetrain.partners import views

urlpatterns = [
    path("partners/", views.directory, name="partners"),
    path("partners/bundle/", views.bundle, name="partner_bundle"),
    path("partners/categories/", views.categories, name="partner_categories"),
    path("partners/categories/new/", views.category_create, name="partner_category_create"),
    path("partners/categories/<slug:slug>/", views.category_edit, name="partner_category_edit"),
    path("partners/inbox/", views.inbox, name="partner_inbox"),
    path("partners/dashboard/", views.dashboard, name="partner_dashboard"),
    path("partners/referrals/", views.my_referrals, name="my_referrals"),
    path("partners/referrals/new/", views.refer, name="refer"),
    path("partners/referrals/<int:referral_id>/", views.referral, name="referral"),
    path("partners/referrals/<int:referral_id>/answer/", views.answer, name="referral_answer"),
    path("partners/referrals/<int:referral_id>/outcome/", views.outcome, name="referral_outcome"),
    path("partners/referrals/<int:referral_id>/rate/", views.rate, name="referral_rate"),
    path("partners/<slug:slug>/", views.partner, name="partner"),
]
