from django.urls import path

from cluetrain.reputation import views

urlpatterns = [path("reputation/flagged/", views.flagged, name="reputation_flagged")]
