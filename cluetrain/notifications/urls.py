from django.urls import path

from cluetrain.notifications import onboarding, views

urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("settings/email/", views.email_settings, name="email_settings"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("welcome/", onboarding.welcome_profile, name="welcome"),
    path("welcome/follow/", onboarding.welcome_follow, name="welcome_follow"),
    path("welcome/people/", onboarding.welcome_people, name="welcome_people"),
]
